"""A SENCO manages their own school's users, signed in as themselves: the database's team
functions let them add, move and remove logins in their school only, never give the
trust-wide role, and refuse every other role."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from sencodesk.errors import KnownError, ValidationError
from sencodesk.server import team
from sencodesk.store import open_store
from tests.integration.server_seed import PASSWORD, Server, server_fixture

pytestmark = pytest.mark.pg
server = pytest.fixture(server_fixture, name="server")


def _as(server: Server, who: str):
    return open_store(server.url_for(who), user=server.logins[who], migrate=False)


def _can_sign_in(server: Server, login: str, password: str) -> bool:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import OperationalError

    url = make_url(server.url).set(username=login, password=password)
    eng = create_engine(url)
    try:
        with eng.connect() as conn:
            return conn.execute(text("SELECT sencodesk_role()")).scalar() is not None
    except OperationalError:
        return False
    finally:
        eng.dispose()


def test_a_senco_adds_moves_and_removes_a_user_of_their_school(server: Server) -> None:
    new = server.prefix + "u_cat"
    store = _as(server, "senco")
    try:
        with store.read() as s:
            before = {u.login: u for u in team.school_users(s)}
        assert set(before) == {
            server.logins[w] for w in ("senco", "amy", "bm", "head", "trust")
        }  # not school 2's SENCO
        assert before[server.logins["amy"]].staff_name == "Amy Ash"
        with store.session() as s:
            team.add_school_user(s, new, "lsa", PASSWORD, server.ids["ben"])
        assert _can_sign_in(server, new, PASSWORD)
        with store.read() as s:
            cat = {u.login: u for u in team.school_users(s)}[new]
        assert (cat.role, cat.staff_name, cat.active) == ("lsa", "Ben Birch", True)
        with store.session() as s:
            team.set_school_user_role(s, new, "head")
        eng = create_engine(server.url)
        with eng.connect() as conn:
            assert conn.execute(
                text("SELECT pg_has_role(:l, :g, 'MEMBER'), pg_has_role(:l, :o, 'MEMBER')"),
                {"l": new, "g": server.prefix + "head", "o": server.prefix + "lsa"},
            ).one() == (True, False)
        eng.dispose()
        with store.session() as s:
            team.remove_school_user(s, new)
        assert not _can_sign_in(server, new, PASSWORD)
        with store.read() as s:
            gone = {u.login: u for u in team.school_users(s)}[new]
        assert not gone.active and gone.removed_at is not None
    finally:
        store.close()
        from tests.integration.server_seed import _drop_roles

        _drop_roles(server.url, [new])


def test_what_a_senco_may_not_do_to_users_is_refused_by_the_database(server: Server) -> None:
    store = _as(server, "senco")
    try:
        cases = [
            # the trust-wide role, another school's user, themselves, a trust lead
            ("SELECT sencodesk_team_add(:l, 'trust_lead', :v, NULL)", "may give the roles"),
            ("SELECT sencodesk_team_remove(:o)", "is not a user of your school"),
            ("SELECT sencodesk_team_remove(:me)", "your own login"),
            ("SELECT sencodesk_team_set_role(:t, 'senco', NULL)", "trust SEND lead"),
            # a password in clear, an LSA without a staff row, another school's staff row
            ("SELECT sencodesk_team_add(:l, 'head', 'clear password', NULL)", "SCRAM"),
            ("SELECT sencodesk_team_add(:l, 'lsa', :v, NULL)", "staff row"),
            ("SELECT sencodesk_team_add(:l, 'lsa', :v, 999999)", "no member of staff"),
        ]
        for sql, words in cases:
            with store.session() as s:
                verifier = team.scram_verifier(s.connection(), "x", PASSWORD)
                with pytest.raises(KnownError, match=words):
                    team._call(
                        s,
                        sql,
                        {
                            "l": server.prefix + "u_new",
                            "v": verifier,
                            "o": server.logins["senco2"],
                            "me": server.logins["senco"],
                            "t": server.logins["trust"],
                        },
                    )
    finally:
        store.close()
    # Every other role is refused the functions themselves.
    for who in ("amy", "bm", "head", "trust"):
        eng = create_engine(server.url_for(who))
        with eng.connect() as conn, pytest.raises(Exception, match="permission denied"):
            conn.execute(text("SELECT * FROM sencodesk_team()")).all()
        eng.dispose()


def test_bad_values_are_named_before_anything_is_sent(server: Server) -> None:
    store = _as(server, "senco")
    try:
        with store.session() as s, pytest.raises(ValidationError) as err:
            team.add_school_user(s, "Bad Name", "trust_lead", "short", None)
        assert set(err.value.errors) == {"login", "role", "password"}
        with store.session() as s, pytest.raises(ValidationError) as err:
            team.add_school_user(s, server.prefix + "u_dan", "lsa", PASSWORD, None)
        assert set(err.value.errors) == {"staff"}
    finally:
        store.close()


def test_a_school_of_a_trust_sees_its_own_settings_and_mis_rows(server: Server) -> None:
    """get_school is the login's school (not school 1); the MIS tables belong to a school
    and each login reads and writes only its own school's."""
    from sencodesk import commands
    from sencodesk.mis.sheet import save_mapping, saved_mappings
    from sencodesk.queries.school import get_school

    for who, name in (("senco", "Oakfield Primary"), ("senco2", "Birch Academy")):
        store = _as(server, who)
        try:
            with store.read() as s:
                assert get_school(s).name == name
            with store.session() as s:
                commands.save_school(s, {"name": name + " School", "retention_years": 25})
                save_mapping(s, "Termly export", "pupils", {"upn": "UPN"})
            with store.read() as s:
                assert get_school(s).name == name + " School"
                assert [m.name for m in saved_mappings(s)] == ["Termly export"]
        finally:
            store.close()
    eng = create_engine(server.url)
    with eng.connect() as conn:
        assert conn.execute(text("SELECT id, name FROM school ORDER BY id")).all() == [
            (1, "Oakfield Primary School"),
            (2, "Birch Academy School"),
        ]
        assert conn.execute(
            text("SELECT school_id FROM mis_mapping ORDER BY school_id")
        ).scalars().all() == [1, 2]
    eng.dispose()


def test_a_senco_on_a_server_is_told_why_they_cannot_erase_and_nothing_goes(
    server: Server,
) -> None:
    from sencodesk.safety.retention import ERASE_ON_SERVER, erase_pupil

    store = _as(server, "senco")
    try:
        with store.session() as s, pytest.raises(KnownError) as err:
            erase_pupil(s, server.ids["p1"], "Past retention", confirm_upn_or_name="Ada Pupil")
        assert str(err.value) == ERASE_ON_SERVER
        with store.read() as s:
            assert s.scalar(
                text("SELECT count(*) FROM pupil WHERE id = :p"), {"p": server.ids["p1"]}
            )
    finally:
        store.close()
    owner = open_store(server.url, user="owner", migrate=False)
    try:
        with owner.session() as s:
            erase_pupil(
                s, server.ids["p1"], "Past retention", confirm_upn_or_name="Ada Pupil", force=True
            )
        with owner.read() as s:
            assert not s.scalar(
                text("SELECT count(*) FROM pupil WHERE id = :p"), {"p": server.ids["p1"]}
            )
    finally:
        owner.close()


def test_one_field_saves_by_roles_that_may_not_read_the_history(server: Server) -> None:
    """A business manager's one-field contract edit and an LSA's one-field correction of
    their own record each write one history entry, which they may add but not read."""
    from sencodesk import commands
    from sencodesk.model import Contract, Record

    for who, model, row, values in (
        ("bm", Contract, server.ids["c1"], {"job_title": "Senior LSA"}),
        ("amy", Record, server.ids["r_amy"], {"text": "Turn-taking, with a timer"}),
    ):
        store = _as(server, who)
        try:
            with store.read() as s:
                version = s.get(model, row).version
            with store.session() as s:
                save = commands.save_contract if model is Contract else commands.save_record
                save(s, {**values, "version": version}, row)
        finally:
            store.close()
    eng = create_engine(server.url)
    with eng.connect() as conn:
        who = conn.execute(
            text(
                'SELECT table_name, field, "user" FROM audit_entry '
                "WHERE field IN ('job_title', 'text') AND action = 'update' ORDER BY id"
            )
        ).all()
    eng.dispose()
    assert who == [
        ("contract", "job_title", server.logins["bm"]),
        ("record", "text", server.logins["amy"]),
    ]
