"""A PDF made by the core, shown inside the app (QtPdf), with Print, Save and Open buttons.

The window's title is the report's kind ("Review pack", "Staff deployment and cost"), never
a pupil's name: titles show in the taskbar and in screen shares. The pages themselves name
the pupil, as the printed pack does.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .. import printing
from ..context import Context
from . import ask as dlg
from . import files

if TYPE_CHECKING:
    from sencodesk.store import Store

SAVE_FILTERS = {
    ".pdf": "PDF file (*.pdf)",
    ".csv": "CSV file (*.csv)",
    ".xlsx": "Excel workbook (*.xlsx)",
    ".docx": "Word document (*.docx)",
}


class ReportPreview(QDialog):
    """Shows ``pdf`` (bytes). With ``report`` (an ``exchange.tabular.Report``), or a
    ``write_table(path)`` callable, it can also be saved as CSV and XLSX; with a
    ``write_word(session, path)`` callable (run in the worker), as a Word file to edit."""

    def __init__(
        self,
        ctx: Context,
        title: str,
        pdf: bytes,
        *,
        stem: str,
        report: Any = None,
        write_table: Any = None,
        write_word: Any = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent or ctx.window)
        self.ctx, self.title, self.pdf, self.stem = ctx, title, pdf, stem
        self.report = report
        self.write_table = write_table
        self.write_word = write_word
        self.opened: Path | None = None
        self.setWindowTitle(f"{title} — preview")
        self.setAccessibleName(f"{title} preview")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        from ..screen import fit_to_screen

        fit_to_screen(self, 980, 860)  # a page and a half tall where the screen has room

        self._bytes = QByteArray(pdf)
        self._buffer = QBuffer(self)
        self._buffer.setData(self._bytes)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)

        lay = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.print_button = QPushButton("&Print…")
        self.print_button.clicked.connect(self.print_)
        self.save_pdf = QPushButton("Save as P&DF…")
        self.save_pdf.clicked.connect(lambda: self.save(".pdf"))
        bar.addWidget(self.print_button)
        bar.addWidget(self.save_pdf)
        self.save_csv = self.save_xlsx = None
        if report is not None or write_table is not None:
            self.save_csv = QPushButton("Save as &CSV…")
            self.save_csv.clicked.connect(lambda: self.save(".csv"))
            self.save_xlsx = QPushButton("Save as E&xcel…")
            self.save_xlsx.clicked.connect(lambda: self.save(".xlsx"))
            bar.addWidget(self.save_csv)
            bar.addWidget(self.save_xlsx)
        self.save_word = None
        if write_word is not None:
            self.save_word = QPushButton("Save as &Word…")
            self.save_word.setToolTip("Save as a Word document to edit before circulating")
            self.save_word.clicked.connect(lambda: self.save(".docx"))
            bar.addWidget(self.save_word)
        self.open_button = QPushButton("&Open in PDF viewer")
        self.open_button.clicked.connect(self.open_externally)
        bar.addWidget(self.open_button)
        bar.addStretch(1)
        pages = self.document.pageCount()
        self.pages_label = QLabel(f"{pages} page{'s' if pages != 1 else ''} · OFFICIAL-SENSITIVE")
        self.pages_label.setObjectName("hint")
        bar.addWidget(self.pages_label)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.close)
        bar.addWidget(self.close_button)
        lay.addLayout(bar)

        self.view = QPdfView(self)
        self.view.setAccessibleName(f"{title} pages")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)
        lay.addWidget(self.view, 1)
        for keys, step in (("Ctrl++", 1.25), ("Ctrl+=", 1.25), ("Ctrl+-", 0.8)):
            QShortcut(QKeySequence(keys), self, lambda s=step: self.zoom(s))
        QShortcut(QKeySequence("Ctrl+0"), self, self.fit_width)
        # Ctrl+P and Ctrl+S here print and save this report, not the page behind it.
        QShortcut(QKeySequence(QKeySequence.StandardKey.Print), self, self.print_)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, lambda: self.save(".pdf"))
        self.print_button.setToolTip("Print this report (Ctrl+P)")
        self.save_pdf.setToolTip("Save this report as a PDF file (Ctrl+S)")
        self.view.setFocus()

    # ------------------------------------------------------------------ view

    def zoom(self, step: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(0.25, min(self.view.zoomFactor() * step, 6.0)))

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    # ------------------------------------------------------------------ actions

    def print_(self) -> bool:
        try:
            done = printing.print_document(self, self.document, self.title)
        except Exception as exc:  # noqa: BLE001 - told in words or reported as a bug
            dlg.show_error(self, exc)
            return False
        if done:
            self.ctx.status.emit(f"Sent {self.title} to the printer.")
        return done

    def default_name(self, suffix: str) -> str:
        return f"{self.stem}{suffix}"

    def save(self, suffix: str) -> None:
        path = files.choose_save_file(
            self, f"Save {self.title}", SAVE_FILTERS[suffix], self.default_name(suffix)
        )
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() != suffix:
            target = target.with_name(target.name + suffix)
        if suffix == ".pdf":
            self._write_pdf(target)
            return
        if suffix == ".docx":
            self.ctx.query(self.write_word, target, on_done=self._saved)
            return

        def write(_store: Store) -> Path:
            if self.write_table is not None:
                return Path(self.write_table(target))
            from sencodesk.reports.tables import write_report

            return write_report(self.report, target)

        self.ctx.run(write, on_done=self._saved)

    def _write_pdf(self, target: Path) -> None:
        from sencodesk.files import atomic_path

        try:
            with atomic_path(target) as tmp:
                tmp.write_bytes(self.pdf)
        except Exception as exc:  # noqa: BLE001 - a folder that vanished, a full disk
            dlg.show_error(self, exc)
            return
        self._saved(target)

    def _saved(self, path: Path) -> None:
        self.ctx.status.emit(f"Saved {path}")
        dlg.tell(
            self,
            f"Save {self.title}",
            f"Saved {path}.\n\nIt holds sensitive information about children: keep it "
            "in a secure place and share it only with people who need it.",
        )

    def open_externally(self) -> None:
        try:
            self.opened = printing.open_in_viewer(self.pdf, self.stem)
        except Exception as exc:  # noqa: BLE001
            dlg.show_error(self, exc)

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        if self.opened is not None:  # a viewer still holding it open: removed later
            with contextlib.suppress(OSError):
                self.opened.unlink()
        super().closeEvent(event)
