"""Pages refresh from the core's typed change kinds (``sencodesk.changes.Change``), never from
strings a page or a caller spelled by hand: a renamed or mistyped kind is then an error
(mypy, and this test) rather than a page that silently stops refreshing."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

from sencodesk.changes import TABLE_KINDS, Change
from ui.pages import PAGES
from ui.pages.base import Page

ROOT = Path(__file__).resolve().parents[2]


def page_classes() -> list[type[Page]]:
    for mod in sorted((ROOT / "ui" / "pages").glob("*.py")):
        importlib.import_module(f"ui.pages.{mod.stem}")
    found: list[type[Page]] = []
    todo: list[type[Page]] = [Page]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def test_every_page_watches_typed_kinds():
    classes = page_classes()
    assert len(classes) >= len(PAGES)
    loose = {
        cls.__qualname__: sorted(k for k in cls.WATCHES if not isinstance(k, Change))
        for cls in classes
        if any(not isinstance(k, Change) for k in cls.WATCHES)
    }
    assert loose == {}
    for _key, _title, module, name in PAGES:
        cls = getattr(importlib.import_module(f"ui.pages.{module}"), name)
        assert cls.WATCHES, f"{name} watches nothing: it would never refresh after a save"


def test_every_kind_a_write_reports_is_watched_by_some_page():
    watched = set().union(*(cls.WATCHES for cls in page_classes()))
    # MIS: the MIS mappings are shown only in the import dialog, which reads them afresh.
    assert set(TABLE_KINDS.values()) - watched == {Change.MIS}


def test_kinds_from_a_server_notification_still_match():
    # PostgreSQL's LISTEN/NOTIFY delivers plain strings: a StrEnum member equals its value.
    from ui.pages.records import RecordsPage

    assert RecordsPage.WATCHES & frozenset({"record"}) == {Change.RECORD}


# --------------------------------------------------------------------------- the source


def hand_spelled_kinds(source: str) -> list[str]:
    """Where a change kind is written as a string: in a ``WATCHES`` set, a ``changes=``
    argument, or a test ``"x" in kinds`` / ``kinds == {...}`` of a set of kinds."""
    values = {k.value for k in Change}
    found: list[str] = []

    def strings(node: ast.AST) -> list[ast.Constant]:
        return [
            n
            for n in ast.walk(node)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value in values
        ]

    def names_kinds(node: ast.AST) -> bool:
        name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")
        return isinstance(name, str) and name.lower().endswith("kinds")

    for node in ast.walk(ast.parse(source)):
        hits: list[ast.Constant] = []
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(getattr(t, "id", getattr(t, "attr", "")) == "WATCHES" for t in targets):
                hits = strings(node.value) if node.value is not None else []
        elif isinstance(node, ast.keyword) and node.arg == "changes":
            hits = strings(node.value)
        elif isinstance(node, ast.Compare) and any(
            names_kinds(side) for side in [node.left, *node.comparators]
        ):
            hits = [c for side in [node.left, *node.comparators] for c in strings(side)]
        found += [f"{c.lineno}: {c.value!r}" for c in hits]
    return found


def test_no_change_kind_is_spelled_by_hand_in_ui():
    offenders = {
        str(p.relative_to(ROOT)): hand_spelled_kinds(p.read_text(encoding="utf-8"))
        for p in sorted((ROOT / "ui").rglob("*.py"))
    }
    assert {p: hits for p, hits in offenders.items() if hits} == {}


def test_the_scanner_finds_each_way_of_spelling_a_kind():
    src = (
        'class P:\n    WATCHES = frozenset({"pupil", Change.STAFF})\n'
        'ctx.change(fn, changes={"record"})\n'
        'if "school" in kinds or self.kinds == {"all"}:\n    pass\n'
        'if "pupil" in names:\n    pass\n'  # not a set of kinds: not counted
    )
    assert hand_spelled_kinds(src) == ["2: 'pupil'", "3: 'record'", "4: 'school'", "4: 'all'"]
