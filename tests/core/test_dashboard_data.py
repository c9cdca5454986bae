"""The dashboard's data over one load of the facts (#17) is what the two readers give alone."""

from __future__ import annotations

import datetime as dt

from sencodesk.alerts import alerts_and_timeline, compute_alerts
from sencodesk.demo import make_demo
from sencodesk.queries.timeline import timeline

TODAY = dt.date(2026, 3, 1)


def test_alerts_and_timeline_are_the_readers_own(store) -> None:
    make_demo(store, pupils=420, seed=1, today=TODAY)
    for on in (TODAY, TODAY + dt.timedelta(days=190)):
        start, end = on - dt.timedelta(days=30), on + dt.timedelta(days=335)
        with store.read() as s:
            alerts, lanes = alerts_and_timeline(s, today=on, start=start, end=end)
            assert alerts and lanes
            assert alerts == compute_alerts(s, today=on)
            assert lanes == timeline(s, start, end)
