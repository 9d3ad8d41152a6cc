"""The two sign-ins that come with the demo organisation.

Their password is published in the README and printed by `seed_demo`, which is why
the command refuses to run in production mode unless told to.
"""

from dataclasses import dataclass

from profiles.demo import professions as p
from profiles.demo.generator import FixedPerson

DEMO_PASSWORD = "crossgov-demo"  # noqa: S105 - a published demo password, on purpose
DEMO_USERNAME = "demo"
DEMO_ADMIN_USERNAME = "demo-admin"


@dataclass(frozen=True)
class DemoLogin:
    person: FixedPerson
    is_staff: bool
    is_superuser: bool


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
    ),
)
