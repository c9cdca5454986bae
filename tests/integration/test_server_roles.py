"""Roles on a shared server: for each role, what the DATABASE lets a real login of that role
SELECT, INSERT, UPDATE and DELETE (not the app: every statement here is plain SQL sent on a
connection signed in as that person).

Roles belong to the whole PostgreSQL cluster, so each test's group roles and logins carry a
unique prefix and are dropped afterwards.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from sencodesk import commands
from sencodesk.model import AuditEntry
from sencodesk.rules.pay import WorkDay
from sencodesk.server import admin, ddl
from sencodesk.store import open_store

pytestmark = pytest.mark.pg

PASSWORD = "correct horse battery"
D = dt.date
DENIED = "denied"


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


@pytest.fixture
def server(pg_url: str) -> Iterator[Server]:
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


def attempt(url: str, sql: str, **params: object) -> object:
    """Run one statement as that login, then roll back: DENIED if the database refuses it,
    else the set of ids it returned (SELECT ... / RETURNING id)."""
    eng = create_engine(url)
    try:
        with eng.connect() as conn:
            try:
                rows = conn.execute(text(sql), params).all()
            except DBAPIError as exc:
                sqlstate = getattr(exc.orig, "sqlstate", "")
                # 42501 insufficient privilege (also "new row violates row-level security")
                assert sqlstate == "42501", exc
                return DENIED
            finally:
                conn.rollback()
            return {r[0] for r in rows}
    finally:
        eng.dispose()


def test_what_each_role_may_do_is_enforced_by_the_database(server: Server) -> None:
    i = server.ids
    all_school_1 = {i["p1"], i["p2"]}
    new_record = (
        "INSERT INTO record (pupil_id, author_id, occurred_at, kind, text, minutes, "
        "antecedent, behaviour, consequence, deescalation, physical_intervention, injury, "
        "parents_informed) VALUES (:p, :a, now(), 'support', 'x', 10, '', '', '', '', false, "
        "'', false) RETURNING id"
    )
    sel = "SELECT id FROM {t}"
    upd = "UPDATE {t} SET version = version WHERE id = :id RETURNING id"
    dele = "DELETE FROM {t} WHERE id = :id RETURNING id"
    # (who, sql, params, expected): expected is DENIED, or the ids the statement touched
    table = [
        # SENCO: everything in their own school, nothing in another
        ("senco", sel.format(t="pupil"), {}, all_school_1),
        ("senco", sel.format(t="contract"), {}, {i["c1"]}),
        ("senco", sel.format(t="funding"), {}, {i["f1"]}),
        ("senco", sel.format(t="record"), {}, {i["r_amy"], i["r_ben"]}),
        ("senco", upd.format(t="pupil"), {"id": i["p1"]}, {i["p1"]}),
        ("senco", upd.format(t="pupil"), {"id": i["p3"]}, set()),
        ("senco", dele.format(t="record"), {"id": i["r_ben"]}, {i["r_ben"]}),
        ("senco", new_record, {"p": i["p1"], "a": i["ben"]}, "inserted"),
        (
            "senco",
            "INSERT INTO pupil (legal_first_name, legal_last_name, preferred_name, "
            "date_of_birth, class_name, sen_code, review_interval_months, medical_needs, "
            "personal_care, behaviour_plan, archived, retention_hold, retention_hold_reason, "
            "school_id) VALUES ('X', 'Y', '', '2016-01-01', '', 'N', 12, '', false, false, "
            "false, false, '', 2) RETURNING id",
            {},
            DENIED,
        ),
        ("senco2", sel.format(t="pupil"), {}, {i["p3"]}),
        # LSA: only the pupils assigned to them, their own records; no pay, no funding
        ("amy", sel.format(t="pupil"), {}, {i["p1"]}),
        ("amy", sel.format(t="outcome"), {}, {i["o1"]}),
        ("amy", sel.format(t="record"), {}, {i["r_amy"]}),
        ("amy", sel.format(t="staff"), {}, {i["amy"]}),
        ("amy", sel.format(t="contract"), {}, DENIED),
        ("amy", sel.format(t="contract_day"), {}, DENIED),
        ("amy", sel.format(t="funding"), {}, DENIED),
        ("amy", sel.format(t="dbs_check"), {}, DENIED),
        ("amy", new_record, {"p": i["p1"], "a": i["amy"]}, "inserted"),
        ("amy", new_record, {"p": i["p2"], "a": i["amy"]}, DENIED),  # not their pupil
        ("amy", new_record, {"p": i["p1"], "a": i["ben"]}, DENIED),  # in Ben's name
        ("amy", upd.format(t="record"), {"id": i["r_amy"]}, {i["r_amy"]}),
        ("amy", upd.format(t="record"), {"id": i["r_ben"]}, set()),
        ("amy", dele.format(t="record"), {"id": i["r_amy"]}, DENIED),
        ("amy", upd.format(t="pupil"), {"id": i["p1"]}, DENIED),
        # Business manager: staff, contracts, pay, funding; pupils' names and funded hours
        ("bm", sel.format(t="contract"), {}, {i["c1"]}),
        ("bm", sel.format(t="funding"), {}, {i["f1"]}),
        ("bm", "SELECT id, legal_last_name, ehcp_weekly_minutes FROM pupil", {}, all_school_1),
        ("bm", "SELECT id, medical_needs FROM pupil", {}, DENIED),
        ("bm", sel.format(t="record"), {}, DENIED),
        ("bm", sel.format(t="outcome"), {}, DENIED),
        ("bm", upd.format(t="contract"), {"id": i["c1"]}, {i["c1"]}),
        ("bm", upd.format(t="pupil"), {"id": i["p1"]}, DENIED),
        # Head: reads the whole school, changes nothing
        ("head", sel.format(t="record"), {}, {i["r_amy"], i["r_ben"]}),
        ("head", sel.format(t="contract"), {}, {i["c1"]}),
        ("head", sel.format(t="pupil"), {}, all_school_1),
        ("head", upd.format(t="pupil"), {"id": i["p1"]}, DENIED),
        ("head", new_record, {"p": i["p1"], "a": i["amy"]}, DENIED),
        ("head", dele.format(t="record"), {"id": i["r_amy"]}, DENIED),
        # Trust lead: reads every school, changes nothing
        ("trust", sel.format(t="pupil"), {}, {i["p1"], i["p2"], i["p3"]}),
        ("trust", upd.format(t="contract"), {"id": i["c1"]}, DENIED),
        ("trust", new_record, {"p": i["p1"], "a": i["amy"]}, DENIED),
    ]
    # The audit trail: nobody but the owner rewrites it
    for who in ("senco", "amy", "bm", "head", "trust"):
        table.append((who, "UPDATE audit_entry SET reason = 'x' RETURNING id", {}, DENIED))
        table.append((who, "DELETE FROM audit_entry RETURNING id", {}, DENIED))
    wrong = []
    for who, sql, params, expected in table:
        got = attempt(server.url_for(who), sql, **params)
        inserted = isinstance(got, set) and len(got) == 1
        ok = inserted if expected == "inserted" else got == expected
        if not ok:
            wrong.append(f"{who}: {sql} {params} -> {got!r}, expected {expected!r}")
    assert not wrong, "\n".join(wrong)


def test_the_app_works_as_an_lsa_and_the_audit_says_who_the_database_says(server: Server):
    i = server.ids
    store = open_store(server.url_for("amy"), user="someone else")  # the app's own "user"
    try:
        with store.session() as s:
            rid = commands.save_record(
                s,
                {
                    "pupil_id": i["p1"],
                    "author_id": i["amy"],
                    "occurred_at": dt.datetime(2025, 11, 3, 9),
                    "kind": "incident",
                    "behaviour": "Threw a chair",
                },
            )
    finally:
        store.close()
    owner = open_store(server.url, user="owner")
    try:
        with owner.read() as s:
            users = set(
                s.scalars(
                    text(
                        "SELECT DISTINCT \"user\" FROM audit_entry WHERE table_name = 'record' "
                        "AND row_id = :r"
                    ).bindparams(r=rid)
                )
            )
            assert users == {server.logins["amy"]}
            assert s.get(AuditEntry, 1) is not None
    finally:
        owner.close()


def test_passwords_are_stored_as_scram_verifiers(server: Server):
    eng = create_engine(server.url)
    with eng.connect() as conn:
        stored = conn.execute(
            text("SELECT rolpassword FROM pg_authid WHERE rolname = :l"),
            {"l": server.logins["amy"]},
        ).scalar_one()
    eng.dispose()
    assert stored.startswith("SCRAM-SHA-256$") and PASSWORD not in stored


def test_a_removed_user_loses_access_at_once_and_their_history_stays(server: Server):
    amy = create_engine(server.url_for("amy"))
    conn = amy.connect()
    assert conn.execute(text("SELECT count(*) FROM record")).scalar_one() == 1
    conn.commit()
    admin.remove_user(server.url, server.logins["amy"])
    with pytest.raises(DBAPIError):  # the open connection was ended
        conn.execute(text("SELECT count(*) FROM record")).all()
    conn.close()
    amy.dispose()
    with pytest.raises(DBAPIError):  # and no new one is let in
        create_engine(server.url_for("amy")).connect()
    users = {u.login: u for u in admin.list_users(server.url)}
    assert users[server.logins["amy"]].active is False
    eng = create_engine(server.url)
    with eng.connect() as conn2:
        rows = conn2.execute(text("SELECT count(*) FROM record")).scalar_one()
    eng.dispose()
    assert rows == 2  # Amy's record stays


def test_set_role_changes_what_the_database_allows(server: Server):
    assert attempt(server.url_for("head"), "SELECT id FROM contract") == {server.ids["c1"]}
    admin.set_role(server.url, server.logins["head"], "lsa")
    assert attempt(server.url_for("head"), "SELECT id FROM contract") == DENIED


def test_bad_input_is_named_and_changes_nothing(server: Server):
    from sencodesk.errors import ValidationError

    with pytest.raises(ValidationError) as err:
        admin.add_user(server.url, "Bad Name", "senco", PASSWORD)
    assert "login" in err.value.errors
    with pytest.raises(ValidationError) as err:
        admin.add_user(server.url, f"{server.prefix}x", "janitor", PASSWORD)
    assert "role" in err.value.errors
    with pytest.raises(ValidationError) as err:
        admin.add_user(server.url, f"{server.prefix}y", "senco", "short")
    assert "password" in err.value.errors
    with pytest.raises(ValidationError) as err:
        admin.add_user(server.url, f"{server.prefix}z", "lsa", PASSWORD)
    assert "staff" in err.value.errors
    assert {u.login for u in admin.list_users(server.url)} == set(server.logins.values())


def test_an_everyday_login_cannot_upgrade_and_is_told_who_can(server: Server):
    from sencodesk.errors import DatabaseError

    eng = create_engine(server.url)
    with eng.begin() as conn:  # as if the database were from the version before
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    eng.dispose()
    with pytest.raises(DatabaseError, match="only its owner may upgrade it"):
        open_store(server.url_for("senco"))


def test_the_command_line_sets_up_a_server_and_its_users(pg_url, monkeypatch, capsys):
    from sencodesk import cli

    prefix = "c" + uuid.uuid4().hex[:8] + "_"
    login = f"{prefix}jsmith"
    groups = [ddl.group_role(prefix, r) for r in ddl.ROLES]
    try:
        monkeypatch.setenv("SENCODESK_NEW_PASSWORD", PASSWORD)
        assert cli.run(["server", "add-user", "--url", pg_url, login, "--role", "head"]) == 2
        assert "not set up as a SENCO Desk server" in capsys.readouterr().err
        init = ["server", "init", "--url", pg_url, "--prefix", prefix, "--school", "Oakfield"]
        assert cli.run(init) == 0
        assert f"{prefix}senco" in capsys.readouterr().out
        assert cli.run(["server", "add-user", "--url", pg_url, login, "--role", "head"]) == 0
        assert cli.run(["server", "set-role", "--url", pg_url, login, "--role", "senco"]) == 0
        capsys.readouterr()
        assert cli.run(["server", "users", "--url", pg_url]) == 0
        assert f"{login}\tsenco\tschool 1" in capsys.readouterr().out
        assert cli.run(["server", "remove-user", "--url", pg_url, login]) == 0
        capsys.readouterr()
        assert cli.run(["server", "users", "--url", pg_url]) == 0
        assert "(removed)" in capsys.readouterr().out
        # a second init (after an upgrade) is safe; another prefix is refused
        assert cli.run(["server", "init", "--url", pg_url, "--prefix", prefix]) == 0
        assert cli.run(["server", "init", "--url", pg_url]) == 2
        assert "role prefix" in capsys.readouterr().err
        monkeypatch.setenv("SENCODESK_NEW_PASSWORD", "short")
        assert cli.run(["server", "add-user", "--url", pg_url, "x" + login, "--role", "head"]) == 2
        assert "password" in capsys.readouterr().err
    finally:
        _drop_roles(pg_url, [login, "x" + login, *groups])
