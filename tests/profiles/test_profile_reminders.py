from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from intranet.models import Notification
from profiles.models import Profile
from tests.profiles.factories import (
    ProfileFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def signed_in(**kwargs):
    return ProfileFactory(user=UserFactory(last_login=timezone.now(), **kwargs))


def stale(profile):
    Profile.objects.filter(pk=profile.pk).update(
        created_at=timezone.now() - timedelta(days=400)
    )
    return profile


@pytest.fixture
def people():
    head = signed_in(username="head")
    TeamMembershipFactory(
        profile=head,
        team=TeamFactory(name="Tax policy", department=head.department),
        is_head=True,
    )
    TeamMembershipFactory(
        profile=head,
        team=TeamFactory(name="Described", description="We write tax policy."),
        is_head=True,
    )
    # A team without a description but without a head either: nobody to remind.
    TeamMembershipFactory(profile=signed_in(), team=TeamFactory(name="Headless"))
    return {
        "new": ProfileFactory(user=UserFactory(username="new.starter")),
        "stale": stale(signed_in(username="stale")),
        "fresh": signed_in(username="fresh"),
        "head": head,
        "leaver": stale(
            ProfileFactory(user=UserFactory(username="leaver", is_active=False))
        ),
    }


def run(*args) -> str:
    out = StringIO()
    call_command("profile_reminders", *args, stdout=out)
    return out.getvalue()


def sent():
    return sorted(
        Notification.objects.values_list("kind", "recipient__username"),
    )


EXPECTED = [
    ("reminder.sign_in", "new.starter"),
    ("reminder.stale", "stale"),
    ("reminder.team_description", "head"),
]


def test_by_default_it_lists_and_sends_nothing(people):
    output = run()

    assert "reminder.sign_in\tnew.starter\t" in output
    assert "reminder.stale\tstale\t" in output
    assert "reminder.team_description\thead\tTax policy has no description" in output
    assert "fresh" not in output
    assert "leaver" not in output
    assert "Headless" not in output
    assert "3 reminders due" in output
    assert not Notification.objects.exists()


def test_send_sends_each_reminder_to_its_person(people):
    output = run("--send")

    assert "Sent 3 reminders" in output
    assert sent() == EXPECTED
    team = Notification.objects.get(kind="reminder.team_description")
    assert team.url.endswith("/tax-policy/")
    stale_reminder = Notification.objects.get(kind="reminder.stale")
    assert stale_reminder.url == "/people/me/"


def test_sending_twice_the_same_day_sends_nothing_new(people):
    run("--send")
    output = run("--send")

    assert "Sent 0 reminders" in output
    assert sent() == EXPECTED


def test_a_reminder_is_sent_again_after_30_days(people):
    run("--send")
    Notification.objects.update(created_at=timezone.now() - timedelta(days=31))

    run("--send")

    assert sent() == sorted(EXPECTED * 2)


def test_a_head_of_several_teams_gets_one_reminder(people):
    TeamMembershipFactory(
        profile=people["head"], team=TeamFactory(name="Customs"), is_head=True
    )
    run("--send")
    reminder = Notification.objects.get(kind="reminder.team_description")
    assert reminder.text.startswith("Customs and 1 other teams you lead")


def test_other_notifications_do_not_stop_a_reminder(people):
    Notification.objects.create(
        recipient=people["stale"].user, kind="profile.edited", text="Changed"
    )
    run("--send")
    assert ("reminder.stale", "stale") in sent()
