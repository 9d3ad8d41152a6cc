import pytest
from django.contrib.auth.models import Group, Permission

from intranet.models import Notification
from profiles.errors import ProfileError
from profiles.services.corrections import correction_suggest
from tests.profiles.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return ProfileFactory(user=UserFactory(username="sam.jones"))


@pytest.fixture
def reporter():
    return UserFactory(first_name="Ria", last_name="Patel")


@pytest.fixture
def admins():
    group = Group.objects.create(name="IT")
    group.permissions.add(
        Permission.objects.get(
            content_type__app_label="profiles", codename="manage_access"
        )
    )
    in_group = UserFactory()
    in_group.groups.add(group)
    UserFactory(it_admin=True, is_active=False)
    return {UserFactory(it_admin=True), in_group, UserFactory(is_superuser=True)}


def suggest(actor, profile, kind="correction", text="Your team changed in May."):
    return correction_suggest(actor=actor, profile=profile, kind=kind, text=text)


def test_a_correction_goes_to_the_person(person, reporter, admins):
    (notification,) = suggest(reporter, person)

    assert list(Notification.objects.all()) == [notification]
    assert notification.recipient == person.user
    assert notification.kind == "profile.correction"
    assert notification.text == (
        "Ria Patel suggests a correction to your profile: “Your team changed in May.”"
    )
    assert notification.url == "/people/sam.jones/#suggestions"


@pytest.mark.parametrize(
    ("kind", "what"), [("leaver", "has left"), ("duplicate", "is a duplicate")]
)
def test_a_leaver_or_duplicate_goes_to_every_it_admin(
    person, reporter, admins, kind, what
):
    sent = suggest(reporter, person, kind=kind, text="Left in March.")

    assert {n.recipient for n in sent} == admins
    assert Notification.objects.count() == len(admins)
    assert not Notification.objects.filter(recipient=person.user).exists()
    assert sent[0].kind == f"profile.{kind}"
    assert sent[0].text == (
        f"Ria Patel reports that the profile of {person.display_name} {what}: "
        "“Left in March.”"
    )


def test_an_it_admin_reporting_is_not_told_their_own_report(person, admins):
    reporter = next(iter(admins))
    sent = suggest(reporter, person, kind="leaver")
    assert {n.recipient for n in sent} == admins - {reporter}


@pytest.mark.parametrize("text", ["", "   \n ", None])
def test_an_empty_suggestion_is_refused(person, reporter, text):
    with pytest.raises(ProfileError) as caught:
        suggest(reporter, person, text=text)
    assert caught.value.field == "text"
    assert not Notification.objects.exists()


def test_over_2000_characters_is_refused(person, reporter):
    with pytest.raises(ProfileError) as caught:
        suggest(reporter, person, text="x" * 2001)
    assert caught.value.field == "text"
    assert caught.value.message == ("The suggestion must be 2,000 characters or fewer")
    assert not Notification.objects.exists()


def test_a_long_suggestion_is_shortened_to_fit_the_notification(person, reporter):
    (notification,) = suggest(reporter, person, text="word " * 400)
    assert len(notification.text) <= 500
    assert notification.text.endswith("…”")


def test_an_unknown_kind_is_refused(person, reporter):
    with pytest.raises(ProfileError) as caught:
        suggest(reporter, person, kind="spam")
    assert caught.value.field == "kind"


def test_a_correction_to_yourself_is_refused(person):
    with pytest.raises(ProfileError) as caught:
        suggest(person.user, person)
    assert caught.value.field == "kind"
    assert not Notification.objects.exists()


def test_a_deactivated_account_cannot_suggest(person):
    with pytest.raises(ProfileError):
        suggest(UserFactory(is_active=False), person)
