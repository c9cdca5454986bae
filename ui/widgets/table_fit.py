"""Fitting a table's columns to the room it has: how many rows are measured, the paddings, and
``share_width``, which shares the width out by tiers (pure arithmetic, tested apart)."""

from __future__ import annotations

from collections.abc import Sequence

from ..models.base import FIRST, WHOLE

FIT_SAMPLE = 400  # rows measured when fitting the columns (the first ones shown)
MAX_FIT = 380  # no column is widened past this for its text alone (long notes elide)
CELL_PAD = 12  # a cell's margins either side of its text
HEAD_PAD = 28  # a header's padding and room for the sort arrow


def _fill(natural: Sequence[int], floor: Sequence[int], cols: Sequence[int], room: int) -> int:
    """The highest ceiling under which ``cols`` (each kept above its floor) fit in ``room``."""
    lo, hi = 0, max((natural[c] for c in cols), default=0)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if sum(min(natural[c], max(mid, floor[c])) for c in cols) <= room:
            lo = mid
        else:
            hi = mid - 1
    return lo


def share_width(
    natural: Sequence[int], squeeze: Sequence[int], floor: Sequence[int], room: int
) -> list[int]:
    """Each column's width in ``room`` pixels: its natural width when all fit (the spare to
    free text longer than MAX_FIT, if any); else the FIRST columns give way, then the
    AS_NEEDED ones (the widest first, each down to its floor; WHOLE ones never); and when
    even that cannot fit, those columns stay at their floors and the table scrolls sideways
    for the rest: the first columns (whose, until when, the gap: the model's KEY_COLUMNS)
    stay in view rather than a long name pushing them off a 1024-pixel screen."""
    widths = list(natural)
    n = len(widths)
    spare = room - sum(widths)
    if spare >= 0:
        # Free text cut at MAX_FIT shows more; with none, the last column stretches.
        takers = [c for c in range(n) if widths[c] >= MAX_FIT and squeeze[c] == FIRST]
        for c in takers:
            widths[c] += spare // len(takers)
        return widths
    for tier in (FIRST, WHOLE + 1):
        cols = [c for c in range(n) if widths[c] and squeeze[c] >= tier]
        rest = sum(widths[c] for c in range(n) if c not in cols)
        if sum(floor[c] for c in cols) <= room - rest:
            level = _fill(widths, floor, cols, room - rest)
            for c in cols:
                widths[c] = min(widths[c], max(level, floor[c]))
            return widths
        for c in cols:  # not enough: these go to their floor, and the next tier gives too
            widths[c] = floor[c]
    return widths
