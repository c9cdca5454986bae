"""A rule lives in one place (issue #10): no module outside rules.coverage,
rules.schooldays and queries.facts works out "current", a gap between a contract and its
funding, or an unfunded cost on its own. An AST scan, so it keeps holding as code is added."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOME = {
    "sencodesk/rules/coverage.py",
    "sencodesk/rules/schooldays.py",
    "sencodesk/rules/pay.py",  # cost_for_period itself
    "sencodesk/queries/facts.py",
    # Generated data, not a surface that states a fact (the demo's owner keeps it consistent).
    "sencodesk/demo.py",
}
ENDS = {"end", "end_date", "expires", "leaving_date", "funding_end", "latest_contract_end"}


def _name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return None


def offences(tree: ast.AST) -> list[tuple[int, str]]:
    out = []
    for node in ast.walk(tree):
        # "x.end is None or x.end >= on": "current" worked out inline
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
            compares = [v for v in node.values if isinstance(v, ast.Compare)]
            is_none = [
                c for c in compares if isinstance(c.ops[0], ast.Is) and _name(c.left) in ENDS
            ]
            on_or_after = [
                c for c in compares if isinstance(c.ops[0], ast.GtE) and _name(c.left) in ENDS
            ]
            if is_none and on_or_after:
                out.append((node.lineno, "an inline 'current' (use rules.coverage.is_current)"))
        # "(c.end_date - f.end_date).days": a gap or outlives-by worked out inline
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "days"
            and isinstance(node.value, ast.BinOp)
            and isinstance(node.value.op, ast.Sub)
            and _name(node.value.left) in ENDS
            and _name(node.value.right) in ENDS
        ):
            out.append((node.lineno, "an inline gap (use rules.coverage.funding_gap)"))
        # an unfunded cost worked out from the pay rules directly
        if isinstance(node, ast.Call) and _name(node.func) == "cost_for_period":
            out.append((node.lineno, "an inline unfunded cost (use rules.coverage)"))
        # the old "no end date" sentinel
        if (
            isinstance(node, ast.BinOp)
            and isinstance(node.op, ast.Pow)
            and isinstance(node.left, ast.Constant)
            and node.left.value == 10
            and isinstance(node.right, ast.Constant)
            and node.right.value == 6
        ):
            out.append((node.lineno, "a 10**6 sentinel"))
    return out


def test_the_scan_finds_what_it_looks_for():
    bad = ast.parse(
        "a = c.end_date is None or c.end_date >= today\n"
        "b = (c.end_date - f.end_date).days\n"
        "d = cost_for_period(x, y, z)\n"
        "e = 10**6\n"
    )
    assert [line for line, _ in offences(bad)] == [1, 2, 3, 4]


def test_no_module_outside_the_home_derives_the_facts_itself():
    found = []
    for path in sorted([*ROOT.glob("sencodesk/**/*.py"), *ROOT.glob("ui/**/*.py")]):
        rel = path.relative_to(ROOT).as_posix()
        if rel in HOME:
            continue
        for line, what in offences(ast.parse(path.read_text(encoding="utf-8"))):
            found.append(f"{rel}:{line}: {what}")
    assert found == []
