"""A batch of review packs made whole in worker processes (#17): from an SQLite file each
worker loads, builds and draws its packs (``reports/pack_worker.py``), and the merged file
is drawn in a process of its own as the packs come back (``pool.MergedProcess``). The files read as the packs loaded
in process; an encrypted file works without its passphrase reaching a command line; a
cancel and a failing pack behave as before, and the failing pack is named."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from pathlib import Path

import pdfplumber
import pytest
from sqlalchemy import text

from sencodesk import commands
from sencodesk.reports import batch
from sencodesk.reports.batch import Cancelled, build_review_packs
from sencodesk.reports.pool import PackFailed
from sencodesk.store import create_encrypted, open_store
from sencodesk.vocab import PackAudience

from .reports_data import TODAY, ZOE, build_school

D = dt.date


def _pages(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [p.extract_text() or "" for p in pdf.pages]


def _meetings(store, pupil_id: int, days: list[int]) -> None:
    with store.session() as s:
        for day in days:
            commands.save_review(
                s,
                {"pupil_id": pupil_id, "meeting_at": dt.datetime(2026, 3, day, 9), "place": "Hall"},
            )


def _loads_here(monkeypatch) -> list[int]:
    """The pupils whose packs the batch's own process loads."""
    loaded: list[int] = []
    real = batch.load_review_pack

    def spy(session, pupil_id, *args, **kwargs):
        loaded.append(pupil_id)
        return real(session, pupil_id, *args, **kwargs)

    monkeypatch.setattr(batch, "load_review_pack", spy)
    return loaded


def _workers(monkeypatch, n: int) -> None:
    monkeypatch.setattr("sencodesk.reports.pool.worker_count", lambda: n)


def test_workers_load_the_packs_and_the_files_read_as_packs_loaded_here(
    store, tmp_path, monkeypatch
):
    sch = build_school(store)
    _meetings(store, sch.other_id, [12, 16, 17])
    loaded = _loads_here(monkeypatch)
    merged_here: list[int] = []
    real_merge = batch.render_merged_pdf

    def merge_spy(docs, out, *, title):
        merged_here.append(1)
        return real_merge(docs, out, title=title)

    monkeypatch.setattr(batch, "render_merged_pdf", merge_spy)
    made = {}
    for workers in (0, 2):  # 0: loaded and drawn here, as the batch did before
        _workers(monkeypatch, workers)
        loaded.clear()
        files = build_review_packs(
            store,
            D(2026, 3, 1),
            D(2026, 3, 31),
            tmp_path / str(workers),
            merged=True,
            word=True,
            audience=PackAudience.INTERNAL,
            today=TODAY,
        )
        made[workers] = (files, list(loaded))
    assert merged_here == [1]  # with workers, the merged file is drawn in its own process
    (here, loaded_here), (there, loaded_there) = made[0], made[2]
    assert loaded_here == [sch.pupil_id, *[sch.other_id] * 3]
    assert loaded_there == []  # the workers loaded every pack
    assert [f.name for f in there] == [f.name for f in here]
    assert [f.suffix for f in there] == [".pdf"] * 4 + [".docx"] * 4 + [".pdf"]
    for a, b in zip(here, there, strict=True):
        if a.suffix == ".pdf":
            assert _pages(b) == _pages(a), b.name
    merged = _pages(there[-1])
    assert len(merged) == sum(len(_pages(f)) for f in there[:4])
    assert f"{ZOE[0]} {ZOE[1]}" in merged[0]


def test_an_encrypted_file_is_read_by_the_workers_with_no_passphrase_on_their_command_line(
    tmp_path, monkeypatch
):
    pytest.importorskip("sqlcipher3")
    secret = "kettle orbit violet harbour"
    db = tmp_path / "locked.db"
    create_encrypted(db, secret)
    store = open_store(db, passphrase=secret, user="test")
    try:
        build_school(store)
        _workers(monkeypatch, 2)
        loaded = _loads_here(monkeypatch)
        seen: list[bytes] = []

        def progress(done: int, total: int) -> None:  # while the workers are alive
            for kids in Path(f"/proc/{os.getpid()}/task").glob("*/children"):
                for pid in kids.read_text().split():
                    for part in ("cmdline", "environ"):
                        with contextlib.suppress(OSError):
                            seen.append(Path(f"/proc/{pid}/{part}").read_bytes())

        files = build_review_packs(
            store, D(2026, 3, 1), D(2026, 3, 31), tmp_path / "out", progress=progress, today=TODAY
        )
    finally:
        store.close()
    assert loaded == []
    assert [f.name for f in files] == ["2026-03-09_review-pack_B801200005001.pdf"]
    assert f"{ZOE[0]} {ZOE[1]}" in _pages(files[0])[0]
    if Path("/proc").is_dir():  # Linux: what anyone on the machine could read of the workers
        assert seen
        assert not any(secret.encode() in part for part in seen)


def test_a_cancel_keeps_the_packs_given_whole_and_in_order(store, tmp_path, monkeypatch):
    sch = build_school(store)
    _meetings(store, sch.other_id, [10, 11, 12, 13, 16, 17, 18, 19, 20, 23, 24, 25])
    _workers(monkeypatch, 2)
    reported: list[int] = []
    with pytest.raises(Cancelled) as err:
        build_review_packs(
            store,
            D(2026, 3, 1),
            D(2026, 3, 31),
            tmp_path / "out",
            merged=True,
            progress=lambda d, t: reported.append(d),
            cancel=lambda: len(reported) > 3,  # after the third pack is written
            today=TODAY,
        )
    written = err.value.written
    assert 3 <= len(written) < 13
    assert [p.name for p in written] == sorted(p.name for p in written)  # in date order
    on_disk = sorted((tmp_path / "out").iterdir())
    assert on_disk == sorted(written)  # no part file, no merged file, nothing after
    for p in written:
        assert _pages(p)  # each whole


def test_a_pack_that_cannot_be_loaded_is_named_and_no_later_file_is_left(
    store, tmp_path, monkeypatch
):
    sch = build_school(store)
    _meetings(store, sch.other_id, [12])
    with store.session() as s:  # her year group changed after the meeting: in the history
        commands.save_pupil(s, {"year_group_override": 3}, sch.other_id)
    with store.engine.begin() as conn:  # an impossible old value, written by hand
        conn.execute(
            text(
                "UPDATE audit_entry SET old_value = 'three', at = '2026-03-20 10:00:00.000000' "
                "WHERE table_name = 'pupil' AND field = 'year_group_override'"
            )
        )
    _workers(monkeypatch, 2)
    with pytest.raises(PackFailed) as err:
        build_review_packs(
            store, D(2026, 3, 1), D(2026, 3, 31), tmp_path / "out", merged=True, today=D(2026, 4, 1)
        )
    bad = f"2026-03-12_review-pack_pupil-{sch.other_id}.pdf"
    assert f"The review pack {bad} was not made: ValueError" in str(err.value)
    assert "three" in str(err.value)
    assert [p.name for p in (tmp_path / "out").iterdir()] == [
        "2026-03-09_review-pack_B801200005001.pdf"
    ]


def test_on_a_server_the_packs_load_here_and_are_drawn_by_the_workers(
    any_store, tmp_path, monkeypatch
):
    sch = build_school(any_store)
    _meetings(any_store, sch.other_id, [12])
    _workers(monkeypatch, 2)
    loaded = _loads_here(monkeypatch)
    files = build_review_packs(
        any_store, D(2026, 3, 1), D(2026, 3, 31), tmp_path, merged=True, word=True, today=TODAY
    )
    assert [f.suffix for f in files] == [".pdf", ".pdf", ".docx", ".docx", ".pdf"]
    server = any_store.path is None
    assert loaded == ([sch.pupil_id, sch.other_id] if server else [])
    assert len(_pages(files[-1])) == len(_pages(files[0])) + len(_pages(files[1]))
    assert f"{ZOE[0]} {ZOE[1]}" in _pages(files[-1])[0]
