import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from haystack.query import SearchQuerySet

from profiles.models import Department, Profile
from search.health import MISSING, OK, index_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    department = Department.objects.create(
        name="Cabinet Office", acronym="CO", slug="co", kind="ministerial"
    )
    user = get_user_model().objects.create_user(
        "ada.lovelace", first_name="Ada", last_name="Lovelace"
    )
    return Profile.objects.create(
        user=user, department=department, job_title="Head of Analysis"
    )


def test_builds_a_missing_index_with_everyone_in_it(person, capsys):
    assert index_state() == MISSING
    call_command("search_index_ensure", verbosity=0)
    assert index_state() == OK
    results = SearchQuerySet().filter(content="Lovelace")
    assert [r.pk for r in results] == [str(person.pk)]


def test_leaves_an_existing_index_alone(person, capsys):
    call_command("search_index_ensure", verbosity=0)
    person.job_title = "Chief Analyst"
    person.save()
    call_command("search_index_ensure", verbosity=0)
    assert "Search index present." in capsys.readouterr().out
    # Not rebuilt: the stored document still has the old title.
    assert SearchQuerySet().filter(content="Lovelace")[0].job_title == (
        "Head of Analysis"
    )
