"""File > Import from MIS…, driven as a SENCO would: real files, the real worker and
database; the preview's counts and ticks, Cancel, and a second import that changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from sencodesk import commands
from sencodesk.model import Pupil
from tests.mis.make_files import FIXTURES, big_roll, roll_of, snapshot, write_ctf
from ui.dialogs.mis_import import COLUMNS, PREVIEW, MisImportDialog


def _open(qtbot: Any, window: Any, path: Any) -> MisImportDialog:
    d = MisImportDialog(window.ctx, window)
    qtbot.addWidget(d)
    d.show()
    d.path.setText(str(path))
    qtbot.mouseClick(d.next, Qt.MouseButton.LeftButton)
    return d


def _wait_preview(qtbot: Any, d: MisImportDialog) -> None:
    qtbot.waitUntil(lambda: d.steps.currentIndex() == PREVIEW, timeout=10000)


def _import(qtbot: Any, d: MisImportDialog) -> None:
    qtbot.mouseClick(d.go, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: d.result is not None, timeout=20000)


def _count(store: Any) -> int:
    with store.read() as s:
        return s.scalar(select(func.count()).select_from(Pupil))


def test_the_menu_opens_the_wizard(window, monkeypatch):
    from PySide6.QtGui import QAction

    seen = []
    monkeypatch.setattr(MisImportDialog, "exec", lambda self: seen.append(self) or 0)
    act = window.findChild(QAction, "import_mis")
    assert act.text() == "&Import from MIS…"
    act.trigger()
    assert seen and seen[0].windowTitle() == "Import from MIS"


@pytest.fixture
def demo_window(qtbot, tmp_path):
    """The main window on a 60-pupil demo school."""
    from sencodesk.demo import make_demo
    from sencodesk.store import open_store
    from ui.main_window import MainWindow

    db = tmp_path / "demo.db"
    st = open_store(db, user="test")
    make_demo(st, pupils=60, seed=1, today=dt.date(2026, 11, 20))
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    win.open_database(db)
    qtbot.waitUntil(lambda: bool(win.ctx.school_name) and not win.worker.busy, timeout=10000)
    yield win, st
    win.close()
    st.close()


def test_a_csv_and_a_ctf_into_the_demo_school(demo_window, qtbot, tmp_path):
    window, store = demo_window
    on_roll = len(roll_of(store))
    d = _open(qtbot, window, FIXTURES / "sims_roll_utf8.csv")
    qtbot.waitUntil(lambda: d.steps.currentIndex() == COLUMNS, timeout=10000)
    qtbot.mouseClick(d.next, Qt.MouseButton.LeftButton)
    _wait_preview(qtbot, d)
    assert f"6 new · 0 with changes · 0 unchanged · {on_roll} not in the file" in (
        d.preview.counts.text()
    )
    leavers = d.preview.sections["leaver"]
    assert leavers.checkState(0) == Qt.CheckState.Unchecked  # nobody leaves unless ticked
    _import(qtbot, d)
    assert _count(store) == on_roll + 6
    roll = roll_of(store)
    roll[0]["surname"] += "-Hart"
    d = _open(qtbot, window, write_ctf(tmp_path / "roll.xml", roll))
    _wait_preview(qtbot, d)
    assert f"0 new · 1 with changes · {on_roll + 5} unchanged · 0 not in the file" in (
        d.preview.counts.text()
    )
    _import(qtbot, d)
    with store.read() as s:
        assert s.get(Pupil, roll[0]["id"]).legal_last_name == roll[0]["surname"]


def test_a_ctf_into_an_empty_school_then_again(window, qtbot, store, dialogs):
    d = _open(qtbot, window, FIXTURES / "ctf_25_sex.xml")
    _wait_preview(qtbot, d)
    assert "6 pupils read" in d.preview.counts.text()
    assert "6 new · 0 with changes · 0 unchanged" in d.preview.counts.text()
    assert d.preview.find_item("New (6)").checkState(0) == Qt.CheckState.Checked
    _import(qtbot, d)
    assert _count(store) == 6
    assert dialogs.told[-1][1].startswith("6 new pupils added, 0 updated")
    before = snapshot(store)
    d = _open(qtbot, window, FIXTURES / "ctf_25_sex.xml")
    _wait_preview(qtbot, d)
    assert "0 new · 0 with changes · 6 unchanged" in d.preview.counts.text()
    qtbot.mouseClick(d.go, Qt.MouseButton.LeftButton)
    assert dialogs.told[-1][1] == "Nothing is ticked: there is nothing to import."
    assert snapshot(store) == before


def test_a_csv_with_its_columns_mapped_and_saved(window, qtbot, store, tmp_path, dialogs):
    path = tmp_path / "roll.csv"
    text = (FIXTURES / "sims_roll_bom.csv").read_text(encoding="utf-8-sig")
    path.write_text(text.replace("Reg Group", "Tutor Set"), encoding="utf-8-sig")
    d = _open(qtbot, window, path)
    qtbot.waitUntil(lambda: d.steps.currentIndex() == COLUMNS, timeout=10000)
    assert d.combos["legal_last_name"].currentText() == "Legal Surname"
    assert d.combos["class_name"].currentText() == "(not in the file)"  # no guess for it
    d.combos["class_name"].setCurrentText("Tutor Set")
    d.save_as.setText("SIMS roll")
    qtbot.mouseClick(d.next, Qt.MouseButton.LeftButton)
    _wait_preview(qtbot, d)
    assert "6 new" in d.preview.counts.text()
    _import(qtbot, d)
    with store.read() as s:
        assert (
            s.scalars(select(Pupil.class_name).where(Pupil.legal_first_name == "Amelia")).one()
            == "RJ"
        )
    # next term's file maps itself
    d = _open(qtbot, window, path)
    qtbot.waitUntil(lambda: d.steps.currentIndex() == COLUMNS, timeout=10000)
    assert d.combos["class_name"].currentText() == "Tutor Set"
    assert "The saved mapping 'SIMS roll' fits this file." in d.columns_intro.text()


def test_sen_changes_are_shown_unticked_and_an_ambiguous_row_waits(window, qtbot, store, tmp_path):
    with store.session() as s:
        for _ in range(2):
            commands.save_pupil(
                s,
                {
                    "legal_first_name": "Sam",
                    "legal_last_name": "Lee",
                    "date_of_birth": dt.date(2018, 5, 5),
                },
            )
        commands.save_pupil(
            s,
            {
                "legal_first_name": "Olivia",
                "legal_last_name": "Smith",
                "upn": "N886200126001",
                "date_of_birth": dt.date(2016, 3, 14),
                "sen_code": "K",
                "primary_need": "SEMH",
            },
        )
    rows = [
        {"surname": "Lee", "forename": "Sam", "dob": dt.date(2018, 5, 5), "sex": "M"},
        {
            "upn": "N886200126001",
            "surname": "Smith",
            "forename": "Olivia",
            "dob": dt.date(2016, 3, 14),
            "sen": [(dt.date(2024, 1, 1), "E")],
            "needs": [(1, "ASD")],
        },
    ]
    d = _open(qtbot, window, write_ctf(tmp_path / "x.xml", rows))
    _wait_preview(qtbot, d)
    assert "1 to choose" in d.preview.counts.text()
    code = d.preview.find_item("SEN code: K → E")
    assert code.checkState(0) == Qt.CheckState.Unchecked
    before = snapshot(store)
    choices = d.preview.choices()
    assert choices.chosen == {} and choices.fields == set()
    # the SENCO chooses the second Sam Lee
    sams = d.preview.find_item("Lee, Sam, <Pupil> 1 (Lee, Sam): who is this?")
    sams.child(1).setCheckState(0, Qt.CheckState.Checked)
    sams.child(0).setCheckState(0, Qt.CheckState.Checked)  # then changes their mind
    assert sams.child(1).checkState(0) == Qt.CheckState.Unchecked
    code.setCheckState(0, Qt.CheckState.Checked)
    assert snapshot(store) == before  # nothing written before Import
    _import(qtbot, d)
    with store.read() as s:
        olivia = s.scalars(select(Pupil).where(Pupil.legal_first_name == "Olivia")).one()
        assert (olivia.sen_code, olivia.primary_need) == ("E", "SEMH")  # need not ticked
        assert s.scalar(select(func.count()).select_from(Pupil)) == 3  # no new Sam Lee


def test_cancel_while_importing_writes_nothing(window, qtbot, store, tmp_path, dialogs):
    d = _open(qtbot, window, write_ctf(tmp_path / "big.xml", big_roll(1500)))
    _wait_preview(qtbot, d)
    before = snapshot(store)
    qtbot.mouseClick(d.go, Qt.MouseButton.LeftButton)
    d.state.cancel()
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=20000)
    assert d.result is None
    assert any("nothing was written" in text for _t, text in dialogs.told)
    assert snapshot(store) == before
    assert d.go.isEnabled()


def test_a_bad_file_is_told_in_words_and_nothing_changes(window, qtbot, store, tmp_path, dialogs):
    path = tmp_path / "cut.xml"
    path.write_text((FIXTURES / "ctf_25_sex.xml").read_text()[:2000])
    before = snapshot(store)
    d = _open(qtbot, window, path)
    qtbot.waitUntil(lambda: bool(dialogs.told), timeout=10000)
    assert "Cannot import cut.xml: the file ends early at line" in dialogs.told[-1][1]
    assert d.steps.currentIndex() != PREVIEW and dialogs.bugs == []
    assert snapshot(store) == before
