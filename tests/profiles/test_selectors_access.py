import json

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission

from profiles.models import Profile, Visibility
from profiles.selectors.access import (
    ANY_STAFF,
    IT_ADMIN_FIELDS,
    LIMITED_GROUPS,
    LINE_MANAGER_FIELDS,
    OWNER_FIELDS,
    can_edit_profile,
    can_see,
    editable_fields,
    is_it_admin,
    it_admins,
    profile_public_data,
)
from profiles.selectors.loading import with_public_data
from tests.profiles.factories import (
    LocationFactory,
    ProfileFactory,
    SkillFactory,
    TeamMembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def manage_access():
    return Permission.objects.get(
        content_type__app_label="profiles", codename="manage_access"
    )


@pytest.fixture
def owner():
    return ProfileFactory(phone_work="020 7946 0001", phone_mobile="07700 900001")


@pytest.fixture
def colleague(owner):
    """Someone in the owner's department."""
    return ProfileFactory(department=owner.department)


@pytest.fixture
def outsider():
    """Someone in another department."""
    return ProfileFactory()


class TestIsItAdmin:
    def test_a_user_holding_manage_access_is_an_it_admin(self):
        assert is_it_admin(UserFactory(it_admin=True))

    def test_the_permission_through_a_group_counts(self):
        user = UserFactory()
        group = Group.objects.create(name="IT")
        group.permissions.add(manage_access())
        user.groups.add(group)
        assert is_it_admin(user)

    def test_a_deactivated_it_admin_is_not_one(self):
        assert not is_it_admin(UserFactory(it_admin=True, is_active=False))

    @pytest.mark.parametrize("user", [None, AnonymousUser(), ANY_STAFF])
    def test_nobody_signed_in_is_not_one(self, user):
        assert not is_it_admin(user)

    def test_staff_without_the_permission_are_not(self):
        assert not is_it_admin(UserFactory(is_staff=True))

    def test_it_admins_lists_exactly_those_is_it_admin_accepts(self):
        direct = UserFactory(it_admin=True)
        through_group = UserFactory()
        group = Group.objects.create(name="IT")
        group.permissions.add(manage_access())
        through_group.groups.add(group)
        superuser = UserFactory(is_superuser=True)
        UserFactory(it_admin=True, is_active=False)
        UserFactory()

        admins = list(it_admins())

        assert sorted(admins, key=lambda u: u.pk) == [direct, through_group, superuser]
        assert all(is_it_admin(user) for user in admins)


class TestEditableFields:
    def test_the_owner_edits_everything_but_their_department(self, owner):
        fields = editable_fields(owner.user, owner)
        assert fields == OWNER_FIELDS
        assert "department" not in fields
        assert {"grade", "job_title", "teams", "line_manager", "photo"} <= fields

    def test_the_line_manager_edits_job_title_teams_and_manager(self, owner):
        manager = ProfileFactory()
        owner.line_manager = manager
        owner.save()
        assert editable_fields(manager.user, owner) == LINE_MANAGER_FIELDS
        assert LINE_MANAGER_FIELDS == {"job_title", "teams", "line_manager"}

    def test_the_managers_manager_edits_nothing(self, owner):
        manager = ProfileFactory()
        manager.line_manager = ProfileFactory()
        manager.save()
        owner.line_manager = manager
        owner.save()
        assert editable_fields(manager.line_manager.user, owner) == frozenset()

    def test_an_it_admin_edits_everything(self, owner):
        fields = editable_fields(UserFactory(it_admin=True), owner)
        assert fields == IT_ADMIN_FIELDS
        assert fields == OWNER_FIELDS | {"department"}

    def test_a_colleague_edits_nothing(self, owner, colleague):
        assert editable_fields(colleague.user, owner) == frozenset()
        assert not can_edit_profile(colleague.user, owner)

    @pytest.mark.parametrize("user", [None, AnonymousUser(), ANY_STAFF])
    def test_nobody_signed_in_edits_nothing(self, owner, user):
        assert editable_fields(user, owner) == frozenset()

    def test_a_deactivated_owner_or_admin_edits_nothing(self, owner):
        owner.user.is_active = False
        owner.user.save()
        admin = UserFactory(it_admin=True, is_active=False)
        assert editable_fields(owner.user, owner) == frozenset()
        assert editable_fields(admin, owner) == frozenset()

    def test_only_it_admins_edit_a_leavers_profile(self, owner):
        manager = ProfileFactory()
        owner.line_manager = manager
        owner.save()
        owner.user.is_active = False
        owner.user.save()
        assert editable_fields(manager.user, owner) == frozenset()
        assert can_edit_profile(UserFactory(it_admin=True), owner)


# (visibility, viewer) -> may the viewer see the limited fields?
SEES = [
    (Visibility.EVERYONE, "owner", True),
    (Visibility.EVERYONE, "colleague", True),
    (Visibility.EVERYONE, "outsider", True),
    (Visibility.EVERYONE, "any_staff", True),
    (Visibility.EVERYONE, "anonymous", False),
    (Visibility.DEPARTMENT, "owner", True),
    (Visibility.DEPARTMENT, "colleague", True),
    (Visibility.DEPARTMENT, "outsider", False),
    (Visibility.DEPARTMENT, "admin_elsewhere", False),
    (Visibility.DEPARTMENT, "no_profile", False),
    (Visibility.DEPARTMENT, "any_staff", False),
    (Visibility.DEPARTMENT, "deactivated_colleague", False),
    (Visibility.NOBODY, "owner", True),
    (Visibility.NOBODY, "colleague", False),
    (Visibility.NOBODY, "admin_colleague", False),
    (Visibility.NOBODY, "any_staff", False),
]


@pytest.fixture
def viewers(owner, colleague, outsider):
    admin_colleague = ProfileFactory(
        department=owner.department, user=UserFactory(it_admin=True)
    )
    return {
        "owner": owner.user,
        "colleague": colleague.user,
        "outsider": outsider.user,
        "admin_elsewhere": ProfileFactory(user=UserFactory(it_admin=True)).user,
        "admin_colleague": admin_colleague.user,
        "no_profile": UserFactory(),
        "deactivated_colleague": ProfileFactory(
            department=owner.department, user=UserFactory(is_active=False)
        ).user,
        "any_staff": ANY_STAFF,
        "anonymous": AnonymousUser(),
    }


@pytest.mark.parametrize("group", ["phones", "location", "working_pattern"])
@pytest.mark.parametrize(("visibility", "viewer", "sees"), SEES)
def test_can_see_follows_the_owners_choice(
    owner, viewers, group, visibility, viewer, sees
):
    setattr(owner, LIMITED_GROUPS[group], visibility)
    owner.save()
    assert can_see(viewers[viewer], owner, group) is sees


class TestProfilePublicData:
    def test_a_hidden_phone_is_absent_not_empty(self, owner, outsider):
        data = profile_public_data(outsider.user, owner)
        assert "phone_work" not in data
        assert "phone_mobile" not in data
        assert "7946" not in json.dumps(data)
        assert "900001" not in json.dumps(data)

    def test_the_department_sees_a_department_phone(self, owner, colleague):
        data = profile_public_data(colleague.user, owner)
        assert data["phone_work"] == "020 7946 0001"
        assert data["phone_mobile"] == "07700 900001"

    def test_the_owner_always_sees_their_own(self, owner):
        owner.phone_visibility = Visibility.NOBODY
        owner.location = LocationFactory()
        owner.location_visibility = Visibility.NOBODY
        owner.working_days = ["mon", "tue"]
        owner.working_pattern_visibility = Visibility.NOBODY
        owner.save()
        data = profile_public_data(owner.user, owner)
        assert data["phone_work"] == "020 7946 0001"
        assert data["location"]["name"] == owner.location.name
        assert data["working_days"] == ["mon", "tue"]

    def test_an_it_admin_does_not_see_what_is_hidden(self, owner):
        owner.phone_visibility = Visibility.NOBODY
        owner.save()
        data = profile_public_data(UserFactory(it_admin=True), owner)
        assert "phone_work" not in data

    def test_location_and_working_pattern_hide_every_field_of_theirs(
        self, owner, outsider
    ):
        owner.location = LocationFactory(name="Quarry House", city="Leeds")
        owner.location_visibility = Visibility.DEPARTMENT
        owner.working_days = ["mon"]
        owner.working_pattern_note = "Compressed hours"
        owner.working_pattern_visibility = Visibility.NOBODY
        owner.save()
        data = profile_public_data(outsider.user, owner)
        for key in ("location", "working_days", "working_pattern_note"):
            assert key not in data
        text = json.dumps(data)
        assert "Quarry House" not in text
        assert "Compressed hours" not in text

    def test_what_all_staff_may_see(self, owner):
        owner.location = LocationFactory()
        owner.working_days = ["wed"]
        owner.save()
        data = profile_public_data(ANY_STAFF, owner)
        assert "phone_work" not in data  # department only, by default
        assert data["location"]["id"] == owner.location_id
        assert data["working_days"] == ["wed"]

    def test_everything_shown_is_json_safe(self, owner, colleague):
        owner.line_manager = colleague
        owner.key_skills.add(SkillFactory(name="Procurement law"))
        owner.save()
        TeamMembershipFactory(profile=owner, job_title="Lead", is_head=True)

        data = json.loads(json.dumps(profile_public_data(colleague.user, owner)))

        assert data["display_name"] == owner.display_name
        assert data["department"]["acronym"] == owner.department.acronym
        assert data["line_manager"] == {
            "id": colleague.pk,
            "username": colleague.user.username,
            "display_name": colleague.display_name,
        }
        assert data["key_skills"] == ["Procurement law"]
        assert data["teams"][0]["job_title"] == "Lead"
        assert data["teams"][0]["is_head"] is True
        assert data["photo_url"] is None
        assert data["is_current"] is True

    def test_a_page_of_profiles_costs_a_fixed_number_of_queries(
        self, owner, django_assert_max_num_queries
    ):
        for _ in range(8):
            profile = ProfileFactory(department=owner.department)
            TeamMembershipFactory(profile=profile)
            profile.key_skills.add(SkillFactory())
        viewer = UserFactory()  # fresh instance: nothing cached yet
        ProfileFactory(user=viewer, department=owner.department)
        viewer = type(viewer).objects.get(pk=viewer.pk)

        # The profiles, five prefetched relations, memberships' teams, and the
        # viewer's own department once.
        with django_assert_max_num_queries(8):
            profiles = with_public_data(Profile.objects.all())
            pages = [profile_public_data(viewer, p) for p in profiles]
        assert len(pages) == 10
        assert all("phone_work" in page for page in pages)
