"""The command line on edge cases: empty and missing databases, bad dates, bad output paths,
bad ids and URLs. Each is told in one line, exits non-zero and changes nothing."""

import datetime as dt
import gc
import json
import sys
import tempfile
from decimal import Decimal

import pytest

from sencodesk import cli, commands
from sencodesk.errors import KnownError, NotFound
from sencodesk.exchange.tabular import Column, TableData, write_xlsx_tables
from sencodesk.files import atomic_path

D = dt.date
TODAY = "2026-03-02"


def _school_with_pupil(store):
    """A school, one EHCP pupil with 25 h in the plan and none assigned (one alert)."""
    with store.session() as s:
        commands.save_school(s, {"name": "Brook Lane Primary", "on_cost_percent": Decimal("30")})
        pid = commands.save_pupil(
            s,
            {
                "legal_first_name": "Zoë",
                "legal_last_name": "O'Brien",
                "date_of_birth": D(2016, 2, 29),
                "sen_code": "E",
                "primary_need": "ASD",
                "ehcp_issued": D(2024, 4, 20),
                "ehcp_weekly_minutes": 25 * 60,
            },
        )
        commands.save_review(s, {"pupil_id": pid, "meeting_at": dt.datetime(2026, 5, 26, 10)})
    return pid


def _one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    assert err.startswith("sencodesk: ") and err.count("\n") == 1, err
    return err


@pytest.fixture
def no_default_db(tmp_path, monkeypatch):
    """The user's default database, moved into the test's folder (it must stay untouched)."""
    default = tmp_path / "default" / "sencodesk.db"
    monkeypatch.setattr("sencodesk.places.default_db_path", lambda: default)
    return default


@pytest.mark.parametrize(
    "command",
    [
        ["alerts"],
        ["export", "--out", "{tmp}/all.json"],
        ["backup"],
        ["sar", "--pupil", "1", "--out", "{tmp}/sar"],
        ["export", "--pupil", "1", "--out", "{tmp}/sar"],
    ],
)
def test_read_commands_never_create_a_database(tmp_path, capsys, command, no_default_db):
    """A mistyped --db used to be created, and read as a school with nothing to act on."""
    missing = tmp_path / "typo" / "scool.db"
    argv = [a.replace("{tmp}", str(tmp_path)) for a in command]
    assert cli.run([*argv, "--db", str(missing)]) == 2
    assert "There is no database at" in _one_line_error(capsys)
    assert not missing.exists() and not missing.parent.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "command",
    [
        ["alerts", "--format", "json", "--today", TODAY],
        ["export", "--out", "{tmp}/all.json"],
        ["backup", "--out", "{tmp}/copy.db"],
        ["sar", "--pupil", "1", "--out", "{tmp}/sar"],
        ["check"],
    ],
)
def test_db_before_the_command_name_is_the_one_used(
    store, db_path, tmp_path, capsys, command, no_default_db
):
    """``sencodesk --db X alerts`` used the default database instead of X."""
    _school_with_pupil(store)
    store.close()
    argv = [a.replace("{tmp}", str(tmp_path)) for a in command]
    assert cli.run(["--db", str(db_path), *argv]) == 0
    assert not no_default_db.exists()
    if command[0] == "alerts":
        assert json.loads(capsys.readouterr().out)["alerts"]


def test_a_bad_command_line_is_told_once(capsys):
    """main.py asks gui_args() first: it must not print argparse's error too."""
    assert cli.gui_args(["alerts", "--within", "abc"]) is None
    assert cli.gui_args(["report", "costs"]) is None  # --out missing
    assert capsys.readouterr().err == ""
    with pytest.raises(SystemExit):
        cli.run(["alerts", "--within", "abc"])
    assert capsys.readouterr().err.count("error:") == 1
    args = cli.gui_args(["--db", "x.db"])
    assert args is not None and args.db == "x.db"


@pytest.mark.parametrize(
    "argv",
    [
        ["alerts", "--today", "9999-12-31", "--within", "3660"],
        ["alerts", "--today", "0001-01-01"],
        ["calendar", "--out", "c.ics", "--since", "0001-01-01"],
        ["calendar", "--out", "c.ics", "--today", "01/01/0001"],
        ["report", "expiries", "--out", "e.csv", "--today", "9999-12-31"],
        ["report", "review-pack", "--pupil", "1", "--out", "p.pdf", "--today", "9999-12-31"],
        ["report", "review-packs", "--from", "2026-01-01", "--to", "9999-01-01", "--out", "x"],
    ],
)
def test_dates_off_the_calendar_are_refused(store, db_path, capsys, argv):
    """They ran the date arithmetic off the end of the calendar (OverflowError)."""
    _school_with_pupil(store)
    store.close()
    with pytest.raises(SystemExit) as exc:
        cli.run([*argv, "--db", str(db_path)])
    assert exc.value.code == 2
    assert "is out of range (use a date from 01/01/1900 to 31/12/2200)" in capsys.readouterr().err
    assert cli.parse_date_arg("29/02/2024") == D(2024, 2, 29)
    assert cli.parse_date_arg("2200-12-31") == D(2200, 12, 31)


@pytest.mark.parametrize(
    "argv",
    [
        ["report", "review-pack", "--pupil", "1", "--out", "{tmp}/pack.pdf"],
        ["report", "costs", "--out", "{tmp}/costs.pdf"],
        ["report", "census", "--out", "{tmp}/census.csv"],
        ["report", "training", "--out", "{tmp}/training.xlsx"],
        ["calendar", "--out", "{tmp}/reviews.ics"],
    ],
)
def test_an_output_file_that_is_a_folder_is_refused(store, db_path, tmp_path, capsys, argv):
    """It was an IsADirectoryError traceback, after the whole report had been built."""
    _school_with_pupil(store)
    store.close()
    args = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    folder = tmp_path / args[-1].rsplit("/", 1)[1]
    folder.mkdir()
    assert cli.run([*args, "--db", str(db_path), "--today", TODAY]) == 2
    assert "it is a folder; give a file name" in _one_line_error(capsys)
    assert list(folder.iterdir()) == []
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_an_xlsx_into_a_missing_folder_is_refused_quietly(tmp_path, monkeypatch):
    """The unsaved write-only workbook printed "Exception ignored ... closed file" twice."""
    noise: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", noise.append)
    table = TableData("T", (Column("A"),), (("x",),))
    with pytest.raises(KnownError, match="the folder .*nowhere does not exist"):
        write_xlsx_tables(tmp_path / "nowhere" / "t.xlsx", "Title", [table])
    gc.collect()
    assert noise == []


@pytest.mark.parametrize(
    "argv",
    [
        ["sar", "--pupil", "1", "--out", "{file}"],
        ["export", "--pupil", "1", "--out", "{file}"],
        ["report", "review-packs", "--from", "2026-01-01", "--to", "2026-12-31", "--out", "{file}"],
        ["backup", "--out", "{file}"],
    ],
)
def test_a_folder_output_that_is_a_file_is_refused(store, db_path, tmp_path, capsys, argv):
    """They were FileExistsError tracebacks from mkdir."""
    _school_with_pupil(store)
    store.close()
    file = tmp_path / "notes"
    file.write_text("keep me", encoding="utf-8")
    args = [a.replace("{file}", str(file)) for a in argv]
    assert cli.run([*args, "--db", str(db_path)]) == 2
    assert "is a file, not a folder" in _one_line_error(capsys)
    assert file.read_text(encoding="utf-8") == "keep me"


def test_a_folder_that_cannot_be_written_is_told_in_words(tmp_path, monkeypatch):
    """A read-only folder (or a full disk) was an OSError traceback."""

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with (
        pytest.raises(KnownError, match=r"Cannot write .*x\.pdf: permission denied\.$"),
        atomic_path(tmp_path / "x.pdf"),
    ):
        pass
    assert list(tmp_path.iterdir()) == []


def test_review_packs_for_an_empty_range_write_no_folder(store, db_path, tmp_path, capsys):
    _school_with_pupil(store)
    store.close()
    out = tmp_path / "packs"
    assert (
        cli.run(
            ["report", "review-packs", "--from", "2020-01-01", "--to", "2020-12-31"]
            + ["--out", str(out), "--db", str(db_path)]
        )
        == 0
    )
    assert "No review meetings between 01/01/2020 and 31/12/2020." in capsys.readouterr().out
    assert not out.exists()


@pytest.mark.parametrize("text", ["99999999999999999999", "2147483648", "9223372036854775808"])
def test_a_huge_pupil_id_is_not_found(any_store, text):
    """It overflowed the database's integer (OverflowError on SQLite, DataError on PG)."""
    pid = _school_with_pupil(any_store)
    from sencodesk.queries.pupil_detail import find_pupil

    with any_store.read() as s:
        assert find_pupil(s, f" {pid} ") == pid
        with pytest.raises(NotFound, match="No pupil has the UPN or id"):
            find_pupil(s, text)


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("notadriver://x/y", "notadriver://… is not a database address SENCO Desk can use"),
        ("postgresql+psycopg://me@127.0.0.1:port/x", "is not a database address"),
        ("mysql://me@server/x", "its database driver is not installed (MySQLdb)"),
        ("postgresql+psycopg://me@127.0.0.1:1/x", "Cannot read the database: connection failed"),
    ],
)
def test_a_bad_database_url_is_told_in_one_line(capsys, url, said):
    """They were tracebacks (unknown dialect, bad port, missing driver) or several lines."""
    assert cli.run(["alerts", "--db", url]) == 2
    assert said in _one_line_error(capsys)


@pytest.mark.parametrize("command", [["check"], ["backup"], ["export", "--out", "x.json"]])
def test_a_bad_database_url_is_told_by_every_command(capsys, command):
    assert cli.run([*command, "--db", "notadriver://x/y"]) == 2
    assert "is not a database address" in _one_line_error(capsys)


def test_export_needs_a_json_file_name(store, db_path, tmp_path, capsys):
    _school_with_pupil(store)
    store.close()
    out = tmp_path / "all.txt"
    assert cli.run(["export", "--db", str(db_path), "--out", str(out)]) == 2
    assert "use a file name ending .json" in _one_line_error(capsys)
    assert not out.exists()


def test_one_alert_is_one_alert(store, db_path, capsys):
    _school_with_pupil(store)
    store.close()
    assert cli.run(["alerts", "--db", str(db_path), "--today", TODAY, "--within", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1 alert from 02/03/2026, looking 1 day ahead")
    assert cli.run(["alerts", "--db", str(db_path), "--today", "2024-04-19", "--within", "1"]) == 0
    assert capsys.readouterr().out == "Nothing to act on in the next 1 day from 19/04/2024.\n"


def test_no_ehcp_hours_alert_before_the_plan_is_issued(store):
    """As at a date before the EHCP was issued (20/04/2024), its hours were "not covered"."""
    from sencodesk.alerts import AlertKind, compute_alerts

    _school_with_pupil(store)
    with store.read() as s:
        before = compute_alerts(s, today=D(2024, 4, 19), within_days=30)
        after = compute_alerts(s, today=D(2024, 4, 20), within_days=30)
    assert [a.kind for a in before] == []
    assert [a.kind for a in after] == [AlertKind.EHCP_HOURS_UNCOVERED]


@pytest.mark.parametrize(
    "command",
    [
        ["demo", "--pupils", "20"],
        ["import", "{tmp}/all.json"],
        ["restore", "{tmp}/copy.db", "--yes"],
    ],
)
def test_a_database_under_a_file_is_refused(store, db_path, tmp_path, capsys, command):
    """A --db whose folder is a file was a FileExistsError / NotADirectoryError traceback."""
    _school_with_pupil(store)
    store.close()
    assert cli.run(["export", "--db", str(db_path), "--out", str(tmp_path / "all.json")]) == 0
    assert cli.run(["backup", "--db", str(db_path), "--out", str(tmp_path / "copy.db")]) == 0
    capsys.readouterr()
    file = tmp_path / "notes"
    file.write_text("keep me", encoding="utf-8")
    argv = [a.replace("{tmp}", str(tmp_path)) for a in command]
    assert cli.run([*argv, "--db", str(file / "school.db")]) == 2
    assert f"{file} is " in _one_line_error(capsys)
    assert file.read_text(encoding="utf-8") == "keep me"


def test_a_demo_in_the_future_creates_no_database(tmp_path, capsys):
    """The date was refused only after the new database file had been created."""
    db = tmp_path / "demo.db"
    assert cli.run(["demo", "--db", str(db), "--today", "2200-01-01"]) == 2
    assert "is in the future" in _one_line_error(capsys)
    assert list(tmp_path.iterdir()) == []


def test_a_missing_or_binary_passphrase_file_is_told_in_words(store, db_path, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.run(["alerts", "--db", str(db_path), "--passphrase-file", str(tmp_path / "nope")])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "Cannot read the passphrase file" in err and "no such file or directory." in err
    assert "Errno" not in err
    binary = tmp_path / "key.bin"
    binary.write_bytes(b"\xff\xfe\x00\x81")
    with pytest.raises(SystemExit):
        cli.run(["alerts", "--db", str(db_path), "--passphrase-file", str(binary)])
    assert "is not text (UTF-8)" in capsys.readouterr().err
