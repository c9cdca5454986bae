"""Fuzzing the JSON import (hypothesis): random mutations of a valid export never end in a
traceback, and a rejected file never leaves the database changed.

Bounded: 100 examples, on a trimmed copy of the small demo school, one reused database
(emptied again after a mutation that is still a valid file).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from sencodesk.errors import KnownError
from sencodesk.exchange.json_io import import_json, model_tables
from sencodesk.store import open_store

from .conftest import rows

ODD = [
    None,
    True,
    0,
    -1,
    2**31,
    2**63,
    -(2**70),
    1.5,
    float("inf"),
    float("nan"),
    "",
    " ",
    "X",
    "FOO",
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    "2026-03-07T10:00:00",
    "9999-12-31T23:59:59",
    "24:00:00",
    "07:00:00",
    "-1.00",
    "1e999",
    "123456789012345678901234567890.00",
    '=HYPERLINK("http://x","click")',
    "../../../tmp/PWNED",
    "\x00",
    "\ud800",
    "a" * 5000,
    [],
    {},
    [1, [2, [3]]],
    {"id": 1},
]
VALUES = st.one_of(
    st.sampled_from(ODD),
    st.integers(),
    st.text(max_size=20),
    st.floats(),
    st.dates().map(lambda d: d.isoformat()),
)
HUGE = "@@HUGE@@"


@pytest.fixture(scope="module")
def base(demo_export: dict[str, Any]) -> dict[str, Any]:
    """The demo export, trimmed so that each example is quick; still a valid file."""
    doc = copy.deepcopy(demo_export)
    doc["tables"]["audit_entry"] = doc["tables"]["audit_entry"][:40]
    doc["tables"]["record"] = doc["tables"]["record"][:15]
    return doc


@st.composite
def mutations(draw: st.DrawFn, doc: dict[str, Any]) -> list[tuple[Any, ...]]:
    tables = sorted(name for name, r in doc["tables"].items() if r)
    out = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(
            st.sampled_from(
                [
                    "set",
                    "set",
                    "set",
                    "huge",
                    "drop_key",
                    "add_key",
                    "drop_row",
                    "copy_row",
                    "table",
                    "top",
                    "cut",
                    "flip",
                ]
            )
        )
        table = draw(st.sampled_from(tables))
        n = draw(st.integers(0, len(doc["tables"][table]) - 1))
        column = draw(st.sampled_from(sorted(doc["tables"][table][n])))
        out.append((kind, table, n, column, draw(VALUES), draw(st.integers(0, 10**9))))
    return out


def _apply(doc: dict[str, Any], changes: list[tuple[Any, ...]]) -> bytes:
    cut = flip = None
    for kind, table, n, column, value, at in changes:
        t = doc["tables"].get(table)
        row = t[n] if isinstance(t, list) and n < len(t) and isinstance(t[n], dict) else None
        if kind == "set" and row is not None:
            row[column] = value
        elif kind == "huge" and row is not None:
            row[column] = HUGE
        elif kind == "drop_key" and row is not None:
            row.pop(column, None)
        elif kind == "add_key" and row is not None:
            row["not_a_column"] = value
        elif kind == "drop_row" and isinstance(t, list) and n < len(t):
            del t[n]
        elif kind == "copy_row" and isinstance(t, list) and n < len(t):
            t.append(copy.deepcopy(t[n]))
        elif kind == "table":
            doc["tables"][table] = value
        elif kind == "top":
            doc[column if column in ("format", "format_version", "tables") else "format"] = value
        elif kind == "cut":
            cut = at
        elif kind == "flip":
            flip = at
    text = json.dumps(doc, ensure_ascii=False, allow_nan=True).replace(f'"{HUGE}"', "9" * 5001)
    data = text.encode("utf-8", "surrogatepass")
    if cut is not None:
        data = data[: cut % max(len(data), 1)]
    if flip is not None and data:
        i = flip % len(data)
        data = data[:i] + bytes([data[i] ^ (1 << (flip % 8))]) + data[i + 1 :]
    return data


def _empty(store: Any) -> None:
    with store.engine.begin() as conn:
        for table in reversed(model_tables()):
            conn.execute(delete(table))


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory):
    store = open_store(tmp_path_factory.mktemp("fuzz") / "target.db", user="test")
    yield store
    store.close()


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_a_mutated_export_is_imported_or_refused_in_words(base, target, tmp_path_factory, data):
    doc = copy.deepcopy(base)
    changes = data.draw(mutations(doc))
    path = Path(tmp_path_factory.getbasetemp()) / "fuzz.json"
    path.write_bytes(_apply(doc, changes))
    before = rows(target)
    assert not any(before.values())
    try:
        import_json(target, path)
    except KnownError as exc:
        assert str(exc).startswith(("Cannot import", str(path), "There is no file")), str(exc)
        assert rows(target) == before  # refused: nothing written, row for row
    else:
        _empty(target)  # a mutation that left a valid file: empty the database again
