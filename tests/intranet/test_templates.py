"""The page layout and GOV.UK components, checked without a browser."""

import re

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import (
    assertContains,
    assertNotContains,
    assertTemplateUsed,
)

from intranet.models import Notification
from intranet.notifications import notification_send
from profiles.models import Department, Profile
from profiles.views import PAGE_SIZE

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
MARKING_BANNER = 'class="app-marking-banner app-marking-banner--'


@pytest.fixture
def member(django_user_model):
    return django_user_model.objects.create_user(
        "grace.hopper", password=PASSWORD, first_name="Grace", last_name="Hopper"
    )


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


def title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)[1]


def assert_marked_top_and_bottom(html: str, marking: str = "OFFICIAL") -> None:
    assert html.count(MARKING_BANNER) == 2
    top = html.index(MARKING_BANNER + "top")
    bottom = html.index(MARKING_BANNER + "bottom")
    assert top < html.index("<main") < html.index("</main>") < bottom
    assert html.count(f"</span>{marking}</p>") == 2


def test_sign_in_page_carries_the_marking_top_and_bottom(client):
    response = client.get(reverse("login"))
    assert_marked_top_and_bottom(response.content.decode())


def test_home_page_carries_the_marking_top_and_bottom(member_client):
    response = member_client.get(reverse("home"))
    assert_marked_top_and_bottom(response.content.decode())


def test_marking_follows_the_setting(member_client, settings):
    settings.SECURITY_MARKING = "OFFICIAL-SENSITIVE"
    response = member_client.get(reverse("home"))
    html = response.content.decode()
    assert_marked_top_and_bottom(html, "OFFICIAL-SENSITIVE")
    # Chooses the named print page that repeats the marking on every sheet.
    assert "app-marking--official-sensitive" in html


def test_titles_name_the_page_and_the_organisation(member_client, settings):
    settings.ORGANISATION_NAME = "Department for Testing"
    response = member_client.get(reverse("profiles:directory"))
    assert title(response) == "People – Department for Testing"


def test_bad_sign_in_shows_the_error_summary(client, member):
    response = client.post(
        reverse("login"), {"username": "grace.hopper", "password": "wrong"}
    )
    assert title(response) == "Error: Sign in – Crossgov"
    assertContains(response, 'data-module="govuk-error-summary"')
    assertContains(response, "There is a problem")
    # Not about one field, so it links to the first one.
    assertContains(
        response, '<a href="#id_username">Enter a correct username and password</a>'
    )


def test_missing_fields_are_marked_in_the_gov_uk_style(client):
    response = client.post(reverse("login"), {"username": "", "password": ""})
    assert title(response).startswith("Error: ")
    assertContains(
        response,
        '<li><a href="#id_password">Enter your password</a></li>',
        html=True,
    )
    assertContains(
        response,
        '<p id="id_password-error" class="govuk-error-message">'
        '<span class="govuk-visually-hidden">Error:</span> Enter your password</p>',
        html=True,
    )
    html = response.content.decode()
    assert "govuk-form-group govuk-form-group--error" in html
    assert re.search(
        r'<input class="govuk-input[^"]*govuk-input--error" id="id_username"[^>]*'
        r'aria-describedby="id_username-error"',
        html,
    )


def test_sign_in_page_has_no_error_prefix_before_a_mistake(client):
    assert title(client.get(reverse("login"))) == "Sign in – Crossgov"


@pytest.mark.parametrize(
    ("url_name", "text"),
    [
        ("home", "Home"),
        ("profiles:directory", "People"),
        ("spaces:directory", "Spaces"),
        ("blog:index", "Blogs"),
        ("search:search", "Search"),
    ],
)
def test_service_navigation_marks_the_current_section(member_client, url_name, text):
    url = reverse(url_name)
    response = member_client.get(url)
    link = (
        f'<a class="govuk-service-navigation__link" href="{url}" aria-current="page">'
        f'<strong class="govuk-service-navigation__active-fallback">{text}</strong>'
        "</a>"
    )
    assertContains(response, link, html=True)
    assert response.content.decode().count("aria-current=") == 1


def test_sign_out_is_a_post_form_with_a_csrf_token(member_client):
    response = member_client.get(reverse("home"))
    html = response.content.decode()
    form = re.search(r'<form class="app-account__sign-out".*?</form>', html, re.S)[0]
    assert f'action="{reverse("logout")}" method="post"' in form
    assert 'name="csrfmiddlewaretoken"' in form
    assertContains(response, "Grace Hopper")


def test_messages_are_shown_in_notification_banners(rf, member):
    request = rf.get("/")
    request.user = member
    request._messages = CookieStorage(request)
    messages.success(request, "Your profile has been updated")
    messages.info(request, "The search index is being rebuilt")

    html = render_to_string("intranet/home.html", request=request)

    success = re.search(
        r'<div class="govuk-notification-banner govuk-notification-banner--success"'
        r' role="alert".*?</div>\s*</div>',
        html,
        re.S,
    )[0]
    assert "Your profile has been updated" in success
    important = re.search(
        r'<div class="govuk-notification-banner" role="region".*?</div>\s*</div>',
        html,
        re.S,
    )[0]
    assert "Important" in important
    assert "The search index is being rebuilt" in important


def test_unknown_page_shows_page_not_found(member_client, settings):
    settings.DEBUG = False
    response = member_client.get("/no-such-page/")
    assert response.status_code == 404
    assertTemplateUsed(response, "404.html")
    assertContains(
        response, '<h1 class="govuk-heading-xl">Page not found</h1>', status_code=404
    )
    assert_marked_top_and_bottom(response.content.decode())


def test_a_form_without_its_csrf_token_explains_what_to_do(member):
    response = Client(enforce_csrf_checks=True).post(reverse("login"), {})
    assertContains(response, "Sorry, your form could not be sent", status_code=403)
    assert_marked_top_and_bottom(response.content.decode())


def test_server_error_page_needs_no_request(settings):
    settings.ORGANISATION_NAME = "Department for Testing"
    # Django renders 500.html with an empty context: no request, no processors.
    html = render_to_string("500.html")
    assert "Sorry, there is a problem with the service" in html
    assert "<title>Sorry, there is a problem with the service – Department for" in html
    assert_marked_top_and_bottom(html)
    assert "Sign out" not in html


@pytest.mark.parametrize("path", ["/", "/people/", "/spaces/", "/blogs/", "/search/"])
def test_anonymous_users_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={path}"


def test_people_directory_keeps_the_filter_when_paging(member_client, member):
    department = Department.objects.create(
        name="Cabinet Office", acronym="CO", slug="co", kind="ministerial"
    )
    Profile.objects.create(user=member, department=department)
    for number in range(PAGE_SIZE):
        user = type(member).objects.create_user(f"person{number}")
        Profile.objects.create(user=user, department=department)

    response = member_client.get(reverse("profiles:directory"), {"department": "co"})

    assertContains(response, 'href="?department=co&amp;page=2" rel="next"')
    assertContains(response, '<option value="co" selected>Cabinet Office</option>')
    assert title(response) == "People in Cabinet Office – Crossgov"


def test_people_directory_queries_do_not_grow_with_the_page(
    member_client, member, django_assert_max_num_queries
):
    department = Department.objects.create(
        name="Cabinet Office", acronym="CO", slug="co", kind="ministerial"
    )
    for number in range(30):
        user = type(member).objects.create_user(f"person{number}")
        Profile.objects.create(user=user, department=department, job_title="Adviser")

    # Session, user, the viewer's profile, the unread count; the four filter lists;
    # the count, the page of profiles and its five prefetched relations; the
    # viewer's permissions (user and group), for the IT admins' merge link.
    with django_assert_max_num_queries(17):
        response = member_client.get(reverse("profiles:directory"))
    assertContains(response, "Showing 1 to 30 of 30 people")


def test_notifications_newest_first_unread_marked_and_counted_in_header(
    member_client, member
):
    notification_send(recipient=member, kind="test", text="Older news")
    notification_send(recipient=member, kind="test", text="Newer news", url="/people/")

    response = member_client.get(reverse("notifications"))
    html = response.content.decode()
    assert title(response) == "Notifications – Crossgov"
    assert html.index("Newer news") < html.index("Older news")
    assert html.count("app-notifications__item--unread") == 2
    assertContains(response, '<a class="govuk-link" href="/people/">Newer news</a>')
    assertContains(
        member_client.get(reverse("home")),
        '<span class="app-count">2<span class="govuk-visually-hidden"> unread'
        "</span></span>",
        html=True,
    )

    response = member_client.post(reverse("notifications"), follow=True)
    assertContains(response, "2 notifications marked as read")
    assert "app-notifications__item--unread" not in response.content.decode()
    assertNotContains(response, "Mark all as read")
    assertNotContains(response, 'class="app-count"')


def test_notifications_are_your_own_only(member_client, member, django_user_model):
    other = django_user_model.objects.create_user("someone.else")
    notification_send(recipient=other, kind="test", text="Not for Grace")

    response = member_client.get(reverse("notifications"))
    assertNotContains(response, "Not for Grace")
    assertContains(response, "You have no notifications")
    member_client.post(reverse("notifications"))
    assert Notification.objects.get(recipient=other).read_at is None


def test_unread_count_in_the_header_costs_one_query(
    member_client, django_assert_num_queries
):
    member_client.get(reverse("home"))
    # The session, the user, then the unread count.
    with django_assert_num_queries(3):
        member_client.get(reverse("home"))
