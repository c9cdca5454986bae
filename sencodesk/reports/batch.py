"""Review packs for every meeting in a date range: one PDF each, optionally one merged file.

A long job in the plain-function habit: ``progress(done, total)`` after each pack and
``cancel()`` asked before each one. Each pack is written under a temporary name in the target
folder and moved into place when complete, so a cancel or an error never leaves a half-file;
packs finished before a cancel stay (they are complete) and :class:`Cancelled` lists them.

File names carry the meeting date and the pupil's UPN (or "pupil-<id>" without one), never the
pupil's name: names in file names show up in shared-drive listings, backups, email
attachments and "recent files" menus. ``2026-03-09_review-pack_B801200005001.pdf``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import pickle
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from ..errors import KnownError
from ..exchange.filenames import file_in, safe_name
from ..files import make_folder
from ..model import Pupil, ReviewMeeting
from ..queries.facts import load_facts
from ..store import Store
from ..vocab import PackAudience, SenCode
from . import pack_worker
from . import pool as pools
from .data_review import load_review_pack
from .document_pdf import render_merged_pdf
from .pdf_pages import Drawn
from .pool import MergedProcess, PackPool, pack_failed
from .review_pack import review_pack_document

Progress = Callable[[int, int], object]
TITLE = "Review packs"  # the merged file's title (its metadata: no names)
Cancel = Callable[[], bool]


class Cancelled(KnownError):
    """The batch stopped at the user's request; ``written`` are the complete packs so far."""

    def __init__(self, written: list[Path], total: int) -> None:
        self.written = written
        noun = "review pack was" if total == 1 else "review packs were"
        super().__init__(f"Cancelled: {len(written)} of {total} {noun} written.")


@dataclass(frozen=True)
class PackJob:
    meeting_id: int
    pupil_id: int
    meeting_on: dt.date
    upn: str

    @property
    def file_name(self) -> str:
        return pack_stem(self.upn, self.pupil_id, self.meeting_on) + ".pdf"


def pack_stem(upn: str | None, pupil_id: int, meeting_on: dt.date) -> str:
    """A review pack's file name without ``.pdf``: date, "review-pack", the UPN made safe."""
    who = safe_name(upn, fallback=f"pupil-{pupil_id}") if upn else f"pupil-{pupil_id}"
    return f"{meeting_on.isoformat()}_review-pack_{who}"


def pack_jobs(store: Store, start: dt.date, end: dt.date) -> list[PackJob]:
    """The meetings from ``start`` to ``end`` (inclusive), in date order: of pupils with a
    plan to review (SEN code E or K; one with N gets no pack, see ``plan_forms``)."""
    q = (
        select(ReviewMeeting.id, ReviewMeeting.pupil_id, ReviewMeeting.meeting_at, Pupil.upn)
        .join(Pupil, Pupil.id == ReviewMeeting.pupil_id)
        .where(
            ReviewMeeting.meeting_at >= dt.datetime.combine(start, dt.time.min),
            ReviewMeeting.meeting_at <= dt.datetime.combine(end, dt.time.max),
            Pupil.sen_code.in_((SenCode.EHCP.value, SenCode.SEN_SUPPORT.value)),
        )
        .order_by(ReviewMeeting.meeting_at, ReviewMeeting.id)
    )
    with store.read() as s:
        return [PackJob(mid, pid, at.date(), upn or "") for mid, pid, at, upn in s.execute(q)]


_gc_lock = threading.Lock()


@contextlib.contextmanager
def steady_gc() -> Iterator[bool]:
    """Keep Python's full garbage collections short while a batch runs.

    A full collection stops every thread, the GUI's too, for as long as it takes to scan
    every object in the process: measured at 55-150 ms in the middle of a pack, which the
    GUI shows as a stutter. During the batch the objects that already existed (the app's)
    are frozen out of collection (``gc.freeze``), the automatic full collection is held
    off, and a full collection of what is left (only the last pack's leftovers: fast)
    runs between packs instead. Everything is as before when the batch ends.
    """
    if not _gc_lock.acquire(blocking=False):  # another batch is already steadying it
        yield False
        return
    old = gc.get_threshold()
    try:
        gc.freeze()  # no collection first: that would be the very pause this avoids
        gc.set_threshold(old[0], old[1], 1_000_000)
        yield True  # this batch holds it: it may freeze more (unfrozen again at the end)
    finally:
        gc.set_threshold(*old)
        gc.unfreeze()
        _gc_lock.release()


def build_review_packs(
    store: Store,
    start: dt.date,
    end: dt.date,
    out_dir: Path | str,
    *,
    merged: bool = False,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    today: dt.date | None = None,
    audience: PackAudience = PackAudience.INVITEES,
    word: bool = False,
) -> list[Path]:
    """Write a pack per meeting between two dates into ``out_dir``; returns the files written
    (the PDFs, the Word files if asked for, the merged file last if asked for). Existing files of the same name are replaced.
    ``audience``: the invitee packs (the default) or the SENCO's internal copies. ``word``:
    each pack also as a Word file beside its PDF (same name, ``.docx``), to edit.

    The packs are made in worker processes (``pool``): from an SQLite file each worker loads,
    builds and draws whole packs (``pack_worker``); from a server the packs are loaded here
    and drawn there. The merged file is made in a process of its own meanwhile, of each
    pack's pages as drawn, as they come back (``pool.MergedProcess``, ``pdf_pages``). With
    one CPU, all is done here."""
    if end < start:
        raise KnownError("The end date is before the start date.")
    today = today or dt.date.today()
    jobs = pack_jobs(store, start, end)
    folder = make_folder(out_dir) if jobs else Path(out_dir)  # nothing to write, no folder
    names: dict[str, int] = {}
    plan: list[tuple[PackJob, Path]] = []
    for job in jobs:
        name = job.file_name
        if name in names:  # two meetings for one pupil on one day
            name = name.replace(".pdf", f"_{job.meeting_id}.pdf")
        names[name] = job.meeting_id
        plan.append((job, file_in(folder, name)))
    written: list[Path] = []
    words: list[Path] = []  # the Word files, listed after the PDFs
    total = len(jobs) + (1 if merged and jobs else 0)
    if progress is not None:
        progress(0, total)
    if not jobs:
        return []

    def done(target: Path) -> None:
        written.append(target)
        if word:
            words.append(target.with_suffix(".docx"))
        if progress is not None:
            progress(len(written), total)

    workers = pools.worker_count()  # looked up at run time: a test or a benchmark sets it
    # An SQLite file: each worker reads it itself (read-only; an encrypted one with the key
    # the store was opened with). A server, or no second CPU: the packs load here.
    here = store.path is None or not workers
    setup = (
        None if here else (pack_worker.setup, (pack_worker.Source(store.url, store.cipher_key),))
    )
    target = folder / f"review-packs_{start.isoformat()}_to_{end.isoformat()}.pdf"
    with (
        steady_gc() as steadying,
        PackPool(done, cancel=cancel, workers=workers, setup=setup, warm=pack_worker.warm) as pool,
        contextlib.ExitStack() as stack,
    ):
        # The merged file: with workers, made in a process of its own as the packs come
        # (the window's process only passes their drawn pages on); without, here at the end.
        merger = stack.enter_context(MergedProcess(target, TITLE)) if merged and workers else None
        contents: list[Drawn] = []

        def keep(content: Drawn | bytes | None) -> None:
            """A pack's pages as drawn (pickled by a worker), for the merged file."""
            if merger is not None:
                merger.add(content if isinstance(content, bytes) else pickle.dumps(content))
            elif isinstance(content, Drawn):
                contents.append(content)

        facts = None
        if here:  # the school's support facts once for the whole batch
            with store.read() as s:
                facts = load_facts(s)
        for job, pdf in plan:
            if cancel is not None and cancel():
                pool.stop()
                raise Cancelled(written, len(jobs))
            if here:
                try:
                    with store.read() as s:
                        data = load_review_pack(
                            s, job.pupil_id, job.meeting_id, today=today, facts=facts
                        )
                    doc = review_pack_document(data, audience)  # built once, drawn as each file
                except Exception as exc:
                    raise pack_failed(pdf.name, exc) from exc
                del data
                pool.draw(doc, pdf, word=word, then=keep if merged else None)
                del doc
            else:  # a worker loads, builds and draws it
                pool.run(
                    pack_worker.make_pack,
                    pdf.name,
                    job.pupil_id,
                    job.meeting_id,
                    str(pdf),
                    today,
                    audience,
                    word,
                    merged,
                    target=pdf,
                    then=keep if merged else None,
                )
            # Only the last pack's leftovers: the rest is frozen (steady_gc). What survives
            # is frozen too, so the next pack's collection does not walk every earlier pack:
            # it grew with the batch, to pauses of 50-90 ms in the GUI after 160 packs
            # (bench_reports).
            gc.collect()
            if steadying:
                gc.freeze()
        if not pool.wait(cancel):
            raise Cancelled(written, len(jobs))
        pool.close()  # the workers end before the merged file is written out
        if not merged:
            return written + words
        if cancel is not None and cancel():
            raise Cancelled(written, len(jobs))
        if merger is not None:
            if merger.finish(cancel) is None:
                raise Cancelled(written, len(jobs))
        else:
            render_merged_pdf(contents, target, title=TITLE)
    if progress is not None:
        progress(total, total)
    return [*written, *words, target]
