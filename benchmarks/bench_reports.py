"""Review-pack and report timings (targets from issue 4).

1. One review pack end to end (load from the database + draw) against reportlab drawing the
   same story from data already loaded, side by side: target at most 3x.
2. 300 packs from a 20,000-pupil demo database: wall time, peak memory, and the longest pause
   a 10 ms "GUI" heartbeat thread saw while the batch ran in a worker thread (the GUI runs
   the batch in its database worker; this is how long its event loop could be starved).
3. The table reports on the same database, each format.

    python benchmarks/bench_reports.py [--pupils 20000] [--packs 300] [--db FILE]

The demo database is built once (``sencodesk.demo.build_demo``) and kept at ``--db``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import resource
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select  # noqa: E402

from sencodesk.model import Pupil, ReviewMeeting  # noqa: E402
from sencodesk.store import Store, open_store  # noqa: E402

TODAY = dt.date(2026, 2, 20)


def demo_store(path: Path, pupils: int) -> Store:
    fresh = not path.exists()
    store = open_store(path, user="bench")
    if fresh:
        from sencodesk.demo import build_demo

        t = time.perf_counter()
        build_demo(store, pupils=pupils, seed=4, today=TODAY)
        print(f"built a {pupils}-pupil demo database in {time.perf_counter() - t:.1f} s")
    with store.read() as s:
        n = s.scalar(select(func.count()).select_from(Pupil))
        m = s.scalar(select(func.count()).select_from(ReviewMeeting))
    print(f"database: {n} pupils, {m} review meetings ({path})")
    return store


def _busiest_meeting(store: Store) -> tuple[int, int]:
    """The meeting whose pupil has the most records: the heaviest pack."""
    from sencodesk.model import Record

    with store.read() as s:
        counts = (
            select(Record.pupil_id, func.count().label("n")).group_by(Record.pupil_id).subquery()
        )
        row = s.execute(
            select(ReviewMeeting.id, ReviewMeeting.pupil_id)
            .join(counts, counts.c.pupil_id == ReviewMeeting.pupil_id)
            .order_by(counts.c.n.desc(), ReviewMeeting.meeting_at.desc())
            .limit(1)
        ).first()
    if row is None:
        raise SystemExit("the demo database has no review meetings with records")
    return int(row[1]), int(row[0])


def bench_one_pack(store: Store, repeat: int = 7) -> None:
    from sencodesk.reports.data_review import load_review_pack
    from sencodesk.reports.review_pack import build_review_pack, render_review_pack

    pid, mid = _busiest_meeting(store)
    with store.read() as s:
        data = load_review_pack(s, pid, mid, today=TODAY)
    print(
        f"\n1. one review pack (pupil {pid}, meeting {mid}: "
        f"{sum(len(o.evidence) for o in data.outcomes)} evidence records, "
        f"{len(data.incidents)} incidents, {len(data.outcomes)} outcomes)"
    )
    e2e, draw, load = [], [], []
    for _ in range(repeat):  # interleaved, so both see the same machine state
        t = time.perf_counter()
        with store.read() as s:
            pages = build_review_pack(s, pid, mid, io.BytesIO(), today=TODAY)
        e2e.append(time.perf_counter() - t)
        t = time.perf_counter()
        with store.read() as s:
            data = load_review_pack(s, pid, mid, today=TODAY)
        load.append(time.perf_counter() - t)
        t = time.perf_counter()
        render_review_pack(data, io.BytesIO())
        draw.append(time.perf_counter() - t)
    a, b, c = statistics.median(e2e), statistics.median(draw), statistics.median(load)
    print(
        f"   pages {pages}; end to end {a * 1000:.0f} ms; reportlab from loaded data "
        f"{b * 1000:.0f} ms; loading alone {c * 1000:.0f} ms; ratio {a / b:.2f}x "
        f"(target <= 3x)"
    )


def bench_batch(store: Store, packs: int, out: Path) -> None:
    from sencodesk.reports.batch import build_review_packs, pack_jobs

    with store.read() as s:
        dates = [
            d
            for (d,) in s.execute(
                select(ReviewMeeting.meeting_at).order_by(ReviewMeeting.meeting_at)
            )
        ]
    if not dates:
        print("no meetings")
        return
    start = dates[0].date()
    end = dates[min(packs, len(dates)) - 1].date()
    jobs = pack_jobs(store, start, end)
    print(f"\n2. batch: {len(jobs)} packs ({start:%d/%m/%Y} to {end:%d/%m/%Y}) + merged file")
    gaps: list[float] = []
    stop = threading.Event()

    def heartbeat() -> None:
        last = time.perf_counter()
        while not stop.is_set():
            time.sleep(0.01)
            now = time.perf_counter()
            gaps.append(now - last - 0.01)
            last = now

    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    beat = threading.Thread(target=heartbeat, daemon=True)
    beat.start()
    result: dict[str, object] = {}

    def job() -> None:
        t = time.perf_counter()
        files = build_review_packs(store, start, end, out, merged=True, today=TODAY)
        result["time"], result["files"] = time.perf_counter() - t, files

    worker = threading.Thread(target=job)
    worker.start()
    worker.join()
    stop.set()
    beat.join()
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    files = result["files"]
    assert isinstance(files, list)
    secs = float(result["time"])  # type: ignore[arg-type]
    size = sum(f.stat().st_size for f in files) / 1e6
    n = len(files) - 1
    print(
        f"   {secs:.1f} s ({secs / max(n, 1) * 1000:.0f} ms a pack), {size:.1f} MB written; "
        f"peak RSS {rss1 / 1024:.0f} MB (was {rss0 / 1024:.0f} MB before the batch)"
    )
    gaps.sort()
    print(
        f"   heartbeat pauses: median {statistics.median(gaps) * 1000:.1f} ms, "
        f"99th percentile {gaps[int(len(gaps) * 0.99)] * 1000:.1f} ms, "
        f"longest {gaps[-1] * 1000:.1f} ms"
    )


def bench_tables(store: Store, out: Path) -> None:
    from sencodesk.exchange.tabular import write_report
    from sencodesk.reports.catalogue import REPORTS, build_report

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
    args = ap.parse_args()
    store = demo_store(args.db, args.pupils)
    with tempfile.TemporaryDirectory() as tmp:
        bench_one_pack(store)
        if not args.skip_batch:
            bench_batch(store, args.packs, Path(tmp) / "packs")
        bench_tables(store, Path(tmp))
    store.close()


if __name__ == "__main__":
    main()
