"""Every way the demo school could contradict itself, as SQL over any SENCO Desk database.

``violations(session, today)`` lists each broken invariant with an example row; [] means the
demo is internally consistent (issue #10 case 12: a demo is a sales tool)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text
from sqlalchemy.orm import Session

# (what must hold, SQL selecting the rows that break it). :today is the demo's date.
INVARIANTS: tuple[tuple[str, str], ...] = (
    (
        "a record is written on or after the pupil's admission date",
        "SELECT r.id, r.occurred_at, p.admission_date FROM record r JOIN pupil p"
        " ON p.id = r.pupil_id WHERE p.admission_date IS NOT NULL"
        " AND date(r.occurred_at) < p.admission_date",
    ),
    (
        "a record is written on or before the pupil's leaving date",
        "SELECT r.id, r.occurred_at, p.leaving_date FROM record r JOIN pupil p"
        " ON p.id = r.pupil_id WHERE p.leaving_date IS NOT NULL"
        " AND date(r.occurred_at) > p.leaving_date",
    ),
    (
        "nothing is recorded in the future",
        "SELECT id, occurred_at FROM record WHERE date(occurred_at) > :today",
    ),
    (
        "a support session is recorded by staff assigned to the pupil on that day",
        "SELECT r.id, r.occurred_at FROM record r JOIN staff s ON s.id = r.author_id"
        " WHERE r.kind = 'support' AND s.role <> 'senco' AND NOT EXISTS ("
        "  SELECT 1 FROM assignment a WHERE a.staff_id = r.author_id"
        "  AND a.pupil_id = r.pupil_id AND a.start_date <= date(r.occurred_at)"
        "  AND (a.end_date IS NULL OR a.end_date >= date(r.occurred_at)))",
    ),
    (
        "a record's author works at the school on that day",
        "SELECT r.id, r.occurred_at, s.start_date, s.leaving_date FROM record r"
        " JOIN staff s ON s.id = r.author_id WHERE (s.start_date IS NOT NULL"
        " AND date(r.occurred_at) < s.start_date) OR (s.leaving_date IS NOT NULL"
        " AND date(r.occurred_at) > s.leaving_date)",
    ),
    (
        "a record about an outcome comes after the outcome was set",
        "SELECT r.id, r.occurred_at, o.set_date FROM record r JOIN outcome o"
        " ON o.id = r.outcome_id WHERE date(r.occurred_at) < o.set_date",
    ),
    (
        "an outcome is set on or after the pupil's admission date",
        "SELECT o.id, o.set_date, p.admission_date FROM outcome o JOIN pupil p"
        " ON p.id = o.pupil_id WHERE p.admission_date IS NOT NULL"
        " AND o.set_date < p.admission_date AND o.source = 'school'",
    ),
    (
        "an outcome's status changes after it was set, and not in the future",
        "SELECT c.id, c.changed_on, o.set_date FROM outcome_status_change c JOIN outcome o"
        " ON o.id = c.outcome_id WHERE c.changed_on < o.set_date OR c.changed_on > :today",
    ),
    (
        "an assignment starts on or after the pupil's admission date",
        "SELECT a.id, a.start_date, p.admission_date FROM assignment a JOIN pupil p"
        " ON p.id = a.pupil_id WHERE p.admission_date IS NOT NULL"
        " AND a.start_date < p.admission_date",
    ),
    (
        "an assignment ends after it starts",
        "SELECT id, start_date, end_date FROM assignment"
        " WHERE end_date IS NOT NULL AND end_date < start_date",
    ),
    (
        # (an assignment left open past a fixed-term contract's end is what a SENCO does,
        # and what the alerts are for; starting one with nobody employed is not)
        "an assignment starts while the member of staff has a contract",
        "SELECT a.id, a.start_date FROM assignment a WHERE NOT EXISTS ("
        "  SELECT 1 FROM contract c WHERE c.staff_id = a.staff_id"
        "  AND c.start_date <= a.start_date"
        "  AND (c.end_date IS NULL OR c.end_date >= a.start_date))",
    ),
    (
        "a contract starts on or after the member of staff's start date",
        "SELECT c.id, c.start_date, s.start_date FROM contract c JOIN staff s"
        " ON s.id = c.staff_id WHERE s.start_date IS NOT NULL AND c.start_date < s.start_date",
    ),
    (
        "a contract or funding line ends after it starts",
        "SELECT 'contract', id, start_date, end_date FROM contract WHERE end_date < start_date"
        " UNION ALL SELECT 'funding', id, start_date, end_date FROM funding"
        " WHERE end_date < start_date",
    ),
    (
        "an EHCP is issued after the child was born, and reviewed after it was issued",
        "SELECT id, date_of_birth, ehcp_issued, ehcp_last_review FROM pupil"
        " WHERE ehcp_issued <= date_of_birth OR ehcp_last_review < ehcp_issued",
    ),
    (
        "a pupil is admitted after being born and leaves after being admitted",
        "SELECT id, date_of_birth, admission_date, leaving_date FROM pupil"
        " WHERE admission_date <= date_of_birth OR leaving_date < admission_date",
    ),
    (
        "a review meeting held is held on its day, not in the future",
        "SELECT id, meeting_at, held_on FROM review_meeting"
        " WHERE held_on IS NOT NULL AND (held_on > :today OR held_on < date(meeting_at))",
    ),
    (
        "training, DBS checks and qualifications are not dated in the future",
        "SELECT 'training', id, completed FROM training WHERE completed > :today"
        " UNION ALL SELECT 'dbs', id, issued FROM dbs_check WHERE issued > :today"
        " UNION ALL SELECT 'qualification', id, awarded FROM qualification"
        " WHERE awarded > :today",
    ),
)


def violations(session: Session, today: dt.date, *, examples: int = 3) -> list[str]:
    out = []
    for rule, sql in INVARIANTS:
        rows = session.execute(text(sql), {"today": today}).all()
        if rows:
            shown = "; ".join(str(tuple(r)) for r in rows[:examples])
            out.append(f"{rule}: {len(rows)} rows break it, e.g. {shown}")
    return out
