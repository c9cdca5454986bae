"""The field and cross-field rules of every record: one set, used by every way in.

Each rule is a plain function ``<table>(values, current=None, ...) -> Checker`` over a dict of
field values (``current`` is the row as stored, for an update; None for a new row). It needs
no database: the editors' commands (``commands.save_*``) add the checks that do (a UPN
already taken, a pupil that does not exist) to the same ``Checker`` and call ``done()``; the
JSON import (``exchange.json_io``) and the MIS import run the same functions over every row of
a file; ``check`` runs them over every row of a database (:func:`row_problems`).

``validate(table, values, current=None)`` is the one-call form: it returns the cleaned values
or raises ``errors.ValidationError`` keyed by field.
"""

# By table group (setup, pupils, staffing, money, reviews) over what they share (base); every
# table's rule in one map (tables); the rules over whole sets of rows (sets).

from .base import SCHOOL_PHASES, Current, Values
from .money import assignment, contract, contract_day, funding
from .pupils import INCIDENT_FIELDS, outcome, outcome_status_change, pupil, record
from .reviews import (
    REVIEW_TEXT_FIELDS,
    STEP_FIELDS,
    review_advice,
    review_amendment,
    review_invitee,
    review_meeting,
    school_closed,
)
from .sets import (
    SHOWN_PROBLEMS,
    clean_tables,
    database_problems,
    row_problems,
    work_days,
)
from .setup import local_authority, school, term_date
from .staffing import dbs_check, qualification, staff, training
from .tables import RULES, Rule, text_limits, validate, whole_row

__all__ = [
    "Current",
    "INCIDENT_FIELDS",
    "REVIEW_TEXT_FIELDS",
    "RULES",
    "Rule",
    "SCHOOL_PHASES",
    "SHOWN_PROBLEMS",
    "STEP_FIELDS",
    "Values",
    "assignment",
    "clean_tables",
    "contract",
    "contract_day",
    "database_problems",
    "dbs_check",
    "funding",
    "local_authority",
    "outcome",
    "outcome_status_change",
    "pupil",
    "qualification",
    "record",
    "review_advice",
    "review_amendment",
    "review_invitee",
    "review_meeting",
    "row_problems",
    "school",
    "school_closed",
    "staff",
    "term_date",
    "text_limits",
    "training",
    "validate",
    "whole_row",
    "work_days",
]
