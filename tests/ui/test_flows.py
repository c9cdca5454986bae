"""Real flows on a real database file, driven through the widgets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from PySide6.QtCore import Qt

from tests.ui.helpers import all_titles, fill, find_dialog, open_first_run
from ui.dialogs.contract_editor import ContractEditor
from ui.dialogs.pupil_editors import PupilEditor
from ui.dialogs.staff_editors import StaffEditor
from ui.dialogs.support_editors import AssignmentEditor, FundingEditor


def save(qtbot, editor):
    with qtbot.waitSignal(editor.saved, timeout=10000) as blocker:
        editor.save_button.click()
    return blocker.args[0]


def wait_loaded(qtbot, widget, action):
    with qtbot.waitSignal(widget.loaded, timeout=10000):
        action()


def test_contract_outliving_funding_shows_on_the_dashboard(qtbot, window):
    today = window.ctx.today
    pupils = window.show_page("pupils")
    qtbot.waitUntil(lambda: not window.worker.busy)

    # A pupil with an EHCP for 25 hours a week.
    pupils.new_button.click()
    ed = find_dialog(PupilEditor)
    fill(
        ed.form,
        legal_first_name="Amelia",
        legal_last_name="Hart",
        date_of_birth=dt.date(today.year - 9, 10, 3),
        sen_code="E",
        primary_need="ASD",
        ehcp_issued=today - dt.timedelta(days=200),
        ehcp_weekly_minutes=25 * 60,
    )
    with qtbot.waitSignal(pupils.view.loaded, timeout=10000):
        pupil_id = save(qtbot, ed)
    assert pupils.view.name.text() == "Amelia Hart"

    # Funding that ends next month.
    funding_end = today + dt.timedelta(days=30)
    pupils.view.funding.add()
    ed = find_dialog(FundingEditor)
    fill(
        ed.form,
        source="top_up",
        funder="Kent",
        amount_per_year=Decimal("12000"),
        start_date=today - dt.timedelta(days=100),
        end_date=funding_end,
    )
    with qtbot.waitSignal(pupils.view.loaded, timeout=10000):
        save(qtbot, ed)
    assert pupils.view.funding.model.rowCount() == 1

    # An LSA on a fixed-term contract that ends later, paid by that funding.
    staff = window.show_page("staff")
    staff.new_button.click()
    ed = find_dialog(StaffEditor)
    fill(ed.form, first_name="Sarah", last_name="Cole", role="lsa_1to1")
    with qtbot.waitSignal(staff.view.loaded, timeout=10000):
        staff_id = save(qtbot, ed)
    staff.view.contracts.add()
    ed = find_dialog(ContractEditor)
    qtbot.waitUntil(lambda: ed.form.fields["funding_id"].count() > 1)
    fill(
        ed.form,
        kind="fixed_term",
        start_date=today - dt.timedelta(days=100),
        end_date=today + dt.timedelta(days=120),
        fte_salary=Decimal("23297"),
        funding_id=ed.form.fields["funding_id"].itemData(1),
    )
    with qtbot.waitSignal(staff.view.loaded, timeout=10000):
        save(qtbot, ed)
    staff.view.assignments.add()
    ed = find_dialog(AssignmentEditor)
    qtbot.waitUntil(lambda: ed.form.fields["pupil_id"].count() > 1)
    fill(
        ed.form,
        pupil_id=pupil_id,
        weekly_minutes=25 * 60,
        sessions=(1 << 10) - 1,
        start_date=today - dt.timedelta(days=50),
    )
    with qtbot.waitSignal(staff.view.loaded, timeout=10000):
        save(qtbot, ed)

    # The dashboard shows that the contract outlives the funding.
    dash = window.pages["dashboard"]
    wait_loaded(qtbot, dash, lambda: window.show_page("dashboard"))
    lane = next(lane for lane in dash.timeline.lanes if lane.pupil_id == pupil_id)
    reds = [r for r in lane.red if "outlives" in r.reason]
    assert reds and reds[0].start == funding_end + dt.timedelta(days=1)
    assert reds[0].target == "staff" and reds[0].target_id == staff_id
    texts = [i.data() + " " + i.siblingAtColumn(3).data() for i in dash.alert_rows()]
    assert any("fund" in t.lower() for t in texts), texts
    # Clicking the red stretch opens the member of staff.
    dash.timeline.resize(1000, dash.timeline.height())
    dash.timeline.repaint()
    point = dash.timeline.bar_point(pupil_id, "red")
    with qtbot.waitSignal(staff.view.loaded, timeout=10000):
        qtbot.mouseClick(dash.timeline, Qt.MouseButton.LeftButton, pos=point.toPoint())
    assert window.current_key == "staff" and staff.view.staff_id == staff_id
    # No window title ever named the pupil.
    assert not any("Amelia" in t or "Hart" in t for t in all_titles())


def test_first_run_loads_the_demo_school(qtbot, db_path):
    """A new database: the first-run dialog loads the 420-pupil demo school, and the dashboard
    then lists its alerts, including a contract outliving its funding."""
    win, dlg = open_first_run(qtbot, db_path)
    dlg.demo.setChecked(True)
    dlg.go()
    qtbot.waitUntil(lambda: bool(win.ctx.school_name) and not win.worker.busy, timeout=60000)
    assert win.windowTitle() == f"SENCO Desk — {win.ctx.school_name}"
    pupils = win.pages["pupils"]
    wait_loaded(qtbot, pupils, lambda: win.show_page("pupils"))
    assert pupils.model.rowCount() == 420
    dash = win.pages["dashboard"]
    win.show_page("dashboard")  # loaded already, after the demo was written

    def texts() -> list[str]:
        return [i.data() + " " + i.siblingAtColumn(3).data() for i in dash.alert_rows()]

    qtbot.waitUntil(lambda: any("outlives its funding" in t for t in texts()), timeout=10000)
    win.close()
