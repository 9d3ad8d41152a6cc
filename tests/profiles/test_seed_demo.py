"""`manage.py seed_demo` against a real database."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F

from intranet.audit import audit_verify
from intranet.models import AuditEvent
from profiles.demo.loader import ALREADY_SEEDED, NOT_EMPTY
from profiles.demo.logins import DEMO_ADMIN_USERNAME, DEMO_PASSWORD, DEMO_USERNAME
from profiles.models import Department, Grade, Profession, Profile, Team, User

pytestmark = pytest.mark.django_db

PEOPLE = 200
LOGINS = 2


@pytest.fixture(autouse=True)
def demo_settings(settings):
    # pytest-django runs tests with DEBUG off, which the command treats as
    # production; and the demo logins' hash need not be slow here.
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed(**options) -> str:
    out = StringIO()
    options.setdefault("people", PEOPLE)
    call_command("seed_demo", stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def snapshot() -> dict[str, list[tuple]]:
    """Everything seeded, by natural keys: ids differ between databases."""
    people = Profile.objects.values_list(
        "user__username",
        "user__first_name",
        "user__last_name",
        "user__email",
        "user__date_joined",
        "department__acronym",
        "team__slug",
        "grade__code",
        "job_title",
        "line_manager__user__username",
    )
    professions = Profile.professions.through.objects.values_list(
        "profile__user__username", "profession__name"
    )
    teams = Team.objects.values_list("department__acronym", "slug", "parent__slug")
    return {
        "people": sorted(people),
        "professions": sorted(professions),
        "teams": sorted(teams, key=str),
    }


def counts() -> dict[str, int]:
    models = (User, Profile, Department, Team, Grade, Profession)
    return {model.__name__: model.objects.count() for model in models}


def seeded_then_rolled_back(**options) -> dict[str, list[tuple]]:
    """Seed an empty database, snapshot it, and leave it empty again."""
    with transaction.atomic():
        seed(**options)
        rows = snapshot()
        transaction.set_rollback(True)
    assert counts()["Profile"] == 0
    return rows


def test_same_seed_gives_the_same_organisation():
    first = seeded_then_rolled_back(seed=11)
    second = seeded_then_rolled_back(seed=11)
    assert first == second
    assert len({row[0] for row in first["people"]}) == PEOPLE + LOGINS


def test_another_seed_gives_other_people():
    first = {row[:3] for row in seeded_then_rolled_back(seed=11)["people"]}
    other = {row[:3] for row in seeded_then_rolled_back(seed=12)["people"]}
    assert len(first & other) < PEOPLE / 2


def test_second_run_changes_nothing():
    seed()
    before, numbers = snapshot(), counts()

    output = seed(people=PEOPLE * 2, seed=99)

    assert output.strip() == ALREADY_SEEDED
    assert counts() == numbers
    assert snapshot() == before


def test_a_real_organisation_is_left_alone():
    Department.objects.create(
        name="Office of the Advocate General",
        acronym="OAG",
        slug="oag",
        kind=Department.Kind.MINISTERIAL,
    )
    assert seed().strip() == NOT_EMPTY
    assert counts()["User"] == 0


def test_existing_usernames_are_not_reused():
    first_person = seeded_then_rolled_back()["people"][0][0]
    existing = User.objects.create_user(first_person)
    seed()
    assert Profile.objects.count() == PEOPLE + LOGINS
    assert not Profile.objects.filter(user=existing).exists()
    assert Profile.objects.filter(user__username=f"{first_person}2").exists()


def test_people_count_is_honoured():
    seed(people=57)
    assert Profile.objects.count() == 57 + LOGINS
    assert User.objects.count() == 57 + LOGINS


def test_about_twenty_departments_and_agencies_report_to_a_department():
    seed()
    assert 18 <= Department.objects.count() <= 26
    for department in Department.objects.select_related("parent"):
        if department.kind in (Department.Kind.AGENCY, Department.Kind.PUBLIC_BODY):
            assert department.parent is not None, department
            assert department.parent.parent is None
        else:
            assert department.parent is None, department


def test_grades_run_from_administrative_assistant_to_permanent_secretary():
    seed()
    grades = list(Grade.objects.order_by("rank").values_list("rank", "code", "name"))
    assert [rank for rank, _, _ in grades] == list(range(1, 13))
    assert [code for _, code, _ in grades][:7] == [
        "AA",
        "AO",
        "EO",
        "HEO",
        "SEO",
        "G7",
        "G6",
    ]
    assert grades[0][2] == "Administrative Assistant"
    assert grades[-1][2] == "Permanent Secretary"


def test_the_civil_service_professions():
    seed()
    assert Profession.objects.count() == 28
    assert Profession.objects.filter(name="Digital, Data and Technology").exists()
    assert all(
        1 <= profile.professions.count() <= 2 for profile in Profile.objects.all()
    )


def test_teams_belong_to_their_department():
    seed()
    for team in Team.objects.select_related("parent"):
        if team.parent is not None:
            assert team.parent.department_id == team.department_id
    assert not Profile.objects.exclude(team__department=F("department")).exists()


def test_managers_are_more_senior_and_in_the_same_department():
    seed()
    profiles = Profile.objects.select_related("grade", "line_manager__grade").filter(
        line_manager__isnull=False
    )
    assert profiles.count() > PEOPLE / 2
    for profile in profiles:
        assert profile.line_manager.grade.rank > profile.grade.rank
        assert profile.line_manager.department_id == profile.department_id


def test_management_has_no_cycles_and_one_head_per_department():
    seed()
    manager_of = dict(Profile.objects.values_list("id", "line_manager_id"))
    for start in manager_of:
        seen = {start}
        current = manager_of[start]
        while current is not None:
            assert current not in seen, "a management cycle"
            seen.add(current)
            current = manager_of[current]
    heads = Profile.objects.filter(line_manager__isnull=True)
    assert heads.count() == Department.objects.count()
    assert heads.values("department").distinct().count() == heads.count()


def test_demo_user_signs_in_and_reaches_the_home_page(client):
    seed()
    assert client.login(username=DEMO_USERNAME, password=DEMO_PASSWORD)
    assert client.get("/").status_code == 200

    demo = User.objects.select_related("profile__department", "profile__grade").get(
        username=DEMO_USERNAME
    )
    assert not demo.is_staff and not demo.is_superuser
    assert demo.profile.department.acronym == "CO"
    assert demo.profile.grade.code == "G7"
    assert demo.profile.line_manager is not None


def test_demo_admin_reaches_the_admin_site(client):
    seed()
    assert client.login(username=DEMO_ADMIN_USERNAME, password=DEMO_PASSWORD)
    assert client.get("/admin/").status_code == 200


def test_invented_staff_cannot_sign_in():
    seed()
    staff = User.objects.exclude(username__in=[DEMO_USERNAME, DEMO_ADMIN_USERNAME])
    assert not any(user.has_usable_password() for user in staff[:50])


def test_new_sign_ins_are_on_the_audit_record():
    seed(seed=11)
    event = AuditEvent.objects.get(action="demo.seed")
    assert event.actor is None
    assert event.details["seed"] == 11
    assert {
        "username": DEMO_ADMIN_USERNAME,
        "is_staff": True,
        "is_superuser": True,
    } in (event.details["logins"])
    assert list(audit_verify()) == []
    seed()
    assert AuditEvent.objects.count() == 1


def test_output_gives_counts_and_sign_ins():
    output = seed()
    assert f"Seeded {PEOPLE + LOGINS} people in" in output
    assert f"{DEMO_USERNAME} / {DEMO_PASSWORD}" in output
    assert f"{DEMO_ADMIN_USERNAME} / {DEMO_PASSWORD}" in output


def test_quiet_at_verbosity_zero():
    assert seed(verbosity=0) == ""
    assert seed(verbosity=0) == ""


def test_refuses_production_mode(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="production mode"):
        seed()
    assert counts()["User"] == 0


def test_production_mode_when_allowed(settings):
    settings.DEBUG = False
    seed(people=10, allow_production=True)
    assert Profile.objects.count() == 10 + LOGINS


def test_small_batches_give_the_same_organisation():
    assert seeded_then_rolled_back(batch_size=7) == seeded_then_rolled_back()
