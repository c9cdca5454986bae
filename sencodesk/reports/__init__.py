"""Printable documents: review packs and the table reports (reportlab, A4, black and white).

What the GUI calls (all in the database worker; none touches Qt):

Review packs
    ``review_pack.build_review_pack(session, pupil_id, meeting_id | None, out, *, today)``
        one pupil's pack to a path (written atomically) or a binary file (``io.BytesIO`` for
        a QtPdf preview); returns the page count.
    ``data_review.load_review_pack(session, pupil_id, meeting_id, *, today)`` then
    ``review_pack.render_review_pack(data, out)``: the same in two halves.
    ``data_review.choose_meeting(session, pupil_id, *, on=None, today)``: the meeting a pack
        is for (the one on a date, else the next one not yet held).
    ``batch.build_review_packs(store, start, end, out_dir, *, merged=False, progress=None,
        cancel=None, today=None) -> list[Path]``: a long job. ``progress(done, total)`` after
        each pack (a ``ui.worker.JobState`` can be passed as it is); ``cancel()`` is asked
        before each pack and raises ``batch.Cancelled`` (``.written`` lists complete files).

Table reports (each PDF, CSV or XLSX)
    ``catalogue.REPORTS``: name -> title and builder, for a menu.
    ``catalogue.build_report(session, name, *, today) -> exchange.tabular.Report``
    ``tables.write_report(report, path)``: format from the extension;
    ``tables.write_pdf_report(report, io.BytesIO())`` for a preview;
    ``exchange.tabular.write_csv`` / ``write_xlsx`` for any list page's rows.

Calendar
    ``exchange.calendar.write_calendar(session, path, *, today)``.

Every page says "OFFICIAL-SENSITIVE", the school's name and "Page x of y" (``styles``).
"""
