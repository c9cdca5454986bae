"""One pupil's page: a header and tabs (profile & EHCP, outcomes, support, funding, reviews,
records). The pupil's name shows here, inside the page, never in a window title."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sencodesk import vocab

from .. import format as fmt
from ..context import Context
from ..models.common import label
from ..roles import mark, reads
from .base import RowView
from .pupil_tabs import (
    FundingTab,
    OutcomesTab,
    RecordsTab,
    ReviewsTab,
    SupportTab,
)

if TYPE_CHECKING:
    from sencodesk.store import Session


def load_pupil(s: Session, pupil_id: int, today: Any) -> Any:
    from sencodesk.queries.pupil_detail import get_pupil

    return get_pupil(s, pupil_id, today=today)


class ProfileTab(QWidget):
    def __init__(self, ctx: Context, view: PupilView) -> None:
        super().__init__()
        self.view = view
        lay = QVBoxLayout(self)
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.values: dict[str, QLabel] = {}
        for key, text in (
            ("dob", "Date of birth"),
            ("upn", "UPN"),
            ("year", "Year group"),
            ("class", "Class"),
            ("sen", "SEN code"),
            ("need", "Primary need"),
            ("need2", "Secondary need"),
            ("la", "EHCP local authority"),
            ("issued", "EHCP issued"),
            ("last", "Last annual review"),
            ("due", "Next review due"),
            ("interval", "Review every"),
            ("hours", "EHCP 1:1 hours a week"),
            ("medical", "Medical needs"),
            ("care", "Personal care"),
            ("behaviour", "Behaviour plan"),
            ("admitted", "Admitted"),
        ):
            value = QLabel()
            value.setWordWrap(True)
            value.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextSelectableByKeyboard
                | Qt.TextInteractionFlag.TextSelectableByMouse
            )
            value.setAccessibleName(text)
            self.values[key] = value
            self.form.addRow(f"{text}:", value)
        lay.addLayout(self.form)
        row = QHBoxLayout()
        self.edit = QPushButton("Ed&it profile and EHCP…")
        mark(self.edit, "pupil")
        self.edit.clicked.connect(view.edit_pupil)
        row.addWidget(self.edit)
        # Any adult who may read the pupil may print it (an LSA, for the pupils they support).
        self.print_profile = QPushButton("One-page p&rofile…")
        self.print_profile.setToolTip(
            "What people like about me, what's important to me and how best to support me, "
            "on one page for the class teacher, cover staff or an LSA"
        )
        self.print_profile.clicked.connect(view.show_profile)
        row.addWidget(self.print_profile)
        row.addStretch(1)
        lay.addLayout(row)
        lay.addStretch(1)

    def show_detail(self, d: Any) -> None:
        r = d.row
        v = self.values
        v["dob"].setText(fmt.date(r.date_of_birth))
        v["upn"].setText(r.upn or "none recorded")
        v["year"].setText(r.year_label)
        v["class"].setText(r.class_name)
        v["sen"].setText(
            label(vocab.SEN_CODE_LABELS, vocab.SenCode(r.sen_code))
            if r.sen_code in set(vocab.SenCode)
            else r.sen_code
        )
        v["need"].setText(
            f"{r.primary_need} – {vocab.NEED_LABELS.get(r.primary_need, '')}"
            if r.primary_need
            else ""
        )
        v["need2"].setText(
            f"{r.secondary_need} – {vocab.NEED_LABELS.get(r.secondary_need, '')}"
            if r.secondary_need
            else "none"
        )
        v["la"].setText(d.ehcp_la_name)
        v["issued"].setText(fmt.date(d.ehcp_issued))
        v["last"].setText(fmt.date(d.ehcp_last_review))
        v["due"].setText(fmt.date(r.next_review_due))
        v["interval"].setText(f"{d.review_interval_months} months")
        v["hours"].setText(fmt.hours(r.ehcp_weekly_minutes))
        v["medical"].setText(d.medical_needs or "none recorded")
        v["care"].setText("Yes" if d.personal_care else "No")
        v["behaviour"].setText("Yes" if d.behaviour_plan else "No")
        v["admitted"].setText(fmt.date(d.admission_date))


class PupilView(RowView):
    KIND = "pupil"
    load = staticmethod(load_pupil)

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.profile = self.add_tab(ProfileTab(ctx, self), "&Profile && EHCP")
        self.outcomes = self.add_tab(OutcomesTab(ctx, self), "&Outcomes")
        self.support = self.add_tab(SupportTab(ctx, self), "S&upport")
        # Hidden for a role that may not read them (an LSA on a server: ``roles.fit_reads``).
        self.funding = self.add_tab(reads(FundingTab(ctx, self), "funding"), "Fundin&g")
        self.reviews = self.add_tab(reads(ReviewsTab(ctx, self), "review_meeting"), "Revie&ws")
        self.records = self.add_tab(RecordsTab(ctx, self), "Recor&ds")

    @property
    def pupil_id(self) -> int | None:
        return self.row_id

    def show_pupil(self, pupil_id: int) -> None:
        self.show_row(pupil_id)

    def summary(self, d: Any) -> list[str]:
        r = d.row
        bits = [r.year_label, f"SEN {r.sen_code}"]
        if r.primary_need:
            bits.append(r.primary_need)
        if r.upn:
            bits.append(f"UPN {r.upn}")
        if r.archived:
            bits.append("left the school")
        return bits

    def show_profile(self) -> None:
        from .. import reports

        if self.row_id is not None:
            reports.profile(self.ctx, self.row_id)

    def edit_pupil(self) -> None:
        from ..dialogs.pupil_editors import PupilEditor

        if self.detail is None:
            return
        PupilEditor(self.ctx, self.detail, parent=self).open()
