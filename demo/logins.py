"""The two sign-ins that come with the demo organisation.

Their password is published in the README and printed by `seed_demo`, which is why
the command refuses to run in production mode unless told to.
"""

from dataclasses import dataclass
from datetime import timedelta

from demo import professions as p
from demo.details import Details
from demo.generator import FixedPerson
from profiles.models import Visibility, Weekday

DEMO_PASSWORD = "crossgov-demo"  # noqa: S105 - a published demo password, on purpose
DEMO_USERNAME = "demo"
DEMO_ADMIN_USERNAME = "demo-admin"


@dataclass(frozen=True)
class DemoLogin:
    person: FixedPerson
    is_staff: bool
    is_superuser: bool
    # Written by hand, complete and fresh: what a well-kept profile looks like.
    details: Details


_WEEKDAYS = (
    Weekday.MONDAY,
    Weekday.TUESDAY,
    Weekday.WEDNESDAY,
    Weekday.THURSDAY,
    Weekday.FRIDAY,
)


DEMO_LOGINS = (
    # An ordinary member of staff: what a civil servant sees.
    DemoLogin(
        FixedPerson(
            username=DEMO_USERNAME,
            first_name="Demo",
            last_name="User",
            department="CO",
            team="digital",
            grade="G7",
            professions=(p.DDAT, p.PROJECT_DELIVERY),
            job_title="Senior Product Manager",
        ),
        is_staff=False,
        is_superuser=False,
        details=Details(
            pronouns="they/them",
            key_skills=(
                "Product management",
                "Agile delivery",
                "User research",
                "Service design",
                "Stakeholder management",
            ),
            other_skills=(
                "Data analysis",
                "SQL",
                "GOV.UK Design System",
                "Service Standard assessments",
                "Business cases",
                "Coaching and mentoring",
            ),
            learning_interests=("Python", "Machine learning", "Welsh language"),
            languages=("English", "French"),
            working_days=_WEEKDAYS,
            working_pattern_note="In the office on Tuesdays and Thursdays",
            location="70 Whitehall, London",
            phone_work="020 7946 0001",
            phone_mobile="07700 900001",
            other_contact="Microsoft Teams: search for Demo User",
            ask_me_about=(
                "running a Service Standard assessment, writing a business case "
                "for a new service and joining the digital profession"
            ),
            bio=(
                "I'm the Senior Product Manager for the **Crossgov** intranet in "
                "the Digital team at the Cabinet Office.\n\n"
                "Before this I was a user researcher at the Department for Work "
                "and Pensions.\n\n"
                "Working on now:\n\n"
                "- making the people finder the fastest way to find expertise\n"
                "- our next Service Standard assessment"
            ),
            confirmed_ago=timedelta(days=2),
            last_login_ago=timedelta(hours=20),
            second_team="data-science-hub",
            second_team_title="Product lead",
        ),
    ),
    # An IT admin, for the Django admin site.
    DemoLogin(
        FixedPerson(
            username=DEMO_ADMIN_USERNAME,
            first_name="Demo",
            last_name="Administrator",
            department="CO",
            team="digital",
            grade="SEO",
            professions=(p.DDAT,),
            job_title="Intranet Administrator",
        ),
        is_staff=True,
        is_superuser=True,
        details=Details(
            key_skills=(
                "Identity and access management",
                "IT service management",
                "Data protection",
            ),
            other_skills=("SharePoint", "Records management"),
            languages=("English",),
            working_days=_WEEKDAYS,
            location="10 South Colonnade, London",
            location_visibility=Visibility.EVERYONE,
            phone_work="020 7946 0002",
            phone_visibility=Visibility.EVERYONE,
            ask_me_about="access to spaces, leavers and joiners",
            bio="I look after who can see and do what on Crossgov.",
            confirmed_ago=timedelta(days=10),
            last_login_ago=timedelta(days=1),
        ),
    ),
)
