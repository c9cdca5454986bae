"""main.py: --version, and a clear message instead of Qt's abort when no window can open.
And the one source of the version."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

from main import NO_DISPLAY, display_problem
from sencodesk.schema import head_revision
from sencodesk.version import app_version, version_lines

ROOT = Path(__file__).resolve().parents[2]
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]


def run_main(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=ROOT,
    )


def test_version_prints_every_version():
    done = run_main("--version")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"SENCO Desk {VERSION}"
    assert lines[1].startswith(f"Python {sys.version_info.major}.{sys.version_info.minor}.")
    assert lines[2].startswith("Qt 6.") and ", PySide6 6." in lines[2]
    assert lines[3].startswith("SQLite 3.")
    assert lines[4].startswith("SQLCipher")
    assert lines[5] == f"Database schema (this version of the app): {head_revision()}"


def test_the_version_is_pyprojects(tmp_path):
    assert app_version() == VERSION
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "sencodesk"\nversion = "9.8.7"\n', encoding="utf-8"
    )
    assert app_version(tmp_path) == "9.8.7"


def test_without_pyproject_the_installed_metadata_is_used(tmp_path):
    from importlib.metadata import version

    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "something-else"\nversion = "1.0"\n', encoding="utf-8"
    )
    assert app_version(tmp_path) == version("sencodesk")
    assert app_version(tmp_path / "nowhere") == version("sencodesk")


def test_the_json_export_carries_the_same_version():
    from sencodesk.exchange.json_io import app_version as exported

    assert exported() == VERSION


def test_version_lines_with_an_open_database(store):
    from sencodesk.version import database_revision

    lines = version_lines(qt=("6.9.9", "6.9.8"), db_revision=database_revision(store))
    assert "Qt 6.9.9, PySide6 6.9.8" in lines
    assert lines[-1] == f"Database schema (the open database): {head_revision()}"


def test_no_display_is_said_in_words_not_a_qt_abort(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    env.update(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path))
    done = run_main("--db", str(tmp_path / "x.db"), env=env)
    assert done.returncode == 2
    assert "there is no display" in done.stderr
    assert "python3 main.py --help" in done.stderr
    assert "xcb" not in done.stderr and "Aborted" not in done.stderr
    assert not (tmp_path / "x.db").exists()  # nothing was created


def test_display_problem_cases():
    linux = "linux"

    def none() -> list[str]:
        return []

    def two() -> list[str]:
        return ["libxcb-icccm4", "libxcb-keysyms1"]

    assert display_problem({}, linux, none) == NO_DISPLAY
    assert display_problem({"DISPLAY": ":0"}, linux, none) is None
    told = display_problem({"DISPLAY": ":0"}, linux, two)
    assert told and "sudo apt install libxcb-icccm4 libxcb-keysyms1" in told
    assert display_problem({"WAYLAND_DISPLAY": "wayland-0"}, linux, two) is None
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, linux, two) is None
    assert (
        display_problem({"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "w"}, linux, none)
        == NO_DISPLAY
    )
    assert display_problem({}, "win32", two) is None


def test_the_xcb_libraries_of_this_machine_are_found():
    """Every library is looked for, and found where it is installed (this machine has them
    when Qt's xcb plugin can load: then none is reported missing)."""
    from main import XCB_LIBS, missing_xcb_packages

    assert "libxcb-cursor.so.0" in XCB_LIBS and "libxcb-icccm.so.4" in XCB_LIBS
    missing = missing_xcb_packages()
    assert set(missing) <= set(XCB_LIBS.values())


def test_self_test_takes_only_the_database_option():
    done = run_main("--self-test", "check")
    assert done.returncode == 2
    assert "--self-test takes only --db" in done.stderr
