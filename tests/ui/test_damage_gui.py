"""Damaged first bytes of a plain database are told as damage in the app (not "encrypted,
give the passphrase"), and the good backup beside it is offered and restored."""

from __future__ import annotations

from sencodesk import commands
from sencodesk.safety import backup as bk
from sencodesk.store import open_store
from tests.hostile.safety_helpers import add_pupil, names
from tests.ui.helpers import write_in_worker
from tests.ui.test_safety_gui import idle, open_window, wait_open


def test_damaged_first_bytes_offer_the_good_backup_not_a_passphrase(
    qtbot, db_path, dialogs, monkeypatch
):
    from ui.dialogs import ask

    asked_passphrase: list[str] = []
    monkeypatch.setattr(ask, "ask_text", lambda *a, **k: asked_passphrase.append(a[2]) or "")
    store = open_store(db_path, user="test")
    with store.session() as s:
        commands.save_school(s, {"name": "Brook Lane Primary"})
    add_pupil(store)
    good = bk.backup_now(store)
    store.close()
    data = bytearray(db_path.read_bytes())
    data[:16] = b"\x00" * 16
    db_path.write_bytes(bytes(data))

    dialogs.answer = True
    win = open_window(qtbot, db_path)
    wait_open(qtbot, win)
    idle(qtbot, win)
    assert asked_passphrase == []
    assert "is damaged" in dialogs.asked[0] and good.name in dialogs.asked[0]
    assert "passphrase" not in dialogs.asked[0].lower()
    assert not dialogs.bugs
    win.close()
    store = open_store(db_path, user="test")
    try:
        assert names(store) == ["Okafor"]
    finally:
        store.close()


def test_a_wal_deleted_while_open_is_noticed_and_its_saves_kept(qtbot, db_path, dialogs):
    import datetime as dt
    import sqlite3

    store = open_store(db_path, user="test")
    with store.session() as s:
        commands.save_school(s, {"name": "Brook Lane Primary"})
    store.close()
    win = open_window(qtbot, db_path)
    wait_open(qtbot, win)
    done: list[int] = []
    write_in_worker(
        win,
        commands.save_pupil,
        {
            "legal_first_name": "Wal",
            "legal_last_name": "Saved",
            "date_of_birth": dt.date(2016, 1, 1),
        },
        changes=["pupil"],
        on_done=done.append,
    )
    qtbot.waitUntil(lambda: bool(done), timeout=10000)
    for suffix in ("-wal", "-shm"):  # a cleaning tool, or a SENCO tidying the folder
        db_path.with_name(db_path.name + suffix).unlink()
    win.safety.run_routine()  # the hourly look
    qtbot.waitUntil(lambda: bool(dialogs.told), timeout=15000)
    assert "deleted" in dialogs.told[0][1] and not dialogs.bugs
    # The saved pupil is in the database file itself now, not only in the deleted -wal.
    raw = sqlite3.connect(db_path.resolve().as_uri() + "?immutable=1", uri=True)
    try:
        assert raw.execute("SELECT legal_last_name FROM pupil").fetchall() == [("Saved",)]
    finally:
        raw.close()
    win.close()
