"""The admin lets IT admins look things up, never change them behind the rules."""

import pytest

from profiles.models import Profile, Team
from tests.profiles.factories import ProfileFactory, SkillFactory, TeamFactory

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
