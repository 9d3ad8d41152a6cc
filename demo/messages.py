"""What people say in the demo spaces' threads: topics, titles, opening posts,
replies, mentions, edits and reactions.

Plain values, like the rest of the demo data; `conversations` draws threads from
them and `messages_loader` writes them. Slots in braces are filled when a message
is drawn: `{topic}` (one of its space's topics), `{Topic}` (the same, capitalised
for the start of a sentence), `{dept}` (the writer's department's acronym) and
`{name}` (a colleague's username, mentioned). The slots are few on purpose: the
same text comes back again and again across a million messages, so each distinct
body is rendered to HTML once.
"""

from __future__ import annotations

# Topics by space slug (`demo.spaces`); a team's own space talks about
# TEAM_TOPICS.
TOPICS: dict[str, tuple[str, ...]] = {
    "procurement-reform": (
        "the new tender notices",
        "below-threshold contracts",
        "the competitive flexible procedure",
        "publishing contract KPIs",
        "the central debarment list",
        "frameworks under the new Act",
        "transparency notices",
        "supplier onboarding",
    ),
    "counter-fraud-community": (
        "data matching with other departments",
        "grant fraud risk assessments",
        "the fraud measurement exercise",
        "recovering overpayments",
        "insider threat cases",
        "the counter fraud functional standard",
        "identity verification checks",
    ),
    "spending-review-2027-sensitive": (
        "the capital bids",
        "the efficiency scenarios",
        "the baseline adjustments",
        "the settlement letters",
        "the readout from the bilateral",
        "the demand-led budgets",
    ),
    "service-standard-assessors": (
        "beta assessments",
        "writing the assessment report",
        "point 5 on accessibility",
        "assessing services that are not digital",
        "the panel for the next alpha",
        "reassessments after a red",
    ),
    "ai-in-government-working-group": (
        "the evaluation of the coding assistant pilot",
        "the algorithmic transparency record",
        "red-teaming large language models",
        "data protection impact assessments for AI",
        "the generative AI framework",
        "procuring AI tools",
    ),
    "crossgov-rollout-board": (
        "the wave 2 departments",
        "the migration readiness checklist",
        "the risk register",
        "the single sign-on dependency",
        "training for space owners",
    ),
    "data-science-community": (
        "reproducible analytical pipelines",
        "code review for notebooks",
        "the monthly show and tell",
        "synthetic data",
        "small area estimation",
        "moving from SAS to Python",
        "model cards",
        "record linkage",
    ),
    "net-zero-estates": (
        "heat pumps in listed buildings",
        "solar on depots",
        "smart metering",
        "the carbon reporting return",
        "fleet electrification",
        "the decarbonisation plan for the estate",
    ),
    "user-centred-design-community": (
        "research ops",
        "recruiting participants with access needs",
        "the design system's new components",
        "content design for complex eligibility",
        "accessibility audits",
        "usability testing remotely",
        "jobs going in UCD",
    ),
    "welsh-language-network": (
        "the Welsh Language Standards",
        "translation turnaround times",
        "practice sessions for learners",
        "bilingual design patterns",
        "Welsh in automated letters",
    ),
    "freedom-of-information-practitioners": (
        "section 36 and the qualified person",
        "the public interest test",
        "requests for internal emails",
        "vexatious requests",
        "the ICO's latest decision notices",
        "EIR and commercial confidentiality",
        "the 20 working day limit",
    ),
    "flood-resilience": (
        "the winter readiness exercise",
        "surface water forecasts",
        "the lessons from last winter's incidents",
        "multi-agency flood plans",
        "pumping capacity",
    ),
    "legal-aid-reform": (
        "the means test review",
        "fee schemes for civil work",
        "provider capacity",
        "the consultation response",
        "the digital application service",
    ),
    "border-2030-programme": (
        "the programme board papers",
        "electronic travel authorisations",
        "the dependency on the new case working system",
        "the benefits realisation plan",
        "the port operators' feedback",
    ),
    "apprenticeships-champions": (
        "the apprenticeship levy",
        "degree apprenticeships",
        "finding mentors for apprentices",
        "end-point assessments",
        "the 2% target",
        "apprenticeship stories for the newsletter",
    ),
    "women-in-defence-network": (
        "the mentoring scheme",
        "returning from parental leave",
        "the next network event",
        "flexible working in operational roles",
        "the menopause policy",
    ),
    "local-growth-partnerships": (
        "the devolution deals",
        "local growth fund monitoring",
        "combined authority capacity",
        "the levelling up reports",
        "single settlements",
    ),
    "cyber-incident-response": (
        "the ransomware playbook",
        "the tabletop exercise",
        "the incident at the shared services centre",
        "the vulnerability disclosure process",
        "logging requirements for suppliers",
    ),
    "census-2021-lessons": (
        "the online first approach",
        "field force planning",
        "the digital assistance service",
        "response rates by area",
        "the evaluation report",
    ),
}

TEAM_TOPICS = (
    "the business plan for next year",
    "the team away day",
    "onboarding new starters",
    "the quarterly return",
    "the risk register",
    "cover over the holidays",
    "the budget for next year",
    "our objectives",
    "the stakeholder map",
    "the handover notes",
)

THREAD_TITLES = (
    "{Topic}: what has worked for you?",
    "Question on {topic}",
    "Draft guidance on {topic}: comments by Friday please",
    "Lessons learned from {topic}",
    "{Topic}: an update from {dept}",
    "Has anyone dealt with {topic} before?",
    "Proposal: one approach to {topic} across departments",
    "Reading list: {topic}",
    "Show and tell: {topic}",
    "Risks around {topic}",
    "{Topic}: next steps after the workshop",
    "Looking for someone who knows about {topic}",
    "Notes from today's call on {topic}",
    "Template for {topic}",
)

OPENING_POSTS = (
    "We're starting to look at {topic} in {dept} and I'd like to learn from anyone "
    "who has been through it.\n\nIn particular:\n\n"
    "- how long did it take to get approval?\n"
    "- who did you involve early?\n"
    "- what would you do differently?",
    "I've put together a first draft on {topic}. It's rough, so please be "
    "candid.\n\nThe main question is whether we go for **one shared approach** or "
    "leave each department to decide. Views by the end of next week would be great.",
    "Sharing our notes from the session on {topic}. Three things stood out:\n\n"
    "1. start with the people who will use it\n"
    "2. agree who owns the decision before the work starts\n"
    "3. write down what you stopped doing, not only what you started\n\n"
    "Happy to talk anyone through it.",
    "Quick question on {topic}: does anyone have a template they'd be willing to "
    "share? We're starting from a blank page in {dept}.",
    "Our director has asked for a one-page summary on {topic} by the end of the "
    "month. Has anyone written something similar I could borrow from?",
    "We've just finished a discovery on {topic}. The short version: the problem "
    "is less about the process and more about who holds the information.\n\n"
    "The full write-up is on the team site; questions welcome here.",
    "Flagging a change on {topic} that affects most of us: the guidance is being "
    "updated and the new version applies from next quarter. Summary below, and "
    "the details are on [GOV.UK](https://www.gov.uk/government/publications).",
    "I'm new to {topic} and would really value a 30 minute chat with anyone who "
    "has done it before. Coffee on me next time you're in the office.",
)

REPLIES = (
    "Thanks, this is really helpful.",
    "We had the same problem in {dept}. What worked for us was getting the "
    "finance business partner involved from week one.",
    "+1, I'd be interested in the answer too.",
    "I've shared this with my team.",
    "Could we pick this up at the next community call?",
    "Agree with the points above. One thing to add: check the timeline against "
    "the reporting cycle before you commit to it.",
    "The Service Manual covers some of this: "
    "[Service Manual](https://www.gov.uk/service-manual).",
    "Is there a version of this we can share outside government?",
    "We tried that in {dept} last year and it took longer than planned, mostly "
    "waiting for sign-off.",
    "Happy to review the draft if it helps.",
    "Good question. I don't think there's a single answer, but the guidance on "
    "{topic} is a good place to start.",
    "Thanks all, I'll write this up and post the summary here.",
    "Do we know who owns {topic} at the centre now?",
    "I'll bring this to our next team meeting and report back.",
    "Really useful thread, thank you.",
    "Can someone share the slides from the session?",
    "One risk I'd add: the dependency on the supplier's timetable.",
    "We've written a short guide to {topic} in {dept}. I'll dig it out.",
    "This matches what we heard in user research.",
    "Could you say a bit more about how you measured that?",
    "Agreed. Let's not reinvent this for every department.",
    "I'll take the action to draft the next version.",
    "Is this still the latest position on {topic}?",
    "Thanks for pulling this together.",
    "We're a few months behind you on this, so the notes are gold.",
    "Done: comments added to the draft.",
    "Does this need to go to the board, or can we decide it here?",
    "Sorry I missed the call. Is there a recording?",
    "Worth looking at how {dept} handled {topic}: similar constraints to yours.",
    "For what it's worth, **the deadline is fixed**, so scope is the only lever.",
    "Noted, thank you.",
    "I've updated the tracker.",
    "Let's take this offline and come back with a proposal.",
    "Lots of good points here. My view:\n\n"
    "- keep it simple for the first release\n"
    "- measure before and after\n"
    "- share what we learn",
    "Nice work, everyone.",
)

# Replies that mention a colleague by username ({name}).
MENTIONS = (
    "@{name} might know: they worked on {topic} last year.",
    "@{name}, is this one for your team?",
    "Thanks @{name}, that answers it.",
    "Looping in @{name} who has been asking about {topic}.",
    "@{name} could you share the template you mentioned?",
    "Agree with @{name} on this.",
)

# What an author adds when they edit a message.
EDIT_NOTES = (
    "Edit: added the link.",
    "Edit: corrected the date.",
    "Edit: clarified the second point.",
    "Edit: fixed a typo.",
    "Edit: the call has moved to Thursday.",
)

# The reactions people give, most common first (`spaces.thread_services.EMOJI`).
REACTIONS = ("👍", "🙏", "✅", "❤️", "👀", "🎉", "😄", "🤔")
REACTION_WEIGHTS = (40, 15, 12, 10, 8, 6, 5, 4)
