"""What each role may do, as data: table privileges and row-level security policies.

The database enforces these, not the app: every person signs in as their own PostgreSQL login,
a member of one group role; each table has ``FORCE ROW LEVEL SECURITY`` and one policy per
group role and command. ``admin.init_server`` turns this into SQL (``statements``).

Expressions use three functions (``FUNCTIONS``), ``SECURITY DEFINER`` so that they can read
``app_user`` and ``assignment`` without the caller's own policies:
``sencodesk_school()`` (the login's school), ``sencodesk_staff()`` (the login's staff row) and
``sencodesk_lsa_pupils()`` (the pupils the login's staff row is assigned to today).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache

from .ddl_sql import FUNCTIONS

# The logical roles (``app_user.role``); each is a group role of the same name plus the
# server's prefix (empty unless several SENCO Desk databases share one PostgreSQL cluster).
ROLES = ("senco", "lsa", "business_manager", "head", "trust_lead")
ROLE_LABELS = {
    "senco": "SENCO",
    "lsa": "Learning support assistant",
    "business_manager": "Business manager",
    "head": "Headteacher",
    "trust_lead": "Trust SEND lead",
}

# (SELECT f()) is worked out once per query, not once per row.
SCHOOL = "school_id = (SELECT sencodesk_school())"
MY_SCHOOL_ROW = "id = (SELECT sencodesk_school())"
ME = "(SELECT sencodesk_staff())"
MY_PUPILS = "pupil_id IN (SELECT sencodesk_lsa_pupils())"
ALL_ROWS = "true"
# A trust lead's rows: every school's, or the one school they chose to look at (the app's
# school picker sets ``sencodesk.view_school`` on its connections; only these policies read
# it, so it narrows a trust lead's view and widens nobody's).
TRUST_VIEW = (
    "((SELECT sencodesk_view_school()) IS NULL OR school_id = (SELECT sencodesk_view_school()))"
)

# Tables whose rows belong to a school (``model.SchoolOwned``), and the shared reference tables.
PUPIL_TABLES = (
    "pupil",
    "outcome",
    "outcome_status_change",
    "record",
    "funding",
    "assignment",
    "review_meeting",
    "review_invitee",
    "review_advice",
    "review_amendment",
)
STAFF_TABLES = ("staff", "qualification", "training", "dbs_check", "contract", "contract_day")
# What the MIS last said about each pupil, and the school's saved column mappings.
MIS_TABLES = ("mis_pupil", "mis_mapping")
SCHOOL_TABLES = (*PUPIL_TABLES, *STAFF_TABLES, *MIS_TABLES)
SHARED_TABLES = ("school", "local_authority", "term_date")
AUDIT_TABLE = "audit_entry"
ALL_TABLES = (*SCHOOL_TABLES, *SHARED_TABLES, AUDIT_TABLE)

# Columns of a pupil the business manager may read: who they are and the hours funded.
PUPIL_NAME_COLUMNS = (
    "id",
    "school_id",
    "version",
    "legal_first_name",
    "legal_last_name",
    "preferred_name",
    "date_of_birth",
    "upn",
    "year_group_override",
    "class_name",
    "sen_code",
    "ehcp_weekly_minutes",
    "archived",
)


@dataclass(frozen=True)
class Rule:
    """What one role may do to one table: each command's row filter (None: not granted).
    ``columns`` limits SELECT to those columns (a column privilege)."""

    select: str | None = None
    insert: str | None = None
    update: str | None = None
    delete: str | None = None
    columns: tuple[str, ...] = ()


def _everything(where: str) -> Rule:
    return Rule(select=where, insert=where, update=where, delete=where)


def _read(where: str) -> Rule:
    return Rule(select=where)


def rules() -> dict[str, dict[str, Rule]]:
    """table -> role -> Rule. A role missing from a table's map has no privilege on it."""
    out: dict[str, dict[str, Rule]] = {t: {} for t in ALL_TABLES}
    for t in SCHOOL_TABLES:
        out[t]["senco"] = _everything(SCHOOL)
        out[t]["head"] = _read(SCHOOL)
        out[t]["trust_lead"] = _read(TRUST_VIEW)
    out["school"] = {
        "senco": Rule(select=MY_SCHOOL_ROW, update=MY_SCHOOL_ROW),
        "lsa": _read(MY_SCHOOL_ROW),
        "business_manager": _read(MY_SCHOOL_ROW),
        "head": _read(MY_SCHOOL_ROW),
        "trust_lead": _read(ALL_ROWS),
    }
    for t in ("local_authority", "term_date"):  # shared by the trust's schools
        out[t] = {r: _read(ALL_ROWS) for r in ROLES}
        out[t]["senco"] = _everything(ALL_ROWS)
    # LSA: the pupils they are assigned to today, and only what the issue lists.
    mine = f"{SCHOOL} AND id IN (SELECT sencodesk_lsa_pupils())"
    out["pupil"]["lsa"] = _read(mine)
    out["outcome"]["lsa"] = _read(f"{SCHOOL} AND {MY_PUPILS}")
    out["outcome_status_change"]["lsa"] = _read(
        f"{SCHOOL} AND outcome_id IN (SELECT id FROM outcome)"  # the outcomes they may see
    )
    own = f"{SCHOOL} AND {MY_PUPILS} AND author_id = {ME}"
    out["record"]["lsa"] = Rule(select=own, insert=own, update=own)
    out["assignment"]["lsa"] = _read(f"{SCHOOL} AND staff_id = {ME}")
    out["staff"]["lsa"] = _read(f"{SCHOOL} AND id = {ME}")
    # Business manager: staff, contracts, pay, funding; pupils' names and funded hours.
    for t in (*STAFF_TABLES, "funding", "assignment"):
        out[t]["business_manager"] = _everything(SCHOOL)
    out["pupil"]["business_manager"] = Rule(select=SCHOOL, columns=PUPIL_NAME_COLUMNS)
    # The audit trail: every role adds to it; nobody but the owner changes or deletes it.
    out[AUDIT_TABLE] = {
        "senco": Rule(select=SCHOOL, insert=SCHOOL),
        "lsa": Rule(insert=SCHOOL),
        "business_manager": Rule(insert=SCHOOL),
        "head": Rule(select=SCHOOL),
        "trust_lead": Rule(select=TRUST_VIEW),
    }
    return out


def group_role(prefix: str, role: str) -> str:
    return f"{prefix}{role}"


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def statements(prefix: str, owner: str, database: str) -> list[str]:
    """The SQL that sets up (or brings up to date) a server database: idempotent."""
    from .live import TRIGGERS

    out = [FUNCTIONS, TRIGGERS]
    groups = {r: quote(group_role(prefix, r)) for r in ROLES}
    for r in ROLES:
        name = group_role(prefix, r).replace("'", "''")
        out.append(
            "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = "
            f"'{name}') THEN CREATE ROLE {groups[r]} NOLOGIN; END IF; END $$"
        )
    out.append(f"REVOKE CONNECT, TEMPORARY ON DATABASE {quote(database)} FROM PUBLIC")
    out.append("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
    every = ", ".join(groups.values())
    out.append(f"GRANT USAGE ON SCHEMA public TO {every}")
    out.append(f"GRANT SELECT ON alembic_version TO {every}")
    out.append(
        "GRANT EXECUTE ON FUNCTION sencodesk_school(), sencodesk_staff(), sencodesk_role(), "
        "sencodesk_lsa_pupils(), sencodesk_whoami(), sencodesk_last_saved(text, integer), "
        f"sencodesk_policy_version(), sencodesk_view_school() TO {every}"
    )
    team = (
        "sencodesk_team(), sencodesk_team_add(text, text, text, integer), "
        "sencodesk_team_set_role(text, text, integer), sencodesk_team_remove(text)"
    )
    helpers = (
        "sencodesk_team_guard(), sencodesk_team_target(text, integer), "
        "sencodesk_team_role_ok(text, integer, integer)"
    )
    out.append(f"REVOKE ALL ON FUNCTION {team}, {helpers} FROM PUBLIC, {every}")
    out.append(f"GRANT EXECUTE ON FUNCTION {team} TO {groups['senco']}")
    owner_q = quote(owner)
    for table, by_role in rules().items():
        t = quote(table)
        out.append(f"REVOKE ALL ON {t} FROM PUBLIC, {every}")
        out.append(f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY")
        out.append(f"ALTER TABLE {t} FORCE ROW LEVEL SECURITY")
        out.append(f"DROP POLICY IF EXISTS owner_all ON {t}")
        out.append(f"CREATE POLICY owner_all ON {t} TO {owner_q} USING (true) WITH CHECK (true)")
        if table in SCHOOL_TABLES or table == AUDIT_TABLE:
            out.append(
                f"ALTER TABLE {t} ALTER COLUMN school_id SET DEFAULT coalesce(sencodesk_school(), 1)"
            )
        inserts = False
        for role in ROLES:
            rule = by_role.get(role)
            g = groups[role]
            for command in ("select", "insert", "update", "delete"):
                policy = quote(f"{role}_{command}")
                out.append(f"DROP POLICY IF EXISTS {policy} ON {t}")
                where = getattr(rule, command) if rule else None
                if where is None:
                    continue
                if command == "select" and rule is not None and rule.columns:
                    cols = ", ".join(quote(c) for c in rule.columns)
                    out.append(f"GRANT SELECT ({cols}) ON {t} TO {g}")
                else:
                    out.append(f"GRANT {command.upper()} ON {t} TO {g}")
                if command == "insert":
                    inserts = True
                    check = f"WITH CHECK ({where})"
                elif command == "update":
                    check = f"USING ({where}) WITH CHECK ({where})"
                else:
                    check = f"USING ({where})"
                out.append(f"CREATE POLICY {policy} ON {t} FOR {command.upper()} TO {g} {check}")
            if rule is not None and rule.insert is not None:
                inserts = True
        if inserts:
            out.append(
                f"DO $$ DECLARE seq text := pg_get_serial_sequence('{table}', 'id'); BEGIN "
                "IF seq IS NOT NULL THEN EXECUTE 'GRANT USAGE, SELECT ON SEQUENCE ' || seq || "
                f"' TO {every.replace(chr(39), chr(39) * 2)}'; END IF; END $$"
            )
    return out


POLICY_KEY = "policy_version"  # app_setting's key for the stamp ``server init`` leaves


@cache
def policy_version() -> str:
    """A hash of the SQL ``server init`` applies (roles, grants, policies, functions, live
    triggers), the same for any owner, database and prefix: it changes exactly when a new
    version of the app changes what the database must enforce."""
    sql = "\n;\n".join(statements("", "owner", "database"))
    return hashlib.sha256(sql.encode()).hexdigest()[:16]
