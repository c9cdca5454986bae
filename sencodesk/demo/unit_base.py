"""What every part of a unit shares: the builder, its random source, the plan and the people."""

from __future__ import annotations

import datetime as dt

from .people import _Kid, _Person
from .school import _Builder

# =========================================================================== one unit

_TIMES = [dt.time(9, 0), dt.time(9, 30), dt.time(13, 30), dt.time(14, 0), dt.time(15, 30)]
_BROAD = ["communication", "cognition", "semh", "sensory_physical"]
_PFA = ["pfa_employment", "pfa_independent_living", "pfa_community", "pfa_health"]


class _UnitBase:
    def __init__(
        self, builder: _Builder, e_kids: list[tuple[_Kid, str]], k_kids: list[_Kid]
    ) -> None:
        self.b = builder
        self.r = builder.rng
        self.plan = builder.plan
        self.today = builder.today
        self.e_kids = e_kids
        self.k_kids = k_kids
        self.people: dict[str, _Person] = {}
        self.order: list[_Person] = []
        self.senco: _Person  # hired first, by ``_Unit.build``
