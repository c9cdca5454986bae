"""The SQL that ``server init`` and ``server upgrade`` run before the privileges and policies of
``ddl``: the app's user table, the three ``SECURITY DEFINER`` functions that the row-level
security expressions call and the audit stamp trigger, all in ``FUNCTIONS`` (``ddl`` imports it;
its text is part of the policy stamp)."""

from __future__ import annotations

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
