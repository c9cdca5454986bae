"""Data safety in the GUI, end to end on real database files: backups at open, daily and at
close (rotated); the weekly check; the read-only banner for a second instance; network shares
refused; a damaged file never opened silently; passphrases; encrypting a database; History;
the retention review (hold, erase); subject access; backup then restore gives equal data."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QDialog

from sencodesk import commands
from sencodesk.model import AUDITED_TABLES
from sencodesk.safety import backup as bk
from sencodesk.safety import location, sqlitefile
from sencodesk.safety.errors import PassphraseRequired, WrongPassphrase
from sencodesk.store import open_store
from tests.ui.conftest import set_up_school
from tests.ui.helpers import find_dialog, write_in_worker
from tests.ui.seed import seed_school
from ui.dialogs import ask
from ui.dialogs import passphrase as pp
from ui.dialogs.history import HistoryDialog, HistoryModel
from ui.dialogs.retention import EraseDialog, HoldDialog, RetentionDialog, RetentionModel
from ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]
PHRASE = "correct horse battery staple"
SENTINEL = "Sentinelson"
DATETIME = re.compile(r"^\d{2}/\d{2}/\d{4} \d{2}:\d{2}$")


# --------------------------------------------------------------------------- helpers


def open_window(qtbot: Any, db: Path, *, routine_ms: int = 3_600_000, **kw: Any) -> MainWindow:
    """A main window opening ``db``; the routine (daily backup, weekly check) is held back
    unless ``routine_ms`` says when."""
    win = MainWindow()
    qtbot.addWidget(win)
    win.safety.first_routine_ms = routine_ms
    win.show()
    win.open_database(db, **kw)
    return win


def wait_open(qtbot: Any, win: MainWindow) -> None:
    qtbot.waitUntil(lambda: bool(win.ctx.school_name) and not win.worker.busy, timeout=15000)


def idle(qtbot: Any, win: MainWindow) -> None:
    qtbot.waitUntil(lambda: not win.worker.busy, timeout=15000)


def action(win: MainWindow, name: str) -> Any:
    from PySide6.QtGui import QAction

    found = [a for a in win.findChildren(QAction) if a.objectName() == name]
    assert found, f"no action {name}"
    return found[0]


def add_pupil(store: Any, first: str = "Amara", last: str = "Okafor", **more: Any) -> int:
    with store.session() as s:
        return commands.save_pupil(
            s,
            {
                "legal_first_name": first,
                "legal_last_name": last,
                "date_of_birth": dt.date(2015, 5, 4),
                **more,
            },
        )


def gui_add_pupil(qtbot: Any, win: MainWindow, last: str) -> None:
    write_in_worker(
        win,
        commands.save_pupil,
        {"legal_first_name": "Gui", "legal_last_name": last, "date_of_birth": dt.date(2016, 1, 2)},
        changes={"pupil"},
    )
    idle(qtbot, win)


def dump(db: Path, key: bytes | None = None) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (the audit trail included), read-only."""
    with sqlitefile.connected(db, key=key, read_only=True) as conn:
        return {
            t: conn.execute(f'SELECT * FROM "{t}" ORDER BY id').fetchall()
            for t in sorted(AUDITED_TABLES | {"audit_entry"})
        }


def backups(db: Path) -> list[bk.BackupInfo]:
    return bk.list_backups(bk.backup_folder(db), database=db)


def told_titles(dialogs: Any) -> list[str]:
    return [title for title, _text in dialogs.told]


def told(dialogs: Any, title: str) -> str:
    texts = [text for t, text in dialogs.told if t == title]
    assert texts, f"nothing told as {title!r}: {dialogs.told}"
    return texts[-1]


# --------------------------------------------------------------------------- backups


def test_menus_have_the_safety_actions(qtbot, store, db_path):
    set_up_school(store)
    store.close()
    win = open_window(qtbot, db_path)
    wait_open(qtbot, win)
    for name in ("backup", "restore", "encrypt_db", "retention", "subject_access", "history"):
        assert action(win, name).text()
    assert action(win, "history").shortcut().toString() == "Ctrl+H"


def test_backup_at_open_when_none_today_then_at_close_rotated(qtbot, store, db_path, dialogs):
    set_up_school(store)
    now = dt.datetime.now().replace(microsecond=0)
    old = [bk.backup_now(store, now=now - dt.timedelta(days=d)) for d in (2, 40, 41)]
    store.close()

    win = open_window(qtbot, db_path, routine_ms=0)
    wait_open(qtbot, win)
    qtbot.waitUntil(lambda: any(b.taken_at.date() == now.date() for b in backups(db_path)))
    idle(qtbot, win)
    first = backups(db_path)[0]
    assert first.taken_at.date() == now.date() and not first.kind
    assert old[0].exists() and not old[1].exists() and not old[2].exists()  # rotated
    win.safety.run_routine()  # hourly: today's backup exists, the weekly check is not due
    idle(qtbot, win)
    assert backups(db_path)[0] == first

    gui_add_pupil(qtbot, win, "AddedBeforeClose")
    assert win.safety.changed
    win.close()
    assert not win.isVisible()
    made = backups(db_path)
    assert made[0].path != first.path  # a fresh backup, with the change
    assert [b.taken_at.date() for b in made].count(now.date()) == 1  # rotated: one a day
    with sqlitefile.connected(made[0].path, read_only=True) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        names = [r[0] for r in conn.execute("SELECT legal_last_name FROM pupil")]
    assert names == ["AddedBeforeClose"]
    assert "Automatic backup" not in told_titles(dialogs)


def test_close_without_changes_adds_no_second_backup(qtbot, store, db_path):
    set_up_school(store)
    store.close()
    win = open_window(qtbot, db_path, routine_ms=0)
    wait_open(qtbot, win)
    qtbot.waitUntil(lambda: len(backups(db_path)) == 1)
    idle(qtbot, win)
    win.close()
    assert len(backups(db_path)) == 1


def test_failed_backup_at_close_asks_before_closing(qtbot, store, db_path, dialogs):
    set_up_school(store)
    store.close()
    win = open_window(qtbot, db_path)
    wait_open(qtbot, win)
    gui_add_pupil(qtbot, win, "Unsaved")
    bk.backup_folder(db_path).write_text("a file where the backups folder should be")
    dialogs.answer = False
    win.close()
    assert win.isVisible()  # kept open: the user said not to close
    assert "backup when closing failed" in dialogs.asked[-1]
    dialogs.answer = True
    win.close()
    assert not win.isVisible()


def test_weekly_full_check_runs_quietly_and_tells_only_of_problems(qtbot, store, db_path, dialogs):
    set_up_school(store)
    pid = add_pupil(store)
    store.close()
    win = open_window(qtbot, db_path, routine_ms=0)
    wait_open(qtbot, win)
    state = db_path.with_name(db_path.name + ".state.json")
    qtbot.waitUntil(state.exists)
    idle(qtbot, win)
    assert "Database check" not in told_titles(dialogs)
    win.close()

    # A row pointing to a pupil that is not there, a week later.
    raw = sqlite3.connect(db_path)
    raw.execute("PRAGMA foreign_keys = OFF")
    raw.execute(
        "INSERT INTO record (pupil_id, occurred_at, kind, text, antecedent, behaviour, "
        "consequence, deescalation, physical_intervention, injury, parents_informed) "
        "VALUES (?, '2025-01-01 09:00:00', 'support', 'x', '', '', '', '', 0, '', 0)",
        (pid + 100,),
    )
    raw.commit()
    raw.close()
    again = open_window(qtbot, db_path)
    again.safety.now = lambda: dt.datetime.now() + dt.timedelta(days=8)
    wait_open(qtbot, again)
    again.safety.run_routine()
    qtbot.waitUntil(lambda: "Database check" in told_titles(dialogs), timeout=15000)
    text = told(dialogs, "Database check")
    assert "missing pupil row" in text and "File > Restore" in text


# --------------------------------------------------------------------------- opening


HOLDER = """
import sys, time
from pathlib import Path
from sencodesk.store import open_store
store = open_store(Path(sys.argv[1]), user="mr.patel")
print("open", flush=True)
sys.stdin.readline()
store.close()
print("closed", flush=True)
time.sleep(60)
"""


def test_second_instance_opens_read_only_with_a_banner(qtbot, store, db_path, dialogs):
    set_up_school(store)
    store.close()
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db_path)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "open"
        win = open_window(qtbot, db_path, routine_ms=0)
        wait_open(qtbot, win)
        banner = win.safety.banner
        assert win.read_only and banner.isVisible()
        assert "mr.patel" in banner.text.text() and "not change" in banner.text.text()
        assert "(read only)" in win.db_label.text()
        # It cannot write: a change is refused in words.
        write_in_worker(
            win,
            commands.save_pupil,
            {"legal_first_name": "A", "legal_last_name": "B", "date_of_birth": dt.date(2015, 1, 1)},
            changes={"pupil"},
        )
        idle(qtbot, win)
        assert "read-only" in told(dialogs, "SENCO Desk")
        assert backups(db_path) == []  # the writer backs up, not the reader
        # Editors say so, and their Save is off.
        from PySide6.QtWidgets import QLabel

        from ui.dialogs.pupil_editors import PupilEditor

        ed = PupilEditor(win.ctx, None, win)
        idle(qtbot, win)  # its choices loaded
        assert not ed.save_button.isEnabled()
        note = ed.findChild(QLabel, "readOnlyNote")
        assert note is not None and "nothing here can be saved" in note.text()
        ed.save()  # Enter in a field: nothing is queued
        assert not win.worker.busy
        ed.form.mark_clean()
        ed.reject()
        # The Records page's quick entry is off too (it said nothing and queued a save).
        records = win.show_page("records")
        idle(qtbot, win)
        assert not records.entry.isEnabled() and "read only" in records.entry.title()

        assert proc.stdin is not None
        proc.stdin.write("\n")
        proc.stdin.flush()
        assert proc.stdout.readline().strip() == "closed"
        banner.retry.click()
        qtbot.waitUntil(lambda: not win.read_only and not banner.isVisible(), timeout=15000)
        qtbot.waitUntil(records.entry.isEnabled, timeout=10000)
        gui_add_pupil(qtbot, win, "NowWritable")
    finally:
        proc.kill()
        proc.wait()


def test_network_share_is_refused_pointing_to_postgresql(qtbot, tmp_path, monkeypatch, dialogs):
    table = f"srv:/export/senco {tmp_path} nfs4 rw,relatime 0 0\n"
    monkeypatch.setattr(location, "read_mount_table", lambda: table)
    db = tmp_path / "school.db"
    win = open_window(qtbot, db)
    qtbot.waitUntil(lambda: "Database on a network share" in told_titles(dialogs), timeout=15000)
    text = told(dialogs, "Database on a network share")
    assert "NFS" in text and "PostgreSQL" in text
    assert not win.worker.has_store and not db.exists()
    assert win.db_label.text() == "No database open"


def damage(db: Path) -> None:
    """Overwrite the middle of a table's leaf page (as test_store does)."""
    data = bytearray(db.read_bytes())
    page = 4096
    leaves = [i for i in range(1, len(data) // page) if data[i * page] in (0x0A, 0x0D)]
    target = leaves[len(leaves) // 2] * page
    data[target + 8 : target + 400] = b"\xff" * 392
    db.write_bytes(bytes(data))


@pytest.fixture
def damaged(store, db_path):
    set_up_school(store)
    for i in range(300):
        add_pupil(store, f"First{i}", f"Last{i}" * 12, medical_needs="x" * 300)
    good = bk.backup_now(store)
    expected = dump(good)
    store.close()
    damage(db_path)
    return good, expected


def test_damaged_file_is_not_opened_and_the_good_backup_is_offered(
    qtbot, db_path, damaged, dialogs
):
    good, expected = damaged
    dialogs.answer = True
    win = open_window(qtbot, db_path)
    wait_open(qtbot, win)
    assert "is damaged" in dialogs.asked[0] and good.name in dialogs.asked[0]
    assert dump(db_path) == expected
    assert any(b.kind == "damaged" for b in backups(db_path))  # kept whole, out of the way
    assert not dialogs.bugs


def test_damaged_file_left_alone_when_the_restore_is_declined(qtbot, db_path, damaged, dialogs):
    before = db_path.read_bytes()
    dialogs.answer = False
    win = open_window(qtbot, db_path)
    qtbot.waitUntil(lambda: bool(dialogs.asked), timeout=15000)
    idle(qtbot, win)
    assert not win.worker.has_store
    assert db_path.read_bytes() == before
    assert win.db_label.text() == "No database open"


def test_damaged_file_without_a_good_backup_is_said_so(qtbot, store, db_path, dialogs):
    set_up_school(store)
    for i in range(300):
        add_pupil(store, f"First{i}", f"Last{i}" * 12, medical_needs="x" * 300)
    store.close()
    damage(db_path)
    win = open_window(qtbot, db_path)
    qtbot.waitUntil(lambda: "Database damaged" in told_titles(dialogs), timeout=15000)
    assert "No backup that checks out" in told(dialogs, "Database damaged")
    assert not win.worker.has_store


def make_encrypted(db: Path) -> None:
    s = open_store(db, passphrase=PHRASE, user="test")
    set_up_school(s)
    add_pupil(s, "Zebedee", SENTINEL)
    s.close()


def test_passphrase_asked_at_open_and_a_wrong_one_said_so(qtbot, db_path, monkeypatch):
    make_encrypted(db_path)
    prompts: list[str] = []
    answers = iter(["not the passphrase", PHRASE])

    def ask_text(_parent, _title, text, **_kw):
        prompts.append(text)
        return next(answers)

    monkeypatch.setattr(ask, "ask_text", ask_text)
    win = open_window(qtbot, db_path)
    wait_open(qtbot, win)
    assert len(prompts) == 2
    assert "encrypted" in prompts[0] and "not right" not in prompts[0]
    assert prompts[1].startswith("That passphrase is not right")
    assert "(encrypted)" in win.db_label.text()
    # The worker keeps it to reopen the file; the GUI keeps no copy of it.
    assert win.worker._runner.key == PHRASE
    assert not hasattr(win.safety, "passphrase")


# --------------------------------------------------------------------------- encryption


def no_sentinel(path: Path) -> bool:
    return not path.exists() or SENTINEL.encode() not in path.read_bytes()


def test_encrypt_database_then_nothing_readable_and_no_opening_without_it(
    qtbot, store, db_path, dialogs, monkeypatch
):
    set_up_school(store)
    add_pupil(store, "Zebedee", SENTINEL)
    plain = bk.backup_now(store, now=dt.datetime.now() - dt.timedelta(days=1))
    store.close()
    assert not no_sentinel(db_path) or not no_sentinel(db_path.with_name("school.db-wal"))

    asked: list[str] = []

    def new_passphrase(_parent, title, intro, **_kw):
        asked.append(title)
        return PHRASE

    monkeypatch.setattr(pp, "ask_new_passphrase", new_passphrase)
    win = open_window(qtbot, db_path)
    wait_open(qtbot, win)
    dialogs.answer = True  # delete the unencrypted copies
    said: list[str] = []
    win.ctx.status.connect(said.append)
    action(win, "encrypt_db").trigger()
    qtbot.waitUntil(lambda: win.safety.encrypted and not win.worker.busy, timeout=20000)
    assert asked == ["Encrypt database"]
    assert "now encrypted" in told(dialogs, "Encrypt database")
    assert "NOT encrypted" in dialogs.asked[-1] and plain.name in dialogs.asked[-1]
    # One copy is spoken of as one (not "These 1 older backups ... them").
    assert dialogs.asked[-1].startswith("This older backup is NOT encrypted and anyone can read it")
    assert "Delete it now?" in dialogs.asked[-1]
    idle(qtbot, win)
    qtbot.waitUntil(lambda: any(m.startswith("Deleted") for m in said), timeout=10000)
    assert "Deleted 1 unencrypted copy" in said
    assert not plain.exists()
    assert "(encrypted)" in win.db_label.text()

    gui_add_pupil(qtbot, win, SENTINEL + "Too")  # lands in the -wal
    wal = db_path.with_name("school.db-wal")
    assert wal.exists() and wal.stat().st_size > 0
    win.close()
    files = [db_path, wal, *(b.path for b in backups(db_path))]
    assert len(files) >= 3
    for f in files:
        assert no_sentinel(f), f
    for b in backups(db_path):
        assert sqlitefile.is_encrypted(b.path)
        raw = sqlite3.connect(b.path)
        with pytest.raises(sqlite3.DatabaseError):
            raw.execute("SELECT * FROM pupil").fetchall()
        raw.close()
    with pytest.raises(PassphraseRequired):
        open_store(db_path)
    with pytest.raises(WrongPassphrase):
        open_store(db_path, passphrase="another long passphrase")
    s = open_store(db_path, passphrase=PHRASE)
    with s.read() as session:
        from sencodesk.model import Pupil

        assert {p.legal_last_name for p in session.query(Pupil)} == {SENTINEL, SENTINEL + "Too"}
    s.close()


def test_change_passphrase_from_the_menu(qtbot, tmp_path, dialogs, monkeypatch):
    """File > Change passphrase: a wrong current passphrase changes nothing; the right one
    re-encrypts the file under the new passphrase, reopens it and backs it up; the old
    passphrase no longer opens it, and nothing was lost."""
    db = tmp_path / "school.db"
    s = open_store(db, user="test", passphrase=PHRASE)
    seed_school(s, dt.date.today())
    s.close()
    before = dump(db, sqlitefile.key_bytes(PHRASE))
    new_phrase = "purple elephants juggle quietly"
    answers = iter([PHRASE, "not the passphrase at all", PHRASE])  # open, wrong, right
    monkeypatch.setattr(ask, "ask_text", lambda *a, **k: next(answers))
    monkeypatch.setattr(pp, "ask_new_passphrase", lambda *a, **k: new_phrase)
    win = open_window(qtbot, db)
    wait_open(qtbot, win)
    assert win.safety.encrypted

    action(win, "change_passphrase").trigger()
    qtbot.waitUntil(lambda: "Change passphrase" in told_titles(dialogs), timeout=15000)
    assert "not the database's current passphrase" in told(dialogs, "Change passphrase")
    with sqlitefile.connected(db, key=sqlitefile.key_bytes(PHRASE), read_only=True):
        pass  # still under the old passphrase

    dialogs.told.clear()
    action(win, "change_passphrase").trigger()
    qtbot.waitUntil(lambda: "Change passphrase" in told_titles(dialogs), timeout=20000)
    idle(qtbot, win)
    assert "The passphrase is changed" in told(dialogs, "Change passphrase")
    assert win.worker.has_store and win.safety.encrypted
    win.close()
    with pytest.raises(WrongPassphrase):
        open_store(db, passphrase=PHRASE)
    assert dump(db, sqlitefile.key_bytes(new_phrase)) == before
    newest = backups(db)[-1].path
    assert sqlitefile.is_encrypted(newest)
    with sqlitefile.connected(newest, key=sqlitefile.key_bytes(new_phrase), read_only=True):
        pass


def test_new_database_can_be_created_encrypted(qtbot, tmp_path, monkeypatch, dialogs):
    from ui.dialogs import files
    from ui.dialogs.first_run import FirstRunDialog

    target = tmp_path / "new.db"
    monkeypatch.setattr(files, "choose_save_file", lambda *a, **k: str(target))
    monkeypatch.setattr(pp, "ask_new_passphrase", lambda *a, **k: PHRASE)
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    action(win, "new_db").trigger()
    qtbot.waitUntil(lambda: win.worker.has_store and not win.worker.busy, timeout=15000)
    find_dialog(FirstRunDialog).reject()
    assert sqlitefile.is_encrypted(target)
    assert win.safety.encrypted
    with pytest.raises(PassphraseRequired):
        open_store(target)


def test_new_passphrase_dialog_checks_length_and_match(qtbot):
    box = pp.NewPassphraseDialog(None, "Encrypt database", "Intro")
    qtbot.addWidget(box)
    box.first.setText("short")
    box.second.setText("short")
    box.check_and_accept()
    assert "at least 10 characters" in box.form.error_text("passphrase")
    assert box.result() != QDialog.DialogCode.Accepted
    box.first.setText(PHRASE)
    box.second.setText(PHRASE + "!")
    box.check_and_accept()
    assert "not the same" in box.form.error_text("again")
    box.second.setText(PHRASE)
    box.check_and_accept()
    assert box.result() == QDialog.DialogCode.Accepted and box.passphrase() == PHRASE

    optional = pp.NewPassphraseDialog(None, "New database", "Intro", optional=True)
    qtbot.addWidget(optional)
    optional.use.setChecked(False)
    optional.check_and_accept()
    assert optional.result() == QDialog.DialogCode.Accepted and optional.passphrase() == ""


# --------------------------------------------------------------------------- backup, restore


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_backup_then_restore_gives_equal_data(qtbot, tmp_path, dialogs, monkeypatch, encrypted):
    from ui.dialogs import files

    db = tmp_path / "school.db"
    s = open_store(db, user="test", passphrase=PHRASE if encrypted else None)
    seed_school(s, dt.date.today())
    s.close()
    key = sqlitefile.key_bytes(PHRASE) if encrypted else None
    if encrypted:
        monkeypatch.setattr(ask, "ask_text", lambda *a, **k: PHRASE)
    win = open_window(qtbot, db)
    wait_open(qtbot, win)

    action(win, "backup").trigger()
    qtbot.waitUntil(lambda: "Back up now" in told_titles(dialogs), timeout=15000)
    made = Path(re.search(r"Backed up to (.+?\.db)\.", told(dialogs, "Back up now")).group(1))
    assert sqlitefile.is_encrypted(made) == encrypted
    expected = dump(db, key)
    assert dump(made, key) == expected

    gui_add_pupil(qtbot, win, "AfterTheBackup")
    assert dump(db, key) != expected
    monkeypatch.setattr(files, "choose_open_file", lambda *a, **k: str(made))
    dialogs.answer = True
    action(win, "restore").trigger()
    qtbot.waitUntil(lambda: "Restore" in told_titles(dialogs), timeout=20000)
    idle(qtbot, win)
    assert told(dialogs, "Restore") == "The backup has been restored."
    assert dump(db, key) == expected
    assert sqlitefile.is_encrypted(db) == encrypted
    assert any(b.kind == "before-restore" for b in backups(db))


# --------------------------------------------------------------------------- history


def history_dialog(qtbot: Any, win: MainWindow) -> HistoryDialog:
    action(win, "history").trigger()
    box = find_dialog(HistoryDialog)
    qtbot.waitUntil(lambda: box.model.rowCount() > 0, timeout=10000)
    return box


def cells(model: Any, row: int) -> list[str]:
    return [model.index(row, c).data() for c in range(model.columnCount())]


def test_history_shows_a_changed_field_with_old_and_new_values(qtbot, store, db_path):
    seeded = seed_school(store, dt.date.today())
    with store.session(reason="moved class") as s:
        commands.save_pupil(s, {"class_name": "5A"}, seeded.pupil)
    with store.session() as s:
        commands.save_pupil(s, {"class_name": "5B", "ehcp_weekly_minutes": 1900}, seeded.pupil)
    store.close()
    win = open_window(qtbot, db_path)
    wait_open(qtbot, win)
    page = win.show_page("pupils")
    with qtbot.waitSignal(page.view.loaded, timeout=10000):
        win.open_pupil(seeded.pupil)

    box = history_dialog(qtbot, win)
    assert box.windowTitle() == "History"  # never the child's name in a title
    assert box.heading.text() == "Pupil: Amelia Hart"
    m = box.model
    rows = [cells(m, r) for r in range(m.rowCount())]
    when, who, change, _field, _old, _new, _reason = rows[0]
    assert DATETIME.match(when) and who == "test" and change == "changed"
    assert ["Class name", "5A", "5B", ""] in [r[3:] for r in rows]
    assert ["EHCP hours a week", "25 h", "31 h 40 min", ""] in [r[3:] for r in rows]
    assert ["Class name", "", "5A", "moved class"] in [r[3:] for r in rows]
    assert any(r[2] == "added" and r[3] == "Date of birth" for r in rows)
    # Read-only: nothing can be edited in place.
    assert box.view.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    assert not m.flags(m.index(0, HistoryModel.COL_NEW)) & Qt.ItemFlag.ItemIsEditable
    assert box.note.text().startswith(f"{m.rowCount()} entries, newest first.")
    box._loaded([m.row_at(0)])  # a record changed once: one entry, not "1 entries"
    assert box.note.text().startswith("1 entry, newest first.")
    box.close()

    # The funding row selected on the pupil's Funding tab has its own history.
    view = page.view
    view.tabs.setCurrentWidget(view.funding)
    view.funding.table.selectRow(0)
    view.funding.table.setFocus()
    box = history_dialog(qtbot, win)
    assert box.table_name == "funding" and box.row_id == seeded.funding
    box.close()

    staff = win.show_page("staff")
    with qtbot.waitSignal(staff.view.loaded, timeout=10000):
        win.open_staff(seeded.lsa)
    win.activateWindow()
    staff.view.tabs.tabBar().setFocus()
    box = history_dialog(qtbot, win)
    assert box.table_name == "staff" and box.row_id == seeded.lsa
    assert box.heading.text().startswith("Member of staff: ")


def test_history_without_a_record_open_says_what_to_do(qtbot, store, db_path, dialogs):
    set_up_school(store)
    store.close()
    win = open_window(qtbot, db_path)
    wait_open(qtbot, win)
    win.show_page("dashboard")
    action(win, "history").trigger()
    assert "Open a pupil or a member of staff" in told(dialogs, "History")


# --------------------------------------------------------------------------- retention


def leaver(store: Any, first: str, last: str, upn: str | None = None) -> int:
    pid = add_pupil(store, first, last, upn=upn)
    with store.session() as s:
        commands.save_pupil(
            s,
            {"date_of_birth": dt.date(1990, 1, 1), "leaving_date": dt.date(2001, 7, 20)},
            pid,
        )
        from sencodesk.model import Pupil

        s.get(Pupil, pid).archived = True
    return pid


def test_retention_review_hold_and_erase(qtbot, store, db_path, dialogs):
    set_up_school(store)
    kept = leaver(store, "Keira", "Holdsworth")
    gone = leaver(store, "Zebedee", SENTINEL, upn="B801200005001")
    add_pupil(store, "Current", "Pupil")
    store.close()
    win = open_window(qtbot, db_path)
    wait_open(qtbot, win)

    action(win, "retention").trigger()
    box = find_dialog(RetentionDialog)
    qtbot.waitUntil(lambda: box.model.rowCount() == 2, timeout=10000)
    ids = [r.pupil_id for r in box.model.rows]
    assert set(ids) == {kept, gone}
    assert box.windowTitle() == "Records past retention"

    # Hold: a reason is needed.
    box.table.selectRow(ids.index(kept))
    box.hold_button.click()
    hold = find_dialog(HoldDialog)
    hold.ok_button.click()
    assert "say why" in hold.form.error_text("reason")
    hold.reason.setText("Insurance claim open")
    with qtbot.waitSignal(box.loaded, timeout=10000):
        hold.ok_button.click()
    row = next(r for r in box.model.rows if r.pupil_id == kept)
    assert row.on_hold
    assert cells(box.model, box.model.rows.index(row))[RetentionModel.COL_STATUS] == (
        "On hold: Insurance claim open"
    )

    # Erase: a reason that does not name the pupil, and the name typed to confirm.
    box.table.selectRow([r.pupil_id for r in box.model.rows].index(gone))
    assert box.erase_button.isEnabled()
    box.erase_button.click()
    erase = find_dialog(EraseDialog)
    assert not erase.ok_button.isEnabled()
    erase.reason.setText(f"{SENTINEL} left long ago")
    erase.confirm.setText("Zebedee " + SENTINEL)
    assert erase.ok_button.isEnabled()
    erase.ok_button.click()
    qtbot.waitUntil(lambda: bool(erase.form.error_text("reason")), timeout=10000)
    assert "must not name the pupil" in erase.form.error_text("reason")
    erase.reason.setText("Retention period ended; reviewed by the DPO")
    erase.confirm.setText("Somebody Else")
    erase.ok_button.click()
    qtbot.waitUntil(lambda: bool(erase.form.error_text("confirm_upn_or_name")), timeout=10000)
    erase.confirm.setText("b801200005001")  # the UPN, in any case
    with qtbot.waitSignal(box.loaded, timeout=10000):
        erase.ok_button.click()
    assert [r.pupil_id for r in box.model.rows] == [kept]
    box.reject()
    win.close()

    with sqlitefile.connected(db_path, read_only=True) as conn:
        assert conn.execute("SELECT count(*) FROM pupil WHERE id = ?", (gone,)).fetchone()[0] == 0
        entries = conn.execute(
            "SELECT action, reason FROM audit_entry WHERE table_name = 'pupil' AND row_id = ?",
            (gone,),
        ).fetchall()
        assert entries == [("erase", "Retention period ended; reviewed by the DPO")]
        texts = conn.execute("SELECT old_value, new_value, reason FROM audit_entry").fetchall()
    assert not any(SENTINEL in (v or "") for row in texts for v in row)
    assert not dialogs.bugs


# --------------------------------------------------------------------------- subject access


def test_subject_access_export_from_the_pupil_page(qtbot, store, db_path, dialogs, monkeypatch):
    pytest.importorskip("sencodesk.exchange.json_io")
    import ui.safety.records

    seeded = seed_school(store, dt.date.today())
    store.close()
    out = db_path.parent / "sar"
    out.mkdir()
    monkeypatch.setattr(ui.safety.records, "choose_folder", lambda *a, **k: str(out))
    win = open_window(qtbot, db_path)
    wait_open(qtbot, win)
    action(win, "subject_access").trigger()
    assert "Open the pupil's page first" in told(dialogs, "Subject access request")

    page = win.show_page("pupils")
    with qtbot.waitSignal(page.view.loaded, timeout=10000):
        win.open_pupil(seeded.pupil)
    dialogs.told.clear()
    action(win, "subject_access").trigger()
    qtbot.waitUntil(lambda: "Subject access request" in told_titles(dialogs), timeout=30000)
    text = told(dialogs, "Subject access request")
    assert "OFFICIAL-SENSITIVE" in text
    names = sorted(p.name for p in out.iterdir())
    assert names == ["B801200005001-subject-access.json", "B801200005001-subject-access.pdf"]


def test_retention_years_set_in_the_school_settings(qtbot, store, db_path, dialogs):
    """The retention period is the school's to set: a leaver born in 2000 is not yet past the
    default 31 years, and is once the SENCO sets 20 years in School settings."""
    from ui.dialogs.school_editor import SchoolEditor

    set_up_school(store)
    pid = leaver(store, "Ottilie", "Brannigan")
    with store.session() as s:
        commands.save_pupil(s, {"date_of_birth": dt.date(2000, 1, 1)}, pid)
    store.close()
    win = open_window(qtbot, db_path)
    wait_open(qtbot, win)

    action(win, "retention").trigger()
    box = find_dialog(RetentionDialog)
    qtbot.waitUntil(lambda: not win.worker.busy, timeout=10000)
    assert box.model.rowCount() == 0
    box.close()

    ed = SchoolEditor(win.ctx, win)
    ed.show()
    qtbot.waitUntil(ed.isEnabled, timeout=10000)
    assert ed.form.fields["retention_years"].value() == 31
    ed.form.fields["retention_years"].set_value(20)
    with qtbot.waitSignal(ed.saved, timeout=10000):
        ed.save_button.click()

    action(win, "retention").trigger()
    box = find_dialog(RetentionDialog)
    qtbot.waitUntil(lambda: box.model.rowCount() == 1, timeout=10000)
    assert box.model.rows[0].pupil_id == pid
