"""Changes seen live: PostgreSQL's LISTEN/NOTIFY tells every open app what changed.

A statement-level trigger on each table (``TRIGGERS``, applied by ``server init``) sends the
table's name on the channel ``sencodesk_changes`` when a write commits (PostgreSQL delivers a
notification only at commit, once per distinct payload per transaction, and never to a
rolled-back one). ``Listener`` holds its own connection (never one of the pool's), waits for
notifications and answers with the app's change kinds (``KINDS``), which the GUI's pages
already refresh on after the app's own writes. The payload is a table name: nothing about a
row, so a login learns only that something changed, not what.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy.engine import make_url

CHANNEL = "sencodesk_changes"

# table -> the app's change kind (``ui`` pages' WATCHES)
KINDS = {
    "pupil": "pupil",
    "outcome": "outcome",
    "outcome_status_change": "outcome",
    "record": "record",
    "funding": "funding",
    "assignment": "assignment",
    "review_meeting": "review",
    "review_invitee": "review",
    "review_advice": "review",
    "review_amendment": "review",
    "staff": "staff",
    "qualification": "qualification",
    "training": "training",
    "dbs_check": "dbs",
    "contract": "contract",
    "contract_day": "contract",
    "school": "school",
    "local_authority": "school",
    "term_date": "school",
}

TRIGGERS = f"""
CREATE OR REPLACE FUNCTION sencodesk_notify() RETURNS trigger
    LANGUAGE plpgsql AS
$$ BEGIN PERFORM pg_notify('{CHANNEL}', TG_TABLE_NAME); RETURN NULL; END $$;
""" + "".join(
    f"DROP TRIGGER IF EXISTS notify_change ON {t};\n"
    f"CREATE TRIGGER notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {t}\n"
    "    FOR EACH STATEMENT EXECUTE FUNCTION sencodesk_notify();\n"
    for t in KINDS
)


def connect_args(url: str) -> dict[str, Any]:
    """psycopg's keyword arguments for an SQLAlchemy URL (postgresql+psycopg://…)."""
    u = make_url(url)
    args: dict[str, Any] = {
        k: v
        for k, v in {
            "host": u.host,
            "port": u.port,
            "dbname": u.database,
            "user": u.username,
            "password": u.password,
        }.items()
        if v is not None
    }
    args.update({k: v for k, v in u.query.items() if isinstance(v, str)})  # sslmode=…
    return args


class Listener:
    """One connection that LISTENs; ``wait`` returns the kinds changed since the last call."""

    def __init__(self, url: str) -> None:
        import psycopg

        self.conn: Any = psycopg.connect(**connect_args(url), autocommit=True)
        self.conn.execute(f"LISTEN {CHANNEL}")

    def wait(self, timeout: float) -> set[str]:
        """Block up to ``timeout`` seconds for the first notification, then take whatever
        else has arrived with it; returns the change kinds (empty on a quiet timeout)."""
        kinds: set[str] = set()
        deadline = time.monotonic() + timeout
        for note in self.conn.notifies(timeout=timeout, stop_after=1):
            kinds.add(KINDS.get(note.payload, note.payload))
        if kinds:  # drain what came together (a save touches several tables)
            remaining = max(0.0, min(0.05, deadline - time.monotonic()))
            for note in self.conn.notifies(timeout=remaining):
                kinds.add(KINDS.get(note.payload, note.payload))
        return kinds

    def close(self) -> None:
        self.conn.close()
