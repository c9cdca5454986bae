"""A 1024x768 projector and a 1366x768 laptop: every page and every editor fits, with the
columns a SENCO acts on (whose, until when, the gap) and every field in view, and a name as
long as the rules allow elided (with its tooltip) rather than widening the window."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import QPoint

from sencodesk import commands
from tests.ui.seed import WEEK, seed_more, seed_school

LONG_FIRST = "Maximiliana" * 9  # 99 letters: what the rules allow
LONG_LAST = "Wiśniewska-O'Neill-Nguyễn" * 4  # 100 letters


@pytest.fixture
def narrow(qtbot: Any, store: Any, db_path: Any, monkeypatch: pytest.MonkeyPatch, request):
    """The window at the screen's size, with a pupil and an LSA whose names are as long as
    the rules allow."""
    from ui import screen
    from ui.main_window import MainWindow

    width, height = request.param
    monkeypatch.setattr(screen, "available", lambda _w=None: (0, 0, width, height))
    today = dt.date.today()
    ids = seed_school(store, today)
    seed_more(store, ids, today)
    with store.session() as s:
        long_pupil = commands.save_pupil(
            s,
            {
                "legal_first_name": LONG_FIRST,
                "legal_last_name": LONG_LAST,
                "date_of_birth": dt.date(today.year - 8, 5, 1),
                "sen_code": "K",
                "class_name": "Willow",
            },
        )
        long_lsa = commands.save_staff(
            s, {"first_name": LONG_FIRST, "last_name": LONG_LAST, "role": "lsa_1to1"}
        )
        # Funding that ends long before the contract it pays for: the gap's days and £.
        funding = commands.save_funding(
            s,
            {
                "pupil_id": long_pupil,
                "source": "top_up",
                "funder": "Kent",
                "amount_per_year": Decimal("9500"),
                "start_date": today - dt.timedelta(days=100),
                "end_date": today + dt.timedelta(days=60),
            },
        )
        commands.save_contract(
            s,
            {
                "staff_id": long_lsa,
                "kind": "fixed_term",
                "job_title": "1:1 LSA for a pupil with a very long name indeed",
                "start_date": today - dt.timedelta(days=100),
                "end_date": today + dt.timedelta(days=330),
                "fte_salary": Decimal("23297"),
                "days": WEEK,
                "paid_weeks": Decimal("43.108"),
                "funding_id": funding,
            },
        )
    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(width, height)
    win.show()
    win.open_database(db_path)
    qtbot.waitUntil(lambda: bool(win.ctx.school_name) and not win.worker.busy, timeout=10000)
    yield win, ids, long_pupil, long_lsa, width
    win.close()


def settle(qtbot: Any, win: Any) -> None:
    qtbot.waitUntil(lambda: not win.worker.busy, timeout=10000)
    qtbot.wait(30)


def key_columns_in_view(win: Any) -> list[str]:
    """Each shown table's key columns that do not lie wholly inside its viewport."""
    from ui.widgets.table import Table

    out = []
    for table in win.findChildren(Table):
        if not table.isVisible() or table.width() < 50:
            continue
        model = table.source()
        room = table.viewport().width()
        for col in model.KEY_COLUMNS:
            if table.isColumnHidden(col):
                continue
            right = table.columnViewportPosition(col) + table.columnWidth(col)
            if table.columnViewportPosition(col) < 0 or right > room:
                out.append(f"{table.accessibleName()}: {model.COLUMNS[col].title}")
    return out


def fits(win: Any, width: int, where: str) -> None:
    assert win.width() <= width, f"{where}: the window grew to {win.width()} px"
    assert win.minimumSizeHint().width() <= width, f"{where}: wants {win.minimumSizeHint()}"
    assert not key_columns_in_view(win), f"{where}: {key_columns_in_view(win)} off-screen"


SIZES = [(1024, 768), (1366, 768)]


@pytest.mark.parametrize("narrow", SIZES, indirect=True, ids=["1024", "1366"])
def test_every_page_and_tab_fits_with_its_key_columns_in_view(qtbot, narrow):
    from ui.pages import PAGES

    win, ids, long_pupil, long_lsa, width = narrow
    for key, title, _m, _c in PAGES:
        page = win.show_page(key)
        settle(qtbot, win)
        fits(win, width, title)
        tabs = getattr(page, "tabs", None)
        for i in range(tabs.count() if tabs is not None else 0):
            tabs.setCurrentIndex(i)
            settle(qtbot, win)
            fits(win, width, f"{title}, {tabs.tabText(i)}")
    # Cover with a plan on screen: Sarah Cole away on a Monday, her two pupils losing support.
    cover = win.show_page("cover")
    settle(qtbot, win)
    monday = dt.date.today() + dt.timedelta(days=7 - dt.date.today().weekday())
    with qtbot.waitSignal(cover.loaded, timeout=10000):
        cover.choose(ids.lsa, monday)
    assert cover.lost_model.rowCount() == 2
    fits(win, width, "Cover, with a plan")
    for pupil in (ids.pupil, long_pupil):
        win.open_pupil(pupil)
        settle(qtbot, win)
        view = win.show_page("pupils").view
        for i in range(view.tabs.count()):
            view.tabs.setCurrentIndex(i)
            settle(qtbot, win)
            fits(win, width, f"pupil {pupil}, {view.tabs.tabText(i)}")
    for lsa in (ids.lsa, long_lsa):
        win.open_staff(lsa)
        settle(qtbot, win)
        view = win.show_page("staff").view
        for i in range(view.tabs.count()):
            view.tabs.setCurrentIndex(i)
            settle(qtbot, win)
            fits(win, width, f"staff {lsa}, {view.tabs.tabText(i)}")


@pytest.mark.parametrize("narrow", SIZES[:1], indirect=True, ids=["1024"])
def test_a_long_name_is_elided_with_the_whole_name_as_its_tooltip(qtbot, narrow):
    win, _ids, long_pupil, _lsa, _w = narrow
    win.open_pupil(long_pupil)
    settle(qtbot, win)
    name = win.show_page("pupils").view.name
    whole = f"{LONG_FIRST} {LONG_LAST}"
    assert name.text() != whole and name.text().endswith("…")
    assert whole in name.toolTip()
    assert name.geometry().right() <= win.width()
    # An ordinary name is shown whole, to its last letter (it was cut mid-letter, no "…").
    win.open_pupil(_ids.pupil)
    settle(qtbot, win)
    assert name.text() == "Amelia Hart" and not name.toolTip()
    room = name.contentsRect().width()
    assert name.fontMetrics().horizontalAdvance("Amelia Hart") < room - 2


def editors(win: Any, ids: Any, long_pupil: int, long_lsa: int) -> list[tuple[str, Any]]:
    from ui.dialogs.contract_editor import ContractEditor
    from ui.dialogs.pupil_editors import OutcomeEditor, PupilEditor
    from ui.dialogs.record_editor import RecordEditor
    from ui.dialogs.review_editor import ReviewEditor
    from ui.dialogs.school_editor import SchoolEditor
    from ui.dialogs.staff_editors import (
        DbsEditor,
        QualificationEditor,
        StaffEditor,
        TrainingEditor,
    )
    from ui.dialogs.support_editors import AssignmentEditor, FundingEditor
    from ui.dialogs.term_dates import TermDatesEditor

    ctx = win.ctx
    return [
        ("pupil", lambda: PupilEditor(ctx)),
        ("outcome", lambda: OutcomeEditor(ctx, ids.pupil)),
        ("funding", lambda: FundingEditor(ctx, pupil_id=ids.pupil)),
        ("assignment", lambda: AssignmentEditor(ctx, pupil_id=long_pupil)),
        ("assignment for an LSA", lambda: AssignmentEditor(ctx, staff_id=long_lsa)),
        ("review", lambda: ReviewEditor(ctx, pupil_id=ids.pupil)),
        ("incident", lambda: RecordEditor(ctx, pupil_id=long_pupil, kind="incident")),
        ("note", lambda: RecordEditor(ctx, pupil_id=ids.pupil, kind="note")),
        ("staff", lambda: StaffEditor(ctx)),
        ("contract", lambda: ContractEditor(ctx, staff_id=long_lsa)),
        ("qualification", lambda: QualificationEditor(ctx, staff_id=ids.lsa)),
        ("training", lambda: TrainingEditor(ctx, staff_id=ids.lsa)),
        ("dbs", lambda: DbsEditor(ctx, staff_id=ids.lsa)),
        ("school", lambda: SchoolEditor(ctx, win)),
        ("term dates", lambda: TermDatesEditor(ctx, parent=win)),
    ]


@pytest.mark.parametrize("narrow", SIZES, indirect=True, ids=["1024", "1366"])
def test_every_editor_fits_the_screen_with_every_field_in_view(qtbot, narrow):
    win, ids, long_pupil, long_lsa, width = narrow
    for what, make in editors(win, ids, long_pupil, long_lsa):
        ed = make()
        ed.show()
        settle(qtbot, win)
        assert ed.width() <= width - 16, f"{what} editor: {ed.width()} px wide"
        assert ed.height() <= 768 - 40, f"{what} editor: {ed.height()} px tall"
        area = ed.scroll_area
        assert not area.horizontalScrollBar().isVisible(), f"{what} editor scrolls sideways"
        room = area.viewport().width()
        for name, field in ed.form.fields.items():
            if not field.isVisibleTo(ed):
                continue
            left = field.mapTo(area.viewport(), QPoint(0, 0)).x()
            assert left >= 0 and left + field.width() <= room, f"{what}: {name} cut off"
        assert ed.save_button.mapTo(ed, QPoint(0, 0)).y() + ed.save_button.height() <= (ed.height())
        ed.form.dirty = False
        ed.reject()


@pytest.mark.parametrize("narrow", [(1024, 768)], indirect=True, ids=["1024"])
def test_a_page_chosen_with_the_mouse_fits_its_columns_as_by_keyboard(qtbot, narrow):
    """Clicking a page in the sidebar lays its tables out while the mouse button is still
    down: that is not the user dragging a column edge, so the columns still fit their text
    (the review dates whole, not "21/11/20…")."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from ui.main_window import PAGE_KEYS

    win, *_ = narrow
    settle(qtbot, win)
    item = win.sidebar.item(PAGE_KEYS.index("reviews"))
    at = win.sidebar.visualItemRect(item).center()
    vp = win.sidebar.viewport()
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at)
    settle(qtbot, win)
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at)
    settle(qtbot, win)
    page = win.pages["reviews"]
    assert win.current_key == "reviews"
    for table in (page.due, page.meetings):
        natural = table.natural_widths()
        squeezes = table._squeezes()
        cut = [
            table.source().COLUMNS[c].title
            for c, n in enumerate(natural)
            if n and squeezes[c] == 0 and table.columnWidth(c) < n
        ]
        assert cut == [], f"{table.accessibleName()}: {cut} cut"


@pytest.mark.parametrize("narrow", SIZES, indirect=True, ids=["1024", "1366"])
def test_the_records_incident_form_shows_every_box_whole(qtbot, narrow):
    """Records' quick entry switched to an incident: its longer labels widen the form, and
    every box (the time, the drop-downs' arrows) stays whole inside the form's area."""
    win, *_rest, width = narrow
    page = win.show_page("records")
    settle(qtbot, win)
    page.form.fields["kind"].set_value("incident")
    settle(qtbot, win)
    view = page.form.parentWidget()  # the viewport of the form's scroll area
    cut = []
    for name, field in page.form.fields.items():
        if not field.isVisible():
            continue
        right = field.mapTo(view, field.rect().topRight()).x()
        if right >= view.width():
            cut.append(name)
    assert cut == [], f"cut at the form's right edge at {width} px: {cut}"
    fits(win, width, "records (incident)")
    page.form.dirty = False
