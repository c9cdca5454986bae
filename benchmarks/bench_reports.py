"""Review-pack and report timings (targets from issue 4).

1. One review pack end to end (load from the database + build the content model + draw)
   against raw reportlab laying out the same flowables, built beforehand, side by side
   (interleaved runs): target at most 2x (#13). A pack alone loads only its pupil's facts
   (queries/pupil_facts.py; it loaded the whole trust's: 2.9-3.7x on the 20,000-pupil demo),
   now 1.5x. "In a batch" is the same pack with the school's facts loaded once.
2. 300 packs from a 20,000-pupil demo database, run as the GUI runs them: a long job on the
   real database worker (``ui.worker.DbWorker.run_job``, progress and cancel through a
   ``JobState``) while the GUI thread's Qt event loop runs a 10 ms timer. Reported: wall
   time, CPU split between the app's process and its workers (reports/pool.py: the pack
   workers, which load, build and draw each pack, and the merged file's process, which
   makes the merged file of the packs' drawn pages: reports/pdf_pages.py), peak RSS
   of the app, of one worker and of the whole, and how late each timer tick fired (the GUI
   event-loop latency: what a user clicking or typing during the batch would wait, on top
   of a frame). ``--cancel-after S`` also cancels a batch after S seconds.
3. The table reports on the same database, each format.

    python benchmarks/bench_reports.py [--pupils 20000] [--packs 300] [--db FILE]

The demo database is built once (``sencodesk.demo.make_demo``, as ``python main.py demo
--db FILE --pupils 20000 --today 2026-02-20``) and kept at ``--db``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sqlalchemy import and_, func, select  # noqa: E402

from sencodesk.model import Pupil, Record, ReviewMeeting  # noqa: E402
from sencodesk.store import Store, open_store  # noqa: E402

TODAY = dt.date(2026, 2, 20)


def demo_store(path: Path, pupils: int) -> Store:
    fresh = not path.exists()
    store = open_store(path, user="bench")
    if fresh:
        from sencodesk.demo import make_demo

        t = time.perf_counter()
        make_demo(store, pupils=pupils, seed=1, today=TODAY)
        print(f"built a {pupils}-pupil demo database in {time.perf_counter() - t:.1f} s")
    with store.read() as s:
        n = s.scalar(select(func.count()).select_from(Pupil))
        m = s.scalar(select(func.count()).select_from(ReviewMeeting))
    print(f"database: {n} pupils, {m} review meetings ({path})")
    return store


def _busiest_meeting(store: Store) -> tuple[int, int]:
    """An upcoming meeting whose pupil has the most records in the year before: the heaviest
    pack a SENCO would print now."""
    year_ago = dt.datetime.combine(TODAY - dt.timedelta(days=365), dt.time.min)
    with store.read() as s:
        row = s.execute(
            select(ReviewMeeting.id, ReviewMeeting.pupil_id)
            .join(
                Record,
                and_(Record.pupil_id == ReviewMeeting.pupil_id, Record.occurred_at >= year_ago),
            )
            .where(ReviewMeeting.meeting_at >= dt.datetime.combine(TODAY, dt.time.min))
            .group_by(ReviewMeeting.id, ReviewMeeting.pupil_id)
            .order_by(func.count(Record.id).desc(), ReviewMeeting.id)
            .limit(1)
        ).first()
    if row is None:
        raise SystemExit("the demo database has no upcoming review meetings with records")
    return int(row[1]), int(row[0])


def bench_one_pack(store: Store, repeat: int = 9) -> None:
    from sencodesk.reports.data_review import load_review_pack
    from sencodesk.reports.document_pdf import flowables, page_header
    from sencodesk.reports.review_pack import (
        build_review_pack,
        render_review_pack,
        review_pack_document,
    )
    from sencodesk.reports.styles import build_pdf, frame_width

    pid, mid = _busiest_meeting(store)
    with store.read() as s:
        data = load_review_pack(s, pid, mid, today=TODAY)
    print(
        f"\n1. one review pack (pupil {pid}, meeting {mid}: "
        f"{sum(len(o.evidence) for o in data.outcomes)} evidence records, "
        f"{len(data.incidents)} incidents, {len(data.outcomes)} outcomes)"
    )
    # The first pack in a process also reads the fonts and warms SQLAlchemy's caches: timed
    # apart, so the side-by-side runs below compare like with like.
    t = time.perf_counter()
    with store.read() as s:
        build_review_pack(s, pid, mid, io.BytesIO(), today=TODAY)
    cold = time.perf_counter() - t
    from sencodesk.queries.facts import load_facts

    with store.read() as s:
        facts = load_facts(s)  # as a batch does, once for all its packs
    e2e, draw, load, ratios, raw, model = [], [], [], [], [], []
    batch_e2e: list[float] = []
    pages = 0
    for _ in range(repeat):  # interleaved, so both see the same machine state
        t = time.perf_counter()
        with store.read() as s:
            pages = build_review_pack(s, pid, mid, io.BytesIO(), today=TODAY)
        a = time.perf_counter() - t
        t = time.perf_counter()
        with store.read() as s:
            data = load_review_pack(s, pid, mid, today=TODAY)
        load.append(time.perf_counter() - t)
        t = time.perf_counter()
        render_review_pack(data, io.BytesIO())
        b = time.perf_counter() - t
        # Raw reportlab: the same flowables, built beforehand, laid out and written: what
        # a hand-written reportlab report of the same content costs.
        t = time.perf_counter()
        doc = review_pack_document(data)
        model.append(time.perf_counter() - t)
        story = flowables(doc.blocks, frame_width())
        t = time.perf_counter()
        build_pdf(io.BytesIO(), story, header=page_header(doc), doc_title=doc.title)
        r = time.perf_counter() - t
        t = time.perf_counter()
        with store.read() as s:
            data = load_review_pack(s, pid, mid, today=TODAY, facts=facts)
        render_review_pack(data, io.BytesIO())
        batch_e2e.append(time.perf_counter() - t)
        e2e.append(a)
        draw.append(b)
        raw.append(r)
        ratios.append(a / r)
    a, b, c = statistics.median(e2e), statistics.median(draw), statistics.median(load)
    r, m = statistics.median(raw), statistics.median(model)
    print(
        f"   pages {pages}; first in the process (fonts read) {cold * 1000:.0f} ms; "
        f"medians of {repeat}: end to end {a * 1000:.0f} ms; reportlab from loaded data "
        f"{b * 1000:.0f} ms; loading alone {c * 1000:.0f} ms"
    )
    print(
        f"   raw reportlab (the same flowables, built beforehand) {r * 1000:.0f} ms; "
        f"building the content model {m * 1000:.1f} ms"
    )
    print(
        f"   ratio end to end / raw reportlab: median {statistics.median(ratios):.2f}x, "
        f"worst {max(ratios):.2f}x (target <= 2x); without loading: {b / r:.2f}x"
    )
    print(
        f"   in a batch (the school's facts loaded once): {statistics.median(batch_e2e) * 1000:.0f}"
        f" ms a pack, {statistics.median(batch_e2e) / r:.2f}x raw reportlab (target <= 2x)"
    )


def _date_range(store: Store, packs: int) -> tuple[dt.date, dt.date]:
    """The dates covering the latest ``packs`` meetings (the upcoming ones, and as many of
    the most recent held ones as it takes)."""
    with store.read() as s:
        dates = [
            d
            for (d,) in s.execute(
                select(ReviewMeeting.meeting_at)
                .order_by(ReviewMeeting.meeting_at.desc())
                .limit(packs)
            )
        ]
    if not dates:
        raise SystemExit("no meetings")
    return dates[-1].date(), dates[0].date()


def _tree_rss_mb() -> dict[str, float]:
    """RSS of this process and of each of its children (the pack workers of reports/pool.py),
    in MB: ``{"app": ..., "<pid>": ...}``."""
    out: dict[str, float] = {}
    pids = [("app", str(os.getpid()))]
    for children in Path("/proc/self/task").glob("*/children"):
        pids += [(pid, pid) for pid in children.read_text().split()]
    for name, pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    out[name] = int(line.split()[1]) / 1024
        except OSError:
            pass
    return out


class _TreeRss:
    """The largest RSS of the whole app (this process + its pack workers), sampled, and the
    largest of the app alone and of any one worker."""

    def __init__(self) -> None:
        import threading

        self.peak = self.app = self.worker = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            now = _tree_rss_mb()
            self.peak = max(self.peak, sum(now.values()))
            self.app = max(self.app, now.get("app", 0.0))
            self.worker = max([self.worker, *(v for k, v in now.items() if k != "app")])

    def __enter__(self) -> _TreeRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def bench_batch(
    db: Path, store: Store, packs: int, out: Path, cancel_after: float | None = None
) -> None:
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from sencodesk.reports.batch import build_review_packs, pack_jobs
    from ui.worker import DbWorker

    start, end = _date_range(store, packs)
    jobs = pack_jobs(store, start, end)
    print(
        f"\n2. batch on the GUI's database worker: {len(jobs)} packs "
        f"({start:%d/%m/%Y} to {end:%d/%m/%Y}) + a merged file"
    )
    app = QApplication.instance() or QApplication([])
    worker = DbWorker()
    loop = QEventLoop()
    worker.open(lambda _key: open_store(db, user="bench"), on_done=lambda _s: loop.quit())
    loop.exec()

    def idle_latency(seconds: float) -> list[float]:
        lates: list[float] = []
        clock = QElapsedTimer()
        timer = QTimer()
        timer.setInterval(10)
        last = [0]

        def tick() -> None:
            now = clock.nsecsElapsed()
            lates.append((now - last[0]) / 1e6 - 10)
            last[0] = now

        timer.timeout.connect(tick)
        clock.start()
        timer.start()
        QTimer.singleShot(int(seconds * 1000), loop.quit)
        loop.exec()
        timer.stop()
        return lates[1:]

    base = idle_latency(1.0)

    ticks: list[float] = []
    progress_seen: list[int] = []
    result: dict[str, Any] = {}
    clock = QElapsedTimer()
    timer = QTimer()
    timer.setInterval(10)
    last = [0]

    slow: list[tuple[float, int]] = []

    def tick() -> None:
        now = clock.nsecsElapsed()
        late = (now - last[0]) / 1e6 - 10  # ms later than asked
        ticks.append(late)
        if late > 50:
            slow.append((late, progress_seen[-1] if progress_seen else 0))
        last[0] = now

    def job(store_: Store, state: Any) -> list[Path]:
        return build_review_packs(
            store_,
            start,
            end,
            out,
            merged=True,
            progress=lambda d, t: state.set_progress(d, t, f"Review pack {d} of {t}"),
            cancel=state.is_cancelled,
            today=TODAY,
        )

    def done(files: list[Path]) -> None:
        result["files"] = files
        loop.quit()

    def failed(exc: BaseException, tb: str) -> None:
        result["error"] = tb
        loop.quit()

    worker.progress.connect(lambda d, _t, _x: progress_seen.append(d))
    timer.timeout.connect(tick)
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    asked: list[float] = []
    states: list[Any] = []
    if cancel_after is not None:

        def ask() -> None:
            asked.append(time.perf_counter())
            states[0].cancel()

        QTimer.singleShot(int(cancel_after * 1000), ask)

    def cpu_s() -> tuple[float, float]:
        me = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)  # the pack workers, ended
        return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime

    cpu0 = cpu_s()
    t0 = time.perf_counter()
    clock.start()
    last[0] = 0
    timer.start()
    with _TreeRss() as tree:
        states.append(worker.run_job(job, on_done=done, on_error=failed))
        loop.exec()
    secs = time.perf_counter() - t0
    timer.stop()
    worker.shutdown()
    app_cpu, workers_cpu = (b - a for a, b in zip(cpu0, cpu_s(), strict=True))
    cpu = app_cpu + workers_cpu
    if asked:
        print(
            f"   cancelled after {cancel_after:.1f} s: the job ended "
            f"{(t0 + secs - asked[0]) * 1000:.0f} ms after the cancel; "
            f"{len(progress_seen)} progress signals; peak RSS of the app and its drawing "
            f"processes {tree.peak:.0f} MB"
        )
        return
    if "error" in result:
        raise SystemExit(result["error"])
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    files = result["files"]
    size = sum(f.stat().st_size for f in files) / 1e6
    n = len(files) - 1
    print(
        f"   {secs:.1f} s ({secs / max(n, 1) * 1000:.0f} ms a pack); CPU {cpu:.1f} s = "
        f"{cpu / max(n, 1) * 1000:.0f} ms a pack: the app's process {app_cpu:.1f} s (handing "
        f"out), its workers' {workers_cpu:.1f} s (the packs loaded, built, drawn; the merged "
        f"file); {size:.1f} MB written; {len(progress_seen)} progress signals reached the GUI"
    )
    print(
        f"   peak RSS: the app {rss1 / 1024:.0f} MB (was {rss0 / 1024:.0f} MB before the batch), "
        f"sampled: the app {tree.app:.0f} MB, the largest worker {tree.worker:.0f} MB, the whole app "
        f"with its workers {tree.peak:.0f} MB (target <= 400)"
    )
    ticks = sorted(ticks[1:])
    base.sort()

    def pct(xs: list[float], p: float) -> float:
        return xs[min(len(xs) - 1, int(len(xs) * p))]

    print(
        f"   GUI event loop, 10 ms timer lateness while idle: median "
        f"{statistics.median(base):.1f} ms, 99th {pct(base, 0.99):.1f} ms, "
        f"max {base[-1]:.1f} ms"
    )
    print(
        f"   ... during the batch ({len(ticks)} ticks): median {statistics.median(ticks):.1f} "
        f"ms, 95th {pct(ticks, 0.95):.1f} ms, 99th {pct(ticks, 0.99):.1f} ms, "
        f"max {ticks[-1]:.1f} ms; over 50 ms: {sum(1 for x in ticks if x > 50)}"
    )
    if slow:
        where = ", ".join(f"{ms:.0f} ms after pack {k}" for ms, k in slow)
        print(f"   pauses over 50 ms: {where} (pack {len(jobs)} done = merging)")
    del app


def bench_tables(store: Store, out: Path) -> None:
    from sencodesk.reports.catalogue import REPORTS, build_report
    from sencodesk.reports.tables import write_report

    print("\n3. table reports")
    for name in REPORTS:
        t = time.perf_counter()
        with store.read() as s:
            report = build_report(s, name, today=TODAY)
        load = time.perf_counter() - t
        rows = sum(len(x.rows) for x in report.tables)
        times = []
        for ext in ("pdf", "csv", "xlsx"):
            t = time.perf_counter()
            write_report(report, out / f"{name}.{ext}")
            times.append(f"{ext} {time.perf_counter() - t:.2f} s")
        print(f"   {name}: {rows} rows; load {load:.2f} s; " + ", ".join(times))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pupils", type=int, default=20000)
    ap.add_argument("--packs", type=int, default=300)
    ap.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "bench-20k.db")
    ap.add_argument("--skip-batch", action="store_true")
    ap.add_argument("--skip-tables", action="store_true")
    ap.add_argument("--skip-one", action="store_true", help="leave out the one-pack timing")
    ap.add_argument("--cancel-after", type=float, help="also: cancel a batch after S seconds")
    ap.add_argument(
        "--workers", type=int, help="drawing processes (reports/pool.py; 0: draw in process)"
    )
    args = ap.parse_args()
    if args.workers is not None:
        from sencodesk.reports import pool

        pool.worker_count = lambda: args.workers
    store = demo_store(args.db, args.pupils)
    with tempfile.TemporaryDirectory() as tmp:
        if not args.skip_one:
            bench_one_pack(store)
        if not args.skip_batch:
            bench_batch(args.db, store, args.packs, Path(tmp) / "packs")
        if args.cancel_after is not None:
            bench_batch(args.db, store, args.packs, Path(tmp) / "cancel", args.cancel_after)
        if not args.skip_tables:
            bench_tables(store, Path(tmp))
    store.close()


if __name__ == "__main__":
    main()
