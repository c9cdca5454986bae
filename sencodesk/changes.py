"""What a write changed, in kinds the pages understand (after Anki's ``OpChanges``).

The audited session notes every table a flush wrote (``audit.py``), side effects included:
saving a pupil with a leaving date also ends their assignments, so such a save reports
``PUPIL`` and ``ASSIGNMENT`` though the caller asked only for the pupil. ``changed(session)``
reads them after the commit; the GUI's worker tells the pages, which refresh what they show
of those kinds.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class Change(StrEnum):
    """A kind of row that changed (the values are what ``ui`` pages watch)."""

    SCHOOL = "school"
    PUPIL = "pupil"
    OUTCOME = "outcome"
    RECORD = "record"
    STAFF = "staff"
    QUALIFICATION = "qualification"
    TRAINING = "training"
    DBS = "dbs"
    FUNDING = "funding"
    CONTRACT = "contract"
    ASSIGNMENT = "assignment"
    REVIEW = "review"
    MIS = "mis"
    ALL = "all"  # everything may have changed: a new database, a restore, the demo (no table)


# Every table the model has (but the audit trail), to the kind its change is.
TABLE_KINDS: dict[str, Change] = {
    "school": Change.SCHOOL,
    "local_authority": Change.SCHOOL,
    "term_date": Change.SCHOOL,
    "pupil": Change.PUPIL,
    "mis_pupil": Change.PUPIL,
    "outcome": Change.OUTCOME,
    "outcome_status_change": Change.OUTCOME,
    "record": Change.RECORD,
    "staff": Change.STAFF,
    "qualification": Change.QUALIFICATION,
    "training": Change.TRAINING,
    "dbs_check": Change.DBS,
    "funding": Change.FUNDING,
    "contract": Change.CONTRACT,
    "contract_day": Change.CONTRACT,
    "assignment": Change.ASSIGNMENT,
    "review_meeting": Change.REVIEW,
    "review_invitee": Change.REVIEW,
    "review_advice": Change.REVIEW,
    "review_amendment": Change.REVIEW,
    "mis_mapping": Change.MIS,
}

TABLES_KEY = "changed_tables"  # in ``session.info``, filled by ``audit.py`` at each flush


def note_tables(info: dict[str, Any], tables: set[str]) -> None:
    info.setdefault(TABLES_KEY, set()).update(tables)


def changed(session: Any) -> frozenset[Change]:
    """The kinds of row the session wrote (read after its commit)."""
    return frozenset(TABLE_KINDS[t] for t in session.info.get(TABLES_KEY, ()))
