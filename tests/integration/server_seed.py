"""A PostgreSQL server set up for tests: roles with a unique prefix (roles belong to the whole
cluster, so each test's are its own and are dropped afterwards), two schools, and a login for
each role."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from sencodesk import commands
from sencodesk.rules.pay import WorkDay
from sencodesk.server import admin, ddl
from sencodesk.store import open_store

PASSWORD = "correct horse battery"
D = dt.date


@dataclass
class Server:
    url: str
    prefix: str
    ids: dict[str, int] = field(default_factory=dict)
    logins: dict[str, str] = field(default_factory=dict)

    def url_for(self, who: str) -> str:
        u = make_url(self.url).set(username=self.logins[who], password=PASSWORD)
        return u.render_as_string(hide_password=False)


def _drop_roles(url: str, names: list[str]) -> None:
    eng = create_engine(url, isolation_level="AUTOCOMMIT")
    with eng.connect() as conn:
        for name in names:
            exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name})
            if exists.first() is None:
                continue
            conn.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = :n"),
                {"n": name},
            )
            conn.exec_driver_sql(f"DROP OWNED BY {ddl.quote(name)}")
            conn.exec_driver_sql(f"DROP ROLE {ddl.quote(name)}")
    eng.dispose()


def _seed(url: str) -> dict[str, int]:
    """Two schools. School 1: LSAs Amy (assigned to pupil P1) and Ben (to P2), a contract, a
    funding line, records by each. School 2: pupil P3."""
    store = open_store(url, user="owner")
    ids: dict[str, int] = {}
    try:
        with store.session() as s:
            commands.save_school(s, {"name": "Oakfield Primary"})
            ids["amy"] = commands.save_staff(
                s, {"first_name": "Amy", "last_name": "Ash", "role": "lsa_1to1"}
            )
            ids["ben"] = commands.save_staff(
                s, {"first_name": "Ben", "last_name": "Birch", "role": "lsa_1to1"}
            )
            for key, first in (("p1", "Ada"), ("p2", "Bo"), ("p3", "Cy")):
                ids[key] = commands.save_pupil(
                    s,
                    {
                        "legal_first_name": first,
                        "legal_last_name": "Pupil",
                        "date_of_birth": D(2016, 1, 1),
                        "medical_needs": "Asthma",
                        "ehcp_weekly_minutes": 900,
                    },
                )
            for staff, pupil in (("amy", "p1"), ("ben", "p2")):
                commands.save_assignment(
                    s,
                    {
                        "staff_id": ids[staff],
                        "pupil_id": ids[pupil],
                        "weekly_minutes": 600,
                        "start_date": D(2024, 9, 1),
                    },
                )
            ids["o1"] = commands.save_outcome(
                s,
                {
                    "pupil_id": ids["p1"],
                    "area": "communication",
                    "text": "Asks for help",
                    "set_date": D(2025, 9, 1),
                },
            )
            for key, staff, pupil in (("r_amy", "amy", "p1"), ("r_ben", "ben", "p2")):
                ids[key] = commands.save_record(
                    s,
                    {
                        "pupil_id": ids[pupil],
                        "author_id": ids[staff],
                        "occurred_at": dt.datetime(2025, 10, 1, 10),
                        "kind": "support",
                        "text": "Worked on turn-taking",
                    },
                )
            ids["f1"] = commands.save_funding(
                s,
                {
                    "pupil_id": ids["p1"],
                    "source": "top_up",
                    "amount_per_year": "12000",
                    "start_date": D(2025, 9, 1),
                },
            )
            ids["c1"] = commands.save_contract(
                s,
                {
                    "staff_id": ids["amy"],
                    "kind": "permanent",
                    "start_date": D(2024, 9, 1),
                    "fte_salary": "24000",
                    "days": [WorkDay(d, dt.time(9), dt.time(15), 30) for d in range(5)],
                },
            )
        assert admin.add_school(url, "Birch Academy") == 2
        with store.engine.begin() as conn:  # the owner moves P3 to school 2
            conn.execute(text("UPDATE pupil SET school_id = 2 WHERE id = :p"), {"p": ids["p3"]})
    finally:
        store.close()
    return ids


def server_fixture(pg_url: str) -> Iterator[Server]:
    """The ``server`` fixture (each module: ``server = pytest.fixture(server_fixture, ...)``)."""
    prefix = "t" + uuid.uuid4().hex[:8] + "_"
    srv = Server(pg_url, prefix)
    groups = [ddl.group_role(prefix, r) for r in ddl.ROLES]
    try:
        admin.init_server(pg_url, prefix=prefix)
        srv.ids = _seed(pg_url)
        for who, role, school, staff in (
            ("senco", "senco", 1, None),
            ("amy", "lsa", 1, srv.ids["amy"]),
            ("bm", "business_manager", 1, None),
            ("head", "head", 1, None),
            ("trust", "trust_lead", 1, None),
            ("senco2", "senco", 2, None),
        ):
            login = f"{prefix}u_{who}"
            srv.logins[who] = login
            admin.add_user(pg_url, login, role, PASSWORD, school_id=school, staff_id=staff)
        yield srv
    finally:
        _drop_roles(pg_url, [*srv.logins.values(), *groups])
