"""Every table model passes Qt's model tester, with real rows from a real database; sorting
sorts the source list and filtering matches the precomputed search key."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from sencodesk.queries.cover import cover_day
from sencodesk.queries.money import list_contracts, list_funding
from sencodesk.queries.pupils import get_pupil, list_pupils
from sencodesk.queries.records import list_records
from sencodesk.queries.reviews import list_reviews, reviews_due
from sencodesk.queries.staff import get_staff, list_staff
from tests.ui.seed import seed_school
from ui.models.cover import CandidateModel, LostSupportModel
from ui.models.money import ContractModel, FundingModel
from ui.models.pupils import (
    OutcomeModel,
    PupilAssignmentModel,
    PupilListModel,
    StaffAssignmentModel,
)
from ui.models.reviews import RecordModel, ReviewDueModel, ReviewModel
from ui.models.staff import (
    DbsModel,
    QualificationModel,
    StaffContractModel,
    StaffListModel,
    TrainingModel,
)


@pytest.fixture
def rows(store):
    from sencodesk import commands

    today = dt.date.today()
    ids = seed_school(store, today)
    with store.session() as s:
        commands.save_review(
            s,
            {
                "pupil_id": ids.pupil,
                "meeting_at": dt.datetime.combine(today + dt.timedelta(days=40), dt.time(10)),
                "invitees": [{"name": "Mum"}],
            },
        )
        commands.save_record(
            s,
            {
                "pupil_id": ids.pupil,
                "kind": "support",
                "text": "Phonics",
                "occurred_at": dt.datetime.now() - dt.timedelta(hours=1),
            },
        )
        commands.save_dbs(
            s,
            {
                "staff_id": ids.lsa,
                "certificate_number": "001234567890",
                "issued": today - dt.timedelta(days=900),
                "renew_by": today - dt.timedelta(days=5),
            },
        )
        commands.save_qualification(s, {"staff_id": ids.lsa, "kind": "Level 3 STL"})
        commands.save_training(
            s,
            {
                "staff_id": ids.lsa,
                "kind": "first_aid",
                "completed": today - dt.timedelta(days=1200),
                "expires": today - dt.timedelta(days=100),
            },
        )
    with store.read() as s:
        pupil = get_pupil(s, ids.pupil, today=today)
        staff = get_staff(s, ids.lsa, today=today)
        monday = today + dt.timedelta(days=(0 - today.weekday()) % 7 or 7)
        plan = cover_day(s, ids.lsa, monday)
        return {
            PupilListModel: list_pupils(s, today=today),
            OutcomeModel: pupil.outcomes,
            PupilAssignmentModel: pupil.assignments,
            StaffAssignmentModel: staff.assignments,
            StaffListModel: list_staff(s, today=today),
            StaffContractModel: staff.contracts,
            QualificationModel: staff.qualifications,
            TrainingModel: list(staff.training),
            DbsModel: staff.dbs_checks,
            FundingModel: list_funding(s, today=today),
            ContractModel: list_contracts(s),
            ReviewDueModel: reviews_due(s, before=today + dt.timedelta(days=400)),
            ReviewModel: list_reviews(s),
            RecordModel: list_records(s),
            LostSupportModel: plan.lost,
            CandidateModel: plan.candidates,
        }


MODELS = [
    PupilListModel,
    OutcomeModel,
    PupilAssignmentModel,
    StaffAssignmentModel,
    StaffListModel,
    StaffContractModel,
    QualificationModel,
    TrainingModel,
    DbsModel,
    FundingModel,
    ContractModel,
    ReviewDueModel,
    ReviewModel,
    RecordModel,
    LostSupportModel,
    CandidateModel,
]


@pytest.mark.parametrize("cls", MODELS, ids=lambda c: c.__name__)
def test_model_passes_qtmodeltester(qtmodeltester, rows, cls):
    model = cls()
    model.set_rows(rows[cls])
    assert model.rowCount() == len(rows[cls]) > 0
    qtmodeltester.check(model, force_py=True)
    # The tester stays connected: it checks every signal of the sorts and filters below.
    for col in range(model.columnCount()):
        model.sort(col, Qt.SortOrder.DescendingOrder)
        model.sort(col, Qt.SortOrder.AscendingOrder)
    model.set_filter("zzzz-no-such-thing")
    assert model.rowCount() == 0
    model.set_filter("")
    model.set_rows(rows[cls])
    assert model.rowCount() == len(rows[cls])


def test_every_table_model_is_tested():
    import pkgutil

    import ui.models
    from ui.models.base import RowTableModel

    found = set()
    for info in pkgutil.iter_modules(ui.models.__path__):
        mod = __import__(f"ui.models.{info.name}", fromlist=["x"])
        found |= {
            v
            for v in vars(mod).values()
            if isinstance(v, type) and issubclass(v, RowTableModel) and v is not RowTableModel
        }
    assert found == set(MODELS)


def test_sort_and_filter_keep_the_selection(qtbot, rows):
    from ui.widgets.table import Table

    model = PupilListModel()
    model.set_rows(rows[PupilListModel])
    table = Table(model, "Pupils")
    qtbot.addWidget(table)
    table.select_id(rows[PupilListModel][0].id)
    chosen = table.current_row().id
    model.sort(PupilListModel.COL_NAME, Qt.SortOrder.DescendingOrder)
    assert table.current_row().id == chosen
    names = [r.name for r in model.rows]
    assert names == sorted(names, key=lambda n: n.split()[-1].lower(), reverse=True)


def test_filter_matches_name_upn_year_need_and_lsa(rows):
    model = PupilListModel()
    model.set_rows(rows[PupilListModel])
    for text, expected in (
        ("amelia", ["Amelia Hart"]),
        ("b8012000", ["Amelia Hart"]),
        ("year 3", ["Zoë Nguyễn"]),
        ("pd", ["Zoë Nguyễn"]),
        ("sarah cole", ["Amelia Hart", "Zoë Nguyễn"]),
        ("hart asd", ["Amelia Hart"]),
    ):
        model.set_filter(text)
        assert sorted(r.name for r in model.rows) == expected, text
    model.set_filter("")
    assert model.rowCount() == 2
