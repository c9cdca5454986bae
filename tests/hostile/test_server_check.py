"""The check of a server database does not cry wolf: a member of staff's line manager (a
reference from staff to staff) is found when it exists, and a real dangling one is named."""

from __future__ import annotations

from sqlalchemy import text

from sencodesk import cli, commands
from sencodesk.safety import integrity


def _staff_with_a_manager(store) -> tuple[int, int]:
    with store.session() as s:
        head = commands.save_staff(s, {"first_name": "Hana", "last_name": "Head", "role": "senco"})
        lsa = commands.save_staff(
            s,
            {
                "first_name": "Lee",
                "last_name": "Assistant",
                "role": "lsa_1to1",
                "line_manager_id": head,
            },
        )
    return head, lsa


def test_line_managers_are_not_missing_rows(any_store, capsys):
    _staff_with_a_manager(any_store)
    assert integrity.full_check(any_store) == []
    with any_store.engine.connect() as conn:
        assert integrity.orphan_problems(conn) == []
    assert cli.run(["check", "--db", any_store.url]) == 0
    assert capsys.readouterr().out.strip().endswith("ok")


def test_a_really_missing_line_manager_is_named(pg_url, capsys):
    from sencodesk.store import open_store

    store = open_store(pg_url, user="test")
    try:
        _staff_with_a_manager(store)  # two more, managed, beside the damaged one
        _head, lsa = _staff_with_a_manager(store)
        with store.engine.begin() as conn:  # damage as a bad restore could: FKs off
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            conn.execute(text("UPDATE staff SET line_manager_id = 99999 WHERE id = :i"), {"i": lsa})
        assert integrity.full_check(store) == [
            "1 row in staff points to a missing staff row (line_manager_id)."
        ]
    finally:
        store.close()
