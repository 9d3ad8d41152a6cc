import pytest

from spaces.models import Role, Space
from spaces.selectors import (
    can_manage,
    can_manage_access,
    can_moderate,
    can_post,
    can_start_thread,
    can_view_content,
    can_view_space,
    my_spaces,
    spaces_readable_by,
    spaces_visible_to,
    visible_space,
)
from spaces.services import grant_create
from tests.profiles.factories import (
    DepartmentFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)
from tests.spaces.factories import SpaceFactory, add_member, staff

pytestmark = pytest.mark.django_db

OPEN, RESTRICTED, PRIVATE = Space.Visibility


@pytest.fixture
def spaces():
    return {v: SpaceFactory(visibility=v, slug=f"s-{v}") for v in Space.Visibility}


def test_a_staff_non_member_sees_listed_spaces_but_not_restricted_content(spaces):
    user = staff()
    assert can_view_space(user, spaces[OPEN])
    assert can_view_space(user, spaces[RESTRICTED])
    assert not can_view_space(user, spaces[PRIVATE])
    assert can_view_content(user, spaces[OPEN])
    assert not can_view_content(user, spaces[RESTRICTED])
    assert not can_view_content(user, spaces[PRIVATE])
    assert not can_post(user, spaces[OPEN])
    assert set(spaces_visible_to(user)) == {spaces[OPEN], spaces[RESTRICTED]}
    assert set(spaces_readable_by(user)) == {spaces[OPEN]}
    assert list(my_spaces(user)) == []
    assert visible_space(user, "s-private") is None
    assert visible_space(user, "s-restricted") == spaces[RESTRICTED]
    assert visible_space(user, "no-such-space") is None


@pytest.mark.parametrize(
    ("role", "post", "thread", "moderate", "manage"),
    [
        (Role.GUEST, True, False, False, False),
        (Role.MEMBER, True, True, False, False),
        (Role.MODERATOR, True, True, True, False),
        (Role.OWNER, True, True, True, True),
    ],
)
def test_roles_in_a_private_space(spaces, role, post, thread, moderate, manage):
    user = staff()
    space = spaces[PRIVATE]
    add_member(space, user, role)
    assert can_view_space(user, space)
    assert can_view_content(user, space)
    assert can_post(user, space) is post
    assert can_start_thread(user, space) is thread
    assert can_moderate(user, space) is moderate
    assert can_manage(user, space) is manage
    assert space in spaces_visible_to(user)
    assert list(my_spaces(user)) == [space]


def test_an_archived_space_is_read_only(spaces):
    user = staff()
    space = spaces[OPEN]
    add_member(space, user, Role.OWNER)
    space.archived = True
    space.save()
    assert can_view_content(user, space)
    assert not can_post(user, space)
    assert not can_start_thread(user, space)
    assert not can_moderate(user, space)
    assert can_manage(user, space)


def test_deactivated_and_anonymous_users_see_nothing(spaces):
    from django.contrib.auth.models import AnonymousUser

    user = staff()
    add_member(spaces[PRIVATE], user, Role.OWNER)
    user.is_active = False
    user.save()
    for who in (user, AnonymousUser(), None):
        assert not can_view_space(who, spaces[OPEN])
        assert not can_view_content(who, spaces[PRIVATE])
        assert not can_post(who, spaces[PRIVATE])
        assert list(spaces_visible_to(who)) == []
        assert list(my_spaces(who)) == []


def test_it_admin_manages_access_but_does_not_read_private_content(spaces):
    admin = UserFactory(it_admin=True)
    space = spaces[PRIVATE]
    assert can_manage_access(admin, space)
    assert not can_manage(admin, space)
    assert not can_view_space(admin, space)
    assert not can_view_content(admin, space)
    assert space not in spaces_visible_to(admin)


def test_a_superuser_gets_no_free_pass_to_private_content(spaces):
    root = UserFactory(is_superuser=True)
    assert not can_view_content(root, spaces[PRIVATE])
    assert not can_post(root, spaces[OPEN])
    assert spaces[PRIVATE] not in spaces_visible_to(root)


def test_a_global_view_permission_counts_for_nothing(spaces):
    from guardian.shortcuts import assign_perm

    user = staff()
    assign_perm("spaces.view_space", user)
    assert not can_view_content(user, spaces[PRIVATE])
    assert spaces[PRIVATE] not in spaces_visible_to(user)


def test_access_through_department_and_team_grants(spaces):
    owner = staff()
    space = spaces[PRIVATE]
    add_member(space, owner, Role.OWNER)
    department = DepartmentFactory()
    team = TeamFactory()
    by_department = staff(department=department)
    by_team = TeamMembershipFactory(team=team).profile.user
    outsider = staff()
    grant_create(actor=owner, space=space, department=department, role="member")
    grant_create(actor=owner, space=space, team=team, role="guest")

    assert can_start_thread(by_department, space)
    assert can_post(by_team, space) and not can_start_thread(by_team, space)
    assert space in spaces_visible_to(by_department)
    assert space in my_spaces(by_team)
    assert not can_view_space(outsider, space)
    assert space not in spaces_visible_to(outsider)


def test_spaces_visible_to_never_lists_a_private_space_to_a_non_member():
    private = SpaceFactory.create_batch(3, visibility=PRIVATE)
    member = staff()
    add_member(private[0], member)
    assert [s for s in spaces_visible_to(member) if s.visibility == PRIVATE] == [
        private[0]
    ]
    assert not spaces_visible_to(staff()).filter(visibility=PRIVATE).exists()


def test_spaces_visible_to_is_one_query(django_assert_num_queries):
    user = staff()
    SpaceFactory.create_batch(3, visibility=PRIVATE)
    with django_assert_num_queries(1):
        list(spaces_visible_to(user))
