"""What spaces' notifications show is checked when they are shown: once someone
can no longer see a thread, a space or an invitation, the notifications about it
leave their notifications page and their unread count."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from intranet.models import Notification
from intranet.notifications import notifications_for, unread_count
from spaces.models import Role, Space, SpaceMembership
from spaces.services import (
    invitation_create,
    invitation_decline,
    membership_remove,
    membership_set_role,
)
from spaces.thread_services import message_post, thread_start
from tests.spaces.factories import SpaceFactory, add_member, staff

pytestmark = pytest.mark.django_db

OPEN, RESTRICTED, PRIVATE = Space.Visibility
NOTIFICATIONS = reverse("notifications")
TITLE = "Merger timetable"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs a service's on-commit work (its notifications) as
    its transaction would on commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def owner():
    return staff(user__username="asha", user__first_name="Asha")


@pytest.fixture
def ben():
    return staff(user__username="ben")


@pytest.fixture
def cy():
    return staff(user__username="cy")


@pytest.fixture
def dee():
    return staff(user__username="dee")


def _space(visibility, owner, *members, slug="falcon"):
    space = SpaceFactory(
        name=f"Project {slug.title()}", slug=slug, visibility=visibility
    )
    add_member(space, owner, Role.OWNER)
    for member in members:
        add_member(space, member, Role.MEMBER)
    return space


_ids = iter(range(10**6))


def _post(actor, thread, body):
    client_id = f"subject-{next(_ids):04d}"
    message_post(actor=actor, thread=thread, body=body, client_id=client_id)


def _remove(owner, space, user):
    membership_remove(
        actor=owner, membership=SpaceMembership.objects.get(space=space, user=user)
    )


def _page(client, user) -> str:
    client.force_login(user)
    response = client.get(NOTIFICATIONS)
    assert response.status_code == 200
    return response


def _badge(count: int) -> str:
    return f'<span class="app-count">{count}<span class="govuk-visually-hidden">'


@pytest.mark.parametrize("visibility", [PRIVATE, RESTRICTED])
def test_a_removed_member_no_longer_sees_the_thread_s_title_in_notifications(
    client, committed, visibility, owner, ben, cy, dee
):
    space = _space(visibility, owner, ben, cy, dee)
    with committed():
        thread = thread_start(
            actor=owner, space=space, title=TITLE, body="Dates", client_id="subj-start"
        )
    with committed():
        _post(ben, thread, "Noted")  # ben now follows the thread
    with committed():
        _post(owner, thread, "@cy @dee can you check the dates?")
    kinds = dict(
        Notification.objects.exclude(recipient=owner).values_list(
            "recipient__username", "kind"
        )
    )
    assert kinds == {
        "ben": "thread.reply",
        "cy": "thread.mention",
        "dee": "thread.mention",
    }
    assertContains(_page(client, ben), TITLE)

    with committed():
        _remove(owner, space, ben)
        _remove(owner, space, cy)

    for removed in (ben, cy):
        page = _page(client, removed)
        assertNotContains(page, TITLE)
        assertContains(page, "removed you from")
        # Only the removal is counted, in the header and on the page.
        assertContains(page, _badge(1))
        assert unread_count(removed) == 1
    # Someone who may still read the thread still sees theirs.
    page = _page(client, dee)
    assertContains(page, TITLE)
    assertContains(page, _badge(1))
    assert unread_count(dee) == 1


def test_a_declined_invitation_to_a_private_space_leaves_the_notifications(
    client, committed, owner, ben, cy
):
    space = _space(PRIVATE, owner)
    with committed():
        declined = invitation_create(actor=owner, space=space, invitee=ben)
        invitation_create(actor=owner, space=space, invitee=cy)
    assertContains(_page(client, ben), "invited you to join Project Falcon")

    invitation_decline(actor=ben, invitation=declined)

    assertNotContains(_page(client, ben), "Project Falcon")
    assert unread_count(ben) == 0
    # A waiting invitation still names the space: that is what it is for.
    assertContains(_page(client, cy), "invited you to join Project Falcon")
    assert unread_count(cy) == 1


def _make_moderator(owner, space, user):
    membership_set_role(
        actor=owner,
        membership=SpaceMembership.objects.get(space=space, user=user),
        role=Role.MODERATOR,
    )


def test_a_role_change_in_a_private_space_leaves_with_the_member(
    client, committed, owner, ben
):
    space = _space(PRIVATE, owner, ben)
    with committed():
        _make_moderator(owner, space, ben)
    assertContains(_page(client, ben), "made you a moderator of Project Falcon")

    with committed():
        _remove(owner, space, ben)

    page = _page(client, ben)
    assertNotContains(page, "Project Falcon")
    # The removal names no private space, so it has nothing to hide and stays.
    assertContains(page, "removed you from a private space")
    assert [n.kind for n in notifications_for(ben)] == ["space.membership.removed"]


def test_a_listed_space_s_notifications_stay_after_removal(
    client, committed, owner, ben
):
    space = _space(RESTRICTED, owner, ben)
    with committed():
        _make_moderator(owner, space, ben)
    with committed():
        _remove(owner, space, ben)

    # Anyone may see a restricted space's name.
    page = _page(client, ben)
    assertContains(page, "made you a moderator of Project Falcon")
    assertContains(page, "removed you from Project Falcon")


# Notifications sent before they named a subject --------------------------------


def test_older_notifications_are_given_their_subject_from_their_link(
    committed, owner, ben
):
    backfill = importlib.import_module("spaces.migrations.0004_notification_subjects")
    private = _space(PRIVATE, owner, ben)
    thread = thread_start(
        actor=owner, space=private, title=TITLE, body="Dates", client_id="subj-old"
    )
    invitation = invitation_create(
        actor=owner, space=_space(PRIVATE, owner, slug="osprey"), invitee=ben
    )
    thread_url = reverse(
        "spaces:thread", kwargs={"slug": private.slug, "thread_id": thread.pk}
    )
    answer_url = reverse(
        "spaces:invitation_answer", kwargs={"invitation_id": invitation.pk}
    )
    old = {
        f"Asha mentioned you in “{TITLE}”": ("thread.mention", f"{thread_url}#m-2"),
        "Asha made you a guest of Falcon": ("space.membership.role", "/spaces/falcon/"),
        "Asha invited you to join Osprey": ("space.invitation", answer_url),
        "Asha made you a guest of Renamed": ("space.membership.role", "/spaces/gone/"),
        "Asha removed you from a private space": ("space.membership.removed", ""),
        "Someone edited your profile": ("profile.edited", "/people/ben/"),
    }
    for text, (kind, url) in old.items():
        Notification.objects.create(recipient=ben, kind=kind, text=text, url=url)

    backfill.name_subjects(apps, None)

    assert dict(Notification.objects.values_list("text", "subject_type")) == {
        f"Asha mentioned you in “{TITLE}”": "spaces.thread",
        "Asha made you a guest of Falcon": "spaces.space",
        "Asha invited you to join Osprey": "spaces.invitation",
        "Asha made you a guest of Renamed": "spaces.space",
        "Asha removed you from a private space": "",
        "Someone edited your profile": "",
    }
    # A space whose address is no longer found is hidden rather than trusted.
    assert {n.text for n in notifications_for(ben)} == set(old) - {
        "Asha made you a guest of Renamed"
    }

    _remove(owner, private, ben)
    invitation_decline(actor=ben, invitation=invitation)

    assert {n.text for n in notifications_for(ben)} == {
        "Asha removed you from a private space",
        "Someone edited your profile",
    }
