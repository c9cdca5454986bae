"""Writing files safely: a file appears whole or not at all, and a folder that cannot be
written is refused in words (a :class:`KnownError`) before any work is done.

Used by every export, report, pack, calendar and backup that writes where the SENCO chose.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import KnownError


@contextlib.contextmanager
def atomic_path(path: Path | str) -> Iterator[Path]:
    """A temporary path in the target's folder, moved over ``path`` only if the block succeeds.

    The temporary file sits beside the target (never in the system's temp folder: sensitive
    exports are not left there) and is removed on any error or cancel.
    """
    target = check_writable(path)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise KnownError(f"Cannot write {target}: {_os_reason(exc)}.") from None
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        try:
            os.replace(tmp_path, target)
        except OSError as exc:
            raise KnownError(f"Cannot write {target}: {_os_reason(exc)}.") from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise


def _os_reason(exc: OSError) -> str:
    """An OSError in words, without the paths it names ("permission denied")."""
    return (exc.strerror or str(exc)).lower()


def check_writable(path: Path | str) -> Path:
    """``path`` as a Path if a file can be written there, else a KnownError saying why.

    Called before a long job (building a workbook or a PDF), so a bad name is refused
    before anything is done; ``atomic_path`` calls it too.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise KnownError(f"Cannot write {target}: the folder {folder} does not exist.")
    if target.is_dir():
        raise KnownError(f"Cannot write {target}: it is a folder; give a file name.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise KnownError(f"Cannot write {target}: the folder {folder} is read-only for you.")
    return target


def make_folder(path: Path | str) -> Path:
    """Create the folder ``path`` (and its parents) if needed, or a KnownError saying why not."""
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise KnownError(f"Cannot write into {folder}: it is a file, not a folder.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KnownError(f"Cannot create the folder {folder}: {_os_reason(exc)}.") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise KnownError(f"Cannot write into {folder}: it is read-only for you.")
    return folder
