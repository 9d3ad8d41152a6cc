"""Threads in a real browser: two people see each other's messages and typing
live, a reply works with JavaScript off, an unsent draft survives a reload, and
axe checks the thread and new-thread pages.

The live updates need WebSockets, which pytest-django's live server (WSGI) does
not serve, so this module runs the project's ASGI application in daphne, in a
thread of the test process: it shares the in-memory test database, as
pytest-django's live server does.
"""

from __future__ import annotations

import asyncio
import re
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from channels.layers import channel_layers
from django.conf import settings
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from django.test import Client, override_settings
from playwright.sync_api import expect

from spaces.models import Message, Reaction, Role, Space, Thread, ThreadReader
from spaces.thread_services import (
    message_delete,
    message_edit,
    message_post,
    reaction_toggle,
    thread_start,
)
from tests.e2e.accessibility import assert_no_serious_violations
from tests.live_events import capture_events
from tests.spaces.factories import SpaceFactory, add_member, staff

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BUILT_LIVE_JS = Path(__file__).resolve().parents[2] / "static" / "build" / "live.js"
LIVE = 10_000  # ms: the longest a live update may take to show


class DaphneThread(threading.Thread):
    """daphne serving the ASGI application (HTTP, WebSockets, static files) on a
    free port of 127.0.0.1, with its own Twisted reactor and event loop."""

    def __init__(self):
        super().__init__(name="daphne", daemon=True)
        self.ready = threading.Event()
        self.port: int | None = None
        self.failure: BaseException | None = None

    def run(self):
        try:
            self._serve()
        except BaseException as error:  # reported to the test that waits
            self.failure = error
            self.ready.set()

    def _serve(self):
        from twisted.internet import asyncioreactor

        # A reactor of this thread's own: daphne's module installs one on import.
        sys.modules.pop("twisted.internet.reactor", None)
        sys.modules.pop("daphne.server", None)
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        asyncioreactor.install(loop)

        from channels.routing import get_default_application
        from daphne.endpoints import build_endpoint_description_strings
        from daphne.server import Server
        from twisted.internet import reactor

        self.reactor = reactor
        self.server = Server(
            application=ASGIStaticFilesHandler(get_default_application()),
            endpoints=build_endpoint_description_strings(host="127.0.0.1", port=0),
            signal_handlers=False,
        )
        reactor.callLater(0.05, self._find_port)
        self.server.run()

    def _find_port(self):
        if self.server.listening_addresses:
            self.port = self.server.listening_addresses[0][1]
            self.ready.set()
        else:
            self.reactor.callLater(0.05, self._find_port)

    def stop(self):
        self.reactor.callFromThread(self.reactor.stop)
        self.join(timeout=10)


@pytest.fixture(scope="module")
def asgi_server(browser, django_db_setup):
    """The URL of daphne serving Crossgov (the browser fixture comes first: it
    allows the ORM beside Playwright's event loop)."""
    if not BUILT_LIVE_JS.exists():
        pytest.fail(
            "static/build/live.js is missing: run `npm run build` before the browser "
            "tests.",
            pytrace=False,
        )
    channel_layers.backends.clear()  # a fresh in-memory layer for this server
    # The search outbox's writer would write to the shared in-memory database
    # from yet another thread, and these tests search nothing.
    no_drainer = override_settings(SEARCH_DRAIN_IN_PROCESS=False)
    no_drainer.enable()
    server = DaphneThread()
    server.start()
    try:
        assert server.ready.wait(10), "daphne did not start"
        if server.failure is not None:
            raise server.failure
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.stop()
        no_drainer.disable()
        channel_layers.backends.clear()


def signed_in(browser, base_url, user, *, javascript=True):
    """A new browser context holding a session for `user`, and a page in it."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context = browser.new_context(base_url=base_url, java_script_enabled=javascript)
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])
    return context, context.new_page()


@contextmanager
def arranging():
    """Services called from the test's own thread tell nobody live: the sockets
    are daphne's, and Playwright's event loop in this thread refuses the channel
    layer's async_to_sync anyway."""
    with capture_events():
        yield


@pytest.fixture
def discussion():
    space = SpaceFactory(
        name="Estates", slug="estates", visibility=Space.Visibility.RESTRICTED
    )
    ada = staff(
        user__username="ada", user__first_name="Ada", user__last_name="Lovelace"
    )
    grace = staff(
        user__username="grace", user__first_name="Grace", user__last_name="Hopper"
    )
    add_member(space, ada, Role.OWNER)
    add_member(space, grace, Role.MEMBER)
    with arranging():
        thread = thread_start(
            actor=ada,
            space=space,
            title="Office moves",
            body="Where should the **data team** sit?",
            client_id="e2e-first-message",
        )
    path = f"/spaces/{space.slug}/threads/{thread.pk}/"
    return {"space": space, "ada": ada, "grace": grace, "thread": thread, "path": path}


def open_live(page, path):
    page.goto(path)
    expect(page.locator("[data-live-thread]")).to_have_attribute(
        "data-live-state", "live", timeout=LIVE
    )


def test_two_people_see_each_others_messages_live(browser, asgi_server, discussion):
    ada_context, ada = signed_in(browser, asgi_server, discussion["ada"])
    grace_context, grace = signed_in(browser, asgi_server, discussion["grace"])
    try:
        open_live(ada, discussion["path"])
        open_live(grace, discussion["path"])
        # Set on the pages as loaded: a reload would lose them.
        ada.evaluate("window.notReloaded = true")
        grace.evaluate("window.notReloaded = true")

        grace.get_by_label("Your reply").fill("By the windows, *please*")
        expect(ada.locator("[data-typing]")).to_have_text(
            "Grace Hopper is typing…", timeout=LIVE
        )
        grace.get_by_role("button", name="Post reply").click()

        on_adas_page = ada.locator("#message-2")
        expect(on_adas_page).to_contain_text("By the windows, please", timeout=LIVE)
        expect(on_adas_page.locator("em")).to_have_text("please")
        expect(on_adas_page).to_contain_text("Grace Hopper")
        expect(grace.locator("#message-2")).to_contain_text("By the windows")
        expect(grace.get_by_label("Your reply")).to_have_value("")
        # The person who typed is no longer typing once their message is in.
        expect(ada.locator("[data-typing]")).to_have_text("")

        ada.get_by_label("Your reply").fill("Done: second floor, by the windows")
        ada.get_by_role("button", name="Post reply").click()
        expect(grace.locator("#message-3")).to_contain_text(
            "Done: second floor", timeout=LIVE
        )
        expect(grace.locator("#message-3")).to_contain_text("Ada Lovelace")
        # A reaction: Grace's own button shows it is hers, Ada sees the count.
        first_on_graces = grace.locator("#message-1")
        first_on_graces.get_by_text("React to this message").click()
        first_on_graces.get_by_role("button", name="👍", exact=True).click()
        expect(first_on_graces.locator('[data-emoji="👍"]')).to_have_attribute(
            "aria-pressed", "true"
        )
        expect(ada.locator('#message-1 [data-emoji="👍"]')).to_contain_text(
            "👍 1", timeout=LIVE
        )
        expect(ada.locator('#message-1 [data-emoji="👍"]')).to_have_attribute(
            "aria-pressed", "false"
        )
        # Each message once, in order, on both pages.
        for page in (ada, grace):
            expect(page.locator("[data-messages] > li")).to_have_count(3)
            assert page.locator("[data-messages] > li").evaluate_all(
                "items => items.map(item => item.dataset.seq)"
            ) == ["1", "2", "3"]
            assert page.evaluate("window.notReloaded") is True
    finally:
        ada_context.close()
        grace_context.close()
    assert list(
        Message.objects.filter(thread=discussion["thread"]).values_list(
            "seq", "author__username", "body"
        )
    ) == [
        (1, "ada", "Where should the **data team** sit?"),
        (2, "grace", "By the windows, *please*"),
        (3, "ada", "Done: second floor, by the windows"),
    ]
    # Grace saw Ada's message arrive: her page said so over the socket.
    assert read_up_to(discussion["thread"], discussion["grace"]) == 3
    assert list(
        Reaction.objects.filter(message__thread=discussion["thread"]).values_list(
            "message__seq", "user__username", "emoji"
        )
    ) == [(1, "grace", "👍")]


def read_up_to(thread, user, *, wait_s: float = 5.0) -> int:
    """The user's read marker, waiting for it to reach the thread's last message
    (the `read` frame goes after the message is shown, and lands a moment later)."""
    thread.refresh_from_db()
    deadline = time.monotonic() + wait_s
    while True:
        seq = (
            ThreadReader.objects.filter(thread=thread, user=user)
            .values_list("last_read_seq", flat=True)
            .first()
        ) or 0
        if seq >= thread.last_seq or time.monotonic() > deadline:
            return seq
        time.sleep(0.1)


def test_a_missed_message_is_caught_up_when_the_next_one_shows_the_gap(
    browser, asgi_server, discussion
):
    grace_context, grace = signed_in(browser, asgi_server, discussion["grace"])
    ada_context, ada = signed_in(browser, asgi_server, discussion["ada"])
    try:
        open_live(grace, discussion["path"])
        open_live(ada, discussion["path"])
        grace.evaluate("window.notReloaded = true")
        # The channel layer is at-most-once: this message's event is lost.
        with arranging():
            message_post(
                actor=discussion["ada"],
                thread=discussion["thread"],
                body="Lost on the way",
                client_id="e2e-lost-event",
            )
        ada.get_by_label("Your reply").fill("The next one")
        ada.get_by_role("button", name="Post reply").click()
        expect(ada.locator("#message-3")).to_contain_text("The next one", timeout=LIVE)

        # Seq 3 after 1: Grace's page subscribes again from 1 and gets both.
        expect(grace.locator("#message-3")).to_contain_text(
            "The next one", timeout=LIVE
        )
        expect(grace.locator("#message-2")).to_contain_text("Lost on the way")
        assert grace.locator("[data-messages] > li").evaluate_all(
            "items => items.map(item => item.dataset.seq)"
        ) == ["1", "2", "3"]
        assert grace.evaluate("window.notReloaded") is True
    finally:
        grace_context.close()
        ada_context.close()


def test_a_lost_last_message_is_caught_up_from_the_heads_the_server_sends(
    browser, asgi_server, discussion, settings
):
    """No later message shows a gap: the periodic heads frame says the thread
    is at 2, and the page, holding 1, catches up by itself."""
    settings.CROSSGOV_LIVE_HEADS_INTERVAL_S = 0.5
    context, grace = signed_in(browser, asgi_server, discussion["grace"])
    try:
        open_live(grace, discussion["path"])
        grace.evaluate("window.notReloaded = true")
        with arranging():  # committed, but its event is lost
            message_post(
                actor=discussion["ada"],
                thread=discussion["thread"],
                body="The last word, lost on the way",
                client_id="e2e-lost-last",
            )
        expect(grace.locator("#message-2")).to_contain_text(
            "The last word, lost on the way", timeout=LIVE
        )
        assert grace.locator("[data-messages] > li").evaluate_all(
            "items => items.map(item => item.dataset.seq)"
        ) == ["1", "2"]
        assert grace.evaluate("window.notReloaded") is True
    finally:
        context.close()


def _thread_posts(page, path):
    """Route the thread's POSTs (replies) through `handler`, others as they are."""
    pattern = re.compile(re.escape(path) + r"$")

    def install(handler):
        page.route(
            lambda url: bool(pattern.search(url)),
            lambda route: (
                handler(route) if route.request.method == "POST" else route.continue_()
            ),
        )

    return install


def test_a_reply_that_fails_to_send_stays_pending_and_is_sent_again(
    browser, asgi_server, discussion
):
    context, grace = signed_in(browser, asgi_server, discussion["grace"])
    server = {"down": True, "posts": 0}

    def flaky(route):
        server["posts"] += 1
        if server["down"]:
            route.fulfill(status=503, body="Service Unavailable")
        else:
            route.continue_()

    try:
        open_live(grace, discussion["path"])
        _thread_posts(grace, discussion["path"])(flaky)
        grace.get_by_label("Your reply").fill("Sent while the server was down")
        grace.get_by_role("button", name="Post reply").click()

        pending = grace.locator("[data-pending]")
        expect(pending).to_contain_text("Sent while the server was down")
        expect(pending.locator("[data-pending-status]")).to_have_text(
            "Waiting to send", timeout=LIVE
        )
        expect(pending).to_contain_text("It will be sent again by itself")
        expect(grace.get_by_label("Your reply")).to_have_value("")
        # Still failing, still retrying, still on screen: nothing is lost.
        deadline = time.monotonic() + LIVE / 1000
        while server["posts"] < 2 and time.monotonic() < deadline:
            grace.wait_for_timeout(100)
        assert server["posts"] >= 2
        expect(pending).to_have_count(1)
        # A reload keeps it, and sends it again.
        grace.reload()
        open_live(grace, discussion["path"])
        expect(pending).to_contain_text("Sent while the server was down")
        assert_no_serious_violations(grace)

        server["down"] = False
        expect(grace.locator("#message-2")).to_contain_text(
            "Sent while the server was down", timeout=LIVE
        )
        expect(pending).to_have_count(0)
    finally:
        # A retry may still be on its way through the route: let it land
        # before the context (and the test's database) goes.
        grace.unroute_all(behavior="wait")
        context.close()
    assert list(
        Message.objects.filter(thread=discussion["thread"]).values_list("seq", "body")
    ) == [
        (1, "Where should the **data team** sit?"),
        (2, "Sent while the server was down"),
    ]


def test_a_refused_reply_goes_back_into_the_textarea_with_the_reason(
    browser, asgi_server, discussion
):
    context, grace = signed_in(browser, asgi_server, discussion["grace"])
    try:
        open_live(grace, discussion["path"])
        # Locked behind the page's back (no live event): the server refuses.
        Thread.objects.filter(pk=discussion["thread"].pk).update(locked=True)
        grace.get_by_label("Your reply").fill("Too late to say this")
        grace.get_by_role("button", name="Post reply").click()
        expect(grace.locator(".govuk-error-message")).to_contain_text(
            "This thread is locked: nobody can reply.", timeout=LIVE
        )
        expect(grace.get_by_label("Your reply")).to_have_value("Too late to say this")
        expect(grace.locator("[data-pending]")).to_have_count(0)
    finally:
        context.close()
    assert discussion["thread"].messages.count() == 1


def test_a_reply_whose_answer_is_lost_is_matched_by_its_own_live_event(
    browser, asgi_server, discussion
):
    """Every POST reaches the server, every answer is lost on the way back: the
    message event on the author's socket carries their client id, so the page
    shows the message once and stops showing it as pending."""
    context, grace = signed_in(browser, asgi_server, discussion["grace"])

    def answer_lost(route):
        route.fetch()
        route.abort("connectionreset")

    try:
        open_live(grace, discussion["path"])
        _thread_posts(grace, discussion["path"])(answer_lost)
        grace.get_by_label("Your reply").fill("The answer never came back")
        grace.get_by_role("button", name="Post reply").click()
        expect(grace.locator("#message-2")).to_contain_text(
            "The answer never came back", timeout=LIVE
        )
        expect(grace.locator("[data-pending]")).to_have_count(0)
        expect(grace.locator("[data-messages] > li")).to_have_count(2)
    finally:
        grace.unroute_all(behavior="wait")
        context.close()
    assert discussion["thread"].messages.count() == 2


def test_a_reply_works_with_javascript_off(browser, asgi_server, discussion):
    context, page = signed_in(
        browser, asgi_server, discussion["grace"], javascript=False
    )
    try:
        page.goto(discussion["path"])
        page.get_by_label("Your reply").fill("Sent the *old* way")
        page.get_by_role("button", name="Post reply").click()
        expect(page).to_have_url(
            re.compile(re.escape(discussion["path"]) + "#message-2$")
        )
        expect(page.get_by_role("alert")).to_contain_text("Your reply has been posted")
        expect(page.locator("#message-2")).to_contain_text("Sent the old way")

        # An empty reply comes back with the GOV.UK error summary.
        page.get_by_role("button", name="Post reply").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("Write a message.")
        expect(page).to_have_title(re.compile(r"^Error: Office moves"))
    finally:
        context.close()
    assert Message.objects.filter(thread=discussion["thread"]).count() == 2


def test_an_unsent_draft_survives_a_reload(browser, asgi_server, discussion):
    context, page = signed_in(browser, asgi_server, discussion["grace"])
    try:
        open_live(page, discussion["path"])
        page.get_by_label("Your reply").fill("Half a thought about desks")
        page.reload()
        open_live(page, discussion["path"])
        expect(page.get_by_label("Your reply")).to_have_value(
            "Half a thought about desks"
        )
        page.get_by_role("button", name="Post reply").click()
        expect(page.locator("#message-2")).to_contain_text(
            "Half a thought", timeout=LIVE
        )
        expect(page.get_by_label("Your reply")).to_have_value("")
        page.reload()
        open_live(page, discussion["path"])
        expect(page.get_by_label("Your reply")).to_have_value("")
    finally:
        context.close()
    assert Message.objects.filter(thread=discussion["thread"]).count() == 2


def test_thread_pages_are_accessible(browser, asgi_server, discussion):
    ada, grace, thread = discussion["ada"], discussion["grace"], discussion["thread"]
    # Every kind of message on the page: edited, reacted to, deleted.
    with arranging():
        first = thread.messages.get()
        message_edit(actor=ada, message=first, body="Where should **we** sit?")
        reaction_toggle(actor=grace, message=first, emoji="👍")
        reaction_toggle(actor=ada, message=first, emoji="🎉")
        gone, _ = message_post(
            actor=grace, thread=thread, body="Never mind", client_id="e2e-gone"
        )
        message_delete(actor=grace, message=gone)
    context, page = signed_in(browser, asgi_server, ada)
    try:
        open_live(page, discussion["path"])
        expect(page.get_by_role("heading", level=1)).to_have_text("Office moves")
        expect(page.locator("#message-1")).to_contain_text("(edited)")
        expect(page.locator("#message-2")).to_contain_text("This message was deleted")
        page.get_by_text("Earlier versions").click()
        assert_no_serious_violations(page)

        page.goto(f"/spaces/{discussion['space'].slug}/threads/new/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Start a thread")
        assert_no_serious_violations(page)
        # And with its errors showing.
        page.get_by_role("button", name="Start thread").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a title.")
        assert_no_serious_violations(page)
    finally:
        context.close()
    assert Thread.objects.count() == 1
