"""What people write about themselves: pronouns, languages, working patterns,
"ask me about" and a short biography in markdown.

The pieces are generic on purpose, so that any of them reads true for anyone in any
body; the generator adds the person's own team, department and job title.
"""

from profiles.models import Weekday

PRONOUNS = ("she/her", "he/him", "they/them", "she/they", "he/they")
PRONOUN_WEIGHTS = (45, 45, 6, 2, 2)

# Besides English, which everyone is taken to speak and half say so.
LANGUAGES = (
    "Welsh",
    "French",
    "Spanish",
    "German",
    "Polish",
    "Urdu",
    "Punjabi",
    "Hindi",
    "Bengali",
    "Gujarati",
    "Arabic",
    "Mandarin",
    "Cantonese",
    "Portuguese",
    "Italian",
    "Romanian",
    "Yoruba",
    "Igbo",
    "Somali",
    "Tamil",
    "Turkish",
    "Scottish Gaelic",
    "Irish",
    "British Sign Language",
    "Japanese",
    "Russian",
)
# Where more people speak Welsh: the demo's sites in Wales.
WELSH_CITIES = ("Cardiff", "Newport", "Swansea")

_WEEK = (Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY)
FULL_TIME = (*_WEEK, Weekday.FRIDAY)

# Working patterns other than a plain Monday to Friday, with the note people add.
PART_TIME_PATTERNS: tuple[tuple[tuple[str, ...], str], ...] = (
    (_WEEK, "Part-time: I don't work Fridays"),
    (FULL_TIME[1:], "Part-time: I don't work Mondays"),
    (
        (Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY),
        "Job share, Monday to Wednesday",
    ),
    (
        (Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY),
        "Job share, Wednesday to Friday",
    ),
    ((Weekday.MONDAY, Weekday.TUESDAY, Weekday.THURSDAY, Weekday.FRIDAY), "Part-time"),
    (FULL_TIME, "Compressed hours: nine-day fortnight, every other Friday off"),
    (FULL_TIME, "Term-time working"),
    (FULL_TIME, "Flexible hours: usually 7am to 3pm"),
)

# Things people are happy to be asked about, beyond their skills.
ASK_ME_ABOUT = (
    "joining the Civil Service Fast Stream",
    "moving from the private sector",
    "working in a private office",
    "answering parliamentary questions",
    "writing a good ministerial submission",
    "getting a business case through approval",
    "secondments to other departments",
    "line management for the first time",
    "job sharing",
    "working part-time in a senior role",
    "the staff disability network",
    "the LGBT+ network",
    "the race equality network",
    "the women's network",
    "the carers' network",
    "mental health first aid",
    "mentoring",
    "apprenticeships",
    "the Civil Service Jobs site",
    "preparing for an interview using Success Profiles",
    "volunteering days",
    "the office book club",
    "the departmental choir",
    "running a good retrospective",
    "plain English",
    "using the Green Book",
    "getting started with Python",
    "Excel shortcuts",
    "Power BI dashboards",
    "the Spending Review",
    "Freedom of Information requests",
    "public inquiries",
    "working with devolved governments",
    "international secondments",
    "the Welsh language scheme",
    "hybrid working",
    "moving to a regional hub",
    "how our data is collected",
    "what the team does and how to work with us",
    "the history of the department",
)

# A sentence about a working life before this job: `{other}` is another body.
BEFORE = (
    "Before this I worked in local government for several years.",
    "I joined through the Civil Service Fast Stream.",
    "Before joining the civil service I worked in the NHS.",
    "I came to the civil service from a career in retail banking.",
    "I used to teach in a secondary school.",
    "Before this I was at {other}.",
    "I spent a few years at {other} before moving here.",
    "I joined after ten years in the charity sector.",
    "I started as an apprentice and have worked my way up.",
    "Before this I was a management consultant.",
    "I served in the armed forces before joining the civil service.",
    "I joined straight from university, where I studied history.",
    "I came from a technology start-up.",
)

# What someone is working on now, as markdown list items.
WORKING_ON = (
    "preparing for the next Spending Review",
    "improving how we use data in decisions",
    "a new service for the public, now in private beta",
    "our team's plan for the next year",
    "responding to a select committee report",
    "onboarding new starters",
    "a cross-government working group",
    "making our guidance easier to read",
    "a consultation that closes next month",
    "replacing an old case management system",
    "our evaluation of last year's pilot",
    "the department's net zero commitments",
    "a bill going through Parliament",
    "a review of how we handle correspondence",
    "building our team's capability",
)

# How people say where else to reach them.
OTHER_CONTACT = (
    "Microsoft Teams: search for my name",
    "Slack: {username} in the cross-government workspace",
    "Best reached on Teams chat",
    "Find me in the #{team} channel",
)

# What someone who also works in a second team is there.
SECOND_TEAM_ROLES = (
    "Secondee",
    "Project lead",
    "Subject matter expert",
    "Working group member",
    "Business partner",
    "Analyst",
)
