"""Review paper in the window (#13): the invitee pack by default, the SENCO's internal copy
as a choice (menu and batch dialog), and a pupil with no SEN refused in words."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pdfplumber
from PySide6.QtGui import QAction

from sencodesk import commands
from tests.ui.test_reports_gui import _preview, _visible_preview, school  # noqa: F401
from ui import reports
from ui.dialogs.review_packs import ReviewPacksDialog


def _text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return "\n".join(p.extract_text() or "" for p in doc.pages)


def test_the_menu_pack_is_for_invitees_and_the_internal_copy_is_a_choice(qtbot, school):  # noqa: F811
    win, sch = school
    win.open_pupil(sch.pupil_id)
    qtbot.waitUntil(lambda: win.pages["pupils"].view.detail is not None, timeout=5000)
    reports.review_pack(win)
    p = _preview(qtbot)
    text = _text(p.pdf)
    assert "for circulation to all invitees" in text
    assert "Give notice by" not in text and "OVERDUE" not in text
    assert "internal" not in p.stem
    p.close()
    qtbot.waitUntil(lambda: _visible_preview() is None, timeout=5000)

    names = {a.objectName() for a in win.findChildren(QAction)}
    assert "review_pack_internal" in names
    reports.review_pack(win, internal=True)
    p = _preview(qtbot)
    text = _text(p.pdf)
    assert "SENCO's internal copy" in text and "Give notice by" in text
    assert p.stem.startswith("2026-03-09_review-pack-internal_")
    assert p.windowTitle().startswith("Review pack (SENCO's internal copy)")


def test_a_pupil_with_no_sen_is_told_in_words(qtbot, school, dialogs):  # noqa: F811
    win, _ = school
    done: list[Any] = []

    def add(store: Any) -> int:
        with store.session() as s:
            return commands.save_pupil(
                s,
                {
                    "legal_first_name": "Nora",
                    "legal_last_name": "Ellis",
                    "date_of_birth": dt.date(2016, 3, 3),
                    "sen_code": "N",
                },
            )

    win.ctx.run(add, on_done=done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    win.open_pupil(done[0])
    qtbot.waitUntil(lambda: win.pages["pupils"].view.detail is not None, timeout=5000)
    reports.review_pack(win)
    qtbot.waitUntil(lambda: bool(dialogs.told), timeout=10000)
    assert "SEN code is N" in dialogs.told[-1][1]
    assert _visible_preview() is None


def test_the_batch_dialog_makes_invitee_packs_unless_asked(qtbot, school):  # noqa: F811
    win, _ = school
    d = ReviewPacksDialog(win.ctx, win)
    assert not d.internal.isChecked()
    assert "internal" in d.internal.text()


def test_the_pack_preview_saves_a_word_copy_to_edit(qtbot, school, tmp_path, monkeypatch, dialogs):  # noqa: F811
    import docx

    from ui.dialogs import files

    win, sch = school
    win.open_pupil(sch.pupil_id)
    qtbot.waitUntil(lambda: win.pages["pupils"].view.detail is not None, timeout=5000)
    reports.review_pack(win)
    p = _preview(qtbot)
    assert p.save_word is not None and p.save_word.isVisible()
    target = tmp_path / "pack"  # no suffix typed: .docx is added
    monkeypatch.setattr(files, "choose_save_file", lambda *a, **k: str(target))
    p.save_word.click()
    saved = tmp_path / "pack.docx"
    qtbot.waitUntil(saved.exists, timeout=10000)
    qtbot.waitUntil(lambda: bool(dialogs.told), timeout=5000)
    text = "\n".join(par.text for par in docx.Document(str(saved)).paragraphs)
    assert "Annual review of the EHC plan" in text
    assert "for circulation to all invitees" in text  # the copy previewed: the invitees'
    assert "Saved" in dialogs.told[-1][1]


def test_the_batch_dialog_writes_word_copies_when_asked(qtbot, school, tmp_path, dialogs):  # noqa: F811
    from ui.dialogs.review_packs import set_range

    win, _ = school
    dialogs.answer = False  # "Open the folder?" no
    d = ReviewPacksDialog(win.ctx, win)
    assert not d.word.isChecked()
    set_range(d, dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    d.folder.setText(str(tmp_path / "packs"))
    d.word.setChecked(True)
    d.make.click()
    qtbot.waitUntil(lambda: bool(d.files), timeout=30000)
    assert sorted(f.suffix for f in d.files) == [".docx", ".pdf"]
    assert "1 review pack" in dialogs.asked[-1] and "1 Word document" in dialogs.asked[-1]


def test_the_pupil_page_prints_the_one_page_profile(qtbot, school, tmp_path, monkeypatch, dialogs):  # noqa: F811
    import docx

    from ui.dialogs import files

    win, sch = school
    win.open_pupil(sch.pupil_id)
    page = win.pages["pupils"]
    qtbot.waitUntil(lambda: page.view.detail is not None, timeout=5000)
    button = page.view.profile.print_profile
    assert button.isEnabled()
    button.click()
    p = _preview(qtbot)
    assert p.windowTitle().startswith("One-page profile")  # no name in the title bar
    assert "Zoë" not in p.windowTitle() and "Zoë" not in p.stem
    text = _text(p.pdf)
    assert "All about Zoë" in text and "How best to support me" in text
    target = tmp_path / "profile.docx"
    monkeypatch.setattr(files, "choose_save_file", lambda *a, **k: str(target))
    p.save_word.click()
    qtbot.waitUntil(target.exists, timeout=10000)
    assert any("All about Zoë" in par.text for par in docx.Document(str(target)).paragraphs)
