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
