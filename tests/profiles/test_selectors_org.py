"""Reads about team trees and line management: order, leavers, query counts."""

import pytest
from django.contrib.auth.models import AnonymousUser

from profiles.models import Profile
from profiles.selectors.org import (
    MANAGER_CHAIN_LIMIT,
    can_edit_team,
    department_teams,
    direct_reports,
    manager_chain,
    team_ancestors,
    team_memberships,
    team_subteams,
    team_tree,
)
from tests.profiles.factories import (
    DepartmentFactory,
    ProfileFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def leave(profile):
    profile.user.is_active = False
    profile.user.save()


def chain(length):
    """Profiles where each manages the next: [top, ..., bottom]."""
    people = [ProfileFactory()]
    for _ in range(length - 1):
        people.append(ProfileFactory(line_manager=people[-1]))
    return people


def nested_teams(depth):
    """Teams each inside the one before: [top, ..., bottom]."""
    teams = [TeamFactory()]
    for _ in range(depth - 1):
        teams.append(TeamFactory(parent=teams[-1]))
    return teams


# team_ancestors


def test_ancestors_run_from_the_top_down_to_the_parent():
    teams = nested_teams(4)
    assert team_ancestors(teams[-1]) == teams[:-1]
    assert team_ancestors(teams[0]) == []


@pytest.mark.parametrize(("depth", "queries"), [(5, 2), (25, 4)])
def test_ancestors_cost_one_query_per_ten_levels(
    django_assert_num_queries, depth, queries
):
    teams = nested_teams(depth)
    with django_assert_num_queries(queries):
        assert team_ancestors(teams[-1]) == teams[:-1]


# team_subteams, department_teams, team_tree


def test_subteams_are_the_direct_children_by_name_with_current_member_counts():
    parent = TeamFactory()
    zebra = TeamFactory(parent=parent, name="Zebra")
    alpha = TeamFactory(parent=parent, name="Alpha")
    TeamFactory(parent=alpha, name="Grandchild")
    TeamMembershipFactory(team=alpha)
    leave(TeamMembershipFactory(team=alpha).profile)

    subteams = list(team_subteams(parent))

    assert subteams == [alpha, zebra]
    assert [team.member_count for team in subteams] == [1, 0]


def test_department_teams_lists_every_level_of_one_department():
    department = DepartmentFactory()
    top = TeamFactory(department=department, name="B top")
    child = TeamFactory(parent=top, name="A child")
    TeamFactory(name="Other department")

    assert list(department_teams(department)) == [child, top]


def test_tree_nests_a_department_in_one_query(django_assert_num_queries):
    department = DepartmentFactory()
    digital = TeamFactory(department=department, name="Digital")
    data = TeamFactory(parent=digital, name="Data")
    TeamFactory(parent=data, name="Modelling")
    TeamFactory(parent=digital, name="Architecture")
    TeamFactory(department=department, name="Commercial")
    TeamFactory(name="Elsewhere")
    TeamMembershipFactory(team=data)

    with django_assert_num_queries(1):
        roots = team_tree(department)

        def shape(nodes):
            return [(node.team.name, shape(node.children)) for node in nodes]

        assert shape(roots) == [
            ("Commercial", []),
            (
                "Digital",
                [("Architecture", []), ("Data", [("Modelling", [])])],
            ),
        ]
        assert roots[1].children[1].team.member_count == 1


def test_tree_of_a_department_without_teams_is_empty():
    assert team_tree(DepartmentFactory()) == []


# team_memberships


def test_memberships_list_current_staff_heads_first_then_by_surname():
    team = TeamFactory()
    brown = TeamMembershipFactory(team=team, profile__user__last_name="Brown")
    adams = TeamMembershipFactory(team=team, profile__user__last_name="Adams")
    head = TeamMembershipFactory(
        team=team, is_head=True, profile__user__last_name="Young"
    )
    leaver = TeamMembershipFactory(team=team, profile__user__last_name="Aaron")
    leave(leaver.profile)
    TeamMembershipFactory(profile__user__last_name="Other team")

    assert list(team_memberships(team)) == [head, adams, brown]


@pytest.mark.parametrize("size", [5, 60])
def test_memberships_cost_one_query_whatever_the_team_size(
    django_assert_num_queries, size
):
    team = TeamFactory()
    for _ in range(size):
        TeamMembershipFactory(team=team)

    with django_assert_num_queries(1):
        rows = [
            (m.profile.display_name, m.profile.grade, m.job_title)
            for m in team_memberships(team)
        ]
    assert len(rows) == size


# manager_chain


def test_manager_chain_runs_from_the_line_manager_to_the_top():
    top, middle, bottom = chain(3)
    assert manager_chain(bottom) == [middle, top]
    assert manager_chain(top) == []


def test_manager_chain_skips_leavers_but_keeps_walking():
    top, middle, bottom = chain(3)
    leave(middle)

    assert manager_chain(bottom) == [top]


def test_manager_chain_stops_at_a_loop_in_the_data():
    a, b, c = chain(3)
    Profile.objects.filter(pk=a.pk).update(line_manager=c)

    assert manager_chain(c) == [b, a]


def test_manager_chain_is_capped():
    people = chain(MANAGER_CHAIN_LIMIT + 10)

    found = manager_chain(people[-1])

    assert len(found) == MANAGER_CHAIN_LIMIT
    assert found[0] == people[-2]


@pytest.mark.parametrize("length", [5, 60])
def test_manager_chain_costs_a_bounded_number_of_queries(
    django_assert_max_num_queries, length
):
    people = chain(length)

    # Three walks of ten levels reach the cap; one more query fetches the people.
    with django_assert_max_num_queries(4):
        names = [manager.display_name for manager in manager_chain(people[-1])]
    assert len(names) == min(length - 1, MANAGER_CHAIN_LIMIT)


# direct_reports


def test_direct_reports_are_current_staff_by_surname():
    manager = ProfileFactory()
    young = ProfileFactory(line_manager=manager, user__last_name="Young")
    adams = ProfileFactory(line_manager=manager, user__last_name="Adams")
    leave(ProfileFactory(line_manager=manager, user__last_name="Aaron"))
    ProfileFactory(line_manager=young, user__last_name="Skip level")

    assert list(direct_reports(manager)) == [adams, young]


@pytest.mark.parametrize("size", [5, 60])
def test_direct_reports_cost_one_query(django_assert_num_queries, size):
    manager = ProfileFactory()
    for _ in range(size):
        ProfileFactory(line_manager=manager)

    with django_assert_num_queries(1):
        rows = [
            (p.display_name, p.grade, p.department.name)
            for p in direct_reports(manager)
        ]
    assert len(rows) == size


# can_edit_team


def test_it_admins_and_heads_up_the_tree_may_edit_a_team():
    top, middle, bottom = nested_teams(3)
    head_of_top = TeamMembershipFactory(team=top, is_head=True).profile.user
    head_of_bottom = TeamMembershipFactory(team=bottom, is_head=True).profile.user

    assert can_edit_team(UserFactory(it_admin=True), middle)
    assert can_edit_team(head_of_top, middle)
    assert can_edit_team(head_of_top, bottom)
    assert not can_edit_team(head_of_bottom, middle)
    assert not can_edit_team(TeamMembershipFactory(team=middle).profile.user, middle)
    assert not can_edit_team(UserFactory(), middle)


def test_a_head_who_left_may_not_edit_their_team():
    team = TeamFactory()
    head = TeamMembershipFactory(team=team, is_head=True).profile
    leave(head)

    assert not can_edit_team(head.user, team)


def test_anonymous_may_not_edit_a_team():
    assert not can_edit_team(AnonymousUser(), TeamFactory())
