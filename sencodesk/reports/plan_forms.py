"""Which review form a pupil gets, and who a pack is for.

A pupil with an EHC plan (SEN code E) gets the statutory annual review of the plan; a pupil
on SEN support (K) gets a review of their SEN-support plan, the graduated approach's
assess, plan, do, review (APDR) cycle, termly by default; a pupil with no SEN recorded (N)
has no plan to review, and is refused in one line.

A form is data, not code: its title, whether it is statutory and follows the LA's deadline
chain, how often it recurs, and the sections and choices of its meeting pages. The 2026
Schools White Paper proposes a statutory Individual Support Plan, reviewed with parents, for
every child with SEND: that becomes one more ``PlanForm`` (statutory, its own sections and
cycle) chosen here, without a rewrite of the pack.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import KnownError
from ..vocab import PackAudience, ReviewKind, SenCode


class NoPlanToReview(KnownError):
    """A pupil with no SEN recorded (code N) has no plan to review."""

    def __init__(self, sen_code: str | None) -> None:
        why = (
            "their SEN code is N (no special educational needs)"
            if sen_code == SenCode.NONE
            else "no SEN code is recorded for them"
        )
        super().__init__(
            f"No review paper for this pupil: {why}, so there is no EHC plan or SEN-support "
            "plan to review. Set the SEN code to K (SEN support) or E (EHC plan) first."
        )


@dataclass(frozen=True)
class PlanForm:
    key: str
    title: str
    subtitle: str  # what kind of paper it is, before the audience
    statutory: bool  # follows the LA's statutory deadline chain
    cycle_months: int  # the usual time to the next review
    plan_words: str  # "the EHC plan" / "the SEN-support plan", in sentences
    # The meeting pages: (heading, prompt) for each box to write in at the meeting.
    sections: tuple[tuple[str, str], ...]
    decision_heading: str
    decisions: tuple[str, ...]


_VIEWS = (
    (
        "The pupil's views",
        "What is going well? What is hard? What would you like to change? What do you want "
        "to do in the future?",
    ),
    (
        "Parents' or carers' views",
        "What is working? What is not working? What would you like the plan to do?",
    ),
)

EHCP_TITLES: dict[str, str] = {
    ReviewKind.ANNUAL: "Annual review of the EHC plan",
    ReviewKind.INTERIM: "Interim review of the EHC plan",
    ReviewKind.PHASE_TRANSFER: "Annual review of the EHC plan (phase transfer)",
    ReviewKind.EMERGENCY: "Emergency review of the EHC plan",
}


def _ehcp(kind: str) -> PlanForm:
    return PlanForm(
        key="ehcp_review",
        title=EHCP_TITLES.get(kind, EHCP_TITLES[ReviewKind.ANNUAL]),
        subtitle="Review pack",
        statutory=True,
        cycle_months=12,
        plan_words="the EHC plan",
        sections=_VIEWS,
        decision_heading="Recommendation to the local authority",
        decisions=("Maintain the plan as it is", "Amend the plan", "Cease the plan"),
    )


SEN_SUPPORT = PlanForm(
    key="sen_support_review",
    title="Review of the SEN-support plan",
    subtitle="Assess, plan, do, review",
    statutory=False,
    cycle_months=3,  # termly
    plan_words="the SEN-support plan",
    sections=(
        *_VIEWS,
        (
            "Assess: what we know now",
            "Progress since the last review, from the evidence in this pack, the class "
            "teacher and any advice received.",
        ),
        (
            "Plan: what we will aim for next",
            "The outcomes for the next term and the support, adjustments and interventions "
            "that will help.",
        ),
        (
            "Do: who does what, and when",
            "Who will give the support, how often, and how the class teacher will use it in "
            "lessons.",
        ),
    ),
    decision_heading="Review: what happens next",
    decisions=(
        "Continue SEN support with the revised plan",
        "Ask the local authority for an EHC needs assessment",
        "No longer needs SEN support",
    ),
)


def form_for(sen_code: str | None, kind: str | None = None) -> PlanForm:
    """The form for a pupil of this SEN code (and, for an EHC plan, this kind of review)."""
    if sen_code == SenCode.EHCP:
        return _ehcp(kind or ReviewKind.ANNUAL)
    if sen_code == SenCode.SEN_SUPPORT:
        return SEN_SUPPORT
    raise NoPlanToReview(sen_code)


def audience_of(value: str | None) -> PackAudience:
    """An audience from its stored or typed value; the invitee pack when none is given.
    ValueError (which argparse reports in one line) for any other word."""
    if not value:
        return PackAudience.INVITEES
    try:
        return PackAudience(value)
    except ValueError:
        words = " or ".join(a.value for a in PackAudience)
        raise ValueError(f"Audience: '{value}' is not one of {words}.") from None
