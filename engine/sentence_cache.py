"""A cache of sentence splits, keyed by what decides them: the text's SHA-256, the paragraph
roles, the splitter's version and this module's format. Splitting with pysbd is most of the
time a cold `sanctions evaluate` takes; a split never changes for the same key, so the
cache can only save time. It is safe to delete at any moment, and any entry that cannot be
read or does not match is split again.

Where: $SANCTIONS_CACHE, else $XDG_CACHE_HOME/sanctions-engine, else
~/.cache/sanctions-engine. SANCTIONS_CACHE=off turns it off.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import TypeVar

FORMAT = 1
T = TypeVar("T")


@cache
def dist_version(name: str) -> str:
    """The installed version of a distribution, read from its folder's name (as
    `site-packages/pysbd-0.3.4.dist-info`) without importlib.metadata, which alone takes
    about a tenth of a cold run; importlib.metadata answers where no such folder is found."""
    found = _dist_infos().get(name.lower().replace("-", "_"))
    if found is not None:
        return found
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "absent"


@cache
def _dist_infos() -> dict[str, str]:
    """Normalised distribution name -> version, from the .dist-info folders on sys.path (the
    first one found wins, as for imports)."""
    versions: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for item in names:
            if item.endswith(".dist-info") and "-" in item:
                dist, _, rest = item[: -len(".dist-info")].partition("-")
                versions.setdefault(dist.lower().replace("-", "_"), rest)
    return versions


def cache_dir() -> Path | None:
    configured = os.environ.get("SANCTIONS_CACHE", "")
    if configured.lower() in ("off", "0", "no", "false"):
        return None
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sanctions-engine"


def cached_split(
    sha256: str,
    roles: Mapping[int, str],
    split: Callable[[], list[T]],
    encode: Callable[[T], list[int | str]],
    decode: Callable[[list[int | str]], T],
) -> list[T]:
    folder = cache_dir()
    if folder is None:
        return split()
    key = hashlib.sha256(
        json.dumps([FORMAT, dist_version("pysbd"), sha256, sorted(roles.items())]).encode()
    ).hexdigest()
    path = folder / "sentences" / f"{key}.json"
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
        return [decode(r) for r in rows]
    except (OSError, ValueError, TypeError, KeyError, IndexError, AssertionError):
        pass
    result = split()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        import tempfile  # only to write: 4 ms of a start that reads everything

        with tempfile.NamedTemporaryFile(
            "w", dir=path.parent, suffix=".tmp", delete=False, encoding="utf-8"
        ) as out:
            json.dump([encode(s) for s in result], out)
        os.replace(out.name, path)
    except OSError:
        pass  # a cache that cannot be written only costs time
    return result
