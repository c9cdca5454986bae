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


FUNCTIONS = """
CREATE TABLE IF NOT EXISTS app_user (
    login text PRIMARY KEY,
    role text NOT NULL,
    school_id integer NOT NULL,
    staff_id integer,
    active boolean NOT NULL DEFAULT true,
    added_at timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    removed_at timestamp
);
CREATE TABLE IF NOT EXISTS app_setting (key text PRIMARY KEY, value text NOT NULL);
REVOKE ALL ON app_user, app_setting FROM PUBLIC;

CREATE OR REPLACE FUNCTION sencodesk_school() RETURNS integer
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT school_id FROM app_user WHERE login = session_user AND active $$;

CREATE OR REPLACE FUNCTION sencodesk_staff() RETURNS integer
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT staff_id FROM app_user WHERE login = session_user AND active $$;

CREATE OR REPLACE FUNCTION sencodesk_role() RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT role FROM app_user WHERE login = session_user AND active $$;

-- The school a trust lead chose to look at (NULL: all the trust's schools). Not SECURITY
-- DEFINER: it only reads the connection's own setting.
CREATE OR REPLACE FUNCTION sencodesk_view_school() RETURNS integer
    LANGUAGE sql STABLE SET search_path = public, pg_temp AS
$$ SELECT CASE WHEN s ~ '^[0-9]{1,9}$' THEN s::integer END
   FROM (SELECT current_setting('sencodesk.view_school', true) AS s) v $$;

CREATE OR REPLACE FUNCTION sencodesk_lsa_pupils() RETURNS SETOF integer
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT a.pupil_id FROM assignment a
   WHERE a.staff_id = sencodesk_staff() AND a.school_id = sencodesk_school()
     AND a.start_date <= current_date AND (a.end_date IS NULL OR a.end_date >= current_date) $$;

-- Who is signed in (for the window's title bar and what it shows).
CREATE OR REPLACE FUNCTION sencodesk_whoami(
    OUT login text, OUT role text, OUT school_id integer, OUT staff_id integer)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT login, role, school_id, staff_id FROM app_user
   WHERE login = session_user AND active $$;

-- A SENCO manages their own school's users (ui: File > Users of this school). These run as
-- the owner (who may create roles) but act only for a signed-in SENCO, only in their school,
-- and never give the trust-wide role; the password arrives as a SCRAM verifier, never clear.
CREATE OR REPLACE FUNCTION sencodesk_team_guard() RETURNS integer
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ BEGIN
    IF sencodesk_role() IS DISTINCT FROM 'senco' THEN
        RAISE EXCEPTION 'Only a SENCO may manage their school''s users.' USING ERRCODE = '42501';
    END IF;
    RETURN sencodesk_school();
END $$;

CREATE OR REPLACE FUNCTION sencodesk_team_target(p_login text, p_school integer) RETURNS text
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ DECLARE old text; BEGIN
    IF p_login = session_user THEN
        RAISE EXCEPTION 'You cannot change or remove your own login: ask another SENCO or '
            'whoever set up the server.' USING ERRCODE = '42501';
    END IF;
    SELECT u.role INTO old FROM app_user u
        WHERE u.login = p_login AND u.school_id = p_school AND u.active;
    IF old IS NULL THEN
        RAISE EXCEPTION '% is not a user of your school.', p_login USING ERRCODE = '42501';
    END IF;
    IF old = 'trust_lead' THEN
        RAISE EXCEPTION 'A trust SEND lead''s login is managed by whoever set up the server.'
            USING ERRCODE = '42501';
    END IF;
    RETURN old;
END $$;

CREATE OR REPLACE FUNCTION sencodesk_team_role_ok(p_role text, p_staff integer, p_school integer)
    RETURNS void
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ BEGIN
    IF p_role IS NULL OR p_role NOT IN ('senco', 'lsa', 'business_manager', 'head') THEN
        RAISE EXCEPTION 'A SENCO may give the roles senco, lsa, business_manager or head (not %).',
            p_role USING ERRCODE = '42501';
    END IF;
    IF p_staff IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM staff WHERE id = p_staff AND school_id = p_school) THEN
        RAISE EXCEPTION 'There is no member of staff % in your school.', p_staff
            USING ERRCODE = '42501';
    END IF;
    IF p_role = 'lsa' AND p_staff IS NULL THEN
        RAISE EXCEPTION 'An LSA''s login needs their staff row.' USING ERRCODE = '22023';
    END IF;
END $$;

CREATE OR REPLACE FUNCTION sencodesk_team() RETURNS TABLE (
    login text, role text, staff_id integer, active boolean, added_at timestamp,
    removed_at timestamp)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ DECLARE s integer := sencodesk_team_guard(); BEGIN
    RETURN QUERY SELECT u.login, u.role, u.staff_id, u.active, u.added_at, u.removed_at
        FROM app_user u WHERE u.school_id = s ORDER BY u.active DESC, u.login;
END $$;

CREATE OR REPLACE FUNCTION sencodesk_team_add(
    p_login text, p_role text, p_verifier text, p_staff integer) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS
$$ DECLARE s integer := sencodesk_team_guard();
    prefix text := (SELECT value FROM app_setting WHERE key = 'role_prefix');
BEGIN
    PERFORM sencodesk_team_role_ok(p_role, p_staff, s);
    IF p_login IS NULL OR p_login !~ '^[a-z][a-z0-9_.-]{1,62}$' OR left(p_login, 3) = 'pg_' THEN
        RAISE EXCEPTION 'A login is 2 to 63 characters: lower-case letters, digits, ''.'', ''-'' '
            'or ''_'', starting with a letter.' USING ERRCODE = '22023';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_login) THEN
        RAISE EXCEPTION '% already exists on this server.', p_login USING ERRCODE = '42710';
    END IF;
    IF p_verifier IS NULL OR left(p_verifier, 14) <> 'SCRAM-SHA-256$' THEN
        RAISE EXCEPTION 'The password must come as a SCRAM verifier, never in clear.'
            USING ERRCODE = '22023';
    END IF;
    EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', p_login, p_verifier);
    EXECUTE format('GRANT %I TO %I', prefix || p_role, p_login);
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), p_login);
    INSERT INTO app_user (login, role, school_id, staff_id) VALUES (p_login, p_role, s, p_staff);
END $$;

CREATE OR REPLACE FUNCTION sencodesk_team_set_role(
    p_login text, p_role text, p_staff integer) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS
$$ DECLARE s integer := sencodesk_team_guard();
    prefix text := (SELECT value FROM app_setting WHERE key = 'role_prefix');
    old text := sencodesk_team_target(p_login, s);
    staff_row integer := coalesce(p_staff, (SELECT staff_id FROM app_user WHERE login = p_login));
BEGIN
    PERFORM sencodesk_team_role_ok(p_role, staff_row, s);
    EXECUTE format('REVOKE %I FROM %I', prefix || old, p_login);
    EXECUTE format('GRANT %I TO %I', prefix || p_role, p_login);
    UPDATE app_user SET role = p_role, staff_id = staff_row WHERE login = p_login;
END $$;

CREATE OR REPLACE FUNCTION sencodesk_team_remove(p_login text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS
$$ DECLARE s integer := sencodesk_team_guard();
    prefix text := (SELECT value FROM app_setting WHERE key = 'role_prefix');
    old text := sencodesk_team_target(p_login, s);
BEGIN
    EXECUTE format('ALTER ROLE %I NOLOGIN', p_login);
    EXECUTE format('REVOKE %I FROM %I', prefix || old, p_login);
    EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM %I', current_database(), p_login);
    UPDATE app_user SET active = false, removed_at = now() AT TIME ZONE 'UTC'
        WHERE login = p_login;
    BEGIN
        PERFORM pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE usename = p_login AND datname = current_database();
    EXCEPTION WHEN insufficient_privilege THEN
        NULL;  -- their access is gone already; the connections close on their own
    END;
END $$;

-- Who saved a row last and when, for the "changed by someone else" dialog of a role that may
-- change the table but not read the history (a business manager, an LSA): only for a table
-- the login may update, only its own school's history.
CREATE OR REPLACE FUNCTION sencodesk_last_saved(
    p_table text, p_row integer, OUT "user" text, OUT at timestamp)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT a."user", a.at FROM audit_entry a
   WHERE a.table_name = p_table AND a.row_id = p_row AND a.school_id = sencodesk_school()
     AND has_table_privilege(session_user, p_table, 'UPDATE')
   ORDER BY a.id DESC LIMIT 1 $$;

-- The version of these policies that ``server init`` last applied (``policy_version``): the
-- app compares it with its own and asks for ``server init`` again when they differ.
CREATE OR REPLACE FUNCTION sencodesk_policy_version() RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT value FROM app_setting WHERE key = 'policy_version' $$;

-- The audit trail's "who", "when" and school are the database's, not the app's: a login
-- cannot write an entry in someone else's name.
CREATE OR REPLACE FUNCTION sencodesk_audit_stamp() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS
$$ BEGIN
    NEW."user" := session_user;
    NEW.at := date_trunc('second', now() AT TIME ZONE 'UTC');
    NEW.school_id := coalesce(sencodesk_school(), NEW.school_id);
    RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS audit_stamp ON audit_entry;
CREATE TRIGGER audit_stamp BEFORE INSERT ON audit_entry
    FOR EACH ROW EXECUTE FUNCTION sencodesk_audit_stamp();
"""


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
