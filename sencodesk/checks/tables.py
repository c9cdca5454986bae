"""Each table's rule (``RULES``), and the one-call forms over them: ``validate``, ``whole_row``,
``text_limits``."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

from ..validate import Checker
from .base import Current, Values
from .money import assignment, contract, contract_day, funding
from .pupils import outcome, outcome_status_change, pupil, record
from .reviews import review_advice, review_amendment, review_invitee, review_meeting
from .setup import local_authority, school, term_date
from .staffing import dbs_check, qualification, staff, training

Rule = Callable[..., Checker]

RULES: dict[str, Rule] = {
    "school": school,
    "local_authority": local_authority,
    "term_date": term_date,
    "pupil": pupil,
    "outcome": outcome,
    "outcome_status_change": outcome_status_change,
    "record": record,
    "staff": staff,
    "qualification": qualification,
    "training": training,
    "dbs_check": dbs_check,
    "funding": funding,
    "contract": contract,
    "contract_day": contract_day,
    "assignment": assignment,
    "review_meeting": review_meeting,
    "review_invitee": review_invitee,
    "review_advice": review_advice,
    "review_amendment": review_amendment,
}
"""The rule of each table (``audit_entry`` has none: it is history, not a record)."""


def validate(table: str, values: Values, current: Current = None, **context: Any) -> dict:
    """The cleaned values of one record, or ``ValidationError`` naming every bad field."""
    return RULES[table](values, current, **context).done()


@functools.cache
def text_limits(table: str) -> Mapping[str, int]:
    """The longest text each field of ``table`` takes (characters): what its rule checks,
    read from the rule itself, so an editor can count down as you type with the limit Save
    would hold it to."""
    return dict(RULES[table]({}, None).limits)


def whole_row(table: str, row: Values, **context: Any) -> dict:
    """Check a complete row (every column, as stored or as in a file): the rule's fields are
    checked as for a new record; the row's id and any column the rule does not cover pass.
    Returns the cleaned values of the fields the rule covers."""
    c = RULES[table](row, None, **context)
    c.known(*row.keys())
    return c.done()
