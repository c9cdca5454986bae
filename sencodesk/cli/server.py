"""``server``: set up a shared PostgreSQL server and manage who signs in to it.

    python main.py server init --url postgresql+psycopg://OWNER@HOST/sencodesk
    python main.py server add-user --url … jsmith --role lsa --staff 12
    python main.py server set-role --url … jsmith --role senco
    python main.py server remove-user --url … jsmith
    python main.py server users --url …
    python main.py server staff --url …               # staff ids, for --staff
    python main.py server add-school --url … "Birch Academy"

``--url`` is the database's OWNER (who runs migrations and manages logins), never an everyday
login. Its password comes from ~/.pgpass or PGPASSWORD, as for any PostgreSQL tool. A new
user's password is asked for twice (or read from --password-file, or $SENCODESK_NEW_PASSWORD
for scripts), never typed on the command line, and reaches the server only as a SCRAM
verifier.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from ..errors import KnownError

PASSWORD_ENV = "SENCODESK_NEW_PASSWORD"


def _password(args: argparse.Namespace) -> str:
    if args.password_file:
        from . import read_passphrase_file

        return read_passphrase_file(Path(args.password_file))
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if not sys.stdin.isatty():
        raise KnownError(
            f"Give the new password with --password-file FILE or ${PASSWORD_ENV} "
            "(there is no terminal to ask on)."
        )
    first = getpass.getpass(f"Password for {args.login}: ")
    if getpass.getpass("The same again: ") != first:
        raise KnownError("The two passwords are different; nothing was changed.")
    return first


def _init(args: argparse.Namespace) -> int:
    from ..server.admin import init_server

    groups = init_server(args.url, prefix=args.prefix, school=args.school)
    print(f"Server ready. Group roles: {', '.join(groups)}.")
    print("Add people with: python main.py server add-user --url … LOGIN --role ROLE")
    return 0


def _add_user(args: argparse.Namespace) -> int:
    from ..server.admin import add_user

    add_user(
        args.url,
        args.login,
        args.role,
        _password(args),
        school_id=args.school,
        staff_id=args.staff,
    )
    print(f"Added {args.login} ({args.role}, school {args.school}).")
    return 0


def _set_role(args: argparse.Namespace) -> int:
    from ..server.admin import set_role

    set_role(args.url, args.login, args.role)
    print(f"{args.login} is now {args.role}.")
    return 0


def _remove_user(args: argparse.Namespace) -> int:
    from ..server.admin import remove_user

    remove_user(args.url, args.login)
    print(f"Removed {args.login}: they cannot sign in any more; their history stays.")
    return 0


def _users(args: argparse.Namespace) -> int:
    from ..server.admin import list_users

    users = list_users(args.url)
    if not users:
        print(
            "No logins yet: only the owner can sign in. Add one with: python main.py server "
            "add-user --url … LOGIN --role senco"
        )
    for u in users:
        staff = f" staff {u.staff_id}" if u.staff_id is not None else ""
        state = "" if u.active else " (removed)"
        print(f"{u.login}\t{u.role}\tschool {u.school_id}{staff}{state}")
    return 0


def _staff(args: argparse.Namespace) -> int:
    from ..server.admin import list_staff

    staff = list_staff(args.url)
    if not staff:
        print(
            "No staff yet. Add them in the app (Staff, Ctrl+3) or bring them in from the MIS "
            "(import-mis --staff), then give an LSA's login their id here."
        )
    for staff_id, school, name, role in staff:
        print(f"{staff_id}\tschool {school}\t{name}\t{role}")
    return 0


def _add_school(args: argparse.Namespace) -> int:
    from ..server.admin import add_school

    print(f"Added school {add_school(args.url, args.name)}: {args.name}")
    return 0


def _login_type(text: str) -> str:
    return text.strip()


def register(sub: Any) -> None:
    from ..server.ddl import ROLES

    p = sub.add_parser(
        "server",
        help="set up a shared PostgreSQL server and manage its users",
        description="Set up a PostgreSQL database for a school or a trust (roles, row-level "
        "security) and manage who signs in. Run as the database's owner.",
    )
    cmds = p.add_subparsers(dest="server_command", metavar="ACTION", required=True)

    def action(name: str, help_text: str, func: Any) -> argparse.ArgumentParser:
        a = cmds.add_parser(name, help=help_text, description=help_text)
        a.add_argument("--url", required=True, help="the database, signed in as its owner")
        a.set_defaults(func=func)
        return a

    a = action("init", "create or upgrade the schema, roles and policies", _init)
    a.add_argument(
        "--prefix",
        default="",
        help="put this before the group roles' names (when another SENCO Desk database "
        "shares the PostgreSQL cluster)",
    )
    a.add_argument("--school", default="", metavar="NAME", help="the (first) school's name")
    a = action("add-user", "add a login for one person", _add_user)
    a.add_argument("login", type=_login_type)
    a.add_argument("--role", required=True, choices=ROLES)
    a.add_argument("--school", type=int, default=1, help="their school's number (default 1)")
    a.add_argument("--staff", type=int, help="their staff row's id (required for an LSA)")
    a.add_argument("--password-file", metavar="FILE", help="read the password from FILE")
    a = action("set-role", "give a login another role", _set_role)
    a.add_argument("login", type=_login_type)
    a.add_argument("--role", required=True, choices=ROLES)
    a = action("remove-user", "take a login's access away now (history stays)", _remove_user)
    a.add_argument("login", type=_login_type)
    action("users", "list the logins and their roles", _users)
    action("staff", "list the staff and their ids (for add-user --staff)", _staff)
    a = action("add-school", "add another school to a trust's database", _add_school)
    a.add_argument("name")
