"""Every table model passes Qt's model tester, with real rows from a real database; sorting
sorts the source list and filtering matches the precomputed search key.

There are no proxy models: each model sorts and filters its own rows (``RowTableModel``), so
the tester stays connected while a filter narrows, widens and clears them."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from sencodesk.queries.cover import cover_day
from sencodesk.queries.money import contract_rows, funding_rows
from sencodesk.queries.pupil_detail import get_pupil
from sencodesk.queries.pupils import list_pupils
from sencodesk.queries.records import list_records
from sencodesk.queries.reviews import list_reviews, reviews_due
from sencodesk.queries.staff import get_staff, list_staff
from sencodesk.rules.text import fold
from sencodesk.server.team import TeamUser
from tests.ui.seed import seed_more, seed_school
from ui.dialogs.history import HistoryModel
from ui.dialogs.retention import RetentionModel
from ui.dialogs.team import TeamModel
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
    seed_more(store, ids, today)
    with store.session() as s:
        leaver = commands.save_pupil(
            s,
            {
                "legal_first_name": "Keira",
                "legal_last_name": "Holdsworth",
                "date_of_birth": dt.date(1990, 1, 1),
                "leaving_date": dt.date(2001, 7, 20),
            },
        )
        commands.save_pupil(
            s,
            {
                "legal_first_name": "Zebedee",
                "legal_last_name": "Marsh",
                "date_of_birth": dt.date(1991, 3, 4),
                "leaving_date": dt.date(2002, 7, 19),
            },
        )
        from sencodesk.model import Pupil

        for p in s.query(Pupil).filter(Pupil.leaving_date.is_not(None)):
            p.archived = True
    with store.session() as s:
        from sencodesk.safety.retention import put_on_hold

        put_on_hold(s, leaver, "Insurance claim open")
        commands.save_pupil(s, {"ehcp_weekly_minutes": 20 * 60}, ids.pupil)
    with store.read() as s:
        from sencodesk.safety.history import history
        from sencodesk.safety.retention import retention_review_list

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
            FundingModel: funding_rows(s),
            ContractModel: contract_rows(s),
            ReviewDueModel: reviews_due(s, before=today + dt.timedelta(days=400)),
            ReviewModel: list_reviews(s),
            RecordModel: list_records(s),
            LostSupportModel: plan.lost,
            CandidateModel: plan.candidates,
            HistoryModel: history(s, "pupil", ids.pupil),
            RetentionModel: retention_review_list(s, today),
            # a server's logins (``school_users`` reads them from PostgreSQL's catalogue)
            TeamModel: [
                TeamUser("amy.lsa", "lsa", ids.lsa, "Amy Lsa", True, None, None),
                TeamUser(
                    "bob.bm",
                    "business_manager",
                    None,
                    "",
                    False,
                    None,
                    dt.datetime(2026, 9, 1, 9, 30),
                ),
                TeamUser("cat.head", "head", None, "", True, None, None),
            ],
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
    HistoryModel,
    RetentionModel,
    TeamModel,
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
    # Filtering as the user types: narrow to some rows, widen with Backspace, clear.
    word = model.cell_text(model.row_at(0), 0).lower().split()[0]
    typed = [word[: n + 1] for n in range(min(len(word), 4))]
    for text in [*typed, *reversed(typed[:-1]), ""]:
        model.set_filter(text)
        assert 0 < model.rowCount() <= len(rows[cls])
        folded = fold(text)  # as the filter reads what is typed: no case, accents, punctuation
        assert all(all(w in model.search_key(r) for w in folded.split()) for r in model.rows)
    model.set_filter("zzzz-no-such-thing")
    assert model.rowCount() == 0
    model.set_filter("")
    model.set_rows(rows[cls])
    assert model.rowCount() == len(rows[cls])


def test_every_table_model_is_tested():
    """Every item model defined anywhere in ui/ (pages, dialogs, widgets) is in MODELS."""
    import importlib
    import pkgutil

    from PySide6.QtCore import QAbstractItemModel

    import ui

    found = set()
    for info in pkgutil.walk_packages(ui.__path__, "ui."):
        mod = importlib.import_module(info.name)
        found |= {
            v
            for v in vars(mod).values()
            if isinstance(v, type)
            and issubclass(v, QAbstractItemModel)
            and v.__module__ == mod.__name__
            and v.__name__ != "RowTableModel"  # the base: its subclasses give the columns
        }
    from ui.models.alerts import AlertModel  # a tree: tests/ui/test_alert_list.py checks it

    assert found == set(MODELS) | {AlertModel}


def test_filter_as_typed_matches_a_fresh_filter():
    """Typing on, Backspace and retyping reuse earlier results; they match filtering afresh."""
    from dataclasses import dataclass

    from ui.models.base import Column, RowTableModel

    @dataclass(frozen=True)
    class Row:
        id: int
        name: str
        year: str

    class Model(RowTableModel):
        COLUMNS = (Column("Name", lambda r: r.name), Column("Year", lambda r: r.year))

    names = ["Amelia Hart", "Amir Khan", "Mia Cole", "Ham Smith", "Sam Hamid", "Tom Cole"]
    data = [Row(i, n, f"Year {i % 4 + 3}") for i, n in enumerate(names * 5)]
    model, fresh = Model(), Model()
    model.set_rows(data)
    steps = ["a", "am", "ami", "am", "a", "a c", "a co", "a c", "a", "", "ham", "ham y", "year 3"]
    steps += ["year", "year 3", "ye", "m", "mi", "mia", "mi", "m", "amel", "am"]
    for n, text in enumerate(steps):
        model.set_filter(text)
        if n == 12:
            model.sort(0, Qt.SortOrder.DescendingOrder)  # a sort forgets the earlier results
        fresh.set_rows(model.all_rows)
        fresh.set_filter(text)
        assert [r.id for r in model.rows] == [r.id for r in fresh.rows], text


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


def test_funding_gap_says_what_it_means(qtbot):
    """The Gap column is never blank: no contract linked, covered, unfunded days and £, or
    a contract with no end date and a year's £ (#12: the money where the decision is)."""
    import datetime as dt
    from decimal import Decimal

    from sencodesk.queries.money import FundingRow
    from sencodesk.rules.coverage import funding_gap

    def row(rid, end, ids=(), last=None, open_ended=False):
        gap = funding_gap(end, dt.date(2025, 9, 1), last, Decimal("15567.09")) if ids else None
        return FundingRow(
            rid, 1, "Zoë Ní Bhriain", "ehcp", "Kent County Council", "", None, None,
            dt.date(2025, 9, 1), end, "confirmed", ids, last, open_ended,
            (gap,) if gap else (),
        )  # fmt: skip

    model = FundingModel()
    model.set_rows(
        [
            row(1, dt.date(2026, 3, 31)),
            row(2, None, (7,), dt.date(2026, 7, 31)),
            row(3, dt.date(2026, 3, 31), (7,), dt.date(2026, 7, 31)),
            row(4, dt.date(2026, 3, 31), (7,), dt.date(2026, 2, 28)),
            row(5, dt.date(2026, 3, 31), (7,), None, True),
        ]
    )
    gaps = {model.row_at(r).id: model.index(r, FundingModel.COL_GAP).data() for r in range(5)}
    assert gaps == {
        1: "no contract linked",
        2: "covered (no end date)",
        3: "122 days, £5,203.25 unfunded",
        4: "covered",
        5: "no end date, £15,567.09 a year unfunded",
    }


def test_keys_made_by_the_load_op_are_taken_as_they_are(rows):
    """The pupils page's load op makes the search keys on the worker
    (``PupilListModel.keyed``): ``set_rows`` on the GUI thread folds none, and each key
    stays with its row through the model's sort."""
    from ui.models.base import KeyedRows

    plain = rows[PupilListModel]
    keyed = PupilListModel.keyed(plain)
    assert isinstance(keyed, KeyedRows) and list(keyed) == plain
    mine = PupilListModel()
    assert keyed.keys == [mine.search_key(r) for r in plain]  # the model's own rule

    model = PupilListModel()
    model.sort(PupilListModel.COL_NAME, Qt.SortOrder.DescendingOrder)

    def no_folding(_row):
        raise AssertionError("a key folded on the GUI thread")

    model.search_key = no_folding  # type: ignore[method-assign]
    model.set_rows(keyed)
    for text, expected in (("amelia", ["Amelia Hart"]), ("year 3", ["Zoë Nguyễn"])):
        model.set_filter(text)
        assert [r.name for r in model.rows] == expected, text
    model.set_filter("")
    assert [r.name for r in model.rows] == ["Zoë Nguyễn", "Amelia Hart"]


def test_keys_made_by_another_models_rule_are_not_taken(rows):
    from ui.models.base import KeyedRows

    plain = rows[PupilListModel]
    model = PupilListModel()
    model.set_rows(KeyedRows(plain, [" nothing "] * len(plain), StaffListModel))
    model.set_filter("amelia")
    assert [r.name for r in model.rows] == ["Amelia Hart"]
    with pytest.raises(TypeError):
        RetentionModel.keyed([])  # it has its own search_key: keyed() would not use it
