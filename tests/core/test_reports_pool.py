"""Review packs drawn in worker processes (reports/pool.py, #17): the files come back in
the order given and read as a pack drawn in process; a pack that fails raises its error in
the batch, and no file is left past the last one reported."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from sencodesk.reports.data_review import load_review_pack
from sencodesk.reports.pool import PackPool
from sencodesk.reports.review_pack import render_review_pack, review_pack_document

from .reports_data import TODAY, build_school


def _text(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [p.extract_text() or "" for p in pdf.pages]


@pytest.fixture
def out(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@pytest.fixture
def pack(store):
    sch = build_school(store)
    with store.read() as s:
        return load_review_pack(s, sch.pupil_id, sch.meeting_id, today=TODAY)


@pytest.fixture
def doc(pack):
    return review_pack_document(pack, pack_audience())


def test_packs_come_back_in_order_and_as_drawn_in_process(pack, doc, out):
    here = out / "here.pdf"
    render_review_pack(pack, here)
    targets = [out / f"pack-{i}.pdf" for i in range(7)]
    done: list[Path] = []
    with PackPool(done.append, workers=2) as pool:
        for target in targets:
            pool.draw(doc, target)
        assert pool.wait()
    assert done == targets
    assert _text(targets[-1]) == _text(here)
    assert sorted(out.iterdir()) == sorted([here, *targets])


def test_a_pack_that_fails_raises_here_and_leaves_no_later_file(pack, doc, out):
    missing = out / "no-such-folder" / "bad.pdf"
    with pytest.raises(Exception) as here:  # noqa: PT011 - whatever drawing in process raises
        render_review_pack(pack, missing)
    targets = [out / "first.pdf", missing, *(out / f"later-{i}.pdf" for i in range(3))]
    done: list[Path] = []
    with pytest.raises(type(here.value)), PackPool(done.append, workers=2) as p:
        for target in targets:
            p.draw(doc, target)
        p.wait()
    assert done == [targets[0]]
    assert [f.name for f in out.iterdir()] == ["first.pdf"]


def test_cancel_starts_no_other_pack(doc, out):
    targets = [out / f"pack-{i}.pdf" for i in range(4)]
    done: list[Path] = []
    with PackPool(done.append, workers=2) as pool:
        for target in targets:
            pool.draw(doc, target)
        assert not pool.wait(lambda: True)
    assert done == targets[: len(done)]  # those being drawn finished, in order
    assert sorted(out.iterdir()) == sorted(done)  # and nothing else was written


def pack_audience():
    from sencodesk.vocab import PackAudience

    return PackAudience.INVITEES
