"""The admin shows spaces and who is in them, and changes nothing behind the
services' back."""

import pytest

from spaces.models import (
    Invitation,
    JoinRequest,
    Role,
    Space,
    SpaceGrant,
    SpaceMembership,
    SpaceUserObjectPermission,
)
from tests.profiles.factories import TeamFactory
from tests.spaces.factories import SpaceFactory, add_member, staff

pytestmark = pytest.mark.django_db


def make_space():
    return SpaceFactory(name="Procurement reform", slug="procurement-reform")


def make_membership():
    return add_member(make_space(), staff(), Role.MEMBER)


def make_grant():
    space = make_space()
    return SpaceGrant.objects.create(space=space, team=TeamFactory(), role="member")


def make_join_request():
    space = make_space()
    space.visibility = Space.Visibility.RESTRICTED
    space.save()
    return JoinRequest.objects.create(space=space, user=staff(), message="Please")


def make_invitation():
    return Invitation.objects.create(
        space=make_space(), invitee=staff(), invited_by=staff()
    )


MODELS = {
    "space": make_space,
    "spacemembership": make_membership,
    "spacegrant": make_grant,
    "joinrequest": make_join_request,
    "invitation": make_invitation,
}


@pytest.mark.parametrize("model", MODELS)
def test_listed_searchable_and_view_only(admin_client, model):
    obj = MODELS[model]()
    base = f"/admin/spaces/{model}/"

    listing = admin_client.get(base)
    assert listing.status_code == 200
    assert "Procurement reform" in listing.text
    assert admin_client.get(base, {"q": "procurement"}).status_code == 200

    detail = admin_client.get(f"{base}{obj.pk}/change/")
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.text
    assert admin_client.get(f"{base}add/").status_code == 403
    assert admin_client.post(f"{base}{obj.pk}/delete/").status_code == 403


def test_a_forged_role_change_does_not_save(admin_client):
    membership = make_membership()
    admin_client.post(
        f"/admin/spaces/spacemembership/{membership.pk}/change/",
        {"space": membership.space_id, "user": membership.user_id, "role": "owner"},
    )
    membership.refresh_from_db()
    assert membership.role == Role.MEMBER
    assert not SpaceUserObjectPermission.objects.filter(
        permission__codename="manage_space"
    ).exists()


def test_a_forged_visibility_change_does_not_save(admin_client):
    space = make_space()
    admin_client.post(
        f"/admin/spaces/space/{space.pk}/change/",
        {
            "name": space.name,
            "slug": space.slug,
            "department": space.department_id,
            "visibility": "private",
            "default_marking": "OFFICIAL",
        },
    )
    space.refresh_from_db()
    assert space.visibility == Space.Visibility.OPEN


def test_the_bulk_delete_action_is_not_offered(admin_client):
    membership = make_membership()
    page = admin_client.get("/admin/spaces/spacemembership/")
    assert "delete_selected" not in page.text
    admin_client.post(
        "/admin/spaces/spacemembership/",
        {
            "action": "delete_selected",
            "_selected_action": [membership.pk],
            "post": "yes",
        },
    )
    assert SpaceMembership.objects.filter(pk=membership.pk).exists()
