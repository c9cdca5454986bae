"""What every rule shares: the shape of its arguments and how it reads a field's value after the
change."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..validate import Checker

Values = Mapping[str, Any]
Current = Mapping[str, Any] | None
SCHOOL_PHASES = (
    "nursery",
    "infant",
    "junior",
    "primary",
    "middle",
    "secondary",
    "all_through",
    "special",
)


def _cur(current: Current) -> Mapping[str, Any]:
    return current or {}


def _now(c: Checker, name: str, current: Current) -> Any:
    """A field's value after the change: the new value if given, else the stored one."""
    return c.out[name] if name in c.out else _cur(current).get(name)


def _req(current: Current, name: str, values: Values) -> bool:
    """Required when creating, and never blanked on an update."""
    return current is None or name in values
