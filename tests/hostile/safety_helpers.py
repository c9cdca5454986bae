"""Helpers shared by the data-safety cases of the hostile suite (files, modes, a school)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import select

from sencodesk import commands
from sencodesk.model import Pupil

ROOT = Path(__file__).resolve().parents[2]


def add_pupil(store: Any, last: str = "Okafor", first: str = "Ada", **extra: Any) -> int:
    with store.session() as s:
        return commands.save_pupil(
            s,
            {
                "legal_first_name": first,
                "legal_last_name": last,
                "date_of_birth": dt.date(2016, 2, 29),
                **extra,
            },
        )


def names(store: Any) -> list[str]:
    with store.read() as s:
        return sorted(s.scalars(select(Pupil.legal_last_name)))


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def child_env(**extra: str) -> dict[str, str]:
    """The environment for a child ``python main.py`` (the repository importable)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SENCODESK_PASSPHRASE")}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


@contextlib.contextmanager
def small_disk(folder: Path, size: str = "1m") -> Iterator[Path]:
    """A real, small filesystem (tmpfs) at ``folder``: a disk that fills up. Needs root on
    Linux (as CI runs); skipped elsewhere."""
    import pytest

    if sys.platform != "linux" or os.geteuid() != 0:
        pytest.skip("a small disk needs root on Linux (mount -t tmpfs)")
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill_disk(folder: Path) -> None:
    """Fill the filesystem of ``folder`` to the last block."""
    with (folder / "filler").open("wb", buffering=0) as f:
        try:
            while True:
                f.write(b"\0" * 4096)
        except OSError:
            pass
