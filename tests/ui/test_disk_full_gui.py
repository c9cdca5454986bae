"""Saving on a full disk says the disk is full (not "a bug in the app"), and nothing is lost:
the editor stays open with what was typed."""

from __future__ import annotations

import datetime as dt

from sencodesk.store import open_store
from tests.hostile.safety_helpers import add_pupil, fill_disk, names, small_disk
from tests.ui.helpers import fill, find_dialog
from ui.dialogs.pupil_editors import PupilEditor
from ui.main_window import MainWindow


def test_saving_on_a_full_disk_says_so_and_keeps_the_editor_open(qtbot, tmp_path, dialogs):
    with small_disk(tmp_path / "disk", "2m") as disk:
        db = disk / "school.db"
        store = open_store(db, user="test")
        add_pupil(store)
        store.close()
        win = MainWindow()
        qtbot.addWidget(win)
        win.show()
        win.open_database(db)
        qtbot.waitUntil(lambda: win.worker.has_store and not win.worker.busy, timeout=10000)
        qtbot.wait(2000)  # the routine at opening (today's backup) has run
        qtbot.waitUntil(lambda: not win.worker.busy, timeout=10000)
        fill_disk(disk)
        page = win.show_page("pupils")
        page.new_button.click()
        ed = find_dialog(PupilEditor)
        fill(
            ed.form,
            legal_first_name="Bea",
            legal_last_name="Full",
            date_of_birth=dt.date(2016, 5, 1),
        )
        ed.save_button.click()
        qtbot.waitUntil(lambda: bool(dialogs.told) or bool(dialogs.bugs), timeout=10000)
        assert dialogs.bugs == []
        assert any("disk is full" in text for _title, text in dialogs.told), dialogs.told
        assert ed.isVisible()
        assert ed.form.fields["legal_first_name"].value() == "Bea"
        ed.form.dirty = False
        ed.reject()
        win.close()
        (disk / "filler").unlink()
        store = open_store(db, user="test")
        try:
            assert names(store) == ["Okafor"]
        finally:
            store.close()
