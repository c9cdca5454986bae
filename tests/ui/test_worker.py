"""The one database executor: results come back on the GUI thread, errors in two kinds."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread

from sencodesk.errors import KnownError
from sencodesk.store import open_store
from ui.worker import Cancelled


def test_op_runs_off_the_gui_thread_and_returns_on_it(qtbot, worker, db_path):
    seen = {}

    def op(store):
        seen["thread"] = threading.current_thread()
        return store.path

    with qtbot.waitSignal(worker.store_changed):
        worker.open(lambda _key: open_store(db_path, user="test"))
    results = []

    def done(value):
        seen["callback_qthread"] = QThread.currentThread()
        results.append(value)

    with qtbot.waitSignal(worker.busy_changed, check_params_cb=lambda busy: not busy):
        worker.run_op(op, on_done=done)
    assert results == [db_path.resolve()]
    assert seen["thread"] is not threading.main_thread()
    assert seen["callback_qthread"] is qtbot_main_thread()


def qtbot_main_thread():
    from PySide6.QtWidgets import QApplication

    return QApplication.instance().thread()


def test_ops_run_in_order_one_at_a_time(qtbot, worker):
    order = []

    def op(_store, n):
        order.append(("start", n))
        QThread.msleep(5)
        order.append(("end", n))
        return n

    got = []
    for n in range(5):
        worker.run_op(op, n, on_done=got.append)
    qtbot.waitUntil(lambda: len(got) == 5)
    assert got == [0, 1, 2, 3, 4]
    assert order == [(k, n) for n in range(5) for k in ("start", "end")]


def test_errors_reach_the_error_callback_with_traceback(qtbot, worker):
    errors = []

    def bad(_store):
        raise KnownError("The file is locked.")

    def bug(_store):
        return 1 / 0

    worker.run_op(bad, on_error=lambda e, tb: errors.append((e, tb)))
    worker.run_op(bug, on_error=lambda e, tb: errors.append((e, tb)))
    qtbot.waitUntil(lambda: len(errors) == 2)
    assert isinstance(errors[0][0], KnownError)
    assert isinstance(errors[1][0], ZeroDivisionError)
    assert "ZeroDivisionError" in errors[1][1] and "def bug" not in errors[0][1][:0]


def test_changed_is_emitted_after_a_write_only(qtbot, worker):
    with qtbot.waitSignal(worker.changed) as blocker:
        worker.run_op(lambda _s: None, changes={"pupil"})
    assert blocker.args == [frozenset({"pupil"})]
    with qtbot.assertNotEmitted(worker.changed, wait=50):
        worker.run_op(lambda _s: None)
        qtbot.waitUntil(lambda: not worker.busy)


def test_long_job_reports_progress_and_can_be_cancelled(qtbot, worker):
    started = threading.Event()
    release = threading.Event()

    def job(_store, state, steps):
        for i in range(steps):
            state.set_progress(i, steps, f"step {i}")
            if i == 1:
                started.set()
                release.wait(5)
            state.check()
        return "finished"

    progress = []
    worker.progress.connect(lambda d, t, text: progress.append((d, t, text)))
    errors = []
    state = worker.run_job(job, 10, on_done=errors.append, on_error=lambda e, tb: errors.append(e))
    assert started.wait(5)
    state.cancel()
    release.set()
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], Cancelled)
    qtbot.waitUntil(lambda: len(progress) >= 2)
    assert progress[0] == (0, 10, "step 0")


def test_job_state_is_callable_as_a_progress_callback(qtbot, worker):
    def job(_store, progress):
        for i in range(3):
            progress(i, 3)
        return "ok"

    got = []
    worker.run_job(job, on_done=got.append)
    qtbot.waitUntil(lambda: bool(got))
    assert got == ["ok"]


def test_shut_down_worker_drops_work_quietly(worker, qtbot):
    """A page refreshing as the window closes must not raise into the event loop; the job
    never runs and its callbacks are never called."""
    worker.shutdown()
    ran, got = [], []
    worker.run_op(lambda _s: ran.append(1), on_done=got.append, on_error=got.append)
    qtbot.wait(100)
    assert ran == [] and got == [] and not worker.busy


def test_cycles_are_collected_by_the_gui_thread_while_the_worker_runs(qtbot):
    """A Qt object left in a reference cycle must be freed by the GUI thread. Python collects
    in whichever thread allocates past a threshold, so the worker used to free them: for a
    widget, a crash (seen in the GUI tests, "Fatal Python error: Segmentation fault ...
    Garbage-collecting" in the worker while the GUI thread built a page)."""
    import gc
    import weakref

    from PySide6.QtCore import QObject

    from ui.worker import DbWorker

    assert gc.isenabled()
    worker = DbWorker()
    try:
        assert not gc.isenabled()
        freed_in: list[int] = []
        obj = QObject()
        obj.me = obj  # a cycle: only the cyclic collector can free it
        obj.destroyed.connect(lambda: freed_in.append(threading.get_ident()))
        ref = weakref.ref(obj)
        del obj

        def garbage_in_the_worker(_store):
            # Enough new cycles to pass every threshold: Python would collect here, in
            # this thread, and free the object above with them.
            for _ in range(50_000):
                cycle: list = []
                cycle.append(cycle)
            return threading.get_ident()

        worker_thread = []
        with qtbot.waitSignal(worker.busy_changed, check_params_cb=lambda busy: not busy):
            worker.run_op(garbage_in_the_worker, on_done=worker_thread.append)
        qtbot.waitUntil(lambda: ref() is None, timeout=5000)  # the GUI thread's timer
        assert freed_in == [threading.get_ident()] != worker_thread
    finally:
        worker.shutdown()
    assert gc.isenabled()  # the last worker has stopped: Python collects by itself again


def test_the_first_collection_waits_until_the_start_is_over(qtbot):
    """What the start makes (the window, the first page's data) is alive, not garbage: the
    GUI collector's first tick comes START_GRACE_MS after the first worker starts (its young
    collections walked it all: 24 ms of the GUI thread before a trust's dashboard had its
    data), then every INTERVAL_MS, and at once on a later worker's start."""
    from PySide6.QtWidgets import QApplication

    from ui.collector import INTERVAL_MS, START_GRACE_MS, GuiCollector

    class Worker:
        busy = False

    collector = GuiCollector(QApplication.instance())
    first, later = Worker(), Worker()
    try:
        collector.acquire(first)
        assert collector.timer.isActive() and collector.timer.interval() == START_GRACE_MS
        assert START_GRACE_MS >= 1000 > INTERVAL_MS
        collector.check()  # the first tick
        assert collector.timer.interval() == INTERVAL_MS
        collector.release(first)
        collector.acquire(later)
        assert collector.timer.interval() == INTERVAL_MS  # no grace after the start
    finally:
        collector.release(later)
        collector.deleteLater()


def test_a_full_collection_waits_until_the_worker_is_idle(qtbot):
    """A full collection (tens of ms with a big school loaded) never lands in the middle of
    a batch of review packs: it waits until no worker is busy, then runs once."""
    import gc

    from PySide6.QtWidgets import QApplication

    from ui.collector import GuiCollector

    class Worker:
        busy = True

    collector = GuiCollector(QApplication.instance())
    full: list[int] = []

    def seen(phase, info):
        if phase == "stop" and info["generation"] == 2:
            full.append(1)

    def cycles(n):  # garbage only the cyclic collector frees (refcounting frees the rest)
        for _ in range(n):
            cycle: list = []
            cycle.append(cycle)

    worker = Worker()
    gc.callbacks.append(seen)
    try:
        collector.acquire(worker)
        collector.timer.stop()  # ticks by hand below
        collector.last_full = 0.0  # long ago
        for _ in range(3 * gc.get_threshold()[2]):
            cycles(2 * gc.get_threshold()[0])
            collector.check()
        assert full == []  # busy: the young generations only
        assert gc.get_count()[2] > gc.get_threshold()[2]
        worker.busy = False
        cycles(2 * gc.get_threshold()[0])
        collector.check()
        assert full == [1] and collector.frozen
    finally:
        gc.callbacks.remove(seen)
        collector.release(worker)
        gc.unfreeze()
        collector.deleteLater()
    assert gc.isenabled()


def test_a_change_op_reports_what_the_core_wrote_side_effects_included(qtbot, worker, db_path):
    """The op declares nothing; saving a leaving date also ends the pupil's assignments, and
    the pages are told both (``sencodesk.changes``), not what the caller guessed."""
    import datetime as dt

    from sencodesk import commands
    from tests.ui.seed import seed_school

    today = dt.date.today()
    seeded = open_store(db_path, user="test")
    try:
        ids = seed_school(seeded, today - dt.timedelta(days=30))
    finally:
        seeded.close()
    with qtbot.waitSignal(worker.store_changed):
        worker.open(lambda _key: open_store(db_path, user="test"))
    with qtbot.waitSignal(worker.changed) as told:
        worker.change(commands.save_pupil, {"leaving_date": today}, ids.pupil)
    assert told.args[0] == {"pupil", "assignment"}


def test_a_read_that_meets_a_value_no_type_reads_names_the_row(qtbot, worker, db_path):
    """A page's read of a file made or damaged outside the app (a month 13 in a funding line's
    end date) is told as the rows to correct (``BadRows``), never as a bug in the app: the
    worker guards every read and write as the alerts and reports guard themselves."""
    import datetime as dt
    import sqlite3

    from sencodesk.demo import make_demo
    from sencodesk.errors import BadRows
    from sencodesk.queries.money import funding_rows

    store = open_store(db_path, user="test")
    make_demo(store, pupils=420, seed=1, today=dt.date(2026, 3, 1))
    store.close()
    with sqlite3.connect(db_path) as c:
        fid = c.execute("SELECT min(id) FROM funding").fetchone()[0]
        c.execute("UPDATE funding SET end_date = '2026-13-45' WHERE id = ?", (fid,))
    with qtbot.waitSignal(worker.store_changed):
        worker.open(lambda _key: open_store(db_path, user="test"))
    errors = []
    worker.query(funding_rows, on_error=lambda e, tb: errors.append(e))
    qtbot.waitUntil(lambda: len(errors) == 1)
    assert isinstance(errors[0], BadRows), errors[0]
    assert f"Table funding, row id {fid}, end_date: '2026-13-45' is not a date" in str(errors[0])
