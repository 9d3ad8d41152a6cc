"""Suggestions are kept whole, shown to the person, and dealt with by them alone."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from profiles.errors import ProfileError
from profiles.models import CorrectionSuggestion
from profiles.services.corrections import correction_resolve, correction_suggest
from tests.profiles.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

LONG_TEXT = "Your team moved to the Data Directorate in May. " * 40  # ~1,900 chars


@pytest.fixture
def person():
    return ProfileFactory(user=UserFactory(username="sam.jones"))


@pytest.fixture
def colleague():
    return ProfileFactory(user=UserFactory(username="ria.patel")).user


def test_the_whole_text_is_kept_even_when_no_one_is_notified(person, colleague):
    # No IT admins exist: the report must still not be lost.
    sent = correction_suggest(
        actor=colleague, profile=person, kind="leaver", text=LONG_TEXT
    )
    assert sent == []
    stored = CorrectionSuggestion.objects.get()
    assert (stored.kind, stored.text, stored.author) == (
        "leaver",
        LONG_TEXT.strip(),
        colleague,
    )


def test_refused_suggestion_stores_nothing(person, colleague):
    with pytest.raises(ProfileError):
        correction_suggest(actor=colleague, profile=person, kind="correction", text="")
    assert not CorrectionSuggestion.objects.exists()


def test_owner_sees_open_suggestions_and_marks_them_done(client, person, colleague):
    correction_suggest(
        actor=colleague, profile=person, kind="correction", text=LONG_TEXT
    )
    suggestion = CorrectionSuggestion.objects.get()
    page = reverse("profiles:person", kwargs={"username": "sam.jones"})

    client.force_login(colleague)
    assertNotContains(client.get(page), "Suggested corrections")
    done = reverse("profiles:suggestion_done", kwargs={"pk": suggestion.pk})
    assert client.post(done).status_code == 404
    suggestion.refresh_from_db()
    assert suggestion.resolved_at is None

    client.force_login(person.user)
    response = client.get(page)
    assertContains(response, "Suggested corrections")
    assertContains(response, LONG_TEXT.strip()[-60:])
    assert client.post(done).status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.resolved_at is not None
    assertNotContains(client.get(page), "Suggested corrections")


def test_only_the_person_may_resolve(person, colleague):
    correction_suggest(actor=colleague, profile=person, kind="correction", text="x")
    with pytest.raises(ProfileError):
        correction_resolve(
            actor=colleague, suggestion=CorrectionSuggestion.objects.get()
        )
