"""Printing and opening the app's PDFs (review packs, reports, lists).

Every document the app prints is a PDF made by the core (``sencodesk.reports``): marked
OFFICIAL-SENSITIVE with "Page x of y" on every page. It is shown with QtPdf and printed by
drawing each page, rendered by QtPdf at up to 300 dpi, onto the printer chosen in
``QPrintDialog``. The print job's name is the report's title, never a pupil's name (print
queues are visible to others on the network).

Opening in the system's PDF viewer needs a file: it goes in the app's own data folder
(``opened_folder()``), never the system's temp folder, and is deleted when the preview
closes, at the next open, or when the app quits (whichever the viewer allows first).
"""

from __future__ import annotations

import contextlib
import itertools
from pathlib import Path

from PySide6.QtCore import QRectF, QSize, QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication, QWidget

from sencodesk.errors import KnownError

MAX_PRINT_DPI = 300  # a page image at a 1200 dpi printer's resolution would be ~500 MB


def ask_printer(parent: QWidget | None, printer: QPrinter, title: str) -> bool:
    """The system's print dialog (tests replace this)."""
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(f"Print {title}")
    dialog.setOption(QPrintDialog.PrintDialogOption.PrintToFile, True)
    dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
    dialog.setMinMax(1, max(printer.toPage(), 1))
    return dialog.exec() == QPrintDialog.DialogCode.Accepted


def new_printer(doc: QPdfDocument, title: str) -> QPrinter:
    """A printer set up for the document: A4, its orientation, all its pages."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    printer.setCreator("SENCO Desk")
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    if doc.pageCount():
        size = doc.pagePointSize(0)
        landscape = size.width() > size.height()
        printer.setPageOrientation(
            QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
        )
    printer.setFromTo(1, max(doc.pageCount(), 1))
    printer.setFullPage(True)  # the PDF has its own margins
    return printer


def print_pdf(doc: QPdfDocument, printer: QPrinter) -> int:
    """Draw the pages the printer asks for (its page range, else all); returns pages sent."""
    count = doc.pageCount()
    first, last = printer.fromPage(), printer.toPage()
    if first <= 0 or last <= 0:
        first, last = 1, count
    pages = list(range(first - 1, min(last, count)))
    if not pages:
        return 0
    dpi = min(printer.resolution(), MAX_PRINT_DPI)
    painter = QPainter()
    if not painter.begin(printer):
        raise KnownError("The printer could not be started.")
    try:
        for n, page in enumerate(pages):
            if n:
                printer.newPage()
            points = doc.pagePointSize(page)
            target = QRectF(painter.viewport())
            scale = min(target.width() / points.width(), target.height() / points.height())
            w, h = points.width() * scale, points.height() * scale
            rect = QRectF(target.x() + (target.width() - w) / 2, target.y(), w, h)
            image = doc.render(
                page, QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
            )
            painter.drawImage(rect, image)
    finally:
        painter.end()
    return len(pages)


def print_document(parent: QWidget | None, doc: QPdfDocument, title: str) -> bool:
    """Ask for a printer and print the document; False if the user cancelled."""
    printer = new_printer(doc, title)
    if not ask_printer(parent, printer, title):
        return False
    print_pdf(doc, printer)
    return True


# --------------------------------------------------------------------------- opening

_names = itertools.count(1)
_cleanup_hooked = False


def opened_folder() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation)
    folder = Path(base or Path.home() / ".sencodesk") / "opened"
    folder.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        folder.chmod(0o700)
    return folder


def clear_opened(keep: Path | None = None) -> None:
    """Delete the files opened in the system viewer (those it no longer holds open)."""
    folder = opened_folder()
    for f in folder.glob("*.pdf"):
        if keep is not None and f == keep:
            continue
        with contextlib.suppress(OSError):
            f.unlink()


def open_url(url: QUrl) -> bool:
    """Hand a file to the system (tests replace this)."""
    return QDesktopServices.openUrl(url)


def open_in_viewer(pdf: bytes, stem: str) -> Path:
    """Write the PDF to the app's own folder and open it in the system's PDF viewer."""
    global _cleanup_hooked
    clear_opened()
    from sencodesk.exchange.filenames import file_in, safe_name

    path = file_in(opened_folder(), f"{safe_name(stem, 'document')}-{next(_names)}.pdf")
    path.write_bytes(pdf)
    with contextlib.suppress(OSError):
        path.chmod(0o600)
    app = QApplication.instance()
    if app is not None and not _cleanup_hooked:
        app.aboutToQuit.connect(clear_opened)
        _cleanup_hooked = True
    if not open_url(QUrl.fromLocalFile(str(path))):
        raise KnownError("No program to show PDF files was found on this computer.")
    return path
