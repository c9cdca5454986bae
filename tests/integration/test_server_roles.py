"""Roles on a shared server: for each role, what the DATABASE lets a real login of that role
SELECT, INSERT, UPDATE and DELETE (not the app: every statement here is plain SQL sent on a
connection signed in as that person).

Roles belong to the whole PostgreSQL cluster, so each test's group roles and logins carry a
unique prefix and are dropped afterwards.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from sencodesk import commands
from sencodesk.model import AuditEntry
from sencodesk.server import admin, ddl
from sencodesk.store import open_store
from tests.integration.server_seed import PASSWORD, Server, _drop_roles, server_fixture

pytestmark = pytest.mark.pg
server = pytest.fixture(server_fixture, name="server")

DENIED = "denied"


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
        assert cli.run(["server", "users", "--url", pg_url]) == 0  # none yet: said so
        assert capsys.readouterr().out.startswith("No logins yet: only the owner can sign in.")
        assert cli.run(["server", "add-user", "--url", pg_url, login, "--role", "head"]) == 0
        assert cli.run(["server", "set-role", "--url", pg_url, login, "--role", "senco"]) == 0
        capsys.readouterr()
        assert cli.run(["server", "users", "--url", pg_url]) == 0
        assert f"{login}\tsenco\tschool 1" in capsys.readouterr().out
        assert cli.run(["server", "staff", "--url", pg_url]) == 0  # none yet: said so
        assert capsys.readouterr().out.startswith("No staff yet. Add them in the app")
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


def test_who_is_signed_in_and_what_the_window_offers_them(server: Server, store):
    from sencodesk.server.session import whoami

    assert whoami(store) is None  # an SQLite file: everything, as before
    owner = open_store(server.url)
    try:
        assert whoami(owner) is None  # the owner is not one of the app's users
    finally:
        owner.close()
    for who, role, pages in (
        ("amy", "lsa", ("pupils",)),
        ("bm", "business_manager", ("staff", "money")),
        (
            "senco",
            "senco",
            ("dashboard", "pupils", "staff", "money", "reviews", "records", "cover"),
        ),
    ):
        s = open_store(server.url_for(who))
        try:
            me = whoami(s)
        finally:
            s.close()
        assert me is not None
        assert (me.login, me.role, me.pages) == (server.logins[who], role, pages)
    assert me.role_label == "SENCO" and me.reports and not me.hidden_actions


def test_the_staff_ids_an_lsa_login_needs_are_listed(server: Server):
    staff = admin.list_staff(server.url)
    assert (server.ids["amy"], 1, "Amy Ash", "lsa_1to1") in staff


def test_an_owner_that_is_not_a_superuser_sets_up_and_manages_logins(pg_url):
    """As docs/server.md says to set it up: the owner has CREATEROLE and owns the database,
    and is no superuser (so row-level security applies to it too: its own policy lets it)."""
    from sqlalchemy.engine import make_url

    tag = uuid.uuid4().hex[:8]
    owner, prefix = f"own{tag}", f"o{tag}_"
    database = make_url(pg_url).database
    su = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with su.connect() as conn:
        conn.exec_driver_sql(f"CREATE ROLE {owner} LOGIN CREATEROLE PASSWORD '{PASSWORD}'")
        conn.exec_driver_sql(f'ALTER DATABASE "{database}" OWNER TO {owner}')
    url = make_url(pg_url).set(username=owner, password=PASSWORD)
    owner_url = url.render_as_string(hide_password=False)
    logins = [f"{prefix}amy", f"{prefix}sen"]
    try:
        admin.init_server(owner_url, prefix=prefix, school="Oakfield")
        store = open_store(owner_url)
        try:
            with store.session() as s:
                sid = commands.save_staff(
                    s, {"first_name": "Amy", "last_name": "Ash", "role": "lsa_1to1"}
                )
                for first in ("Ada", "Bo"):
                    pid = commands.save_pupil(
                        s,
                        {
                            "legal_first_name": first,
                            "legal_last_name": "Pupil",
                            "date_of_birth": dt.date(2016, 1, 1),
                        },
                    )
                commands.save_assignment(
                    s,
                    {
                        "staff_id": sid,
                        "pupil_id": pid,
                        "weekly_minutes": 60,
                        "start_date": dt.date(2024, 9, 1),
                    },
                )
        finally:
            store.close()
        admin.add_user(owner_url, logins[0], "lsa", PASSWORD, staff_id=sid)
        admin.add_user(owner_url, logins[1], "senco", PASSWORD)
        for login, pupils in zip(logins, ({pid}, None), strict=True):
            u = make_url(pg_url).set(username=login, password=PASSWORD)
            got = attempt(u.render_as_string(hide_password=False), "SELECT id FROM pupil")
            assert got == pupils if pupils else len(got) == 2
        u = make_url(pg_url).set(username=logins[0], password=PASSWORD)
        amy = create_engine(u.render_as_string(hide_password=False))
        open_conn = amy.connect()
        assert open_conn.execute(text("SELECT count(*) FROM pupil")).scalar_one() == 1
        open_conn.commit()
        admin.remove_user(owner_url, logins[0])  # no pg_signal_backend: cannot end it, but
        with pytest.raises(DBAPIError) as err:  # the connection it left has no access
            open_conn.execute(text("SELECT count(*) FROM pupil")).all()
        assert getattr(err.value.orig, "sqlstate", "") in ("42501", "57P01")
        open_conn.close()
        amy.dispose()
        assert [u.active for u in admin.list_users(owner_url)] == [True, False]
    finally:
        with su.connect() as conn:
            conn.exec_driver_sql(f'ALTER DATABASE "{database}" OWNER TO CURRENT_USER')
        su.dispose()
        groups = [ddl.group_role(prefix, r) for r in ddl.ROLES]
        _drop_roles(pg_url, [*logins, *groups, owner])


def test_every_role_runs_the_alerts_command_on_what_it_may_read(server: Server, capsys):
    """The facts skip a table a login may not read: an LSA (no contracts, no funding) gets
    its alerts, not 'permission denied for table contract' and a traceback."""
    from sencodesk import cli

    for who in ("amy", "bm", "head", "senco"):
        code = cli.run(["alerts", "--db", server.url_for(who), "--today", "2025-11-03"])
        captured = capsys.readouterr()
        assert code == 0, (who, captured.err)
        assert "permission denied" not in captured.err
