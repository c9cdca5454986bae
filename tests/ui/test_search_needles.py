"""The pupil list's filter takes a year group and a SEN code as words: "year 6 E" is the
Year 6 pupils on an EHC plan, typed key by key."""

from __future__ import annotations

import datetime as dt

from sencodesk import commands
from sencodesk.rules.schoolyear import year_group


def _born_in(year: int, today: dt.date) -> dt.date:
    """A birthday that puts a pupil in Year ``year`` today."""
    d = dt.date(today.year - 6 - year, 3, 1)
    while year_group(d, today) != year:
        d += dt.timedelta(days=365 if year_group(d, today) > year else -365)
    return d


def test_year_6_e_finds_year_6_pupils_on_an_ehc_plan(qtbot, window, store):
    today = dt.date.today()
    with store.session() as s:
        for first, last, year, code in (
            ("Amelia", "Hart", 6, "E"),
            ("Kacper", "Wiśniewski", 6, "K"),
            ("Eve", "Stone", 5, "E"),
            ("Zoë", "Nguyễn", 6, "E"),
        ):
            commands.save_pupil(
                s,
                {
                    "legal_first_name": first,
                    "legal_last_name": last,
                    "date_of_birth": _born_in(year, today),
                    "sen_code": code,
                    # Digits that hold a "6" (the old search matched it anywhere).
                    "class_name": "6E" if year == 5 else "",
                },
            )
    page = window.show_page("pupils")
    window.refresh_current()
    qtbot.waitUntil(lambda: page.model.total_rows == 4 and not window.worker.busy, timeout=10000)
    page.filter.setFocus()
    qtbot.keyClicks(page.filter, "year 6 E")
    assert sorted(r.legal_last_name for r in page.model.rows) == ["Hart", "Nguyễn"]
    assert page.count.text() == "2 of 4 pupils"
    page.filter.clear()
    qtbot.keyClicks(page.filter, "y6 k")
    assert [r.legal_last_name for r in page.model.rows] == ["Wiśniewski"]
    page.filter.clear()
    qtbot.keyClicks(page.filter, "e")  # the first letter of a name is still a letter
    assert page.model.rowCount() == 4
    qtbot.keyClicks(page.filter, "ve")
    assert [r.legal_last_name for r in page.model.rows] == ["Stone"]
