"""People search ranks the right person first: an exact name, then key skills,
other skills, job title and team, and last whatever else a profile says."""

import pytest

from search.selectors import search
from tests.profiles.factories import (
    DepartmentFactory,
    TeamFactory,
    TeamMembershipFactory,
)
from tests.search.corpus import index_everything, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def treasury():
    return DepartmentFactory(name="HM Treasury", acronym="HMT")


@pytest.fixture
def colleagues(treasury):
    """A small team, each of whom mentions procurement in one place only."""
    person(
        "priya.shah",
        "Priya",
        "Shah",
        key=["Procurement law"],
        other=["Contract management"],
        job_title="Senior lawyer",
        department=treasury,
    )
    person(
        "tom.baker",
        "Tom",
        "Baker",
        key=["Negotiation"],
        other=["Procurement"],
        job_title="Commercial adviser",
        department=treasury,
    )
    person(
        "ada.lovelace",
        "Ada",
        "Lovelace",
        key=["Data analysis"],
        job_title="Head of Procurement",
        department=treasury,
    )
    grace = person(
        "grace.hopper",
        "Grace",
        "Hopper",
        key=["Software"],
        job_title="Developer",
        department=treasury,
    )
    TeamMembershipFactory(
        profile=grace,
        team=TeamFactory(name="Procurement Systems", department=treasury),
        job_title="Developer",
    )
    person(
        "sam.jones",
        "Sam",
        "Jones",
        key=["Policy"],
        job_title="Policy adviser",
        bio="Before the Treasury I sat on a few **procurement** panels.",
        department=treasury,
    )
    person(
        "jordan.taylor",
        "Jordan",
        "Taylor",
        key=["Fiscal policy"],
        job_title="Economist",
        department=treasury,
    )
    person(
        "ravi.patel",
        "Ravi",
        "Patel",
        key=["Taylor rule", "Jordan market analysis"],
        other=["Taylor series"],
        job_title="Economist",
        department=treasury,
    )
    person(
        "mia.wong",
        "Mia",
        "Wong",
        key=["Statistics"],
        job_title="Statistician",
        bio="I read Taylor on interest rates.",
        department=treasury,
    )
    index_everything()


def ranked(viewer, query: str) -> list[str]:
    return [
        result.url.strip("/").split("/")[-1]
        for result in search(user=viewer, query=query)
    ]


@pytest.fixture
def viewer(colleagues):
    return person("viewer", "Vera", "Viewer").user


def test_key_skills_then_other_skills_then_role_then_the_rest(viewer):
    order = ranked(viewer, "procurement")
    assert order[:2] == ["priya.shah", "tom.baker"]
    # Job title and team count alike.
    assert set(order[2:4]) == {"ada.lovelace", "grace.hopper"}
    assert order[4:] == ["sam.jones"]


def test_a_key_skill_outranks_a_mention_in_a_bio(viewer):
    order = ranked(viewer, "procurement")
    assert order.index("priya.shah") < order.index("sam.jones")


def test_a_name_outranks_a_skill_and_a_mention(viewer):
    assert ranked(viewer, "taylor") == ["jordan.taylor", "ravi.patel", "mia.wong"]


def test_an_exact_name_comes_first(viewer):
    # Ravi's key skills hold both words too, but not as a name.
    assert ranked(viewer, "jordan taylor")[:2] == ["jordan.taylor", "ravi.patel"]
    assert ranked(viewer, "Jordan Taylor")[0] == "jordan.taylor"


def test_ranking_holds_on_the_search_page(client, viewer):
    client.force_login(viewer)
    page = client.get("/search/", {"q": "procurement"})
    text = page.content.decode()
    positions = [
        text.index(f'href="/people/{username}/"')
        for username in ("priya.shah", "tom.baker", "sam.jones")
    ]
    assert positions == sorted(positions)
