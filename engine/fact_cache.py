"""A cache of validated fact files (and rule and source metadata files), so that rerunning
after an edit re-reads only what changed.

An entry holds what loading one facts file produced when it had no problem at all: its facts
as validated models, each fact as the engine receives it (engine.encoding.encode), and the
citations resolved in the sources, with the key of every source they were resolved against.
It is found by the file's SHA-256 and a fingerprint of everything else that decides the
result: the engine's own code, the vocabulary, and the versions of Python and of the
libraries that validate, split sentences and convert units. So an entry can only stand for
exactly the result loading would give; a file with any problem is never stored, and its
problems are reported afresh each time. Whatever depends on other files (duplicate ids,
references between facts) is checked on every run; citations are resolved again when a
source they were found in has changed.

Rule files and source metadata files are kept the same way, as the validated model of the
file alone (rules/ and sources/ beside facts/): the checks of a rule against the facts and
other rules, and of a source's metadata against its text, run on every run.

The cache is safe to delete at any moment, and an entry that cannot be read is ignored;
entries no run has used for 30 days are deleted by the next run that writes one.
Entries are pickles read by an unpickler that builds only the engine's own classes and
dates, never anything else a tampered file might name. Where: the folder of
engine.sentence_cache (SANCTIONS_CACHE=off turns both off).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import os
import pickle
import sys
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from engine.safefiles import MAX_YAML_BYTES, FileRefused, read_regular_file
from engine.sentence_cache import cache_dir, dist_version

T = TypeVar("T")

FORMAT = 3
_ENGINE_DIR = Path(__file__).resolve().parent
_VOCABULARY_DIR = _ENGINE_DIR.parent / "vocabulary"
# libraries whose behaviour decides a validated fact, its citations or its encoding
_LIBRARIES = ("pydantic", "pydantic_core", "PyYAML", "pysbd", "pint")
_ALLOWED_GLOBALS = {
    ("datetime", "date"),
    ("datetime", "datetime"),
    ("decimal", "Decimal"),
    ("builtins", "set"),
    ("builtins", "frozenset"),
}


@dataclass
class Entry:
    """What loading one clean facts file gave (see the module docstring)."""

    default_source: str | None
    facts: list[tuple[tuple[str | int, ...], Any]]  # (place in the file, validated model)
    encoded: dict[str, dict[str, Any]]
    citations: dict[str, list[Any]] = field(default_factory=dict)  # fact id -> resolved
    sources: dict[str, str] = field(default_factory=dict)  # source id -> key when resolved
    refs: dict[str, list[Any]] = field(default_factory=dict)  # fact id -> ids it names


@cache
def fingerprint() -> str:
    """Everything but the file itself that decides what loading it gives."""
    digest = hashlib.sha256(f"{FORMAT}|{sys.version}".encode())
    for name in _LIBRARIES:
        digest.update(f"|{name}={dist_version(name)}".encode())
    for folder, suffix in ((_ENGINE_DIR, ".py"), (_VOCABULARY_DIR, ".yaml")):
        for path in _files(str(folder), suffix):  # os.walk: pathlib's rglob took 3 ms
            digest.update(os.path.relpath(path, folder).encode() + b"\0")
            with open(path, "rb") as f:
                digest.update(f.read())
    return digest.hexdigest()


def _files(folder: str, suffix: str) -> list[str]:
    found = [
        os.path.join(root, name)
        for root, dirs, names in os.walk(folder)
        for name in names
        if name.endswith(suffix) and "__pycache__" not in root
    ]
    return sorted(found)


def enabled() -> bool:
    return cache_dir() is not None


def _path_for(namespace: str, file_sha256: str) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    key = hashlib.sha256(f"{fingerprint()}|{namespace}|{file_sha256}".encode()).hexdigest()
    return folder / namespace / f"{key}.pickle"


def peek(path: Path) -> tuple[str, str] | None:
    """(SHA-256, text) of a YAML file whose entry may be in the cache; None when the cache is
    off or the file cannot be read as text (loading it then reports why)."""
    if not enabled():
        return None
    try:
        raw = read_regular_file(path, MAX_YAML_BYTES)
        text = raw.decode("utf-8")
    except (FileRefused, UnicodeDecodeError):
        return None
    return hashlib.sha256(raw).hexdigest(), text[1:] if text.startswith("\ufeff") else text


class _Unpickler(pickle.Unpickler):
    """Builds the engine's own data classes (fact models, citations, Entry) and dates, which
    only validate or store their fields: never a function, which could act."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED_GLOBALS:
            return super().find_class(module, name)
        if module.startswith("engine.") and "." not in name:
            found = super().find_class(module, name)
            if isinstance(found, type) and (
                issubclass(found, BaseModel) or dataclasses.is_dataclass(found)
            ):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not a class the cache stores")


def read(file_sha256: str) -> Entry | None:
    """The entry of a facts file, if one is stored for these bytes."""
    return read_validated("facts", file_sha256, Entry)


def write(file_sha256: str, entry: Entry) -> None:
    write_validated("facts", file_sha256, entry)


def read_validated(namespace: str, file_sha256: str, wanted: type[T]) -> T | None:
    """What validating a file with these bytes gave (a rule, a source's metadata, a facts
    file's Entry), or None."""
    path = _path_for(namespace, file_sha256)
    if path is None:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        found = _Unpickler(io.BytesIO(data)).load()
    except Exception:  # noqa: BLE001 - any unreadable entry is a miss, never an error
        return None
    if not isinstance(found, wanted):
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # used now: pruning keeps it (see _prune)
    return found


def write_validated(namespace: str, file_sha256: str, value: Any) -> None:
    """Store what validating a file gave; any failure (a read-only disk, a value that cannot
    be pickled) only means the next run validates the file again."""
    path = _path_for(namespace, file_sha256)
    if path is None:
        return
    tmp = None
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        path.parent.mkdir(parents=True, exist_ok=True)
        import tempfile  # only to write: 4 ms of a start that reads everything

        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as out:
            tmp = out.name
            out.write(data)
        os.replace(tmp, path)  # readers see the old entry or the whole new one
        tmp = None
    except Exception:  # noqa: BLE001 - a cache that cannot be written is only slower
        pass
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    _prune(path.parent)


UNUSED_DAYS = 30  # an entry no run has read or written for this long is deleted
_PRUNED: set[Path] = set()


def _prune(folder: Path) -> None:
    """Every edit leaves the entry of the file's old bytes behind: once per process, when it
    first writes into a folder, entries unused for UNUSED_DAYS (and temporary files left by
    a run that was killed while writing, after a day) are deleted."""
    if folder in _PRUNED:
        return
    _PRUNED.add(folder)
    now = time.time()
    for pattern, days in (("*.pickle", UNUSED_DAYS), ("*.tmp", 1)):
        for old in folder.glob(pattern):
            with contextlib.suppress(OSError):
                if now - old.stat().st_mtime > days * 86400:
                    old.unlink()
