"""How a person's name is shown and sorted (pupils and staff)."""

from __future__ import annotations


def display_name(first: str, last: str, preferred: str = "") -> str:
    """What people call the pupil or member of staff: preferred (or first) name and surname."""
    return f"{(preferred or first).strip()} {last.strip()}".strip()


def sort_name(first: str, last: str, preferred: str = "") -> str:
    return f"{last.strip()}, {(preferred or first).strip()}"
