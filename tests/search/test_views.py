import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from pytest_django.asserts import assertContains, assertNotContains

from profiles.models import Department, Profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    department = Department.objects.create(
        name="HM Revenue and Customs",
        acronym="HMRC",
        slug="hmrc",
        kind="non_ministerial",
    )
    users = get_user_model().objects
    ada = users.create_user("ada.lovelace", first_name="Ada", last_name="Lovelace")
    leaver = users.create_user(
        "old.timer", first_name="Old", last_name="Lovelace", is_active=False
    )
    for user, title in [(ada, "Procurement Lawyer"), (leaver, "Tax Adviser")]:
        Profile.objects.create(user=user, department=department, job_title=title)
    call_command("rebuild_index", interactive=False, verbosity=0)
    return ada


def test_finds_a_person_by_name(client, people):
    client.force_login(people)
    response = client.get("/search/", {"q": "lovelace"})
    assertContains(response, "1 result for ‘lovelace’")
    assertContains(response, "Ada Lovelace")
    assertContains(response, "Procurement Lawyer")
    # Leavers drop out of search.
    assertNotContains(response, "Old Lovelace")


def test_no_results_gives_advice(client, people):
    client.force_login(people)
    response = client.get("/search/", {"q": "zebra"})
    assertContains(response, "No results found for ‘zebra’")


def test_query_is_escaped(client, people):
    client.force_login(people)
    response = client.get("/search/", {"q": "<script>alert(1)</script>"})
    assert b"<script>alert(1)</script>" not in response.content
    assertContains(response, "&lt;script&gt;")


def test_query_the_parser_cannot_read_is_not_an_error(client, people):
    client.force_login(people)
    response = client.get("/search/", {"q": 'lovelace AND ( "unclosed'})
    assert response.status_code == 200


def test_broken_index_shows_a_message_not_an_error(client, people, search_index_path):
    for toc in search_index_path.glob("_MAIN_*.toc"):
        toc.write_bytes(b"broken")
    client.force_login(people)
    response = client.get("/search/", {"q": "lovelace"})
    assert response.status_code == 200
    assertContains(response, "Search is being rebuilt")
    # The rest of the site still works.
    assert client.get("/people/").status_code == 200


def test_each_kind_of_result_has_its_own_partial(client, people):
    client.force_login(people)
    response = client.get("/search/", {"q": "lovelace"})
    assert [t.name for t in response.templates].count(
        "search/results/profiles_profile.html"
    ) == 1


def test_a_kind_without_a_partial_is_shown_by_title(client, people, monkeypatch):
    from search import views

    monkeypatch.setattr(
        views,
        "partials",
        lambda result: ["search/results/blog_post.html", views.GENERIC_PARTIAL],
    )
    client.force_login(people)
    response = client.get("/search/", {"q": "lovelace"})
    assertContains(response, "Ada Lovelace")
    # The person partial's details are not there: the generic one was used.
    assertNotContains(response, "Procurement Lawyer")
    assert "search/results/generic.html" in [t.name for t in response.templates]
