"""Field checks shared by the commands: each collects every problem before anything is written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from .errors import ValidationError

MAX_WEEKLY_MINUTES = 60 * 60  # nobody is contracted or supported for more than 60 h a week


class Checker:
    """Collects field errors; ``done()`` raises them all at once."""

    def __init__(self, values: Mapping[str, Any], *, new: bool = True) -> None:
        #: defaults fill missing fields only when a record is created, never on an update
        self.new = new
        self.values = dict(values)
        self.errors: dict[str, str] = {}
        self.out: dict[str, Any] = {}
        #: the longest text each text field takes (``checks.text_limits`` reads it)
        self.limits: dict[str, int] = {}

    def fail(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    def _get(self, name: str) -> tuple[bool, Any]:
        if name not in self.values:
            return False, None
        return True, self.values[name]

    def _blank(self, name: str, present: bool, v: Any, *, required: bool) -> bool:
        """True when the field is missing or empty (and then dealt with): "is required" if it
        must have a value, else an empty value given clears the field."""
        if present and v not in (None, ""):
            return False
        if required:
            self.fail(name, "is required")
        elif present:
            self.out[name] = None
        return True

    def text(
        self, name: str, *, required: bool = False, max_len: int = 200, default: str | None = ""
    ) -> None:
        self.limits[name] = max_len
        present, v = self._get(name)
        if not present:
            if required:
                self.fail(name, "is required")
            elif default is not None and self.new:
                self.out.setdefault(name, default)
            return
        v = "" if v is None else str(v).strip()
        if required and not v:
            self.fail(name, "is required")
        elif len(v) > max_len:
            self.fail(name, f"is too long (at most {max_len} characters)")
        else:
            self.out[name] = v

    def choice(
        self, name: str, choices: Iterable[str], *, required: bool = True, nullable: bool = False
    ) -> None:
        present, v = self._get(name)
        if not present:
            if required:
                self.fail(name, "is required")
            return
        if v in (None, "") and nullable:
            self.out[name] = None
            return
        allowed = [str(c) for c in choices]
        if str(v) not in allowed:
            self.fail(name, f"must be one of {', '.join(allowed)} (not {v!r})")
        else:
            self.out[name] = str(v)

    def date(self, name: str, *, required: bool = False) -> None:
        present, v = self._get(name)
        if self._blank(name, present, v, required=required):
            return
        if isinstance(v, dt.datetime):
            v = v.date()
        if isinstance(v, str):
            try:
                v = parse_date(v)
            except ValueError:
                self.fail(name, "must be a date as dd/mm/yyyy")
                return
        if not isinstance(v, dt.date):
            self.fail(name, "must be a date")
            return
        if not dt.date(1900, 1, 1) <= v <= dt.date(2200, 12, 31):
            self.fail(name, "is not a plausible date")
            return
        self.out[name] = v

    def datetime(self, name: str, *, required: bool = True) -> None:
        present, v = self._get(name)
        if not present or v in (None, ""):
            if required:
                self.fail(name, "is required")
            return
        if isinstance(v, str):
            try:
                v = dt.datetime.fromisoformat(v)
            except ValueError:
                self.fail(name, "must be a date and time")
                return
        if not isinstance(v, dt.datetime):
            self.fail(name, "must be a date and time")
            return
        if not dt.date(1900, 1, 1) <= v.date() <= dt.date(2200, 12, 31):
            self.fail(name, "is not a plausible date")
            return
        self.out[name] = v.replace(tzinfo=None, microsecond=0)

    def integer(
        self,
        name: str,
        *,
        required: bool = False,
        low: int | None = None,
        high: int | None = None,
        nullable: bool = True,
    ) -> None:
        present, v = self._get(name)
        if self._blank(name, present, v, required=required or (present and not nullable)):
            return
        try:
            if isinstance(v, bool) or (isinstance(v, float) and not v.is_integer()):
                raise ValueError
            n = int(v)
        except (TypeError, ValueError):
            self.fail(name, "must be a whole number")
            return
        if low is not None and n < low:
            self.fail(name, f"must be at least {low}")
        elif high is not None and n > high:
            self.fail(name, f"must be at most {high}")
        else:
            self.out[name] = n

    def minutes(self, name: str, *, required: bool = False, allow_zero: bool = True) -> None:
        """Weekly minutes: 0 (or 1) up to 60 hours."""
        self.integer(name, required=required, low=0 if allow_zero else 1, high=MAX_WEEKLY_MINUTES)
        if name in self.errors:
            v = self.values.get(name)
            try:
                n = int(v)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                return
            if n < 0:
                self.errors[name] = "cannot be negative"
            elif n > MAX_WEEKLY_MINUTES:
                self.errors[name] = f"is more than {MAX_WEEKLY_MINUTES // 60} hours a week"

    def decimal(
        self,
        name: str,
        *,
        required: bool = False,
        low: Decimal | None = None,
        high: Decimal | None = None,
        places: int = 2,
    ) -> None:
        present, v = self._get(name)
        if self._blank(name, present, v, required=required):
            return
        try:
            d = Decimal(str(v).replace("£", "").replace(",", "").strip())
            if not d.is_finite() or d.adjusted() > 15:
                raise InvalidOperation  # 16 digits before the point: no amount is that big
        except (InvalidOperation, ValueError):
            self.fail(name, "must be a number")
            return
        if low is not None and d < low:
            self.fail(name, "cannot be negative" if low == 0 else f"must be at least {low}")
        elif high is not None and d > high:
            self.fail(name, f"must be at most {high}")
        elif d != d.quantize(Decimal(1).scaleb(-places)):
            self.fail(name, f"has more than {places} decimal places")
        else:
            self.out[name] = d

    def boolean(self, name: str) -> None:
        present, v = self._get(name)
        if not present:
            return
        if isinstance(v, str):
            low = v.strip().lower()
            if low in ("true", "yes", "y", "1"):
                v = True
            elif low in ("false", "no", "n", "0", ""):
                v = False
        if not isinstance(v, bool | int):
            self.fail(name, "must be yes or no")
        else:
            self.out[name] = bool(v)

    def order(
        self,
        first: str,
        second: str,
        message: str | None = None,
        current: Mapping[str, Any] | None = None,
    ) -> None:
        """``second`` (an end) must not be before ``first`` (a start)."""
        cur = current or {}
        a = self.out.get(first, cur.get(first))
        b = self.out.get(second, cur.get(second))
        if a is not None and b is not None and b < a:
            self.fail(second, message or f"cannot be before the {first.replace('_', ' ')}")

    def done(self) -> dict[str, Any]:
        unknown = set(self.values) - set(self.out) - set(self.errors)
        for name in sorted(unknown):
            if name not in self._known and name != "version":  # commands check it
                self.fail(name, "is not a field of this record")
        if self.errors:
            raise ValidationError(self.errors)
        return self.out

    _known: frozenset[str] = frozenset()

    def known(self, *names: str) -> None:
        """Fields that may be given but are handled by the caller (adds to any named before)."""
        self._known = self._known | frozenset(names)


def parse_date(text: str) -> dt.date:
    """dd/mm/yyyy (UK) or ISO yyyy-mm-dd."""
    s = text.strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"Enter a date as dd/mm/yyyy, not {text!r}")
