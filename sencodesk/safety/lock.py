"""One writer per SQLite file: an OS-locked ``<db>.lock`` file beside the database.

The lock is an OS file lock (``fcntl.flock`` on POSIX, ``msvcrt.locking`` on Windows), so it
dies with the process that holds it: a lock left by a crashed or killed app is simply taken
over. The file's text (pid, host, user, time) only tells the next opener who has it.
Within one process the lock is shared (counted), so the app may open the same file twice.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import socket
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import DatabaseLocked, LockInfo

# Windows locks are mandatory: lock one byte far past the text so others can still read it.
_WIN_LOCK_OFFSET = 1 << 30


def lock_path(db: Path) -> Path:
    return db.with_name(db.name + ".lock")


@dataclass
class _Held:
    path: Path
    fd: int
    count: int


_held: dict[str, _Held] = {}
_guard = threading.Lock()


class DbLock:
    """A claim on the writer's lock; ``release()`` once (or use as a context manager)."""

    def __init__(self, key: str) -> None:
        self._key: str | None = key

    @property
    def path(self) -> Path | None:
        held = _held.get(self._key) if self._key else None
        return held.path if held else None

    def release(self) -> None:
        with _guard:
            key, self._key = self._key, None
            if key is None:
                return
            held = _held[key]
            held.count -= 1
            if held.count == 0:
                del _held[key]
                _unlock(held.fd, held.path)

    def __enter__(self) -> DbLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def acquire(db: Path, *, user: str | None = None, now: dt.datetime | None = None) -> DbLock:
    """Take the writer's lock on a database file, or raise ``DatabaseLocked``."""
    path = lock_path(Path(os.path.abspath(db)))
    key = os.path.normcase(str(path))
    with _guard:
        held = _held.get(key)
        if held is not None:
            held.count += 1
            return DbLock(key)
        fd = _lock(path, Path(db))
        info = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "user": user or _login(),
            "since": (now or dt.datetime.now()).replace(microsecond=0).isoformat(),
        }
        try:
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, json.dumps(info).encode("utf-8"))
        except OSError:
            pass  # the text is a courtesy; the OS lock is what counts
        _held[key] = _Held(path, fd, 1)
        return DbLock(key)


@contextlib.contextmanager
def locked(db: Path, *, user: str | None = None) -> Iterator[DbLock]:
    lk = acquire(db, user=user)
    try:
        yield lk
    finally:
        lk.release()


def read_info(db: Path) -> LockInfo | None:
    """What the lock file says (it may be stale: only the OS lock is authoritative)."""
    try:
        return _parse(lock_path(Path(db)).read_bytes())
    except OSError:
        return None


def _parse(raw: bytes) -> LockInfo | None:
    try:
        d = json.loads(raw.decode("utf-8"))
        return LockInfo(
            pid=int(d["pid"]),
            host=str(d["host"]),
            user=str(d["user"]),
            since=dt.datetime.fromisoformat(d["since"]),
        )
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return None


def _login() -> str:
    from ..audit import default_user

    return default_user()


def _read_fd(fd: int) -> bytes:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        return os.read(fd, 4096)
    except OSError:
        return b""


if sys.platform == "win32":  # pragma: no cover - not exercised on the Linux CI
    import msvcrt

    def _lock(path: Path, db: Path) -> int:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_BINARY, 0o600)
        try:
            os.lseek(fd, _WIN_LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            info = _parse(_read_fd(fd))
            os.close(fd)
            raise DatabaseLocked(db, info) from None
        return fd

    def _unlock(fd: int, path: Path) -> None:
        try:
            os.ftruncate(fd, 0)
            os.lseek(fd, _WIN_LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass
        os.close(fd)
        with contextlib.suppress(OSError):  # another process may have it open: leave it
            path.unlink()

else:
    import fcntl

    def _lock(path: Path, db: Path) -> int:
        for _ in range(10):
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                info = _parse(_read_fd(fd))
                os.close(fd)
                if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise DatabaseLocked(db, info) from None
                raise
            # The holder unlinks the file as it lets go: make sure we locked the file that
            # is still at the path, not one that was just removed.
            try:
                same = os.stat(path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:
                return fd
            os.close(fd)
        raise DatabaseLocked(db, None)

    def _unlock(fd: int, path: Path) -> None:
        with contextlib.suppress(OSError):
            path.unlink()  # while still locked, so nobody locks a file that is going away
        os.close(fd)
