"""Census check: is every pupil's SEN code and primary need right before census day?

Checked, for pupils on roll (not archived):
- code K or E without a primary need (the census needs one);
- code N with a primary or secondary need;
- an EHC plan recorded (issue date) but code K or N; code E without an EHC plan issue date;
- NSA (no specialist assessment) as the need of a pupil with code E (NSA is SEN support only);
- a missing UPN, one that fails the check letter, or a temporary one;
- a difference from the school's MIS at the last import (provision, primary and secondary
  need): the census is returned from the MIS, so the two must agree.
Pupils with SEN are listed whether or not they have a problem; others only with one.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..exchange.tabular import DATE, FLAG, TEXT, Column, Report, TableData
from ..model import MisPupil, Pupil
from ..queries.common import display_name, sort_name
from ..queries.school import get_school
from ..rules import upn as upn_rules
from ..rules.dates import format_date
from ..rules.schoolyear import next_census_day, year_group, year_group_label
from ..vocab import SenCode

COLUMNS = (
    Column("Pupil", TEXT, 1.5),
    Column("UPN", TEXT, 1.1),
    Column("Date of birth", DATE, 0.9),
    Column("Year", TEXT, 0.7),
    Column("SEN code", TEXT, 0.6),
    Column("Primary need", TEXT, 0.7),
    Column("Secondary need", TEXT, 0.7),
    Column("EHCP issued", DATE, 0.9),
    Column("To fix before census", FLAG, 3.0),
)


def problems(
    sen: str,
    primary: str | None,
    secondary: str | None,
    upn: str | None,
    ehcp_issued: dt.date | None,
) -> list[str]:
    out = []
    if sen in (SenCode.SEN_SUPPORT, SenCode.EHCP) and not primary:
        out.append(f"No primary need (needed for code {sen})")
    if sen == SenCode.NONE and (primary or secondary):
        out.append("Has a need recorded but code N")
    if ehcp_issued is not None and sen != SenCode.EHCP:
        out.append(f"EHC plan issued {format_date(ehcp_issued)} but code {sen}")
    if sen == SenCode.EHCP and ehcp_issued is None:
        out.append("Code E but no EHC plan issue date")
    if sen == SenCode.EHCP and primary == "NSA":
        out.append("NSA is for SEN support only, not an EHC plan")
    if not upn:
        out.append("No UPN")
    else:
        err = upn_rules.upn_error(upn)
        if err:
            out.append(err)
        elif upn_rules.is_temporary(upn):
            out.append("Temporary UPN: replace it with the permanent one")
    return out


def mis_differences(
    sen: str,
    primary: str | None,
    secondary: str | None,
    mis: tuple[str | None, str | None, str | None] | None,
) -> list[str]:
    """Where the register differs from what the MIS said at the last import."""
    if mis is None or mis[0] is None:
        return []
    mis_sen, mis_primary, mis_secondary = mis
    out = []
    if mis_sen != sen:
        out.append(f"MIS has code {mis_sen}, here {sen}")
    for label, here, there in (
        ("primary need", primary, mis_primary),
        ("secondary need", secondary, mis_secondary),
    ):
        if (here or None) != (there or None):
            out.append(f"MIS {label} {there or 'none'}, here {here or 'none'}")
    return out


def _pupils(n: int) -> str:
    return f"{n} pupil" if n == 1 else f"{n} pupils"


def census_report(session: Session, *, today: dt.date) -> Report:
    school = get_school(session)
    census = next_census_day(today)
    cols = (
        Pupil.id,
        Pupil.legal_first_name,
        Pupil.legal_last_name,
        Pupil.preferred_name,
        Pupil.upn,
        Pupil.date_of_birth,
        Pupil.year_group_override,
        Pupil.sen_code,
        Pupil.primary_need,
        Pupil.secondary_need,
        Pupil.ehcp_issued,
        MisPupil.sen_code,
        MisPupil.primary_need,
        MisPupil.secondary_need,
    )
    # Every pupil on roll, once: an SEN pupil is listed (flagged or clean); a pupil with code
    # N only when something is wrong (a need recorded, an EHC plan, a missing or bad UPN).
    q = (
        select(*cols)
        .outerjoin(MisPupil, MisPupil.pupil_id == Pupil.id)
        .where(Pupil.archived.is_(False))
        .order_by(Pupil.legal_last_name, Pupil.legal_first_name, Pupil.id)
    )
    flagged: list[tuple[str, int, list[object]]] = []
    mis_count = 0
    clean: list[tuple[str, int, list[object]]] = []
    for (
        pid,
        first,
        last,
        pref,
        upn,
        dob,
        override,
        sen,
        primary,
        secondary,
        issued,
        mis_sen,
        mis_primary,
        mis_secondary,
    ) in session.execute(q):
        found = problems(sen, primary, secondary, upn, issued)
        differ = mis_differences(sen, primary, secondary, (mis_sen, mis_primary, mis_secondary))
        found += differ
        mis_count += bool(differ)
        if sen == SenCode.NONE and not found:
            continue
        yg = override if override is not None else year_group(dob, census)
        row = [
            display_name(first, last, pref),
            upn or "",
            dob,
            year_group_label(yg),
            sen,
            primary or "",
            secondary or "",
            issued,
            "; ".join(found),
        ]
        (flagged if found else clean).append((sort_name(first, last, pref).lower(), pid, row))
    flagged.sort(key=lambda t: (t[0], t[1]))
    rows = [r for _, _, r in flagged] + [r for _, _, r in clean]
    days = (census - today).days
    return Report(
        title="Census check: SEN codes and needs",
        school=school.name,
        today=today,
        landscape=True,
        subtitle=(
            f"Next census day: Thursday {format_date(census)} (in {days} days). "
            f"To fix: {_pupils(len(flagged))}, listed first. No problems found: "
            f"{_pupils(len(clean))} with SEN."
            + (f" Different from the MIS: {_pupils(mis_count)}." if mis_count else ""),
        ),
        tables=(TableData("Census check", COLUMNS, rows),),
        extra={"census_day": census, "to_fix": len(flagged), "mis_differences": mis_count},
    )
