"""The dashboard timeline's words: hours are written the one way (rules.pay.format_hours)."""

import datetime as dt

from sencodesk import commands
from sencodesk.queries.timeline import timeline

D = dt.date


def test_unstaffed_whole_hours_read_like_every_other_hours(store):
    """2 h of EHCP support and nobody assigned: "2 h a week", never "2 h 0 min"."""
    with store.session() as s:
        commands.save_school(s, {"name": "Brook Lane Primary"})
        commands.save_pupil(
            s,
            {
                "legal_first_name": "Ada",
                "legal_last_name": "Lovelace",
                "date_of_birth": D(2017, 1, 5),
                "sen_code": "E",
                "primary_need": "ASD",
                "ehcp_issued": D(2025, 4, 20),
                "ehcp_weekly_minutes": 120,
            },
        )
    with store.read() as s:
        (lane,) = timeline(s, D(2026, 3, 1), D(2027, 2, 28))
    assert [r.reason for r in lane.red] == ["2 h a week of EHCP support unstaffed"]
