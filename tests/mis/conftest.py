from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from sencodesk import commands
from sencodesk.store import open_store

TODAY = dt.date(2026, 11, 20)


def set_up_school(store: Any, name: str = "Oakfield Primary School", dfe: str = "") -> None:
    with store.session() as s:
        commands.save_school(s, {"name": name, "dfe_number": dfe})


@pytest.fixture
def school(store: Any) -> Any:
    """An empty school (no pupils yet)."""
    set_up_school(store)
    return store


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 60-pupil demo school, built once and copied for each test that changes it."""
    from sencodesk.demo import make_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    s = open_store(path, user="test")
    try:
        make_demo(s, pupils=60, seed=1, today=TODAY)
    finally:
        s.close()
    return path


@pytest.fixture
def demo(demo_file: Path, tmp_path: Path) -> Any:
    import sqlite3

    target = tmp_path / "demo.db"
    src, dst = sqlite3.connect(demo_file), sqlite3.connect(target)
    src.backup(dst)
    src.close()
    dst.close()
    s = open_store(target, user="test")
    yield s
    s.close()
