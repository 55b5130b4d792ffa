"""Writing files atomically: the one helper every report, export, cache and session save uses.

A file is written to a temporary file beside its target and renamed over it, so a reader
never sees half a file and a failure keeps the old one. The rename keeps what a user expects
of the target: a symlink is followed (the file it points to is replaced, the link stays), an
existing file keeps its permission bits, a new one gets the usual ones (0666 less the umask).
A device or pipe (``/dev/stdout``, a FIFO, ``/dev/full``) is written straight through.

``OSError`` is raised as it is; :func:`write_error_message` turns it into one plain line.
The command line turns SIGTERM and SIGHUP into an exit that runs the cleanup here
(:func:`exit_on_termination`), so no temporary file is left behind, as with Ctrl+C.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def _umask() -> int:
    try:  # Linux says it without changing it (os.umask would, for a moment, in every thread)
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_NEW_FILE_MODE = 0o666 & ~_umask()


def resolve_target(path: Path) -> Path:
    """Where writing ``path`` really lands: ``~`` expanded, symlinks followed."""
    path = path.expanduser()
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def is_device(path: Path) -> bool:
    """A character/block device, FIFO or socket: written through, never renamed over."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


@contextmanager
def replacing(path: Path, *, folder: bool = False) -> Iterator[Path]:
    """A temporary path beside ``path`` to fill; renamed over ``path`` when the block ends.

    ``folder=True``: a temporary folder, for a folder target (a converted model); if another
    process put the folder there first, theirs is kept. On any exception (Ctrl+C and the
    command line's SIGTERM/SIGHUP exits included) the temporary is removed and the target is
    left as it was."""
    target = resolve_target(path)
    if target.is_dir() and not folder:
        raise IsADirectoryError(errno.EISDIR, "is a folder", str(path))
    parent = target.parent
    if folder:
        temporary = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=parent))
    else:
        # The target's suffix last: libraries that fill the path pick the format by it.
        handle, name = tempfile.mkstemp(
            prefix=f".{target.stem}.", suffix=f".partial{target.suffix}", dir=parent
        )
        os.close(handle)
        temporary = Path(name)
    try:
        yield temporary
        if folder:
            try:
                os.replace(temporary, target)
            except OSError:
                if not target.is_dir():
                    raise
        else:
            try:
                mode = stat.S_IMODE(target.stat().st_mode)
            except OSError:
                mode = _NEW_FILE_MODE  # mkstemp made it private; a new file is an ordinary one
            os.chmod(temporary, mode)
            os.replace(temporary, target)
    finally:
        if folder:
            shutil.rmtree(temporary, ignore_errors=True)
        else:
            temporary.unlink(missing_ok=True)


def write_atomic(path: Path, content: str | bytes | Iterable[str | bytes]) -> None:
    """Write ``content`` (whole, or in pieces: an iterable of str/bytes written as they come,
    so a streamed report never exists whole in memory) to ``path`` atomically."""
    if not isinstance(content, (str, bytes, Iterable)):
        raise TypeError(f"cannot write {type(content).__name__} to a file")
    pieces: Iterable[str | bytes] = [content] if isinstance(content, (str, bytes)) else content

    def write(out: Any) -> None:
        for piece in pieces:
            out.write(piece.encode("utf-8") if isinstance(piece, str) else piece)

    path = path.expanduser()
    if is_device(path):  # stat follows links: /dev/stdout is the pipe or terminal it names
        with path.open("wb") as out:
            write(out)
        return
    with replacing(path) as temporary, temporary.open("wb") as out:
        write(out)


def write_atomic_with(path: Path, fill: Callable[[Path], Any], *, folder: bool = False) -> None:
    """``fill(temporary_path)`` writes the file (or folder) a library makes; then rename."""
    with replacing(path, folder=folder) as temporary:
        fill(temporary)


def write_error_message(path: Path, err: OSError) -> str:
    """One plain line: why ``path`` could not be written, and what to do."""
    shown = str(path)
    parent = resolve_target(path).parent
    code = err.errno
    if isinstance(err, IsADirectoryError) or code == errno.EISDIR:
        return f"{shown} is a folder: give a file name to write the report to"
    if isinstance(err, FileNotFoundError) or code == errno.ENOENT:
        return f"cannot write {shown}: the folder {parent} does not exist (create it first)"
    if isinstance(err, NotADirectoryError) or code == errno.ENOTDIR:
        return f"cannot write {shown}: a part of the path is a file, not a folder"
    if code == errno.EROFS:
        return f"cannot write {shown}: the file system is read-only; choose another place"
    if isinstance(err, PermissionError) or code in (errno.EACCES, errno.EPERM):
        return (
            f"cannot write {shown}: permission denied (is the folder {parent} read-only?); "
            "choose another place"
        )
    if code in (errno.ENOSPC, errno.EDQUOT):
        return f"cannot write {shown}: no space left on the device; free some or choose another"
    return f"cannot write {shown}: {err.strerror or err}"


class Terminated(SystemExit):
    """SIGTERM/SIGHUP, raised where the program is, so every cleanup on the way out runs."""


@contextmanager
def exit_on_termination() -> Iterator[None]:
    """While the block runs (in the main thread of a command-line run): SIGTERM and SIGHUP
    exit like Ctrl+C does, through the ``finally`` blocks (temporary files removed), with
    status 128 + signal. The previous handlers come back afterwards."""

    def terminate(number: int, _frame: Any) -> None:
        raise Terminated(128 + number)

    previous: dict[int, Any] = {}
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None:
            previous[number] = signal.signal(number, terminate)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
