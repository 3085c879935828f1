"""Create and replace files without following links or replacing what is not ours.

Results often go to shared places (``/tmp``, a group share) where anyone may plant a
symbolic link, a FIFO or a device node at the name the tool is about to write. Every
lock file, staging folder, run store and output file is therefore made here:

* files are opened with ``O_NOFOLLOW`` (a link at the name is refused, never followed)
  and new ones with ``O_EXCL`` (a name someone else created in the meantime is refused);
* an existing name is checked with ``lstat``: it must be a regular file (or a folder)
  owned by this user, else the command stops with exit code 2 naming it;
* outputs are written to a fresh temporary file in the destination folder and renamed
  over the name, so a reader never sees half a file and a link at the name is replaced,
  never written through (and is refused first, because it is not ours to replace);
* a full disk or a read-only folder is one clear error, and the temporary file is gone.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from experiments.errors import InputError

NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISLNK, "a symbolic link"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a device"),
                       (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder")):  # fmt: skip
        if test(mode):
            return name
    return "not a regular file"


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC or "No space left" in str(exc):
        return "the disk is full"
    if exc.errno == errno.EDQUOT:
        return "the disk quota is exceeded"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "the folder is read-only for this user"
    return exc.strerror or str(exc)


def check_own(path: Path, what: str, *, folder: bool = False) -> bool:
    """Whether ``path`` exists; raise ``InputError`` unless it is a plain file (``folder``: a folder) owned by this user.

    A symbolic link, device, FIFO or socket at ``path`` is refused whoever owns it: the
    tool never writes through one or replaces one.
    """
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise InputError(f"{what}: cannot inspect '{path}' ({_reason(exc)})") from None
    wanted = stat.S_ISDIR if folder else stat.S_ISREG
    if not wanted(st.st_mode):
        raise InputError(
            f"{what}: '{path}' is {_kind(st.st_mode)}, not {'a folder' if folder else 'a regular file'} hsr-careers made; "
            "remove it or give another --out (hsr-careers never follows or replaces it)"
        )
    if hasattr(os, "geteuid") and st.st_uid != os.geteuid():
        raise InputError(f"{what}: '{path}' belongs to another user (uid {st.st_uid}); remove it or give another --out")
    return True


def private_dir(path: Path, what: str) -> Path:
    """Create folder ``path`` (mode 0700) or reuse our own folder there; never a link or another user's folder."""
    path = Path(path)
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        check_own(path, what, folder=True)
        with contextlib.suppress(OSError):
            os.chmod(path, 0o700, follow_symlinks=False)
    except OSError as exc:
        raise InputError(f"{what}: cannot create '{path}' ({_reason(exc)})") from None
    return path


def open_lock_file(path: Path, what: str) -> IO[str]:
    """Open (create if missing) the lock file ``path`` for reading and writing, never through a link."""
    flags = os.O_RDWR | os.O_CREAT | NOFOLLOW | CLOEXEC
    try:
        fd = os.open(path, flags, 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(f"{what}: '{path}' is a symbolic link; remove it (hsr-careers never follows it)") from None
        raise InputError(f"{what}: cannot create the lock file '{path}' ({_reason(exc)})") from None
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode) or (hasattr(os, "geteuid") and st.st_uid != os.geteuid()):
        os.close(fd)
        check_own(path, what)  # names what it is
        raise InputError(f"{what}: '{path}' is not a lock file of this user; remove it")  # pragma: no cover - raced
    return os.fdopen(fd, "r+", encoding="utf-8")


@contextlib.contextmanager
def _temporary(path: Path, what: str) -> Iterator[tuple[int, Path]]:
    """A new file beside ``path`` (``O_EXCL|O_NOFOLLOW``), removed unless renamed."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW | CLOEXEC, 0o666)
    except OSError as exc:
        raise InputError(f"{what}: cannot write '{path}' ({_reason(exc)})") from None
    try:
        yield fd, tmp
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_bytes(path: str | Path, data: bytes, what: str = "output") -> Path:
    """Write ``data`` to ``path`` atomically: a new temporary file in the same folder, renamed over ``path``.

    An existing ``path`` must be our own regular file; a link, device or FIFO is refused
    (``report --out /dev/null`` never replaces the device). A full disk or a read-only
    folder is an ``InputError`` and leaves ``path`` as it was.
    """
    path = Path(path)
    check_own(path, what)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        writable = os.access(folder, os.W_OK | os.X_OK) and bool(os.stat(folder).st_mode & stat.S_IWUSR)
    except OSError:
        writable = False
    if not writable:  # mode bits too: root ignores them, users expect them
        raise InputError(f"{what}: cannot write '{path}' (the folder '{folder}' is missing or read-only for this user)")
    with _temporary(path, what) as (fd, tmp):
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
            check_own(path, what)  # again, just before the rename
            os.replace(tmp, path)
        except OSError as exc:
            raise InputError(f"{what}: cannot write '{path}' ({_reason(exc)})") from None
    return path


def write_text(path: str | Path, text: str, what: str = "output") -> Path:
    """``write_bytes`` of ``text`` in UTF-8 (whatever the locale says)."""
    return write_bytes(path, text.encode("utf-8"), what)


def replace_into(tmp: Path, path: Path, what: str = "output") -> None:
    """Rename the finished file ``tmp`` over ``path``, refusing a ``path`` that is a link or not ours."""
    check_own(path, what)
    try:
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise InputError(f"{what}: cannot write '{path}' ({_reason(exc)})") from None


def is_disk_error(exc: OSError) -> bool:
    """Whether ``exc`` says the disk is full or the folder read-only (not a bug to show as a traceback)."""
    codes = (errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EPERM, errno.EROFS)
    return exc.errno in codes or "No space left" in str(exc) or "Disk quota" in str(exc)


def disk_error(exc: OSError, path: Path | str, what: str = "output") -> InputError:
    """The one-line error for an ``OSError`` while writing ``path``."""
    return InputError(f"{what}: cannot write '{path}' ({_reason(exc)})")
