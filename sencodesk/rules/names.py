"""How a person's name is shown and sorted (pupils and staff)."""

from __future__ import annotations


def names(first: str, last: str, preferred: str = "") -> tuple[str, str]:
    """The name shown and the name sorted by, in one call (a list of 20,000 pupils wants
    both): ``(display_name(...), sort_name(...))``."""
    given = (preferred or first).strip()
    family = last.strip()
    return f"{given} {family}".strip(), f"{family}, {given}"


def display_name(first: str, last: str, preferred: str = "") -> str:
    """What people call the pupil or member of staff: preferred (or first) name and surname."""
    return names(first, last, preferred)[0]


def sort_name(first: str, last: str, preferred: str = "") -> str:
    return names(first, last, preferred)[1]
