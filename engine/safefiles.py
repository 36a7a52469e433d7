"""Find and read input files safely: regular files only, inside their folder, of bounded size.

One discovery function serves fact and rule loading alike, so both read the same files:
every name ending in .yaml or .yml, in any case, in the folder and its sub-folders.
Symbolic links are followed when they stay inside the folder and refused with a message
when they leave it, point at nothing or loop. Devices, FIFOs and sockets are never opened
for reading (opening a FIFO would block; /dev/zero never ends).
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from engine.diagnostics import Diagnostics, Location

YAML_SUFFIXES = (".yaml", ".yml")  # compared case-insensitively
MAX_YAML_BYTES = 128 * 1024 * 1024  # one rule or facts file (100k facts of 850 bytes: 85 MB)
MAX_SOURCE_TEXT_BYTES = 1024 * 1024  # one source document's text


class FileRefused(Exception):
    """A file that is not read, with the diagnostic code, message and hint to report."""

    def __init__(self, code: str, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint


def read_regular_file(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; FileRefused otherwise."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise _refusal(exc) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused(
                "Y008",
                f"'{path}' is not a regular file ({_file_type(info.st_mode)})",
                "only ordinary files are read; replace it with a file",
            )
        if info.st_size > limit:
            raise _too_large(info.st_size, limit)
        chunks: list[bytes] = []
        size = 0
        while size <= limit:  # the size may change while reading: never read past the limit
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise _too_large(size, limit)
        return b"".join(chunks)
    except OSError as exc:
        raise _refusal(exc) from None
    finally:
        os.close(fd)


def _too_large(size: int, limit: int) -> FileRefused:
    return FileRefused(
        "Y007",
        f"the file is too large ({size:,} bytes; the limit is {limit:,})",
        "split it into several files",
    )


def _refusal(exc: OSError) -> FileRefused:
    if exc.errno == errno.ELOOP:
        return FileRefused(
            "Y009", "the symbolic link loops back on itself", "point the link at a real file"
        )
    if exc.errno == errno.ENOENT:
        return FileRefused("Y001", "the file does not exist", "check the file name")
    return FileRefused("Y001", f"cannot read the file: {exc.strerror or exc}")


def _file_type(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not an ordinary file"


def is_yaml_name(name: str) -> bool:
    return name.lower().endswith(YAML_SUFFIXES)


def is_inside(path: Path, folder: Path) -> bool:
    """True when path, with every symbolic link resolved, lies inside folder (resolved)."""
    try:
        path.resolve(strict=True).relative_to(folder.resolve(strict=True))
    except (OSError, RuntimeError, ValueError):
        return False
    return True


@dataclass
class _Walk:
    root: Path
    root_real: Path
    diags: Diagnostics
    shown: object  # callable(Path) -> str
    files: list[Path]
    seen_files: dict[Path, Path]
    seen_dirs: set[Path]


def find_yaml_files(folder: Path, diags: Diagnostics, shown: object = str) -> list[Path]:
    """Every YAML file under folder, sorted; each link or entry that is refused is reported."""
    try:
        root_real = folder.resolve(strict=True)
    except (OSError, RuntimeError):
        return []
    walk = _Walk(folder, root_real, diags, shown, [], {}, {root_real})
    _walk_dir(walk, folder)
    return sorted(walk.files)


def _report(walk: _Walk, path: Path, code: str, message: str, hint: str = "") -> None:
    where = walk.shown(path)  # type: ignore[operator]
    walk.diags.add(code, message, Location(str(where)), hint)


def _walk_dir(walk: _Walk, directory: Path) -> None:
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as exc:
        _report(walk, directory, "Y001", f"cannot read the folder: {exc.strerror or exc}")
        return
    for entry in entries:
        path = directory / entry.name
        try:
            is_link = entry.is_symlink()
            if not is_link and entry.is_dir(follow_symlinks=False):
                walk.seen_dirs.add(path.resolve())
                _walk_dir(walk, path)
                continue
        except OSError as exc:
            _report(walk, path, "Y001", f"cannot read '{entry.name}': {exc.strerror or exc}")
            continue
        if is_link:
            _follow_link(walk, path, entry.name)
        elif is_yaml_name(entry.name):
            _add_file(walk, path, path.resolve(), entry.stat(follow_symlinks=False).st_mode)


def _follow_link(walk: _Walk, path: Path, name: str) -> None:
    try:
        info = path.stat()  # follows the link
        real = path.resolve(strict=True)
    except (OSError, RuntimeError) as exc:
        looping = isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == errno.ELOOP
        if looping:
            _report(
                walk,
                path,
                "Y009",
                f"the symbolic link '{name}' loops back on itself",
                "point the link at a real file or folder, or remove it",
            )
        elif is_yaml_name(name):
            _report(
                walk,
                path,
                "Y009",
                f"the symbolic link '{name}' points to nothing",
                "point the link at a real file, or remove it",
            )
        return
    is_dir = stat.S_ISDIR(info.st_mode)
    if not is_dir and not is_yaml_name(name) and not is_yaml_name(real.name):
        return  # a link to a file that is not YAML: not an input, like any other such file
    try:
        real.relative_to(walk.root_real)
    except ValueError:
        _report(
            walk,
            path,
            "Y009",
            f"the symbolic link '{name}' leads outside the folder '{walk.root}' (to {real})",
            "copy the file or folder into the folder instead of linking to it",
        )
        return
    if is_dir:
        if real in walk.seen_dirs:
            _report(
                walk,
                path,
                "Y009",
                f"the symbolic link '{name}' leads to a folder that is already read",
                "remove the link: every file under the folder is read once already",
            )
            return
        walk.seen_dirs.add(real)
        _walk_dir(walk, path)
        return
    _add_file(walk, path, real, info.st_mode)


def _add_file(walk: _Walk, path: Path, real: Path, mode: int) -> None:
    if not stat.S_ISREG(mode):
        _report(
            walk,
            path,
            "Y008",
            f"'{path.name}' is not a regular file ({_file_type(mode)})",
            "only ordinary files are read; replace it with a file",
        )
        return
    if real in walk.seen_files:
        first = walk.shown(walk.seen_files[real])  # type: ignore[operator]
        _report(
            walk,
            path,
            "Y009",
            f"'{path.name}' is the same file as {first}, which is already read",
            "remove the link or the copy: each file is read once",
        )
        return
    walk.seen_files[real] = path
    walk.files.append(path)
