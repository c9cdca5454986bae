"""Column types that keep money and fractional quantities exact on SQLite and PostgreSQL.

SQLite has no decimal type: a ``Numeric`` column comes back as a float there. We store a
decimal as a scaled integer (pence for money, thousandths of a week for paid weeks), which
is exact, sorts correctly and is the same on both databases.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import BigInteger, Dialect
from sqlalchemy.types import TypeDecorator


class ScaledDecimal(TypeDecorator[Decimal]):
    """A Decimal stored as an integer of ``10**scale`` units."""

    impl = BigInteger
    cache_ok = True

    def __init__(self, scale: int) -> None:
        super().__init__()
        self.scale = scale
        self._quantum = Decimal(1).scaleb(-scale)
        self._factor = 10**scale

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        if value is None:
            return None
        d = value if isinstance(value, Decimal) else Decimal(str(value))
        return int(d.quantize(self._quantum, rounding=ROUND_HALF_UP) * self._factor)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(int(value)) / self._factor).quantize(self._quantum)


def Money() -> ScaledDecimal:  # noqa: N802 - reads like a type in the model
    """Pounds and pence, stored as pence."""
    return ScaledDecimal(2)


def Weeks() -> ScaledDecimal:  # noqa: N802
    """Weeks to three decimals (43.108 paid weeks), stored as thousandths."""
    return ScaledDecimal(3)


def Percent() -> ScaledDecimal:  # noqa: N802
    """A percentage to two decimals, stored as hundredths."""
    return ScaledDecimal(2)
