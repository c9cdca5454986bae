"""Review packs read back from the PDF: content, dates, money, names, every page marked."""

from __future__ import annotations

import datetime as dt
import io
import re

import pdfplumber
import pytest

from sencodesk import commands
from sencodesk.reports.batch import Cancelled, build_review_packs
from sencodesk.reports.data_review import choose_meeting, load_review_pack, school_weeks
from sencodesk.reports.review_pack import build_review_pack, render_review_pack

from .reports_data import TODAY, ZOE, ZOE_UPN, build_school

D = dt.date
ZOE_NAME = f"{ZOE[0]} {ZOE[1]}"


def pdf_pages(source) -> list[str]:
    with pdfplumber.open(source) as pdf:
        return [p.extract_text() or "" for p in pdf.pages]


def assert_every_page_marked(pages: list[str], school: str = "St Brigid’s Primary & Nursery"):
    n = len(pages)
    for i, text in enumerate(pages, start=1):
        assert text.count("OFFICIAL-SENSITIVE") >= 2, f"page {i} lacks the marking twice"
        assert f"Page {i} of {n}" in text
        assert school in text


def test_review_pack_content(store, tmp_path):
    sch = build_school(store)
    with store.session() as s:  # evidence from before the last review stays out of the pack
        commands.save_record(
            s,
            {
                "pupil_id": sch.pupil_id,
                "kind": "observation",
                "occurred_at": dt.datetime(2025, 1, 10, 9),
                "text": "Old note",
                "outcome_id": sch.outcome_id,
            },
        )
    out = tmp_path / "pack.pdf"
    with store.read() as s:  # the SENCO's internal copy: everything (the invitee pack: below)
        pages_built = build_review_pack(
            s, sch.pupil_id, sch.meeting_id, out, today=TODAY, audience="internal"
        )
    pages = pdf_pages(out)
    assert len(pages) == pages_built >= 4
    assert_every_page_marked(pages)
    text = "\n".join(pages)
    cover = pages[0]
    for expected in (
        ZOE_NAME,
        "04/05/2015",
        ZOE_UPN,
        "Year 6, class 5B",
        "Northshire",
        "09/03/2026",
        "14:30",
        "SENCO office",
        "Áine Ní Bhriain",
        "Educational psychologist",
        "10/03/2025 to 20/02/2026",
    ):
        assert expected in cover, expected
    # The deadline chain: due, act by, done, and an overdue step said in words.
    assert re.search(r"Send invitations 23/02/2026 23/02/2026 20/01/2026", cover)
    assert re.search(r"Request advice from professionals 26/01/2026 26/01/2026 OVERDUE", cover)
    # Due on Easter Monday, in the Easter holidays (term ends 27/03): act by the last school day.
    assert "LA decides: maintain, amend or cease 06/04/2026 27/03/2026 Not yet" in cover
    # A Year 6 pupil (on the meeting date) changes phase: the 15 February deadline is in the
    # table, and this meeting is after it.
    assert "Amended plan issued for phase transfer 15/02/2026 13/02/2026 OVERDUE" in cover
    for expected in (
        "ASD – Autistic spectrum disorder",
        "SLCN – Speech, language",
        "E – EHC plan",
        "01/03/2022",
        "25 h a week",
        "Epilepsy: rescue medication",
        "Zoë will ask an adult for help using a visual card.",
        "Developing",
        "05/11/2025",
        "Uses the card with her LSA.",
        "06/10/2025 Observation Łucja Brown 2/5 Asked for help with the card (1).",
        "12/01/2026",
        "Zoë will use her calm box when upset.",
        "4 incidents recorded",
        "physical intervention was used in 1 of them",
        "20/11/2025",
        "Threw a chair",
        "Change of classroom",
        "Incidents by month",
        "£14,250.50",
        "31/03/2026",
        "03/03/2026",
        "Northshire TU-77",
        "The pupil's views",
        "Parents' or carers' views",
        "Proposed outcomes and actions",
        "Signatures",
        "Maintain the plan",
    ):
        assert expected in text, expected
    assert "Old note" not in text
    assert "Support session: 20" in text  # 20 weekly sessions of 45 minutes
    assert "15 h" in text
    assert re.search(r"Łucja Brown 1:1 Mon–Fri all\s+day 25\s+h", text)  # NBSP: never wrapped


def test_pack_renders_from_loaded_data_to_bytes(store):
    sch = build_school(store)
    with store.read() as s:
        data = load_review_pack(s, sch.pupil_id, sch.meeting_id, today=TODAY)
    assert data.period_start == D(2025, 3, 10)
    assert [m.count for m in data.incidents_by_month if m.count] == [1, 2, 1]
    assert data.recorded_support_minutes == 20 * 45
    buf = io.BytesIO()
    pages = render_review_pack(data, buf)
    assert buf.getvalue().startswith(b"%PDF")
    assert len(pdf_pages(io.BytesIO(buf.getvalue()))) == pages


def test_pack_without_a_meeting(store, tmp_path):
    sch = build_school(store)
    buf = io.BytesIO()
    with store.read() as s:
        assert choose_meeting(s, sch.pupil_id, today=TODAY) == sch.meeting_id
        assert choose_meeting(s, sch.pupil_id, today=D(2026, 3, 10)) is None
        build_review_pack(s, sch.pupil_id, None, buf, today=TODAY)
    pages = pdf_pages(io.BytesIO(buf.getvalue()))
    assert "Not yet arranged" in pages[0]
    assert "Review due by 10/03/2026" in pages[0]
    assert_every_page_marked(pages)


def test_school_weeks_use_term_dates_and_bank_holidays():
    from sencodesk.queries.school import HalfTermRow

    terms = [
        HalfTermRow(2025, 1, D(2025, 9, 3), D(2025, 10, 24)),
        HalfTermRow(2025, 2, D(2025, 11, 3), D(2025, 12, 19)),
    ]
    weeks, estimated = school_weeks(D(2025, 9, 1), D(2025, 12, 31), terms)
    assert not estimated
    assert float(weeks) == pytest.approx((38 + 35) / 5)  # 38 + 35 term weekdays
    weeks, estimated = school_weeks(D(2024, 9, 2), D(2024, 9, 6), terms)
    assert estimated and float(weeks) == pytest.approx(0.75, abs=0.06)


def _second_meeting(store, pupil_id, when):
    with store.session() as s:
        return commands.save_review(s, {"pupil_id": pupil_id, "meeting_at": when, "place": "Hall"})


def test_batch_writes_one_pack_per_meeting_and_a_merged_file(store, tmp_path):
    sch = build_school(store)
    _second_meeting(store, sch.other_id, dt.datetime(2026, 3, 12, 9, 0))
    _second_meeting(store, sch.other_id, dt.datetime(2026, 6, 1, 9, 0))  # outside the range
    calls = []
    files = build_review_packs(
        store,
        D(2026, 3, 1),
        D(2026, 3, 31),
        tmp_path / "packs",
        merged=True,
        progress=lambda d, t: calls.append((d, t)),
        today=TODAY,
    )
    names = [f.name for f in files]
    assert names == [
        "2026-03-09_review-pack_B801200005001.pdf",
        f"2026-03-12_review-pack_pupil-{sch.other_id}.pdf",
        "review-packs_2026-03-01_to_2026-03-31.pdf",
    ]
    assert calls == [(0, 3), (1, 3), (2, 3), (3, 3)]
    for n in names:  # no pupil's name in any file name
        assert "Zo" not in n and "Nguy" not in n
    first, second, merged = (pdf_pages(f) for f in files)
    assert len(merged) == len(first) + len(second)
    assert "Nguyễn Thị Hương" in "\n".join(second)
    assert f"Page 1 of {len(second)}" in merged[len(first)]
    assert sorted(p.name for p in (tmp_path / "packs").iterdir()) == sorted(names)


def test_review_pack_aligns_amounts_and_hours_right(store, tmp_path):
    """As in the table reports: the month-by-month times end at one x, whatever their
    length (left-aligned, they would start at one x instead)."""
    sch = build_school(store)
    out = tmp_path / "pack.pdf"
    with store.read() as s:
        build_review_pack(s, sch.pupil_id, sch.meeting_id, out, today=TODAY)
    months = ("September", "October", "November", "December", "January", "February")
    with pdfplumber.open(out) as pdf:
        page = next(p for p in pdf.pages if "Sessions recorded" in (p.extract_text() or ""))
        words = page.extract_words()
    top = next(w["top"] for w in words if w["text"] == "recorded")
    rows: dict[float, list[dict]] = {}
    for w in words:
        if w["top"] > top + 5:
            rows.setdefault(round(w["top"]), []).append(w)
    month_rows = [sorted(r, key=lambda w: w["x0"]) for r in rows.values()]
    month_rows = [r for r in month_rows if r[0]["text"] in months]
    assert len(month_rows) >= 3
    ends = {round(r[-1]["x1"]) for r in month_rows}  # the time recorded, the last cell
    starts = {round(r[-1]["x0"]) for r in month_rows}
    assert len(ends) == 1 and len(starts) > 1, (ends, starts)


def test_phase_transfer_deadline_on_the_cover(store, tmp_path):
    """Zoë is in Year 6: her amended plan for secondary was due by 15 February; the pack made
    on 20/02/2026 says the date has passed, and one made before it does not."""
    sch = build_school(store)
    with store.session() as s:
        commands.save_school(s, {"transfer_years": "6"})
    covers = {}
    for day in (D(2026, 2, 10), TODAY):
        for audience in ("internal", "invitees"):
            out = tmp_path / f"pack-{day}-{audience}.pdf"
            with store.read() as s:
                build_review_pack(
                    s, sch.pupil_id, sch.meeting_id, out, today=day, audience=audience
                )
            covers[day, audience] = " ".join(pdf_pages(out)[0].split())
    assert "must be issued by 15/02/2026" in covers[D(2026, 2, 10), "internal"]
    assert "has passed" not in covers[D(2026, 2, 10), "internal"]
    overdue = "15/02/2026 (that date has passed: OVERDUE unless it was issued)"
    assert overdue in covers[TODAY, "internal"]
    # The flag is the SENCO's: the invitees read the deadline, not the compliance flag.
    assert "must be issued by 15/02/2026" in covers[TODAY, "invitees"]
    assert "OVERDUE" not in covers[TODAY, "invitees"]


def test_batch_cancel_leaves_only_complete_files(store, tmp_path):
    sch = build_school(store)
    _second_meeting(store, sch.other_id, dt.datetime(2026, 3, 12, 9, 0))
    asked = []

    def cancel():
        asked.append(1)
        return len(asked) > 1

    with pytest.raises(Cancelled) as err:
        build_review_packs(
            store,
            D(2026, 3, 1),
            D(2026, 3, 31),
            tmp_path / "out",
            merged=True,
            cancel=cancel,
            today=TODAY,
        )
    assert [p.name for p in err.value.written] == ["2026-03-09_review-pack_B801200005001.pdf"]
    assert "1 of 2" in str(err.value)
    left = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert left == ["2026-03-09_review-pack_B801200005001.pdf"]


def test_batch_stopped_by_progress_leaves_no_part_files(store, tmp_path):
    sch = build_school(store)
    _second_meeting(store, sch.other_id, dt.datetime(2026, 3, 12, 9, 0))

    class Stop(Exception):
        pass

    def progress(done, total):
        if done == 1:
            raise Stop

    with pytest.raises(Stop):
        build_review_packs(
            store, D(2026, 3, 1), D(2026, 3, 31), tmp_path / "out", progress=progress, today=TODAY
        )
    assert [p.name for p in (tmp_path / "out").iterdir()] == [
        "2026-03-09_review-pack_B801200005001.pdf"
    ]


def test_empty_range_writes_nothing(store, tmp_path):
    build_school(store)
    assert build_review_packs(store, D(2027, 1, 1), D(2027, 1, 31), tmp_path, merged=True) == []


def test_pack_and_reports_on_any_database(any_store, tmp_path):
    from sencodesk.exchange.calendar import build_calendar
    from sencodesk.reports.catalogue import REPORTS, build_report
    from sencodesk.reports.tables import write_report

    sch = build_school(any_store)
    buf = io.BytesIO()
    with any_store.read() as s:
        build_review_pack(s, sch.pupil_id, sch.meeting_id, buf, today=TODAY)
        for name in REPORTS:
            write_report(build_report(s, name, today=TODAY), tmp_path / f"{name}.csv")
        uids = {str(e["UID"]).split("@")[0] for e in build_calendar(s, today=TODAY).walk("VEVENT")}
        steps = ("meeting", "advice_requests", "invitations", "papers", "report_to_la")
        assert uids == {
            *(f"review-1-{step}" for step in (*steps, "la_decision")),
            "funding-1-end",
            "funding-1-act",  # the act-by date of funding that pays for a contract
            "contract-1-end",
            "contract-1-notice",
            "phase-1-2026",  # Year 6: the amended plan for the move to secondary
        }
    text = "\n".join(pdf_pages(io.BytesIO(buf.getvalue())))
    assert ZOE_NAME in text and "£14,250.50" in text
    assert "17590.22" in (tmp_path / "costs.csv").read_text(encoding="utf-8-sig")


def test_batch_keeps_what_a_full_collection_walks_small_between_packs(
    store, tmp_path, monkeypatch
):
    """Between packs the batch collects only the last pack's leftovers: what survives (the
    packs' content kept for the merged file) is frozen, so a full collection does not walk
    every earlier pack (it did: GUI pauses of 50-90 ms after 160 packs, bench_reports)."""
    import gc

    monkeypatch.setattr("sencodesk.reports.pool.worker_count", lambda: 2)  # as on 2 cores
    sch = build_school(store)
    for day in (10, 11, 12, 13, 16, 17, 18, 19, 20, 23):
        _second_meeting(store, sch.other_id, dt.datetime(2026, 3, day, 9, 0))
    walked: list[int] = []
    build_review_packs(
        store,
        D(2026, 3, 1),
        D(2026, 3, 31),
        tmp_path / "packs",
        merged=True,
        progress=lambda d, t: walked.append(sum(len(gc.get_objects(g)) for g in range(3))),
        today=TODAY,
    )
    between = walked[1:-1]  # not before the first pack, nor after the merged file
    assert len(between) >= 10
    assert max(between) < 3000, between  # without the freeze: about 9,000 and growing
