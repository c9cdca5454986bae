"""What a drawing process does for a batch of review packs read from an SQLite file (#17).

Loading each pack in the batch's own process bounded the batch while the drawing processes
waited (bench_reports). So each worker of the ``PackPool`` makes whole packs: it opens the
file read-only itself, loads the school's support facts once, then for each pupil it is
given loads that pupil's pack, builds its content and draws it. Both cores load and draw;
the batch's thread only hands out pupils and reports the files (the merged file is made in
a process of its own, of the pages the workers drew: ``pool.MergedProcess``).

An encrypted file is opened with the key the app opened it with (``Store.cipher_key``, the
bytes given to SQLCipher's ``set_key``): it reaches the worker through the pipe the worker
is started with (``setup``'s arguments), never on a command line, in the environment or in
a file. A server database is not read here: the batch loads its packs in process.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import pickle
from dataclasses import dataclass, field
from typing import Any

from ..vocab import PackAudience
from .pool import draw_named, pack_failed


@dataclass(frozen=True)
class Source:
    """The database a worker reads: an SQLite file's URL and, if encrypted, its key."""

    url: str
    key: bytes | None = field(default=None, repr=False)


_state: dict[str, Any] = {}  # this worker's source, engine and facts (one batch a process)


def setup(source: Source) -> None:
    """Run in each worker as it starts (it cannot fail: the opening is the first pack's)."""
    _state.clear()
    _state["source"] = source


def _engine() -> Any:
    engine = _state.get("engine")
    if engine is None:
        from ..store import make_engine

        source: Source = _state["source"]
        engine = _state["engine"] = make_engine(source.url, read_only=True, key=source.key)
    return engine


def _facts() -> Any:
    """The school's support facts, loaded once by this worker for all its packs."""
    facts = _state.get("facts")
    if facts is None:
        from sqlalchemy.orm import Session

        from ..queries.facts import load_facts

        with Session(_engine()) as s:
            facts = _state["facts"] = load_facts(s)
    return facts


def warm() -> None:
    """Open the file, load the facts and import the drawing code while the batch hands out
    its first packs. A failure here is the first pack's to report (it tries again)."""
    with contextlib.suppress(Exception):
        _facts()
    from . import document_pdf  # noqa: F401


def make_pack(
    name: str,
    pupil_id: int,
    meeting_id: int,
    target: str,
    today: dt.date,
    audience: PackAudience,
    word: bool,
    keep: bool,
) -> bytes | None:
    """Load, build and draw one pack to ``target`` (and its Word copy if ``word``); returns
    its pages as drawn, pickled, if ``keep`` (for the merged file's process, passed on as it
    is). An error names the pack (``name``)."""
    from sqlalchemy.orm import Session

    from .data_review import load_review_pack
    from .review_pack import review_pack_document

    try:
        facts = _facts()
        with Session(_engine()) as s:
            data = load_review_pack(s, pupil_id, meeting_id, today=today, facts=facts)
        doc = review_pack_document(data, audience)
    except Exception as exc:
        raise pack_failed(name, exc) from exc
    drawn = draw_named(name, doc, target, word)
    return pickle.dumps(drawn) if keep else None
