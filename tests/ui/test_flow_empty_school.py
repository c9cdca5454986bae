"""From nothing to the alert that matters, as a new SENCO would: set up the school, a pupil
with an EHCP, their funding, an LSA whose contract runs longer than it, and the assignment;
the dashboard then says how many days and how many pounds, in words on screen, not in a
tooltip. The new records start with what is already known (funder, hours, sessions)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sencodesk import vocab
from tests.ui.helpers import fill, find_dialog, open_first_run
from ui.dialogs.contract_editor import ContractEditor
from ui.dialogs.pupil_editors import PupilEditor
from ui.dialogs.staff_editors import StaffEditor
from ui.dialogs.support_editors import AssignmentEditor, FundingEditor

ALL_WEEK = sum(vocab.session_bit(d, pm) for d in range(5) for pm in (False, True))


def save(qtbot, editor):
    with qtbot.waitSignal(editor.saved, timeout=10000) as blocker:
        editor.save_button.click()
    return blocker.args[0]


def idle(qtbot, win):
    qtbot.waitUntil(lambda: not win.worker.busy, timeout=10000)


def test_an_empty_school_to_the_headline_alert(qtbot, db_path):
    win, first = open_first_run(qtbot, db_path)
    win.resize(1366, 728)
    first.form.fields["name"].set_value("Brook Lane Primary")
    first.form.fields["la_name"].set_value("Kent")
    first.go()
    qtbot.waitUntil(lambda: win.windowTitle() == "SENCO Desk — Brook Lane Primary", timeout=10000)
    idle(qtbot, win)
    today = win.ctx.today

    pupils = win.show_page("pupils")
    idle(qtbot, win)
    pupils.new_button.click()
    ed = find_dialog(PupilEditor)
    qtbot.waitUntil(lambda: ed.form.fields["ehcp_la_id"].count() > 1, timeout=10000)
    fill(
        ed.form,
        legal_first_name="Amelia",
        legal_last_name="Hart",
        date_of_birth=dt.date(today.year - 9, 10, 3),
        sen_code="E",
        primary_need="ASD",
        ehcp_la_id=ed.form.fields["ehcp_la_id"].itemData(1),
        ehcp_issued=today - dt.timedelta(days=200),
        ehcp_weekly_minutes=25 * 60,
    )
    with qtbot.waitSignal(pupils.view.loaded, timeout=10000):
        pupil_id = save(qtbot, ed)

    # Funding: the funder starts as the EHCP's local authority.
    funding_end = today + dt.timedelta(days=30)
    pupils.view.funding.add()
    ed = find_dialog(FundingEditor)
    idle(qtbot, win)
    assert ed.form.fields["funder"].value() == "Kent"
    fill(
        ed.form,
        source="top_up",
        amount_per_year=Decimal("12000"),
        start_date=today - dt.timedelta(days=100),
        end_date=funding_end,
    )
    with qtbot.waitSignal(pupils.view.loaded, timeout=10000):
        save(qtbot, ed)

    # An LSA on a fixed-term contract running 120 days past today, paid by that funding.
    staff = win.show_page("staff")
    staff.new_button.click()
    ed = find_dialog(StaffEditor)
    fill(ed.form, first_name="Sarah", last_name="Cole", role="lsa_1to1")
    with qtbot.waitSignal(staff.view.loaded, timeout=10000):
        staff_id = save(qtbot, ed)
    staff.view.contracts.add()
    ed = find_dialog(ContractEditor)
    qtbot.waitUntil(lambda: ed.form.fields["funding_id"].count() > 1, timeout=10000)
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

    # The assignment: choose the pupil; the EHCP's 25 h and Sarah's five days fill in.
    staff.view.assignments.add()
    ed = find_dialog(AssignmentEditor)
    qtbot.waitUntil(lambda: ed.form.fields["pupil_id"].count() > 1, timeout=10000)
    ed.form.fields["pupil_id"].set_value(pupil_id)
    idle(qtbot, win)
    assert ed.form.fields["weekly_minutes"].value() == 25 * 60
    assert ed.form.fields["sessions"].value() == ALL_WEEK
    fill(ed.form, start_date=today - dt.timedelta(days=50))
    with qtbot.waitSignal(staff.view.loaded, timeout=10000):
        save(qtbot, ed)
    assert staff_id

    # The dashboard: the headline alert says the days and the pounds on screen.
    dash = win.show_page("dashboard")
    idle(qtbot, win)
    qtbot.wait(50)
    texts = [(i.data(), i.siblingAtColumn(3).data()) for i in dash.alert_rows()]
    items = [(what, detail) for what, detail in texts if "fund" in (what + detail).lower()]
    assert items, [what for what, _ in texts]
    tree = dash.alerts
    days = (today + dt.timedelta(days=120) - funding_end).days
    detail = items[0][1]
    assert detail.startswith(f"1 contract runs {days} days past it, £"), detail
    # The figures are shown whole at 1366 pixels: the start of the text is what a cut keeps.
    figures = detail[: detail.index("unfunded") + len("unfunded")]
    room = min(tree.columnWidth(3), tree.viewport().width() - tree.columnViewportPosition(3))
    assert tree.fontMetrics().horizontalAdvance(figures) <= room - 12, (figures, room)
    assert tree.textElideMode().name == "ElideRight"
    win.close()
