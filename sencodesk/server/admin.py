"""Setting up a shared PostgreSQL server: the schema, the roles, the people who sign in.

Everything here runs as the database's owner (the login that created it; never the app's
everyday login). ``init_server`` creates or upgrades the schema and applies ``ddl`` (roles,
privileges, row-level security): run it again after installing a new version. ``add_user``
creates a PostgreSQL login for one person (the password is turned into a SCRAM verifier on
this computer, so the server never sees or logs it in clear), grants it one group role and
maps it to a school and, optionally, a staff row. ``remove_user`` takes the login away at
once (and ends its open connections) but keeps the name, so the audit trail still says who.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url

from ..errors import KnownError, ValidationError
from . import ddl

log = logging.getLogger(__name__)

LOGIN_RE = re.compile(r"^[a-z][a-z0-9_.\-]{1,62}$")
PREFIX_RE = re.compile(r"^[a-z0-9_]{0,20}$")
MIN_PASSWORD = 12


@dataclass(frozen=True)
class UserRow:
    login: str
    role: str
    school_id: int
    staff_id: int | None
    active: bool


def _engine(url: str, *, migrate: bool = False) -> Any:
    """The database as its owner (``migrate``: create or upgrade the schema; only ``init``)."""
    from ..store import open_store

    if make_url(url).get_backend_name() != "postgresql":
        raise KnownError("A SENCO Desk server is a PostgreSQL database (postgresql+psycopg://…).")
    return open_store(url, user="server setup", migrate=migrate)


def init_server(url: str, *, prefix: str = "", school: str = "") -> list[str]:
    """Create or upgrade the schema and apply the roles and policies. Returns the group
    roles. ``prefix`` keeps the group roles of this database apart from another SENCO Desk
    database's on the same PostgreSQL cluster (roles belong to the whole cluster)."""
    if not PREFIX_RE.match(prefix):
        raise ValidationError({"prefix": "lower-case letters, digits and _ (at most 20)"})
    store = _engine(url, migrate=True)
    try:
        with store.engine.begin() as conn:
            owner, database = conn.execute(text("SELECT current_user, current_database()")).one()
            existing = _setting(conn, "role_prefix")
            if existing is not None and existing != prefix:
                raise KnownError(
                    f"This database was set up with the role prefix {existing!r}; "
                    f"use --prefix {existing!r}."
                )
            raw = conn.connection.driver_connection
            for sql in ddl.statements(prefix, owner, database):
                raw.execute(sql)  # no parameters: '%' is format()'s
            for key, value in (("role_prefix", prefix), (ddl.POLICY_KEY, ddl.policy_version())):
                conn.execute(
                    text(
                        "INSERT INTO app_setting (key, value) VALUES (:k, :v) "
                        "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
                    ),
                    {"k": key, "v": value},
                )
        if school.strip():
            from .. import commands
            from ..model import School

            with store.session() as s:
                if s.get(School, 1) is None:
                    commands.save_school(s, {"name": school})
    finally:
        store.close()
    return [ddl.group_role(prefix, r) for r in ddl.ROLES]


def add_school(url: str, name: str) -> int:
    """Another school in a trust's database (the first is set up by the app: id 1)."""
    from sqlalchemy import func, select

    from ..model import School

    name = name.strip()
    if not name or len(name) > 200:
        raise ValidationError({"name": "is required (at most 200 characters)"})
    store = _engine(url)
    try:
        with store.session() as s:
            if s.scalar(select(School.id).where(func.lower(School.name) == name.lower())):
                raise ValidationError({"name": f"{name} is already a school here"})
            new_id = (s.scalar(select(func.max(School.id))) or 0) + 1
            s.add(School(id=new_id, name=name))
            s.flush()
            return new_id
    finally:
        store.close()


def _setting(conn: Connection, key: str) -> str | None:
    exists = conn.execute(text("SELECT to_regclass('app_setting') IS NOT NULL")).scalar()
    if not exists:
        return None
    return conn.execute(text("SELECT value FROM app_setting WHERE key = :k"), {"k": key}).scalar()


def _prefix(conn: Connection) -> str:
    p = _setting(conn, "role_prefix")
    if p is None:
        raise KnownError(
            "This database is not set up as a SENCO Desk server yet: run "
            "python main.py server init --url … first."
        )
    return p


def _check_role(role: str) -> None:
    if role not in ddl.ROLES:
        raise ValidationError({"role": f"must be one of {', '.join(ddl.ROLES)} (not {role!r})"})


def _check_login(login: str, prefix: str) -> None:
    if not LOGIN_RE.match(login):
        raise ValidationError(
            {
                "login": "2 to 63 characters: lower-case letters, digits, '.', '-' or '_', "
                "starting with a letter"
            }
        )
    if login.startswith("pg_") or login in {ddl.group_role(prefix, r) for r in ddl.ROLES}:
        raise ValidationError({"login": f"{login} is a reserved name"})


def scram_verifier(conn: Connection, login: str, password: str) -> str:
    """The SCRAM-SHA-256 verifier of a password, made by libpq here: the clear password
    never goes to the server (so never into its logs)."""
    pgconn = conn.connection.driver_connection.pgconn  # type: ignore[union-attr]
    return bytes(
        pgconn.encrypt_password(password.encode(), login.encode(), b"scram-sha-256")
    ).decode()


def _literal(conn: Connection, value: str) -> str:
    from psycopg import sql

    raw = conn.connection.driver_connection
    return sql.Literal(value).as_string(raw)


def add_user(
    url: str,
    login: str,
    role: str,
    password: str,
    *,
    school_id: int = 1,
    staff_id: int | None = None,
) -> None:
    """A new login for one person, in one group role, mapped to a school and staff row."""
    _check_role(role)
    if len(password) < MIN_PASSWORD:
        raise ValidationError({"password": f"must be at least {MIN_PASSWORD} characters"})
    store = _engine(url)
    try:
        with store.engine.begin() as conn:
            prefix = _prefix(conn)
            _check_login(login, prefix)
            if conn.execute(
                text("SELECT 1 FROM pg_roles WHERE rolname = :l"), {"l": login}
            ).first():
                raise ValidationError({"login": f"{login} already exists on this server"})
            if (
                conn.execute(text("SELECT 1 FROM school WHERE id = :s"), {"s": school_id}).first()
                is None
            ):
                raise ValidationError(
                    {
                        "school": f"there is no school {school_id} yet (name the first with "
                        "server init --school NAME, another with server add-school NAME)"
                    }
                )
            if (
                staff_id is not None
                and conn.execute(
                    text("SELECT 1 FROM staff WHERE id = :s AND school_id = :sc"),
                    {"s": staff_id, "sc": school_id},
                ).first()
                is None
            ):
                raise ValidationError({"staff": f"there is no member of staff {staff_id} there"})
            if role == "lsa" and staff_id is None:
                raise ValidationError({"staff": "an LSA's login needs their staff row (--staff)"})
            verifier = scram_verifier(conn, login, password)
            name = ddl.quote(login)
            database = conn.execute(text("SELECT current_database()")).scalar_one()
            conn.exec_driver_sql(f"CREATE ROLE {name} LOGIN PASSWORD {_literal(conn, verifier)}")
            conn.exec_driver_sql(f"GRANT {ddl.quote(ddl.group_role(prefix, role))} TO {name}")
            conn.exec_driver_sql(f"GRANT CONNECT ON DATABASE {ddl.quote(database)} TO {name}")
            conn.execute(
                text(
                    "INSERT INTO app_user (login, role, school_id, staff_id) "
                    "VALUES (:l, :r, :sc, :st)"
                ),
                {"l": login, "r": role, "sc": school_id, "st": staff_id},
            )
    finally:
        store.close()


def _user(conn: Connection, login: str) -> UserRow:
    row = conn.execute(
        text("SELECT login, role, school_id, staff_id, active FROM app_user WHERE login = :l"),
        {"l": login},
    ).first()
    if row is None:
        raise ValidationError({"login": f"{login} is not a user of this database"})
    return UserRow(*row)


def set_role(url: str, login: str, role: str) -> None:
    """Move a login to another group role (takes effect at its next query)."""
    _check_role(role)
    store = _engine(url)
    try:
        with store.engine.begin() as conn:
            prefix = _prefix(conn)
            user = _user(conn, login)
            name = ddl.quote(login)
            conn.exec_driver_sql(
                f"REVOKE {ddl.quote(ddl.group_role(prefix, user.role))} FROM {name}"
            )
            conn.exec_driver_sql(f"GRANT {ddl.quote(ddl.group_role(prefix, role))} TO {name}")
            conn.execute(
                text("UPDATE app_user SET role = :r WHERE login = :l"), {"r": role, "l": login}
            )
    finally:
        store.close()


def remove_user(url: str, login: str) -> None:
    """Take a login's access away now: no more sign-ins, its group role revoked, its open
    connections ended. The name stays (NOLOGIN), so history still says who did what."""
    store = _engine(url)
    try:
        with store.engine.begin() as conn:
            prefix = _prefix(conn)
            user = _user(conn, login)
            name = ddl.quote(login)
            database = conn.execute(text("SELECT current_database()")).scalar_one()
            conn.exec_driver_sql(f"ALTER ROLE {name} NOLOGIN")
            conn.exec_driver_sql(
                f"REVOKE {ddl.quote(ddl.group_role(prefix, user.role))} FROM {name}"
            )
            conn.exec_driver_sql(f"REVOKE CONNECT ON DATABASE {ddl.quote(database)} FROM {name}")
            conn.execute(
                text(
                    "UPDATE app_user SET active = false, "
                    "removed_at = now() AT TIME ZONE 'UTC' WHERE login = :l"
                ),
                {"l": login},
            )
        disconnect(store.engine, login)
    finally:
        store.close()


def disconnect(engine: Any, login: str) -> None:
    """End a removed login's open connections (its privileges are gone already: the group
    role is revoked and its app_user row inactive, so what it still holds reads nothing).
    An owner that is not a superuser needs pg_signal_backend for this; without it the
    connections stay open, with no access, until they close."""
    from sqlalchemy.exc import DBAPIError

    try:
        with engine.connect() as conn:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE usename = :l AND datname = current_database()"
                ),
                {"l": login},
            )
            conn.commit()
    except DBAPIError as exc:
        log.info("Could not end %s's connections: %s", login, exc)


def list_users(url: str) -> list[UserRow]:
    store = _engine(url)
    try:
        with store.engine.connect() as conn:
            _prefix(conn)
            rows = conn.execute(
                text(
                    "SELECT login, role, school_id, staff_id, active FROM app_user "
                    "ORDER BY active DESC, school_id, login"
                )
            ).all()
    finally:
        store.close()
    return [UserRow(*r) for r in rows]


def list_staff(url: str) -> list[tuple[int, int, str, str]]:
    """(id, school, name, role) of every member of staff: the ids ``add_user --staff`` takes."""
    store = _engine(url)
    try:
        with store.engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT id, school_id, first_name || ' ' || last_name, role FROM staff "
                    "ORDER BY school_id, last_name, first_name"
                )
            ).all()
    finally:
        store.close()
    return [(r[0], r[1], r[2], r[3]) for r in rows]
