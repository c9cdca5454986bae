"""Importing from the MIS: the preview's counts and differences, the SENCO's choices, one
audited transaction through the editors' commands, and a second import that changes nothing."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from sqlalchemy import func, select

from sencodesk import commands
from sencodesk.errors import KnownError, ValidationError
from sencodesk.mis import sheet
from sencodesk.mis.apply import apply_plan
from sencodesk.mis.preview import CHOOSE, LEAVER, NEW, UPDATE, Choices, make_plan
from sencodesk.model import AuditEntry, MisPupil, Pupil, Staff
from sencodesk.reports.census import census_report

from .make_files import FIXTURES, roll_of, snapshot, upn, write_csv, write_ctf

CTF = FIXTURES / "ctf_25_sex.xml"
CSV = FIXTURES / "sims_roll_utf8.csv"


def plan_of(store, path, **kw):
    with store.read() as s:
        return make_plan(s, path, **kw)


def run(store, path, choices=None, **kw):
    plan = plan_of(store, path, **kw)
    return plan, apply_plan(store, plan, choices or Choices.defaults(plan))


def pupils(store):
    with store.read() as s:
        return {p.legal_first_name: p for p in s.scalars(select(Pupil))}


def test_a_ctf_into_an_empty_school_then_again_changes_nothing(school):
    plan, done = run(school, CTF)
    assert plan.counts == {
        "rows": 6,
        "new": 6,
        "changed": 0,
        "unchanged": 0,
        "leavers": 0,
        "ambiguous": 0,
        "refused": 0,
    }
    assert (done.added, done.updated, done.mis_recorded) == (6, 0, 6)
    p = pupils(school)
    olivia = p["Olivia"]
    assert (olivia.upn, olivia.preferred_name, olivia.sen_code) == ("N886200126001", "Liv", "E")
    assert (olivia.primary_need, olivia.secondary_need) == ("ASD", "SLCN")
    assert p["Leo"].year_group_override == 5 and p["Leo"].upn is None  # held back a year
    assert p["Muhammad"].year_group_override is None  # the year his birth date gives
    with school.read() as s:
        reasons = set(s.scalars(select(AuditEntry.reason).where(AuditEntry.table_name == "pupil")))
        mis = s.scalars(select(MisPupil).where(MisPupil.pupil_id == olivia.id)).one()
    assert reasons == {"Imported from ctf_25_sex.xml (CTF 25.0 from Oakfield Primary School)"}
    assert (mis.sen_code, mis.primary_need, mis.sex, mis.file_date) == (
        "E",
        "ASD",
        "F",
        dt.date(2026, 11, 20),
    )
    before = snapshot(school)
    again, done = run(school, CTF)
    assert again.counts["unchanged"] == 6 and again.items == () and again.mis_updates == ()
    assert (done.added, done.updated, done.mis_recorded) == (0, 0, 0)
    assert snapshot(school) == before  # not one row (nor audit entry) more


def test_a_csv_after_the_ctf_shows_each_change_old_to_new(school):
    run(school, CTF)
    plan = plan_of(school, CSV)
    assert plan.counts["changed"] == 6 and plan.counts["new"] == 0
    jones = next(i for i in plan.of(UPDATE) if i.name == "Jones, Amelia")
    assert [str(c) for c in jones.changes] == [
        "Preferred name: (none) → Millie",
        "Class: (none) → RJ",
        "Admission date: (none) → 03/09/2026",
    ]
    done = apply_plan(school, plan, Choices.defaults(plan))
    assert (done.updated, done.fields) == (6, 13)
    assert pupils(school)["Amelia"].class_name == "RJ"
    before = snapshot(school)
    assert plan_of(school, CSV).items == ()
    assert snapshot(school) == before


def test_a_csv_into_an_empty_school(school):
    plan, done = run(school, FIXTURES / "sims_roll_cp1252.csv")
    assert plan.counts["new"] == 6 and done.added == 6
    p = pupils(school)
    assert p["Siobhán"].sen_code == "K" and p["Siobhán"].primary_need == "SPLD"
    assert p["Amelia"].preferred_name == "Millie" and p["Leo"].year_group_override == 5


def test_sen_fields_show_both_values_and_keep_the_apps_unless_ticked(school):
    run(school, CTF)
    with school.session() as s:
        olivia = s.scalars(select(Pupil).where(Pupil.legal_first_name == "Olivia")).one()
        commands.save_pupil(s, {"primary_need": "SEMH", "legal_last_name": "Smyth"}, olivia.id)
    plan = plan_of(school, CTF)
    item = plan.of(UPDATE)[0]
    assert [(str(c), c.default) for c in item.changes] == [
        ("Legal surname: Smyth → Smith", True),
        ("Primary need: SEMH → ASD", False),
    ]
    apply_plan(school, plan, Choices.defaults(plan))
    olivia = pupils(school)["Olivia"]
    assert (olivia.legal_last_name, olivia.primary_need) == ("Smith", "SEMH")  # the app's kept
    with school.read() as s:
        census = census_report(s, today=dt.date(2026, 11, 20))
    row = next(r for r in census.tables[0].rows if r[0] == "Liv Smith")
    assert "MIS primary need ASD, here SEMH" in row[-1]
    assert census.extra["mis_differences"] == 1
    # ticked: the MIS's value is taken
    plan = plan_of(school, CTF)
    choices = Choices.defaults(plan)
    choices.fields.add((plan.of(UPDATE)[0].key, "primary_need"))
    apply_plan(school, plan, choices)
    assert pupils(school)["Olivia"].primary_need == "ASD"


def test_into_the_demo_school(demo, tmp_path):
    roll = roll_of(demo)
    assert len(roll) > 40
    changed, sen_changed, gone = roll[3], roll[4], roll[5:7]
    changed["surname"] = changed["surname"] + "-Hart"
    sen_changed["sen"] = [(dt.date(2024, 9, 4), "K" if sen_changed.get("sen") else "K")]
    sen_changed["needs"] = [(1, "HI")]
    new = [
        {
            "upn": upn(886, 2259, 26, 900 + i),
            "surname": f"Newcomer{i}",
            "forename": "Ada",
            "dob": dt.date(2019, 3, i + 1),
            "sex": "F",
            "year": 3,
        }
        for i in range(3)
    ]
    rows = [p for p in roll if p not in gone] + new
    csv_path = write_csv(tmp_path / "roll.csv", rows)
    stamp = dt.datetime(2026, 11, 20, 16, 0).timestamp()
    os.utime(csv_path, (stamp, stamp))  # a list's date is the day it was saved
    for path in (
        write_ctf(tmp_path / "roll.xml", rows),
        csv_path,
    ):
        plan = plan_of(demo, path)
        c = plan.counts
        assert (c["new"], c["leavers"], c["ambiguous"], c["refused"]) == (3, 2, 0, 0)
        assert c["rows"] == len(rows)
        diffs = {i.name: [str(ch) for ch in i.changes] for i in plan.of(UPDATE)}
        assert (
            f"Legal surname: {roll[3]['surname'][:-5]} → {roll[3]['surname']}"
            in diffs[f"{roll[3]['surname'][:-5]}, {roll[3]['forename']}"]
        )
        assert {i.row_id for i in plan.of(LEAVER)} == {p["id"] for p in gone}
        assert all(ch.new == dt.date(2026, 11, 20) for i in plan.of(LEAVER) for ch in i.changes)
    plan = plan_of(demo, tmp_path / "roll.xml")
    choices = Choices.defaults(plan)
    assert not any(k.startswith("leaver:") for k in choices.items)  # leavers wait for a tick
    choices.items.update(i.key for i in plan.of(LEAVER))
    done = apply_plan(demo, plan, choices)
    assert (done.added, done.leavers) == (3, 2)
    with demo.read() as s:
        for p in gone:
            left = s.get(Pupil, p["id"])
            assert left is not None  # never deleted
            assert left.leaving_date == dt.date(2026, 11, 20) and left.archived
    before = snapshot(demo)
    again = plan_of(demo, tmp_path / "roll.xml")
    assert (again.counts["new"], again.counts["leavers"]) == (0, 0)
    # only the SEN difference the SENCO kept is still shown, not ticked
    (kept,) = again.of(UPDATE)
    assert kept.row_id == sen_changed["id"]
    assert [c.field for c in kept.changes if c.default] == []
    apply_plan(demo, again, Choices.defaults(again))
    assert snapshot(demo) == before


def _twins(store):
    with store.session() as s:
        for _ in range(2):
            commands.save_pupil(
                s,
                {
                    "legal_first_name": "Sam",
                    "legal_last_name": "Lee",
                    "date_of_birth": dt.date(2018, 5, 5),
                },
            )


def test_an_ambiguous_match_waits_for_the_senco(school, tmp_path):
    _twins(school)
    path = write_ctf(
        tmp_path / "x.xml",
        [
            {
                "upn": upn(886, 2259, 26, 5),
                "surname": "Lee",
                "forename": "Sam",
                "dob": dt.date(2018, 5, 5),
                "sex": "M",
                "year": 4,
            }
        ],
    )
    plan = plan_of(school, path)
    assert plan.counts["ambiguous"] == 1 and plan.counts["new"] == 0
    item = plan.of(CHOOSE)[0]
    assert len(item.candidates) == 2
    assert "Lee, Sam, born 05/05/2018, Year 4, no UPN" in item.candidates[0].description
    before = snapshot(school)
    apply_plan(school, plan, Choices.defaults(plan))  # nothing chosen: nothing done
    assert snapshot(school) == before
    choices = Choices.defaults(plan)
    choices.chosen[item.key] = item.candidates[1].id
    apply_plan(school, plan, choices)
    with school.read() as s:
        assert s.get(Pupil, item.candidates[1].id).upn == upn(886, 2259, 26, 5)
        assert s.get(Pupil, item.candidates[0].id).upn is None


def test_matching_by_name_and_birth_date_only_without_a_permanent_upn(school, tmp_path):
    with school.session() as s:
        temp = commands.save_pupil(
            s,
            {
                "legal_first_name": "Ana",
                "legal_last_name": "Silva",
                "upn": "Z88620012600A",
                "date_of_birth": dt.date(2019, 2, 2),
            },
        )
        commands.save_pupil(
            s,
            {
                "legal_first_name": "Ben",
                "legal_last_name": "Cole",
                "upn": upn(886, 1, 26, 1),
                "date_of_birth": dt.date(2019, 2, 2),
            },
        )
    path = write_ctf(
        tmp_path / "x.xml",
        [
            {
                "upn": upn(886, 2259, 26, 7),
                "surname": "SILVA",
                "forename": "ana",
                "dob": dt.date(2019, 2, 2),
            },
            # the same name and birth date but another permanent UPN: another child
            {
                "upn": upn(886, 2259, 26, 8),
                "surname": "Cole",
                "forename": "Ben",
                "dob": dt.date(2019, 2, 2),
            },
        ],
    )
    plan = plan_of(school, path)
    (update,) = plan.of(UPDATE)
    assert update.row_id == temp
    assert "UPN: Z88620012600A → " + upn(886, 2259, 26, 7) in [str(c) for c in update.changes]
    assert [i.name for i in plan.of(NEW)] == ["Cole, Ben"]


def test_the_same_pupil_twice_in_a_file_is_refused(school, tmp_path):
    p = {
        "upn": upn(886, 2259, 26, 9),
        "surname": "Ng",
        "forename": "Kai",
        "dob": dt.date(2018, 1, 1),
    }
    plan = plan_of(school, write_ctf(tmp_path / "x.xml", [p, dict(p)]))
    assert plan.counts["new"] == 1
    assert [str(r) for r in plan.refused] == [
        f"<Pupil> 2 (Ng, Kai), UPN: {p['upn']} is also in <Pupil> 1 (Ng, Kai)"
    ]


def test_cancel_writes_nothing(school, tmp_path):
    from .make_files import big_roll

    plan = plan_of(school, write_ctf(tmp_path / "x.xml", big_roll(300)))
    before = snapshot(school)
    calls = []

    def cancel():
        calls.append(1)
        return len(calls) > 120

    with pytest.raises(KnownError, match="cancelled: nothing was written"):
        apply_plan(school, plan, Choices.defaults(plan), cancel=cancel)
    assert snapshot(school) == before


def test_a_row_the_editors_would_refuse_is_refused_in_the_preview(school, tmp_path):
    rows = [
        {
            "upn": upn(886, 2259, 26, 1),
            "surname": "Ok",
            "forename": "A",
            "dob": dt.date(2018, 1, 1),
        },
        {
            "upn": upn(886, 2259, 26, 2),
            "surname": "Future",
            "forename": "B",
            "dob": dt.date(2031, 6, 1),
        },
    ]
    plan = plan_of(school, write_ctf(tmp_path / "x.xml", rows))
    assert [str(r) for r in plan.refused] == [
        "<Pupil> 2 (Future, B), Date of birth: cannot be in the future"
    ]
    assert plan.counts["new"] == 1 and plan.counts["rows"] == 2


def test_a_value_the_editors_refuse_at_import_fails_the_whole_import_naming_the_row(school):
    plan = plan_of(school, CTF)
    # meanwhile (another SENCO on a shared database) a pupil is given one of the file's UPNs
    with school.session() as s:
        commands.save_pupil(
            s,
            {
                "legal_first_name": "Other",
                "legal_last_name": "Child",
                "upn": "R886200126003",
                "date_of_birth": dt.date(2018, 2, 2),
            },
        )
    before = snapshot(school)
    with pytest.raises(KnownError) as err:
        apply_plan(school, plan, Choices.defaults(plan))
    assert str(err.value) == (
        "Nothing was imported: 1 change cannot be saved. Untick it, or correct the MIS and "
        "export again:\n- <Pupil> 3 (O'Brien, Siobhán), UPN: R886200126003 already belongs "
        "to another pupil"
    )
    assert snapshot(school) == before  # none of the other five was added either


def test_a_row_changed_in_the_app_since_the_preview_is_not_overwritten(school):
    run(school, CTF)
    with school.session() as s:
        pid = s.scalars(select(Pupil.id).where(Pupil.legal_first_name == "Amelia")).one()
    plan = plan_of(school, CSV)
    with school.session() as s:
        commands.save_pupil(s, {"class_name": "RK"}, pid)
    before = snapshot(school)
    with pytest.raises(KnownError, match="Class has changed in the app since the preview"):
        apply_plan(school, plan, Choices.defaults(plan))
    assert snapshot(school) == before


def test_a_ctf_from_another_school_offers_no_leavers(demo, tmp_path):
    path = write_ctf(
        tmp_path / "joiner.xml",
        [
            {
                "upn": upn(886, 3000, 26, 1),
                "surname": "Moved",
                "forename": "In",
                "dob": dt.date(2018, 4, 4),
            }
        ],
        estab="3000",
        school="Elm Park Primary",
    )
    plan = plan_of(demo, path)
    assert plan.counts["new"] == 1 and plan.counts["leavers"] == 0
    assert plan.source.reason == "Imported from joiner.xml (CTF 25.0 from Elm Park Primary)"


def test_a_saved_mapping_maps_next_terms_file(school, tmp_path):
    from .make_files import big_roll

    headings = [
        "Pupil Ref",
        "Family",
        "Given",
        "Born",
        "Tutor",
        "Sex",
        "Yr",
        "Joined",
        "Provision",
        "Need A",
        "Need B",
        "Pref",
    ]
    order = [0, 1, 2, 4, 7, 5, 6, 8, 9, 10, 11, 3]  # the SIMS column under each heading
    path = tmp_path / "autumn.csv"
    import csv

    from .make_files import sheet_row

    pupils_ = list(big_roll(5))
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(headings)
        for p in pupils_:
            r = sheet_row(p)
            w.writerow([r[i] for i in order])
    with pytest.raises(KnownError, match="no column is mapped to Legal surname, Legal forename"):
        plan_of(school, path)
    mapping = {
        "upn": "Pupil Ref",
        "legal_last_name": "Family",
        "legal_first_name": "Given",
        "date_of_birth": "Born",
        "class_name": "Tutor",
        "sen_code": "Provision",
        "primary_need": "Need A",
    }
    with school.session() as s:
        sheet.save_mapping(s, "Our SIMS report", sheet.PUPILS, mapping)
    spring = tmp_path / "spring.csv"
    spring.write_bytes(path.read_bytes())
    plan = plan_of(school, spring)  # maps itself
    assert plan.counts["new"] == 5 and plan.counts["refused"] == 0


def test_staff_from_a_spreadsheet(school, tmp_path):
    staff_csv = FIXTURES / "arbor_staff.csv"
    with school.session() as s:
        commands.save_staff(
            s,
            {
                "first_name": "Anita",
                "last_name": "Patel",
                "role": "lsa_1to1",
                "start_date": dt.date(2019, 9, 1),
            },
        )
    plan = plan_of(school, staff_csv)
    assert plan.kind == "staff"
    assert (plan.counts["new"], plan.counts["changed"]) == (2, 1)
    assert [str(c) for c in plan.of(UPDATE)[0].changes] == [
        "Role: 1:1 LSA → Class-based LSA",
        "Email: (none) → a.patel@oakfield.example.sch.uk",
    ]
    apply_plan(school, plan, Choices.defaults(plan))
    with school.read() as s:
        assert s.scalar(select(func.count()).select_from(Staff)) == 3
        assert s.scalars(select(Staff.role).where(Staff.last_name == "Green")).one() == "hlta"
    before = snapshot(school)
    again = plan_of(school, staff_csv)
    assert again.items == () and again.counts["unchanged"] == 3
    assert snapshot(school) == before


def test_the_same_on_sqlite_and_postgresql(any_store, tmp_path):
    from .conftest import set_up_school
    from .make_files import big_roll

    set_up_school(any_store)
    path = write_ctf(tmp_path / "roll.xml", big_roll(1200))  # more than one batch of 500
    plan, done = run(any_store, path)
    assert done.added == 1200 and done.mis_recorded == plan.counts["new"] == 1200
    before = snapshot(any_store)
    again, done = run(any_store, path)
    assert again.counts["unchanged"] == 1200 and (done.added, done.mis_recorded) == (0, 0)
    assert snapshot(any_store) == before


def test_add_pupils_checks_every_row_as_save_pupil_does(school):
    good = {"legal_first_name": "A", "legal_last_name": "B", "date_of_birth": dt.date(2018, 1, 1)}
    with school.session() as s:
        commands.save_pupil(s, {**good, "upn": upn(886, 2259, 26, 1)})
    before = snapshot(school)
    rows = [
        {**good, "upn": upn(886, 2259, 26, 1)},  # already in the database
        {**good, "upn": upn(886, 2259, 26, 2)},
        {**good, "upn": upn(886, 2259, 26, 2)},  # twice in the batch
        {**good, "sen_code": "N", "primary_need": "ASD"},
        {**good, "date_of_birth": "31/02/2018"},
    ]
    with pytest.raises(ValidationError) as err, school.session() as s:
        commands.add_pupils(s, rows)
    assert err.value.errors == {
        "row 1: upn": f"{upn(886, 2259, 26, 1)} already belongs to another pupil",
        "row 3: upn": f"{upn(886, 2259, 26, 2)} is also in row 2",
        "row 4: primary_need": "must be empty for a pupil with no SEN (code N)",
        "row 5: date_of_birth": "must be a date as dd/mm/yyyy",
    }
    assert snapshot(school) == before
    with school.session() as s:
        ids = commands.add_pupils(s, rows[1:2] + [good])
    assert len(ids) == 2
