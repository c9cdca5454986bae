"""Helpers shared by the data-safety cases of the hostile suite (files, modes, a school)."""

from __future__ import annotations

import datetime as dt
import os
import stat
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
