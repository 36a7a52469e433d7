"""Write a report so that it is whole or absent: never half a file, never over an input.

A report goes to a unique temporary file in the target's folder, is flushed to disk, and
then replaces the target in one step (os.replace), so a reader sees the old file or the
new one. The temporary file is removed on any failure, Ctrl-C or termination signal.
`-` and special files such as /dev/stdout or a named pipe are written to directly.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType


class OutputError(Exception):
    """The report cannot be written where asked; the message names the path."""


class Interrupted(BaseException):
    """Ctrl-C or a termination signal; a BaseException so that nothing swallows it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum  # the shell's convention: 130 for Ctrl-C


def _raise_interrupted(signum: int, frame: FrameType | None) -> None:
    raise Interrupted(signum)


@contextmanager
def signals_interrupt() -> Iterator[None]:
    """Within the block, SIGINT, SIGTERM and SIGHUP raise Interrupted (cleanup then runs)."""
    wanted = [signal.SIGINT, signal.SIGTERM] + (
        [signal.SIGHUP] if hasattr(signal, "SIGHUP") else []
    )
    previous = {}
    for signum in wanted:
        try:
            previous[signum] = signal.signal(signum, _raise_interrupted)
        except ValueError:  # not the main thread: leave the signals alone
            continue
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def check_output_target(output: Path, input_folders: Iterable[Path]) -> None:
    """Refuse, before any work, an output that would land on or among the input files."""
    if str(output) == "-" or _is_special(output):
        return
    target = Path(os.path.realpath(output))
    for folder in input_folders:
        real = Path(os.path.realpath(folder))
        if target == real or target.is_relative_to(real):
            raise OutputError(
                f"--output '{output}' is inside the input folder '{folder}'; the report "
                "could overwrite a fact, rule or source file (or be read as one next time). "
                "Write it to another folder."
            )
    if target.is_dir():
        raise OutputError(f"--output '{output}' is a folder; give a file name")
    if not target.parent.is_dir():
        raise OutputError(f"cannot write '{output}': the folder '{target.parent}' does not exist")


def _is_special(path: Path) -> bool:
    """An existing file that is not regular (a terminal, a pipe, /dev/stdout, /dev/null)."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode) and not stat.S_ISDIR(os.stat(path).st_mode)
    except OSError:
        return False


def write_output(output: Path, text: str) -> bool:
    """Write text to output whole or not at all; OutputError names the path on failure.
    True when a file was written, False for '-' and special files."""
    data = text.encode("utf-8")
    if str(output) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return False
    if _is_special(output):
        try:
            with open(output, "wb") as stream:
                stream.write(data)
        except OSError as exc:
            raise OutputError(f"cannot write '{output}': {exc.strerror or exc}") from None
        return False
    folder = output.parent if str(output.parent) else Path(".")
    import tempfile  # only to write: 4 ms of a start that reads everything

    try:
        # Closed by the `with` below; it must outlive it for the rename.
        tmp = tempfile.NamedTemporaryFile(  # noqa: SIM115
            dir=folder, prefix=f".{output.name}.", suffix=".partial", delete=False
        )
    except OSError as exc:
        raise OutputError(f"cannot write '{output}': {exc.strerror or exc}") from None
    try:
        with tmp:
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.chmod(tmp.name, _mode_for(output))
        os.replace(tmp.name, output)  # atomic; replaces a link itself, never its target
        return True
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp.name)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write '{output}': {exc.strerror or exc}") from None
        raise


def _mode_for(output: Path) -> int:
    """Keep an existing report's permissions; a new one gets the usual umask default."""
    try:
        info = os.stat(output, follow_symlinks=False)
        if stat.S_ISREG(info.st_mode):
            return stat.S_IMODE(info.st_mode)
    except OSError:
        pass
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask
