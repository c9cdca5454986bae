"""Help: the user guide (what each page is for, and the keys) and About."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

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


class UserGuide(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("SENCO Desk user guide")
        self.resize(720, 620)
        lay = QVBoxLayout(self)
        text = QTextBrowser()
        text.setAccessibleName("User guide")
        text.setHtml(GUIDE)
        lay.addWidget(text)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.rejected.connect(self.close)
        lay.addWidget(box)
