"""The people pages, through the test client: who may see and do what, bad input,
privacy in the HTML and the JSON, and bounded queries."""

import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pytest_django.asserts import assertContains, assertNotContains

from intranet.models import AuditEvent, Notification
from profiles.models import Profile, Visibility
from tests.profiles.factories import (
    DepartmentFactory,
    GradeFactory,
    LocationFactory,
    ProfileFactory,
    SkillFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SECRET_PHONE = "020 7946 0999"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def department():
    return DepartmentFactory(name="Department for Testing", slug="dft", acronym="DFT")


@pytest.fixture
def team(department):
    return TeamFactory(department=department, name="Data Science", slug="data-science")


@pytest.fixture
def boss(department):
    return ProfileFactory(
        department=department,
        user__username="grace.hopper",
        user__first_name="Grace",
        user__last_name="Hopper",
        job_title="Director of Data",
    )


@pytest.fixture
def ada(department, boss, team):
    profile = ProfileFactory(
        department=department,
        line_manager=boss,
        user__username="ada.lovelace",
        user__first_name="Ada",
        user__last_name="Lovelace",
        job_title="Lead analyst",
        phone_work=SECRET_PHONE,
        phone_visibility=Visibility.NOBODY,
    )
    TeamMembershipFactory(profile=profile, team=team, job_title="Lead analyst")
    return profile


@pytest.fixture
def colleague(department):
    return ProfileFactory(department=department, user__username="alan.turing")


@pytest.fixture
def it_admin():
    return ProfileFactory(user__username="it.admin", user__it_admin=True)


def signed_in(client, profile):
    client.force_login(profile.user)
    return client


def person_url(profile, name="profiles:person"):
    return reverse(name, kwargs={"username": profile.user.username})


def edit_data(profile, **changes):
    """What the edit form posts for `profile` as it is, with `changes` on top."""
    data = {
        "preferred_name": profile.preferred_name,
        "pronouns": profile.pronouns,
        "job_title": profile.job_title,
        "grade": profile.grade_id or "",
        "line_manager": (
            profile.line_manager.user.username if profile.line_manager else ""
        ),
        "key_skills": ", ".join(s.name for s in profile.key_skills.all()),
        "other_skills": "",
        "learning_interests": "",
        "languages": ", ".join(profile.languages),
        "ask_me_about": profile.ask_me_about,
        "bio": profile.bio,
        "phone_work": profile.phone_work,
        "phone_mobile": profile.phone_mobile,
        "phone_visibility": profile.phone_visibility,
        "other_contact": profile.other_contact,
        "location": profile.location_id or "",
        "location_visibility": profile.location_visibility,
        "working_days": list(profile.working_days),
        "working_pattern_note": profile.working_pattern_note,
        "working_pattern_visibility": profile.working_pattern_visibility,
    }
    for index, membership in enumerate(profile.memberships.all()):
        data[f"membership-{index}-team"] = membership.team_id
        data[f"membership-{index}-job_title"] = membership.job_title
        if membership.is_head:
            data[f"membership-{index}-is_head"] = "yes"
    data.update(changes)
    return data


def error_summary_links(response) -> dict[str, str]:
    """{field id: message} for each link in the GOV.UK error summary."""
    html = response.content.decode()
    summary = re.search(r'class="govuk-error-summary".*?</ul>', html, re.S)
    assert summary, "no error summary on the page"
    return dict(re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary[0]))


def assert_error_next_to(response, field_id: str, message: str) -> None:
    assert error_summary_links(response).get(field_id) == message
    assertContains(
        response,
        f'<p id="{field_id}-error" class="govuk-error-message">'
        f'<span class="govuk-visually-hidden">Error:</span> {message}</p>',
        html=True,
    )
    assert re.search(r"<title>Error: ", response.content.decode())


def image_upload(name="photo.png", size=(800, 600), fmt="PNG"):
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


# Every page renders for a signed-in member of staff.


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        (lambda ada, team: reverse("profiles:directory"), "People"),
        (lambda ada, team: person_url(ada), "Ada Lovelace"),
        (lambda ada, team: person_url(ada, "profiles:edit"), "Edit your profile"),
        (lambda ada, team: person_url(ada, "profiles:photo"), "Your photo"),
        (lambda ada, team: person_url(ada, "profiles:org_chart"), "Org chart"),
        (
            lambda ada, team: person_url(ada.line_manager, "profiles:suggest"),
            "Suggest a correction",
        ),
        (
            lambda ada, team: reverse(
                "profiles:team",
                kwargs={"department_slug": "dft", "team_slug": team.slug},
            ),
            "Data Science",
        ),
        (
            lambda ada, team: reverse("profiles:department", kwargs={"slug": "dft"}),
            "Department for Testing",
        ),
        (lambda ada, team: reverse("notifications"), "Notifications"),
    ],
)
def test_each_page_renders_for_a_signed_in_member(client, ada, team, url, heading):
    response = signed_in(client, ada).get(url(ada, team))
    assert response.status_code == 200
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S)[1]
    assert heading in h1


def test_my_profile_goes_to_my_own_page(client, ada):
    response = signed_in(client, ada).get(reverse("profiles:me"))
    assert response.status_code == 302
    assert response["Location"] == person_url(ada)
    response = client.get(reverse("profiles:me_edit"))
    assert response["Location"] == person_url(ada, "profiles:edit")


def test_someone_without_a_profile_is_told_why(client):
    client.force_login(UserFactory())
    response = client.get(reverse("profiles:me"))
    assertContains(response, "Your profile has not been set up yet")


@pytest.mark.parametrize(
    "path",
    [
        "/people/ada.lovelace/",
        "/people/ada.lovelace.json",
        "/people/ada.lovelace/edit/",
    ],
)
def test_anonymous_visitors_are_sent_to_sign_in(client, ada, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_unknown_people_teams_and_departments_are_not_found(client, ada):
    client = signed_in(client, ada)
    assert client.get("/people/nobody.here/").status_code == 404
    assert client.get("/people/nobody.here.json").status_code == 404
    assert client.get("/people/teams/dft/no-such-team/").status_code == 404
    assert client.get("/people/departments/nowhere/").status_code == 404


# The person page.


def test_person_page_shows_the_profile_in_a_summary_list(client, ada, colleague, team):
    ada.bio = "I work on **statistics**.\n\n<script>alert(1)</script>"
    ada.key_skills.set([SkillFactory(name="Procurement law")])
    ada.save()

    response = signed_in(client, colleague).get(person_url(ada))

    assertContains(response, '<dl class="govuk-summary-list">')
    assertContains(response, "Lead analyst")
    assertContains(response, f'href="{person_url(ada.line_manager)}">Grace Hopper')
    assertContains(response, 'href="/people/teams/dft/data-science/">Data Science')
    assertContains(response, f'href="{person_url(ada, "profiles:org_chart")}"')
    assertContains(response, f'href="{person_url(ada, "profiles:suggest")}"')
    assertContains(response, 'href="/people/?skill=Procurement%20law"')
    assertContains(response, "<strong>statistics</strong>")
    assertNotContains(response, "<script>alert(1)</script>")
    # Not theirs to edit or confirm, and no completeness score.
    assertNotContains(response, person_url(ada, "profiles:edit"))
    assertNotContains(response, "Confirm your details are up to date")
    assertNotContains(response, "% complete")


def test_own_page_has_completeness_prompts_and_the_confirm_button(client, ada):
    response = signed_in(client, ada).get(person_url(ada))

    assertContains(response, "Your profile is ")
    assertContains(
        response,
        f'<a class="govuk-link" href="{person_url(ada, "profiles:photo")}">'
        "Add a photo so colleagues can recognise you</a>",
        html=True,
    )
    assertContains(response, f'href="{person_url(ada, "profiles:edit")}#id_bio"')
    assertContains(response, "Confirm your details are up to date")
    assertContains(response, "Edit your profile")


def test_confirming_restarts_the_freshness_clock(client, ada):
    Profile.objects.filter(pk=ada.pk).update(
        created_at=timezone.now() - timezone.timedelta(days=400)
    )
    client = signed_in(client, ada)
    assertContains(client.get(person_url(ada)), "You have not confirmed your details")

    assert client.get(reverse("profiles:confirm")).status_code == 405
    response = client.post(reverse("profiles:confirm"), follow=True)

    ada.refresh_from_db()
    assert ada.confirmed_at is not None
    assertContains(response, "Thank you for confirming your details are up to date")
    assertNotContains(response, "You have not confirmed your details")


def test_a_stale_profile_is_flagged_to_colleagues(client, ada, colleague):
    Profile.objects.filter(pk=ada.pk).update(
        confirmed_at=timezone.now() - timezone.timedelta(days=366)
    )
    response = signed_in(client, colleague).get(person_url(ada))
    assertContains(response, "has not confirmed these details in the last 12 months")


# Privacy: a hidden field is absent from the page and the JSON.


def test_a_hidden_phone_is_absent_for_colleagues_and_shown_to_the_owner(
    client, ada, colleague, it_admin
):
    for viewer in (colleague, it_admin):
        client = signed_in(client, viewer)
        assertNotContains(client.get(person_url(ada)), SECRET_PHONE)
        data = client.get(person_url(ada, "profiles:person_json")).json()
        assert "phone_work" not in data
        assert SECRET_PHONE not in json.dumps(data)

    client = signed_in(client, ada)
    assertContains(client.get(person_url(ada)), SECRET_PHONE)
    assert client.get(person_url(ada, "profiles:person_json")).json()["phone_work"] == (
        SECRET_PHONE
    )


def test_a_phone_shown_to_the_department_is_hidden_from_other_departments(
    client, ada, colleague
):
    Profile.objects.filter(pk=ada.pk).update(phone_visibility=Visibility.DEPARTMENT)
    outsider = ProfileFactory()

    assertContains(signed_in(client, colleague).get(person_url(ada)), SECRET_PHONE)
    response = signed_in(client, outsider).get(person_url(ada))
    assertNotContains(response, SECRET_PHONE)
    assertNotContains(client.get(person_url(ada, "profiles:person_json")), SECRET_PHONE)


def test_a_hidden_location_is_absent_and_cannot_be_found_by_filtering(
    client, ada, colleague
):
    secret = LocationFactory(name="Secret Bunker")
    Profile.objects.filter(pk=ada.pk).update(
        location=secret, location_visibility=Visibility.NOBODY
    )
    client = signed_in(client, colleague)
    assertNotContains(client.get(person_url(ada)), "Secret Bunker")
    response = client.get(reverse("profiles:directory"), {"location": secret.pk})
    assertNotContains(response, "Ada Lovelace")


def test_person_json_is_what_the_viewer_may_see(client, ada, colleague):
    response = signed_in(client, colleague).get("/people/ada.lovelace.json")
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["username"] == "ada.lovelace"
    assert data["display_name"] == "Ada Lovelace"
    assert data["teams"][0]["name"] == "Data Science"


# Leavers.


def test_a_leavers_page_is_not_found_except_by_it_admins(client, ada, it_admin):
    boss = ada.line_manager
    boss.user.is_active = False
    boss.user.save()

    client = signed_in(client, ada)
    assert client.get(person_url(boss)).status_code == 404
    assert client.get(person_url(boss, "profiles:person_json")).status_code == 404
    assert client.get(person_url(boss, "profiles:org_chart")).status_code == 404

    response = signed_in(client, it_admin).get(person_url(boss))
    assertContains(response, "Grace Hopper has left")


def test_leavers_are_absent_from_directory_team_and_org_chart(
    client, ada, colleague, team
):
    boss = ada.line_manager
    TeamMembershipFactory(profile=boss, team=team, is_head=True)
    boss.user.is_active = False
    boss.user.save()

    client = signed_in(client, colleague)
    assertNotContains(client.get(reverse("profiles:directory")), "Grace Hopper")
    assertNotContains(client.get(f"/people/teams/dft/{team.slug}/"), "Grace Hopper")
    assertNotContains(client.get(person_url(ada, "profiles:org_chart")), "Grace Hopper")


# Editing: what may be changed, by whom.


def test_owner_edits_their_profile(client, ada):
    grade = GradeFactory(code="G7")
    data = edit_data(
        ada,
        job_title="Head of Analysis",
        grade=grade.pk,
        key_skills="Procurement law, data  analysis, Data analyses",
        working_days=["mon", "tue", "thu"],
        phone_visibility=Visibility.EVERYONE,
        bio="Hello, **world**",
    )
    response = signed_in(client, ada).post(person_url(ada, "profiles:edit"), data)

    assert response.status_code == 302
    assert response["Location"] == person_url(ada)
    ada.refresh_from_db()
    assert ada.job_title == "Head of Analysis"
    assert ada.grade == grade
    assert sorted(s.name for s in ada.key_skills.all()) == [
        "Procurement law",
        "data analysis",
    ]
    assert ada.working_days == ["mon", "tue", "thu"]
    assert ada.phone_visibility == Visibility.EVERYONE
    page = client.get(person_url(ada))
    assertContains(page, "The profile has been updated")
    assertContains(page, "Head of Analysis")
    assertContains(page, "Monday, Tuesday, Thursday")


def test_edit_form_shows_gov_uk_fields_for_what_the_owner_may_edit(client, ada):
    response = signed_in(client, ada).get(person_url(ada, "profiles:edit"))
    html = response.content.decode()
    assert 'name="job_title"' in html
    assert 'type="checkbox" value="mon"' in html
    assert html.count('name="phone_visibility"') == 3
    assert 'name="membership-0-team"' in html
    assert 'name="membership-2-team"' in html
    # The owner cannot move themselves to another department.
    assert 'name="department"' not in html
    assert '<textarea class="govuk-textarea" id="id_bio"' in html


def test_a_colleague_cannot_edit_someone_else(client, ada, colleague):
    client = signed_in(client, colleague)
    assert client.get(person_url(ada, "profiles:edit")).status_code == 403
    response = client.post(
        person_url(ada, "profiles:edit"), edit_data(ada, job_title="Forged")
    )
    assert response.status_code == 403
    assert (
        client.post(person_url(ada, "profiles:photo"), {"remove": "yes"}).status_code
        == 403
    )
    ada.refresh_from_db()
    assert ada.job_title == "Lead analyst"


def test_a_line_manager_edits_only_job_title_teams_and_manager(client, ada):
    boss = ada.line_manager
    grade = GradeFactory()
    client = signed_in(client, boss)

    form = client.get(person_url(ada, "profiles:edit")).content.decode()
    assert 'name="job_title"' in form
    assert 'name="line_manager"' in form
    assert 'name="grade"' not in form
    assert 'name="bio"' not in form

    response = client.post(
        person_url(ada, "profiles:edit"),
        edit_data(ada, job_title="Principal analyst", grade=grade.pk, bio="Forged"),
    )

    assert response.status_code == 302
    ada.refresh_from_db()
    assert ada.job_title == "Principal analyst"
    assert ada.grade is None
    assert ada.bio == ""
    notification = Notification.objects.get(recipient=ada.user)
    assert notification.kind == "profile.edited"


def test_an_it_admin_can_move_someone_to_another_department(client, ada, it_admin):
    other = DepartmentFactory(name="Cabinet Office")
    response = signed_in(client, it_admin).post(
        person_url(ada, "profiles:edit"),
        edit_data(ada, department=other.pk),
    )
    assert response.status_code == 302
    ada.refresh_from_db()
    assert ada.department == other


# Bad input: a message next to the field, and nothing saved.


def test_an_over_long_field_is_refused_and_nothing_is_saved(client, ada):
    data = edit_data(ada, job_title="x" * 201, pronouns="they/them")
    response = signed_in(client, ada).post(person_url(ada, "profiles:edit"), data)

    assert response.status_code == 200
    assert_error_next_to(
        response, "id_job_title", "Job title must be 200 characters or fewer"
    )
    ada.refresh_from_db()
    assert (ada.job_title, ada.pronouns) == ("Lead analyst", "")
    # What was typed comes back, to be corrected.
    assertContains(response, 'value="they/them"')


def test_an_unknown_line_manager_is_refused(client, ada):
    response = signed_in(client, ada).post(
        person_url(ada, "profiles:edit"),
        edit_data(ada, line_manager="no.such.person", job_title="Changed"),
    )
    assert_error_next_to(
        response,
        "id_line_manager",
        "No one with the username ‘no.such.person’ works here. Enter the username "
        "of a current member of staff, like jane.smith",
    )
    ada.refresh_from_db()
    assert ada.job_title == "Lead analyst"


def test_a_management_loop_is_refused_and_nothing_is_saved(client, ada):
    boss = ada.line_manager
    events = AuditEvent.objects.count()
    response = signed_in(client, boss).post(
        person_url(boss, "profiles:edit"),
        edit_data(boss, line_manager="ada.lovelace", job_title="Changed"),
    )
    assert response.status_code == 200
    message = error_summary_links(response)["id_line_manager"]
    assert "Ada Lovelace reports to Grace Hopper" in message
    assertContains(response, 'id="id_line_manager-error"')
    boss.refresh_from_db()
    assert boss.line_manager is None
    assert boss.job_title == "Director of Data"
    assert AuditEvent.objects.count() == events


def test_a_team_chosen_twice_is_refused(client, ada, team):
    response = signed_in(client, ada).post(
        person_url(ada, "profiles:edit"),
        edit_data(ada, **{"membership-1-team": team.pk}),
    )
    assert_error_next_to(
        response, "id_membership-1-team", "Data Science is chosen more than once"
    )


def test_a_job_title_without_a_team_is_refused(client, ada):
    response = signed_in(client, ada).post(
        person_url(ada, "profiles:edit"),
        edit_data(ada, **{"membership-1-job_title": "Deputy"}),
    )
    assert_error_next_to(
        response,
        "id_membership-1-team",
        "Select a team, or clear the job title and the head of team box",
    )


def test_a_team_in_the_old_department_is_kept_when_saving(client, ada):
    Profile.objects.filter(pk=ada.pk).update(department=DepartmentFactory())
    ada.refresh_from_db()
    client = signed_in(client, ada)
    form = client.get(person_url(ada, "profiles:edit"))
    assertContains(form, "Data Science (DFT)")

    response = client.post(
        person_url(ada, "profiles:edit"), edit_data(ada, pronouns="she/her")
    )

    assert response.status_code == 302
    assert [m.team.name for m in ada.memberships.all()] == ["Data Science"]


def test_memberships_are_added_and_removed(client, ada, team, department):
    other = TeamFactory(department=department, name="Statistics", parent=team)
    response = signed_in(client, ada).post(
        person_url(ada, "profiles:edit"),
        edit_data(
            ada,
            **{
                "membership-0-team": other.pk,
                "membership-0-job_title": "Head of Statistics",
                "membership-0-is_head": "yes",
            },
        ),
    )
    assert response.status_code == 302
    # Leaving takes effect at once; joining, on her own word, waits for a head.
    assert not ada.memberships.exists()
    [asked] = ada.team_requests.all()
    assert (asked.team, asked.job_title, asked.is_head) == (
        other,
        "Head of Statistics",
        True,
    )
    page = client.get(response.url)
    assertContains(page, "Awaiting confirmation")
    assertContains(page, "Head of Statistics")


def test_team_choices_are_the_departments_and_name_their_parents(
    client, ada, team, department
):
    TeamFactory(department=department, name="Statistics", parent=team)
    TeamFactory(name="Elsewhere")
    response = signed_in(client, ada).get(person_url(ada, "profiles:edit"))
    assertContains(response, "Data Science › Statistics")
    assertNotContains(response, "Elsewhere")


def test_an_over_long_skill_is_refused(client, ada):
    response = signed_in(client, ada).post(
        person_url(ada, "profiles:edit"),
        edit_data(ada, key_skills="Statistics, " + "x" * 101),
    )
    assert "id_key_skills" in error_summary_links(response)
    assert not ada.key_skills.exists()


def test_a_file_that_is_not_an_image_is_refused(client, ada):
    upload = SimpleUploadedFile("photo.jpg", b"not an image", content_type="image/jpeg")
    response = signed_in(client, ada).post(
        person_url(ada, "profiles:photo"), {"photo": upload}
    )
    assert response.status_code == 200
    assert_error_next_to(
        response,
        "id_photo",
        "The selected file must be a JPG, PNG, WebP or GIF image",
    )
    ada.refresh_from_db()
    assert not ada.photo


def test_a_missing_photo_is_asked_for(client, ada):
    response = signed_in(client, ada).post(person_url(ada, "profiles:photo"), {})
    assert_error_next_to(response, "id_photo", "Select a photo")


def test_a_photo_is_uploaded_shown_and_removed(client, ada, colleague):
    client = signed_in(client, ada)
    response = client.post(person_url(ada, "profiles:photo"), {"photo": image_upload()})
    assert response.status_code == 302
    ada.refresh_from_db()
    assert ada.photo

    page = signed_in(client, colleague).get(person_url(ada))
    image_url = person_url(ada, "profiles:photo_image")
    assertContains(page, f'src="{image_url}?v=')
    image = client.get(image_url)
    assert image.status_code == 200
    assert Image.open(io.BytesIO(b"".join(image.streaming_content))).size == (
        600,
        450,
    )

    signed_in(client, ada).post(person_url(ada, "profiles:photo"), {"remove": "yes"})
    ada.refresh_from_db()
    assert not ada.photo
    assert client.get(image_url).status_code == 404


# Suggesting a correction.


def test_a_correction_goes_to_the_person(client, ada, colleague):
    response = signed_in(client, colleague).post(
        person_url(ada, "profiles:suggest"),
        {"kind": "correction", "text": "Ada moved to the Statistics team."},
    )
    assert response.status_code == 302
    notification = Notification.objects.get(recipient=ada.user)
    assert "Ada moved to the Statistics team." in notification.text


def test_a_leaver_report_goes_to_it_admins(client, ada, colleague, it_admin):
    signed_in(client, colleague).post(
        person_url(ada, "profiles:suggest"),
        {"kind": "leaver", "text": "Ada left in March."},
    )
    assert Notification.objects.filter(
        recipient=it_admin.user, kind="profile.leaver"
    ).exists()
    assert not Notification.objects.filter(recipient=ada.user).exists()


def test_a_suggestion_needs_a_kind_and_details(client, ada, colleague):
    response = signed_in(client, colleague).post(
        person_url(ada, "profiles:suggest"), {"text": "x" * 2001}
    )
    assert_error_next_to(response, "id_kind", "Select what you want to tell us")
    assert_error_next_to(
        response, "id_text", "Details must be 2,000 characters or fewer"
    )
    assert not Notification.objects.exists()


def test_your_own_suggest_page_sends_you_to_edit(client, ada):
    response = signed_in(client, ada).get(person_url(ada, "profiles:suggest"))
    assert response["Location"] == person_url(ada, "profiles:edit")


# Team, department and org chart pages.


def test_team_page_shows_heads_members_subteams_and_parents(client, ada, team):
    boss = ada.line_manager
    TeamMembershipFactory(profile=boss, team=team, is_head=True, job_title="Head")
    child = TeamFactory(department=team.department, parent=team, name="Statistics")
    grandchild = TeamFactory(department=team.department, parent=child, name="Surveys")

    client = signed_in(client, ada)
    response = client.get(f"/people/teams/dft/{team.slug}/")
    html = response.content.decode()
    heads = html[html.index("Head of team") : html.index("Members")]
    assert "Grace Hopper" in heads
    assert "Ada Lovelace" not in heads
    assert "Ada Lovelace" in html[html.index("Members") :]
    assertContains(response, f'href="/people/teams/dft/{child.slug}/">Statistics')

    response = client.get(f"/people/teams/dft/{grandchild.slug}/")
    crumbs = re.search(
        r'class="govuk-breadcrumbs".*?</nav>', response.content.decode(), re.S
    )[0]
    assert crumbs.index("Department for Testing") < crumbs.index("Data Science")
    assert crumbs.index("Data Science") < crumbs.index("Statistics")
    assert "Surveys" not in crumbs


def test_department_page_shows_the_team_tree_and_people(client, ada, team):
    child = TeamFactory(department=team.department, parent=team, name="Statistics")
    response = signed_in(client, ada).get("/people/departments/dft/")
    html = response.content.decode()
    # Statistics is listed inside Data Science's item.
    outer = re.search(r"Data Science</a>.*?</li>\s*</ul>", html, re.S)[0]
    assert child.name in outer
    assertContains(response, 'href="/people/?department=dft">2 people work here')


def test_org_chart_shows_managers_above_and_reports_below(client, ada, colleague):
    boss = ada.line_manager
    top = ProfileFactory(department=boss.department, user__first_name="Top")
    Profile.objects.filter(pk=boss.pk).update(line_manager=top)
    Profile.objects.filter(pk=colleague.pk).update(line_manager=ada)

    response = signed_in(client, ada).get(person_url(ada, "profiles:org_chart"))
    html = response.content.decode()
    chart = html[html.index('class="app-org-chart"') :]
    assert chart.index(top.display_name) < chart.index("Grace Hopper")
    assert chart.index("Grace Hopper") < chart.index("Ada Lovelace")
    assert chart.index("Ada Lovelace") < chart.index(colleague.display_name)
    # Nested lists: three levels of <ul> before Ada, four before her report.
    assert chart[: chart.index("Ada Lovelace")].count("<ul") == 3
    assert "Direct reports of Ada Lovelace" in chart


# Directory filters.


def test_directory_links_names_and_filters(client, ada, colleague, team):
    grade = GradeFactory(code="SEO")
    Profile.objects.filter(pk=ada.pk).update(grade=grade)
    ada.key_skills.set([SkillFactory(name="Data analysis")])
    client = signed_in(client, colleague)

    response = client.get(reverse("profiles:directory"))
    assertContains(
        response, f'<a class="govuk-link" href="{person_url(ada)}">Ada Lovelace</a>'
    )
    assertContains(response, 'href="/search/"')

    for query in (
        {"grade": "SEO"},
        {"skill": "data analyses"},
        {"department": "dft", "team": team.slug},
    ):
        response = client.get(reverse("profiles:directory"), query)
        assertContains(response, "Ada Lovelace")
        assertNotContains(response, "alan.turing")
    response = client.get(reverse("profiles:directory"), {"skill": "juggling"})
    assertContains(response, "No one matches your filters")


def test_directory_ignores_filters_that_match_nothing_known(client, ada):
    response = signed_in(client, ada).get(
        reverse("profiles:directory"), {"grade": "XX", "sort": "nonsense", "page": "9"}
    )
    assert response.status_code == 200
    assertContains(response, "Ada Lovelace")


def test_team_filter_is_offered_once_a_department_is_chosen(client, ada, team):
    client = signed_in(client, ada)
    assertNotContains(client.get(reverse("profiles:directory")), 'name="team"')
    response = client.get(reverse("profiles:directory"), {"department": "dft"})
    assertContains(
        response, f'<option value="{team.slug}">Data Science</option>', html=True
    )


# Bounded queries, whatever the size of the organisation.


def build_organisation(department, team, size):
    """`size` people in one team, each managed by the one before, plus a head."""
    previous = None
    for number in range(size):
        profile = ProfileFactory(department=department, line_manager=previous)
        profile.key_skills.set([SkillFactory(name=f"Skill {number % 5}")])
        TeamMembershipFactory(profile=profile, team=team, is_head=number == 0)
        TeamFactory(department=department, parent=team)
        previous = profile
    return previous


@pytest.mark.parametrize("size", [5, 60])
def test_directory_queries_are_bounded(
    client, department, team, size, django_assert_max_num_queries
):
    viewer = build_organisation(department, team, size)
    client = signed_in(client, viewer)
    # Session, user, the viewer's profile, the unread count; the four filter lists;
    # the count, the page of profiles and its five prefetched relations; the
    # viewer's permissions (user and group), for the IT admins' merge link.
    with django_assert_max_num_queries(17):
        response = client.get(reverse("profiles:directory"))
    assert response.status_code == 200
    # And the department's teams, and the skill typed.
    with django_assert_max_num_queries(19):
        client.get(
            reverse("profiles:directory"),
            {"department": "dft", "team": team.slug, "skill": "Skill 1"},
        )


@pytest.mark.parametrize("size", [5, 60])
def test_team_page_queries_are_bounded(
    client, department, team, size, django_assert_max_num_queries
):
    viewer = build_organisation(department, team, size)
    client = signed_in(client, viewer)
    # And `can_edit_team`, for the edit and move links: the viewer's permissions
    # (user and group), the teams above, and whether the viewer heads one; and
    # the same again for whether the viewer may answer requests to join.
    with django_assert_max_num_queries(13):
        response = client.get(f"/people/teams/dft/{team.slug}/")
    assert response.status_code == 200
    assert response.content.decode().count("app-people-list__item") == size


@pytest.mark.parametrize("size", [5, 60])
def test_org_chart_queries_are_bounded(
    client, department, team, size, django_assert_max_num_queries
):
    bottom = build_organisation(department, team, size)
    middle = bottom.line_manager
    client = signed_in(client, bottom)
    # The chain is capped at 30 levels, fetched ten levels a query.
    with django_assert_max_num_queries(10):
        response = client.get(person_url(middle, "profiles:org_chart"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="app-org-chart__person') == min(size - 2, 30) + 2
