"""``SENCO Desk --self-test``: start the app offscreen, open every page and every tab of a
pupil's and a member of staff's page, the user guide and About, then quit: exit status 0 when
nothing went wrong, 1 on any exception (in a slot, on the worker, or a message box the app tried
to show), 2 when it cannot start. For the bundle's smoke test (``packaging/smoke_bundle.py``):
a module the bundle lacks, a missing resource or a page that raises fails it.

With ``--db PATH`` it uses that database (read as it is); without, it builds a small demo
school in a temporary folder. It never touches the user's settings or data folder.
"""

from __future__ import annotations

import functools
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

SELF_TEST_FLAG = "--self-test"


class SelfTest:
    def __init__(self, app: Any, out: Callable[[str], None]) -> None:
        self.app = app
        self.out = out
        self.failures: list[str] = []
        self.win: Any = None

    def fail(self, what: str) -> None:
        self.failures.append(what)
        self.out(f"FAIL {what}")

    def settle(self, timeout: float = 60.0) -> None:
        """Let the worker finish and the events run."""
        end = time.monotonic() + timeout
        quiet = 0
        while time.monotonic() < end and quiet < 5:
            self.app.processEvents()
            busy = self.win is not None and self.win.worker.busy
            quiet = 0 if busy else quiet + 1
            time.sleep(0.01)
        if self.win is not None and self.win.worker.busy:
            self.fail(f"the database worker was still busy after {timeout:.0f} s")

    def step(self, name: str, fn: Callable[[], Any]) -> Any:
        before = len(self.failures)
        try:
            result = fn()
            self.settle()
        except Exception:
            self.fail(f"{name}: {traceback.format_exc()}")
            return None
        if len(self.failures) == before:
            self.out(f"ok   {name}")
        return result


def _show(win: Any, key: str) -> None:
    win.show_page(key).refresh()


def _install_traps(test: SelfTest) -> Callable[[], None]:
    """Any message box or bug report is a failure (offscreen, a modal box would wait for
    ever). Returns a function that puts everything back."""
    from .dialogs import ask

    saved = {n: getattr(ask, n) for n in ("tell", "ask", "ask_save", "ask_text", "report_bug")}

    def tell(_parent: Any, title: str, text: str, **_kw: Any) -> None:
        test.fail(f"message '{title}': {text}")

    def question(_parent: Any, title: str, text: str, **_kw: Any) -> bool:
        test.fail(f"question '{title}': {text}")
        return False

    def report_bug(_parent: Any, exc: BaseException, tb: str) -> None:
        test.fail(f"bug: {tb or repr(exc)}")

    ask.tell = tell  # type: ignore[assignment]
    ask.ask = question  # type: ignore[assignment]

    def ask_save(_parent: Any, what: str) -> Any:
        test.fail(f"unsaved changes to {what}")
        return ask.DISCARD

    def ask_text(_parent: Any, title: str, text: str, **_kw: Any) -> str:
        test.fail(f"asked '{title}'")
        return ""

    ask.ask_save = ask_save  # type: ignore[assignment]
    ask.ask_text = ask_text  # type: ignore[assignment]
    ask.report_bug = report_bug  # type: ignore[assignment]
    old_hook = sys.excepthook

    def hook(kind: type[BaseException], exc: BaseException, tb: Any) -> None:
        test.fail("".join(traceback.format_exception(kind, exc, tb)))

    sys.excepthook = hook

    def restore() -> None:
        for n, f in saved.items():
            setattr(ask, n, f)
        sys.excepthook = old_hook

    return restore


def _demo_database(folder: Path) -> Path:
    from sencodesk.demo import make_demo

    from .worker import with_file_open

    db = folder / "self-test.db"
    with_file_open(db, lambda store: make_demo(store, pupils=40, seed=1), user="self-test")
    return db


def run_self_test(db: str | None = None, out: Callable[[str], None] | None = None) -> int:
    """Open every page offscreen; 0 when all went well, 1 on any failure."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    def say(line: str) -> None:
        if sys.stdout is not None:  # a windowed .exe on Windows has none
            print(line, flush=True)

    out = out or say
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from .app import configure_app

    created = QApplication.instance() is None
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "sencodesk"])
    configure_app(app)  # type: ignore[arg-type]
    tmp = Path(tempfile.mkdtemp(prefix="sencodesk-self-test-"))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp))
    test = SelfTest(app, out)
    restore = _install_traps(test)
    try:
        path = db or test.step("build a demo school", lambda: str(_demo_database(tmp)))
        if path is None:
            return 1
        _walk(test, path)
    finally:
        restore()
        if test.win is not None:
            test.win.worker.shutdown()
            test.win.deleteLater()
            test.win = None
            app.processEvents()
        shutil.rmtree(tmp, ignore_errors=True)
    if created:
        app.processEvents()
    if test.failures:
        out(f"self-test: {len(test.failures)} failure(s)")
        return 1
    out("self-test: ok")
    return 0


def app_modules() -> list[str]:
    """Every module of the app (``sencodesk`` and ``ui``), found the way the bundle finds them."""
    import importlib
    import pkgutil

    names = []
    for package in ("sencodesk", "ui"):
        pkg = importlib.import_module(package)
        names.append(package)
        for info in pkgutil.walk_packages(pkg.__path__, prefix=f"{package}."):
            names.append(info.name)
    return names


MODULES_ENV = "SENCODESK_SELF_TEST_MODULES"


def _import_all(test: SelfTest) -> None:
    """Every module found here, and every one named in the file ``$SENCODESK_SELF_TEST_MODULES``
    (one a line: the smoke test lists the source tree's, so a module the bundle lacks fails)."""
    import importlib

    names = app_modules()
    listed = os.environ.get(MODULES_ENV)
    if listed:
        names += [n for n in Path(listed).read_text("utf-8").split() if n not in names]
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as exc:
            test.fail(f"import {name}: {exc!r}")
    test.out(f"     {len(names)} modules")


def _walk(test: SelfTest, db: str) -> None:
    from .main_window import PAGE_KEYS, MainWindow

    test.step("import every module of the app", lambda: _import_all(test))

    def open_window() -> None:
        test.win = MainWindow()
        test.win.show()
        test.win.open_database(db, first_run_check=False)

    test.step("open the window and the database", open_window)
    win = test.win
    if win is None:
        return
    for key in PAGE_KEYS:
        test.step(f"page {key}", functools.partial(_show, win, key))

    def tabs(page_key: str, open_first: Callable[[Any], None]) -> None:
        page = win.show_page(page_key)
        rows = page.model.all_rows
        if not rows:
            test.fail(f"{page_key}: the list is empty")
            return
        open_first(rows[0])
        test.settle()
        view = page.view
        for i in range(view.tabs.count()):
            test.step(
                f"{page_key}: tab {view.tabs.tabText(i).replace('&&', '+').replace('&', '')}",
                functools.partial(view.tabs.setCurrentIndex, i),
            )

    test.step("a pupil's page", lambda: tabs("pupils", lambda r: win.open_pupil(r.id)))
    test.step("a member of staff's page", lambda: tabs("staff", lambda r: win.open_staff(r.id)))

    def guide() -> None:
        from .dialogs.help import UserGuide

        box = UserGuide(win)
        box.show()
        if not box.has_guide():
            test.fail("the user guide is missing from this installation")
        for picture in box.missing_pictures():
            test.fail(f"the user guide's picture cannot be shown: {picture}")
        box.close()

    test.step("Help > User guide", guide)

    def about() -> None:
        from .dialogs.help import AboutDialog

        box = AboutDialog(win.ctx, win)
        box.show()
        test.settle()
        if "Database schema (the open database)" not in box.text():
            test.fail(f"About shows no database revision: {box.text()}")
        box.close()

    test.step("Help > About", about)
