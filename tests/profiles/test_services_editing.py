import pytest

from intranet.models import AuditEvent, Notification
from profiles.errors import ProfileError
from profiles.models import Grade, Profile, Skill, TeamMembership, Visibility
from profiles.services.editing import profile_create, profile_update
from tests.profiles.factories import (
    DepartmentFactory,
    GradeFactory,
    LocationFactory,
    ProfessionFactory,
    ProfileFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager():
    return ProfileFactory(job_title="Deputy director")


@pytest.fixture
def owner(manager):
    return ProfileFactory(line_manager=manager, department=manager.department)


@pytest.fixture
def admin():
    return UserFactory(it_admin=True, first_name="Ada", last_name="Admin")


def update(actor, profile, **changes):
    return profile_update(actor=actor, profile=profile, changes=changes)


def events():
    return AuditEvent.objects.filter(action="profile.update")


def refused(actor, profile, field, **changes) -> ProfileError:
    """Assert the change is refused, naming `field`, and saves nothing at all."""
    before = Profile.objects.get(pk=profile.pk)
    memberships = list(TeamMembership.objects.values_list("pk", "job_title"))
    skills = Skill.objects.count()
    with pytest.raises(ProfileError) as caught:
        update(actor, profile, **changes)
    assert caught.value.field == field
    after = Profile.objects.get(pk=profile.pk)
    assert [getattr(after, f.attname) for f in Profile._meta.concrete_fields] == [
        getattr(before, f.attname) for f in Profile._meta.concrete_fields
    ]
    assert list(TeamMembership.objects.values_list("pk", "job_title")) == memberships
    assert Skill.objects.count() == skills
    assert not events().exists()
    assert not Notification.objects.exists()
    return caught.value


class TestWhoMayChangeWhat:
    def test_the_owner_changes_their_own_details(self, owner):
        update(owner.user, owner, preferred_name="Sam", pronouns="they/them")
        owner.refresh_from_db()
        assert (owner.preferred_name, owner.pronouns) == ("Sam", "they/them")

    def test_the_owner_cannot_move_themselves_to_another_department(self, owner):
        refused(owner.user, owner, "department", department=DepartmentFactory())

    def test_a_forged_field_saves_none_of_the_valid_fields_beside_it(self, owner):
        error = refused(
            owner.user,
            owner,
            "department",
            job_title="Head of policy",
            key_skills=["Brand new skill"],
            department=DepartmentFactory(),
        )
        assert "department" in error.message

    def test_the_line_manager_changes_job_title_and_manager_and_asks_for_teams(
        self, owner, manager
    ):
        team = TeamFactory(department=owner.department)
        new_manager = ProfileFactory()
        updated = update(
            manager.user,
            owner,
            job_title="Senior policy adviser",
            teams=[{"team": team, "job_title": "Adviser", "is_head": False}],
            line_manager=new_manager,
        )
        owner.refresh_from_db()
        assert owner.job_title == "Senior policy adviser"
        assert owner.line_manager == new_manager
        # The owner chooses their own line manager, so a line manager's word alone
        # does not put anyone in a team: it waits for the team's head.
        assert not owner.teams.exists()
        [asked] = updated.team_requests
        assert (asked.team, asked.job_title, asked.requested_by) == (
            team,
            "Adviser",
            manager.user,
        )

    @pytest.mark.parametrize(
        "changes",
        [{"phone_work": "020 7946 0999"}, {"bio": "Rewritten"}, {"grade": None}],
    )
    def test_the_line_manager_cannot_change_anything_else(
        self, owner, manager, changes
    ):
        (field,) = changes
        refused(manager.user, owner, field, job_title="Changed", **changes)

    def test_a_colleague_changes_nothing(self, owner):
        colleague = ProfileFactory(department=owner.department)
        refused(colleague.user, owner, "job_title", job_title="Pretender")

    def test_an_it_admin_changes_department_and_grade(self, owner, admin):
        department = DepartmentFactory()
        grade = GradeFactory(code="G7")
        update(admin, owner, department=department, grade=grade)
        owner.refresh_from_db()
        assert (owner.department, owner.grade) == (department, grade)

    @pytest.mark.parametrize("field", ["user", "confirmed_at", "created_at", "id"])
    def test_fields_that_are_not_editable_are_refused_even_for_it_admins(
        self, owner, admin, field
    ):
        refused(admin, owner, field, **{field: None})

    def test_the_photo_has_its_own_service(self, owner):
        error = refused(owner.user, owner, "photo", photo="evil.jpg")
        assert "cannot be changed here" in error.message


class TestBadInput:
    @pytest.mark.parametrize(
        ("field", "limit"),
        [
            ("job_title", 200),
            ("preferred_name", 100),
            ("pronouns", 40),
            ("phone_work", 30),
            ("ask_me_about", 500),
            ("bio", 5000),
        ],
    )
    def test_over_long_text_is_refused_next_to_its_field(self, owner, field, limit):
        error = refused(owner.user, owner, field, **{field: "x" * (limit + 1)})
        assert f"{limit:,} characters or fewer" in error.message

    def test_text_at_the_limit_is_accepted(self, owner):
        update(owner.user, owner, bio="x" * 5000)
        owner.refresh_from_db()
        assert len(owner.bio) == 5000

    @pytest.mark.parametrize(
        "grade", [999_999, "G7", "", object(), Grade(code="X", name="X", rank=99)]
    )
    def test_an_unknown_grade_is_refused(self, owner, admin, grade):
        error = refused(admin, owner, "grade", grade=grade)
        assert error.message == "Select a grade"

    def test_a_grade_may_be_given_by_its_key(self, owner):
        grade = GradeFactory()
        update(owner.user, owner, grade=grade.pk)
        owner.refresh_from_db()
        assert owner.grade == grade

    @pytest.mark.parametrize("department", [None, 999_999, "HMRC"])
    def test_an_unknown_or_missing_department_is_refused(
        self, owner, admin, department
    ):
        refused(admin, owner, "department", department=department)

    def test_an_unknown_location_is_refused(self, owner):
        refused(owner.user, owner, "location", location=999_999)

    def test_an_unknown_visibility_is_refused(self, owner):
        refused(owner.user, owner, "phone_visibility", phone_visibility="friends")

    def test_text_must_be_text(self, owner):
        refused(owner.user, owner, "job_title", job_title=["a", "list"])

    def test_an_over_long_skill_creates_no_skill_at_all(self, owner):
        error = refused(
            owner.user,
            owner,
            "other_skills",
            key_skills=["Brand new"],
            other_skills=["x" * 101],
        )
        assert "100 characters or fewer" in error.message

    def test_too_many_skills_are_refused(self, owner):
        refused(
            owner.user, owner, "key_skills", key_skills=[f"s{n}" for n in range(31)]
        )

    def test_skills_must_be_a_list_of_names(self, owner):
        refused(owner.user, owner, "key_skills", key_skills="Python, Django")
        refused(owner.user, owner, "key_skills", key_skills=[1, 2])

    def test_unknown_professions_are_refused(self, owner):
        refused(
            owner.user,
            owner,
            "professions",
            professions=[ProfessionFactory(), 999_999],
        )

    @pytest.mark.parametrize("days", [["mon", "funday"], "mon", [["mon"]]])
    def test_unknown_working_days_are_refused(self, owner, days):
        refused(owner.user, owner, "working_days", working_days=days)

    def test_an_over_long_language_is_refused(self, owner):
        error = refused(owner.user, owner, "languages", languages=["W" * 51])
        assert error.message == "Each language must be 50 characters or fewer"

    def test_a_team_listed_twice_is_refused(self, owner):
        team = TeamFactory()
        refused(
            owner.user,
            owner,
            "teams",
            teams=[{"team": team}, {"team": team.pk, "job_title": "Again"}],
        )

    @pytest.mark.parametrize(
        "membership",
        [{"team": 999_999}, {"job_title": "No team"}, "Team 1", {"team": "x"}],
    )
    def test_an_unknown_team_is_refused(self, owner, membership):
        refused(owner.user, owner, "teams", teams=[membership])

    def test_an_over_long_team_job_title_is_refused(self, owner):
        team = TeamFactory(name="Digital")
        error = refused(
            owner.user, owner, "teams", teams=[{"team": team, "job_title": "x" * 201}]
        )
        assert (
            error.message == "The job title in Digital must be 200 characters or fewer"
        )


class TestLineManagerLoops:
    def test_a_loop_is_refused(self, owner, manager):
        error = refused(manager.user, manager, "line_manager", line_manager=owner)
        assert "reports to" in error.message

    def test_a_loop_several_levels_deep_is_refused(self, owner, manager):
        report = ProfileFactory(line_manager=owner)
        refused(manager.user, manager, "line_manager", line_manager=report.pk)

    def test_managing_yourself_is_refused(self, owner):
        refused(owner.user, owner, "line_manager", line_manager=owner)

    def test_a_leaver_cannot_become_a_manager(self, owner):
        leaver = ProfileFactory(user=UserFactory(is_active=False))
        refused(owner.user, owner, "line_manager", line_manager=leaver)

    def test_a_manager_who_has_since_left_does_not_block_other_edits(
        self, owner, manager
    ):
        manager.user.is_active = False
        manager.user.save()
        update(owner.user, owner, job_title="Still here", line_manager=manager)
        owner.refresh_from_db()
        assert owner.job_title == "Still here"

    def test_the_manager_can_be_removed(self, owner):
        update(owner.user, owner, line_manager=None)
        owner.refresh_from_db()
        assert owner.line_manager is None


class TestRelations:
    def test_skills_are_stored_as_normalised_tags(self, owner):
        update(
            owner.user,
            owner,
            key_skills=["Data  Analysis", "data analyses", " "],
            learning_interests=["Welsh"],
        )
        assert [s.name for s in owner.key_skills.all()] == ["Data Analysis"]
        assert [s.name for s in owner.learning_interests.all()] == ["Welsh"]

    def test_memberships_are_added_changed_and_removed(self, owner, admin):
        kept, dropped, added = TeamFactory(), TeamFactory(), TeamFactory()
        TeamMembershipFactory(profile=owner, team=kept, job_title="Analyst")
        TeamMembershipFactory(profile=owner, team=dropped)
        kept_pk = TeamMembership.objects.get(team=kept).pk

        update(
            admin,
            owner,
            teams=[
                {"team": kept, "job_title": " Lead analyst ", "is_head": True},
                {"team": added.pk},
            ],
        )

        memberships = {m.team: m for m in owner.memberships.all()}
        assert set(memberships) == {kept, added}
        assert memberships[kept].pk == kept_pk
        assert (memberships[kept].job_title, memberships[kept].is_head) == (
            "Lead analyst",
            True,
        )
        assert (memberships[added].job_title, memberships[added].is_head) == ("", False)

    def test_languages_and_days_are_tidied(self, owner):
        update(
            owner.user,
            owner,
            languages=["Welsh", " welsh ", "", "British Sign Language"],
            working_days=["fri", "mon", "mon"],
        )
        owner.refresh_from_db()
        assert owner.languages == ["Welsh", "British Sign Language"]
        assert owner.working_days == ["mon", "fri"]

    def test_professions_by_instance_or_key(self, owner):
        policy, digital = ProfessionFactory(), ProfessionFactory()
        update(owner.user, owner, professions=[policy, digital.pk])
        assert set(owner.professions.all()) == {policy, digital}


class TestRecord:
    def test_one_event_per_call_with_a_field_by_field_diff(self, owner, admin):
        team = TeamFactory(name="Strategy")
        profile_update(
            actor=admin,
            profile=owner,
            changes={
                "job_title": "Head of strategy",
                "teams": [{"team": team, "job_title": "Head", "is_head": True}],
            },
            ip_address="10.0.0.7",
        )

        (event,) = events()
        assert event.actor == admin
        assert event.target_type == "profiles.profile"
        assert event.target_id == str(owner.pk)
        assert event.ip_address == "10.0.0.7"
        assert event.details == {
            "changes": {
                "job_title": {"before": "Policy adviser", "after": "Head of strategy"},
                "teams": {
                    "before": [],
                    "after": [
                        {
                            "id": team.pk,
                            "name": "Strategy",
                            "job_title": "Head",
                            "is_head": True,
                        }
                    ],
                },
            }
        }

    def test_relations_are_recorded_by_id_and_name(self, owner, admin):
        grade = GradeFactory(code="SEO")
        location = LocationFactory(name="10 South Colonnade")
        update(admin, owner, grade=grade, location=location, key_skills=["Python"])

        changes = events().get().details["changes"]
        assert changes["grade"] == {
            "before": None,
            "after": {"id": grade.pk, "name": "SEO"},
        }
        # A field its owner may hide is recorded as changed, never by value: the
        # log is read by people the owner may have hidden it from.
        assert changes["location"] == {"changed": True}
        assert "10 South Colonnade" not in str(events().get().details)
        skill = Skill.objects.get(name="Python")
        assert changes["key_skills"] == {
            "before": [],
            "after": [{"id": skill.pk, "name": "Python"}],
        }

    def test_only_fields_that_really_changed_are_recorded(self, owner):
        update(
            owner.user,
            owner,
            job_title=" Policy adviser ",
            line_manager=owner.line_manager,
            pronouns="she/her",
        )
        assert set(events().get().details["changes"]) == {"pronouns"}

    def test_nothing_changed_means_no_event_and_no_notification(self, owner, admin):
        update(
            admin,
            owner,
            job_title="Policy adviser",
            key_skills=[],
            phone_visibility=Visibility.DEPARTMENT,
        )
        assert not events().exists()
        assert not Notification.objects.exists()

    def test_the_owner_is_not_notified_of_their_own_edit(self, owner):
        update(owner.user, owner, job_title="Analyst")
        assert not Notification.objects.exists()

    def test_the_owner_is_told_who_changed_which_fields_but_not_the_values(
        self, owner, admin
    ):
        update(
            admin,
            owner,
            job_title="Analyst",
            phone_mobile="07700 900123",
            phone_visibility=Visibility.NOBODY,
        )

        (notification,) = Notification.objects.all()
        assert notification.recipient == owner.user
        assert notification.kind == "profile.edited"
        assert notification.url == "/people/me/"
        assert notification.text == (
            "Ada Admin changed your profile: job title, mobile phone and who can see "
            "your phone numbers."
        )
        assert "900123" not in notification.text

    def test_the_updated_time_moves_when_only_relations_change(self, owner):
        before = owner.updated_at
        update(owner.user, owner, key_skills=["Welsh"])
        owner.refresh_from_db()
        assert owner.updated_at > before


class TestCreate:
    def test_an_it_admin_onboards_a_new_starter(self, admin, manager):
        user = UserFactory()
        department = DepartmentFactory()

        profile = profile_create(
            actor=admin,
            user=user,
            department=department,
            job_title="Analyst",
            line_manager=manager,
        )

        assert profile.user == user
        assert profile.department == department
        assert profile.line_manager == manager
        event = AuditEvent.objects.get(action="profile.create")
        assert event.details["changes"]["department"] == {
            "before": None,
            "after": {"id": department.pk, "name": department.name},
        }
        assert event.details["changes"]["job_title"]["after"] == "Analyst"
        assert not Notification.objects.exists()

    def test_only_it_admins_create_profiles(self, owner):
        with pytest.raises(ProfileError):
            profile_create(
                actor=owner.user, user=UserFactory(), department=owner.department
            )
        assert not AuditEvent.objects.exists()

    def test_a_second_profile_is_refused(self, admin, owner):
        with pytest.raises(ProfileError) as caught:
            profile_create(actor=admin, user=owner.user, department=owner.department)
        assert caught.value.field == "user"

    def test_a_bad_field_creates_nothing(self, admin):
        user = UserFactory()
        with pytest.raises(ProfileError) as caught:
            profile_create(
                actor=admin,
                user=user,
                department=DepartmentFactory(),
                job_title="x" * 201,
            )
        assert caught.value.field == "job_title"
        assert not Profile.objects.filter(user=user).exists()
        assert not AuditEvent.objects.exists()
