"""The .ics calendar parsed back: events, dates, stable unique UIDs, no names."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar

from sencodesk.exchange.calendar import build_calendar, initials, write_calendar

from .reports_data import TODAY, build_school

D = dt.date


def _events(cal: Calendar) -> dict[str, object]:
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


def test_calendar_events_dates_and_uids(store, tmp_path):
    sch = build_school(store)
    out = tmp_path / "senco.ics"
    with store.read() as s:
        write_calendar(s, out, today=TODAY)
    raw = out.read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n")
    assert raw.count(b"\n") == raw.count(b"\r\n")  # CRLF throughout
    cal = Calendar.from_ical(raw)
    assert str(cal["version"]) == "2.0"
    assert "SENCO Desk" in str(cal["prodid"])
    uids = [str(e["uid"]) for e in cal.walk("VEVENT")]
    assert len(uids) == len(set(uids))
    ev = _events(cal)
    m = sch.meeting_id
    meeting = ev[f"review-{m}-meeting@sencodesk"]
    assert meeting["dtstart"].dt == dt.datetime(
        2026, 3, 9, 14, 30, tzinfo=meeting["dtstart"].dt.tzinfo
    )
    assert str(meeting["dtstart"].dt.tzinfo) == "Europe/London"
    assert str(meeting["location"]) == "SENCO office"
    assert str(meeting["summary"]) == "Annual review: ZNBŁ, Year 6"
    inv = ev[f"review-{m}-invitations@sencodesk"]
    assert inv["dtstart"].dt == D(2026, 2, 23) and inv["dtend"].dt == D(2026, 2, 24)
    assert str(inv["summary"]).startswith("Done 20/01/2026: Send invitations")
    decision = ev[f"review-{m}-la_decision@sencodesk"]
    # Due on Easter Monday, in the Easter holidays (term ends 27/03): act by the last day of term.
    assert decision["dtstart"].dt == D(2026, 3, 27)
    assert "Due 06/04/2026; act by 27/03/2026" in str(decision["description"])
    assert ev[f"funding-{sch.funding_id}-end@sencodesk"]["dtstart"].dt == D(2026, 3, 31)
    assert ev[f"contract-{sch.contract_id}-end@sencodesk"]["dtstart"].dt == D(2026, 3, 31)
    notice = ev[f"contract-{sch.contract_id}-notice@sencodesk"]
    assert notice["dtstart"].dt == D(2026, 3, 3)
    for e in cal.walk("VEVENT"):  # calendars sync to phones: no full names anywhere
        text = " ".join(str(e.get(k, "")) for k in ("summary", "description", "location"))
        for name in ("Zoë", "Bhriain", "Łucja", "Brown", "Nguyễn"):
            assert name not in text
        assert "dtstamp" in e and "sequence" in e


def test_reexport_keeps_uids_and_raises_sequence(store):
    build_school(store)
    with store.read() as s:
        first = build_calendar(s, today=TODAY, now=dt.datetime(2026, 2, 20, 9, tzinfo=dt.UTC))
        second = build_calendar(s, today=TODAY, now=dt.datetime(2026, 2, 21, 9, tzinfo=dt.UTC))
    a, b = _events(first), _events(second)
    assert set(a) == set(b)
    for uid in a:
        assert int(b[uid]["sequence"]) > int(a[uid]["sequence"])


def test_initials():
    assert initials("Zoë", "Ní Bhriain-Łukasiewicz") == "ZNBŁ"
    assert initials("Amara", "Okafor") == "AO"
