"""Filter keystrokes on the pupil list of a 20,000-pupil demo database (target: median under
16 ms, one frame at 60 Hz).

    python benchmarks/bench_gui_filter.py [--pupils 20000] [--db PATH]

Times what the user waits for: a key typed into the filter box, the model narrowing (or
widening) its rows, and the table view laying out and painting the result.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TYPED = ["smith", "year 6", "asd", "b80", "semh", "cole", "mia", "k", "year 10 slcn"]
TODAY = dt.date(2025, 11, 12)


def demo_db(pupils: int, path: Path | None) -> Path:
    from sencodesk.store import open_store

    db = path or Path(tempfile.gettempdir()) / f"sencodesk-bench-{pupils}.db"
    if not db.exists():
        from sencodesk.demo import build_demo

        print(f"building a {pupils}-pupil demo database at {db} …", flush=True)
        store = open_store(db, user="bench")
        try:
            build_demo(store, pupils=pupils, seed=1, today=TODAY)
        finally:
            store.close()
    return db


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pupils", type=int, default=20000)
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    db = demo_db(args.pupils, args.db)

    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from sencodesk.queries.pupils import list_pupils
    from sencodesk.store import open_store
    from ui.app import configure_app
    from ui.models.pupils import PupilListModel
    from ui.widgets.table import FilterBox, Table

    app = QApplication([])
    configure_app(app)
    store = open_store(db, user="bench", read_only=True)
    t0 = time.perf_counter()
    with store.read() as s:
        rows = list_pupils(s, today=TODAY)
    t_query = time.perf_counter() - t0
    model = PupilListModel()
    t0 = time.perf_counter()
    model.set_rows(rows)
    t_rows = time.perf_counter() - t0
    table = Table(model, "Pupil list", widths=(190, 70, 60, 130, 45, 95, 90, 90, 200, 100))
    box = FilterBox(table, "Filter", "Filter pupils")
    table.resize(1200, 700)
    table.show()
    box.show()
    app.processEvents()
    t0 = time.perf_counter()
    model.sort(PupilListModel.COL_NAME, Qt.SortOrder.DescendingOrder)
    app.processEvents()
    t_sort = time.perf_counter() - t0

    times: list[float] = []
    for _ in range(3):
        for word in TYPED:
            for ch in word:
                t0 = time.perf_counter()
                QTest.keyClick(box, ch)
                table.viewport().repaint()
                app.processEvents()
                times.append(time.perf_counter() - t0)
            for _ch in word:
                t0 = time.perf_counter()
                QTest.keyClick(box, Qt.Key.Key_Backspace)
                table.viewport().repaint()
                app.processEvents()
                times.append(time.perf_counter() - t0)
    ms = sorted(t * 1000 for t in times)
    median = statistics.median(ms)
    p95 = ms[int(len(ms) * 0.95)]
    print(f"pupils in the list:        {len(rows)}")
    print(f"list_pupils query:         {t_query * 1000:.0f} ms")
    print(f"set_rows (search keys):    {t_rows * 1000:.0f} ms")
    print(f"sort by name (source list): {t_sort * 1000:.0f} ms")
    print(f"filter keystrokes:         {len(ms)}")
    print(f"keystroke median:          {median:.2f} ms  (target < 16 ms)")
    print(f"keystroke 95th percentile: {p95:.2f} ms")
    print(f"keystroke worst:           {ms[-1]:.2f} ms")
    store.close()
    return 0 if median < 16 else 1


if __name__ == "__main__":
    sys.exit(main())
