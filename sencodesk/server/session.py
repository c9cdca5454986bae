"""Who is signed in to a server database, and what the window shows them.

The database decides what a login may read and change (``ddl``); this module only says which
pages and menus the window offers each role, so nobody is shown a page that the database
would refuse to fill. An SQLite file, or a server login that is not one of the app's users
(the owner), sees everything, as before.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import quote

from sqlalchemy import text

from .ddl import ROLE_LABELS, policy_version

OUTDATED = (
    "This server needs updating: ask whoever set it up to run `server init` again "
    "(python main.py server init --url …, as the database's owner)."
)

ALL_PAGES = ("dashboard", "pupils", "staff", "money", "reviews", "records", "cover")

# role -> the pages of the main window it is offered
PAGES_BY_ROLE: dict[str, tuple[str, ...]] = {
    "senco": ALL_PAGES,
    "head": ALL_PAGES,
    "trust_lead": ALL_PAGES,
    "business_manager": ("staff", "money"),
    "lsa": ("pupils",),
}
# role -> the menu actions (``ui.menus`` object names) it is not offered
READ_ONLY = frozenset(
    {"new_pupil", "new_staff", "new_record", "settings", "retention", "import_mis"}
)
HIDDEN_ACTIONS: dict[str, frozenset[str]] = {
    "senco": frozenset(),
    "head": READ_ONLY,
    "trust_lead": READ_ONLY,
    "business_manager": READ_ONLY - {"new_staff"} | {"subject_access", "history"},
    "lsa": READ_ONLY - {"new_record"} | {"subject_access", "history", "export"},
}
WHOLE_SCHOOL_ROLES = frozenset({"senco", "head", "trust_lead"})
# Reports (whole menu): only for the roles that may read everything the reports print.
REPORT_ROLES = frozenset({"senco", "head", "trust_lead"})


@cache
def _writable(role: str) -> frozenset[str]:
    """The tables a role may INSERT into or UPDATE (from the same rules the policies are)."""
    from .ddl import rules

    out = set()
    for table, by_role in rules().items():
        rule = by_role.get(role)
        if rule is not None and (rule.insert is not None or rule.update is not None):
            out.add(table)
    return frozenset(out)


@cache
def _readable(role: str) -> frozenset[str]:
    """The tables a role may SELECT from at all (from the same rules the policies are)."""
    from .ddl import rules

    return frozenset(
        table
        for table, by_role in rules().items()
        if (rule := by_role.get(role)) is not None and rule.select is not None
    )


@dataclass(frozen=True)
class SignedIn:
    login: str
    role: str
    school_id: int
    staff_id: int | None
    outdated: str = ""  # OUTDATED when the server's policies are not this version's

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    @property
    def pages(self) -> tuple[str, ...]:
        return PAGES_BY_ROLE.get(self.role, ())

    @property
    def hidden_actions(self) -> frozenset[str]:
        return HIDDEN_ACTIONS.get(self.role, frozenset())

    def may_write(self, table: str) -> bool:
        """Whether the database lets this role add to or change ``table`` at all."""
        return table in _writable(self.role)

    def may_read(self, table: str) -> bool:
        """Whether the database lets this role read ``table`` at all (a tab that shows only
        that table is hidden when not)."""
        return table in _readable(self.role)

    @property
    def sees_whole_school(self) -> bool:
        """Whether this role reads every row of its school's tables (an LSA and a business
        manager read only part, so a check of links between rows would find false gaps)."""
        return self.role in WHOLE_SCHOOL_ROLES

    @property
    def manages_users(self) -> bool:
        """File > Users of this school… (the database lets only a SENCO do it)."""
        return self.role == "senco"

    @property
    def reports(self) -> bool:
        return self.role in REPORT_ROLES


def whoami(store: Any) -> SignedIn | None:
    """The signed-in app user of a server database; None for an SQLite file or a login that
    is not one of the app's users (the owner, a plain server without roles)."""
    if store.is_sqlite:
        return None
    with store.engine.connect() as conn:
        if not conn.execute(
            text("SELECT to_regprocedure('sencodesk_whoami()') IS NOT NULL")
        ).scalar():
            return None
        row = conn.execute(text("SELECT * FROM sencodesk_whoami()")).first()
        stale = outdated(conn)
    if row is None or row.login is None:
        return None
    return SignedIn(row.login, row.role, row.school_id, row.staff_id, stale)


def outdated(conn: Any) -> str:
    """OUTDATED when a SENCO Desk server's policies were set up by another version of the app
    than this one (``server init`` stamps ``ddl.policy_version``); "" when they match, or for
    a database that is not a SENCO Desk server (a file, a plain PostgreSQL database)."""
    if conn.dialect.name != "postgresql":
        return ""
    if not conn.execute(text("SELECT to_regprocedure('sencodesk_whoami()') IS NOT NULL")).scalar():
        return ""
    if not conn.execute(
        text("SELECT to_regprocedure('sencodesk_policy_version()') IS NOT NULL")
    ).scalar():
        return OUTDATED  # set up before the stamp existed
    stamp = conn.execute(text("SELECT sencodesk_policy_version()")).scalar()
    return "" if stamp == policy_version() else OUTDATED


def server_outdated(url: str) -> str:
    """``outdated`` for a database given by its URL (``check``)."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    if make_url(url).get_backend_name() != "postgresql":
        return ""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return outdated(conn)
    finally:
        engine.dispose()


def server_url(host: str, database: str, login: str, password: str = "", port: int = 5432) -> str:
    """The SQLAlchemy URL of a server database for one login (the password only in memory)."""
    cred = quote(login, safe="")
    if password:
        cred += ":" + quote(password, safe="")
    return f"postgresql+psycopg://{cred}@{host}:{port}/{quote(database, safe='')}"


# --------------------------------------------------------------------- a trust lead's school

VIEW_SCHOOL = "sencodesk.view_school"  # the setting only the trust lead's policies read
_viewing: weakref.WeakKeyDictionary[Any, dict[str, str]] = weakref.WeakKeyDictionary()


def schools(session: Any) -> list[tuple[int, str]]:
    """(id, name) of every school the login may see (a trust lead: the trust's), by name."""
    from sqlalchemy import select

    from ..model import School

    return [
        (i, n) for i, n in session.execute(select(School.id, School.name).order_by(School.name))
    ]


def _set_on(dbapi_conn: Any, value: str) -> None:
    cur = dbapi_conn.cursor()
    try:
        cur.execute("SELECT set_config(%s, %s, false)", (VIEW_SCHOOL, value))
    finally:
        cur.close()
    dbapi_conn.commit()  # a session setting, which a later rollback would otherwise undo


def choose_school(session: Any, school_id: int | None) -> None:
    """A trust lead looks at one school (None: all the trust's schools) on every connection
    of this database from now on: each connection is given the setting when it is next
    taken from the pool. The database reads it only in the trust lead's policies, so it
    narrows their view and widens nobody's."""
    from sqlalchemy import event

    engine = session.get_bind().engine
    if engine.dialect.name != "postgresql":
        return
    state = _viewing.get(engine)
    if state is None:
        state = _viewing[engine] = {"value": ""}

        def on_checkout(dbapi_conn: Any, record: Any, _proxy: Any, st: Any = state) -> None:
            if record.info.get(VIEW_SCHOOL, "") != st["value"]:
                _set_on(dbapi_conn, st["value"])
                record.info[VIEW_SCHOOL] = st["value"]

        event.listen(engine, "checkout", on_checkout)
    state["value"] = "" if school_id is None else str(int(school_id))


def viewing(session: Any) -> int | None:
    """The school this connection's trust lead is looking at (None: all)."""
    return session.execute(text("SELECT sencodesk_view_school()")).scalar()
