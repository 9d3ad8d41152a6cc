"""Changing the team tree, and the line-management rules."""

import pytest

from intranet.models import AuditEvent
from profiles.errors import ProfileError
from profiles.models import Profile, Team
from profiles.services.org import (
    check_manager_chain,
    team_create,
    team_move,
    team_update,
)
from tests.profiles.factories import (
    DepartmentFactory,
    ProfileFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return UserFactory(it_admin=True)


@pytest.fixture
def department():
    return DepartmentFactory(acronym="DWP", name="Department for Work and Pensions")


def head_of(team):
    """The user heading `team`."""
    return TeamMembershipFactory(
        team=team, is_head=True, profile__department=team.department
    ).profile.user


def tree(department):
    """{team name: parent name} for the department, to compare whole trees."""
    return {
        team.name: team.parent.name if team.parent else None
        for team in Team.objects.filter(department=department).select_related("parent")
    }


# team_create


def test_admin_creates_a_top_level_team_with_a_slug(admin, department):
    team = team_create(actor=admin, department=department, name="  Digital   Group ")

    assert team.name == "Digital Group"
    assert team.slug == "digital-group"
    assert team.parent is None
    assert team.department == department


def test_create_is_audited(admin, department):
    team = team_create(
        actor=admin, department=department, name="Digital", description="We build"
    )

    event = AuditEvent.objects.get(action="team.create")
    assert event.actor == admin
    assert event.target_id == str(team.pk)
    assert event.details["after"]["name"] == "Digital"
    assert event.details["after"]["department"] == department.pk


def test_slug_stays_unique_in_the_department(admin, department):
    parent = team_create(actor=admin, department=department, name="Digital")
    child = team_create(
        actor=admin, department=department, name="Digital", parent=parent
    )
    elsewhere = team_create(actor=admin, department=DepartmentFactory(), name="Digital")

    assert (parent.slug, child.slug, elsewhere.slug) == (
        "digital",
        "digital-2",
        "digital",
    )


def test_a_name_slugify_cannot_spell_still_gets_a_slug(admin, department):
    assert team_create(actor=admin, department=department, name="数字").slug == "team"


def test_head_of_a_team_may_add_a_sub_team(department):
    parent = TeamFactory(department=department)

    child = team_create(
        actor=head_of(parent), department=department, name="Data", parent=parent
    )

    assert child.parent == parent


def test_member_of_staff_may_not_create_teams(department):
    parent = TeamFactory(department=department)
    member = TeamMembershipFactory(team=parent).profile.user

    for actor, under in [(member, parent), (member, None), (head_of(parent), None)]:
        with pytest.raises(ProfileError):
            team_create(actor=actor, department=department, name="New", parent=under)
    assert Team.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "description", "field", "message"),
    [
        ("   ", "", "name", "Enter a team name"),
        ("x" * 201, "", "name", "Team name must be 200 characters or less"),
        ("Team", "x" * 2001, "description", "2,000 characters or less"),
    ],
)
def test_create_refuses_bad_input(admin, department, name, description, field, message):
    with pytest.raises(ProfileError) as refused:
        team_create(
            actor=admin, department=department, name=name, description=description
        )

    assert refused.value.field == field
    assert message in refused.value.message
    assert not Team.objects.exists()


def test_create_accepts_names_at_the_limit(admin, department):
    team = team_create(
        actor=admin, department=department, name="x" * 200, description="y" * 2000
    )
    assert len(team.slug) <= 120


def test_create_refuses_a_parent_in_another_department(admin, department):
    with pytest.raises(ProfileError) as refused:
        team_create(
            actor=admin, department=department, name="Data", parent=TeamFactory()
        )
    assert refused.value.field == "parent"


def test_create_refuses_a_sibling_of_the_same_name(admin, department):
    parent = TeamFactory(department=department)
    team_create(actor=admin, department=department, name="Data", parent=parent)

    with pytest.raises(ProfileError) as refused:
        team_create(actor=admin, department=department, name="DATA", parent=parent)

    assert refused.value.field == "name"
    # The same name elsewhere in the tree is fine.
    team_create(actor=admin, department=department, name="Data")


# team_update


def test_head_renames_and_describes_their_team_and_slug_is_kept(department):
    team = TeamFactory(department=department, name="Data", slug="data")
    head = head_of(team)

    team_update(actor=head, team=team, name="Data Science", description="We model")

    team.refresh_from_db()
    assert (team.name, team.description, team.slug) == (
        "Data Science",
        "We model",
        "data",
    )
    event = AuditEvent.objects.get(action="team.update")
    assert event.details == {
        "before": {"name": "Data", "description": ""},
        "after": {"name": "Data Science", "description": "We model"},
    }


def test_head_of_a_team_above_may_update_it(department):
    top = TeamFactory(department=department)
    bottom = TeamFactory(parent=TeamFactory(parent=top))

    team_update(actor=head_of(top), team=bottom, name="Renamed", description="")

    bottom.refresh_from_db()
    assert bottom.name == "Renamed"


def test_update_audits_only_what_changed(admin, department):
    team = TeamFactory(department=department, name="Data", description="Old")

    team_update(actor=admin, team=team, name="Data", description="New")

    event = AuditEvent.objects.get(action="team.update")
    assert event.details == {
        "before": {"description": "Old"},
        "after": {"description": "New"},
    }


def test_update_that_changes_nothing_records_nothing(admin, department):
    team = TeamFactory(department=department, name="Data", description="Same")

    team_update(actor=admin, team=team, name=" Data ", description="Same\n")

    assert not AuditEvent.objects.filter(action="team.update").exists()


@pytest.mark.parametrize("role", ["member", "head of a sub-team", "head elsewhere"])
def test_others_may_not_update_a_team(department, role):
    team = TeamFactory(department=department, name="Data")
    actor = {
        "member": lambda: TeamMembershipFactory(team=team).profile.user,
        "head of a sub-team": lambda: head_of(TeamFactory(parent=team)),
        "head elsewhere": lambda: head_of(TeamFactory()),
    }[role]()

    with pytest.raises(ProfileError):
        team_update(actor=actor, team=team, name="Hijacked", description="")

    team.refresh_from_db()
    assert team.name == "Data"


def test_former_head_who_left_may_not_update(department):
    team = TeamFactory(department=department, name="Data")
    head = head_of(team)
    head.is_active = False
    head.save()

    with pytest.raises(ProfileError):
        team_update(actor=head, team=team, name="Hijacked", description="")


def test_update_refuses_a_sibling_name(admin, department):
    parent = TeamFactory(department=department)
    TeamFactory(parent=parent, name="Data")
    team = TeamFactory(parent=parent, name="Analysis")

    with pytest.raises(ProfileError) as refused:
        team_update(actor=admin, team=team, name="data", description="")

    assert refused.value.field == "name"


# team_move


@pytest.fixture
def directorate(department):
    """Digital > (Data > Analysis > Modelling, Platforms) and a separate Finance."""
    digital = TeamFactory(department=department, name="Digital")
    data = TeamFactory(parent=digital, name="Data")
    analysis = TeamFactory(parent=data, name="Analysis")
    modelling = TeamFactory(parent=analysis, name="Modelling")
    platforms = TeamFactory(parent=digital, name="Platforms")
    finance = TeamFactory(department=department, name="Finance")
    return {
        team.name: team
        for team in (digital, data, analysis, modelling, platforms, finance)
    }


def test_move_takes_the_subtree_along(admin, department, directorate):
    team_move(actor=admin, team=directorate["Data"], new_parent=directorate["Finance"])

    assert tree(department) == {
        "Digital": None,
        "Data": "Finance",
        "Analysis": "Data",
        "Modelling": "Analysis",
        "Platforms": "Digital",
        "Finance": None,
    }


def test_move_to_the_top(admin, department, directorate):
    team_move(actor=admin, team=directorate["Analysis"], new_parent=None)

    assert tree(department)["Analysis"] is None
    assert tree(department)["Modelling"] == "Analysis"


@pytest.mark.parametrize("under", ["Data", "Analysis", "Modelling"])
def test_move_under_itself_or_a_descendant_is_refused(
    admin, department, directorate, under
):
    before = tree(department)

    with pytest.raises(ProfileError) as refused:
        team_move(actor=admin, team=directorate["Data"], new_parent=directorate[under])

    assert refused.value.field == "parent"
    assert "under" in refused.value.message
    assert tree(department) == before
    assert not AuditEvent.objects.filter(action="team.move").exists()


def test_sub_team_message_names_the_rule(admin, directorate):
    with pytest.raises(ProfileError) as refused:
        team_move(
            actor=admin,
            team=directorate["Digital"],
            new_parent=directorate["Modelling"],
        )
    assert refused.value.message == (
        "A team cannot be moved under one of its own sub-teams"
    )


def test_move_checks_the_tree_as_stored_not_as_the_caller_loaded_it(admin, directorate):
    # The caller's copy of Modelling predates someone else's move of it under
    # Platforms; Data is no longer above it, so the move is fine.
    stale = directorate["Modelling"]
    Team.objects.filter(pk=stale.pk).update(parent=directorate["Platforms"])

    team_move(actor=admin, team=directorate["Data"], new_parent=stale)

    assert Team.objects.get(pk=directorate["Data"].pk).parent_id == stale.pk


def test_move_is_audited_with_before_and_after(admin, department, directorate):
    data, finance = directorate["Data"], directorate["Finance"]

    team_move(actor=admin, team=data, new_parent=finance)

    event = AuditEvent.objects.get(action="team.move")
    assert event.actor == admin
    assert event.target_id == str(data.pk)
    assert event.details["before"]["parent"] == directorate["Digital"].pk
    assert event.details["after"]["parent"] == finance.pk
    assert event.details["after"]["department"] == department.pk


def test_move_to_where_it_already_is_records_nothing(admin, directorate):
    team_move(actor=admin, team=directorate["Data"], new_parent=directorate["Digital"])
    assert not AuditEvent.objects.filter(action="team.move").exists()


def test_move_under_a_parent_in_another_department_needs_that_department(
    admin, directorate
):
    elsewhere = TeamFactory(name="Digital")

    with pytest.raises(ProfileError) as refused:
        team_move(actor=admin, team=directorate["Data"], new_parent=elsewhere)

    assert refused.value.field == "parent"
    assert Team.objects.get(pk=directorate["Data"].pk).parent == directorate["Digital"]


def test_move_refuses_a_department_that_is_not_the_parents(admin, directorate):
    elsewhere = TeamFactory()

    with pytest.raises(ProfileError) as refused:
        team_move(
            actor=admin,
            team=directorate["Data"],
            new_parent=elsewhere,
            department=DepartmentFactory(),
        )

    assert refused.value.field == "parent"


def test_move_to_another_department_moves_the_whole_subtree(
    admin, department, directorate
):
    hmrc = DepartmentFactory(acronym="HMRC")
    host = TeamFactory(department=hmrc, name="Host")
    data = directorate["Data"]
    TeamMembershipFactory(team=directorate["Modelling"])

    team_move(actor=admin, team=data, new_parent=host, department=hmrc)

    assert tree(hmrc) == {
        "Host": None,
        "Data": "Host",
        "Analysis": "Data",
        "Modelling": "Analysis",
    }
    assert tree(department) == {
        "Digital": None,
        "Platforms": "Digital",
        "Finance": None,
    }
    assert directorate["Modelling"].memberships.count() == 1


def test_move_to_the_top_of_another_department(admin, directorate):
    hmrc = DepartmentFactory()

    team_move(
        actor=admin, team=directorate["Analysis"], new_parent=None, department=hmrc
    )

    assert tree(hmrc) == {"Analysis": None, "Modelling": "Analysis"}


def test_move_to_another_department_renames_slugs_that_are_taken(admin, directorate):
    hmrc = DepartmentFactory()
    TeamFactory(department=hmrc, name="Analysis", slug="analysis")
    TeamFactory(department=hmrc, name="Modelling", slug="modelling")
    TeamFactory(department=hmrc, name="Modelling 2", slug="modelling-2")
    analysis, modelling = directorate["Analysis"], directorate["Modelling"]

    team_move(actor=admin, team=analysis, new_parent=None, department=hmrc)

    moved = dict(
        Team.objects.filter(pk__in=[analysis.pk, modelling.pk]).values_list(
            "name", "slug"
        )
    )
    assert moved == {"Analysis": "analysis-2", "Modelling": "modelling-3"}
    event = AuditEvent.objects.get(action="team.move")
    assert event.details["new_slugs"] == {
        str(analysis.pk): "analysis-2",
        str(modelling.pk): "modelling-3",
    }


def test_only_it_admins_move_teams(directorate):
    with pytest.raises(ProfileError):
        team_move(
            actor=head_of(directorate["Digital"]),
            team=directorate["Data"],
            new_parent=directorate["Platforms"],
        )
    assert Team.objects.get(pk=directorate["Data"].pk).parent == directorate["Digital"]


# check_manager_chain


def chain(length):
    """Profiles where each manages the next: [top, ..., bottom]."""
    people = [ProfileFactory()]
    for _ in range(length - 1):
        people.append(ProfileFactory(line_manager=people[-1]))
    return people


def test_no_manager_and_a_manager_above_are_fine():
    top, middle, bottom = chain(3)
    check_manager_chain(profile=bottom, manager=None)
    check_manager_chain(profile=bottom, manager=top)
    check_manager_chain(profile=ProfileFactory(), manager=bottom)


def test_self_management_is_refused():
    person = ProfileFactory()
    with pytest.raises(ProfileError) as refused:
        check_manager_chain(profile=person, manager=person)
    assert refused.value.field == "line_manager"


@pytest.mark.parametrize("depth", [2, 3, 12, 25])
def test_a_loop_at_any_depth_is_refused(depth):
    people = chain(depth)
    top, bottom = people[0], people[-1]

    with pytest.raises(ProfileError) as refused:
        check_manager_chain(profile=top, manager=bottom)

    assert refused.value.field == "line_manager"
    assert bottom.display_name in refused.value.message


def test_a_loop_through_a_leaver_is_still_a_loop():
    top, middle, bottom = chain(3)
    middle.user.is_active = False
    middle.user.save()

    with pytest.raises(ProfileError):
        check_manager_chain(profile=top, manager=bottom)


def test_a_leaver_cannot_be_a_line_manager():
    leaver = ProfileFactory(user__is_active=False)
    with pytest.raises(ProfileError) as refused:
        check_manager_chain(profile=ProfileFactory(), manager=leaver)
    assert refused.value.field == "line_manager"
    assert "has left" in refused.value.message


def test_a_loop_already_in_the_data_does_not_hang_the_check():
    a, b = chain(2)
    a.line_manager = b
    a.save()

    check_manager_chain(profile=ProfileFactory(), manager=b)


def test_a_new_profile_can_take_any_current_manager():
    manager = ProfileFactory()
    new = ProfileFactory.build(department=manager.department)
    check_manager_chain(profile=new, manager=manager)


def test_the_check_costs_one_query_per_ten_levels(django_assert_num_queries):
    people = chain(25)
    newcomer = ProfileFactory()
    manager = Profile.objects.select_related("user").get(pk=people[-1].pk)

    with django_assert_num_queries(3):  # 24 managers above: 10, 10, then 4
        check_manager_chain(profile=newcomer, manager=manager)
