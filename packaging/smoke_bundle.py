"""The smoke test of a built bundle: does the app a school would install actually work?

    python packaging/smoke_bundle.py "dist/SENCO Desk"

Runs, against the bundle's own programs (never the source tree), in a temporary folder with
its own data and settings folders (the user's are never touched):

1. ``sencodesk --version``: the version is pyproject.toml's;
2. ``sencodesk demo``: a demo school, built through the migrations the bundle carries;
3. ``sencodesk check``: prints ``ok``;
4. ``sencodesk report review-pack``: one pupil's pack, a PDF, and as a Word file;
5. ``sencodesk report review-packs --merged``: a batch of packs and their merged file (reports/pdf_pages);
6. ``"SENCO Desk" --self-test``: the windowed app, offscreen, imports every module of the app
   and opens every page, the user guide and About; non-zero on any exception.

Exit status 0 when every step passed, 1 otherwise; each step prints ok or FAIL with the
command's output. Standard library only: it runs on a machine without the app's packages.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WINDOWS = sys.platform == "win32"
CLI = "sencodesk.exe" if WINDOWS else "sencodesk"
GUI = "SENCO Desk.exe" if WINDOWS else "SENCO Desk"
TODAY = "2025-11-12"  # the demo's date, so the batch of reviews below is not empty


def source_modules() -> list[str]:
    """Every module of the app in the source tree: the bundle must have each."""
    names = []
    for package in ("sencodesk", "ui"):
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def expected_version() -> str:
    return str(tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"])


class Smoke:
    def __init__(self, bundle: Path, work: Path, timeout: float) -> None:
        self.bundle, self.work, self.timeout = bundle, work, timeout
        self.failed: list[str] = []
        self.env = dict(os.environ)
        # Data, settings and backups go in the temporary folder, never the user's own.
        for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "LOCALAPPDATA",
                    "APPDATA"):
            self.env[var] = str(work / var.lower())
        self.env["QT_QPA_PLATFORM"] = "offscreen"
        self.env.pop("PYTHONPATH", None)  # the bundle must stand on its own

    def run(self, name: str, exe: str, *args: str) -> subprocess.CompletedProcess[str] | None:
        cmd = [str(self.bundle / exe), *args]
        start = time.monotonic()
        try:
            done = subprocess.run(
                cmd, cwd=self.work, env=self.env, capture_output=True, text=True,
                timeout=self.timeout, encoding="utf-8", errors="replace",
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            self.fail(name, f"{' '.join(cmd)}: {exc}")
            return None
        took = time.monotonic() - start
        if done.returncode != 0:
            self.fail(name, f"exit status {done.returncode}\n{done.stdout}\n{done.stderr}")
            return None
        print(f"ok   {name} ({took:.1f} s)", flush=True)
        return done

    def fail(self, name: str, why: str) -> None:
        self.failed.append(name)
        print(f"FAIL {name}: {why}", flush=True)

    def expect(self, name: str, ok: bool, why: str) -> None:
        if not ok:
            self.fail(name, why)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path, nargs="?", default=Path("dist") / "SENCO Desk")
    parser.add_argument("--timeout", type=float, default=300, help="seconds per step")
    args = parser.parse_args()
    bundle: Path = args.bundle.resolve()
    for exe in (CLI, GUI):
        if not (bundle / exe).is_file():
            print(f"FAIL {bundle / exe} does not exist: build the bundle first", flush=True)
            return 1

    with tempfile.TemporaryDirectory(prefix="sencodesk-smoke-") as tmp:
        work = Path(tmp)
        s = Smoke(bundle, work, args.timeout)
        db = str(work / "demo.db")

        done = s.run("--version", CLI, "--version")
        if done is not None:
            want = f"SENCO Desk {expected_version()}"
            s.expect("--version", want in done.stdout, f"no '{want}' in:\n{done.stdout}")
            s.expect("--version", "Qt " in done.stdout, f"no Qt version in:\n{done.stdout}")

        s.run("demo", CLI, "demo", "--db", db, "--pupils", "60", "--today", TODAY)

        done = s.run("check", CLI, "check", "--db", db)
        if done is not None:
            s.expect("check", done.stdout.strip().endswith("ok"), f"not ok:\n{done.stdout}")

        pack = work / "pack.pdf"
        s.run("report review-pack", CLI, "report", "review-pack", "--pupil", "1", "--out",
              str(pack), "--db", db)
        s.expect("report review-pack", pack.is_file() and pack.read_bytes()[:5] == b"%PDF-",
                 f"{pack} is not a PDF")

        # Word needs python-docx's template inside the bundle (PyInstaller's hook-docx).
        word = work / "pack.docx"
        s.run("report review-pack (Word)", CLI, "report", "review-pack", "--pupil", "1", "--out",
              str(word), "--db", db)
        s.expect("report review-pack (Word)", word.is_file() and word.read_bytes()[:2] == b"PK",
                 f"{word} is not a Word file")

        packs = work / "packs"
        s.run("report review-packs --merged", CLI, "report", "review-packs", "--from",
              "2025-09-01", "--to", "2026-08-31", "--out", str(packs), "--merged", "--db", db)
        pdfs = sorted(packs.glob("*.pdf")) if packs.is_dir() else []
        merged = [p for p in pdfs if p.name.startswith("review-packs_")]  # reports/batch.py
        s.expect("report review-packs --merged", len(pdfs) >= 2 and bool(merged),
                 f"expected packs and a merged file in {packs}, found {[p.name for p in pdfs]}")

        modules = work / "modules.txt"
        modules.write_text("\n".join(source_modules()), encoding="utf-8")
        s.env["SENCODESK_SELF_TEST_MODULES"] = str(modules)  # ui/selftest.py imports each
        s.run("windowed app --self-test", GUI, "--self-test")

    if s.failed:
        print(f"smoke test: {len(s.failed)} step(s) failed: {', '.join(s.failed)}", flush=True)
        return 1
    print("smoke test: ok", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
