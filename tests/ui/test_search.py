"""The pupil list's filter finds names however they are typed: no accents, no apostrophes,
any case; across legal and preferred names, UPN, class and LSA."""

from __future__ import annotations

import datetime as dt

import pytest

from sencodesk import commands
from tests.ui.seed import seed_school


@pytest.fixture
def pupils_page(qtbot, window, store):
    today = dt.date.today()
    with store.session() as s:
        for first, last, preferred, cls in (
            ("Siobhán", "O'Neill-Nguyễn", "", "5W"),
            ("Kacper", "Wiśniewski", "Kacek", "6B"),
            ("Oliver", "Smith", "", "4R"),
        ):
            commands.save_pupil(
                s,
                {
                    "legal_first_name": first,
                    "legal_last_name": last,
                    "preferred_name": preferred,
                    "class_name": cls,
                    "date_of_birth": dt.date(today.year - 10, 3, 1),
                },
            )
    page = window.show_page("pupils")
    window.refresh_current()
    qtbot.waitUntil(lambda: page.model.total_rows == 3 and not window.worker.busy, timeout=10000)
    return page


def shown(page):
    return sorted(r.legal_last_name for r in page.model.rows)


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("wisn", ["Wiśniewski"]),
        ("WIŚN", ["Wiśniewski"]),
        ("siobhan", ["O'Neill-Nguyễn"]),
        ("nguyen", ["O'Neill-Nguyễn"]),
        ("oneill", ["O'Neill-Nguyễn"]),
        ("o'neill", ["O'Neill-Nguyễn"]),
        ("O’Neill", ["O'Neill-Nguyễn"]),
        ("kacek", ["Wiśniewski"]),  # the preferred name
        ("kacper", ["Wiśniewski"]),  # the legal one
        ("6b", ["Wiśniewski"]),  # the class
        ("siobhan 5w", ["O'Neill-Nguyễn"]),
        ("smith 6b", []),
    ],
)
def test_the_filter_ignores_case_accents_and_punctuation(qtbot, pupils_page, typed, found):
    pupils_page.filter.setFocus()
    pupils_page.filter.clear()
    for ch in typed:  # key by key (Qt's test keyboard has ASCII keys only: the rest as typed
        if ch.isascii():  # with a compose key or an IME)
            qtbot.keyClicks(pupils_page.filter, ch)
        else:
            pupils_page.filter.insert(ch)
    assert shown(pupils_page) == sorted(found)


def test_the_filter_finds_an_lsa_and_a_upn(qtbot, store, db_path):
    from ui.main_window import MainWindow

    ids = seed_school(store, dt.date.today())
    assert ids.pupil
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    win.open_database(db_path)
    qtbot.waitUntil(lambda: bool(win.ctx.school_name) and not win.worker.busy, timeout=10000)
    page = win.show_page("pupils")
    qtbot.waitUntil(lambda: page.model.total_rows >= 2, timeout=10000)
    page.model.set_filter("sarah cole")  # the LSA of both
    assert len(page.model.rows) == 2
    page.model.set_filter("priya")  # nobody's LSA
    assert page.model.rows == []
    page.model.set_filter("b801200005001")
    assert [r.legal_last_name for r in page.model.rows] == ["Hart"]
    page.model.set_filter("zoe")  # Zoë Nguyễn
    assert [r.legal_first_name for r in page.model.rows] == ["Zoë"]
    assert page.count.text() == "1 of 2 pupils"
    win.close()
