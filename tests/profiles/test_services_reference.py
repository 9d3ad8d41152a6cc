"""The organisation's lists (departments, grades, professions, locations): only IT
admins change them, every change is audited, and search follows a rename."""

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command

from intranet.models import AuditEvent
from profiles.errors import ProfileError
from profiles.models import Department, Grade, Location, Profile
from profiles.services.reference import reference_save
from search.models import OutboxEntry
from search.selectors import search
from search.writer import drain_all
from tests.profiles.factories import (
    DepartmentFactory,
    GradeFactory,
    LocationFactory,
    ProfessionFactory,
    ProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def it_admin():
    return UserFactory(it_admin=True)


def queued(model) -> set[int]:
    return {
        int(pk)
        for pk in OutboxEntry.objects.filter(
            content_type__app_label=model._meta.app_label,
            content_type__model=model._meta.model_name,
        ).values_list("object_id", flat=True)
    }


def found(viewer, query: str) -> set[str]:
    return {result.object.user.username for result in search(user=viewer, query=query)}


def test_a_renamed_department_is_found_by_its_new_name(it_admin):
    department = DepartmentFactory(name="Department for Widgets", acronym="DFW")
    ProfileFactory(user__username="ada", department=department)
    viewer = ProfileFactory().user
    call_command("rebuild_index", interactive=False, verbosity=0)
    assert found(viewer, "Widgets") == {"ada"}

    department.name, department.acronym = "Department for Gadgets", "DFG"
    reference_save(
        actor=it_admin, instance=department, changed=["name", "acronym"], created=False
    )
    drain_all()

    assert found(viewer, "Gadgets") == {"ada"}
    assert found(viewer, "Widgets") == set()


@pytest.mark.parametrize(
    ("factory", "field"),
    [
        (DepartmentFactory, "department"),
        (GradeFactory, "grade"),
        (LocationFactory, "location"),
    ],
)
def test_a_change_queues_the_people_who_show_it(it_admin, factory, field):
    row = factory()
    shown = ProfileFactory(**{field: row})
    ProfileFactory()
    OutboxEntry.objects.all().delete()
    original = row.name

    row.name = f"{original} renamed"
    reference_save(actor=it_admin, instance=row, changed=["name"], created=False)

    assert queued(Profile) == {shown.pk}
    event = AuditEvent.objects.get(action=f"{row._meta.model_name}.update")
    assert event.details == {"before": {"name": original}, "after": {"name": row.name}}


def test_a_renamed_profession_queues_the_people_who_practise_it(it_admin):
    profession = ProfessionFactory()
    practising = ProfileFactory()
    practising.professions.add(profession)
    ProfileFactory()
    OutboxEntry.objects.all().delete()

    profession.name = "Policy profession"
    reference_save(actor=it_admin, instance=profession, changed=["name"], created=False)

    assert queued(Profile) == {practising.pk}


def test_saving_nothing_changed_queues_and_audits_nothing(it_admin):
    grade = GradeFactory()
    ProfileFactory(grade=grade)
    OutboxEntry.objects.all().delete()
    events = AuditEvent.objects.count()

    reference_save(actor=it_admin, instance=grade, changed=[], created=False)

    assert not OutboxEntry.objects.exists()
    assert AuditEvent.objects.count() == events


def test_a_new_row_is_audited_and_queues_nobody(it_admin):
    location = Location(name="Canary Wharf", city="London")
    reference_save(
        actor=it_admin, instance=location, changed=["name", "city"], created=True
    )

    assert Location.objects.filter(name="Canary Wharf").exists()
    event = AuditEvent.objects.get(action="location.create")
    assert event.details == {
        "before": None,
        "after": {"city": "London", "name": "Canary Wharf"},
    }
    assert not queued(Profile)


def test_only_it_admins_change_the_lists():
    department = DepartmentFactory(name="Department for Widgets")
    staff = ProfileFactory().user
    department.name = "Renamed by a stranger"

    with pytest.raises(ProfileError):
        reference_save(
            actor=staff, instance=department, changed=["name"], created=False
        )

    assert Department.objects.get(pk=department.pk).name == "Department for Widgets"
    assert not AuditEvent.objects.filter(action="department.update").exists()


def test_other_models_are_not_reference_lists(it_admin):
    with pytest.raises(ProfileError):
        reference_save(
            actor=it_admin, instance=ProfileFactory(), changed=["bio"], created=False
        )


def test_the_admin_saves_a_rename_through_the_service(admin_client):
    grade = Grade.objects.create(code="G7", name="Grade 7", rank=70)
    person = ProfileFactory(grade=grade)
    OutboxEntry.objects.all().delete()

    response = admin_client.post(
        f"/admin/profiles/grade/{grade.pk}/change/",
        {"code": "G7", "name": "Grade Seven", "rank": 70},
    )

    assert response.status_code == 302
    grade.refresh_from_db()
    assert grade.name == "Grade Seven"
    assert queued(Profile) == {person.pk}
    assert AuditEvent.objects.get(action="grade.update").details == {
        "before": {"name": "Grade 7"},
        "after": {"name": "Grade Seven"},
    }


def test_admin_staff_who_are_not_it_admins_cannot_change_the_lists(client):
    # Django's own change permission is not enough: the lists are IT admins'.
    staff_user = UserFactory(is_staff=True)
    staff_user.user_permissions.set(
        Permission.objects.filter(
            codename__in=["view_department", "change_department", "add_department"]
        )
    )
    client.force_login(staff_user)
    department = DepartmentFactory(name="Department for Widgets")
    change = f"/admin/profiles/department/{department.pk}/change/"

    assert client.get(change).status_code == 200
    response = client.post(
        change,
        {
            "name": "Renamed",
            "acronym": department.acronym,
            "slug": department.slug,
            "kind": department.kind,
        },
    )

    assert response.status_code == 403
    assert client.get("/admin/profiles/department/add/").status_code == 403
    department.refresh_from_db()
    assert department.name == "Department for Widgets"
