"""Help: the user guide (F1) and About.

The user guide is ``docs/guide/`` (Markdown with screenshots), shipped in the bundle and shown
here in an in-app viewer: it needs no browser, no internet and no other program. The short
page below (``GUIDE``) is shown only if the guide's files are missing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from sencodesk.schema import ROOT

if TYPE_CHECKING:
    from ..context import Context

GUIDE_DIR = ROOT / "docs" / "guide"
GUIDE_INDEX = GUIDE_DIR / "index.md"

GUIDE = """
<h2>SENCO Desk: a short guide</h2>
<p>Everything is saved as soon as you press <b>Save</b>. <b>Cancel</b> only throws away
changes you have not saved, and asks first.</p>
<h3>Pages</h3>
<table cellpadding="4">
<tr><td><b>Ctrl+1</b></td><td>Dashboard</td><td>What needs action and by when, and a
12-month timeline of funding, contracts and reviews for each pupil. Red means a contract
outlives its funding or EHCP hours are not staffed. Click an alert or a bar to open it.</td></tr>
<tr><td><b>Ctrl+2</b></td><td>Pupils</td><td>Type in the box to filter by name, UPN, year,
need, SEN code or LSA. Enter opens the pupil.</td></tr>
<tr><td><b>Ctrl+3</b></td><td>Staff</td><td>Contracts with pay and cost (worked out as you
type), assignments, qualifications, training and DBS.</td></tr>
<tr><td><b>Ctrl+4</b></td><td>Funding &amp; contracts</td><td>Every funding line and
contract, what each is linked to and any gap between them.</td></tr>
<tr><td><b>Ctrl+5</b></td><td>Reviews</td><td>Annual reviews due and meetings booked, with
each statutory step and the date to act by. Tick steps as you do them.</td></tr>
<tr><td><b>Ctrl+6</b></td><td>Records</td><td>Write a support note, observation or
incident quickly, and search the log.</td></tr>
<tr><td><b>Ctrl+7</b></td><td>Cover</td><td>Pick who is absent and the day: see which pupils
lose support and who is free and trained to cover.</td></tr>
</table>
<h3>Keys</h3>
<p><b>Tab</b> moves between boxes; <b>arrows</b> move in lists; <b>Enter</b> opens;
<b>Ctrl+F</b> finds; <b>F5</b> refreshes; <b>Esc</b> closes a window. In a date box, type
dd/mm/yyyy, press <b>F4</b> for a calendar, or <b>Delete</b> to clear it.</p>
<h3>Keeping data safe</h3>
<p>This is sensitive information about children. Use <b>File &gt; Back up now</b> often and
keep backups somewhere safe. Exports and printouts are marked OFFICIAL-SENSITIVE.</p>
"""


def about_text() -> str:
    return (
        "SENCO Desk helps a SENCO run 1:1 support: pupils and their EHCP outcomes, the "
        "LSAs who support them, contracts and funding, records, and review deadlines."
    )


def qt_versions() -> tuple[str, str]:
    import PySide6
    from PySide6.QtCore import qVersion

    return qVersion(), PySide6.__version__


class GuideBrowser(QTextBrowser):
    """Shows the guide's Markdown; a screenshot wider than the page is scaled down to fit
    (the pictures are 1280 px wide), so the guide never scrolls sideways."""

    MAX_WIDTH = 780
    # The document's margins, and a list's indent: a picture inside a numbered step is
    # indented, and was wider than the page by that much (the guide scrolled sideways).
    INSET = 90

    def fit_width(self) -> int:
        return max(320, min(self.MAX_WIDTH, self.viewport().width() - self.INSET))

    def loadResource(self, kind: int, url: QUrl | str) -> Any:  # noqa: N802 - Qt override
        data = super().loadResource(kind, url)
        if kind == QTextDocument.ResourceType.ImageResource.value and data is not None:
            from PySide6.QtGui import QImage

            image = data if isinstance(data, QImage) else QImage.fromData(data)
            if not image.isNull() and image.width() > self.fit_width():
                return image.scaledToWidth(
                    self.fit_width(), Qt.TransformationMode.SmoothTransformation
                )
        return data


GUIDE_PAGES = ("index.md", "setting-up.md", "reviews.md", "data.md", "troubleshooting.md")


def page_title(path: Path) -> str:
    """A guide page's first heading."""
    for line in path.read_text("utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return path.stem


class UserGuide(QDialog):
    """The user guide in an in-app viewer: a list of its pages (arrows and Enter, for the
    keyboard), the page (its links work with the mouse; Tab moves on to the next control),
    Back and Contents."""

    def __init__(self, parent: QWidget | None = None, index: Path = GUIDE_INDEX) -> None:
        super().__init__(parent)
        self.setWindowTitle("SENCO Desk user guide")
        self.resize(1040, 720)
        lay = QVBoxLayout(self)
        row = QHBoxLayout()
        self.pages = QListWidget()
        self.pages.setAccessibleName("Guide pages")
        self.browser = GuideBrowser()
        self.browser.setAccessibleName("User guide")
        self.browser.setOpenExternalLinks(True)
        self.browser.setTabChangesFocus(True)
        self.index = index
        self.files = [index.parent / name for name in GUIDE_PAGES if (index.parent / name).exists()]
        if index.exists():
            for path in self.files:
                self.pages.addItem(page_title(path))
            # Wide enough for every title whole (they were cut, with a scroll bar under them)
            self.pages.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            self.pages.setFixedWidth(
                self.pages.sizeHintForColumn(0) + 2 * self.pages.frameWidth() + 12
            )
            self.browser.setSearchPaths([str(index.parent)])
            self.browser.setSource(
                QUrl.fromLocalFile(str(index)), QTextDocument.ResourceType.MarkdownResource
            )
            self.pages.setCurrentRow(0)
        else:
            self.pages.hide()
            self.browser.setHtml(
                GUIDE + "<p><i>The full user guide is missing from this installation "
                "(it should be in docs/guide). Reinstall SENCO Desk to get it back.</i></p>"
            )
        self.pages.currentRowChanged.connect(self._show_page)
        self.browser.sourceChanged.connect(self._page_shown)
        row.addWidget(self.pages)
        row.addWidget(self.browser, 1)
        lay.addLayout(row, 1)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        back = QPushButton("&Back")
        back.setAccessibleName("Back")
        back.setEnabled(False)
        back.clicked.connect(self.browser.backward)
        self.browser.backwardAvailable.connect(back.setEnabled)
        home = QPushButton("C&ontents")
        home.setAccessibleName("Contents")
        home.clicked.connect(self.browser.home)
        box.addButton(back, QDialogButtonBox.ButtonRole.ActionRole)
        box.addButton(home, QDialogButtonBox.ButtonRole.ActionRole)
        box.rejected.connect(self.close)
        lay.addWidget(box)
        self.pages.setFocus()

    def _show_page(self, row: int) -> None:
        if 0 <= row < len(self.files) and (
            Path(self.browser.source().toLocalFile()) != self.files[row]
        ):
            self.browser.setSource(QUrl.fromLocalFile(str(self.files[row])))

    def _page_shown(self, url: QUrl) -> None:
        """A link followed, Back or Contents: the list shows the page too."""
        path = Path(url.toLocalFile())
        if path in self.files:
            self.pages.blockSignals(True)
            self.pages.setCurrentRow(self.files.index(path))
            self.pages.blockSignals(False)

    def has_guide(self) -> bool:
        return self.index.exists() and bool(self.browser.toPlainText().strip())

    def missing_pictures(self) -> list[str]:
        """The pictures the guide's pages show that cannot be loaded (missing from the
        bundle, or not images): the self-test fails on any."""
        from PySide6.QtGui import QImage

        missing = []
        for page in self.files:
            for target in re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", page.read_text("utf-8")):
                if QImage(str(page.parent / target)).isNull():
                    missing.append(f"{page.name}: {target}")
        return missing


class AboutDialog(QDialog):
    """The app's version and what it runs on (Python, Qt, SQLite, SQLCipher) and the schema
    revision of the open database, read on the worker. Select and copy it for a bug report."""

    def __init__(self, ctx: Context | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About SENCO Desk")
        lay = QVBoxLayout(self)
        intro = QLabel(about_text())
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.versions = QLabel()
        self.versions.setAccessibleName("Versions")
        self.versions.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        lay.addWidget(self.versions)
        licence = QLabel("Free software under the MIT licence (see LICENSE).")
        lay.addWidget(licence)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = QPushButton("&Copy")
        copy.setAccessibleName("Copy the versions")
        copy.clicked.connect(self.copy)
        box.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        box.rejected.connect(self.close)
        lay.addWidget(box)
        self._show(None)
        if ctx is not None and ctx.worker.has_store:
            from sencodesk.version import database_revision

            self._show("…")
            ctx.run(database_revision, on_done=self._show)
        else:
            self._show("no database open")

    def _show(self, db_revision: Any) -> None:
        from sencodesk.version import version_lines

        lines = version_lines(qt=qt_versions(), db_revision=db_revision)
        self.versions.setText("\n".join(lines))

    def text(self) -> str:
        return self.versions.text()

    def copy(self) -> None:
        from PySide6.QtGui import QGuiApplication

        QGuiApplication.clipboard().setText(self.text())
