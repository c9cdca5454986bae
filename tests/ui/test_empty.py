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
