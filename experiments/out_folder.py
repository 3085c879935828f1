"""The one rule for output folders (``--out``), and the lock that keeps one writer per folder.

Every command that writes results calls ``claim(out, kind, settings)`` before it starts
work. A folder is accepted when it is

- new (it does not exist yet), or an empty folder;
- a folder of the same kind of results (``manifest.json`` says ``output.kind``) for
  the same settings (``output.settings``, a hash of what determines the results):
  the command resumes or refreshes it.

Anything else is refused with exit code 2 and one message, before anything is written:
an existing file, a folder that cannot be written, a non-empty folder that hsr-careers
did not write (``--out .`` in a project folder, say), results of another kind (a batch
folder given to ``run --out``) or of other settings. ``force=True`` (``--force``) lets a
command replace hsr-careers results of another kind or other settings; it never deletes
a folder hsr-careers did not write, and never writes into a file or a read-only folder.

While a command works it holds ``.<name>.lock`` beside the folder: the owner's pid and
host, locked with ``flock`` so the lock dies with its process. A second process on the
same folder is refused, naming the owner; a lock file left by a process that is gone is
stale and taken over. If the command fails on bad input, folders it created are removed,
so a refused command leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import socket
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from experiments.errors import InputError
from experiments.owned_files import KIND_FILES, foreign, owned, read_manifest, record
from experiments.safe_files import open_lock_file, write_text

KINDS = {
    "run": "hsr-careers run",
    "compare": "hsr-careers compare",
    "batch": "hsr-careers batch",
    "sensitivity": "hsr-careers sensitivity",
    "calibration": "hsr-careers calibrate",
    "calibration_check": "hsr-careers calibrate --check",
    "ensemble": "hsr-careers compare --ensemble",
    "discovery": "hsr-careers discover",
    "optimise": "hsr-careers optimise",
}
IN_PLACE = frozenset({"batch", "sensitivity", "calibration", "optimise"})  # write into the folder as they go (resumable there)
MANIFEST = "manifest.json"


def settings_hash(settings: Any) -> str:
    """A stable short hash of the settings that determine a folder's results."""
    text = json.dumps(settings, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _legacy_kind(manifest: dict[str, Any]) -> str | None:
    """The kind of a manifest written before folders were marked (same tool, older version)."""
    command = manifest.get("command")
    if command in ("calibrate", "calibrate --check"):
        return "calibration" if command == "calibrate" else "calibration_check"
    if "fingerprint" in manifest and "sessions" in manifest:
        return "batch"
    if "factor_source" in manifest:
        return "sensitivity"
    if "scenarios" in manifest and "baseline" in manifest:
        return "compare"
    if "scenario" in manifest and "seeds" in manifest:
        return "run"
    return None


def read_marker(folder: Path) -> tuple[str | None, str | None] | None:
    """``(kind, settings)`` of a folder hsr-careers wrote, or None if it has no readable manifest of ours."""
    manifest = read_manifest(folder)
    if manifest is None:
        return None
    marker = manifest.get("output")
    if isinstance(marker, dict) and marker.get("kind") in KINDS:
        return marker["kind"], marker.get("settings")
    kind = _legacy_kind(manifest)
    return (kind, None) if kind else None


def _writable(path: Path) -> bool:
    """Whether this process may create files in ``path`` (mode bits too: root ignores them, users expect them)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return os.access(path, os.W_OK | os.X_OK) and bool(mode & stat.S_IWUSR)


def _existing_ancestor(path: Path) -> Path:
    for parent in path.parents:
        if parent.exists():
            return parent
    return Path(path.anchor or ".")


def check(out: Path, kind: str, settings: str, *, force: bool = False) -> str:
    """Decide whether ``kind`` results may be written to ``out``; raise ``InputError`` if not. Nothing is written.

    Returns ``"new"``, ``"empty"``, ``"same"`` (own kind and settings: resume),
    ``"legacy"`` (own kind from an older version, settings unknown: resume) or
    ``"replace"`` (other hsr-careers results, allowed by ``force``).
    """
    out = Path(out)
    what = KINDS[kind]
    if out.is_symlink() and not out.exists():
        raise InputError(f"--out: '{out}' is a broken symbolic link; give a folder")
    if out.is_symlink():
        raise InputError(f"--out: '{out}' is a symbolic link; give the folder itself (hsr-careers never writes through a link)")
    if out.exists() and not out.is_dir():
        raise InputError(f"--out: '{out}' exists and is a file, not a folder; give a new or empty folder (--force does not replace files)")
    if not out.exists():
        base = _existing_ancestor(out.absolute())
        if not base.is_dir() or not _writable(base):
            raise InputError(f"--out: cannot create '{out}': '{base}' is not a writable folder")
        return "new"
    if not _writable(out):
        raise InputError(f"--out: '{out}' is a read-only folder; give a folder this user can write")
    here = Path.cwd().resolve()
    if kind not in IN_PLACE and (out.resolve() == here or out.resolve() in here.parents):
        raise InputError(
            f"--out: '{out}' is the current folder (or holds it); {what} replaces its --out folder when done: give a folder inside it"
        )
    if not _writable(out.absolute().parent):
        raise InputError(f"--out: the folder holding '{out}' is read-only (its lock file and staging go there)")
    try:
        entries = [p.name for p in out.iterdir()]
    except OSError as exc:
        raise InputError(f"--out: cannot list '{out}' ({exc.strerror or exc})") from None
    if not entries:
        return "empty"
    marker = read_marker(out)
    if marker is None:
        shown = ", ".join(sorted(entries)[:3]) + (", ..." if len(entries) > 3 else "")
        raise InputError(
            f"--out: '{out}' is a non-empty folder that hsr-careers did not write (it holds {shown}); "
            "give a new or empty folder (--force never deletes files hsr-careers did not write)"
        )
    old_kind, old_settings = marker
    if old_kind == kind and old_settings == settings:
        return "same"
    if old_kind == kind and old_settings is None:
        return "legacy"
    if force:
        return "replace"
    if old_kind != kind:
        raise InputError(
            f"--out: '{out}' holds results of '{KINDS[old_kind]}', not of '{what}'; give another folder, "
            "or add --force to replace those results"
        )
    raise InputError(
        f"--out: '{out}' holds '{what}' results for other settings (settings hash {old_settings}, these are {settings}); "
        "give another folder, or add --force to replace them"
    )


def lock_path(out: Path) -> Path:
    """Where the lock of ``out`` lives: a hidden file beside it."""
    absolute = Path(os.path.abspath(out))
    return absolute.parent / f".{absolute.name}.lock"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _owner(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


@dataclass
class Lock:
    """A held lock on one output folder."""

    path: Path
    handle: Any = None

    def release(self) -> None:
        """Remove the lock file and release it (idempotent)."""
        if self.handle is None:
            return
        with contextlib.suppress(OSError):
            if os.path.samestat(os.fstat(self.handle.fileno()), os.stat(self.path)):
                self.path.unlink()
        self.handle.close()
        self.handle = None


def take_lock(out: Path, kind: str) -> Lock:
    """Lock ``out`` for this process, or raise ``InputError`` naming the process that holds it."""
    path = lock_path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - no flock (Windows): fall back to the pid in the file
        fcntl = None  # type: ignore[assignment]
    for _ in range(20):
        handle = open_lock_file(path, "--out")  # never through a link, never another user's file
        busy, by_pid = False, fcntl is None
        if fcntl is not None:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                busy = True
            except OSError:  # no flock on this file system (e.g. NFS without locking): go by the pid in the file
                by_pid = True
        previous = _owner(path)
        if by_pid:
            pid = previous.get("pid")
            busy = isinstance(pid, int) and pid != os.getpid() and previous.get("host") == socket.gethostname() and _pid_alive(pid)
        if busy:
            owner = previous
            handle.close()
            who = f"process {owner.get('pid', '?')} on {owner.get('host', '?')} ({owner.get('command', 'hsr-careers')})"
            raise InputError(f"--out: '{out}' is in use by {who}; wait for it to finish or give another folder (lock: {path})")
        try:  # the file may have been removed by its previous owner between our open and our lock: retry
            if not os.path.samestat(os.fstat(handle.fileno()), os.stat(path)):
                handle.close()
                continue
        except FileNotFoundError:
            handle.close()
            continue
        if previous.get("pid") and previous.get("pid") != os.getpid():
            print(
                f"note: {path} was left by process {previous['pid']} on {previous.get('host', '?')}, no longer running; taking it over",
                file=sys.stderr,
            )
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "command": KINDS[kind]}) + "\n")
        handle.flush()
        return Lock(path, handle)
    raise InputError(f"--out: could not take the lock '{path}'")  # pragma: no cover - 20 races in a row


@dataclass
class Claim:
    """A folder claimed by one command: where, what kind, which settings, and how it was found."""

    out: Path
    kind: str
    settings: str
    state: str
    created: list[Path] = field(default_factory=list)
    foreign: set[str] = field(default_factory=set)  # entries of ``out`` hsr-careers did not write: never touched

    @property
    def marker(self) -> dict[str, str]:
        """What goes under ``output`` in the folder's manifest."""
        return {"kind": self.kind, "settings": self.settings}


def _mkdirs(path: Path) -> list[Path]:
    """Create ``path`` and missing parents; return the folders created, deepest first."""
    made = []
    p = path.absolute()
    while not p.exists():
        made.append(p)
        p = p.parent
    path.mkdir(parents=True, exist_ok=True)
    return made


@contextlib.contextmanager
def claim(out: str | Path, kind: str, settings: Any, *, force: bool = False, stub: bool = True) -> Iterator[Claim]:
    """Check, lock and (for in-place kinds) prepare ``out`` for ``kind`` results; release at the end.

    ``settings`` is hashed with ``settings_hash`` (pass a hash string to use it as is).
    In-place kinds get a first ``manifest.json`` holding the marker (unless ``stub`` is
    False: the command writes its own at once). On an ``InputError`` raised inside the
    block, what this claim created is removed.
    """
    out = Path(out)
    digest = settings if isinstance(settings, str) else settings_hash(settings)
    state = check(out, kind, digest, force=force)
    made_parents = _mkdirs(out.absolute().parent)
    try:
        lock = take_lock(out, kind)
    except BaseException:
        _remove_empty(made_parents)
        raise
    try:
        state = check(out, kind, digest, force=force)  # again, now that no one else can change it
        old_kind = (read_marker(out) or (None, None))[0] if out.is_dir() else None
        c = Claim(out=out, kind=kind, settings=digest, state=state, created=list(made_parents))
        c.foreign = foreign(out, old_kind or kind) if out.is_dir() else set()
        if kind in IN_PLACE:
            if state == "replace":
                _clear(out, old_kind)
            if not out.exists():
                c.created = _mkdirs(out) + c.created
            if stub and (not (out / MANIFEST).is_file() or state == "replace"):
                marker = {**c.marker, "files": sorted(KIND_FILES[kind])}
                _write_json(out / MANIFEST, {"output": marker, "status": "started; the full manifest is written at the end"})
        try:
            yield c
            if kind in IN_PLACE and out.is_dir():  # what this command wrote: everything but what was there and not ours
                record(out, set(os.listdir(out)) - c.foreign)
        except InputError:  # bad input found late (e.g. by the engine): leave nothing this command created
            if out.absolute() in c.created:
                shutil.rmtree(out, ignore_errors=True)
            elif c.state == "empty" and out.is_dir():
                for child in out.iterdir():
                    shutil.rmtree(child, ignore_errors=True) if child.is_dir() else child.unlink(missing_ok=True)
            raise
    finally:
        lock.release()
        _remove_empty(made_parents)


def _remove_empty(folders: list[Path]) -> None:
    for d in folders:  # deepest first
        with contextlib.suppress(OSError):
            d.rmdir()


def _clear(out: Path, old_kind: str | None) -> None:
    """Remove the hsr-careers results in ``out`` (the names its manifest says we wrote); leave everything else."""
    for name in sorted(owned(out, old_kind)):
        p = out / name
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                p.unlink()


def _write_json(path: Path, data: dict) -> None:
    write_text(path, json.dumps(data, indent=2) + "\n", "manifest")
