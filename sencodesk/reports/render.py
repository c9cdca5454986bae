"""Draw a :class:`~.document.Document` as a PDF or a Word file (the one entry point)."""

from __future__ import annotations

from pathlib import Path
from typing import IO

from .document import Document

FORMATS = ("pdf", "docx")


def render(doc: Document, out: Path | str | IO[bytes], fmt: str = "pdf") -> int:
    """Draw ``doc`` as ``fmt`` ("pdf" or "docx") to a path (written atomically) or a binary
    file; returns the pages (a PDF's count; 0 for Word, which lays out its own pages)."""
    if fmt == "docx":
        from .document_word import render_docx

        return render_docx(doc, out)
    if fmt != "pdf":
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    from .document_pdf import render_pdf

    return render_pdf(doc, out)
