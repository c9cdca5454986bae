"""The benchmarks in ``benchmarks/`` run on demand, never in the suite, so an API renamed under
them (``build_demo`` became ``make_demo``; the pages' load functions came to take a session)
broke them silently. These checks are quick and need no database: every name a benchmark
imports from the app (also inside functions, where the benchmarks import lazily) still exists,
every benchmark answers ``--help``, and mypy checks them with the rest of the code."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCHMARKS = sorted((ROOT / "benchmarks").glob("bench_*.py"))
OURS = ("sencodesk", "ui")


def _our_imports(path: Path) -> list[tuple[int, str, str | None]]:
    """(line, module, name) for each import of the app's own code in the file; name is None
    for a plain ``import module``."""
    found: list[tuple[int, str, str | None]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] in OURS:
                found += [(node.lineno, node.module, a.name) for a in node.names]
        elif isinstance(node, ast.Import):
            found += [
                (node.lineno, a.name, None) for a in node.names if a.name.split(".")[0] in OURS
            ]
    return found


def test_there_are_benchmarks() -> None:
    assert len(BENCHMARKS) >= 8, BENCHMARKS


@pytest.mark.parametrize("path", BENCHMARKS, ids=lambda p: p.name)
def test_every_name_a_benchmark_imports_exists(path: Path) -> None:
    missing = []
    for line, module, name in _our_imports(path):
        try:
            mod = importlib.import_module(module)
        except ImportError as exc:
            missing.append(f"{path.name}:{line}: import {module}: {exc}")
            continue
        if name is None or name == "*" or hasattr(mod, name):
            continue
        try:  # a submodule: from package import module
            importlib.import_module(f"{module}.{name}")
        except ImportError:
            missing.append(f"{path.name}:{line}: {module} has no {name}")
    assert not missing, "\n".join(missing)


def test_the_check_finds_a_renamed_name(tmp_path: Path) -> None:
    """The check itself: a benchmark importing a name that is gone is caught."""
    bad = tmp_path / "bench_bad.py"
    bad.write_text("def f():\n    from sencodesk.demo import build_demo\n", encoding="utf-8")
    assert _our_imports(bad) == [(2, "sencodesk.demo", "build_demo")]
    assert not hasattr(importlib.import_module("sencodesk.demo"), "build_demo")


@pytest.mark.parametrize("path", BENCHMARKS, ids=lambda p: p.name)
def test_every_benchmark_answers_help(path: Path) -> None:
    out = subprocess.run(
        [sys.executable, str(path), "--help"],
        capture_output=True,
        text=True,
        cwd=str(ROOT),
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert "usage:" in out.stdout


def test_mypy_checks_the_benchmarks() -> None:
    """So a changed signature (a Store where a Session is now wanted) is a type error."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "benchmarks" in config["tool"]["mypy"]["files"]
