"""A school started empty through the first-run dialog: every page, list and tab says what to
do instead of showing a blank grid, and nothing raises."""

from __future__ import annotations

import datetime as dt

from PySide6.QtGui import QColor

from tests.ui.helpers import all_titles, fill, find_dialog, open_first_run
from ui.dialogs.pupil_editors import PupilEditor
from ui.dialogs.staff_editors import StaffEditor
from ui.main_window import PAGES
from ui.widgets.table import Table


def start_empty(qtbot, db_path):
    win, first = open_first_run(qtbot, db_path)
    fill(first.form, name="St Mary's CE Primary", la_name="Kent")
    first.go()
    qtbot.waitUntil(lambda: bool(win.ctx.school_name) and not win.worker.busy, timeout=10000)
    return win


def settle(qtbot, win):
    qtbot.waitUntil(lambda: not win.worker.busy, timeout=10000)


def painted(widget) -> bool:
    """Anything but one flat colour: the widget drew some text."""
    image = widget.grab().toImage()
    first = image.pixelColor(0, 0)
    return any(
        image.pixelColor(x, y) != first
        for y in range(2, image.height() - 2, 3)
        for x in range(2, image.width() - 2, 3)
    )


def empty_tables(win):
    return [
        t
        for t in win.findChildren(Table)
        if t.isVisible() and t.source().rowCount() == 0 and t.source().total_rows == 0
    ]


def test_every_empty_list_says_what_to_do(qtbot, db_path, dialogs):
    win = start_empty(qtbot, db_path)
    seen = set()
    for key, *_rest in PAGES:
        win.show_page(key).focus_main()
        settle(qtbot, win)
        for table in empty_tables(win):
            seen.add(table.accessibleName())
            assert table.empty_text() not in ("", "Nothing here yet."), table.accessibleName()
            assert painted(table.viewport()), table.accessibleName()
    assert {"Pupil list", "Staff list", "Reviews due", "Record log"} <= seen

    # A pupil with only the required fields, and a member of staff: every tab says so too.
    pupils = win.show_page("pupils")
    pupils.new_button.click()
    ed = find_dialog(PupilEditor)
    fill(ed.form, legal_first_name="Siân", legal_last_name="O'Súilleabháin-Nguyễn")
    with qtbot.waitSignal(pupils.view.loaded, timeout=10000):
        ed.save_button.click()
    staff = win.show_page("staff")
    staff.new_button.click()
    ed = find_dialog(StaffEditor)
    fill(ed.form, first_name="Zoë", last_name="D'Arcy", role="lsa_1to1")
    with qtbot.waitSignal(staff.view.loaded, timeout=10000):
        ed.save_button.click()
    for page in (pupils, staff):
        win.show_page("pupils" if page is pupils else "staff")
        for i in range(page.view.tabs.count()):
            page.view.tabs.setCurrentIndex(i)
            for table in empty_tables(win):
                seen.add(table.accessibleName())
                assert table.empty_text() not in ("", "Nothing here yet."), table.accessibleName()
    assert {"Outcomes", "Funding", "Contracts", "Training"} <= seen
    assert not any("Siân" in t or "Súilleabháin" in t for t in all_titles())
    assert dialogs.bugs == []
    win.close()


def test_a_filter_matching_nothing_says_so(qtbot, db_path):
    win = start_empty(qtbot, db_path)
    pupils = win.show_page("pupils")
    settle(qtbot, win)
    pupils.new_button.click()
    ed = find_dialog(PupilEditor)
    fill(ed.form, legal_first_name="Amelia", legal_last_name="Hart")
    with qtbot.waitSignal(pupils.view.loaded, timeout=10000):
        ed.save_button.click()
    pupils.show_list()
    settle(qtbot, win)
    assert pupils.table.empty_text() == ""
    pupils.filter.setText("zzz")
    assert "No rows match the filter" in pupils.table.empty_text()
    assert painted(pupils.table.viewport())
    win.close()


def test_cover_with_no_staff_says_why(qtbot, db_path):
    win = start_empty(qtbot, db_path)
    page = win.show_page("cover")
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.refresh()
    assert "No member of staff supports a pupil yet" in page.summary.text()
    assert page.lost.empty_text().startswith("Choose who is absent")
    win.close()


def test_the_timeline_with_no_lanes_says_so(qtbot, db_path):
    from ui.widgets.timeline import HEADER_H, LABEL_W, LANE_H

    win = start_empty(qtbot, db_path)
    dash = win.show_page("dashboard")
    settle(qtbot, win)
    assert dash.timeline.lanes == []
    dash.timeline.resize(1000, dash.timeline.height())
    image = dash.timeline.grab().toImage()
    white = QColor("#ffffff")
    # The name column of the first lane: blank without the message.
    assert any(
        image.pixelColor(x, y) != white
        for x in range(10, LABEL_W - 10)
        for y in range(HEADER_H + 4, HEADER_H + LANE_H - 4)
    )
    win.close()


def test_the_first_run_dialog_shows_each_error_beside_its_field(qtbot, db_path):
    win, first = open_first_run(qtbot, db_path)
    fill(first.form, name="")
    first.form.fields["half-term 2: end"].set_value(dt.date(first.year, 9, 1))
    first.go()
    qtbot.waitUntil(lambda: bool(first.form.error_text("name")), timeout=10000)
    assert "required" in first.form.error_text("name")
    assert first.form.error_text("half-term 2: end")
    assert first.isVisible() and not win.ctx.school_name
    win.close()


def test_lists_say_loading_until_their_first_rows_arrive(qtbot, db_path, dialogs):
    """Before the database has answered, a list or the timeline must not say there is
    nothing ("No pupils yet", "No pupil has funding…"): a SENCO would believe it."""
    from sencodesk.store import open_store
    from tests.ui.conftest import set_up_school
    from ui.main_window import MainWindow
    from ui.widgets.table import LOADING

    store = open_store(db_path, user="test")
    set_up_school(store)
    store.close()
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    dash = win.show_page("dashboard")
    pupils = win.show_page("pupils")  # built and shown before any database is open
    assert pupils.table.empty_text() == LOADING
    win.show_page("dashboard")
    assert dash.timeline.waiting
    win.open_database(db_path)
    qtbot.waitUntil(lambda: bool(win.ctx.school_name) and not win.worker.busy, timeout=10000)
    assert not dash.timeline.waiting
    win.show_page("pupils")
    settle(qtbot, win)
    assert pupils.table.empty_text() not in ("", LOADING)  # says how to add a pupil
    # A reload of an empty list keeps its empty text: "Loading…" is for the first load only.
    pupils.refresh()
    assert pupils.table.empty_text() != LOADING
    win.close()


def test_nothing_says_loading_when_nothing_is_coming(qtbot, db_path, tmp_path, dialogs):
    from ui.main_window import MainWindow

    # The first-run dialog closed without a choice: the empty database's pages.
    win, first = open_first_run(qtbot, db_path)
    dash = win.current_page()
    assert dash.timeline.waiting
    first.reject()
    settle(qtbot, win)
    assert not dash.timeline.waiting
    win.close()

    # A file that is not a database: told, and the pages stop waiting.
    bad = tmp_path / "notes.db"
    bad.write_bytes(b"these are not the rows you are looking for" * 100)
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    dash = win.current_page()
    assert dash.timeline.waiting
    win.open_database(bad)
    qtbot.waitUntil(lambda: not win.worker.busy, timeout=10000)
    qtbot.waitUntil(lambda: not dash.timeline.waiting, timeout=5000)
    win.close()


def test_the_timeline_names_its_months_in_a_narrow_window_too(qtbot):
    """At 1280 px the months read "Nov 2026", "Dec", "Jan 2027"…; half a screen wide there
    is no room for "Nov 2026" in a month, and every name used to vanish with it."""
    from ui.widgets.timeline import LABEL_W, TimelineWidget

    tl = TimelineWidget()
    qtbot.addWidget(tl)
    start = dt.date(2026, 10, 24)
    tl.set_lanes([], start, start + dt.timedelta(days=365), dt.date(2026, 11, 23))
    advance = tl.fontMetrics().horizontalAdvance

    tl.resize(LABEL_W + 1060, 100)
    wide = [name for _x, name in tl.month_labels(advance)]
    # The week of October at the start has no room for "Oct 2026": the year goes on November.
    assert wide[:3] == ["Nov 2026", "Dec", "Jan 2027"], wide
    assert len(wide) == 12

    month = max(advance("Mar"), advance("2027")) + 12  # room for those, not for "Nov 2026"
    tl.resize(LABEL_W + 12 * month, 100)
    narrow = [name for _x, name in tl.month_labels(advance)]
    assert narrow[:3] == ["Nov", "Dec", "2027"], narrow
    assert len(narrow) == 12
    # A timeline starting on the 1st: the first month is named, with its year when wide.
    tl.set_lanes([], dt.date(2026, 11, 1), dt.date(2027, 11, 1), dt.date(2026, 11, 23))
    assert tl.month_labels(advance)[0][1] == "Nov"
    tl.resize(LABEL_W + 1060, 100)
    assert [name for _x, name in tl.month_labels(advance)][:3] == ["Nov 2026", "Dec", "Jan 2027"]
    xs = [x for x, _name in tl.month_labels(advance)]
    assert xs == sorted(xs) and xs[0] >= LABEL_W
