"""A workaround for a reference-count bug in PySide6 6.12.0.

``Signal.emit()`` there returns ``True`` without taking a reference to it, so every emit from
Python (``page.loaded.emit()``, a model's ``dataChanged.emit(...)``) takes one reference away
from ``True``. On Python 3.12 and later ``True`` is immortal and nothing happens; on 3.11 its
count falls with use until Python aborts ("bool_dealloc: deallocating True or False"), at the
latest when the app exits. Measured: each emit lowers ``sys.getrefcount(True)`` by one.

With PySide6 6.12.0 on an affected Python the fix gives ``True`` (and ``False``) a billion extra references, as
3.12 makes them immortal. Nothing else is touched; remove this module when the pinned PySide6
no longer has the bug.
"""

from __future__ import annotations

import sys

import PySide6

EXTRA = 1_000_000_000
AFFECTED = ("6.12.0",)  # the PySide6 versions with the bug (pyproject.toml excludes them)


def make_bools_immortal(pyside_version: str = PySide6.__version__) -> bool:
    """Returns True if it changed anything."""
    if pyside_version not in AFFECTED:
        return False
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    if getattr(sys, "_sencodesk_bools_immortal", False):
        return False
    import ctypes  # only here: 5 ms of start-up otherwise

    for value in (True, False):
        ctypes.c_ssize_t.from_address(id(value)).value += EXTRA
    sys._sencodesk_bools_immortal = True  # type: ignore[attr-defined]
    return True


make_bools_immortal()
