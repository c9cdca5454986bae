"""The SQLAlchemy 2.0 model of a school's SEN support.

Relationships load with ``lazy="raise"``: a query must say what it loads (``selectinload``),
so an accidental lazy load fails in tests instead of freezing the GUI. Readers never see these
objects: ``queries`` turns them into frozen rows.

Money is stored as pence and weekly hours as minutes (see ``types``): exact on every database.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

from .rules.pay import FULL_TIME_HOURS, ON_COST_PERCENT, TERM_TIME_PAID_WEEKS, WEEKS_PER_YEAR
from .types import Money, Percent, Weeks

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Versioned:
    """A row an editor changes: ``version`` goes up by one at every UPDATE (SQLAlchemy's
    ``version_id_col``), and the UPDATE says ``WHERE version = <the version read>``, so a save
    from a form loaded before someone else's save changes nothing (``commands`` turns that into
    ``errors.Conflict``, both values side by side)."""

    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:  # noqa: N805 - SQLAlchemy's declared_attr
        return {"version_id_col": cls.version}


class SchoolOwned:
    """A row that belongs to one school of a trust's database. An SQLite file is one school
    (1); on a server the database fills it from the login's school (``server/ddl``), and
    row-level security keeps each login to the rows of its own school."""

    school_id: Mapped[int] = mapped_column(Integer, server_default="1", index=True)


def _children(back: str) -> dict:
    return {
        "back_populates": back,
        "cascade": "all, delete-orphan",
        "passive_deletes": True,
        "lazy": "raise",
    }


def _fk(target: str, *, cascade: bool = True, nullable: bool = False) -> Mapped:
    return mapped_column(
        ForeignKey(target, ondelete="CASCADE" if cascade else "SET NULL"),
        index=True,
        nullable=nullable,
    )


# --------------------------------------------------------------------------- school


class School(Versioned, Base):
    """The one row of school-wide settings (id is always 1)."""

    __tablename__ = "school"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    la_id: Mapped[int | None] = _fk("local_authority.id", cascade=False, nullable=True)
    dfe_number: Mapped[str] = mapped_column(String(8), default="")
    phase: Mapped[str] = mapped_column(String(20), default="primary")
    # Year groups whose pupils change phase at the end of the year (-1 = nursery), e.g. "-1,6".
    transfer_years: Mapped[str] = mapped_column(String(40), default="-1,6,11")
    full_time_hours: Mapped[Decimal] = mapped_column(Percent(), default=FULL_TIME_HOURS)
    weeks_per_year: Mapped[Decimal] = mapped_column(Weeks(), default=WEEKS_PER_YEAR)
    default_paid_weeks: Mapped[Decimal] = mapped_column(Weeks(), default=TERM_TIME_PAID_WEEKS)
    on_cost_percent: Mapped[Decimal] = mapped_column(Percent(), default=ON_COST_PERCENT)
    retention_years: Mapped[int] = mapped_column(Integer, default=31)
    alert_horizon_days: Mapped[int] = mapped_column(Integer, default=120)
    expiry_warning_days: Mapped[int] = mapped_column(Integer, default=60)


class LocalAuthority(Versioned, Base):
    """An LA the school deals with, with its review-deadline offsets in weeks."""

    __tablename__ = "local_authority"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    code: Mapped[str] = mapped_column(String(3), default="")
    advice_request_weeks: Mapped[int] = mapped_column(Integer, default=6)
    invitations_weeks: Mapped[int] = mapped_column(Integer, default=2)
    papers_weeks: Mapped[int] = mapped_column(Integer, default=2)
    report_weeks: Mapped[int] = mapped_column(Integer, default=2)
    la_decision_weeks: Mapped[int] = mapped_column(Integer, default=4)


class TermDate(Base):
    """One half-term of one academic year (numbered 1 to 6)."""

    __tablename__ = "term_date"
    __table_args__ = (UniqueConstraint("academic_year", "half_term"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    academic_year: Mapped[int] = mapped_column(Integer)
    half_term: Mapped[int] = mapped_column(Integer)
    start: Mapped[dt.date] = mapped_column(Date)
    end: Mapped[dt.date] = mapped_column(Date)


# --------------------------------------------------------------------------- pupils


class Pupil(SchoolOwned, Versioned, Base):
    __tablename__ = "pupil"
    id: Mapped[int] = mapped_column(primary_key=True)
    legal_first_name: Mapped[str] = mapped_column(String(100))
    legal_last_name: Mapped[str] = mapped_column(String(100))
    preferred_name: Mapped[str] = mapped_column(String(100), default="")
    date_of_birth: Mapped[dt.date] = mapped_column(Date)
    upn: Mapped[str | None] = mapped_column(String(13), unique=True)
    year_group_override: Mapped[int | None] = mapped_column(Integer)
    class_name: Mapped[str] = mapped_column(String(40), default="")
    sen_code: Mapped[str] = mapped_column(String(1), default="N", index=True)
    primary_need: Mapped[str | None] = mapped_column(String(4))
    secondary_need: Mapped[str | None] = mapped_column(String(4))
    ehcp_la_id: Mapped[int | None] = _fk("local_authority.id", cascade=False, nullable=True)
    ehcp_issued: Mapped[dt.date | None] = mapped_column(Date)
    ehcp_last_review: Mapped[dt.date | None] = mapped_column(Date)
    review_interval_months: Mapped[int] = mapped_column(Integer, default=12)
    ehcp_weekly_minutes: Mapped[int | None] = mapped_column(Integer)
    medical_needs: Mapped[str] = mapped_column(Text, default="")
    # The one-page profile, in the child's words where possible (reports/profile.py).
    profile_admire: Mapped[str] = mapped_column(Text, default="", server_default="")
    profile_important: Mapped[str] = mapped_column(Text, default="", server_default="")
    profile_support: Mapped[str] = mapped_column(Text, default="", server_default="")
    personal_care: Mapped[bool] = mapped_column(Boolean, default=False)
    behaviour_plan: Mapped[bool] = mapped_column(Boolean, default=False)
    admission_date: Mapped[dt.date | None] = mapped_column(Date)
    leaving_date: Mapped[dt.date | None] = mapped_column(Date)
    archived: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    retention_hold: Mapped[bool] = mapped_column(Boolean, default=False)
    retention_hold_reason: Mapped[str] = mapped_column(Text, default="")

    outcomes: Mapped[list[Outcome]] = relationship(**_children("pupil"))
    records: Mapped[list[Record]] = relationship(**_children("pupil"))
    funding: Mapped[list[Funding]] = relationship(**_children("pupil"))
    assignments: Mapped[list[Assignment]] = relationship(**_children("pupil"))
    reviews: Mapped[list[ReviewMeeting]] = relationship(**_children("pupil"))
    ehcp_la: Mapped[LocalAuthority | None] = relationship(lazy="raise")

    __table_args__ = (Index("ix_pupil_name", "legal_last_name", "legal_first_name"),)


class Outcome(SchoolOwned, Versioned, Base):
    """An EHCP section E outcome or a school target, with its status history."""

    __tablename__ = "outcome"
    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = _fk("pupil.id")
    source: Mapped[str] = mapped_column(String(10), default="ehcp")
    area: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text)
    success_criteria: Mapped[str] = mapped_column(Text, default="")
    set_date: Mapped[dt.date] = mapped_column(Date)
    target_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="not_started")

    pupil: Mapped[Pupil] = relationship(back_populates="outcomes", lazy="raise")
    history: Mapped[list[OutcomeStatusChange]] = relationship(
        **_children("outcome"), order_by="OutcomeStatusChange.changed_on"
    )


class OutcomeStatusChange(SchoolOwned, Base):
    __tablename__ = "outcome_status_change"
    id: Mapped[int] = mapped_column(primary_key=True)
    outcome_id: Mapped[int] = _fk("outcome.id")
    changed_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")

    outcome: Mapped[Outcome] = relationship(back_populates="history", lazy="raise")


class Record(SchoolOwned, Versioned, Base):
    """Something an LSA or the SENCO wrote down about a pupil; incidents carry ABC detail."""

    __tablename__ = "record"
    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = _fk("pupil.id")
    author_id: Mapped[int | None] = _fk("staff.id", cascade=False, nullable=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    outcome_id: Mapped[int | None] = _fk("outcome.id", cascade=False, nullable=True)
    minutes: Mapped[int | None] = mapped_column(Integer)
    progress: Mapped[int | None] = mapped_column(Integer)
    antecedent: Mapped[str] = mapped_column(Text, default="")
    behaviour: Mapped[str] = mapped_column(Text, default="")
    consequence: Mapped[str] = mapped_column(Text, default="")
    deescalation: Mapped[str] = mapped_column(Text, default="")
    physical_intervention: Mapped[bool] = mapped_column(Boolean, default=False)
    injury: Mapped[str] = mapped_column(Text, default="")
    parents_informed: Mapped[bool] = mapped_column(Boolean, default=False)

    pupil: Mapped[Pupil] = relationship(back_populates="records", lazy="raise")
    author: Mapped[Staff | None] = relationship(lazy="raise")
    outcome: Mapped[Outcome | None] = relationship(lazy="raise")


# --------------------------------------------------------------------------- staff


class Staff(SchoolOwned, Versioned, Base):
    __tablename__ = "staff"
    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20))
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    leaving_date: Mapped[dt.date | None] = mapped_column(Date)
    line_manager_id: Mapped[int | None] = _fk("staff.id", cascade=False, nullable=True)

    contracts: Mapped[list[Contract]] = relationship(**_children("staff"))
    qualifications: Mapped[list[Qualification]] = relationship(**_children("staff"))
    training: Mapped[list[Training]] = relationship(**_children("staff"))
    dbs_checks: Mapped[list[DbsCheck]] = relationship(**_children("staff"))
    assignments: Mapped[list[Assignment]] = relationship(**_children("staff"))


class Qualification(SchoolOwned, Versioned, Base):
    __tablename__ = "qualification"
    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = _fk("staff.id")
    kind: Mapped[str] = mapped_column(String(120))
    level: Mapped[str] = mapped_column(String(20), default="")
    awarded: Mapped[dt.date | None] = mapped_column(Date)

    staff: Mapped[Staff] = relationship(back_populates="qualifications", lazy="raise")


class Training(SchoolOwned, Versioned, Base):
    __tablename__ = "training"
    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = _fk("staff.id")
    kind: Mapped[str] = mapped_column(String(30))
    completed: Mapped[dt.date] = mapped_column(Date)
    expires: Mapped[dt.date | None] = mapped_column(Date)

    staff: Mapped[Staff] = relationship(back_populates="training", lazy="raise")


class DbsCheck(SchoolOwned, Versioned, Base):
    __tablename__ = "dbs_check"
    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = _fk("staff.id")
    level: Mapped[str] = mapped_column(String(20), default="enhanced_barred")
    certificate_number: Mapped[str] = mapped_column(String(20))
    issued: Mapped[dt.date] = mapped_column(Date)
    update_service: Mapped[bool] = mapped_column(Boolean, default=False)
    # School policy renewal date (DBS certificates do not expire by law).
    renew_by: Mapped[dt.date | None] = mapped_column(Date)

    staff: Mapped[Staff] = relationship(back_populates="dbs_checks", lazy="raise")


class Funding(SchoolOwned, Versioned, Base):
    __tablename__ = "funding"
    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = _fk("pupil.id")
    source: Mapped[str] = mapped_column(String(20))
    funder: Mapped[str] = mapped_column(String(120), default="")
    reference: Mapped[str] = mapped_column(String(60), default="")
    amount_per_year: Mapped[Decimal | None] = mapped_column(Money())
    weekly_minutes: Mapped[int | None] = mapped_column(Integer)
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(12), default="confirmed")

    pupil: Mapped[Pupil] = relationship(back_populates="funding", lazy="raise")
    contracts: Mapped[list[Contract]] = relationship(back_populates="funding", lazy="raise")


class Contract(SchoolOwned, Versioned, Base):
    __tablename__ = "contract"
    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = _fk("staff.id")
    kind: Mapped[str] = mapped_column(String(12))
    job_title: Mapped[str] = mapped_column(String(120), default="")
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    grade: Mapped[str] = mapped_column(String(40), default="")
    pay_point: Mapped[str] = mapped_column(String(20), default="")
    fte_salary: Mapped[Decimal] = mapped_column(Money())
    weekly_minutes: Mapped[int] = mapped_column(Integer)
    term_time: Mapped[bool] = mapped_column(Boolean, default=True)
    paid_weeks: Mapped[Decimal | None] = mapped_column(Weeks())
    notice_weeks: Mapped[int] = mapped_column(Integer, default=4)
    funding_id: Mapped[int | None] = _fk("funding.id", cascade=False, nullable=True)

    staff: Mapped[Staff] = relationship(back_populates="contracts", lazy="raise")
    funding: Mapped[Funding | None] = relationship(back_populates="contracts", lazy="raise")
    days: Mapped[list[ContractDay]] = relationship(
        **_children("contract"), order_by="ContractDay.weekday"
    )


class ContractDay(SchoolOwned, Base):
    """One day of a contract's working pattern: times and the unpaid break."""

    __tablename__ = "contract_day"
    __table_args__ = (UniqueConstraint("contract_id", "weekday"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = _fk("contract.id")
    weekday: Mapped[int] = mapped_column(Integer)
    start: Mapped[dt.time] = mapped_column(Time)
    end: Mapped[dt.time] = mapped_column(Time)
    unpaid_break_minutes: Mapped[int] = mapped_column(Integer, default=0)

    contract: Mapped[Contract] = relationship(back_populates="days", lazy="raise")


class Assignment(SchoolOwned, Versioned, Base):
    """Staff member to pupil: hours a week, which half-day sessions, and in what role."""

    __tablename__ = "assignment"
    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = _fk("staff.id")
    pupil_id: Mapped[int] = _fk("pupil.id")
    weekly_minutes: Mapped[int] = mapped_column(Integer)
    sessions: Mapped[int] = mapped_column(Integer, default=0)
    role: Mapped[str] = mapped_column(String(12), default="one_to_one")
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)

    staff: Mapped[Staff] = relationship(back_populates="assignments", lazy="raise")
    pupil: Mapped[Pupil] = relationship(back_populates="assignments", lazy="raise")


# --------------------------------------------------------------------------- reviews


class ReviewMeeting(SchoolOwned, Versioned, Base):
    __tablename__ = "review_meeting"
    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = _fk("pupil.id")
    kind: Mapped[str] = mapped_column(String(20), default="annual")
    meeting_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    place: Mapped[str] = mapped_column(String(120), default="")
    advice_requested_on: Mapped[dt.date | None] = mapped_column(Date)
    invitations_sent_on: Mapped[dt.date | None] = mapped_column(Date)
    papers_circulated_on: Mapped[dt.date | None] = mapped_column(Date)
    held_on: Mapped[dt.date | None] = mapped_column(Date)
    report_sent_on: Mapped[dt.date | None] = mapped_column(Date)
    la_decision_on: Mapped[dt.date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(12))
    notes: Mapped[str] = mapped_column(Text, default="")
    # What an LA's review form asks for (#13), written before or at the meeting.
    attendance_percent: Mapped[Decimal | None] = mapped_column(Percent())
    exclusions: Mapped[str] = mapped_column(Text, default="", server_default="")
    attainment: Mapped[str] = mapped_column(Text, default="", server_default="")
    needs_changes: Mapped[str] = mapped_column(Text, default="", server_default="")  # B
    health_care: Mapped[str] = mapped_column(Text, default="", server_default="")  # C/G
    social_care: Mapped[str] = mapped_column(Text, default="", server_default="")  # D/H
    aspirations: Mapped[str] = mapped_column(Text, default="", server_default="")
    pupil_views: Mapped[str] = mapped_column(Text, default="", server_default="")
    parent_views: Mapped[str] = mapped_column(Text, default="", server_default="")
    school_view: Mapped[str] = mapped_column(Text, default="", server_default="")
    # After the meeting: who came, a SEN-support plan's next step, who the report went to.
    attendees: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The meeting's recommendation to the LA (maintain, amend, cease); ``outcome`` is the
    # LA's decision, when it comes.
    recommendation: Mapped[str | None] = mapped_column(String(12))
    next_step: Mapped[str | None] = mapped_column(String(12))
    sent_to: Mapped[str] = mapped_column(Text, default="", server_default="")

    pupil: Mapped[Pupil] = relationship(back_populates="reviews", lazy="raise")
    invitees: Mapped[list[ReviewInvitee]] = relationship(
        **_children("meeting"), order_by="ReviewInvitee.id"
    )
    advice: Mapped[list[ReviewAdvice]] = relationship(
        **_children("meeting"), order_by="ReviewAdvice.id"
    )
    amendments: Mapped[list[ReviewAmendment]] = relationship(
        **_children("meeting"), order_by="ReviewAmendment.id"
    )


class ReviewInvitee(SchoolOwned, Base):
    __tablename__ = "review_invitee"
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = _fk("review_meeting.id")
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(200), default="")

    meeting: Mapped[ReviewMeeting] = relationship(back_populates="invitees", lazy="raise")


class ReviewAdvice(SchoolOwned, Versioned, Base):
    """A summary of advice received for a review (EP, SaLT, ToD, OT, health, social care…).
    ``shared``: may go to every invitee; False keeps it to the SENCO's internal copy."""

    __tablename__ = "review_advice"
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = _fk("review_meeting.id")
    source: Mapped[str] = mapped_column(String(20))
    given_by: Mapped[str] = mapped_column(String(120), default="")
    received_on: Mapped[dt.date | None] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text, default="")
    shared: Mapped[bool] = mapped_column(Boolean, default=True)

    meeting: Mapped[ReviewMeeting] = relationship(back_populates="advice", lazy="raise")


class ReviewAmendment(SchoolOwned, Versioned, Base):
    """An amendment to the plan proposed at a review, section by section."""

    __tablename__ = "review_amendment"
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = _fk("review_meeting.id")
    section: Mapped[str] = mapped_column(String(2))
    text: Mapped[str] = mapped_column(Text)

    meeting: Mapped[ReviewMeeting] = relationship(back_populates="amendments", lazy="raise")


# --------------------------------------------------------------------------- MIS import


class MisPupil(SchoolOwned, Base):
    """What the school's MIS said about a pupil at the last import (provision, ranked needs,
    sex), kept apart from the SENCO's own register so the census check can compare them."""

    __tablename__ = "mis_pupil"
    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(
        ForeignKey("pupil.id", ondelete="CASCADE"), unique=True, index=True
    )
    sen_code: Mapped[str | None] = mapped_column(String(1))
    primary_need: Mapped[str | None] = mapped_column(String(4))
    secondary_need: Mapped[str | None] = mapped_column(String(4))
    sex: Mapped[str] = mapped_column(String(1), default="")
    source: Mapped[str] = mapped_column(String(300), default="")
    file_date: Mapped[dt.date | None] = mapped_column(Date)


class MisMapping(SchoolOwned, Base):
    """A named column mapping of a spreadsheet from the MIS: next term's file maps itself.
    Names are unique within a school (each school of a trust keeps its own)."""

    __tablename__ = "mis_mapping"
    __table_args__ = (UniqueConstraint("school_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(10), default="pupils")
    # JSON: {"field": "Heading in the file", ...}
    columns: Mapped[str] = mapped_column(Text, default="{}")


# --------------------------------------------------------------------------- audit


class AuditEntry(SchoolOwned, Base):
    """One changed field of one row, written in the same transaction as the change."""

    __tablename__ = "audit_entry"
    # No RETURNING on insert: on a server only the SENCO, head and trust lead may read the
    # history, and INSERT ... RETURNING needs that right (an LSA's or a business manager's
    # one-field save wrote one entry with RETURNING id, and the database refused it).
    __table_args__ = (
        Index("ix_audit_row", "table_name", "row_id"),
        {"implicit_returning": False},
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    user: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(10))
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(60), default="")
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text, default="")
    # True for history brought in by ``import`` (made elsewhere, not by a change made here).
    imported: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


AUDITED_TABLES = frozenset(
    t.name for t in Base.metadata.sorted_tables if t.name != AuditEntry.__tablename__
)
