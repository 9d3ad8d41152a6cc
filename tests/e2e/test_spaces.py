"""Spaces in a real browser: creating, joining, asking and being let in, being
invited, each with JavaScript on and off, and axe on every space page."""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from intranet.models import AuditEvent
from spaces import services
from spaces.models import (
    GrantRole,
    Invitation,
    JoinRequest,
    Role,
    Space,
    SpaceMembership,
)
from spaces.thread_services import thread_start
from tests.e2e.accessibility import assert_no_serious_violations
from tests.profiles.factories import DepartmentFactory, ProfileFactory, TeamFactory
from tests.spaces.factories import SpaceFactory, add_member, staff

pytestmark = pytest.mark.e2e

JS = pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
DESCRIPTION = (
    "## What we do\n\nWe reform **procurement** across government.\n\n"
    "- Share [guidance](https://www.gov.uk/)\n- Review frameworks"
)


@pytest.fixture
def department(member):
    """Ada Lovelace's department: she has a profile in it."""
    department = DepartmentFactory(
        name="Department for Digital Services", acronym="DDS", slug="dds"
    )
    ProfileFactory(user=member, department=department)
    return department


@pytest.fixture
def owner(department):
    return staff(
        department=department,
        user__username="grace.hopper",
        user__first_name="Grace",
        user__last_name="Hopper",
    )


@pytest.fixture
def sign_in(browser, live_server):
    """Open a page in a fresh browser context holding a session for a user."""
    contexts = []

    def open_page(user, *, javascript=True):
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context = browser.new_context(
            base_url=live_server.url, java_script_enabled=javascript
        )
        context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
        )
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def expect_banner(page, text):
    expect(page.get_by_role("alert")).to_contain_text(text)


def expect_standing(page, text):
    panel = page.locator(".app-side-panel")
    expect(panel).to_contain_text(text)


def audited(action, space, actor, **details):
    lookups = {f"details__{key}": value for key, value in details.items()}
    return AuditEvent.objects.filter(
        action=action, space_id=space.pk, actor=actor, **lookups
    ).exists()


@JS
def test_create_a_space(sign_in, member, department, javascript):
    page = sign_in(member, javascript=javascript)
    page.goto("/spaces/")
    page.get_by_role("link", name="Create a space").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create a space")

    page.get_by_label("Name", exact=True).fill("Procurement reform")
    page.get_by_label("Description").fill(DESCRIPTION)
    # The creator's own department is chosen for them.
    expect(page.get_by_label("Owning department")).to_have_value(str(department.pk))
    page.get_by_role("radio", name="Restricted").check()
    page.get_by_role("button", name="Create space").click()

    expect(page).to_have_url(re.compile(r"/spaces/procurement-reform/$"))
    expect_banner(page, "Procurement reform has been created. You are its owner.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Procurement reform")
    expect(page.locator(".app-prose strong")).to_have_text("procurement")
    expect_standing(page, "You are a member (owner).")
    space = Space.objects.get(slug="procurement-reform")
    assert (space.visibility, space.department, space.created_by) == (
        Space.Visibility.RESTRICTED,
        department,
        member,
    )
    owners = SpaceMembership.objects.filter(space=space)
    assert [(m.user, m.role) for m in owners] == [(member, Role.OWNER)]
    assert audited("space.create", space, member)


@JS
def test_join_an_open_space_from_the_directory(
    sign_in, member, owner, department, javascript
):
    space = SpaceFactory(name="Open Data Community", slug="open-data")
    add_member(space, owner, Role.OWNER)
    page = sign_in(member, javascript=javascript)
    page.goto("/spaces/")
    discover = page.get_by_role("table", name=re.compile("Spaces you can join"))
    discover.get_by_role("link", name="Open Data Community").click()
    expect_standing(page, "You are not a member.")
    page.get_by_role("button", name="Join Open Data Community").click()

    expect(page).to_have_url(re.compile(r"/spaces/open-data/$"))
    expect_banner(page, "You have joined Open Data Community")
    expect_standing(page, "You are a member (member).")
    membership = SpaceMembership.objects.get(space=space, user=member)
    assert membership.role == Role.MEMBER
    assert audited("space.membership.add", space, member, how="join")


@pytest.fixture
def restricted(owner, department):
    space = SpaceFactory(
        name="Tax Policy Network",
        slug="tax-policy",
        visibility=Space.Visibility.RESTRICTED,
        department=department,
    )
    add_member(space, owner, Role.OWNER)
    return space


def test_ask_to_join_and_be_approved(sign_in, member, owner, restricted):
    requester = sign_in(member, javascript=False)
    requester.goto("/spaces/tax-policy/")
    expect(requester.get_by_role("main")).to_contain_text(
        "Only members can read this space’s discussions."
    )
    requester.get_by_role("link", name="Ask to join Tax Policy Network").click()
    requester.get_by_label("Why you want to join (optional)").fill(
        "I lead the VAT reform project."
    )
    requester.get_by_role("button", name="Send request").click()
    expect(requester).to_have_url(re.compile(r"/spaces/tax-policy/$"))
    expect_banner(requester, "Your request to join Tax Policy Network has been sent")
    expect_standing(requester, "Your request is waiting")
    assert not SpaceMembership.objects.filter(user=member).exists()

    deciding = sign_in(owner)
    deciding.goto("/spaces/tax-policy/manage/access/")
    card = deciding.locator(".govuk-summary-card", has_text="Ada Lovelace")
    expect(card).to_contain_text("I lead the VAT reform project.")
    card.get_by_role("button", name="Approve Ada Lovelace’s request").click()
    expect_banner(deciding, "Ada Lovelace is now a member of the space")
    expect(deciding.get_by_role("main")).to_contain_text(
        "No one is waiting for an answer."
    )

    requester.goto("/spaces/tax-policy/")
    expect_standing(requester, "You are a member (member).")
    expect(requester.get_by_role("main")).to_contain_text("No discussions yet.")
    assert SpaceMembership.objects.get(space=restricted, user=member).role == (
        Role.MEMBER
    )
    assert JoinRequest.objects.get(user=member).status == JoinRequest.Status.APPROVED
    assert audited("space.join_request.approved", restricted, owner)
    assert audited("space.membership.add", restricted, owner, how="request")


def test_a_declined_request_shows_its_reason(sign_in, member, owner, restricted):
    services.join_request_create(actor=member, space=restricted, message="Please")
    deciding = sign_in(owner, javascript=False)
    deciding.goto("/spaces/tax-policy/manage/access/")
    card = deciding.locator(".govuk-summary-card", has_text="Ada Lovelace")
    card.get_by_label("Reason (optional)").fill("The network is for HMRC staff only.")
    card.get_by_role("button", name="Decline Ada Lovelace’s request").click()
    expect_banner(deciding, "Ada Lovelace’s request to join has been declined")

    requester = sign_in(member)
    requester.goto("/spaces/tax-policy/")
    expect_standing(requester, "Your last request to join was declined")
    expect_standing(requester, "The network is for HMRC staff only.")
    expect(
        requester.get_by_role("link", name="Ask again Tax Policy Network")
    ).to_be_visible()
    assert not SpaceMembership.objects.filter(user=member).exists()
    declined = JoinRequest.objects.get(user=member)
    assert (declined.status, declined.reason) == (
        JoinRequest.Status.DECLINED,
        "The network is for HMRC staff only.",
    )
    assert audited("space.join_request.declined", restricted, owner)


def test_invite_and_accept_into_a_private_space(sign_in, member, owner, department):
    space = SpaceFactory(
        name="Spending Review Team",
        slug="spending-review",
        visibility=Space.Visibility.PRIVATE,
        department=department,
    )
    add_member(space, owner, Role.OWNER)
    inviting = sign_in(owner)
    inviting.goto("/spaces/spending-review/manage/access/")
    inviting.get_by_label("Username or email address", exact=True).fill("ada.lovelace")
    inviting.get_by_role("button", name="Send invitation").click()
    expect_banner(inviting, "Ada Lovelace has been invited to join as a member")
    waiting = inviting.get_by_role("table", name="Invitations waiting for an answer")
    expect(waiting).to_contain_text("Ada Lovelace")

    invitee = sign_in(member, javascript=False)
    invitee.goto("/spaces/")
    expect(
        invitee.get_by_role("heading", name="Invitations waiting for you")
    ).to_be_visible()
    invitee.get_by_role(
        "link", name="Answer the invitation to Spending Review Team"
    ).click()
    expect(invitee.get_by_role("main")).to_contain_text("Grace Hopper")
    invitee.get_by_role("button", name="Accept and join").click()

    expect(invitee).to_have_url(re.compile(r"/spaces/spending-review/$"))
    expect_banner(invitee, "You have joined Spending Review Team")
    expect_standing(invitee, "You are a member (member).")
    assert SpaceMembership.objects.get(space=space, user=member).role == Role.MEMBER
    assert Invitation.objects.get(invitee=member).status == (Invitation.Status.ACCEPTED)
    assert audited("space.invitation.create", space, owner)
    assert audited("space.invitation.accepted", space, member)
    assert audited("space.membership.add", space, member, how="invitation")

    # To anyone else the private space does not exist.
    outsider = sign_in(staff(department=department), javascript=False)
    for path in ("/spaces/spending-review/", "/spaces/spending-review/join/"):
        assert outsider.goto(path).status == 404
    outsider.goto("/spaces/")
    expect(outsider.get_by_role("main")).not_to_contain_text("Spending Review")


@pytest.fixture
def realistic(member, owner, department):
    """Ada owns a restricted space with a Markdown description, members, a grant,
    a pending request, an invitation and their history; she is a plain member of
    an open space, not in a restricted one, and invited to a private one."""
    space = services.space_create(
        actor=member,
        name="Procurement Reform",
        slug="procurement-reform",
        department=department,
        visibility=Space.Visibility.RESTRICTED,
        description=DESCRIPTION,
    )
    services.invitation_create(actor=member, space=space, invitee=owner)
    services.invitation_accept(
        actor=owner, invitation=Invitation.objects.get(invitee=owner)
    )
    services.membership_set_role(
        actor=member,
        membership=SpaceMembership.objects.get(space=space, user=owner),
        role=Role.MODERATOR,
    )
    team = TeamFactory(department=department, name="Commercial", slug="commercial")
    services.grant_create(actor=member, space=space, role=GrantRole.GUEST, team=team)
    services.join_request_create(
        actor=staff(department=department), space=space, message="I buy things."
    )
    services.invitation_create(
        actor=member, space=space, invitee=staff(department=department)
    )

    open_space = SpaceFactory(name="Open Data Community", slug="open-data")
    add_member(open_space, owner, Role.OWNER)
    add_member(open_space, member)
    thread_start(
        actor=owner,
        space=open_space,
        title="Publishing the register",
        body="Shall we publish it as **CSV**?",
        client_id="realistic-open-data-1",
    )
    elsewhere = SpaceFactory(
        name="Tax Policy Network",
        slug="tax-policy",
        visibility=Space.Visibility.RESTRICTED,
        description="For **tax** policy people.",
    )
    add_member(elsewhere, owner, Role.OWNER)
    private = SpaceFactory(
        name="Spending Review Team",
        slug="spending-review",
        visibility=Space.Visibility.PRIVATE,
        description=DESCRIPTION,
    )
    add_member(private, owner, Role.OWNER)
    return services.invitation_create(actor=owner, space=private, invitee=member)


# (name, path, its h1, something the realistic data puts on it)
PAGES = [
    ("directory", "/spaces/", "Spaces", "Invitations waiting for you"),
    ("create", "/spaces/new/", "Create a space", "Who can see it"),
    ("home-member", "/spaces/procurement-reform/", "Procurement Reform", "What we do"),
    ("home-unread", "/spaces/open-data/", "Open Data Community", "Mark all as read"),
    (
        "home-non-member",
        "/spaces/tax-policy/",
        "Tax Policy Network",
        "Only members can read",
    ),
    ("join", "/spaces/tax-policy/join/", "Ask to join", "Send request"),
    ("leave", "/spaces/open-data/leave/", "Leave this space", "You can join again"),
    ("members", "/spaces/procurement-reform/members/", "Members", "Commercial"),
    ("settings", "/spaces/procurement-reform/manage/", "Settings", "Save settings"),
    (
        "access",
        "/spaces/procurement-reform/manage/access/",
        "Who has access",
        "I buy things.",
    ),
    (
        "history",
        "/spaces/procurement-reform/history/",
        "Access history",
        "Changes, newest first",
    ),
    (
        "invitation",
        "/spaces/invitations/{invitation}/",
        "Spending Review Team",
        "Accept and join",
    ),
]


@pytest.mark.parametrize(
    ("path", "heading", "shows"),
    [pytest.param(*rest, id=name) for name, *rest in PAGES],
)
def test_space_pages_are_accessible(signed_in_page, realistic, path, heading, shows):
    page = signed_in_page
    response = page.goto(path.format(invitation=realistic.pk))
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.get_by_role("main")).to_contain_text(shows)
    assert_no_serious_violations(page)


def test_create_page_with_errors_is_accessible(signed_in_page, department):
    page = signed_in_page
    page.goto("/spaces/new/")
    page.get_by_role("button", name="Create space").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    expect(page.locator("#id_name-error")).to_contain_text("Enter a name for the space")
    assert not Space.objects.exists()
    assert_no_serious_violations(page)


def submit_invalid_create(page):
    page.goto("/spaces/new/")
    page.get_by_role("button", name="Create space").click()


def submit_invalid_join(page):
    page.goto("/spaces/tax-policy/join/")
    page.get_by_label("Why you want to join (optional)").fill("x" * 1001)
    page.get_by_role("button", name="Send request").click()


@pytest.mark.parametrize(
    ("submit", "title"),
    [(submit_invalid_create, "Create a space"), (submit_invalid_join, "Ask to join")],
    ids=["create", "join"],
)
def test_an_error_page_title_says_error_once(signed_in_page, restricted, submit, title):
    page = signed_in_page
    submit(page)
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    # Read once, not retried: the title is final once the page has loaded.
    assert page.title().startswith(f"Error: {title}"), page.title()
