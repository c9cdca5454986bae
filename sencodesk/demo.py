"""The demo school: made-up but realistic data, the same every time for a seed and a date.

``make_demo(store, pupils=420, seed=1, today=...)`` writes a two-form-entry primary school
(Reception to Year 6, year groups from dates of birth) with about 60 pupils on the SEN
register (48 SEN support, 12 EHCPs), about ten support staff on the contract patterns of the
job adverts in ``seeds/``, funding lines, assignments, EHCP outcomes with their history,
records, training, DBS checks and annual reviews. Everything is dated relative to ``today``
and arranged so that every kind of alert has something to say: contracts that outlive their
funding, EHCP hours not covered, an LSA assigned more hours than contracted, funding with
nobody assigned, reviews overdue and due, training and DBS checks expiring.

More than 1,000 pupils make a trust-sized database (Reception to Year 11) for benchmarks:
the same school structure repeated, written with bulk inserts instead of the validated,
audited ``commands`` (which write the default school).

How it works: a :class:`_Builder` draws everything from one ``random.Random(seed)`` into a
plan (rows per table, with references between rows), then a writer puts the plan into the
database in dependency order, through the commands or in bulk. The plan never depends on the
database, so both writers give the same rows; the wall clock is used only for the audit
trail's timestamps.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from dateutil.easter import easter
from dateutil.relativedelta import relativedelta
from sqlalchemy import Table, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from . import commands, vocab
from .errors import KnownError
from .model import (
    Assignment,
    AuditEntry,
    Contract,
    ContractDay,
    DbsCheck,
    Funding,
    LocalAuthority,
    Outcome,
    OutcomeStatusChange,
    Pupil,
    Qualification,
    Record,
    ReviewInvitee,
    ReviewMeeting,
    Staff,
    Training,
)
from .rules import upn as upn_rules
from .rules.pay import WorkDay, weekly_minutes
from .rules.reviews import suggested_interval_months
from .rules.schoolyear import academic_year_of, bank_holidays, previous_working_day, year_group

Progress = Callable[[int, int, str], None]

DEFAULT_PUPILS = 420
MIN_PUPILS = 20
MAX_PUPILS = 200_000
#: More pupils than this make a trust (Reception to Year 11), written with bulk inserts.
LARGE_FROM = 1000
#: Per 420 pupils: 48 on SEN support (K) and 12 with an EHCP (E), as in an average primary.
K_PER_420 = 48
E_PER_420 = 12
PUPILS_PER_CLASS = 30
CHUNK = 2000  # rows per bulk insert (and per progress report)
ONE_DAY = dt.timedelta(days=1)


# =========================================================================== public API


@dataclass(frozen=True)
class DemoSummary:
    """What the demo wrote (the counts depend only on the pupils, seed and date)."""

    school_name: str
    pupils: int
    sen_support: int
    ehcps: int
    staff: int
    contracts: int
    funding_lines: int
    assignments: int
    outcomes: int
    records: int
    reviews: int
    local_authorities: int

    @property
    def sen_register(self) -> int:
        return self.sen_support + self.ehcps

    def lines(self) -> list[str]:
        """The summary as lines for people."""
        return [
            f"{self.pupils:,} pupils: {self.sen_register:,} on the SEN register "
            f"({self.sen_support:,} SEN support, {self.ehcps:,} EHCPs)",
            f"{self.staff:,} staff, {self.contracts:,} contracts, "
            f"{self.funding_lines:,} funding lines, {self.assignments:,} assignments",
            f"{self.outcomes:,} outcomes, {self.records:,} records, "
            f"{self.reviews:,} review meetings, {self.local_authorities} local authorities",
        ]


def check_demo_date(today: dt.date) -> None:
    """Refuse a demo dated in the future (called before any database is opened or created)."""
    if today > dt.date.today() + ONE_DAY:
        raise KnownError(
            f"The demo's date {today:%d/%m/%Y} is in the future: its records would be dated "
            "after today. Give a date up to today."
        )


def make_demo(
    target: Any,
    *,
    pupils: int = DEFAULT_PUPILS,
    seed: int = 1,
    today: dt.date | None = None,
    progress: Progress | None = None,
    bulk: bool | None = None,
) -> DemoSummary:
    """Write the demo school into an empty database and say what was written.

    Args:
        target: a ``Store`` (the demo is one transaction: all or nothing) or a ``Session``
            (the caller commits).
        pupils: how many pupils on roll (20 to 200,000).
        seed: the same seed and ``today`` give the same data.
        today: the date everything is relative to (default: the real today).
        progress: ``progress(done, total, text)``, called often; it may raise (for example
            the GUI's ``Cancelled``) to stop, and nothing is then written.
        bulk: write with bulk inserts (no per-row validation or audit) rather than through
            the commands; the default is bulk for more than 1,000 pupils.

    Raises:
        KnownError: the database already holds pupils, or the arguments make no sense.
    """
    if isinstance(pupils, bool) or not MIN_PUPILS <= int(pupils) <= MAX_PUPILS:
        raise KnownError(
            f"The demo school needs between {MIN_PUPILS} and {MAX_PUPILS:,} pupils, not {pupils}."
        )
    pupils = int(pupils)
    today = today or dt.date.today()
    check_demo_date(today)
    use_bulk = pupils > LARGE_FROM if bulk is None else bulk
    report = progress or _no_progress
    if isinstance(target, Session):
        return _make(
            target, _database_name_of_session(target), pupils, seed, today, report, use_bulk
        )
    with target.session(reason="demo data") as session:
        return _make(
            session, _database_name_of_store(target), pupils, seed, today, report, use_bulk
        )


#: The name the GUI's first-run dialog calls.
build_demo = make_demo


def _no_progress(done: int, total: int, text: str = "") -> None:
    return None


def _database_name_of_store(store: Any) -> str:
    path = getattr(store, "path", None)
    if path is not None:
        return str(path)
    from sqlalchemy.engine import make_url

    return make_url(store.url).render_as_string(hide_password=True)


def _database_name_of_session(session: Session) -> str:
    url = session.get_bind().engine.url
    if url.get_backend_name() == "sqlite":
        return url.database or "the database"
    return url.render_as_string(hide_password=True)


def _make(
    session: Session,
    name: str,
    pupils: int,
    seed: int,
    today: dt.date,
    progress: Progress,
    bulk: bool,
) -> DemoSummary:
    held = session.scalar(select(func.count()).select_from(Pupil)) or 0
    if held:
        raise KnownError(
            f"{name} already holds {held:,} pupil{'s' if held != 1 else ''}: the demo school "
            "is only written into a new, empty database, so nothing was changed. "
            "Give a new database file (or an empty server database) with --db."
        )
    progress(0, 1, "Planning the demo school")
    builder = _Builder(random.Random(seed), today, pupils)
    plan = builder.build()
    summary = plan.summary(builder.school_name)
    writer = (
        _BulkWriter(session, plan, progress) if bulk else _CommandWriter(session, plan, progress)
    )
    writer.write()
    _audit_summary(session, summary, seed, today, bulk)
    session.flush()
    progress(writer.total, writer.total, "Done")
    return summary


def _audit_summary(
    session: Session, summary: DemoSummary, seed: int, today: dt.date, bulk: bool
) -> None:
    """One audit entry for the whole demo (bulk rows have none of their own)."""
    text = "; ".join(summary.lines()) + f"; seed {seed}, as at {today:%d/%m/%Y}"
    session.execute(
        insert(_table(AuditEntry)),
        [
            {
                "at": dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0),
                "user": session.info.get("user") or "demo",
                "action": "demo",
                "table_name": "school",
                "row_id": 1,
                "field": "",
                "old_value": None,
                "new_value": text[:4000],
                "reason": "demo data generated"
                + (" (bulk insert: rows not audited one by one)" if bulk else ""),
            }
        ],
    )


# =========================================================================== the plan


class _Row:
    """One row to write. A value may be another ``_Row`` (a foreign key): it is replaced by
    that row's id once written. ``extra`` holds what is written with it (contract days,
    outcome history, review invitees)."""

    __slots__ = ("table", "values", "extra", "id")

    def __init__(self, table: str, values: dict[str, Any], extra: dict[str, Any]) -> None:
        self.table = table
        self.values = values
        self.extra = extra
        self.id: int | None = None

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"_Row({self.table}, id={self.id})"


#: Tables in the order they are written (each refers only to earlier ones, or to itself).
ORDER = (
    "local_authority",
    "school",
    "term_date",
    "staff",
    "pupil",
    "funding",
    "contract",
    "assignment",
    "outcome",
    "record",
    "qualification",
    "training",
    "dbs_check",
    "review_meeting",
)
#: Written through the commands even in bulk mode (a handful of rows).
SETTINGS_TABLES = frozenset({"local_authority", "school", "term_date"})


class _Plan:
    def __init__(self) -> None:
        self.rows: dict[str, list[_Row]] = {t: [] for t in ORDER}

    def add(self, table: str, values: dict[str, Any], **extra: Any) -> _Row:
        row = _Row(table, values, extra)
        self.rows[table].append(row)
        return row

    def count(self, table: str) -> int:
        return len(self.rows[table])

    def summary(self, school_name: str) -> DemoSummary:
        codes = [r.values["sen_code"] for r in self.rows["pupil"]]
        return DemoSummary(
            school_name=school_name,
            pupils=len(codes),
            sen_support=codes.count(vocab.SenCode.SEN_SUPPORT.value),
            ehcps=codes.count(vocab.SenCode.EHCP.value),
            staff=self.count("staff"),
            contracts=self.count("contract"),
            funding_lines=self.count("funding"),
            assignments=self.count("assignment"),
            outcomes=self.count("outcome"),
            records=self.count("record"),
            reviews=self.count("review_meeting"),
            local_authorities=self.count("local_authority"),
        )


@dataclass(frozen=True)
class _Change:
    on: dt.date
    status: str
    note: str = ""


# =========================================================================== names

# (weight per 100 pupils, girls' names, boys' names, surnames). A surname "A/B" is the form
# for men and boys and the form for women and girls (Kowalski/Kowalska, Singh/Kaur). Lists are
# comma-separated: some names have spaces.
_TRADITIONS: dict[str, tuple[int, str, str, str]] = {
    "british": (
        44,
        "Olivia, Amelia, Isla, Ava, Ivy, Freya, Lily, Florence, Mia, Willow, Rosie, Sophia, "
        "Isabella, Grace, Daisy, Sienna, Poppy, Elsie, Evie, Harper, Ruby, Phoebe, Matilda, "
        "Chloë, Zoë, Megan, Ffion, Cerys, Eilidh, Imogen, Esmé, Maisie, Erin, Elizabeth",
        "Oliver, George, Noah, Arthur, Leo, Oscar, Harry, Archie, Jack, Henry, Charlie, "
        "Freddie, Theodore, Thomas, Alfie, Jacob, Finley, Reggie, Albert, William, Alexander, "
        "Harrison, Joshua, Dylan, Rhys, Callum, Euan, Owen, Jamie, Lewis, Nathaniel, Rory",
        "Smith, Jones, Taylor, Brown, Williams, Wilson, Johnson, Davies, Robinson, Wright, "
        "Thompson, Evans, Walker, White, Roberts, Green, Hall, Wood, Jackson, Clarke, Hughes, "
        "Turner, Harris, Cooper, Hill, Ward, Morris, Moore, King, Baker, Fletcher, Pritchard, "
        "Ellis, Marsh, Booth, Holloway, Whitfield, Sutcliffe, Armstrong, Fraser, MacLeod, "
        "Llewellyn, Ashworth, Pennington",
    ),
    "south_asian": (
        14,
        "Aisha, Amara, Anaya, Priya, Saanvi, Zara, Inaya, Maryam, Hafsa, Anika, Diya, Ishani, "
        "Simran, Harleen, Jasleen, Noor, Fatima, Tahmina, Nusrat, Sumaiya, Ayesha, Kavya, "
        "Tharani, Aanya",
        "Arjun, Aarav, Rohan, Vihaan, Ayaan, Ibrahim, Muhammad, Mohammed, Yusuf, Zayn, Hamza, "
        "Rayyan, Harjot, Gurveer, Sahil, Dev, Kabir, Reyansh, Tanvir, Arham, Abdullah, Kiran, "
        "Nirujan, Shayan",
        "Patel, Khan, Ahmed, Hussain, Ali, Shah, Singh/Kaur, Sharma, Chowdhury, Rahman, Islam, "
        "Iqbal, Akhtar, Mahmood, Gill, Sandhu, Dhillon, Mistry, Parmar, Joshi, Nair, "
        "Sivakumar, Rajaratnam, Miah/Begum, Uddin/Khatun",
    ),
    "polish": (
        5,
        "Zofia, Zuzanna, Julia, Maja, Hanna, Lena, Alicja, Oliwia, Wiktoria, Małgorzata, "
        "Katarzyna, Łucja, Kinga, Natalia",
        "Łukasz, Jakub, Antoni, Szymon, Filip, Kacper, Mikołaj, Wojciech, Jan, Aleksander, "
        "Franciszek, Stanisław, Bartosz, Michał, Paweł",
        "Nowak, Kowalski/Kowalska, Wiśniewski/Wiśniewska, Wójcik, Kowalczyk, "
        "Kamiński/Kamińska, Lewandowski/Lewandowska, Zieliński/Zielińska, "
        "Szymański/Szymańska, Woźniak, Dąbrowski/Dąbrowska, Kozłowski/Kozłowska, Mazur, "
        "Krawczyk, Jankowski/Jankowska, Grabowski/Grabowska",
    ),
    "irish": (
        4,
        "Siobhán, Aoife, Niamh, Róisín, Saoirse, Caoimhe, Clodagh, Orla, Ciara, Aisling, "
        "Sinéad, Méabh, Éabha, Gráinne",
        "Seán, Oisín, Ciarán, Cillian, Darragh, Pádraig, Eoin, Conor, Tadhg, Fionn, Cathal, "
        "Rónán, Séamus, Niall",
        "Murphy, Kelly, O'Sullivan, Walsh, O'Brien, Byrne, Ryan, O'Connor, O'Neill, Doyle, "
        "McCarthy, Gallagher, Quinn, Brennan, Ó Súilleabháin, Mac Giolla Phádraig",
    ),
    "west_african": (
        7,
        "Adaeze, Chiamaka, Ifeoma, Temitope, Folake, Titilayo, Adwoa, Akosua, Abena, Efua, "
        "Ngozi, Chidinma, Zainab, Fatmata, Mariama, Oluwadamilola, Ayomide, Ifeoluwa",
        "Oluwaseun, Oluwatobi, Chukwuemeka, Chinedu, Tobenna, Kwame, Kofi, Kwabena, Yaw, "
        "Ebuka, Ayodele, Babatunde, Femi, Olumide, Obinna, Ikenna, Alhaji",
        "Adeyemi, Okafor, Okonkwo, Balogun, Adebayo, Oyelaran, Eze, Nwosu, Mensah, Asante, "
        "Boateng, Owusu, Osei, Agyeman, Ogunleye, Afolabi, Kamara, Sesay, Conteh, Bangura, "
        "Olawale",
    ),
    "caribbean": (
        5,
        "Shanice, Keisha, Tia, Jada, Nia, Aaliyah, Destiny, Makayla, Imani, Amari, Kiara, "
        "Tyra, Naomi",
        "Jaden, Tyrese, Kai, Marcus, Devon, Kemar, Jermaine, Malachi, Isaiah, Elijah, Andre, "
        "Shane, Josiah",
        "Campbell, Francis, Reid, Thomas, Grant, Powell, Henry, Bailey, Samuels, Forbes, "
        "McKenzie, Lawrence, Stewart, Gordon, Morrison, Richards, Brown, Clarke",
    ),
    "chinese": (
        3,
        "Xinyi, Zixuan, Yutong, Jiaxin, Mei, Ruoxi, Siyu, Wing Yan, Hoi Ching, Yuxuan",
        "Haoran, Zihan, Yichen, Junjie, Jiahao, Haoyu, Zhiyuan, Wing Hong, Ka Ho, Tsz Chun",
        "Wang, Li, Zhang, Liu, Chen, Yang, Huang, Zhao, Wu, Zhou, Chan, Wong, Cheung, Lau, "
        "Ng, Leung",
    ),
    "arabic": (
        4,
        "Mariam, Layla, Noor, Lina, Yasmin, Salma, Rania, Hala, Jana, Amira, Rahaf, Sidra, "
        "Aya, Huda, Malak",
        "Omar, Ahmad, Khalid, Karim, Yousef, Hassan, Ali, Tariq, Adam, Zaid, Mustafa, Rami, "
        "Bilal, Amir, Anas",
        "Al-Masri, Haddad, Khalil, Hassan, Mansour, Saleh, Nasser, Aziz, Haidar, El-Sayed, "
        "Ibrahim, Abdullah, Rashid, Al-Khatib, Darwish, Hamdan",
    ),
    "somali": (
        2,
        "Hodan, Ayan, Ifrah, Sagal, Nimco, Hibo, Sumaya",
        "Abdirahman, Mohamed, Abdullahi, Liban, Guled, Said, Abdikarim",
        "Farah, Mohamed, Hassan, Ali, Abdi, Warsame, Jama, Osman, Yusuf, Ahmed",
    ),
    "romanian": (
        3,
        "Ioana, Andreea, Mădălina, Alexandra, Maria, Bianca, Daria, Ilinca",
        "Ștefan, Andrei, Mihai, Ionuț, Răzvan, Gabriel, Luca, Matei",
        "Popescu, Ionescu, Popa, Constantin, Stan, Dumitru, Stoica, Munteanu, Lungu, Țurcanu",
    ),
    "portuguese": (
        2,
        "Inês, Beatriz, Leonor, Matilde, Carolina, Lara, Constança",
        "João, Tomás, Gonçalo, Rodrigo, Martim, Duarte, José",
        "Silva, Santos, Ferreira, Pereira, Costa, Rodrigues, Gonçalves, Sousa, Conceição",
    ),
    "turkish": (
        2,
        "Elif, Zeynep, Defne, Ayşe, Eylül, Ecrin, Azra",
        "Yusuf, Emir, Ömer, Mustafa, Çağan, Kerem, Efe",
        "Yılmaz, Kaya, Demir, Şahin, Çelik, Öztürk, Aydın, Arslan",
    ),
    "vietnamese": (
        1,
        "Linh, Ngọc Anh, Thảo, Mai, Trang",
        "Minh, Đức, Huy, Khánh, Bảo",
        "Nguyễn, Trần, Lê, Phạm, Hoàng, Vũ",
    ),
    "ukrainian": (
        2,
        "Sofiia, Anastasiia, Polina, Yeva, Mariia",
        "Maksym, Artem, Bohdan, Oleksandr, Danylo",
        "Shevchenko, Kovalenko, Bondarenko, Tkachenko, Melnyk, Kravchenko",
    ),
}


def _split(text: str) -> list[str]:
    return [x.strip() for x in text.split(",") if x.strip()]


_NAMES = {k: (w, _split(g), _split(b), _split(s)) for k, (w, g, b, s) in _TRADITIONS.items()}
_TRADITION_KEYS = list(_NAMES)
_TRADITION_WEIGHTS = [_NAMES[k][0] for k in _TRADITION_KEYS]

# Names children are often known by at school.
_PREFERRED = {
    "Alexander": "Alex",
    "William": "Will",
    "Theodore": "Teddy",
    "Oluwaseun": "Seun",
    "Oluwatobi": "Tobi",
    "Oluwadamilola": "Dami",
    "Chukwuemeka": "Emeka",
    "Katarzyna": "Kasia",
    "Małgorzata": "Gosia",
    "Aleksander": "Olek",
    "Mohammed": "Mo",
    "Abdirahman": "Abdi",
    "Nathaniel": "Nate",
    "Isabella": "Bella",
    "Florence": "Flo",
    "Matilda": "Tilly",
    "Joshua": "Josh",
    "Jacob": "Jake",
    "Stanisław": "Staś",
    "Franciszek": "Franek",
    "Ifeoluwa": "Ife",
    "Ayomide": "Ayo",
    "Babatunde": "Tunde",
    "Temitope": "Temi",
    "Łukasz": "Luke",
    "Wojciech": "Wojtek",
    "Elizabeth": "Lizzie",
    "Oleksandr": "Sasha",
    "Anastasiia": "Nastia",
    "Abdullahi": "Abdul",
    "Gonçalo": "Gonzo",
    "Mikołaj": "Miko",
}
_ENGLISH_NAMES = (
    ["Chloe", "Amy", "Cindy", "Grace", "Vivian", "Emily"],
    ["Ethan", "Kevin", "Jason", "Eric", "Ivan", "Tony"],
)

_STAFF_WOMEN = _split(
    "Sarah, Claire, Joanne, Karen, Michelle, Emma, Rachel, Louise, Helen, Nicola, Lisa, Kelly, "
    "Gemma, Donna, Hannah, Rebecca, Victoria, Samantha, Priya, Nasreen, Shabana, Rukhsana, "
    "Agnieszka, Joanna, Bukola, Funmilayo, Grace, Marcia, Sinéad, Bernadette, Mei Ling, "
    "Ayesha, Zsófia, Dorota, Precious, Jasvinder, Fatuma, Leanne, Stacey, Jodie, Amina, "
    "Chantelle, Bronwen, Renée"
)
_STAFF_MEN = _split(
    "Paul, David, Mark, James, Daniel, Tom, Imran, Kwame, Piotr, Ciarán, Jamal, Adebayo, "
    "Gareth, Stuart"
)
_PROFESSIONALS = _split(
    "Dr Helen Marsh, Dr Femi Adeyemi, Dr Rachel Goldberg, Dr Anjali Mehta, Dr Tom Whitaker, "
    "Dr Siobhán Kelly, Dr Marek Nowicki"
)
_THERAPISTS = _split(
    "Lucy Fenwick, Nadia Rahman, Claire O'Donnell, Joanna Wiśniewska, Beth Harding, "
    "Yetunde Bello, Sophie Tremayne"
)
_CASEWORKERS = _split(
    "Gemma Price, Marcus Boateng, Aisha Karim, Laura Pettigrew, Steven Cho, Kerry-Ann Lewis"
)

_ASCII = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ø": "o",
        "ß": "ss",
        "ı": "i",
        "'": "",
        " ": "",
        "-": "",
    }
)


def _ascii(text: str) -> str:
    """Plain letters for an email address: "Siobhán O'Brien" -> "SiobhanOBrien"."""
    text = unicodedata.normalize("NFKD", text.translate(_ASCII))
    return "".join(ch for ch in text if ch.isascii() and ch.isalnum())


# =========================================================================== needs

# Primary needs, per 100 pupils with an EHCP and per 100 on SEN support (DfE "Special
# educational needs in England", primary schools, rounded).
_NEEDS_E = {
    "ASD": 33,
    "SLCN": 20,
    "SEMH": 14,
    "SLD": 8,
    "MLD": 7,
    "PD": 5,
    "SPLD": 3,
    "HI": 2,
    "VI": 1,
    "PMLD": 2,
    "MSI": 1,
    "OTH": 4,
}
_NEEDS_K = {
    "SLCN": 31,
    "SEMH": 18,
    "MLD": 13,
    "SPLD": 9,
    "ASD": 8,
    "NSA": 7,
    "OTH": 4,
    "PD": 2,
    "HI": 2,
    "VI": 1,
    "SLD": 1,
    "MSI": 1,
}

_RARE = ("PMLD", "MSI", "NSA")  # never drawn as a secondary need

_AREAS_FOR_NEED = {
    "ASD": ("communication", "semh", "sensory_physical"),
    "SLCN": ("communication", "cognition"),
    "SEMH": ("semh", "communication"),
    "MLD": ("cognition", "communication"),
    "SLD": ("cognition", "communication", "sensory_physical"),
    "PMLD": ("sensory_physical", "communication", "cognition"),
    "SPLD": ("cognition", "semh"),
    "PD": ("sensory_physical", "cognition"),
    "HI": ("sensory_physical", "communication"),
    "VI": ("sensory_physical", "cognition"),
    "MSI": ("sensory_physical", "communication"),
    "OTH": ("cognition", "semh"),
    "NSA": ("cognition", "communication"),
}

_MEDICAL = {
    "diabetes": "Type 1 diabetes: insulin pump; blood glucose checks before break and lunch "
    "(care plan in the office).",
    "asthma": "Asthma: blue inhaler in the classroom medical bag; spare in the office.",
    "epilepsy": "Epilepsy: buccal midazolam in the office; see the care plan for seizures "
    "over 5 minutes.",
    "allergy": "Severe peanut allergy: two adrenaline auto-injectors (one in class, one in "
    "the office).",
    "gastrostomy": "Gastrostomy: bolus feed at lunchtime by trained staff only.",
    "cp": "Cerebral palsy: standing frame and daily physiotherapy programme; walking frame "
    "between lessons.",
}
_MEDICAL_RECORDS = {
    "diabetes": [
        "Blood glucose checked before lunch: {g} mmol/L; insulin bolus given per the care plan.",
        "Hypo at morning break ({g} mmol/L): glucose tablets given, "
        "rechecked after 15 minutes and back in range.",
    ],
    "asthma": [
        "Two puffs of the blue inhaler before PE; breathing settled within minutes.",
        "Wheezy after playtime: inhaler given, rested in class; parents told at pick-up.",
    ],
    "epilepsy": [
        "Absence seizure of about 10 seconds during phonics; recovered straight "
        "away; logged and parents informed.",
        "Tired and pale after lunch; monitored per the care plan, no seizure activity seen.",
    ],
    "allergy": [
        "Checked the lunch box against the allergy plan; auto-injectors present and in date.",
        "Itchy rash on the arm after art (no food involved): "
        "antihistamine given per the care plan; settled.",
    ],
    "gastrostomy": [
        "Bolus feed given at 12:15 per the feeding plan; site clean, no concerns.",
        "Feed given; slight redness at the stoma site noted and photographed for parents.",
    ],
    "cp": [
        "Standing frame for 20 minutes during literacy; physio stretches completed.",
        "Physiotherapy programme done after lunch; walking frame used between lessons.",
    ],
}
_FIRST_AID = [
    "Bumped head on the climbing frame: cold compress, bump letter sent home, parents phoned.",
    "Grazed knee in the playground: cleaned and dressed.",
    "Nosebleed in class: first aid given, stopped within 10 minutes.",
    "Trapped finger in the classroom door: cold compress; no swelling after 20 minutes.",
]


def _pick_need(rng: random.Random, table: dict[str, int], exclude: Iterable[str] = ()) -> str:
    gone = set(exclude)
    keys = [k for k in table if k not in gone]
    return rng.choices(keys, weights=[table[k] for k in keys])[0]


# =========================================================================== outcomes

# (area, outcome text, success criteria). "{n}" is the pupil's first (or preferred) name.
_OUTCOMES: dict[str, list[tuple[str, str]]] = {
    "communication": [
        (
            "{n} will use visual supports and key phrases to tell familiar adults and peers what "
            "they need and how they feel.",
            "Makes a request or says how they feel without prompting on 4 of 5 observed occasions.",
        ),
        (
            "{n} will take part in a shared activity with a peer, taking turns for at least five "
            "minutes with light adult support.",
            "Takes turns in Lego therapy or a board game in three sessions running.",
        ),
        (
            "{n} will follow a two-part instruction given to the whole class without it being "
            "repeated for them.",
            "Follows whole-class two-part instructions in 80% of observed lessons.",
        ),
        (
            "{n} will use sentences of five or more words, with 'first', 'then' and 'last', to "
            "retell a familiar story.",
            "Retells a four-picture story in order using the connectives.",
        ),
        (
            "{n} will start and end a conversation with a peer at playtime using taught social "
            "scripts.",
            "Seen to start a conversation with a peer on three separate playtimes.",
        ),
    ],
    "cognition": [
        (
            "{n} will blend and segment words with Phase 5 graphemes to read decodable books with "
            "90% accuracy.",
            "Reads a Phase 5 decodable book at 90% accuracy in a running record.",
        ),
        (
            "{n} will recall number bonds to 10 and use them to add and subtract within 20 with "
            "concrete apparatus.",
            "Answers 8 of 10 mixed number-bond questions with Numicon or a number line.",
        ),
        (
            "{n} will write three or more sentences independently, with capital letters and full "
            "stops, using a word bank.",
            "Three independent pieces of writing meet the criteria.",
        ),
        (
            "{n} will work on a task on their own for ten minutes using a now/next board and a "
            "task checklist.",
            "Works independently for ten minutes in 4 of 5 observed lessons.",
        ),
        (
            "{n} will use a multiplication square and place-value counters to solve two-step "
            "word problems.",
            "Solves 3 of 4 two-step problems with the resources and no adult prompt.",
        ),
    ],
    "semh": [
        (
            "{n} will recognise which zone they are in (Zones of Regulation) and choose a "
            "strategy to get back to green.",
            "Names their zone and picks a strategy at check-ins on most days over two weeks.",
        ),
        (
            "{n} will use the agreed calm space and a time-out card instead of leaving the "
            "classroom without permission.",
            "No unplanned exits from class for four weeks running.",
        ),
        (
            "{n} will manage changes between activities with a visual timetable and a two-minute "
            "warning, without distress.",
            "Moves between activities calmly on 4 of 5 days.",
        ),
        (
            "{n} will join in with a structured lunchtime club three times a week.",
            "Attends the club three times a week for half a term.",
        ),
        (
            "{n} will tell a trusted adult when they are worried, using the worry box or emotion "
            "cards.",
            "Uses the worry box or cards unprompted at least weekly.",
        ),
    ],
    "sensory_physical": [
        (
            "{n} will use a sloping board and pencil grip to form letters correctly and legibly.",
            "Handwriting sample shows correct formation of all lower-case letters.",
        ),
        (
            "{n} will complete the daily sensory circuit and use movement breaks to stay "
            "regulated in lessons.",
            "Completes the circuit daily and asks for a movement break when needed.",
        ),
        (
            "{n} will manage fastenings and change for PE with minimal adult help.",
            "Changes for PE within ten minutes with verbal prompts only.",
        ),
        (
            "{n} will follow the toileting plan, recognising when they need the toilet and "
            "asking an adult.",
            "Dry during the school day for four weeks running.",
        ),
        (
            "{n} will move safely around the school site using the agreed routes and equipment.",
            "Moves between classroom, hall and playground safely with distant supervision.",
        ),
    ],
    "pfa_employment": [
        (
            "{n} will complete a one-week work-experience placement with the support of a job "
            "coach.",
            "Placement completed with a positive employer report.",
        ),
    ],
    "pfa_independent_living": [
        (
            "{n} will travel on the bus from home to school using a personal travel plan.",
            "Travels independently on 10 school days running.",
        ),
    ],
    "pfa_community": [
        (
            "{n} will join an after-school club or community group of their choice.",
            "Attends the group for a full half-term.",
        ),
    ],
    "pfa_health": [
        (
            "{n} will manage their own medication routine with one adult check a day.",
            "Medication log shows no missed doses for four weeks.",
        ),
    ],
}
_HI_VI_OUTCOME = {
    "HI": (
        "{n} will use the radio aid consistently in class and tell an adult when it is not "
        "working.",
        "Radio aid in use and checked at the start of every lesson.",
    ),
    "VI": (
        "{n} will use enlarged and high-contrast resources and ask for them when they are missing.",
        "Asks for adapted resources unprompted in most lessons.",
    ),
}
_SCHOOL_TARGETS = [
    (
        "cognition",
        "{n} will read 20 more {y} common exception words by sight.",
        "Reads the words on flash cards with 90% accuracy.",
    ),
    (
        "cognition",
        "{n} will use a times-table grid to check answers in maths.",
        "Uses the grid without a prompt in 3 of 4 lessons.",
    ),
    (
        "communication",
        "{n} will answer 'why' questions about a story in a full sentence.",
        "Answers 3 of 4 'why' questions in guided reading.",
    ),
    (
        "semh",
        "{n} will ask for help using the help card instead of leaving the task.",
        "Uses the help card in most lessons over two weeks.",
    ),
    (
        "sensory_physical",
        "{n} will use a pencil grip for all written work.",
        "Seen using the grip in all observed writing lessons.",
    ),
]

_SUPPORT = {
    "communication": [
        "Lego therapy group",
        "Colourful Semantics session",
        "Talk Boost group",
        "social story work",
        "Attention Autism session",
    ],
    "cognition": [
        "precision teaching",
        "phonics catch-up",
        "Numicon maths session",
        "guided reading 1:1",
        "spelling overlearning",
    ],
    "semh": [
        "Zones of Regulation check-in",
        "nurture group",
        "emotion coaching session",
        "Lego-based social skills group",
        "calm-box practice",
    ],
    "sensory_physical": [
        "sensory circuit",
        "fine-motor (Funky Fingers) session",
        "Write from the Start handwriting",
        "physiotherapy programme",
        "movement break routine",
    ],
}
_PROGRESS_WORDS = {
    1: "Found it hard to engage today and needed frequent prompts; stopped early.",
    2: "Engaged for part of the session with a lot of adult support.",
    3: "Joined in well with some prompts; steady progress against the target.",
    4: "Managed most of the task with only light prompts.",
    5: "Did this independently today — ready to move the target on.",
}
_OBSERVATIONS = [
    "Observed in {subject}: {n} used the visual timetable to move on without a reminder.",
    "Observed in {subject}: {n} stayed on task for about 8 minutes, then asked for a break "
    "using the card.",
    "Observed in {subject}: {n} answered a question in front of the class for the first time.",
    "Observed at lunchtime: {n} played a chasing game with two peers and took turns.",
    "Observed in {subject}: {n} needed the task chunked into three steps and completed two.",
    "Observed in {subject}: {n} was unsettled by the noise; ear defenders helped.",
]
_SUBJECTS = ["maths", "phonics", "English", "science", "PE", "topic", "art", "assembly"]
_PARENT = [
    "Phone call with {p}: shared the new visual timetable, which they will use at home too.",
    "Met {p} at pick-up: sleep has been poor this week; agreed a quieter start tomorrow.",
    "Email to {p} about the annual review meeting and the pupil views form.",
    "Home-school book: told {p} about a really good maths session.",
    "Meeting with {p} and the class teacher to update the pupil profile.",
]
_INCIDENTS = [
    (
        "Asked to stop a computer activity and line up for assembly.",
        "Shouted, threw a pencil pot and ran out of the classroom into the corridor.",
        "Gave space and kept others safe; used the agreed script and offered the calm box.",
        "Calmed in the nurture room with the LSA; back in class after 15 minutes; "
        "restorative chat at lunch.",
    ),
    (
        "A peer took the ball during a playground game.",
        "Pushed the peer over and hid under the climbing frame.",
        "Reduced language, offered two choices, waited nearby.",
        "Came out after 5 minutes; apologised to the peer with support; missed 5 minutes of "
        "golden time.",
    ),
    (
        "Fire-alarm test; the hall was very noisy.",
        "Covered ears, screamed and hit out at the adult who approached.",
        "Ear defenders offered; moved to a quiet space; calm voice, no demands.",
        "Settled after 10 minutes with a sensory toy; social story about fire alarms planned.",
    ),
    (
        "Supply teacher in class; the visual timetable had not been updated.",
        "Refused to start work, swept books off the table and kicked the door.",
        "Distraction with a preferred task and a timer; others moved away.",
        "Back to work after 20 minutes; timetable updated; parents told at pick-up.",
    ),
    (
        "Change from lunchtime to PE in the hall.",
        "Ran onto the field and would not come back in.",
        "Two adults kept a safe distance; used the agreed 'first, then' card.",
        "Came back in after 12 minutes; PE done later in a small group.",
    ),
]
_PERSONAL_CARE = [
    "Supported with toileting at 10:30 and 13:30 per the intimate care plan; dry all day.",
    "Changed after a toileting accident; spare clothes used; parents told at pick-up.",
    "Supported to change for PE; managed the buttons independently today.",
    "Personal care (pad change) at 11:45 per the plan; two adults present; skin check fine.",
]
_REVIEW_NOTES_HELD = [
    "Annual review held. Parents, class teacher, LSA and EP attended. Good progress in "
    "communication; new outcome agreed for independence. School recommends keeping the plan.",
    "Annual review held. Parents pleased with progress in reading; concerns about "
    "playtimes. Section F support to stay the same; SALT advice to be updated.",
    "Annual review held. Needs have increased (sensory, regulation); school asks the LA to "
    "amend sections B and F and review the top-up band.",
]


# =========================================================================== places and pay

# Each area: the school's LA and two neighbours (name, DfE code, council, advice, invitation
# weeks); neighbours often want the steps earlier than the statutory minimums.
_AREAS = [
    [
        ("Kent", "886", "Kent County Council", 6, 2),
        ("Medway", "887", "Medway Council", 12, 8),
        ("Bexley", "303", "London Borough of Bexley", 8, 4),
    ],
    [
        ("Buckinghamshire", "825", "Buckinghamshire Council", 6, 2),
        ("Milton Keynes", "826", "Milton Keynes City Council", 12, 6),
        ("Oxfordshire", "931", "Oxfordshire County Council", 8, 4),
    ],
    [
        ("Birmingham", "330", "Birmingham City Council", 8, 4),
        ("Sandwell", "333", "Sandwell Council", 6, 2),
        ("Solihull", "334", "Solihull Metropolitan Borough Council", 12, 6),
    ],
]
_OTHER_LA_CODES = ["204", "209", "306", "352", "383", "850", "878", "919", "936", "845"]
_PRIMARY_NAMES = [
    "Oakfield Primary School",
    "St Brigid's Catholic Primary School",
    "Riverside Community Primary School",
    "Hollybank Primary School",
    "Meadowcroft Primary Academy",
    "Ashgrove Church of England Primary School",
]
_TRUST_NAMES = [
    "Severn Vale Learning Trust",
    "Chalk Hills Academy Trust",
    "Thames Gateway Schools Trust",
]
_SECONDARY = [
    "Castle Hill Academy",
    "St Thomas More Catholic High School",
    "Northgate School",
    "The Valley Academy",
]


def _time(text: str) -> dt.time:
    h, m = text.split(":")
    return dt.time(int(h), int(m))


def _pattern(
    start: str, end: str, unpaid: int = 0, days: Sequence[int] = (0, 1, 2, 3, 4)
) -> tuple[WorkDay, ...]:
    return tuple(WorkDay(d, _time(start), _time(end), unpaid) for d in days)


# Working patterns from the job adverts in seeds/.
PATTERNS: dict[str, tuple[WorkDay, ...]] = {
    "0830-1530": _pattern("08:30", "15:30"),  # 35 h, "Monday-Friday, 8:30am-3:30pm"
    "0830-1530 L30": _pattern("08:30", "15:30", 30),  # 32 h 30
    "0840-1530 L30": _pattern("08:40", "15:30", 30),  # 31 h 40, the key worker advert
    "0845-1515 L30": _pattern("08:45", "15:15", 30),  # 30 h, class-based
    "0830-1230": _pattern("08:30", "12:30"),  # 20 h, "five mornings ... 8.30am-12:30pm"
    "0845-1215": _pattern("08:45", "12:15"),  # 17 h 30, mornings only
    # 37 hours all year: Monday-Thursday 8-4:30 with a 30-minute lunch, Friday 8-1.
    "37 all-year": _pattern("08:00", "16:30", 30, (0, 1, 2, 3))
    + _pattern("08:00", "13:00", 0, (4,)),
    # 37 hours term-time ("Fixed Term, 37 hours per week, 39 weeks term-time only").
    "37 term-time": _pattern("08:15", "16:15", 30, (0, 1, 2, 3))
    + _pattern("08:15", "15:15", 0, (4,)),
}


@dataclass(frozen=True)
class _Job:
    role: str
    title: str
    kind: str
    pattern: str
    term_time: bool
    grade: str
    pay_point: str
    fte: str
    paid_weeks: str | None = None
    notice_weeks: int = 4


# NJC pay spine 2025/26 for grades 2-7; the key worker is on the advert's own range.
_JOBS: dict[str, _Job] = {
    "senco": _Job(
        "senco",
        "SENCO (non-teaching)",
        "permanent",
        "37 all-year",
        False,
        "Grade 7",
        "SCP 26",
        "36363",
        None,
        8,
    ),
    "hlta": _Job(
        "hlta",
        "Higher Level Teaching Assistant (SEND interventions)",
        "permanent",
        "0830-1530 L30",
        True,
        "Grade 5",
        "SCP 19",
        "32061",
        None,
        8,
    ),
    "class_lsa": _Job(
        "lsa_class",
        "Learning Support Assistant (KS1 & KS2 class based)",
        "permanent",
        "0845-1515 L30",
        True,
        "Grade 3",
        "SCP 5",
        "25583",
    ),
    "key_worker": _Job(
        "key_worker",
        "Learning Support Assistant – Key Worker",
        "permanent",
        "0840-1530 L30",
        True,
        "Pay Range 1B",
        "1B",
        "23297",
        "43.108",
    ),
    "lsa_a": _Job(
        "lsa_1to1",
        "1:1 Learning Support Assistant",
        "permanent",
        "0830-1530",
        True,
        "Grade 3",
        "SCP 7",
        "26403",
    ),
    "lsa_b": _Job(
        "lsa_1to1",
        "1:1 Learning Support Assistant (fixed term, linked to pupil funding)",
        "fixed_term",
        "0830-1530 L30",
        True,
        "Grade 2",
        "SCP 4",
        "25185",
    ),
    "lsa_c": _Job(
        "lsa_1to1",
        "SEN (1:1) Learning Support Assistant – mornings",
        "fixed_term",
        "0830-1230",
        True,
        "Grade 3",
        "SCP 4",
        "25185",
    ),
    "lsa_d": _Job(
        "lsa_1to1",
        "1:1 Learning Support Assistant – mornings",
        "fixed_term",
        "0845-1215",
        True,
        "Grade 2",
        "SCP 3",
        "24796",
    ),
    "lsa_e": _Job(
        "lsa_1to1",
        "Learning Support Assistant (1:1), 37 hours",
        "fixed_term",
        "37 term-time",
        True,
        "Grade 3",
        "SCP 5",
        "25583",
        "44.286",
    ),
    "lsa_f": _Job(
        "lsa_1to1",
        "1:1 Learning Support Assistant (fixed term)",
        "fixed_term",
        "0840-1530 L30",
        True,
        "Grade 2",
        "SCP 5",
        "25583",
    ),
    "lsa_g": _Job(
        "lsa_1to1",
        "1:1 Learning Support Assistant",
        "permanent",
        "0830-1530 L30",
        True,
        "Grade 3",
        "SCP 9",
        "27254",
        "43.943",
    ),
    "leaver": _Job(
        "lsa_1to1",
        "1:1 Learning Support Assistant (fixed term)",
        "fixed_term",
        "0830-1530 L30",
        True,
        "Grade 2",
        "SCP 3",
        "24796",
    ),
}

_QUALIFICATIONS = {
    "senco": [
        ("National Award for SEN Co-ordination", "7"),
        ("Qualified Teacher Status", "6"),
        ("Designated Safeguarding Lead training", ""),
    ],
    "hlta": [
        ("Higher Level Teaching Assistant status", "4"),
        ("Level 3 Certificate in Supporting Teaching and Learning", "3"),
    ],
    "lsa": [
        ("Level 3 Certificate in Supporting Teaching and Learning", "3"),
        ("Level 2 Certificate in Supporting Teaching and Learning", "2"),
        ("GCSE English and Maths (grade C/4 or above)", "2"),
        ("ELKLAN Speech and Language Support for 5-11s", "3"),
        ("Makaton Foundation Workshop", ""),
        ("NVQ Level 2 Early Years", "2"),
    ],
}

# Sessions (half-days) in an assignment's mask.
_AM = sum(vocab.session_bit(d, False) for d in range(5))
_PM = sum(vocab.session_bit(d, True) for d in range(5))
_ALL = vocab.ALL_SESSIONS


def _sessions(*pairs: tuple[int, bool]) -> int:
    return sum(vocab.session_bit(d, pm) for d, pm in pairs)


# =========================================================================== calendar


def english_term_dates(year: int) -> list[tuple[dt.date, dt.date]]:
    """Six half-terms of the academic year starting in September ``year``, as English LAs
    usually set them: autumn from the third weekday of September, half-terms in the last
    week of October, the week of the third Monday of February and the week of the late-May
    bank holiday, Christmas from about 21 December, two weeks at Easter, the summer term
    ending about 21 July."""

    def weekday_on_or_after(d: dt.date, weekday: int) -> dt.date:
        return d + dt.timedelta(days=(weekday - d.weekday()) % 7)

    d = dt.date(year, 9, 1)
    weekdays = 0
    while True:
        if d.weekday() < 5:
            weekdays += 1
            if weekdays == 3:
                break
        d += ONE_DAY
    autumn_start = d if d.weekday() != 4 else d + dt.timedelta(days=3)
    oct_ht = weekday_on_or_after(dt.date(year, 10, 25), 0)  # the last Monday of October
    if oct_ht.month != 10:
        oct_ht -= dt.timedelta(days=7)
    christmas = _weekday_near(dt.date(year, 12, 21))
    spring = dt.date(year + 1, 1, 5)
    while spring.weekday() >= 4:
        spring += ONE_DAY
    feb_ht = weekday_on_or_after(dt.date(year + 1, 2, 1), 0) + dt.timedelta(weeks=2)
    sunday = easter(year + 1)
    if sunday <= dt.date(year + 1, 4, 12):
        spring_end = sunday - dt.timedelta(days=3)  # Maundy Thursday
        summer_start = sunday + dt.timedelta(days=15)  # two weeks after Easter Monday
    else:
        spring_end = sunday - dt.timedelta(days=9)  # the Friday a week before Good Friday
        summer_start = sunday + dt.timedelta(days=2)  # the Tuesday after Easter Monday
    may_ht = weekday_on_or_after(dt.date(year + 1, 5, 25), 0)  # the last Monday of May
    summer_end = _weekday_near(dt.date(year + 1, 7, 21))
    return [
        (autumn_start, oct_ht - dt.timedelta(days=3)),
        (oct_ht + dt.timedelta(days=7), christmas),
        (spring, feb_ht - dt.timedelta(days=3)),
        (feb_ht + dt.timedelta(days=7), spring_end),
        (summer_start, may_ht - dt.timedelta(days=3)),
        (may_ht + dt.timedelta(days=7), summer_end),
    ]


def _weekday_near(d: dt.date) -> dt.date:
    """``d`` if Tuesday to Friday, else the Friday before (terms do not end on a Monday)."""
    if d.weekday() in (1, 2, 3, 4):
        return d
    return d - dt.timedelta(days=(d.weekday() - 4) % 7)


def _month_end(d: dt.date) -> dt.date:
    return (d.replace(day=1) + relativedelta(months=1)) - ONE_DAY


def _next_month_start(d: dt.date) -> dt.date:
    return d.replace(day=1) + relativedelta(months=1)


def _weekday_before(d: dt.date) -> dt.date:
    """``d``, or the working day before it (offices are shut at weekends and bank holidays)."""
    return previous_working_day(d)


def _weighted_sample(
    rng: random.Random, items: Sequence[Any], weights: Sequence[float], k: int
) -> list[Any]:
    """``k`` items without replacement, more likely the heavier (Efraimidis–Spirakis)."""
    keyed = sorted(((rng.random() ** (1.0 / w), i) for i, w in enumerate(weights)), reverse=True)
    return [items[i] for _key, i in keyed[:k]]


# =========================================================================== the builder


@dataclass(frozen=True)
class _La:
    row: _Row
    name: str
    code: str
    council: str
    advice_weeks: int
    invitation_weeks: int


@dataclass(eq=False)
class _Kid:
    row: _Row
    first: str
    last: str
    mother_last: str
    father_last: str
    preferred: str
    dob: dt.date
    year: int
    admission: dt.date
    class_name: str
    sen: str = "N"
    need: str | None = None
    medical: str = ""
    personal_care: bool = False
    behaviour_plan: bool = False
    la: _La | None = None
    interval: int = 12
    minutes: int | None = None
    issued: dt.date | None = None
    held: list[dt.date] = field(default_factory=list)  # annual reviews held, oldest first
    state: str = ""
    scenario: str = ""
    support: list[tuple[_Person, int]] = field(default_factory=list)  # current assignments
    outcomes: list[tuple[_Row, str, dt.date]] = field(default_factory=list)  # current ones

    @property
    def name(self) -> str:
        return self.preferred or self.first

    @property
    def last_review(self) -> dt.date | None:
        return self.held[-1] if self.held else None


@dataclass(eq=False)
class _Person:
    row: _Row
    key: str
    first: str
    last: str
    email: str
    start: dt.date
    leaving: dt.date | None = None
    contract_start: dt.date | None = None
    supports: list[_Kid] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


# The scenarios of one unit of twelve EHCPs, in the order they are handed out (the first
# ones make the alerts a small demo must still show). "early" goes to a Reception child and
# "transfer" to one in the last year of the phase.
SCENARIOS = (
    "outlives_a",
    "overassign_main",
    "overassign_short",
    "no_lsa",
    "ends_together",
    "covered_perm",
    "keyworker_pending",
    "outlives_b",
    "outlives_c",
    "hlta_sensory",
)
# Review situations handed to the EHCPs that have had a review, in this order.
REVIEW_STATES = (
    "overdue",
    "steps_missing",
    "upcoming",
    "report_overdue",
    "awaiting_la",
    "later",
    "upcoming",
    "later",
    "later",
    "later",
)
_STATUS_ORDER = [s.value for s in vocab.OutcomeStatus]
_STATUS_NOTES = {
    "emerging": "Beginning to show this with a lot of adult support (LSA records).",
    "developing": "Doing this with some prompts; evidence from support sessions.",
    "secure": "Doing this most of the time with light prompts.",
    "achieved": "Achieved independently; agreed at the termly review.",
}


class _Builder:
    def __init__(self, rng: random.Random, today: dt.date, pupils: int) -> None:
        self.rng = rng
        self.today = today
        self.n = pupils
        self.large = pupils > LARGE_FROM
        self.years = list(range(0, 12 if self.large else 7))  # Reception = 0
        self.year = academic_year_of(today)
        self.sept1 = dt.date(self.year, 9, 1)
        self.aug31 = dt.date(self.year + 1, 8, 31)
        self.plan = _Plan()
        first = self.year - max(self.years) - 1
        self.terms = {y: english_term_dates(y) for y in range(first, self.year + 2)}
        closed = bank_holidays(range(first, self.year + 3))
        days: list[dt.date] = []
        for y in sorted(self.terms):
            for start, end in self.terms[y]:
                d = start
                while d <= end:
                    if d.weekday() < 5 and d not in closed:
                        days.append(d)
                    d += ONE_DAY
        self.school_days = days
        window = today - dt.timedelta(days=98)
        self.recent_days = [d for d in days if window < d <= today]
        self._serials: dict[tuple[str, int, int], int] = {}
        self._teachers: dict[str, str] = {}
        self.school_name = ""
        self.default_paid_weeks = Decimal("43.108")

    # ------------------------------------------------------------------ dates

    def day_on_or_before(self, d: dt.date) -> dt.date:
        i = bisect_right(self.school_days, d) - 1
        return self.school_days[i] if i >= 0 else _weekday_before(d)

    def day_on_or_after(self, d: dt.date) -> dt.date:
        i = bisect_left(self.school_days, d)
        return self.school_days[i] if i < len(self.school_days) else _weekday_before(d)

    def months_ahead(self, months: int) -> dt.date:
        """The last day of the month ``months`` after today's."""
        return _month_end(self.today + relativedelta(months=months))

    def days_ago(self, low: int, high: int) -> dt.date:
        return self.today - dt.timedelta(days=self.rng.randint(low, high))

    def random_day(self, start: dt.date, end: dt.date) -> dt.date:
        """A school day in [start, end], or ``start`` if there is none."""
        lo, hi = bisect_left(self.school_days, start), bisect_right(self.school_days, end)
        return self.school_days[self.rng.randrange(lo, hi)] if hi > lo else start

    # ------------------------------------------------------------------ the whole plan

    def build(self) -> _Plan:
        self._settings()
        kids = self._pupils()
        e_units, k_units = self._register(kids)
        self._arrivals(kids)
        for e_kids, k_kids in zip(e_units, k_units, strict=True):
            _Unit(self, e_kids, k_kids).build()
        return self.plan

    def _settings(self) -> None:
        r = self.rng
        area = r.choice(_AREAS)
        self.las = [
            _La(
                self.plan.add(
                    "local_authority",
                    {
                        "name": name,
                        "code": code,
                        "advice_request_weeks": advice,
                        "invitations_weeks": invitations,
                        "papers_weeks": 2,
                        "report_weeks": 2,
                        "la_decision_weeks": 4,
                    },
                ),
                name,
                code,
                council,
                advice,
                invitations,
            )
            for name, code, council, advice, invitations in area
        ]
        self.home = self.las[0]
        self.school_name = r.choice(_TRUST_NAMES if self.large else _PRIMARY_NAMES)
        words = [
            w
            for w in self.school_name.split()
            if w
            not in (
                "School",
                "Academy",
                "Trust",
                "Primary",
                "Community",
                "Church",
                "of",
                "England",
                "Catholic",
                "Learning",
                "Schools",
                "St",
                "Academies",
            )
        ]
        self.domain = _ascii("".join(words)).lower() + ".example"
        n_ests = max(1, round(self.n / DEFAULT_PUPILS))
        self.establishments = r.sample(range(2001, 4999), n_ests)
        self.plan.add(
            "school",
            {
                "name": self.school_name,
                "la_id": self.home.row,
                "dfe_number": f"{self.home.code}/{self.establishments[0]}",
                "phase": "all_through" if self.large else "primary",
                "transfer_years": "11" if self.large else "6",
                "default_paid_weeks": self.default_paid_weeks,
                "on_cost_percent": Decimal("29.50"),
                "alert_horizon_days": 120,
                "expiry_warning_days": 60,
            },
        )
        for y in (self.year, self.year + 1):
            self.plan.add("term_date", {"academic_year": y, "half_terms": self.terms[y]})

    # ------------------------------------------------------------------ pupils

    def _child_name(self, girl: bool) -> tuple[str, str, str, str, str]:
        """(first, surname, mother's surname, father's surname, tradition)."""
        r = self.rng
        tradition = r.choices(_TRADITION_KEYS, weights=_TRADITION_WEIGHTS)[0]
        _w, girls, boys, surnames = _NAMES[tradition]
        first_from = tradition
        if r.random() < 0.06:  # a family mixing naming traditions
            first_from = r.choices(_TRADITION_KEYS, weights=_TRADITION_WEIGHTS)[0]
            _w, girls, boys, _s = _NAMES[first_from]
        first = r.choice(girls if girl else boys)
        forms = r.choice(surnames).split("/")
        last = forms[-1] if girl else forms[0]
        mother, father = forms[-1], forms[0]
        if r.random() < 0.03:  # a double-barrelled surname
            other = r.choice(_NAMES["british"][3])
            last, mother, father = f"{other}-{last}", f"{other}-{mother}", f"{other}-{father}"
        return first, last, mother, father, first_from

    def _preferred(self, first: str, girl: bool, tradition: str) -> str:
        r = self.rng
        if first in _PREFERRED and r.random() < 0.5:
            return _PREFERRED[first]
        if tradition == "chinese" and r.random() < 0.35:
            return r.choice(_ENGLISH_NAMES[0 if girl else 1])
        return ""

    def _upn(self, establishment: int, yy: int) -> str:
        r = self.rng
        if r.random() < 0.15:  # allocated by the school the child came from
            la, est = r.choice(_OTHER_LA_CODES), r.randint(2001, 3999)
        else:
            la, est = self.home.code, establishment
        key = (la, est, yy)
        serial = self._serials.get(key, r.randint(0, 30)) + r.randint(1, 3)
        self._serials[key] = serial
        body = f"{la}{est:04d}{yy:02d}{serial:03d}"
        return upn_rules.check_letter(body) + body

    def _pupils(self) -> list[_Kid]:
        r = self.rng
        base, extra = divmod(self.n, len(self.years))
        kids: list[_Kid] = []
        for index, y in enumerate(self.years):
            count = base + (1 if index < extra else 0)
            born = self.year - y - 5  # the academic year of birth
            first_day = dt.date(born, 9, 1)
            span = (dt.date(born + 1, 9, 1) - first_day).days
            classes = max(1, math.ceil(count / PUPILS_PER_CLASS))
            prefix = "R" if y == 0 else str(y)
            if classes <= 8:
                forms = sorted(r.sample("ABCDEFGHJKLMNPRSTW", classes))
            else:
                forms = [
                    f"{chr(65 + i % 26)}{i // 26 + 1 if i >= 26 else ''}" for i in range(classes)
                ]
            entry = self.year - y
            start = min(self.day_on_or_after(dt.date(entry, 9, 1)), self.today)
            for i in range(count):
                dob = first_day + dt.timedelta(days=r.randrange(span))
                girl = r.random() < 0.49
                first, last, mother, father, tradition = self._child_name(girl)
                form = i % classes
                admission = start
                if r.random() < 0.1:  # joined part-way through
                    admission = self.random_day(start, self.today)
                est = self.establishments[form % len(self.establishments)]
                values: dict[str, Any] = {
                    "legal_first_name": first,
                    "legal_last_name": last,
                    "preferred_name": self._preferred(first, girl, tradition),
                    "date_of_birth": dob,
                    "upn": self._upn(est, entry % 100),
                    "class_name": f"{prefix}{forms[form]}",
                    "sen_code": "N",
                    "admission_date": admission,
                }
                row = self.plan.add("pupil", values)
                kid = _Kid(
                    row,
                    first,
                    last,
                    mother,
                    father,
                    values["preferred_name"],
                    dob,
                    y,
                    admission,
                    values["class_name"],
                )
                assert year_group(dob, self.today) == y
                if r.random() < 0.02:
                    kid.medical = r.choice(["asthma", "asthma", "allergy"])
                    values["medical_needs"] = _MEDICAL[kid.medical]
                kids.append(kid)
        return kids

    def _arrivals(self, kids: list[_Kid]) -> None:
        """A few pupils who joined in the last fortnight: no UPN yet, or a temporary one."""
        r = self.rng
        pool = [k for k in kids if k.sen == "N" and not k.medical]
        n_none = min(100, max(2, round(self.n * 0.004)))
        n_temp = min(50, max(1, round(self.n * 0.002)))
        chosen = r.sample(pool, n_none + n_temp)
        recent = self.recent_days[-10:] or [self.today]
        for i, kid in enumerate(chosen):
            kid.admission = min(r.choice(recent), self.today)
            kid.row.values["admission_date"] = kid.admission
            if i < n_none:
                kid.row.values["upn"] = None
            else:
                est = self.establishments[0]
                body = (
                    f"{self.home.code}{est:04d}{self.year % 100:02d}{i - n_none:02d}"
                    f"{r.choice(upn_rules.LETTERS)}"
                )
                kid.row.values["upn"] = upn_rules.check_letter(body) + body

    def _register(self, kids: list[_Kid]) -> tuple[list[list[tuple[_Kid, str]]], list[list[_Kid]]]:
        """Choose the EHCP and SEN support pupils; hand out the EHCPs in units of twelve."""
        r = self.rng
        # A small demo still gets enough EHCPs to show each kind of alert.
        n_e = max(round(self.n * E_PER_420 / DEFAULT_PUPILS), min(7, self.n // 8))
        n_k = round(self.n * K_PER_420 / DEFAULT_PUPILS)
        units = math.ceil(n_e / 12)
        reception = sorted(
            (k for k in kids if k.year == 0),
            key=lambda k: (k.dob, k.row.values["legal_last_name"]),
            reverse=True,
        )
        youngest = reception[: max(units, len(reception) // 3)]
        early = r.sample(youngest, min(units, len(youngest)))
        tops = [k for k in kids if k.year == max(self.years)]
        leaving = r.sample(tops, min(units, len(tops)))
        taken = {id(k) for k in early + leaving}
        rest_pool = [k for k in kids if id(k) not in taken]
        weight = {0: 0.5, 1: 0.8}
        rest = _weighted_sample(
            r,
            rest_pool,
            [weight.get(k.year, 1.0) for k in rest_pool],
            n_e - len(early) - len(leaving),
        )
        taken |= {id(k) for k in rest}
        e_units: list[list[tuple[_Kid, str]]] = []
        for u in range(units):
            unit: list[tuple[_Kid, str]] = []
            if u < len(early):
                unit.append((early[u], "early"))
            if u < len(leaving):
                unit.append((leaving[u], "transfer"))
            unit += [(k, SCENARIOS[i]) for i, k in enumerate(rest[u::units])]
            e_units.append(unit)
        for unit in e_units:
            for kid, _scenario in unit:
                self._make_ehcp(kid)
        k_pool = [k for k in kids if id(k) not in taken]
        k_kids = _weighted_sample(r, k_pool, [weight.get(k.year, 1.0) for k in k_pool], n_k)
        for kid in k_kids:
            self._make_sen_support(kid)
        return e_units, [k_kids[u::units] for u in range(units)]

    def _flags(self, kid: _Kid, ehcp: bool) -> None:
        r = self.rng
        need = kid.need or ""
        medical_p = {"PD": 0.7, "PMLD": 0.9, "SLD": 0.35, "MSI": 0.3}.get(
            need, 0.08 if ehcp else 0.05
        )
        if not kid.medical and r.random() < medical_p:
            choices = {
                "PD": ["cp", "cp", "epilepsy", "gastrostomy"],
                "PMLD": ["gastrostomy", "epilepsy"],
                "SLD": ["epilepsy", "diabetes"],
            }.get(need, ["asthma", "allergy", "diabetes", "epilepsy"])
            kid.medical = r.choice(choices)
        care_p = {"PMLD": 1.0, "PD": 0.6, "SLD": 0.7, "MSI": 0.5}.get(
            need, 0.3 if need == "ASD" and kid.year <= 1 else 0.04 if ehcp else 0.0
        )
        kid.personal_care = r.random() < care_p
        plan_p = {"SEMH": 0.8 if ehcp else 0.3, "ASD": 0.4 if ehcp else 0.1}.get(need, 0.0)
        kid.behaviour_plan = r.random() < plan_p
        values = kid.row.values
        values["medical_needs"] = _MEDICAL[kid.medical] if kid.medical else ""
        values["personal_care"] = kid.personal_care
        values["behaviour_plan"] = kid.behaviour_plan

    def _make_ehcp(self, kid: _Kid) -> None:
        r = self.rng
        kid.sen = "E"
        kid.need = _pick_need(r, _NEEDS_E)
        kid.la = self.home if r.random() < 0.85 else r.choice(self.las[1:])
        kid.interval = suggested_interval_months(kid.dob, self.today)
        values = kid.row.values
        values.update(
            {
                "sen_code": "E",
                "primary_need": kid.need,
                "ehcp_la_id": kid.la.row,
                "review_interval_months": kid.interval,
            }
        )
        if r.random() < 0.4:
            values["secondary_need"] = _pick_need(r, _NEEDS_E, exclude=(kid.need, *_RARE))
        self._flags(kid, True)

    def _make_sen_support(self, kid: _Kid) -> None:
        r = self.rng
        kid.sen = "K"
        kid.need = _pick_need(r, _NEEDS_K)
        values = kid.row.values
        values.update({"sen_code": "K", "primary_need": kid.need})
        if r.random() < 0.25:
            values["secondary_need"] = _pick_need(r, _NEEDS_K, exclude=(kid.need, *_RARE))
        self._flags(kid, False)

    def teacher_of(self, class_name: str) -> str:
        if class_name not in self._teachers:
            r = self.rng
            title = r.choice(["Mrs", "Miss", "Ms", "Mr"])
            tradition = r.choices(_TRADITION_KEYS, weights=_TRADITION_WEIGHTS)[0]
            surname = r.choice(_NAMES[tradition][3]).split("/")[-1 if title != "Mr" else 0]
            self._teachers[class_name] = f"{title} {surname}"
        return self._teachers[class_name]


# =========================================================================== one unit

# Years of service before this academic year (0: joined this year).
_SERVICE = {
    "senco": (3, 12),
    "hlta": (4, 15),
    "class_lsa": (2, 10),
    "key_worker": (1, 6),
    "lsa_a": (3, 9),
    "lsa_g": (2, 5),
    "lsa_b": (1, 1),
    "leaver": (1, 1),
}
_TRAINING_YEARS = {
    "safeguarding": 1,
    "first_aid": 3,
    "paediatric_first_aid": 3,
    "deescalation": 2,
    "medication": 1,
    "manual_handling": 3,
}
_PLACES = ["SENCO office", "Meeting room", "Library", "Online (Microsoft Teams)", "Family room"]
_TIMES = [dt.time(9, 0), dt.time(9, 30), dt.time(13, 30), dt.time(14, 0), dt.time(15, 30)]
_BROAD = ["communication", "cognition", "semh", "sensory_physical"]
_PFA = ["pfa_employment", "pfa_independent_living", "pfa_community", "pfa_health"]


class _Unit:
    """About 420 pupils' worth of SEN provision: twelve EHCPs, 48 on SEN support, a SENCO, an
    HLTA, a class-based LSA, a key worker and 1:1 LSAs, arranged so that each kind of alert
    has something to show."""

    def __init__(
        self, builder: _Builder, e_kids: list[tuple[_Kid, str]], k_kids: list[_Kid]
    ) -> None:
        self.b = builder
        self.r = builder.rng
        self.plan = builder.plan
        self.today = builder.today
        self.e_kids = e_kids
        self.k_kids = k_kids
        self.people: dict[str, _Person] = {}
        self.order: list[_Person] = []

    def build(self) -> None:
        self.senco = self.hire("senco")
        self.hlta = self.hire("hlta")
        self.class_lsa = self.hire("class_lsa")
        states = iter(REVIEW_STATES)
        for kid, scenario in self.e_kids:
            kid.scenario = scenario
            kid.state = self._state_for(kid, scenario, states)
            self._ehcp_dates(kid)
        for kid, scenario in self.e_kids:
            self._scenario(kid, scenario)
            kid.row.values["ehcp_weekly_minutes"] = kid.minutes
        self._sen_support()
        for kid, _scenario in self.e_kids:
            self._ehcp_outcomes(kid)
            self._records(kid)
            self._reviews(kid)
        for kid in self.k_kids:
            self._school_targets(kid)
            self._records(kid)
        self._staff_records()

    # ------------------------------------------------------------------ EHCP dates

    def _state_for(self, kid: _Kid, scenario: str, states: Iterable[str]) -> str:
        if scenario == "no_lsa":
            return "new"
        if scenario == "early":
            return "upcoming" if kid.interval == 6 else "new"
        if scenario == "transfer":
            t = self.today
            if t.month in (9, 10, 11):
                return "upcoming"
            if t.month in (12, 1) or (t.month == 2 and t.day < 15):
                return "awaiting_la"
            return "later"
        return next(iter(states), "later")

    def _ehcp_dates(self, kid: _Kid) -> None:
        """When the plan was issued and the annual reviews held, to fit the kid's state."""
        b, r = self.b, self.r
        step = relativedelta(months=kid.interval)
        old_enough = kid.dob + relativedelta(years=2)
        held: list[dt.date] = []
        if kid.state == "new":
            issued = _weekday_before(b.days_ago(42, 120))
        else:
            if kid.state == "report_overdue":
                last = b.day_on_or_before(b.days_ago(17, 27))
            elif kid.state == "awaiting_la":
                last = b.day_on_or_before(b.days_ago(8, 13))
            else:
                low, high = {
                    "overdue": (-25, -5),
                    "upcoming": (28, 63),
                    "steps_missing": (14, 24),
                    "later": (100, 330),
                }[kid.state]
                if kid.state == "later" and kid.interval < 12:
                    low, high = 50, 150
                due = self.today + dt.timedelta(days=r.randint(low, high))
                last = b.day_on_or_before(due - step)
            held = [last]
            for _ in range(r.randint(0, 2)):
                previous = b.day_on_or_before(held[0] - step)
                if previous - step - dt.timedelta(days=30) < old_enough:
                    break
                held.insert(0, previous)
            issued = _weekday_before(held[0] - step - dt.timedelta(days=r.randint(0, 25)))
            if issued < old_enough:  # too young for a review yet: this is the first plan
                issued, held = _weekday_before(held[-1]), []
                kid.state = "new" if kid.state in ("report_overdue", "awaiting_la") else (kid.state)
        kid.issued, kid.held = issued, held
        kid.row.values.update({"ehcp_issued": issued, "ehcp_last_review": kid.last_review})

    # ------------------------------------------------------------------ scenarios

    def _scenario(self, kid: _Kid, scenario: str) -> None:
        b, r = self.b, self.r
        need_for = {"hlta_sensory": ["HI", "HI", "VI"], "early": ["ASD", "ASD", "SLCN", "PD"]}
        if scenario in need_for:
            kid.need = r.choice(need_for[scenario])
            kid.row.values["primary_need"] = kid.need
            if kid.row.values.get("secondary_need") == kid.need:
                kid.row.values["secondary_need"] = None
            b._flags(kid, True)
        if scenario == "hlta_sensory":
            kid.la = b.las[1]
            kid.row.values["ehcp_la_id"] = kid.la.row
        if scenario == "covered_perm":
            kid.minutes = 1950
            f = self.fund(kid, "top_up", end=None)
            self.assign(self.hire("lsa_a", funding=f), kid, 1950, _ALL)
        elif scenario == "outlives_a":  # fixed term runs months past the top-up
            kid.minutes = 1650
            months = r.randint(1, 2)
            f = self.fund(kid, "top_up", end=b.months_ahead(months))
            last_year = None
            if kid.issued is not None and kid.issued < b.sept1 - dt.timedelta(days=60):
                last_year = self.fund(
                    kid,
                    "top_up",
                    end=b.sept1 - ONE_DAY,
                    start=max(_next_month_start(kid.issued), dt.date(b.year - 1, 9, 1)),
                )
            s = self.hire(
                "lsa_b",
                funding=f,
                end=b.months_ahead(months + r.randint(3, 9)),
                previous=True,
                previous_funding=last_year,
            )
            self.assign(s, kid, 1650, _ALL)
        elif scenario == "outlives_b":
            kid.minutes = 1200
            months = r.randint(1, 3)
            f = self.fund(kid, "high_needs", end=b.months_ahead(months))
            s = self.hire("lsa_c", funding=f, end=b.months_ahead(months + r.randint(2, 6)))
            self.assign(s, kid, 1200, _AM)
        elif scenario == "outlives_c":
            kid.minutes = 1950
            f = self.fund(kid, "top_up", end=b.months_ahead(r.randint(2, 4)))
            s = self.hire("lsa_e", funding=f, end=b.months_ahead(r.randint(10, 14)))
            self.assign(s, kid, 1950, _ALL)
        elif scenario == "overassign_main":
            kid.minutes = 900
            f = self.fund(kid, "top_up", end=None)
            s = self.hire("lsa_d", funding=f, end=b.months_ahead(r.randint(9, 12)))
            self.assign(s, kid, 900, _AM)
        elif scenario == "overassign_short":  # their LSA left; the mornings-only LSA covers
            kid.minutes = 1500
            end = (
                b.aug31
                if b.aug31 >= self.today + dt.timedelta(days=60)
                else (b.months_ahead(r.randint(6, 10)))
            )
            f = self.fund(kid, "top_up", end=end)
            left = _weekday_before(b.days_ago(35, 70))
            gone = self.hire("leaver", funding=f, end=left, leaving=left)
            self.assign(gone, kid, 1500, _ALL, end=left)
            d = self.people.get("lsa_d") or self.hire("lsa_d", end=b.months_ahead(r.randint(9, 12)))
            self.assign(
                d,
                kid,
                600,
                _sessions((0, True), (1, True), (2, True), (3, True)),
                start=left + ONE_DAY,
            )
        elif scenario == "no_lsa":  # a new EHCP: the top-up has started, nobody is assigned
            kid.minutes = 1200
            self.fund(kid, "top_up", end=None)
        elif scenario == "keyworker_pending":
            kid.minutes = 1200
            f = self.fund(kid, "top_up", end=None)
            self.fund(
                kid,
                "top_up",
                end=None,
                start=_next_month_start(self.today),
                status="pending",
                amount=Decimal(r.choice([1800, 2400, 3100, 3600])),
                minutes=300,
                reference_suffix="-INC",
            )
            self.assign(self.hire("key_worker", funding=f), kid, 1200, _ALL)
        elif scenario == "ends_together":
            kid.minutes = 1500
            end = b.months_ahead(2)
            f = self.fund(kid, "top_up", end=end)
            self.assign(self.hire("lsa_f", funding=f, end=end), kid, 1500, _ALL)
        elif scenario == "hlta_sensory":
            kid.minutes = 600
            self.fund(kid, "high_needs", end=b.months_ahead(r.randint(8, 11)))
            self.assign(
                self.hlta, kid, 600, _sessions((1, False), (1, True), (3, False), (3, True))
            )
        elif scenario == "early":
            kid.minutes = 900
            first_half = b.terms[b.year][0][1]
            self.fund(
                kid,
                "grant",
                end=first_half,
                start=b.sept1,
                funder=f"{(kid.la or b.home).council} SEN Inclusion Fund",
                amount=Decimal(r.choice([1500, 2000, 2500])),
                minutes=None,
            )
            end = (
                b.aug31
                if b.aug31 >= self.today + dt.timedelta(days=60)
                else (b.months_ahead(r.randint(6, 9)))
            )
            self.fund(kid, "top_up", end=end)
            self.assign(self.class_lsa, kid, 600, _AM, role="shared")
            self.assign(self.hlta, kid, 300, _sessions((0, True), (2, True)), role="shared")
        elif scenario == "transfer":
            kid.minutes = 1500
            f = self.fund(kid, "top_up", end=None)
            self.assign(self.hire("lsa_g", funding=f, previous=True), kid, 1500, _ALL)

    def _sen_support(self) -> None:
        r, ks = self.r, self.k_kids
        for kid in ks[:6]:
            days = r.sample(range(5), 2)
            self.assign(
                self.hlta,
                kid,
                r.choice([60, 90, 90, 120]),
                _sessions(*((d, True) for d in days)),
                role="shared",
            )
        for kid in ks[6:14]:
            days = r.sample(range(5), 3)
            self.assign(
                self.class_lsa,
                kid,
                r.choice([60, 90, 120, 150]),
                _sessions(*((d, False) for d in days)),
                role="shared",
            )
        key_worker = self.people.get("key_worker")
        if key_worker is not None and len(ks) > 14:
            self.assign(key_worker, ks[14], 300, _PM, role="shared")
        lsa_g = self.people.get("lsa_g")
        if lsa_g is not None and len(ks) > 15:
            self.assign(
                lsa_g, ks[15], 300, _sessions((0, True), (1, True), (2, True)), role="shared"
            )
        if ks:
            self.fund(
                ks[0],
                "school",
                end=None,
                start=self.b.sept1,
                amount=Decimal(r.choice([2500, 3000, 3600, 4200])),
                minutes=None,
                funder="School budget (notional SEN)",
                reference="",
            )

    # ------------------------------------------------------------------ rows

    def fund(
        self,
        kid: _Kid,
        source: str,
        *,
        end: dt.date | None,
        start: dt.date | None = None,
        status: str | None = None,
        amount: Decimal | None = None,
        minutes: int | None | str = "ehcp",
        funder: str | None = None,
        reference: str | None = None,
        reference_suffix: str = "",
    ) -> _Row:
        b, r = self.b, self.r
        la = kid.la or b.home
        if start is None:
            start = _next_month_start(kid.issued) if kid.issued else b.sept1
            if end is not None:  # a line with an end date is this year's
                start = max(start, b.sept1)
        if end is not None and end < start:
            start = end.replace(day=1)
        if minutes == "ehcp":
            minutes = kid.minutes
        if amount is None:
            hours = (kid.minutes or 600) / 60
            amount = Decimal(min(18500, max(6000, round(hours * r.uniform(430, 560) / 10) * 10)))
        if status is None:
            status = "ended" if end is not None and end < self.today else "confirmed"
        if reference is None:
            code = {"top_up": "TU", "high_needs": "HN", "grant": "GR", "school": "SB"}[source]
            reference = f"{la.code}-{code}-{start.year % 100:02d}{r.randint(1, 9999):04d}"
            reference += reference_suffix
        return self.plan.add(
            "funding",
            {
                "pupil_id": kid.row,
                "source": source,
                "funder": funder or la.council,
                "reference": reference,
                "amount_per_year": amount,
                "weekly_minutes": minutes,
                "start_date": start,
                "end_date": end,
                "status": status,
            },
        )

    def hire(
        self,
        key: str,
        *,
        funding: _Row | None = None,
        end: dt.date | None = None,
        leaving: dt.date | None = None,
        previous: bool = False,
        previous_funding: _Row | None = None,
    ) -> _Person:
        b, r = self.b, self.r
        job = _JOBS[key]
        woman = r.random() < 0.85
        first = r.choice(_STAFF_WOMEN if woman else _STAFF_MEN)
        tradition = r.choices(_TRADITION_KEYS, weights=_TRADITION_WEIGHTS)[0]
        forms = r.choice(_NAMES[tradition][3]).split("/")
        last = forms[-1] if woman else forms[0]
        low, high = _SERVICE.get(key, (0, 0))
        years = r.randint(low, high)
        start = min(b.day_on_or_after(dt.date(b.year - years, 9, 1)), self.today)
        if years == 0 and r.random() < 0.3:  # joined a few weeks into the year
            start = b.random_day(start, min(self.today, start + dt.timedelta(days=40)))
        email = f"{_ascii(first).lower()}.{_ascii(last).lower()}@{b.domain}"
        row = self.plan.add(
            "staff",
            {
                "first_name": first,
                "last_name": last,
                "role": job.role,
                "email": email,
                "phone": f"07700 900{r.randint(0, 999):03d}",
                "start_date": start,
                "leaving_date": leaving,
                "line_manager_id": None if key == "senco" else self.senco.row,
            },
        )
        person = _Person(row, key, first, last, email, start, leaving)
        self.people[key] = person
        self.order.append(person)
        fte = r.choice(["23297", "24223"]) if key == "key_worker" else job.fte
        contract_start = start
        if previous:  # a fixed term last year, before this contract
            self.contract(
                person,
                _JOBS["lsa_b"],
                start=start,
                end=b.sept1 - ONE_DAY,
                funding=previous_funding,
                fte=_JOBS["lsa_b"].fte,
            )
            contract_start = b.sept1
        self.contract(
            person,
            job,
            start=contract_start,
            end=end if job.kind == "fixed_term" else None,
            funding=funding,
            fte=fte,
        )
        person.contract_start = contract_start
        return person

    def contract(
        self,
        person: _Person,
        job: _Job,
        *,
        start: dt.date,
        end: dt.date | None,
        funding: _Row | None,
        fte: str,
    ) -> None:
        values: dict[str, Any] = {
            "staff_id": person.row,
            "kind": job.kind,
            "job_title": job.title,
            "start_date": start,
            "end_date": end,
            "grade": job.grade,
            "pay_point": job.pay_point,
            "fte_salary": Decimal(fte),
            "term_time": job.term_time,
            "notice_weeks": job.notice_weeks,
            "funding_id": funding,
        }
        if job.paid_weeks is not None:
            values["paid_weeks"] = Decimal(job.paid_weeks)
        self.plan.add("contract", values, days=PATTERNS[job.pattern])

    def assign(
        self,
        person: _Person,
        kid: _Kid,
        minutes: int,
        sessions: int,
        *,
        role: str = "one_to_one",
        start: dt.date | None = None,
        end: dt.date | None = None,
    ) -> None:
        start = min(start or max(person.start, kid.admission), self.today)
        if end is not None and end < start:  # the pupil joined after this support ended
            return
        self.plan.add(
            "assignment",
            {
                "staff_id": person.row,
                "pupil_id": kid.row,
                "weekly_minutes": minutes,
                "sessions": sessions,
                "role": role,
                "start_date": start,
                "end_date": end,
            },
        )
        if end is None or end >= self.today:
            kid.support.append((person, minutes))
            person.supports.append(kid)

    # ------------------------------------------------------------------ outcomes

    def _history(self, set_on: dt.date, first_note: str, most: int = 4) -> list[_Change]:
        b, r = self.b, self.r
        changes = [_Change(set_on, "not_started", first_note)]
        target = min(most, r.choices([0, 1, 2, 3, 4], weights=[2, 3, 4, 3, 1])[0])
        d, level = set_on, 0
        while level < target:
            d = b.day_on_or_before(d + dt.timedelta(days=r.randint(35, 80)))
            if d > self.today or d <= changes[-1].on:
                break
            level += 1
            status = _STATUS_ORDER[level]
            changes.append(_Change(d, status, _STATUS_NOTES[status]))
        return changes

    def outcome(
        self,
        kid: _Kid,
        source: str,
        area: str,
        text: str,
        criteria: str,
        set_on: dt.date,
        history: list[_Change],
        *,
        current: bool = True,
    ) -> None:
        year = "Reception" if kid.year == 0 else f"Year {kid.year}"
        row = self.plan.add(
            "outcome",
            {
                "pupil_id": kid.row,
                "source": source,
                "area": area,
                "text": text.format(n=kid.name, y=year),
                "success_criteria": criteria,
                "set_date": set_on,
                "target_date": set_on + relativedelta(months=12),
            },
            history=history,
        )
        if current:
            kid.outcomes.append((row, area, set_on))

    def _ehcp_outcomes(self, kid: _Kid) -> None:
        b, r = self.b, self.r
        set_on = kid.last_review or kid.issued
        assert set_on is not None
        secondary = kid.row.values.get("secondary_need")
        areas = list(
            dict.fromkeys(
                _AREAS_FOR_NEED[kid.need or "OTH"]
                + (_AREAS_FOR_NEED[secondary] if secondary else ())
            )
        )
        for extra in r.sample(_BROAD, len(_BROAD)):
            if len(areas) >= 3:
                break
            if extra not in areas:
                areas.append(extra)
        used: set[str] = set()
        note = "Set at the annual review." if kid.held else "Set when the EHCP was issued."
        for i in range(r.randint(4, 6)):
            area = areas[i % len(areas)]
            options = [t for t in _OUTCOMES[area] if t[0] not in used]
            special = _HI_VI_OUTCOME.get(kid.need or "")
            if area == "sensory_physical" and special and special[0] not in used:
                options = [special]
            text, criteria = r.choice(options)
            used.add(text)
            self.outcome(kid, "ehcp", area, text, criteria, set_on, self._history(set_on, note))
        if b.large and kid.year >= 9:
            area = r.choice(_PFA)
            text, criteria = _OUTCOMES[area][0]
            self.outcome(kid, "ehcp", area, text, criteria, set_on, self._history(set_on, note))
        if kid.last_review is None:
            return
        previous = kid.held[-2] if len(kid.held) >= 2 else kid.issued
        assert previous is not None
        mid = b.day_on_or_before(previous + (kid.last_review - previous) / 2)
        for _ in range(r.randint(1, 2)):
            area = r.choice(areas)
            options = [t for t in _OUTCOMES[area] if t[0] not in used]
            if not options:
                continue
            text, criteria = r.choice(options)
            used.add(text)
            history = [_Change(previous, "not_started", "Set at the previous review.")]
            if previous < mid < kid.last_review:
                history.append(_Change(mid, "developing", _STATUS_NOTES["developing"]))
            history.append(
                _Change(
                    kid.last_review,
                    "achieved",
                    "Achieved: replaced by a new outcome at the annual review.",
                )
            )
            self.outcome(kid, "ehcp", area, text, criteria, previous, history, current=False)

    def _school_targets(self, kid: _Kid) -> None:
        b, r = self.b, self.r
        starts = [
            start for y in (b.year - 1, b.year) for start, _end in b.terms[y] if start <= self.today
        ]
        set_on = starts[-1] if r.random() < 0.5 or len(starts) < 2 else starts[-2]
        set_on = max(set_on, kid.admission)
        for area, text, criteria in r.sample(_SCHOOL_TARGETS, r.randint(1, 2)):
            self.outcome(
                kid,
                "school",
                area,
                text,
                criteria,
                set_on,
                self._history(set_on, "Pupil profile target agreed with parents.", 3),
            )

    # ------------------------------------------------------------------ records

    def record(
        self, kid: _Kid, author: _Person, when: dt.datetime, kind: str, text: str, **more: Any
    ) -> None:
        self.plan.add(
            "record",
            {
                "pupil_id": kid.row,
                "author_id": author.row,
                "occurred_at": when,
                "kind": kind,
                "text": text,
                **more,
            },
        )

    def _records(self, kid: _Kid) -> None:
        r = self.r
        window = [d for d in self.b.recent_days if d >= kid.admission]
        if not window:
            return
        helpers = [p for p, _minutes in kid.support]
        main = helpers[0] if helpers else self.senco
        ehcp = kid.sen == "E"

        def when() -> dt.datetime:
            return dt.datetime.combine(
                r.choice(window), dt.time(r.randint(9, 14), r.choice((0, 10, 15, 30, 40, 45)))
            )

        def outcome_on(day: dt.date) -> tuple[_Row | None, str]:
            options = [(row, area) for row, area, set_on in kid.outcomes if set_on <= day]
            return r.choice(options) if options else (None, r.choice(_BROAD))

        n_support = (r.randint(8, 16) if ehcp else r.randint(1, 4)) if helpers else 0
        for _ in range(n_support):
            at = when()
            row, area = outcome_on(at.date())
            activity = r.choice(_SUPPORT.get(area, _SUPPORT["cognition"]))
            progress = r.choices([1, 2, 3, 4, 5], weights=[1, 3, 5, 4, 2])[0]
            minutes = r.choice([20, 30, 30, 45, 60])
            self.record(
                kid,
                r.choice(helpers),
                at,
                "support",
                f"{activity[0].upper()}{activity[1:]} with {kid.name} ({minutes} min). "
                f"{_PROGRESS_WORDS[progress]}",
                outcome_id=row,
                minutes=minutes,
                progress=progress,
            )
        for _ in range(r.randint(1, 3) if ehcp else r.randint(0, 2)):
            at = when()
            row, _area = outcome_on(at.date()) if r.random() < 0.5 else (None, "")
            self.record(
                kid,
                r.choice([self.senco, main]),
                at,
                "observation",
                r.choice(_OBSERVATIONS).format(n=kid.name, subject=r.choice(_SUBJECTS)),
                outcome_id=row,
            )
        incidents = (
            r.randint(2, 5) if kid.behaviour_plan else int(r.random() < (0.15 if ehcp else 0.05))
        )
        for _ in range(incidents):
            antecedent, behaviour, deescalation, consequence = r.choice(_INCIDENTS)
            held = kid.behaviour_plan and r.random() < 0.12
            if held:
                deescalation += (
                    " Positive handling: guided away from the stairs by the arm "
                    "(one adult, Team Teach)."
                )
            where = r.choice(
                ["class", "the playground", "the hall", "the corridor", "the dining hall"]
            )
            self.record(
                kid,
                main,
                when(),
                "incident",
                f"Incident in {where}.",
                antecedent=antecedent,
                behaviour=behaviour,
                consequence=consequence,
                deescalation=deescalation,
                physical_intervention=held,
                injury=(
                    "Graze to the LSA's hand; no injury to the pupil."
                    if held and r.random() < 0.5
                    else ""
                ),
                parents_informed=r.random() < 0.9,
                minutes=r.choice([10, 15, 20, 30]),
            )
        if kid.medical:
            for _ in range(r.randint(3, 6)):
                text = r.choice(_MEDICAL_RECORDS[kid.medical]).format(
                    g=f"{r.uniform(3.6, 11.5):.1f}"
                )
                self.record(kid, main, when(), "medical", text, minutes=r.choice([5, 10, 15]))
        if r.random() < 0.25:
            self.record(
                kid,
                main,
                when(),
                "medical",
                r.choice(_FIRST_AID),
                minutes=10,
                parents_informed=True,
            )
        if kid.personal_care:
            for _ in range(r.randint(3, 6)):
                self.record(
                    kid,
                    main,
                    when(),
                    "personal_care",
                    r.choice(_PERSONAL_CARE),
                    minutes=r.choice([10, 15, 20]),
                )
        for _ in range(r.randint(1, 3) if ehcp else r.randint(0, 1)):
            parent = r.choice(["mum", "dad", f"Mrs {kid.mother_last}", "the parents"])
            self.record(
                kid,
                r.choice([self.senco, main]),
                when(),
                "parent_contact",
                r.choice(_PARENT).format(p=parent),
            )

    # ------------------------------------------------------------------ reviews

    def _reviews(self, kid: _Kid) -> None:
        b, r = self.b, self.r
        for i, day in enumerate(kid.held):
            mode = "complete"
            if i == len(kid.held) - 1 and kid.state in ("report_overdue", "awaiting_la"):
                mode = kid.state
            self.meeting(kid, day, mode, last=i == len(kid.held) - 1)
        if kid.state in ("upcoming", "steps_missing"):
            base = kid.last_review or kid.issued
            assert base is not None
            due = base + relativedelta(months=kid.interval)
            if kid.state == "upcoming":
                day = b.day_on_or_before(due - dt.timedelta(days=r.randint(3, 12)))
                earliest = self.today + dt.timedelta(days=7)
            else:
                day = b.day_on_or_before(due - dt.timedelta(days=r.randint(0, 3)))
                earliest = self.today + dt.timedelta(days=8)
            if day < earliest:
                day = b.day_on_or_after(earliest)
            self.meeting(
                kid, day, "booked" if kid.state == "upcoming" else "steps_missing", last=True
            )
        if kid.behaviour_plan and kid.state == "later" and kid.last_review is not None:
            day = b.day_on_or_before(b.days_ago(30, 80))
            if day > kid.last_review + dt.timedelta(days=30):
                self.meeting(kid, day, "interim", last=False)

    def meeting(self, kid: _Kid, day: dt.date, mode: str, *, last: bool) -> None:
        r, today = self.r, self.today
        la = kid.la or self.b.home
        values: dict[str, Any] = {
            "pupil_id": kid.row,
            "kind": "interim" if mode == "interim" else "annual",
            "meeting_at": dt.datetime.combine(day, r.choice(_TIMES)),
            "place": r.choice(_PLACES),
        }
        weeks = {
            "advice_requested_on": la.advice_weeks,
            "invitations_sent_on": la.invitation_weeks,
            "papers_circulated_on": 2,
        }
        slack = {"advice_requested_on": 7, "invitations_sent_on": 5, "papers_circulated_on": 3}
        secondary = r.choice(_SECONDARY)
        if mode in ("booked", "steps_missing"):
            for name, w in weeks.items():
                deadline = day - dt.timedelta(weeks=w)
                if deadline > today or (mode == "steps_missing" and name == "advice_requested_on"):
                    continue
                values[name] = min(
                    _weekday_before(deadline - dt.timedelta(days=r.randint(0, slack[name]))), today
                )
            values["notes"] = (
                "Meeting booked; the requests for advice have not gone out yet."
                if mode == "steps_missing"
                else "Meeting booked. Advice requested from the EP and therapists; pupil views to "
                "be gathered with the LSA."
            )
        else:
            for name, w in weeks.items():
                values[name] = _weekday_before(
                    day - dt.timedelta(weeks=w, days=r.randint(0, slack[name]))
                )
            values["held_on"] = day
            if mode in ("complete", "interim"):
                report = _weekday_before(day + dt.timedelta(days=r.randint(5, 13)))
                decision = _weekday_before(day + dt.timedelta(days=r.randint(15, 27)))
                outcome = "amend" if r.random() < 0.3 else "maintain"
                if decision <= today:
                    values.update(
                        report_sent_on=min(report, today), la_decision_on=decision, outcome=outcome
                    )
                if mode == "interim":
                    values["notes"] = (
                        "Interim review after more incidents: behaviour plan "
                        "updated; refresher de-escalation training for the LSA."
                    )
                else:
                    values["notes"] = _REVIEW_NOTES_HELD[
                        2 if outcome == "amend" else r.randint(0, 1)
                    ]
            else:
                if mode == "awaiting_la":
                    values["report_sent_on"] = min(
                        _weekday_before(day + dt.timedelta(days=r.randint(2, 6))), today
                    )
                values["notes"] = (
                    "Annual review held; outcomes reviewed with parents. The "
                    "school's report to the LA is due within two weeks."
                )
        if kid.scenario == "transfer" and last:
            values["notes"] = (
                f"Phase transfer review (Year {kid.year}): parents' first "
                f"preference is {secondary}. The amended plan must be issued "
                f"by 15 February. " + values.get("notes", "")
            )
        self.plan.add("review_meeting", values, invitees=self._invitees(kid))

    def _invitees(self, kid: _Kid) -> list[dict[str, str]]:
        r = self.r
        la = kid.la or self.b.home
        people = [{"name": f"Mrs {kid.mother_last}", "role": "Parent/carer", "email": ""}]
        if r.random() < 0.5:
            people.append({"name": f"Mr {kid.father_last}", "role": "Parent/carer", "email": ""})
        people.append(
            {"name": self.b.teacher_of(kid.class_name), "role": "Class teacher", "email": ""}
        )
        for person, _minutes in kid.support[:2]:
            people.append(
                {
                    "name": person.name,
                    "role": vocab.STAFF_ROLE_LABELS[vocab.StaffRole(_JOBS[person.key].role)],
                    "email": person.email,
                }
            )
        people.append({"name": self.senco.name, "role": "SENCO", "email": self.senco.email})
        people.append(
            {"name": r.choice(_PROFESSIONALS), "role": "Educational psychologist", "email": ""}
        )
        therapist = {
            "SLCN": "Speech and language therapist",
            "ASD": "Speech and language therapist",
            "PD": "Physiotherapist",
            "SLD": "Occupational therapist",
            "PMLD": "Occupational therapist",
            "HI": "Qualified teacher of the deaf",
            "VI": "Qualified teacher of children with vision impairment",
        }.get(kid.need or "")
        if therapist:
            people.append({"name": r.choice(_THERAPISTS), "role": therapist, "email": ""})
        people.append(
            {
                "name": r.choice(_CASEWORKERS),
                "role": f"SEN caseworker, {la.name}",
                "email": f"sen.casework@{_ascii(la.name).lower()}.example",
            }
        )
        return people

    # ------------------------------------------------------------------ staff records

    def _staff_records(self) -> None:
        r = self.r
        current = [p for p in self.order if p.leaving is None and p.key != "senco"]
        forced = r.sample(current, min(4, len(current))) + [None] * 4
        expired_safeguarding, first_aid_due, dbs_overdue, dbs_due = forced[:4]
        for p in self.order:
            self._qualifications(p)
            self._training(p, expired=p is expired_safeguarding, expiring=p is first_aid_due)
            self._dbs(p, overdue=p is dbs_overdue, due=p is dbs_due)

    def _qualifications(self, p: _Person) -> None:
        r = self.r
        if p.key in ("senco", "hlta"):
            items = _QUALIFICATIONS[p.key]
        else:
            items = r.sample(_QUALIFICATIONS["lsa"], r.randint(1, 3))
        for kind, level in items:
            self.plan.add(
                "qualification",
                {
                    "staff_id": p.row,
                    "kind": kind,
                    "level": level,
                    "awarded": _weekday_before(p.start - dt.timedelta(days=r.randint(60, 2500))),
                },
            )

    def _training(self, p: _Person, *, expired: bool, expiring: bool) -> None:
        r, today = self.r, self.today
        first_aid = (
            "paediatric_first_aid"
            if p.key in ("class_lsa", "key_worker") or any(k.year == 0 for k in p.supports)
            else "first_aid"
        )
        kinds = ["safeguarding", first_aid]
        if p.key in ("senco", "hlta") or any(k.behaviour_plan for k in p.supports):
            kinds.append("deescalation")
        if any(k.medical for k in p.supports):
            kinds.append("medication")
        if any(k.personal_care or k.need in ("PD", "PMLD") for k in p.supports):
            kinds.append("manual_handling")
        for kind in kinds:
            years = _TRAINING_YEARS[kind]
            if kind == "safeguarding" and expired:
                completed = self.b.days_ago(370, 420)
            elif kind == first_aid and expiring:
                completed = (
                    today + dt.timedelta(days=r.randint(15, 50)) - relativedelta(years=years)
                )
            else:
                completed = today - dt.timedelta(days=r.randint(20, 365 * years - 25))
                if completed < p.start <= today:
                    completed = p.start
            completed = _weekday_before(completed)
            self.plan.add(
                "training",
                {
                    "staff_id": p.row,
                    "kind": kind,
                    "completed": completed,
                    "expires": completed + relativedelta(years=years),
                },
            )
            older = _weekday_before(completed - relativedelta(years=years))
            if kind == "safeguarding" and older >= p.start:  # last year's, now superseded
                self.plan.add(
                    "training",
                    {
                        "staff_id": p.row,
                        "kind": kind,
                        "completed": older,
                        "expires": older + relativedelta(years=years),
                    },
                )
        if r.random() < 0.3:
            self.plan.add(
                "training",
                {
                    "staff_id": p.row,
                    "kind": "other",
                    "completed": _weekday_before(self.b.days_ago(30, 900)),
                    "expires": None,
                },
            )

    def _dbs(self, p: _Person, *, overdue: bool, due: bool) -> None:
        r, today = self.r, self.today
        three = relativedelta(years=3)
        if overdue or due:
            renew = today + dt.timedelta(days=-r.randint(5, 40) if overdue else r.randint(10, 50))
            checks = [(_weekday_before(renew - three), False)]
        else:
            update_service = r.random() < 0.35
            issued = _weekday_before(p.start - dt.timedelta(days=r.randint(14, 60)))
            checks = [(issued, update_service)]
            while not update_service and issued + three <= today:  # renewed on policy
                issued = _weekday_before(issued + three - dt.timedelta(days=r.randint(0, 30)))
                checks.append((issued, False))
        for issued, update_service in checks:
            self.plan.add(
                "dbs_check",
                {
                    "staff_id": p.row,
                    "level": "enhanced_barred",
                    "certificate_number": "00" + "".join(r.choice("0123456789") for _ in range(10)),
                    "issued": issued,
                    "update_service": update_service,
                    "renew_by": None if update_service else issued + three,
                },
            )


# =========================================================================== writers

_LABELS = {
    "local_authority": "local authorities",
    "school": "the school",
    "term_date": "term dates",
    "staff": "staff",
    "pupil": "pupils",
    "funding": "funding",
    "contract": "contracts",
    "assignment": "assignments",
    "outcome": "outcomes",
    "record": "records",
    "qualification": "qualifications",
    "training": "training",
    "dbs_check": "DBS checks",
    "review_meeting": "reviews",
}


def _table(model: Any) -> Table:
    return cast(Table, model.__table__)


def _scalar_default(column: Any) -> Any:
    """The model's Python-side default of a column (what an ORM insert would use)."""
    default = column.default
    return getattr(default, "arg", None) if default is not None and default.is_scalar else None


def _resolve(values: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in values.items():
        if isinstance(value, _Row):
            assert value.id is not None, f"{value.table} row written after its reference"
            value = value.id
        out[key] = value
    return out


class _Writer:
    def __init__(self, session: Session, plan: _Plan, progress: Progress) -> None:
        self.session = session
        self.plan = plan
        self.progress = progress
        self.total = sum(len(rows) for rows in plan.rows.values())
        self.done = 0
        self._step = max(1, self.total // 200)
        self._next = 0

    def tick(self, table: str, n: int = 1) -> None:
        self.done += n
        if self.done >= self._next:
            self._next = self.done + self._step
            self.progress(self.done, self.total, f"Writing {_LABELS[table]}")

    def write(self) -> None:
        for table in ORDER:
            rows = self.plan.rows[table]
            if table in SETTINGS_TABLES:
                for row in rows:
                    row.id = self.setting(row)
                    self.tick(table)
            else:
                self.write_table(table, rows)

    def setting(self, row: _Row) -> int:
        s = self.session
        values = _resolve(row.values)
        if row.table == "local_authority":
            existing = s.scalar(
                select(LocalAuthority.id).where(
                    func.lower(LocalAuthority.name) == values["name"].lower()
                )
            )
            return commands.save_local_authority(s, values, existing)
        if row.table == "school":
            return commands.save_school(s, values)
        commands.set_term_dates(s, values["academic_year"], values["half_terms"])
        return 0

    def write_table(self, table: str, rows: list[_Row]) -> None:
        raise NotImplementedError


class _CommandWriter(_Writer):
    """Every row through ``commands``: validated, and audited field by field."""

    def write_table(self, table: str, rows: list[_Row]) -> None:
        s = self.session
        for row in rows:
            values = _resolve(row.values)
            if table == "staff":
                row.id = commands.save_staff(s, values)
            elif table == "pupil":
                row.id = commands.save_pupil(s, values)
            elif table == "funding":
                row.id = commands.save_funding(s, values)
            elif table == "contract":
                row.id = commands.save_contract(s, {**values, "days": list(row.extra["days"])})
            elif table == "assignment":
                row.id = commands.save_assignment(s, values)
            elif table == "outcome":
                history: list[_Change] = row.extra["history"]
                first = history[0]
                row.id = commands.save_outcome(
                    s,
                    {
                        **values,
                        "status": first.status,
                        "status_date": first.on,
                        "status_note": first.note,
                    },
                )
                for change in history[1:]:
                    commands.save_outcome(
                        s,
                        {
                            "status": change.status,
                            "status_date": change.on,
                            "status_note": change.note,
                        },
                        row.id,
                    )
            elif table == "record":
                row.id = commands.save_record(s, values)
            elif table == "qualification":
                row.id = commands.save_qualification(s, values)
            elif table == "training":
                row.id = commands.save_training(s, values)
            elif table == "dbs_check":
                row.id = commands.save_dbs(s, values)
            elif table == "review_meeting":
                row.id = commands.save_review(s, {**values, "invitees": row.extra["invitees"]})
            else:  # pragma: no cover - ORDER and this list go together
                raise AssertionError(table)
            self.tick(table)


_MODELS: dict[str, Any] = {
    "staff": Staff,
    "pupil": Pupil,
    "funding": Funding,
    "contract": Contract,
    "assignment": Assignment,
    "outcome": Outcome,
    "record": Record,
    "qualification": Qualification,
    "training": Training,
    "dbs_check": DbsCheck,
    "review_meeting": ReviewMeeting,
}
# Tables whose ids later rows need (fetched with RETURNING, in the order given).
_REFERENCED = frozenset({"staff", "pupil", "funding", "contract", "outcome", "review_meeting"})


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


class _BulkWriter(_Writer):
    """Core ``INSERT``s of many rows at a time; the database gives the ids (RETURNING), so
    SQLite and PostgreSQL sequences stay right. The same rows as the commands would write
    (the defaults they fill in are filled in here), without an audit entry per row."""

    def __init__(self, session: Session, plan: _Plan, progress: Progress) -> None:
        super().__init__(session, plan, progress)
        school = plan.rows["school"][0].values if plan.rows["school"] else {}
        self.default_paid_weeks = school.get("default_paid_weeks", Decimal("43.108"))

    def write_table(self, table: str, rows: list[_Row]) -> None:
        t = _table(_MODELS[table])
        defaults = {
            c.key: _scalar_default(c)
            for c in t.columns
            # the database fills school_id (one school in a file; the login's on a server)
            if c.key != "id" and not (c.default is None and c.server_default is not None)
        }
        later: list[tuple[_Row, str, _Row]] = []  # references to rows of the same table
        for chunk in _chunks(rows):
            params = []
            for row in chunk:
                p = dict(defaults)
                for key, value in row.values.items():
                    if isinstance(value, _Row):
                        if value.id is None:
                            assert value.table == table, f"{table}.{key} written too early"
                            later.append((row, key, value))
                            value = None
                        else:
                            value = value.id
                    p[key] = value
                self._complete(table, row, p)
                params.append(p)
            if table in _REFERENCED:
                stmt = insert(t).returning(t.c.id, sort_by_parameter_order=True)
                ids = self.session.execute(stmt, params).scalars().all()
                for row, new_id in zip(chunk, ids, strict=True):
                    row.id = int(new_id)
            else:
                self.session.execute(insert(t), params)
            self.tick(table, len(chunk))
        by_key: dict[str, list[dict[str, Any]]] = {}
        for row, key, target in later:
            by_key.setdefault(key, []).append({"row_id_": row.id, "value_": target.id})
        for key, params in by_key.items():
            fix = update(t).where(t.c.id == bindparam("row_id_")).values({key: bindparam("value_")})
            self.session.execute(fix, params)
        self._children(table, rows)

    def _complete(self, table: str, row: _Row, p: dict[str, Any]) -> None:
        """What the command would have filled in or worked out."""
        if table == "contract":
            p["weekly_minutes"] = weekly_minutes(row.extra["days"])
            if not p["term_time"]:
                p["paid_weeks"] = None
            elif p["paid_weeks"] is None:
                p["paid_weeks"] = self.default_paid_weeks
        elif table == "outcome":
            p["status"] = row.extra["history"][-1].status
        elif table == "pupil" and p.get("leaving_date") is not None:
            p["archived"] = p["leaving_date"] <= dt.date.today()

    def _children(self, table: str, rows: list[_Row]) -> None:
        if table == "contract":
            t = _table(ContractDay)
            params = [
                {
                    "contract_id": row.id,
                    "weekday": d.weekday,
                    "start": d.start,
                    "end": d.end,
                    "unpaid_break_minutes": d.unpaid_break_minutes,
                }
                for row in rows
                for d in row.extra["days"]
            ]
        elif table == "outcome":
            t = _table(OutcomeStatusChange)
            params = [
                {"outcome_id": row.id, "changed_on": c.on, "status": c.status, "note": c.note}
                for row in rows
                for c in row.extra["history"]
            ]
        elif table == "review_meeting":
            t = _table(ReviewInvitee)
            params = [
                {
                    "meeting_id": row.id,
                    "name": i["name"],
                    "role": i.get("role", ""),
                    "email": i.get("email", ""),
                }
                for row in rows
                for i in row.extra["invitees"]
            ]
        else:
            return
        for chunk in _chunks(params):
            self.session.execute(insert(t), list(chunk))
