"""Keyboard and screen-reader use: every input and table has an accessible name and takes
focus; Tab reaches it; no window title ever shows a pupil's name; first run."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QWidget,
)

from tests.ui import keyboard as kb
from tests.ui.helpers import all_titles, find_dialog, open_first_run
from tests.ui.seed import seed_more, seed_school
from ui.main_window import PAGES, MainWindow


@pytest.fixture
def seeded(qtbot, store, db_path):
    ids = seed_school(store, dt.date.today())
    yield from open_window(qtbot, db_path, ids)


@pytest.fixture
def seeded_full(qtbot, store, db_path):
    """As ``seeded``, with a row in every list (meetings, records, training, DBS…)."""
    ids = seed_school(store, dt.date.today())
    seed_more(store, ids, dt.date.today())
    yield from open_window(qtbot, db_path, ids)


def open_window(qtbot, db_path, ids):
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    win.open_database(db_path)
    qtbot.waitUntil(lambda: bool(win.ctx.school_name) and not win.worker.busy, timeout=10000)
    yield win, ids
    win.close()


def check_keyboard(where: str, root: QWidget) -> list[str]:
    """Everything a keyboard or screen-reader user needs of one screen, as problems."""
    problems = [f"{where}: no accessible name or buddy label: {w}" for w in kb.unnamed(root)]
    seen = kb.tab_walk(root)
    problems += [
        f"{where}: Tab stops at a widget with no name: {w}" for w in kb.unnamed_stops(seen)
    ]
    problems += [f"{where}: Tab never reaches {w}" for w in kb.unreachable(root, seen)]
    problems += [f"{where}: Alt+{k} is claimed by {v}" for k, v in kb.clashes(root).items()]
    return problems


def page_states(qtbot, win, ids):
    """Every page of the main window, and every tab of the pages that have tabs."""
    wait = lambda: qtbot.waitUntil(lambda: not win.worker.busy, timeout=10000)  # noqa: E731
    for key, *_rest in PAGES:
        page = win.show_page(key)
        wait()
        if key == "cover":
            page.choose(ids.lsa, next_weekday(dt.date.today(), 0))
            wait()
        if key == "records":
            yield "records (support note)"
            page.form.fields["kind"].set_value("incident")
            yield "records (incident)"
            page.form.dirty = False
        elif key == "money":
            for i in range(page.tabs.count()):
                page.tabs.setCurrentIndex(i)
                yield f"money, {page.tabs.tabText(i)!r} tab"
        else:
            yield key
    for opener, view in ((win.open_pupil, "pupils"), (win.open_staff, "staff")):
        opener(ids.pupil if view == "pupils" else ids.lsa)
        wait()
        tabs = win.pages[view].view.tabs
        for i in range(tabs.count()):
            tabs.setCurrentIndex(i)
            yield f"{view} page, {tabs.tabText(i)!r} tab"


def next_weekday(d: dt.date, weekday: int) -> dt.date:
    return d + dt.timedelta(days=(weekday - d.weekday()) % 7 or 7)


def test_every_page_is_named_reachable_by_tab_and_free_of_mnemonic_clashes(qtbot, seeded):
    win, ids = seeded
    problems: list[str] = []
    states = []
    for state in page_states(qtbot, win, ids):
        states.append(state)
        problems += check_keyboard(state, win)
    assert len(states) >= 18
    assert problems == []


EDITORS = [
    "ui.dialogs.pupil_editors.PupilEditor",
    "ui.dialogs.pupil_editors.OutcomeEditor",
    "ui.dialogs.staff_editors.StaffEditor",
    "ui.dialogs.staff_editors.QualificationEditor",
    "ui.dialogs.staff_editors.TrainingEditor",
    "ui.dialogs.staff_editors.DbsEditor",
    "ui.dialogs.contract_editor.ContractEditor",
    "ui.dialogs.support_editors.FundingEditor",
    "ui.dialogs.support_editors.AssignmentEditor",
    "ui.dialogs.review_editor.ReviewEditor",
    "ui.dialogs.record_editor.RecordEditor",
    "ui.dialogs.school_editor.SchoolEditor",
    "ui.dialogs.term_dates.TermDatesEditor",
    "ui.dialogs.meeting_record.MeetingRecordDialog",
]


def open_editor(win, ids, path: str):
    import importlib

    mod, cls_name = path.rsplit(".", 1)
    cls = getattr(importlib.import_module(mod), cls_name)
    kwargs = {
        "ContractEditor": {"staff_id": ids.lsa},
        "FundingEditor": {"pupil_id": ids.pupil},
        "AssignmentEditor": {"pupil_id": ids.pupil},
        "ReviewEditor": {"pupil_id": ids.pupil},
        "RecordEditor": {"pupil_id": ids.pupil, "kind": "incident"},
        "QualificationEditor": {"staff_id": ids.lsa},
        "TrainingEditor": {"staff_id": ids.lsa},
        "DbsEditor": {"staff_id": ids.lsa},
    }
    args: tuple = (ids.pupil,) if cls_name == "OutcomeEditor" else ()
    if cls_name == "MeetingRecordDialog":
        args = (_meeting_record(ids.pupil),)
    return cls(win.ctx, *args, **kwargs.get(cls_name, {}))


def _meeting_record(pupil_id: int):
    """A meeting's record as the worker would load it (with advice and an amendment)."""
    from sencodesk.queries.review_record import AdviceRow, AmendmentRow, MeetingRecord

    texts = dict.fromkeys(
        ("exclusions", "attainment", "needs_changes", "health_care", "social_care"), ""
    )
    texts |= dict.fromkeys(("aspirations", "pupil_views", "parent_views", "school_view"), "")
    return MeetingRecord(
        id=1,
        version=1,
        pupil_id=pupil_id,
        pupil_name="A pupil",
        sen_code="E",
        kind="annual",
        meeting_at=dt.datetime(2026, 3, 9, 14),
        place="",
        held_on=None,
        report_sent_on=None,
        recommendation=None,
        outcome=None,
        next_step=None,
        attendance_percent=None,
        attendees="",
        sent_to="",
        invitees=(("Mum", "Parent"),),
        advice=(AdviceRow(1, "ep", "Dr A", None, "Visual timetable", True),),
        amendments=(AmendmentRow(1, "B", "Communication first"),),
        **texts,
    )


def test_every_editor_module_is_walked():
    """A new editor must be added to EDITORS (and so to the keyboard checks)."""
    import importlib
    import pkgutil

    import ui.dialogs
    from ui.dialogs.editor import EditorDialog

    found = set()
    for info in pkgutil.iter_modules(ui.dialogs.__path__):
        mod = importlib.import_module(f"ui.dialogs.{info.name}")
        found |= {
            f"{v.__module__}.{v.__name__}"
            for v in vars(mod).values()
            if isinstance(v, type) and issubclass(v, EditorDialog) and v is not EditorDialog
        }
    assert found == set(EDITORS)


@pytest.mark.parametrize("path", EDITORS, ids=lambda p: p.rsplit(".", 1)[1])
def test_every_editor_works_from_the_keyboard(qtbot, seeded, path):
    win, ids = seeded
    ed = open_editor(win, ids, path)
    ed.show()
    qtbot.waitUntil(lambda: not win.worker.busy and ed.isEnabled(), timeout=10000)
    assert ed.windowTitle() and "Hart" not in ed.windowTitle()
    assert check_keyboard(type(ed).__name__, ed) == []
    # Typing starts in the first field; Tab goes through every field, then Save and Cancel.
    first = next(f for f in ed.form.fields.values() if f.isVisible())
    assert QApplication.focusWidget() is (first.focusProxy() or first)
    walk = kb.tab_walk(ed)
    fields = [f for f in ed.form.fields.values() if f.isVisible() and f.isEnabled()]
    order = [
        next(i for i, w in enumerate(walk) if w is f or f.isAncestorOf(w) or w is f.focusProxy())
        for f in fields
    ]
    assert order == sorted(order), "Tab visits the fields out of order"
    save = walk.index(ed.save_button)
    assert save > order[-1], "Save comes before the last field"
    assert walk[-1].text() == "Cancel"
    # Escape closes an editor with nothing typed in it.
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert not ed.isVisible()


def test_first_run_dialog_works_from_the_keyboard(qtbot, db_path):
    from ui.dialogs.first_run import FirstRunDialog

    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    win.open_database(db_path)
    qtbot.waitUntil(
        lambda: any(
            isinstance(w, FirstRunDialog) and w.isVisible() for w in QApplication.topLevelWidgets()
        ),
        timeout=10000,
    )
    dlg = find_dialog(FirstRunDialog)
    assert check_keyboard("first run", dlg) == []
    dlg.reject()
    win.close()


def focused() -> QWidget:
    w = QApplication.focusWidget()
    assert w is not None
    return w


def test_keyboard_alone_finds_and_opens_a_pupil(qtbot, seeded):
    win, ids = seeded
    qtbot.keyClick(win, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # Pupils
    page = win.pages["pupils"]
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=10000)
    assert focused() is page.filter  # the page is ready to type into
    qtbot.keyClicks(page.filter, "hart")
    assert page.model.rowCount() == 1
    with qtbot.waitSignal(page.view.loaded, timeout=10000):
        qtbot.keyClick(page.filter, Qt.Key.Key_Return)
    assert page.view.pupil_id == ids.pupil
    # Escape goes back to the list, with the filter ready for the next search.
    page.view.tabs.tabBar().setFocus()
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    assert page.inner.currentIndex() == 0 and focused() is page.filter
    # Down moves into the list; Enter opens the pupil; Alt+Left goes back too.
    qtbot.keyClick(page.filter, Qt.Key.Key_Down)
    assert focused() is page.table
    with qtbot.waitSignal(page.view.loaded, timeout=10000):
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    qtbot.keyClick(page.view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert page.inner.currentIndex() == 0
    # Escape in the filter clears it; Ctrl+F comes back to it from anywhere.
    qtbot.keyClick(page.filter, Qt.Key.Key_Escape)
    assert page.filter.text() == "" and page.model.rowCount() == 2
    page.table.setFocus()
    qtbot.keyClick(win, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert focused() is page.filter


def test_keyboard_alone_opens_a_member_of_staff_and_goes_back(qtbot, seeded):
    win, ids = seeded
    qtbot.keyClick(win, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)  # Staff
    page = win.pages["staff"]
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=10000)
    assert focused() is page.filter
    qtbot.keyClicks(page.filter, "cole")
    with qtbot.waitSignal(page.view.loaded, timeout=10000):
        qtbot.keyClick(page.filter, Qt.Key.Key_Enter)
    assert page.view.staff_id == ids.lsa
    page.view.contracts.table.setFocus()
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    assert page.inner.currentIndex() == 0


def test_keyboard_alone_opens_an_alert_and_a_timeline_lane(qtbot, seeded):
    win, ids = seeded
    qtbot.keyClick(win, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)  # Dashboard
    dash = win.pages["dashboard"]
    qtbot.waitUntil(lambda: bool(dash.alert_rows()) and not win.worker.busy, timeout=10000)
    assert focused() is dash.alerts
    row = next(
        i for i in dash.alert_rows() if i.data(Qt.ItemDataRole.UserRole).subject_kind == "pupil"
    )
    alert = row.data(Qt.ItemDataRole.UserRole)
    dash.alerts.setCurrentIndex(row)
    qtbot.keyClick(dash.alerts, Qt.Key.Key_Return)
    assert win.current_key == "pupils"
    pupil = win.pages["pupils"].view
    qtbot.waitUntil(lambda: pupil.pupil_id == alert.subject_id)
    # Tab reaches the timeline; Down picks the next pupil's lane; Enter opens that pupil.
    qtbot.keyClick(win, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is dash.timeline
    qtbot.keyClick(dash.timeline, Qt.Key.Key_Down)
    lane = dash.timeline.lanes[dash.timeline.current]
    qtbot.keyClick(dash.timeline, Qt.Key.Key_Return)
    assert win.current_key == "pupils"
    qtbot.waitUntil(lambda: pupil.pupil_id == lane.pupil_id)


def test_no_window_title_contains_a_pupil_name(qtbot, seeded):
    win, ids = seeded
    names = ("Amelia", "Hart", "Zoë", "Nguyễn")
    win.open_pupil(ids.pupil)
    qtbot.waitUntil(lambda: not win.worker.busy, timeout=10000)
    win.pages["pupils"].view.edit_pupil()
    win.pages["pupils"].view.outcomes.add()
    win.pages["pupils"].view.records.add()
    qtbot.waitUntil(lambda: not win.worker.busy, timeout=10000)
    titles = all_titles()
    assert len(titles) >= 4
    assert not [t for t in titles if any(n in t for n in names)]
    assert win.windowTitle() == "SENCO Desk — Oakfield Primary"


def test_first_run_offers_to_start_empty(qtbot, db_path, dialogs):
    win, dlg = open_first_run(qtbot, db_path)
    assert dlg.empty.isChecked()
    dlg.form.fields["la_name"].set_value("Kent")
    dlg.go()  # no school name
    qtbot.waitUntil(lambda: bool(dlg.form.error_text("name")), timeout=10000)
    dlg.form.fields["name"].set_value("Brook Lane Primary")
    dlg.go()
    qtbot.waitUntil(lambda: win.windowTitle() == "SENCO Desk — Brook Lane Primary", timeout=10000)
    assert not dlg.isVisible()
    win.close()


def test_ctrl_number_opens_every_page_ready_for_the_keyboard(qtbot, seeded):
    """Ctrl+1..7 shows each page in turn, and the keyboard lands on it (not on nothing,
    nor on the sidebar) so the user can go on at once."""
    win, _ids = seeded
    for n, (key, *_rest) in enumerate(PAGES):
        qtbot.keyClick(win, Qt.Key(Qt.Key.Key_1 + n), Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: not win.worker.busy, timeout=10000)
        assert win.current_key == key
        page = win.pages[key]
        qtbot.waitUntil(lambda p=page: p.isAncestorOf(QApplication.focusWidget()), timeout=5000)
        assert kb.spoken_name(focused()), f"{key}: the focus has no name"


def activate(qtbot, win):
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=5000)


def visible_tables(win):
    from ui.widgets.table import Table

    return [t for t in win.findChildren(Table) if t.isVisibleTo(win) and t.model().rowCount()]


def test_enter_on_a_row_opens_it_on_every_page(qtbot, seeded_full):
    """On every list, Enter on the current row opens it (a page or an editor), or for the
    Cover page's pupils moves on to the staff who could cover."""
    win, ids = seeded_full
    opened: dict[str, str] = {}
    for state in page_states(qtbot, win, ids):
        key = win.current_key
        for table in visible_tables(win):
            where = f"{state}: {table.accessibleName()}"
            if where in opened:
                continue
            before = {w for w in QApplication.topLevelWidgets() if w.isVisible()}
            view = getattr(win.pages[key], "inner", None)
            inner = view.currentIndex() if view is not None else None
            table.setFocus()
            table.selectRow(0)
            win.statusBar().clearMessage()
            qtbot.keyClick(table, Qt.Key.Key_Return)
            qtbot.waitUntil(lambda: not win.worker.busy, timeout=10000)
            new = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w not in before]
            if new:
                opened[where] = type(new[-1]).__name__
                for w in new:
                    w.reject()
                activate(qtbot, win)
            elif win.current_key != key:
                opened[where] = f"page {win.current_key}"
                win.show_page(key)
            elif view is not None and view.currentIndex() != inner:
                opened[where] = "its page"
                view.setCurrentIndex(inner)
            elif QApplication.focusWidget() is not table:
                opened[where] = f"focus to {kb.spoken_name(focused())}"
            elif win.statusBar().currentMessage():
                opened[where] = f"said {win.statusBar().currentMessage()!r}"
            else:
                opened[where] = ""
            qtbot.waitUntil(lambda: not win.worker.busy, timeout=10000)
    assert len(opened) >= 19, opened
    assert [w for w, what in opened.items() if not what] == [], opened
    assert opened["cover: Pupils losing support"] == "focus to Staff who could cover"


@pytest.mark.parametrize("path", EDITORS, ids=lambda p: p.rsplit(".", 1)[1])
def test_enter_in_an_editor_presses_save(qtbot, seeded, path):
    win, ids = seeded
    ed = open_editor(win, ids, path)
    ed.show()
    qtbot.waitUntil(lambda: not win.worker.busy and ed.isEnabled(), timeout=10000)
    assert ed.save_button.isDefault()
    # Enter in a one-line field (not a note, where Enter starts a new line) is Save.
    from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QLineEdit

    line = next(
        w
        for w in kb.tab_walk(ed)
        if isinstance(w, QLineEdit | QAbstractSpinBox | QComboBox) and w.window() is ed
    )
    line.setFocus()
    with qtbot.waitSignal(ed.save_button.clicked, timeout=2000):
        qtbot.keyClick(line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not win.worker.busy, timeout=10000)
    if ed.isVisible():  # not saved: the form says why, and Escape still closes it
        ed.form.dirty = False
        qtbot.keyClick(focused(), Qt.Key.Key_Escape)
        assert not ed.isVisible()


def blank_pdf() -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QPainter, QPdfWriter

    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buf)
    painter = QPainter(writer)
    painter.drawText(100, 100, "Report")
    painter.end()
    buf.close()
    return bytes(data.data())


def other_dialog(win, ids, name: str):
    """The dialogs that are not editors, each as the app opens it."""
    from types import SimpleNamespace

    from ui.dialogs import help as help_
    from ui.dialogs import history, passphrase, report_preview, retention, review_packs

    leaver = SimpleNamespace(pupil_id=ids.pupil, name="Keira Holdsworth", upn=None)
    return {
        "HistoryDialog": lambda: history.HistoryDialog(win.ctx, "pupil", ids.pupil, "a pupil"),
        "RetentionDialog": lambda: retention.RetentionDialog(win.ctx, win),
        "HoldDialog": lambda: retention.HoldDialog(win.ctx, win, leaver),
        "EraseDialog": lambda: retention.EraseDialog(win.ctx, win, leaver),
        "ReviewPacksDialog": lambda: review_packs.ReviewPacksDialog(win.ctx, win),
        "NewPassphraseDialog": lambda: passphrase.NewPassphraseDialog(
            win, "Encrypt the database", "Choose a passphrase.", optional=True
        ),
        "ReportPreview": lambda: report_preview.ReportPreview(
            win.ctx, "Provision map", blank_pdf(), stem="provision-map", parent=win
        ),
        "UserGuide": lambda: help_.UserGuide(win),
    }[name]()


OTHER_DIALOGS = [
    "HistoryDialog",
    "RetentionDialog",
    "HoldDialog",
    "EraseDialog",
    "ReviewPacksDialog",
    "NewPassphraseDialog",
    "ReportPreview",
    "UserGuide",
]


@pytest.mark.parametrize("name", OTHER_DIALOGS)
def test_every_other_dialog_works_from_the_keyboard(qtbot, seeded, name):
    """Named, reachable by Tab, no mnemonic clashes; Escape closes it."""
    win, ids = seeded
    box = other_dialog(win, ids, name)
    box.show()
    qtbot.waitUntil(lambda: not win.worker.busy, timeout=10000)
    assert box.windowTitle() and "Hart" not in box.windowTitle()
    assert check_keyboard(name, box) == []
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    assert not box.isVisible()


def test_another_pupils_tabs_are_hidden_until_their_own_detail_arrives(qtbot, seeded):
    """Opening a second pupil: never their name over the first pupil's tabs, nor the first
    pupil's outcomes under "Loading…"."""
    win, ids = seeded
    view = win.pages["pupils"].view
    with qtbot.waitSignal(view.loaded, timeout=10000):
        win.open_pupil(ids.pupil)
    first = view.name.text()
    assert view.tabs.isVisible() and first != "Loading…"
    with qtbot.waitSignal(view.loaded, timeout=10000):
        win.open_pupil(ids.medical_pupil)
        assert view.name.text() == "Loading…" and view.summary_label.text() == ""
        assert not view.tabs.isVisible()
    assert view.tabs.isVisible() and view.name.text() not in (first, "Loading…")
    # The same pupil again (a refresh): the tabs stay, nothing blinks.
    win.open_pupil(ids.medical_pupil)
    assert view.tabs.isVisible()
