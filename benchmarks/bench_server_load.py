"""50 people on one server at once: p95 latency per action, errors, and no lost updates.

    SENCODESK_TEST_PG_URL=postgresql+psycopg://postgres@127.0.0.1:55433/postgres \\
        python benchmarks/bench_server_load.py [--users 50] [--seconds 60] [--runs 3]

The first run builds a 20,000-pupil trust database (the demo school, then every other pupil
and member of staff, with their rows, moved to a second school) in the database
``sencodesk_bench_load`` of that server, with the roles and policies of ``server init`` and
a login per simulated person; later runs reuse it (``--rebuild`` to start again).

Each simulated person is a thread with its own connection, signed in as their own login (so
row-level security does its real work), doing what their role does in the app, through the
same functions the window's pages run in the worker, with a think time between actions:

- SENCO (10 a school): open the dashboard (alerts and timeline), filter pupils, open a pupil,
  add a record, edit a contract with the version it was read at;
- head (1 a school): open the dashboard, filter pupils, open a pupil;
- business manager (2 a school): edit a contract;
- LSA (12 a school): filter their pupils, open one, add a record.

A contract edit that finds the row changed since it was read is refused (``Conflict``): the
person reads it again and retries, as the conflict dialog lets them. At the end: every record
a person was told was saved is there, and each contract's version went up by exactly the
number of saves that were told they succeeded, with the last one's value (no save overwrote
another unseen). Threads share one Python (its GIL): the latencies include that.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DB = "sencodesk_bench_load"
PREFIX = "bl_"
PASSWORD = "bench load password"
TODAY = dt.date(2025, 11, 12)
PER_SCHOOL = {"senco": 10, "head": 1, "business_manager": 2, "lsa": 12}  # 25 a school


def _urls(base: str) -> tuple[str, str]:
    from sqlalchemy.engine import make_url

    u = make_url(base)
    return u.set(database="postgres").render_as_string(False), u.set(database=DB).render_as_string(
        False
    )


def build(base: str, rebuild: bool) -> dict[str, list[tuple[str, int | None]]]:
    """The trust database and its logins: role -> [(login, staff id)]."""
    from sqlalchemy import create_engine, text

    admin_url, url = _urls(base)
    eng = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with eng.connect() as c:
        exists = c.execute(text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": DB}).first()
        if exists and rebuild:
            c.exec_driver_sql(f"DROP DATABASE {DB} WITH (FORCE)")
            exists = None
        if not exists:  # the logins of an earlier build (roles belong to the whole cluster)
            for (name,) in c.execute(
                text("SELECT rolname FROM pg_roles WHERE starts_with(rolname, :p)"),
                {"p": PREFIX},
            ).all():
                c.exec_driver_sql(f'DROP ROLE "{name}"')
        if not exists:
            c.exec_driver_sql(f"CREATE DATABASE {DB}")
    eng.dispose()
    from sencodesk.server import admin

    owner = create_engine(url)
    with owner.connect() as c:
        ready = c.execute(text("SELECT to_regclass('app_setting') IS NOT NULL")).scalar()
        if ready:
            ready = c.execute(text("SELECT 1 FROM app_setting WHERE key = 'bench_built'")).first()
    if not ready:
        from sencodesk.demo import make_demo
        from sencodesk.store import open_store

        t = time.perf_counter()
        print("building a 20,000-pupil trust database …", flush=True)
        store = open_store(url, user="bench")
        try:
            make_demo(store, pupils=20_000, seed=1, today=TODAY)
        finally:
            store.close()
        admin.init_server(url, prefix=PREFIX)
        admin.add_school(url, "Birch Academy")
        with owner.begin() as c:  # every other pupil and member of staff to school 2
            c.exec_driver_sql("UPDATE pupil SET school_id = 2 WHERE mod(id, 2) = 0")
            for t_ in ("outcome", "record", "funding", "assignment", "review_meeting", "mis_pupil"):
                c.exec_driver_sql(
                    f"UPDATE {t_} x SET school_id = p.school_id FROM pupil p WHERE p.id = x.pupil_id"
                )
            c.exec_driver_sql(
                "UPDATE outcome_status_change x SET school_id = o.school_id FROM outcome o "
                "WHERE o.id = x.outcome_id"
            )
            c.exec_driver_sql(
                "UPDATE review_invitee x SET school_id = m.school_id FROM review_meeting m "
                "WHERE m.id = x.meeting_id"
            )
            c.exec_driver_sql("UPDATE staff SET school_id = 2 WHERE mod(id, 2) = 0")
            for t_ in ("contract", "qualification", "training", "dbs_check"):
                c.exec_driver_sql(
                    f"UPDATE {t_} x SET school_id = s.school_id FROM staff s WHERE s.id = x.staff_id"
                )
            c.exec_driver_sql(
                "UPDATE contract_day x SET school_id = c.school_id FROM contract c "
                "WHERE c.id = x.contract_id"
            )
            c.exec_driver_sql("INSERT INTO app_setting (key, value) VALUES ('bench_built', '1')")
        print(f"built in {time.perf_counter() - t:.0f} s", flush=True)
    from sencodesk.server.session import outdated

    with owner.connect() as c:
        stale = outdated(c)
    if stale:  # built by an earlier version: its policies brought up to date, as a school would
        print("server init again (the policies changed since the build) …", flush=True)
        admin.init_server(url, prefix=PREFIX)
    users: dict[str, list[tuple[str, int | None]]] = defaultdict(list)
    with owner.connect() as c:
        have = {
            r[0]: (r[1], r[2])
            for r in c.execute(text("SELECT login, role, staff_id FROM app_user"))
        }
        for school in (1, 2):
            lsas = (
                c.execute(
                    text(
                        "SELECT DISTINCT a.staff_id FROM assignment a JOIN staff s ON s.id = a.staff_id "
                        "JOIN pupil p ON p.id = a.pupil_id WHERE s.school_id = :s AND p.school_id = :s "
                        "AND a.start_date <= current_date AND (a.end_date IS NULL OR a.end_date >= "
                        "current_date) ORDER BY a.staff_id LIMIT :n"
                    ),
                    {"s": school, "n": PER_SCHOOL["lsa"]},
                )
                .scalars()
                .all()
            )
            for role, n in PER_SCHOOL.items():
                for i in range(n):
                    login = f"{PREFIX}{role}_{school}_{i}"
                    staff = lsas[i % len(lsas)] if role == "lsa" else None
                    if login not in have:
                        admin.add_user(url, login, role, PASSWORD, school_id=school, staff_id=staff)
                    users[role].append((login, staff))
    owner.dispose()
    return users


@dataclass
class Tally:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    conflicts: int = 0
    records: list[int] = field(default_factory=list)
    contract_saves: dict[int, list[tuple[float, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    lock: threading.Lock = field(default_factory=threading.Lock)


def _read(store: Any, fn: Any, *args: Any) -> Any:
    """A page's load function as the GUI's worker runs it (``ctx.query``): in a read session."""
    with store.read() as s:
        return fn(s, *args)


def person(url: str, role: str, login: str, staff: int | None, stop: float, tally: Tally) -> None:
    from sqlalchemy.engine import make_url

    from sencodesk import commands
    from sencodesk.errors import Conflict
    from sencodesk.queries.money import contract_rows
    from sencodesk.store import open_store
    from ui.pages.dashboard import load_dashboard
    from ui.pages.pupil_view import load_pupil
    from ui.pages.pupils import load_pupils

    rng = random.Random(login)
    u = make_url(url).set(username=login, password=PASSWORD).render_as_string(False)
    store = open_store(u, user=login, migrate=False)
    pupils: list[Any] = []

    def timed(action: str, fn: Any) -> Any:
        t = time.perf_counter()
        try:
            out = fn()
        except Exception as exc:  # noqa: BLE001 - counted and shown
            with tally.lock:
                tally.errors[action].append(f"{login}: {type(exc).__name__}: {exc}"[:300])
            return None
        with tally.lock:
            tally.times[action].append(time.perf_counter() - t)
        return out

    def dashboard() -> None:
        timed("open dashboard", lambda: _read(store, load_dashboard, TODAY))

    def filter_pupils() -> None:
        nonlocal pupils
        rows = timed("filter pupils", lambda: _read(store, load_pupils, TODAY, False))
        if rows is not None:
            word = rng.choice(["year 6", "asd", "smith", "k", "semh"])
            pupils = [r for r in rows if word in f"{r.sort_name} {r.year_label}".lower()] or rows

    def open_pupil() -> None:
        if not pupils:
            filter_pupils()
        if pupils:
            pid = rng.choice(pupils).id
            timed("open a pupil", lambda: _read(store, load_pupil, pid, TODAY))

    def add_record() -> None:
        if not pupils:
            filter_pupils()
        if not pupils:
            return
        pid = rng.choice(pupils).id

        def save() -> int:
            with store.session() as s:
                author = staff
                if author is None:
                    author = s.execute(
                        __import__("sqlalchemy").text("SELECT min(id) FROM staff")
                    ).scalar()
                return commands.save_record(
                    s,
                    {
                        "pupil_id": pid,
                        "author_id": author,
                        "occurred_at": dt.datetime.combine(TODAY, dt.time(10)),
                        "kind": "support",
                        "text": f"bench {login}",
                        "minutes": 30,
                    },
                )

        rid = timed("add a record", save)
        if rid is not None:
            with tally.lock:
                tally.records.append(rid)

    def edit_contract() -> None:
        def rows() -> list[Any]:
            with store.read() as s:
                return contract_rows(s)

        found = timed("open contracts", rows)
        if not found:
            return
        c = rng.choice(found[:20])  # a few busy contracts, so people do collide
        value = f"{login} {time.perf_counter():.6f}"

        def save() -> None:
            version = c.version
            for _attempt in range(5):
                try:
                    with store.session() as s:
                        commands.save_contract(
                            s, {"job_title": value[:120], "version": version}, c.id
                        )
                    with tally.lock:
                        tally.contract_saves[c.id].append((time.perf_counter(), value[:120]))
                    return
                except Conflict:
                    with tally.lock:
                        tally.conflicts += 1
                    with store.read() as s:  # read theirs again, then save ours over it
                        from sencodesk.model import Contract

                        mine = s.get(Contract, c.id)
                        if mine is None:  # erased meanwhile: nothing left to save over
                            return
                        version = mine.version

        timed("edit a contract", save)

    mix = {
        "senco": [dashboard, filter_pupils, open_pupil, open_pupil, add_record, edit_contract],
        "head": [dashboard, filter_pupils, open_pupil],
        "business_manager": [edit_contract],
        "lsa": [filter_pupils, open_pupil, add_record],
    }[role]
    try:
        while time.perf_counter() < stop:
            rng.choice(mix)()
            time.sleep(rng.uniform(0.5, 2.0))  # a person reads what they opened
    finally:
        store.close()


def check(url: str, tally: Tally, before: dict[int, int]) -> list[str]:
    """No lost updates: the saves told they succeeded are all in the database."""
    from sqlalchemy import create_engine, text

    problems = []
    eng = create_engine(url)
    with eng.connect() as c:
        if tally.records:
            found = c.execute(
                text("SELECT count(*) FROM record WHERE id = ANY(:ids)"), {"ids": tally.records}
            ).scalar_one()
            if found != len(tally.records):
                problems.append(f"{len(tally.records) - found} saved records are missing")
        for cid, saves in tally.contract_saves.items():
            version, title = c.execute(
                text("SELECT version, job_title FROM contract WHERE id = :i"), {"i": cid}
            ).one()
            if version - before[cid] != len(saves):
                problems.append(
                    f"contract {cid}: {len(saves)} saves succeeded but its version went "
                    f"{before[cid]} -> {version}"
                )
            last = max(saves)[1]
            if title != last:
                problems.append(f"contract {cid}: holds {title!r}, the last save was {last!r}")
    eng.dispose()
    return problems


def run_once(url: str, users: dict[str, list[tuple[str, int | None]]], seconds: float) -> dict:
    from sqlalchemy import create_engine, text

    eng = create_engine(url)
    with eng.connect() as c:
        before: dict[int, int] = {
            cid: v for cid, v in c.execute(text("SELECT id, version FROM contract")).all()
        }
    eng.dispose()
    tally = Tally()
    stop = time.perf_counter() + seconds
    threads = [
        threading.Thread(target=person, args=(url, role, login, staff, stop, tally), daemon=True)
        for role, people in users.items()
        for login, staff in people
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 120)  # bounded: a thread still busy then is reported
    hung = sum(t.is_alive() for t in threads)
    problems = check(url, tally, before)
    return {"tally": tally, "hung": hung, "problems": problems, "people": len(threads)}


def p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--rebuild", action="store_true")
    args = ap.parse_args()
    base = os.environ.get("SENCODESK_TEST_PG_URL")
    if not base:
        print("Set SENCODESK_TEST_PG_URL to a PostgreSQL server's superuser URL.")
        return 2
    users = build(base, args.rebuild)
    _admin, url = _urls(base)
    results = []
    for n in range(args.runs):
        r = run_once(url, users, args.seconds)
        results.append(r)
        t = r["tally"]
        print(f"run {n + 1}: {r['people']} people, {args.seconds:.0f} s, conflicts {t.conflicts}")
        for action in sorted(set(t.times) | set(t.errors)):
            xs = t.times[action]
            if not xs:  # every try failed: said, not left out
                print(f"  {action:16} n=    0  errors {len(t.errors[action])}")
                continue
            print(
                f"  {action:16} n={len(xs):5}  p50 {statistics.median(xs) * 1000:7.0f} ms"
                f"  p95 {p95(xs) * 1000:7.0f} ms  errors {len(t.errors[action])}"
            )
        for action, errs in t.errors.items():
            for e in errs[:3]:
                print(f"  error ({action}): {e}")
        print(f"  lost updates: {'none' if not r['problems'] else r['problems']}; hung {r['hung']}")
    actions = sorted({a for r in results for a in (*r["tally"].times, *r["tally"].errors)})
    print(f"\nmedian of {len(results)} runs (p95 per action, errors):")
    for action in actions:
        p95s = [p95(r["tally"].times[action]) * 1000 for r in results if r["tally"].times[action]]
        errs = [len(r["tally"].errors[action]) for r in results]
        shown = f"{statistics.median(p95s):7.0f} ms" if p95s else "      - ms"
        print(f"  {action:16} p95 {shown}   errors {statistics.median(errs):.0f}")
    lost = sum(len(r["problems"]) for r in results)
    errors = sum(len(e) for r in results for e in r["tally"].errors.values())
    hung = sum(r["hung"] for r in results)
    print(f"  lost updates over all runs: {lost}; errors: {errors}; hung: {hung}")
    return 1 if lost or errors or hung else 0


if __name__ == "__main__":
    raise SystemExit(main())
