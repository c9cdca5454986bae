"""The fixed vocabularies of the domain, with the words a SENCO reads for each value.

Values are stored as the short strings below; labels are for people.
"""

from __future__ import annotations

from enum import StrEnum


class SenCode(StrEnum):
    EHCP = "E"
    SEN_SUPPORT = "K"
    NONE = "N"


SEN_CODE_LABELS: dict[str, str] = {
    SenCode.EHCP: "E – EHC plan",
    SenCode.SEN_SUPPORT: "K – SEN support",
    SenCode.NONE: "N – No SEN",
}

# Census / SEN2 primary need codes. NSA is census only (SEN support without assessment).
NEED_LABELS: dict[str, str] = {
    "SPLD": "Specific learning difficulty",
    "MLD": "Moderate learning difficulty",
    "SLD": "Severe learning difficulty",
    "PMLD": "Profound and multiple learning difficulty",
    "SEMH": "Social, emotional and mental health",
    "SLCN": "Speech, language and communication needs",
    "HI": "Hearing impairment",
    "VI": "Visual impairment",
    "MSI": "Multi-sensory impairment",
    "PD": "Physical disability",
    "ASD": "Autistic spectrum disorder",
    "OTH": "Other difficulty or disability",
    "NSA": "SEN support but no specialist assessment of type of need",
}
NEED_CODES = tuple(NEED_LABELS)


class Area(StrEnum):
    COMMUNICATION = "communication"
    COGNITION = "cognition"
    SEMH = "semh"
    SENSORY_PHYSICAL = "sensory_physical"
    PFA_EMPLOYMENT = "pfa_employment"
    PFA_INDEPENDENT_LIVING = "pfa_independent_living"
    PFA_COMMUNITY = "pfa_community"
    PFA_HEALTH = "pfa_health"


AREA_LABELS: dict[str, str] = {
    Area.COMMUNICATION: "Communication and interaction",
    Area.COGNITION: "Cognition and learning",
    Area.SEMH: "Social, emotional and mental health",
    Area.SENSORY_PHYSICAL: "Sensory and/or physical",
    Area.PFA_EMPLOYMENT: "PfA: employment and higher education",
    Area.PFA_INDEPENDENT_LIVING: "PfA: independent living",
    Area.PFA_COMMUNITY: "PfA: participating in society",
    Area.PFA_HEALTH: "PfA: good health",
}


class OutcomeStatus(StrEnum):
    NOT_STARTED = "not_started"
    EMERGING = "emerging"
    DEVELOPING = "developing"
    SECURE = "secure"
    ACHIEVED = "achieved"


OUTCOME_STATUS_LABELS: dict[str, str] = {
    OutcomeStatus.NOT_STARTED: "Not started",
    OutcomeStatus.EMERGING: "Emerging",
    OutcomeStatus.DEVELOPING: "Developing",
    OutcomeStatus.SECURE: "Secure",
    OutcomeStatus.ACHIEVED: "Achieved",
}


class OutcomeSource(StrEnum):
    EHCP = "ehcp"
    SCHOOL = "school"


OUTCOME_SOURCE_LABELS: dict[str, str] = {
    OutcomeSource.EHCP: "EHCP outcome",
    OutcomeSource.SCHOOL: "School target",
}


class RecordKind(StrEnum):
    SUPPORT = "support"
    OBSERVATION = "observation"
    INCIDENT = "incident"
    MEDICAL = "medical"
    PERSONAL_CARE = "personal_care"
    PARENT_CONTACT = "parent_contact"


RECORD_KIND_LABELS: dict[str, str] = {
    RecordKind.SUPPORT: "Support session",
    RecordKind.OBSERVATION: "Observation",
    RecordKind.INCIDENT: "Incident",
    RecordKind.MEDICAL: "Medical or first aid",
    RecordKind.PERSONAL_CARE: "Personal care",
    RecordKind.PARENT_CONTACT: "Contact with parents",
}


class StaffRole(StrEnum):
    ONE_TO_ONE_LSA = "lsa_1to1"
    KEY_WORKER = "key_worker"
    CLASS_LSA = "lsa_class"
    HLTA = "hlta"
    TEACHER = "teacher"
    SENCO = "senco"


STAFF_ROLE_LABELS: dict[str, str] = {
    StaffRole.ONE_TO_ONE_LSA: "1:1 LSA",
    StaffRole.KEY_WORKER: "Key worker",
    StaffRole.CLASS_LSA: "Class-based LSA",
    StaffRole.HLTA: "HLTA",
    StaffRole.TEACHER: "Teacher",
    StaffRole.SENCO: "SENCO",
}
SUPPORT_ROLES = frozenset(
    {StaffRole.ONE_TO_ONE_LSA, StaffRole.KEY_WORKER, StaffRole.CLASS_LSA, StaffRole.HLTA}
)


class TrainingKind(StrEnum):
    FIRST_AID = "first_aid"
    PAEDIATRIC_FIRST_AID = "paediatric_first_aid"
    SAFEGUARDING = "safeguarding"
    DEESCALATION = "deescalation"
    MEDICATION = "medication"
    MANUAL_HANDLING = "manual_handling"
    OTHER = "other"


TRAINING_LABELS: dict[str, str] = {
    TrainingKind.FIRST_AID: "First aid",
    TrainingKind.PAEDIATRIC_FIRST_AID: "Paediatric first aid",
    TrainingKind.SAFEGUARDING: "Safeguarding",
    TrainingKind.DEESCALATION: "De-escalation / positive handling",
    TrainingKind.MEDICATION: "Administering medication",
    TrainingKind.MANUAL_HANDLING: "Manual handling",
    TrainingKind.OTHER: "Other",
}


class DbsLevel(StrEnum):
    ENHANCED_BARRED = "enhanced_barred"
    ENHANCED = "enhanced"
    STANDARD = "standard"
    BASIC = "basic"


DBS_LEVEL_LABELS: dict[str, str] = {
    DbsLevel.ENHANCED_BARRED: "Enhanced with barred list",
    DbsLevel.ENHANCED: "Enhanced",
    DbsLevel.STANDARD: "Standard",
    DbsLevel.BASIC: "Basic",
}


class ContractKind(StrEnum):
    PERMANENT = "permanent"
    FIXED_TERM = "fixed_term"


CONTRACT_KIND_LABELS: dict[str, str] = {
    ContractKind.FIXED_TERM: "Fixed term",
    ContractKind.PERMANENT: "Permanent",
}


class FundingSource(StrEnum):
    TOP_UP = "top_up"
    HIGH_NEEDS = "high_needs"
    GRANT = "grant"
    SCHOOL = "school"


FUNDING_SOURCE_LABELS: dict[str, str] = {
    FundingSource.TOP_UP: "EHCP top-up (element 3)",
    FundingSource.HIGH_NEEDS: "High needs",
    FundingSource.GRANT: "External grant",
    FundingSource.SCHOOL: "School budget",
}


class FundingStatus(StrEnum):
    CONFIRMED = "confirmed"
    PENDING = "pending"
    ENDED = "ended"


FUNDING_STATUS_LABELS: dict[str, str] = {
    FundingStatus.CONFIRMED: "Confirmed",
    FundingStatus.PENDING: "Pending",
    FundingStatus.ENDED: "Ended",
}


class AssignmentRole(StrEnum):
    ONE_TO_ONE = "one_to_one"
    SHARED = "shared"
    COVER = "cover"


ASSIGNMENT_ROLE_LABELS: dict[str, str] = {
    AssignmentRole.ONE_TO_ONE: "1:1",
    AssignmentRole.SHARED: "Shared",
    AssignmentRole.COVER: "Cover",
}


class ReviewKind(StrEnum):
    ANNUAL = "annual"
    INTERIM = "interim"
    PHASE_TRANSFER = "phase_transfer"
    EMERGENCY = "emergency"


REVIEW_KIND_LABELS: dict[str, str] = {
    ReviewKind.ANNUAL: "Annual",
    ReviewKind.INTERIM: "Interim",
    ReviewKind.PHASE_TRANSFER: "Phase transfer",
    ReviewKind.EMERGENCY: "Emergency",
}


class ReviewOutcome(StrEnum):
    MAINTAIN = "maintain"
    AMEND = "amend"
    CEASE = "cease"


REVIEW_OUTCOME_LABELS: dict[str, str] = {
    ReviewOutcome.MAINTAIN: "Maintain the plan",
    ReviewOutcome.AMEND: "Amend the plan",
    ReviewOutcome.CEASE: "Cease the plan",
}


class SupportNextStep(StrEnum):
    """What a SEN-support plan review decided (the EHC plan's is ``ReviewOutcome``)."""

    CONTINUE = "continue"
    ASK_EHCNA = "ask_ehcna"
    END_SUPPORT = "end_support"


SUPPORT_NEXT_STEP_LABELS: dict[str, str] = {
    SupportNextStep.CONTINUE: "Continue SEN support with the revised plan",
    SupportNextStep.ASK_EHCNA: "Ask the local authority for an EHC needs assessment",
    SupportNextStep.END_SUPPORT: "No longer needs SEN support",
}


class AdviceSource(StrEnum):
    """Who gave advice for a review (an LA's review form lists each)."""

    EP = "ep"
    SALT = "salt"
    TOD = "tod"
    VI = "vi"
    OT = "ot"
    PHYSIO = "physio"
    HEALTH = "health"
    CAMHS = "camhs"
    SOCIAL_CARE = "social_care"
    SCHOOL = "school"
    OTHER = "other"


ADVICE_SOURCE_LABELS: dict[str, str] = {
    AdviceSource.EP: "Educational psychologist",
    AdviceSource.SALT: "Speech and language therapist",
    AdviceSource.TOD: "Teacher of the deaf",
    AdviceSource.VI: "Teacher for visual impairment",
    AdviceSource.OT: "Occupational therapist",
    AdviceSource.PHYSIO: "Physiotherapist",
    AdviceSource.HEALTH: "Health (paediatrician, school nurse)",
    AdviceSource.CAMHS: "Child and adolescent mental health service",
    AdviceSource.SOCIAL_CARE: "Social care",
    AdviceSource.SCHOOL: "School staff",
    AdviceSource.OTHER: "Other",
}


class PlanSection(StrEnum):
    """The sections of an EHC plan, for amendments proposed at a review."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"
    F = "F"
    G = "G"
    H1 = "H1"
    H2 = "H2"
    I = "I"  # noqa: E741 - the plan's own letter
    J = "J"
    K = "K"


PLAN_SECTION_LABELS: dict[str, str] = {
    PlanSection.A: "A: views, interests and aspirations",
    PlanSection.B: "B: special educational needs",
    PlanSection.C: "C: health needs",
    PlanSection.D: "D: social care needs",
    PlanSection.E: "E: outcomes",
    PlanSection.F: "F: special educational provision",
    PlanSection.G: "G: health provision",
    PlanSection.H1: "H1: social care provision (children's services)",
    PlanSection.H2: "H2: other social care provision",
    PlanSection.I: "I: placement (school or setting)",
    PlanSection.J: "J: personal budget",
    PlanSection.K: "K: advice and information",
}


class Urgency(StrEnum):
    """How soon an alert must be acted on (``alerts.urgency``), most urgent first."""

    OVERDUE = "overdue"
    THIS_WEEK = "this_week"
    THIS_HALF_TERM = "this_half_term"
    LATER = "later"


URGENCY_LABELS: dict[str, str] = {
    Urgency.OVERDUE: "Overdue",
    Urgency.THIS_WEEK: "This week",
    Urgency.THIS_HALF_TERM: "This half-term",
    Urgency.LATER: "Later",
}


#: every vocabulary and the words people read for it (tests check each is complete)
class PackAudience(StrEnum):
    """Who a review pack is for: everyone invited (the default), or the SENCO alone."""

    INVITEES = "invitees"
    INTERNAL = "internal"


PACK_AUDIENCE_LABELS: dict[str, str] = {
    PackAudience.INVITEES: "For all invitees (parents, LA, professionals)",
    PackAudience.INTERNAL: "SENCO's internal copy (staff contracts, funding, deadlines)",
}


LABELS: dict[type[StrEnum], dict[str, str]] = {
    SenCode: SEN_CODE_LABELS,
    Area: AREA_LABELS,
    OutcomeStatus: OUTCOME_STATUS_LABELS,
    OutcomeSource: OUTCOME_SOURCE_LABELS,
    RecordKind: RECORD_KIND_LABELS,
    StaffRole: STAFF_ROLE_LABELS,
    TrainingKind: TRAINING_LABELS,
    DbsLevel: DBS_LEVEL_LABELS,
    ContractKind: CONTRACT_KIND_LABELS,
    FundingSource: FUNDING_SOURCE_LABELS,
    FundingStatus: FUNDING_STATUS_LABELS,
    AssignmentRole: ASSIGNMENT_ROLE_LABELS,
    ReviewKind: REVIEW_KIND_LABELS,
    ReviewOutcome: REVIEW_OUTCOME_LABELS,
    SupportNextStep: SUPPORT_NEXT_STEP_LABELS,
    AdviceSource: ADVICE_SOURCE_LABELS,
    PlanSection: PLAN_SECTION_LABELS,
    Urgency: URGENCY_LABELS,
    PackAudience: PACK_AUDIENCE_LABELS,
}


WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri")


def session_bit(weekday: int, afternoon: bool) -> int:
    """Bit for one half-day session in an assignment's ``sessions`` mask (Mon AM = bit 0)."""
    if not 0 <= weekday <= 4:
        raise ValueError("weekday must be 0 (Mon) to 4 (Fri)")
    return 1 << (weekday * 2 + (1 if afternoon else 0))


ALL_SESSIONS = (1 << 10) - 1


def format_sessions(mask: int) -> str:
    """``0b11`` -> "Mon AM+PM"; all ten -> "Mon–Fri all day"."""
    if mask == ALL_SESSIONS:
        return "Mon–Fri all day"
    parts = []
    for day, name in enumerate(WEEKDAYS):
        am = bool(mask & session_bit(day, False))
        pm = bool(mask & session_bit(day, True))
        if am and pm:
            parts.append(f"{name} AM+PM")
        elif am:
            parts.append(f"{name} AM")
        elif pm:
            parts.append(f"{name} PM")
    return ", ".join(parts)
