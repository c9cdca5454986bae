"""The core stays free of Qt, and the GUI never runs SQL itself."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_core_never_imports_pyside6():
    files = sorted((ROOT / "sencodesk").rglob("*.py"))
    assert len(files) > 10
    offenders = [
        str(f.relative_to(ROOT))
        for f in files
        if {"PySide6", "shiboken6", "PyQt5", "PyQt6"} & _imports(f)
    ]
    assert offenders == []


def test_scanner_catches_an_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from PySide6.QtCore import QObject\nimport os\n")
    assert "PySide6" in _imports(bad)


def test_gui_never_imports_sqlalchemy_directly():
    files = sorted((ROOT / "ui").rglob("*.py"))
    offenders = [str(f.relative_to(ROOT)) for f in files if "sqlalchemy" in _imports(f)]
    assert offenders == []


# --------------------------------------------------------------------------- import circles


def _module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph(root: Path, packages: tuple[str, ...]) -> dict[str, set[str]]:
    """Module -> the modules of ``packages`` it imports: at the top, inside a function (a lazy
    import is still a dependency) or for type checking only. ``from pkg import name`` counts as
    importing ``pkg.name`` when that is a module, else ``pkg``."""
    files = {
        _module_name(root, p): p for pkg in packages for p in sorted((root / pkg).rglob("*.py"))
    }
    graph: dict[str, set[str]] = {}
    for mod, path in files.items():
        package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                for a in node.names:
                    sub = f"{target}.{a.name}"
                    found.add(sub if sub in files else target)
        edges = set()
        for name in found:
            while name and name not in files:
                name = name.rpartition(".")[0]
            if name and name != mod:
                edges.add(name)
        graph[mod] = edges
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_circles():
    """Data flows one way: ui -> core commands/queries -> rules/model. A circle (two modules
    that import each other, however indirectly) would tie them into one."""
    graph = import_graph(ROOT, ("sencodesk", "ui"))
    assert len(graph) > 100
    assert "sencodesk.store" in graph["ui.worker"] or "sencodesk.store" in graph["ui.ops"]
    problems = [
        " <-> ".join(group)
        + "".join(f"\n    {a} -> {b}" for a in group for b in sorted(graph[a]) if b in group)
        for group in circles(graph)
    ]
    assert problems == [], "import circles:\n" + "\n".join(problems)


def test_the_circle_finder_finds_a_lazy_circle_through_a_package(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from .sub import b\n")
    (pkg / "sub" / "b.py").write_text("def f():\n    from ..c import g\n")
    (pkg / "c.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import a\n"
    )
    (pkg / "d.py").write_text("import pkg.a\n")
    graph = import_graph(tmp_path, ("pkg",))
    assert graph["pkg.a"] == {"pkg.sub.b"}
    assert circles(graph) == [["pkg.a", "pkg.c", "pkg.sub.b"]]


# --------------------------------------------------------------------------- typed ops

WORKER = "ui/worker.py"  # the one module of ui/ that opens a database or a session


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    """ids of the nodes inside ``if TYPE_CHECKING:`` blocks (imports for annotations only)."""
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                inside.update(id(n) for n in ast.walk(child))
    return inside


def session_breaches(source: str) -> list[str]:
    """Where ``source`` opens a session or a database itself, or imports ``sencodesk.store``
    at run time: what only the worker may do (``ui/worker.py``)."""
    tree = ast.parse(source)
    typing_only = _type_checking_nodes(tree)
    found: list[str] = []
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            mods = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            if "sencodesk.store" in mods:
                found.append(f"line {node.lineno}: imports sencodesk.store")
        elif isinstance(node, ast.Import):
            if any(a.name == "sencodesk.store" for a in node.names):
                found.append(f"line {node.lineno}: imports sencodesk.store")
        elif isinstance(node, ast.With):
            for item in node.items:
                call = item.context_expr
                if (
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Attribute)
                    and call.func.attr in {"read", "session"}
                ):
                    found.append(f"line {node.lineno}: opens a session ({ast.unparse(call)})")
    return found


def test_only_the_worker_opens_a_session_or_the_store():
    """The GUI asks the worker for a query or a change (``ctx.query`` / ``ctx.change``); it
    never opens a session, and never imports ``sencodesk.store`` at run time."""
    files = sorted((ROOT / "ui").rglob("*.py"))
    assert len(files) > 20
    breaches = {
        str(f.relative_to(ROOT)): found
        for f in files
        if str(f.relative_to(ROOT)) != WORKER
        and (found := session_breaches(f.read_text(encoding="utf-8")))
    }
    assert breaches == {}


def test_the_session_scanner_catches_each_way():
    assert session_breaches("def f(store):\n    with store.read() as s:\n        pass\n")
    assert session_breaches("def f(st):\n    with st.session(reason='x') as s:\n        pass\n")
    assert session_breaches("def f():\n    from sencodesk.store import open_store\n")
    assert session_breaches("from sencodesk import store\n")
    assert session_breaches("import sencodesk.store\n")
    typed = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
    assert not session_breaches(typed + "    from sencodesk.store import Session, Store\n")
    assert not session_breaches("def f(s):\n    return s.execute(1)\n")
    assert session_breaches((ROOT / WORKER).read_text(encoding="utf-8"))  # it does, alone
