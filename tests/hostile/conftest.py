"""Fixtures of the hostile-input suite: a valid export to spoil, and a way to say "nothing
changed" row for row."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from sencodesk import cli
from sencodesk.model import Base


@pytest.fixture(scope="session")
def demo_export(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A small demo school (30 pupils), exported: the valid file every case spoils."""
    folder = tmp_path_factory.mktemp("hostile-demo")
    db, out = folder / "demo.db", folder / "demo.json"
    assert cli.run(["demo", "--db", str(db), "--pupils", "30", "--today", "2026-03-02"]) == 0
    assert cli.run(["export", "--format", "json", "--out", str(out), "--db", str(db)]) == 0
    return json.loads(out.read_text("utf-8"))


@pytest.fixture
def export(demo_export: dict[str, Any]) -> dict[str, Any]:
    """A fresh copy of the valid export for one test to spoil."""
    return copy.deepcopy(demo_export)


def write(doc: dict[str, Any], path: Path) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    return path


def rows(store: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in id order: compared before and after, row for row."""
    out = {}
    with store.read() as s:
        for table in Base.metadata.sorted_tables:
            if table.name == "alembic_version":
                continue
            out[table.name] = [
                tuple(r) for r in s.execute(select(table).order_by(*table.primary_key))
            ]
    return out
