"""A big JSON file is read as it goes and checked a chunk at a time (#17): a bad row or a
repeated key far into it is still found and named by its row, and nothing is imported; a
file that is not in an export's shape is still read; a file changed between its check and
its import is refused with nothing written."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from sencodesk.errors import KnownError
from sencodesk.exchange import json_io
from sencodesk.exchange.json_io import import_json, insert_export, read_json
from sencodesk.store import open_store
from tests.hostile.conftest import rows, write

MORE = json_io.CHECKED + 600  # rows past the first chunk checked


@pytest.fixture
def big(export: dict[str, Any]) -> dict[str, Any]:
    """The demo export with ``MORE`` more pupils (copies of the first, without a UPN)."""
    pupils = export["tables"]["pupil"]
    first = pupils[0]
    top = max(p["id"] for p in pupils)
    for i in range(1, MORE + 1):
        pupils.append({**copy.deepcopy(first), "id": top + i, "upn": None})
    return export


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "target.db", user="test")
    yield s
    s.close()


def _refused(store: Any, path: Any, *fragments: str) -> str:
    with pytest.raises(KnownError) as caught:
        import_json(store, path)
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    assert not any(rows(store).values())  # nothing written
    return message


def test_a_big_file_imports_whole(big, store, tmp_path):
    counts = import_json(store, write(big, tmp_path / "big.json"))
    assert counts["pupil"] == len(big["tables"]["pupil"])
    assert len(rows(store)["pupil"]) == len(big["tables"]["pupil"])


def test_a_bad_row_at_the_end_is_named_and_nothing_is_imported(big, store, tmp_path):
    pupils = big["tables"]["pupil"]
    n = len(pupils)
    pupils[-1]["sen_code"] = "Z"  # a rule: a code the census knows
    pupils[-2]["date_of_birth"] = "31/02/2015"  # a value that cannot be read
    path = write(big, tmp_path / "bad-end.json")
    message = _refused(store, path, f"table 'pupil', row {n - 1} (id {pupils[-2]['id']})")
    assert "date_of_birth" in message
    pupils[-2]["date_of_birth"] = pupils[0]["date_of_birth"]
    message = _refused(store, write(big, path), f"table 'pupil', row {n} (id {pupils[-1]['id']})")
    assert "sen_code" in message and "1 problem found" in message


def test_a_key_repeated_far_apart_is_found(big, store, tmp_path):
    pupils = big["tables"]["pupil"]
    n = len(pupils)
    first = next(i for i, p in enumerate(pupils, start=1) if p["upn"])
    pupils[-1]["upn"] = pupils[first - 1]["upn"].lower()  # the same once in capitals
    _refused(
        store,
        write(big, tmp_path / "twice.json"),
        f"table 'pupil', row {n} (id {pupils[-1]['id']}), column 'upn'",
        f"is the same as in row {first}",
    )


def test_a_link_to_a_row_not_in_the_file_is_found_at_the_end(big, store, tmp_path):
    records = big["tables"]["record"]
    records[-1]["pupil_id"] = 10**6
    _refused(
        store,
        write(big, tmp_path / "link.json"),
        f"table 'record', row {len(records)}",
        "there is no 'pupil' row with id 1000000 in the file",
    )


def test_files_not_in_an_exports_shape_still_import(export, store, tmp_path):
    # Tables in another order, the "tables" object first, a byte order mark: each as written.
    tables = export.pop("tables")
    export = {"tables": dict(reversed(list(tables.items()))), **export}
    path = tmp_path / "odd.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(export, ensure_ascii=False).encode("utf-8"))
    counts = import_json(store, path)
    assert counts == {name: len(t) for name, t in tables.items()} | {
        name: 0 for name in counts if name not in tables
    }
    assert {name: len(r) for name, r in rows(store).items()} == counts


def test_a_file_changed_after_its_check_is_refused(export, store, tmp_path):
    path = write(export, tmp_path / "changing.json")
    data = read_json(path)  # as the command line: checked before the database is opened
    export["tables"]["record"].pop()
    write(export, path)
    with pytest.raises(KnownError, match="the file changed while it was being imported"):
        insert_export(store, data)
    assert not any(rows(store).values())
