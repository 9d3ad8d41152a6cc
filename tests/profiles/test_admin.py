"""The admin lets IT admins look things up, never change them behind the rules."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from intranet.models import AccountSession, AuditEvent
from profiles.models import Profile, Team, User
from tests.profiles.factories import (
    ProfileFactory,
    SkillFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["profile", "team", "skill"])
def test_profiles_teams_and_skills_are_view_only(admin_client, model):
    objects = {
        "profile": ProfileFactory,
        "team": TeamFactory,
        "skill": SkillFactory,
    }
    obj = objects[model]()
    base = f"/admin/profiles/{model}/"
    assert admin_client.get(base).status_code == 200
    assert admin_client.get(f"{base}{obj.pk}/change/").status_code == 200
    assert admin_client.get(f"{base}add/").status_code == 403
    assert admin_client.post(f"{base}{obj.pk}/delete/").status_code == 403


def test_a_forged_admin_change_does_not_save(admin_client):
    parent = TeamFactory(name="Parent")
    child = TeamFactory(parent=parent, name="Child")
    admin_client.post(
        f"/admin/profiles/team/{parent.pk}/change/",
        {"name": "Loop", "parent": child.pk, "department": parent.department_id},
    )
    parent.refresh_from_db()
    assert (parent.name, parent.parent_id) == ("Parent", None)
    assert Team.objects.count() == 2
    assert Profile.objects.count() == 0


# Accounts: deactivated only through the account services, never deleted ---------


def _change_form_data(user, **changes):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "date_joined_0": "2024-01-01",
        "date_joined_1": "09:00:00",
        "is_active": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _signed_in(user):
    client = Client()
    client.force_login(user)
    assert client.get("/").status_code == 200
    return client


def _change(client, user, **changes):
    return client.post(
        f"/admin/profiles/user/{user.pk}/change/", _change_form_data(user, **changes)
    )


def test_unticking_active_deactivates_through_the_service(admin_client, admin_user):
    leaver = ProfileFactory(user__first_name="Ada").user
    browser = _signed_in(leaver)
    form = admin_client.get(f"/admin/profiles/user/{leaver.pk}/change/")
    assert 'name="account_change_reason"' in form.content.decode()

    answer = _change(
        admin_client,
        leaver,
        is_active=None,
        account_change_reason="Left",
        first_name="Ada L",
    )

    assert answer.status_code == 302
    leaver.refresh_from_db()
    assert (leaver.is_active, leaver.first_name) == (False, "Ada L")
    [event] = AuditEvent.objects.filter(action="account.deactivate")
    assert (event.actor, event.target_id) == (admin_user, str(leaver.pk))
    assert event.details["reason"] == "Left"
    assert event.details["sessions_ended"] == 1
    assert browser.get("/").status_code == 302


def test_ticking_active_again_reactivates_on_the_record(admin_client):
    leaver = UserFactory()
    _change(admin_client, leaver, is_active=None)

    _change(admin_client, leaver, account_change_reason="Back")

    leaver.refresh_from_db()
    assert leaver.is_active
    assert AuditEvent.objects.get(action="account.reactivate").details["reason"] == (
        "Back"
    )


def test_saving_other_changes_leaves_the_account_and_the_record_alone(admin_client):
    person = UserFactory()
    _change(admin_client, person, first_name="Renamed")
    person.refresh_from_db()
    assert (person.first_name, person.is_active) == ("Renamed", True)
    assert not AuditEvent.objects.filter(action__startswith="account.").exists()


def test_deactivating_your_own_account_is_refused_beside_the_field(
    admin_client, admin_user
):
    answer = _change(admin_client, admin_user, is_active=None, first_name="Changed")
    assert answer.status_code == 200
    assert "You cannot deactivate your own account" in answer.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_active
    assert admin_user.first_name != "Changed"


def test_a_staff_member_who_is_not_an_it_admin_cannot_deactivate():
    clerk = UserFactory(is_staff=True)
    clerk.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_user", "change_user"])
    )
    leaver = UserFactory()
    answer = _change(_signed_in(clerk), leaver, is_active=None)
    assert "Only IT admins can deactivate or reactivate accounts" in (
        answer.content.decode()
    )
    leaver.refresh_from_db()
    assert leaver.is_active


def _bulk(client, action, users, reason=""):
    return client.post(
        "/admin/profiles/user/",
        {
            "action": action,
            "_selected_action": [user.pk for user in users],
            "reason": reason,
        },
        follow=True,
    )


def test_deactivate_selected_goes_through_the_service_for_each(
    admin_client, admin_user
):
    leavers = UserFactory.create_batch(2)
    browsers = [_signed_in(leaver) for leaver in leavers]
    stays = UserFactory()

    answer = _bulk(admin_client, "deactivate_selected", [*leavers, admin_user], "Left")

    text = answer.content.decode()
    assert "2 account(s) deactivated." in text
    assert "You cannot deactivate your own account" in text
    assert set(User.objects.filter(is_active=False)) == set(leavers)
    events = AuditEvent.objects.filter(action="account.deactivate")
    assert {event.target_id for event in events} == {str(u.pk) for u in leavers}
    assert {event.details["reason"] for event in events} == {"Left"}
    assert not AccountSession.objects.filter(user__in=leavers).exists()
    for browser in browsers:
        assert browser.get("/").status_code == 302
    stays.refresh_from_db()
    assert stays.is_active


def test_reactivate_selected_goes_through_the_service_for_each(admin_client):
    leavers = UserFactory.create_batch(2)
    _bulk(admin_client, "deactivate_selected", leavers)

    answer = _bulk(admin_client, "reactivate_selected", leavers, "Back")

    assert "2 account(s) reactivated." in answer.content.decode()
    assert not User.objects.filter(is_active=False).exists()
    assert AuditEvent.objects.filter(action="account.reactivate").count() == 2


def test_accounts_are_never_deleted_in_the_admin(admin_client):
    person = UserFactory()
    page = admin_client.get("/admin/profiles/user/").content.decode()
    assert "delete_selected" not in page
    assert (
        admin_client.post(f"/admin/profiles/user/{person.pk}/delete/").status_code
        == 403
    )
    assert User.objects.filter(pk=person.pk).exists()
