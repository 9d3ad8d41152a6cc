"""The demo organisation's spaces: communities, programmes and boards across
government, of all three kinds.

Plain values, like the rest of the demo data; `spaces_loader` writes them through
the spaces services. Each space says where its people come from and how many have
a membership of their own; a grant lets a whole department or team in besides.
The demo sign-in has a part in several: an owner with requests waiting, a
moderator, a member, a guest, someone waiting for an answer to a request, and
someone with an invitation to answer.

The first three are one of each kind, so even `--spaces 3` shows them all.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import count, cycle, islice

from django.utils.text import slugify

from demo.organisation import DEPARTMENTS

OPEN, RESTRICTED, PRIVATE = "open", "restricted", "private"
OFFICIAL, OFFICIAL_SENSITIVE = "OFFICIAL", "OFFICIAL-SENSITIVE"
MEMBER, GUEST = "member", "guest"

# The demo sign-in's part in a space: one of the roles, or waiting for an answer.
OWNER, MODERATOR = "owner", "moderator"
REQUESTED, INVITED = "requested", "invited"

SLUG_MAX = 80


@dataclass(frozen=True)
class GrantSpec:
    """A role given to a whole department, or to one of its teams."""

    department: str  # acronym
    role: str  # MEMBER or GUEST
    team: str = ""  # a team's slug in `department`; empty for the whole department


@dataclass(frozen=True)
class SpaceSpec:
    name: str
    department: str  # the owning department's acronym
    visibility: str
    description: str  # markdown
    # Where members come from; the owner is from `department`. Someone from
    # anywhere makes up the number when these have too few people.
    draw_from: tuple[str, ...]
    # People with a membership of their own, the owner included.
    size: int
    grants: tuple[GrantSpec, ...] = ()
    marking: str = OFFICIAL
    demo: str = ""  # the demo sign-in's part, if any
    # Others waiting for an answer: requests to a restricted space, invitations
    # to a private one.
    waiting: int = 0
    archived: bool = False

    @property
    def slug(self) -> str:
        return slugify(self.name)[:SLUG_MAX].strip("-")


# What people write when they ask to join a restricted space.
JOIN_MESSAGES = (
    "I've just started working on this and would like to follow the discussion.",
    "My team is picking this up next quarter; I'd like to learn from yours.",
    "We have a similar problem in my department and could share what we've tried.",
    "My director asked me to keep across this.",
    "",
)


SPACES = (
    SpaceSpec(
        "Procurement reform",
        "CO",
        OPEN,
        "How the **Procurement Act 2023** is changing the way government buys.\n\n"
        "Share what has worked in your department's tenders, ask about the new "
        "notices and thresholds, and find colleagues who have been through it.",
        draw_from=("CO", "HMT", "MOD", "DBT", "HMRC", "DWP"),
        size=14,
        grants=(
            GrantSpec("CO", MEMBER, team="procurement-policy"),
            GrantSpec("HMT", GUEST, team="procurement"),
        ),
        demo=MEMBER,
    ),
    SpaceSpec(
        "Counter fraud community",
        "CO",
        RESTRICTED,
        "For counter fraud professionals across government: cases that teach "
        "something, data matching that works, and the Government Counter Fraud "
        "Profession's standards.\n\nAsk to join if you work on fraud or error.",
        draw_from=("CO", "DWP", "HMRC", "HO", "CH"),
        size=12,
        grants=(
            GrantSpec("CO", MEMBER, team="public-sector-fraud-authority"),
            GrantSpec("DWP", MEMBER, team="fraud-investigation-service"),
            GrantSpec("HMRC", GUEST, team="fraud-investigation-service"),
        ),
        waiting=2,
    ),
    SpaceSpec(
        "Spending review 2027 (sensitive)",
        "HMT",
        PRIVATE,
        "Working space for the Spending Review 2027 settlement teams. Bids, "
        "scenarios and readouts stay here until the settlement is announced.",
        draw_from=("HMT", "CO"),
        size=8,
        grants=(GrantSpec("HMT", MEMBER, team="spending-review"),),
        marking=OFFICIAL_SENSITIVE,
        waiting=1,
    ),
    SpaceSpec(
        "Service Standard assessors",
        "CO",
        RESTRICTED,
        "Where assessors of the **Service Standard** compare notes: panels "
        "looking for assessors, how to write a useful report, and changes to the "
        "standard.\n\nAsk to join once you have shadowed an assessment.",
        draw_from=("CO", "DSIT", "DWP", "HMRC", "HO", "MOJ"),
        size=10,
        grants=(GrantSpec("DSIT", MEMBER, team="government-digital-service"),),
        demo=OWNER,
        waiting=2,
    ),
    SpaceSpec(
        "AI in government working group",
        "DSIT",
        RESTRICTED,
        "Departments piloting AI tools share their evaluations, risks and "
        "assurance approaches, and agree common guidance before it is published.",
        draw_from=("DSIT", "CO", "HMRC", "DWP", "ONS", "HO"),
        size=10,
        demo=REQUESTED,
        waiting=1,
    ),
    SpaceSpec(
        "Crossgov rollout board",
        "CO",
        PRIVATE,
        "Decisions on the Crossgov rollout: which departments move when, their "
        "readiness, and the risks we are carrying.",
        draw_from=("CO", "DSIT", "HMRC", "DWP", "MOJ"),
        size=7,
        demo=INVITED,
    ),
    SpaceSpec(
        "Data science community",
        "ONS",
        OPEN,
        "Data scientists across government: methods, code reviews, reproducible "
        "analytical pipelines and the monthly show and tell.\n\n"
        "Everyone in the Data Science Campus and the Cabinet Office's Data "
        "Science Hub is in already.",
        draw_from=("ONS", "CO", "DWP", "HMRC", "HO", "DFT", "DSIT"),
        size=16,
        grants=(
            GrantSpec("ONS", MEMBER, team="data-science-campus"),
            GrantSpec("CO", MEMBER, team="data-science-hub"),
            GrantSpec("DWP", GUEST, team="data-and-analytics"),
        ),
        demo=MODERATOR,
    ),
    SpaceSpec(
        "Net zero estates",
        "Defra",
        OPEN,
        "Cutting the carbon of the government estate: heat pumps, solar on "
        "offices and depots, metering, and what it all costs.",
        draw_from=("Defra", "MOD", "CO", "HMRC", "DFT", "UKMO"),
        size=10,
        grants=(
            GrantSpec("Defra", MEMBER, team="estates-and-security"),
            GrantSpec("MOD", MEMBER, team="estates-planning"),
        ),
    ),
    SpaceSpec(
        "User-centred design community",
        "DWP",
        OPEN,
        "User researchers, designers and content designers from every "
        "department: research ops, patterns that tested well, and jobs going.",
        draw_from=("DWP", "HMRC", "CO", "DSIT", "DFE", "HO", "DVLA", "HMLR"),
        size=14,
        grants=(GrantSpec("CO", MEMBER, team="user-centred-design"),),
    ),
    SpaceSpec(
        "Welsh language network",
        "DVLA",
        OPEN,
        "Rhwydwaith y Gymraeg: Welsh speakers and learners across government. "
        "Practice sessions, translation questions and the Welsh Language "
        "Standards.",
        draw_from=("DVLA", "HMLR", "CH", "ONS", "DWP"),
        size=9,
        demo=MEMBER,
    ),
    SpaceSpec(
        "Freedom of information practitioners",
        "MOJ",
        OPEN,
        "Handling FOI and EIR requests: exemptions, the public interest test, "
        "time limits and what the Information Commissioner has said lately.",
        draw_from=("MOJ", "HO", "CO", "DHSC", "DFE", "Defra", "HMT"),
        size=10,
        grants=(
            GrantSpec("CO", MEMBER, team="information-management"),
            GrantSpec("HO", MEMBER, team="information-management"),
        ),
        demo=GUEST,
    ),
    SpaceSpec(
        "Flood resilience",
        "Defra",
        RESTRICTED,
        "Preparing for and responding to flooding: forecasts, exercise plans and "
        "the lessons from each winter's incidents.",
        draw_from=("Defra", "UKMO", "MHCLG", "DFT", "HO"),
        size=10,
        grants=(
            GrantSpec("UKMO", MEMBER),
            GrantSpec("HO", GUEST, team="fire-and-resilience"),
        ),
    ),
    SpaceSpec(
        "Legal aid reform",
        "MOJ",
        RESTRICTED,
        "Policy, analysis and operations working together on the legal aid "
        "reform programme.",
        draw_from=("MOJ", "HMCTS", "HMT"),
        size=8,
        grants=(GrantSpec("MOJ", MEMBER, team="legal-advisory"),),
        waiting=1,
    ),
    SpaceSpec(
        "Border 2030 programme",
        "HO",
        PRIVATE,
        "The Border 2030 programme team and its partners: plans, dependencies "
        "and the programme board's papers.",
        draw_from=("HO", "HMRC", "CO", "DFT"),
        size=9,
        grants=(GrantSpec("HO", GUEST, team="border-force"),),
        marking=OFFICIAL_SENSITIVE,
        waiting=1,
    ),
    SpaceSpec(
        "Apprenticeships champions",
        "DFE",
        OPEN,
        "Champions of apprenticeships in the civil service: routes, the levy, "
        "and stories from apprentices and their managers.",
        draw_from=("DFE", "DWP", "DBT", "MOD", "HMRC", "DVLA"),
        size=10,
        grants=(GrantSpec("DFE", MEMBER),),
    ),
    SpaceSpec(
        "Women in defence network",
        "MOD",
        OPEN,
        "A network for women working in defence, and their allies: mentoring, "
        "events and a place to ask.",
        draw_from=("MOD", "CO", "HO"),
        size=10,
        grants=(GrantSpec("MOD", MEMBER),),
    ),
    SpaceSpec(
        "Local growth partnerships",
        "MHCLG",
        RESTRICTED,
        "Working with councils and combined authorities on local growth funds "
        "and devolution deals.",
        draw_from=("MHCLG", "DBT", "DFT", "HMT", "DFE"),
        size=8,
        grants=(GrantSpec("MHCLG", MEMBER, team="local-growth"),),
    ),
    SpaceSpec(
        "Cyber incident response",
        "CO",
        PRIVATE,
        "Coordination between departmental security teams during a cyber "
        "incident, and the playbooks we exercise between incidents.",
        draw_from=("CO", "HMRC", "DWP", "HO", "MOD"),
        size=8,
        grants=(
            GrantSpec("CO", MEMBER, team="cyber-security-policy"),
            GrantSpec("HMRC", MEMBER, team="cyber-security"),
        ),
        marking=OFFICIAL_SENSITIVE,
    ),
    SpaceSpec(
        "Census 2021 lessons",
        "ONS",
        OPEN,
        "Lessons from running the 2021 census online first. Archived now that "
        "the evaluation is published; kept for reference.",
        draw_from=("ONS", "CO"),
        size=6,
        archived=True,
    ),
)

# A generated space's people: a team's own space is small, and its team is let
# in whole by a grant.
TEAM_SPACE_SIZE = 4
_KINDS = (OPEN, RESTRICTED, PRIVATE)


def space_specs(how_many: int) -> list[SpaceSpec]:
    """`how_many` spaces: the hand-written ones first, then, for larger demos and
    benchmarks, a space for each team in turn, and round again."""
    return list(islice(_all_specs(), how_many))


def _all_specs() -> Iterator[SpaceSpec]:
    yield from SPACES
    taken = {spec.name.lower() for spec in SPACES}
    slugs = {spec.slug for spec in SPACES}
    kinds = cycle(_KINDS)
    for round_number in count(1):
        suffix = "" if round_number == 1 else f" {round_number}"
        for department in DEPARTMENTS:
            for team, _, _ in department.walk_teams():
                name = f"{team.name} ({department.acronym}){suffix}"
                spec = SpaceSpec(
                    name,
                    department.acronym,
                    next(kinds),
                    f"The {team.name} team's own space in the {department.name}: "
                    "plans, updates and questions.",
                    draw_from=(department.acronym,),
                    size=TEAM_SPACE_SIZE,
                    grants=(GrantSpec(department.acronym, MEMBER, team=team.slug),),
                )
                if name.lower() in taken or spec.slug in slugs:
                    continue
                taken.add(name.lower())
                slugs.add(spec.slug)
                yield spec
