"""What the speed work must not change: alerts, the timeline's lanes, the pupil list and the
expiries and costs reports of a demo, as plain JSON (issue #17: "no functional change").

``python -m tests.core.scale_snapshot`` rewrites ``tests/core/data/scale_snapshot.json`` from
the code as it is; ``tests/core/test_scale_snapshot.py`` compares the code with it. The file
was written by the code before the speed work (commit "Scale: snapshot of the outputs").
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

SNAPSHOT = Path(__file__).parent / "data" / "scale_snapshot.json"
TODAY = dt.date(2026, 3, 1)  # the demo's date (a Sunday in the spring term)
SIZES = (420, 2000)
# The dates each output is asked about: the demo's day, and later ones that reach other
# alerts, terms and contract ends.
ASKED = (TODAY, TODAY + dt.timedelta(days=47), TODAY + dt.timedelta(days=190))


def plain(x: Any) -> Any:
    """A value as JSON: dataclasses as dicts, dates, Decimals and enums as their text."""
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return {f.name: plain(getattr(x, f.name)) for f in dataclasses.fields(x)}
    if isinstance(x, dict):
        return {str(k): plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [plain(v) for v in x]
    if isinstance(x, enum.Enum):
        return plain(x.value)
    if isinstance(x, (dt.date, dt.datetime, Decimal)):
        return str(x)
    if x is None or isinstance(x, (str, int, float, bool)):
        return x
    return repr(x)


def digest(x: Any) -> str:
    return hashlib.sha256(json.dumps(plain(x), sort_keys=True).encode()).hexdigest()


def outputs(store: Any, *, full: bool) -> dict[str, Any]:
    """Every output of one demo database, each asked on each date in ``ASKED``."""
    from sencodesk.alerts import compute_alerts
    from sencodesk.queries.pupils import list_pupils
    from sencodesk.queries.timeline import timeline
    from sencodesk.reports.costs import costs_report, provision_map_report
    from sencodesk.reports.expiries import expiries_report

    out: dict[str, Any] = {}
    with store.read() as s:
        for on in ASKED:
            key = on.isoformat()
            alerts = compute_alerts(s, today=on)
            # The school's alerts in full (a difference shows what moved), a trust's digested.
            out[f"alerts {key}"] = plain(alerts) if full else digest(alerts)
            out[f"alert count {key}"] = len(alerts)
            out[f"alerts 60 days {key}"] = digest(compute_alerts(s, today=on, within_days=60))
            out[f"timeline {key}"] = digest(timeline(s, on, on + dt.timedelta(days=365)))
            out[f"pupils {key}"] = digest(list_pupils(s, today=on))
            out[f"pupils sen {key}"] = digest(list_pupils(s, today=on, sen_only=True))
            out[f"expiries {key}"] = digest(expiries_report(s, today=on).tables)
            out[f"costs {key}"] = digest(costs_report(s, today=on).tables)
            out[f"provision map {key}"] = digest(provision_map_report(s, today=on).tables)
    return out


def demo_outputs(tmp: Path, pupils: int) -> dict[str, Any]:
    from sencodesk.demo import make_demo
    from sencodesk.store import open_store

    store = open_store(tmp / f"demo{pupils}.db", user="test")
    try:
        make_demo(store, pupils=pupils, seed=1, today=TODAY)
        return outputs(store, full=pupils <= 500)
    finally:
        store.close()


def main() -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        snap = {str(n): demo_outputs(Path(tmp), n) for n in SIZES}
    SNAPSHOT.parent.mkdir(exist_ok=True)
    SNAPSHOT.write_text(json.dumps(snap, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {SNAPSHOT} ({SNAPSHOT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
