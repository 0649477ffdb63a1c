"""Writing a user's files safely: the old content or the new, never half of either, and never
at the cost of what is there. As `cp` does, a symbolic link is written through (its target is
replaced, the link kept), and a device node or FIFO is written into, never replaced."""
from __future__ import annotations

import errno
import os
import shutil
import signal
import stat
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it over: readers never see half a file."""
    with atomic_file(path, "wb") as out:
        out.write(data)


@contextmanager
def atomic_file(path: Path, mode: str = "w") -> Iterator[IO]:
    """A temporary file beside ``path`` (text is UTF-8, line ends as written), renamed over it
    once the block has written it whole; removed if the block fails or SIGTERM arrives.

    ``path`` may be a symbolic link: its target is written. A device node or FIFO (anything
    that is not a regular file), or a file with no path of its own (`/dev/stdout`), is opened
    and written directly. A file that the rename would
    change beyond its content (one with several hard links, or an owner the new file cannot be
    given) is written in place from the finished temporary file: not atomic, but it stays the
    same file."""
    text = {} if "b" in mode else {"encoding": "utf-8", "newline": ""}
    existing = _stat(path)  # through symbolic links
    if existing is None and path.is_symlink():
        # As `cp` does: someone else's link in a shared folder must not make us create the file it names.
        raise OSError(errno.ENOENT, "not writing through a dangling symbolic link", str(path))
    target = Path(os.path.realpath(path))
    if existing is not None and not (stat.S_ISREG(existing.st_mode) and _same_file(_stat(target), existing)):
        # A device node or FIFO; or a file reached through a link with no real path (/dev/stdout is
        # /proc/self/fd/1, which may be a pipe or a deleted file): only ever written into.
        with open(path, mode, **text) as out:
            yield out
        return
    with _sigterm_raises():
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, mode, **text) as out:
                yield out
            if existing is not None and (existing.st_nlink > 1 or not _same_owner(temporary, existing)):
                shutil.copyfile(temporary, target)
                os.unlink(temporary)
                return
            # mkstemp makes the file private; give it the mode of the file it replaces, or the
            # mode a plain write would have.
            os.chmod(temporary, stat.S_IMODE(existing.st_mode) if existing else 0o666 & ~_umask())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except FileNotFoundError:
        return None


def _same_file(one: os.stat_result | None, other: os.stat_result) -> bool:
    return one is not None and (one.st_dev, one.st_ino) == (other.st_dev, other.st_ino)


def _same_owner(temporary: str, existing: os.stat_result) -> bool:
    """Give the temporary file the owner and group of the file it replaces: false when that is
    not permitted (only root may give a file away; a user may pick only their own groups)."""
    made = os.stat(temporary)
    if (made.st_uid, made.st_gid) == (existing.st_uid, existing.st_gid):
        return True
    try:
        os.chown(temporary, existing.st_uid, existing.st_gid)
    except PermissionError:
        return False
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class _Terminated(BaseException):
    """Raised by SIGTERM inside `_sigterm_raises`, so that cleanup (`except`, `finally`) runs."""


def _raise_terminated(signum, frame):
    raise _Terminated()


@contextmanager
def _sigterm_raises() -> Iterator[None]:
    """While the block runs, SIGTERM raises `_Terminated` so the block's cleanup removes its
    temporary file; the process then ends by the signal all the same. Only where SIGTERM has
    its default action (a program that handles or ignores it keeps its own way), and only in
    the main thread (the only one Python runs signal handlers in)."""
    if threading.current_thread() is not threading.main_thread() or \
            signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        yield
        return
    signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    except _Terminated:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.raise_signal(signal.SIGTERM)  # ends the process, as the signal would have at once
        raise
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
