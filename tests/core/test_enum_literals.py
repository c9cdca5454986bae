"""No enum value is written as a literal in sencodesk/ or ui/: a field that holds an enum's
value (``sen_code``, ``kind``, ``status``, ``role``...) is compared with, or given, the enum's
member (``SenCode.EHCP``), never its spelling (``"E"``). A renamed value is then one edit, and
a mistyped one an error rather than a test that is never true."""

from __future__ import annotations

import ast
from enum import StrEnum
from pathlib import Path

from sencodesk import alerts, vocab
from sencodesk.rules import reviews

ROOT = Path(__file__).resolve().parents[2]

ENUMS: list[type[StrEnum]] = [
    e
    for e in vars(vocab).values()
    if isinstance(e, type) and issubclass(e, StrEnum) and e is not StrEnum
] + [alerts.AlertKind, reviews.Step]
VALUES = {m.value for e in ENUMS for m in e}

# The names of the fields (columns, row attributes, keyword arguments) whose value is an enum's.
FIELDS = frozenset(
    {"sen_code", "sen", "kind", "status", "role", "source", "area", "outcome", "level"}
    | {"audience", "urgency", "step"}
)

# Where a literal stays for now, each with why: (file, the literal) -> how many times.
KNOWN: dict[tuple[str, str], int] = {
    ("sencodesk/reports/data_review.py", "meeting"): 1,
    # Not an enum of vocab: the server's app role "senco" (sencodesk/server/ddl.py ROLE_LABELS)
    # happens to be spelled like StaffRole.SENCO.
    ("sencodesk/server/session.py", "senco"): 1,
}


def _name(node: ast.AST) -> object:
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        return node.slice.value  # values["kind"]
    return None


def _strings(node: ast.AST | None) -> list[ast.Constant]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in VALUES:
        return [node]
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return [c for e in node.elts for c in _strings(e)]
    return []


def enum_literals(source: str) -> list[tuple[int, str]]:
    """(line, literal) of each enum value written as a string where an enum field is compared
    (``p.sen_code != "E"``, ``sen in ("K", "E")``), given (``role="shared"``, ``{"kind":
    "annual"}``) or set (``kid.sen = "E"``)."""
    found: list[ast.Constant] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(_name(s) in FIELDS for s in sides):
                found += [c for s in sides for c in _strings(s)]
        elif (isinstance(node, ast.keyword) and node.arg in FIELDS) or (
            isinstance(node, ast.Assign) and any(_name(t) in FIELDS for t in node.targets)
        ):
            found += _strings(node.value)
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value in FIELDS:
                    found += _strings(value)
    return sorted((c.lineno, c.value) for c in found)


def _all_literals() -> dict[tuple[str, str], list[int]]:
    out: dict[tuple[str, str], list[int]] = {}
    for pkg in ("sencodesk", "ui"):
        for path in sorted((ROOT / pkg).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if rel == "sencodesk/vocab.py":  # where the values are defined
                continue
            for line, value in enum_literals(path.read_text(encoding="utf-8")):
                out.setdefault((rel, value), []).append(line)
    return out


def test_no_enum_value_is_written_as_a_literal():
    found = _all_literals()
    new = {k: v for k, v in found.items() if len(v) > KNOWN.get(k, 0)}
    assert new == {}, "use the enum's member (vocab.SenCode.EHCP, not 'E')"


def test_the_known_list_only_shrinks():
    found = _all_literals()
    fixed = {k: n for k, n in KNOWN.items() if len(found.get(k, [])) < n}
    assert fixed == {}, "these literals are gone: take them off KNOWN"


def test_the_scanner_finds_each_way_of_writing_one():
    src = (
        'if p.sen_code != "E" and sen in ("K", "N"):\n    pass\n'
        'save(role="shared")\n'
        'values = {"kind": "annual", "name": "annual"}\n'
        'kid.sen = "E"\n'
        'if values["status"] == "ended":\n    pass\n'
        'if mode == "interim" or table == "school":\n    pass\n'  # not enum fields
        "if p.sen_code != vocab.SenCode.EHCP:\n    pass\n"
    )
    assert enum_literals(src) == [
        (1, "E"),
        (1, "K"),
        (1, "N"),
        (3, "shared"),
        (4, "annual"),
        (5, "E"),
        (6, "ended"),
    ]
