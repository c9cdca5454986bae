"""File names built from data (a UPN, a pupil's id, a report's name): one sanitiser.

A UPN imported from a file can hold anything, ``../../../tmp/PWNED`` included. Every file name
that takes part of its text from data goes through :func:`safe_name`, and every file written
into a folder the user chose goes through :func:`file_in`, which refuses a name that would
land anywhere but directly in that folder.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import KnownError

MAX_PART = 60
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
# Names Windows keeps for devices, whatever the extension (CON.pdf opens the console).
_WINDOWS_DEVICES = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{i}" for i in range(1, 10)}
    | {f"LPT{i}" for i in range(1, 10)}
)


def safe_name(text: str, fallback: str = "file") -> str:
    """A part of a file name from data: ASCII letters, digits, ``-`` and ``_`` only.

    Every other run of characters (a slash, a backslash, dots, spaces, a colon, a control
    character, a letter with an accent) becomes one ``-``; the result never starts with a
    dot or a dash, is at most 60 characters, is never a Windows device name (CON, NUL...) and
    is never empty (``fallback``, itself made safe, stands in). A valid UPN is unchanged.
    """
    out = _UNSAFE.sub("-", str(text)).strip("-_")[:MAX_PART].strip("-_")
    if not out:
        out = _UNSAFE.sub("-", fallback).strip("-_") or "file"
    if out.upper() in _WINDOWS_DEVICES:
        out = f"{out}_"
    return out


def file_in(folder: Path | str, name: str) -> Path:
    """``folder / name``, refused (a ``KnownError``) unless it is a file directly in ``folder``.

    The check is on the resolved paths (``..``, an absolute name and a symbolic link out of
    the folder are all caught), so a name from data can never write outside the folder the
    user chose.
    """
    base = Path(folder)
    target = base / name
    try:
        inside = target.resolve().parent == base.resolve()
    except (OSError, RuntimeError):
        inside = False
    if not inside or Path(name).name != name or name in ("", ".", ".."):
        raise KnownError(
            f"Cannot write {name!r}: a file name made from the data would be outside the "
            f"folder {base}. Nothing was written there."
        )
    return target


__all__ = ["file_in", "safe_name"]
