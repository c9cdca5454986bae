"""Write functions: validate every field, then write, in the caller's one transaction.

Each ``save_*`` takes a session from ``Store.session()`` (which commits on success and rolls
back on any error, so a failed save changes nothing), a mapping of field values, and the id of
the row to update (None to create). It returns the row's id. A ``ValidationError`` names every
bad field; the audit trail is written by the session itself (see ``audit``).
"""

# By record (setup, pupils, staffing, money, reviews, deletes) over what every save shares (base).

from .base import Values, check_version
from .deletes import DELETABLE, delete
from .money import save_assignment, save_contract, save_funding
from .pupils import (
    INCIDENT_FIELDS,
    add_pupils,
    archive_due_leavers,
    pupil_problems,
    save_outcome,
    save_pupil,
    save_record,
)
from .reviews import STEP_FIELDS, save_review
from .setup import save_local_authority, save_school, set_term_dates
from .staffing import save_dbs, save_qualification, save_staff, save_training

__all__ = [
    "DELETABLE",
    "INCIDENT_FIELDS",
    "STEP_FIELDS",
    "Values",
    "add_pupils",
    "archive_due_leavers",
    "check_version",
    "delete",
    "pupil_problems",
    "save_assignment",
    "save_contract",
    "save_dbs",
    "save_funding",
    "save_local_authority",
    "save_outcome",
    "save_pupil",
    "save_qualification",
    "save_record",
    "save_review",
    "save_school",
    "save_staff",
    "save_training",
    "set_term_dates",
]
