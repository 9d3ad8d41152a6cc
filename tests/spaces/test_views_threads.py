"""The thread pages through the test client: starting a thread, reading and
replying (form and JSON), paging, editing, deleting, reactions, moderation,
following, who gets a 404 or a 403, and bounded queries on the thread page."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from itertools import count

import pytest
from django.contrib.messages import get_messages
from django.core.cache.backends.base import BaseCache
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from intranet.models import AuditEvent
from spaces import selectors
from spaces.errors import SpaceError
from spaces.models import (
    GrantRole,
    Marking,
    Message,
    MessageRevision,
    Reaction,
    Role,
    Space,
    Thread,
    ThreadReader,
)
from spaces.services import grant_create
from spaces.thread_services import (
    message_delete,
    message_edit,
    message_post,
    reaction_toggle,
    space_mark_read,
    thread_mark_read,
    thread_start,
)
from tests.profiles.factories import DepartmentFactory, UserFactory
from tests.spaces.factories import SpaceFactory, add_member, staff

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}
_ids = count()


def cid() -> str:
    return f"client-{next(_ids):08d}"


@pytest.fixture(autouse=True)
def no_live_sends(captured_events):
    """Services publish on commit; no channel layer is needed to test pages."""


@pytest.fixture
def space():
    return SpaceFactory(
        name="Estates", slug="estates", visibility=Space.Visibility.RESTRICTED
    )


@pytest.fixture
def people(space):
    cast = {}
    for role in (Role.OWNER, Role.MODERATOR, Role.MEMBER, Role.GUEST):
        cast[role] = staff(
            user__username=f"{role}-person",
            user__first_name=role.capitalize(),
            user__last_name="Person",
        )
        add_member(space, cast[role], role)
    cast["outsider"] = staff(user__username="outsider")
    department = DepartmentFactory()
    grant_create(
        actor=cast[Role.OWNER],
        space=space,
        role=GrantRole.MEMBER,
        department=department,
    )
    cast["granted"] = staff(user__username="granted", department=department)
    return cast


@pytest.fixture
def member(people):
    return people[Role.MEMBER]


def start(actor, space, **kwargs) -> Thread:
    fields = {"title": "Estates strategy", "body": "First thoughts", "client_id": cid()}
    return thread_start(actor=actor, space=space, **{**fields, **kwargs})


def reply(actor, thread, body="A reply") -> Message:
    message, _ = message_post(actor=actor, thread=thread, body=body, client_id=cid())
    return message


def url(name: str, thread: Thread, **kwargs) -> str:
    return reverse(
        f"spaces:{name}",
        kwargs={"slug": thread.space.slug, "thread_id": thread.pk, **kwargs},
    )


def signed_in(client, user):
    client.force_login(user)
    return client


def banner(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# Starting a thread ---------------------------------------------------------------


def test_the_new_thread_form_offers_the_markings_with_the_space_default(
    client, space, member
):
    space.default_marking = Marking.OFFICIAL_SENSITIVE
    space.save()
    response = signed_in(client, member).get(
        reverse("spaces:thread_new", kwargs={"slug": space.slug})
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(
        r'name="marking" type="radio" value="OFFICIAL-SENSITIVE" checked', html
    )
    assert 'value="OFFICIAL" checked' not in html
    hidden_id = re.search(r'name="client_id" value="([0-9a-f]{32})"', html)
    assert hidden_id, "a fresh client id is drawn into the form"


def test_starting_a_thread_redirects_to_it_with_a_banner(client, space, member):
    response = signed_in(client, member).post(
        reverse("spaces:thread_new", kwargs={"slug": space.slug}),
        {
            "title": "Hybrid working",
            "body": "How is it **going**?",
            "marking": Marking.OFFICIAL,
            "client_id": "a" * 32,
        },
    )
    thread = Thread.objects.get(space=space)
    assert response.status_code == 303
    assert response["Location"] == url("thread", thread)
    assert banner(response) == ["Your thread has been started"]
    assert (thread.title, thread.author, thread.marking) == (
        "Hybrid working",
        member,
        Marking.OFFICIAL,
    )
    first = thread.messages.get()
    assert (first.seq, first.body) == (1, "How is it **going**?")


def test_posting_the_new_thread_form_twice_starts_one_thread(client, space, member):
    form = {"title": "Once", "body": "Only once", "client_id": "b" * 32}
    client = signed_in(client, member)
    new = reverse("spaces:thread_new", kwargs={"slug": space.slug})
    first = client.post(new, form)
    second = client.post(new, form)
    assert Thread.objects.filter(space=space).count() == 1
    assert first["Location"] == second["Location"]


def test_a_new_thread_with_no_title_comes_back_with_the_error(client, space, member):
    response = signed_in(client, member).post(
        reverse("spaces:thread_new", kwargs={"slug": space.slug}),
        {"title": "  ", "body": "Words", "client_id": "c" * 32},
    )
    assert response.status_code == 400
    assertContains(response, "There is a problem", status_code=400)
    assertContains(response, '<a href="#id_title">Enter a title.</a>', status_code=400)
    assertContains(response, "<title>Error: Start a thread", status_code=400)
    assert not Thread.objects.exists()


def test_a_grant_member_is_offered_official_only_and_a_forged_marking_is_refused(
    client, space, people
):
    granted = signed_in(client, people["granted"])
    new = reverse("spaces:thread_new", kwargs={"slug": space.slug})
    page = granted.get(new)
    assert page.status_code == 200
    assertNotContains(page, 'value="OFFICIAL-SENSITIVE"')
    assertContains(page, "Only the space’s own members can start OFFICIAL-SENSITIVE")
    response = granted.post(
        new,
        {
            "title": "Secret",
            "body": "Shh",
            "marking": Marking.OFFICIAL_SENSITIVE,
            "client_id": "d" * 32,
        },
    )
    assertContains(
        response,
        "Only the space’s own members can start OFFICIAL-SENSITIVE threads.",
        status_code=400,
    )
    assert not Thread.objects.exists()


@pytest.mark.parametrize("who", [Role.GUEST, "outsider"])
def test_those_who_may_not_start_threads_are_refused(client, space, people, who):
    client = signed_in(client, people[who])
    new = reverse("spaces:thread_new", kwargs={"slug": space.slug})
    assert client.get(new).status_code == 403
    form = {"title": "Mine", "body": "Words", "client_id": "e" * 32}
    assert client.post(new, form).status_code == 403
    assert not Thread.objects.exists()


def test_no_thread_is_started_in_an_archived_space(client, space, member):
    space.archived = True
    space.save()
    client = signed_in(client, member)
    new = reverse("spaces:thread_new", kwargs={"slug": space.slug})
    assert client.get(new).status_code == 403
    form = {"title": "Mine", "body": "Words", "client_id": "f" * 32}
    assert client.post(new, form).status_code == 403
    assert not Thread.objects.exists()


def test_a_private_space_has_no_new_thread_page_for_outsiders(client, people):
    private = SpaceFactory(visibility=Space.Visibility.PRIVATE)
    response = signed_in(client, people["outsider"]).get(
        reverse("spaces:thread_new", kwargs={"slug": private.slug})
    )
    assert response.status_code == 404


# The thread page -----------------------------------------------------------------


def test_the_thread_page_shows_the_thread_and_marks_it_read(client, space, people):
    thread = start(people[Role.OWNER], space, body="Where do we *start*?")
    reply(people[Role.GUEST], thread, "With the **estate** plan")
    member = people[Role.MEMBER]
    response = signed_in(client, member).get(url("thread", thread))
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        '<h1 class="govuk-heading-xl govuk-!-margin-bottom-3">Estates strategy' in html
    )
    assert "Where do we <em>start</em>?" in html
    assert "With the <strong>estate</strong> plan" in html
    assert 'id="message-1"' in html and 'id="message-2"' in html
    assert "Owner Person" in html and "Guest Person" in html
    assert '<strong class="govuk-tag govuk-tag--grey">OFFICIAL</strong>' in html
    assert f'data-stream="thread:{thread.pk}"' in html
    assert 'data-last-seq="2"' in html
    assert re.search(r'name="client_id" value="[0-9a-f]{32}"', html)
    assert "Post reply" in html
    assert ThreadReader.objects.get(thread=thread, user=member).last_read_seq == 2


def test_a_sensitive_thread_carries_a_red_tag_and_a_warning(client, space, member):
    thread = start(member, space, marking=Marking.OFFICIAL_SENSITIVE)
    response = signed_in(client, member).get(url("thread", thread))
    assertContains(
        response, '<strong class="govuk-tag govuk-tag--red">OFFICIAL-SENSITIVE</strong>'
    )
    assertContains(response, "only the space’s own members can read this thread")


def test_pinned_and_locked_threads_are_tagged_and_a_locked_one_has_no_reply_form(
    client, space, people
):
    thread = start(people[Role.MEMBER], space)
    Thread.objects.filter(pk=thread.pk).update(pinned=True, locked=True)
    response = signed_in(client, people[Role.MEMBER]).get(url("thread", thread))
    assertContains(response, 'data-tag="pinned">Pinned</strong>')
    assertContains(response, 'data-tag="locked">Locked</strong>')
    assertContains(response, "This thread is locked: nobody can reply.")
    assertNotContains(response, "Post reply")


def test_hidden_and_missing_threads_answer_404(client, space, people):
    thread = start(people[Role.MEMBER], space)
    sensitive = start(people[Role.MEMBER], space, marking=Marking.OFFICIAL_SENSITIVE)
    other = SpaceFactory()
    it_admin = UserFactory(it_admin=True)
    cases = [
        (people["outsider"], url("thread", thread)),  # restricted: members only
        (people[Role.GUEST], url("thread", sensitive)),
        (people["granted"], url("thread", sensitive)),
        (it_admin, url("thread", thread)),  # manages access, reads nothing
        (people[Role.MEMBER], url("thread", thread).replace(space.slug, other.slug)),
        (people[Role.MEMBER], url("thread", thread).replace(str(thread.pk), "999999")),
    ]
    for user, path in cases:
        client.force_login(user)
        for path_of in (
            path,
            path + "messages/",
            path + "messages/1/edit/",
            path + "messages/1/delete/",
        ):
            assert client.get(path_of).status_code == 404, (user, path_of)
        assert client.post(path, {"body": "hi", "client_id": cid()}).status_code == 404
        assert (
            client.post(path + "messages/1/react/", {"emoji": "👍"}).status_code == 404
        )
        assert client.post(path + "moderate/", {"pinned": "1"}).status_code == 404
        assert client.post(path + "follow/", {"follow": "muted"}).status_code == 404
    assert Message.objects.count() == 2
    assert not Reaction.objects.exists()
    assert not Thread.objects.filter(pinned=True).exists()


def test_a_private_spaces_thread_is_a_404_to_a_non_member(client, people):
    private = SpaceFactory(visibility=Space.Visibility.PRIVATE)
    owner = staff()
    add_member(private, owner, Role.OWNER)
    thread = start(owner, private)
    response = signed_in(client, people["outsider"]).get(url("thread", thread))
    assert response.status_code == 404
    assert signed_in(client, owner).get(url("thread", thread)).status_code == 200


def test_a_grant_member_reads_an_official_thread(client, space, people):
    thread = start(people[Role.MEMBER], space)
    response = signed_in(client, people["granted"]).get(url("thread", thread))
    assert response.status_code == 200
    assertContains(response, "Post reply")


def test_a_reader_who_may_not_post_is_offered_to_join(client, people):
    open_space = SpaceFactory(visibility=Space.Visibility.OPEN)
    author = staff()
    add_member(open_space, author)
    thread = start(author, open_space)
    client = signed_in(client, people["outsider"])
    response = client.get(url("thread", thread))
    assert response.status_code == 200
    assertContains(response, "Only the space’s members can reply.")
    assertNotContains(response, "Post reply")
    assertNotContains(response, "React<span")
    refused = client.post(url("thread", thread), {"body": "Hi", "client_id": cid()})
    assertContains(refused, "You cannot post in this space.", status_code=403)
    assert thread.messages.count() == 1


def test_the_page_shows_the_latest_50_and_links_to_earlier_ones(client, space, member):
    thread = start(member, space, body="message 1")
    Message.objects.bulk_create(
        Message(
            thread=thread,
            seq=seq,
            author=member,
            client_id=f"bulk-{seq:06d}",
            body=f"message {seq}",
            body_html=f"<p>message {seq}</p>",
        )
        for seq in range(2, 61)
    )
    Thread.objects.filter(pk=thread.pk).update(last_seq=60)
    client = signed_in(client, member)
    latest = client.get(url("thread", thread)).content.decode()
    shown = [int(n) for n in re.findall(r'<li[^>]* id="message-(\d+)"', latest)]
    assert shown == list(range(11, 61))
    assert 'href="?before=11">Show earlier messages' in latest
    assert "data-live-thread" in latest

    earlier = client.get(url("thread", thread) + "?before=11")
    html = earlier.content.decode()
    assert [int(n) for n in re.findall(r'<li[^>]* id="message-(\d+)"', html)] == list(
        range(1, 11)
    )
    assert "Show earlier messages" not in html
    assert "Show the latest messages" in html
    assert "data-live-thread" not in html, "only the newest page is live"
    assert "(earlier messages)" in html


def test_an_edited_message_shows_its_history_and_a_deleted_one_a_tombstone(
    client, space, people
):
    member = people[Role.MEMBER]
    thread = start(member, space, body="Frist draft")
    message_edit(actor=member, message=thread.messages.get(), body="First draft")
    doomed = reply(member, thread, "Something regrettable")
    message_delete(actor=member, message=doomed)
    response = signed_in(client, people[Role.GUEST]).get(url("thread", thread))
    html = response.content.decode()
    assert "(edited)" in html
    assert "Earlier versions" in html
    assert "Frist draft" in html and "First draft" in html
    assert "This message was deleted" in html
    assert "Something regrettable" not in html


def test_reactions_show_counts_and_which_are_mine(client, space, people):
    thread = start(people[Role.MEMBER], space)
    message = thread.messages.get()
    reaction_toggle(actor=people[Role.GUEST], message=message, emoji="👍")
    reaction_toggle(actor=people[Role.OWNER], message=message, emoji="👍")
    reaction_toggle(actor=people[Role.OWNER], message=message, emoji="🎉")
    response = signed_in(client, people[Role.GUEST]).get(url("thread", thread))
    html = response.content.decode()
    assert re.search(r'data-emoji="👍" aria-pressed="true">👍 2<', html)
    assert re.search(r'data-emoji="🎉" aria-pressed="false">🎉 1<', html)


def test_the_author_and_moderators_see_the_message_controls(client, space, people):
    thread = start(people[Role.MEMBER], space)
    edit = url("message_edit", thread, seq=1)
    delete = url("message_delete", thread, seq=1)
    author_page = signed_in(client, people[Role.MEMBER]).get(url("thread", thread))
    assertContains(author_page, f'href="{edit}"')
    assertContains(author_page, f'href="{delete}"')
    moderator_page = signed_in(client, people[Role.MODERATOR]).get(
        url("thread", thread)
    )
    assertNotContains(moderator_page, f'href="{edit}"')
    assertContains(moderator_page, f'href="{delete}"')
    assertContains(moderator_page, "Pin thread")
    assertContains(moderator_page, "Lock thread")
    guest_page = signed_in(client, people[Role.GUEST]).get(url("thread", thread))
    assertNotContains(guest_page, f'href="{delete}"')
    assertNotContains(guest_page, "Pin thread")


# Replying --------------------------------------------------------------------------


def test_a_reply_by_form_redirects_to_the_new_message(client, space, people):
    thread = start(people[Role.MEMBER], space)
    response = signed_in(client, people[Role.GUEST]).post(
        url("thread", thread), {"body": "Me *too*", "client_id": "g" * 32}
    )
    assert response.status_code == 303
    assert response["Location"] == url("thread", thread) + "#message-2"
    assert banner(response) == ["Your reply has been posted"]
    message = thread.messages.get(seq=2)
    assert (message.author, message.body) == (people[Role.GUEST], "Me *too*")


def test_the_same_reply_posted_twice_is_saved_once(client, space, people):
    thread = start(people[Role.MEMBER], space)
    client = signed_in(client, people[Role.GUEST])
    form = {"body": "Only once", "client_id": "h" * 32}
    first = client.post(url("thread", thread), form)
    second = client.post(url("thread", thread), form)
    assert first["Location"] == second["Location"]
    assert thread.messages.count() == 2


def test_a_reply_as_json_answers_the_message_event(client, space, people):
    thread = start(people[Role.MEMBER], space)
    client = signed_in(client, people[Role.GUEST])
    body = json.dumps({"body": "Over **JSON**", "client_id": "i" * 32})
    first = client.post(
        url("thread", thread), body, content_type="application/json", **JSON
    )
    assert first.status_code == 201
    answer = first.json()
    assert answer["created"] is True
    event = answer["message"]
    assert (event["type"], event["seq"], event["stream"]) == (
        "message",
        2,
        f"thread:{thread.pk}",
    )
    assert event["html"] == "<p>Over <strong>JSON</strong></p>\n"
    assert event["author"] == {"username": "guest-person", "name": "Guest Person"}

    again = client.post(
        url("thread", thread), body, content_type="application/json", **JSON
    )
    assert again.status_code == 200
    assert again.json() == {"message": event, "created": False}
    assert thread.messages.count() == 2


def test_a_form_encoded_reply_can_ask_for_json(client, space, people):
    thread = start(people[Role.MEMBER], space)
    response = signed_in(client, people[Role.GUEST]).post(
        url("thread", thread), {"body": "Form in, JSON out", "client_id": cid()}, **JSON
    )
    assert response.status_code == 201
    assert response.json()["message"]["seq"] == 2


def test_an_empty_reply_is_refused_on_the_form_and_in_json(client, space, people):
    thread = start(people[Role.MEMBER], space)
    client = signed_in(client, people[Role.GUEST])
    form = client.post(url("thread", thread), {"body": "   ", "client_id": cid()})
    assert form.status_code == 400
    assertContains(form, '<a href="#id_body">Write a message.</a>', status_code=400)
    assertContains(form, 'id="id_body-error"', status_code=400)
    assertContains(form, "<title>Error: Estates strategy", status_code=400)
    answer = client.post(
        url("thread", thread), {"body": "", "client_id": cid()}, **JSON
    )
    assert answer.status_code == 400
    assert answer.json() == {"error": {"code": "invalid", "detail": "Write a message."}}
    bad_id = client.post(url("thread", thread), {"body": "x", "client_id": "!"}, **JSON)
    assert bad_id.status_code == 400
    assert bad_id.json()["error"]["code"] == "invalid"
    assert thread.messages.count() == 1


def test_a_locked_thread_refuses_replies(client, space, people):
    thread = start(people[Role.MEMBER], space)
    Thread.objects.filter(pk=thread.pk).update(locked=True)
    client = signed_in(client, people[Role.GUEST])
    form = client.post(url("thread", thread), {"body": "Let me in", "client_id": cid()})
    assertContains(form, "This thread is locked: nobody can reply.", status_code=403)
    assertContains(form, '<a href="#reply">This thread is locked', status_code=403)
    answer = client.post(
        url("thread", thread), {"body": "Let me in", "client_id": cid()}, **JSON
    )
    assert answer.status_code == 403
    assert answer.json() == {
        "error": {
            "code": "forbidden",
            "detail": "This thread is locked: nobody can reply.",
        }
    }
    assert thread.messages.count() == 1


def test_an_archived_space_is_read_only(client, space, people):
    thread = start(people[Role.MEMBER], space)
    Space.objects.filter(pk=space.pk).update(archived=True)
    client = signed_in(client, people[Role.MEMBER])
    page = client.get(url("thread", thread))
    assert page.status_code == 200
    assertContains(page, "This space is archived: it is read-only.")
    assertNotContains(page, "Post reply")
    assertNotContains(page, "React<span")
    answer = client.post(
        url("thread", thread), {"body": "Hello?", "client_id": cid()}, **JSON
    )
    assert answer.status_code == 403
    assert (
        answer.json()["error"]["detail"] == "This space is archived: it is read-only."
    )
    assert client.post(url("message_delete", thread, seq=1)).status_code == 403
    assert thread.messages.get().deleted_at is None


def test_posting_too_fast_is_refused_with_a_clear_message(
    client, space, people, settings
):
    settings.CROSSGOV_POSTS_PER_MINUTE = 2  # the thread's first message is one
    thread = start(people[Role.MEMBER], space)
    client = signed_in(client, people[Role.MEMBER])
    ok = client.post(url("thread", thread), {"body": "two", "client_id": cid()}, **JSON)
    assert ok.status_code == 201
    limited = client.post(
        url("thread", thread), {"body": "three", "client_id": cid()}, **JSON
    )
    assert limited.status_code == 429
    error = limited.json()["error"]
    assert error["code"] == "rate_limited"
    assert "You are posting very fast" in error["detail"]
    form = client.post(url("thread", thread), {"body": "three", "client_id": cid()})
    assertContains(form, "You are posting very fast", status_code=400)
    assert thread.messages.count() == 2


DEEP_JSON = "[" * 30000 + "]" * 30000


@pytest.mark.parametrize(
    "body",
    [
        DEEP_JSON,
        '{"body": "x", "client_id": "deep-000001", "n": ' + DEEP_JSON + "}",
        '{"body": "x", "client_id": "deep-000002", "n": ' + "[" * 33 + "]" * 33 + "}",
    ],
)
def test_deeply_nested_json_is_refused_with_400(client, space, people, body):
    thread = start(people[Role.MEMBER], space)
    client = signed_in(client, people[Role.GUEST])
    for target in (url("thread", thread), url("message_react", thread, seq=1)):
        answer = client.post(target, body, content_type="application/json", **JSON)
        assert answer.status_code == 400
        assert answer.json() == {
            "error": {
                "code": "invalid",
                "detail": "The request nests too deeply: at most 32 levels of JSON.",
            }
        }
        page = client.post(target, body, content_type="application/json")
        assertContains(page, "problem with your request", status_code=400)
    assert thread.messages.count() == 1
    assert not Reaction.objects.exists()


class UnreachableCache(BaseCache):
    """Redis while it restarts: every call fails to connect."""

    def __init__(self, location, params):
        super().__init__(params)

    def _down(self, *args, **kwargs):
        raise ConnectionError("Error 111 connecting to redis:6379. Connection refused.")

    add = get = set = incr = delete = touch = clear = _down


def test_posting_works_while_the_cache_is_unreachable(
    client, space, people, settings, caplog
):
    thread = start(people[Role.MEMBER], space)
    client = signed_in(client, people[Role.GUEST])
    settings.CACHES = {
        "default": {"BACKEND": f"{__name__}.{UnreachableCache.__qualname__}"}
    }
    body = {"body": "Redis is restarting", "client_id": cid()}
    with caplog.at_level("WARNING", logger="spaces.thread_services"):
        answer = client.post(url("thread", thread), body, **JSON)
    assert answer.status_code == 201
    assert answer.json()["message"]["seq"] == 2
    assert "Post rate limit not applied" in caplog.text
    # The live client sends the same client id again when an answer is lost.
    again = client.post(url("thread", thread), body, **JSON)
    assert (again.status_code, again.json()["message"]["seq"]) == (200, 2)
    assert thread.messages.count() == 2


def test_only_the_author_is_told_a_message_s_client_id(client, space, people):
    thread = start(people[Role.MEMBER], space, client_id="mine-000000001")
    reply(people[Role.GUEST], thread)
    as_member = signed_in(client, people[Role.MEMBER])
    answer = as_member.get(url("thread_messages", thread)).json()
    assert [m.get("client_id") for m in answer["messages"]] == ["mine-000000001", None]
    posted = as_member.post(
        url("thread", thread), {"body": "Mine", "client_id": "mine-000000002"}, **JSON
    ).json()
    assert posted["message"]["client_id"] == "mine-000000002"
    as_guest = signed_in(client, people[Role.GUEST])
    seen = as_guest.get(url("thread_messages", thread)).json()["messages"]
    assert [m["seq"] for m in seen if "client_id" in m] == [2]  # the guest's own


# The messages endpoint -------------------------------------------------------------


def test_messages_after_a_seq_as_json(client, space, people):
    thread = start(people[Role.MEMBER], space)
    for n in range(3):
        reply(people[Role.GUEST], thread, f"reply {n}")
    client = signed_in(client, people[Role.MEMBER])
    answer = client.get(url("thread_messages", thread), {"after": 2}).json()
    assert [m["seq"] for m in answer["messages"]] == [3, 4]
    assert (answer["last"], answer["truncated"]) == (4, False)
    assert answer["messages"][0]["html"] == "<p>reply 1</p>\n"
    nothing = client.get(url("thread_messages", thread), {"after": 4}).json()
    assert (nothing["messages"], nothing["last"]) == ([], 4)
    bad = client.get(url("thread_messages", thread), {"after": "two"})
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "invalid"


def test_a_long_backlog_is_cut_at_500(client, space, member):
    thread = start(member, space)
    Message.objects.bulk_create(
        Message(
            thread=thread,
            seq=seq,
            author=member,
            client_id=f"bulk-{seq:06d}",
            body="x",
            body_html="<p>x</p>",
        )
        for seq in range(2, 603)
    )
    client = signed_in(client, member)
    first = client.get(url("thread_messages", thread)).json()
    assert len(first["messages"]) == 500
    assert (first["last"], first["truncated"]) == (500, True)
    rest = client.get(url("thread_messages", thread), {"after": 500}).json()
    assert [m["seq"] for m in rest["messages"]] == list(range(501, 603))
    assert rest["truncated"] is False


def test_a_deleted_message_comes_as_a_tombstone_in_json(client, space, member):
    thread = start(member, space, body="Take this back")
    message_delete(actor=member, message=thread.messages.get())
    answer = signed_in(client, member).get(url("thread_messages", thread)).json()
    assert answer["messages"][0]["deleted"] is True
    assert answer["messages"][0]["html"] == ""
    assert "Take this back" not in json.dumps(answer)


# Editing and deleting ----------------------------------------------------------------


def test_the_author_edits_a_message(client, space, member):
    thread = start(member, space, body="Teh plan")
    client = signed_in(client, member)
    edit = url("message_edit", thread, seq=1)
    page = client.get(edit)
    assertContains(page, "Teh plan</textarea>")
    response = client.post(edit, {"body": "The plan"})
    assert response.status_code == 303
    assert response["Location"] == url("thread", thread) + "#message-1"
    assert banner(response) == ["Your message has been changed"]
    message = thread.messages.get()
    assert (message.body, message.edited_at is not None) == ("The plan", True)
    assert list(MessageRevision.objects.values_list("body", flat=True)) == ["Teh plan"]


def test_an_edit_to_nothing_comes_back_with_the_error(client, space, member):
    thread = start(member, space, body="Keep me")
    response = signed_in(client, member).post(
        url("message_edit", thread, seq=1), {"body": ""}
    )
    assertContains(response, "Write a message.", status_code=400)
    assert thread.messages.get().body == "Keep me"


def test_an_edit_in_a_locked_thread_is_refused_with_the_reason(client, space, member):
    thread = start(member, space, body="Keep me")
    Thread.objects.filter(pk=thread.pk).update(locked=True)
    response = signed_in(client, member).post(
        url("message_edit", thread, seq=1), {"body": "Changed"}
    )
    assertContains(
        response, "This thread is locked: messages cannot be edited.", status_code=400
    )
    assert thread.messages.get().body == "Keep me"


def test_only_the_author_edits(client, space, people):
    thread = start(people[Role.MEMBER], space, body="Mine")
    client = signed_in(client, people[Role.MODERATOR])
    edit = url("message_edit", thread, seq=1)
    assert client.get(edit).status_code == 403
    assert client.post(edit, {"body": "Theirs"}).status_code == 403
    assert thread.messages.get().body == "Mine"
    assert client.get(url("message_edit", thread, seq=9)).status_code == 404


def test_the_author_deletes_a_message_without_an_audit_event(client, space, member):
    thread = start(member, space, body="Oops")
    client = signed_in(client, member)
    delete = url("message_delete", thread, seq=1)
    confirm = client.get(delete)
    assertContains(confirm, "Delete your message")
    assertContains(confirm, "<p>Oops</p>")
    response = client.post(delete)
    assert response.status_code == 303
    assert banner(response) == ["The message has been deleted"]
    assert thread.messages.get().deleted_by == member
    assert not AuditEvent.objects.filter(action="thread.message.delete").exists()


def test_a_moderator_deletes_someone_elses_message_on_the_record(client, space, people):
    thread = start(people[Role.MEMBER], space, body="Off topic")
    client = signed_in(client, people[Role.MODERATOR])
    delete = url("message_delete", thread, seq=1)
    assertContains(client.get(delete), "recorded in the space’s history")
    assert client.post(delete).status_code == 303
    message = thread.messages.get()
    assert message.deleted_by == people[Role.MODERATOR]
    event = AuditEvent.objects.get(action="thread.message.delete")
    assert (event.actor, event.space_id, event.details) == (
        people[Role.MODERATOR],
        space.pk,
        {"thread": thread.pk, "seq": 1},
    )


def test_others_may_not_delete(client, space, people):
    thread = start(people[Role.MEMBER], space)
    client = signed_in(client, people[Role.GUEST])
    delete = url("message_delete", thread, seq=1)
    assert client.get(delete).status_code == 403
    assert client.post(delete).status_code == 403
    assert thread.messages.get().deleted_at is None


# Reactions -------------------------------------------------------------------------


def test_a_reaction_by_form_toggles_with_a_banner(client, space, people):
    thread = start(people[Role.MEMBER], space)
    client = signed_in(client, people[Role.GUEST])
    react = url("message_react", thread, seq=1)
    added = client.post(react, {"emoji": "🎉"})
    assert added.status_code == 303
    assert added["Location"] == url("thread", thread) + "#message-1"
    assert banner(added) == ["You reacted with 🎉"]
    assert Reaction.objects.filter(user=people[Role.GUEST], emoji="🎉").exists()
    taken_back = client.post(react, {"emoji": "🎉"})
    # The first banner was never shown (the redirect was not followed).
    assert banner(taken_back)[-1] == "Your 🎉 reaction has been taken back"
    assert not Reaction.objects.exists()


def test_a_reaction_as_json_answers_the_counts(client, space, people):
    thread = start(people[Role.MEMBER], space)
    reaction_toggle(actor=people[Role.OWNER], message=thread.messages.get(), emoji="👍")
    response = signed_in(client, people[Role.GUEST]).post(
        url("message_react", thread, seq=1), {"emoji": "👍"}, **JSON
    )
    assert response.status_code == 200
    assert response.json() == {
        "reaction": {
            "type": "reaction",
            "stream": f"thread:{thread.pk}",
            "seq": 1,
            "reactions": [{"emoji": "👍", "count": 2}],
            "change": 2,
        },
        "added": True,
    }


def test_an_unknown_reaction_is_refused(client, space, people):
    thread = start(people[Role.MEMBER], space)
    client = signed_in(client, people[Role.GUEST])
    react = url("message_react", thread, seq=1)
    page = client.post(react, {"emoji": "💩"})
    assertContains(page, "Choose one of the reactions offered.", status_code=400)
    assertContains(page, '<a href="#message-1">Choose one', status_code=400)
    answer = client.post(react, {"emoji": "💩"}, **JSON)
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "invalid"
    assert not Reaction.objects.exists()


def test_a_reader_who_may_not_post_may_not_react(client, people):
    open_space = SpaceFactory(visibility=Space.Visibility.OPEN)
    author = staff()
    add_member(open_space, author)
    thread = start(author, open_space)
    client = signed_in(client, people["outsider"])
    react = url("message_react", thread, seq=1)
    assert client.post(react, {"emoji": "👍"}).status_code == 403
    answer = client.post(react, {"emoji": "👍"}, **JSON)
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "forbidden"
    assert not Reaction.objects.exists()


# Moderation and following -------------------------------------------------------------


def test_a_moderator_pins_and_locks_on_the_record(client, space, people):
    thread = start(people[Role.MEMBER], space)
    client = signed_in(client, people[Role.MODERATOR])
    moderate = url("thread_moderate", thread)
    pinned = client.post(moderate, {"pinned": "1"})
    assert pinned.status_code == 303
    assert banner(pinned) == ["The thread has been pinned"]
    locked = client.post(moderate, {"locked": "1"})
    assert banner(locked)[-1] == "The thread has been locked: nobody can reply"
    thread.refresh_from_db()
    assert (thread.pinned, thread.locked) == (True, True)
    events = AuditEvent.objects.filter(
        target_type="spaces.thread", target_id=str(thread.pk)
    ).order_by("seq")
    assert [(e.action, e.actor, e.details) for e in events] == [
        ("thread.pinned", people[Role.MODERATOR], {"before": False, "after": True}),
        ("thread.locked", people[Role.MODERATOR], {"before": False, "after": True}),
    ]
    client.post(moderate, {"locked": "0"})
    thread.refresh_from_db()
    assert thread.locked is False


def test_moderation_is_refused_to_members_and_bad_input_is_a_400(client, space, people):
    thread = start(people[Role.MEMBER], space)
    moderate = url("thread_moderate", thread)
    member = signed_in(client, people[Role.MEMBER])
    refused = member.post(moderate, {"pinned": "1"})
    assert refused.status_code == 403
    # The 403 page says why.
    assert "Only the space&#x27;s moderators can do this." in refused.content.decode()
    moderator = signed_in(client, people[Role.MODERATOR])
    assert moderator.post(moderate, {"pinned": "yes"}).status_code == 400
    assert moderator.post(moderate, {}).status_code == 400
    assert moderator.post(moderate, {"pinned": "1", "locked": "1"}).status_code == 400
    thread.refresh_from_db()
    assert (thread.pinned, thread.locked) == (False, False)
    assert not AuditEvent.objects.filter(action__startswith="thread.").exists()


def test_following_and_muting_a_thread(client, space, people):
    thread = start(people[Role.MEMBER], space)
    client = signed_in(client, people[Role.GUEST])
    follow = url("thread_follow", thread)
    response = client.post(follow, {"follow": "muted"})
    assert response.status_code == 303
    assert banner(response) == ["You have muted this thread"]
    reader = ThreadReader.objects.get(thread=thread, user=people[Role.GUEST])
    assert reader.follow == ThreadReader.Follow.MUTED
    page = client.get(url("thread", thread)).content.decode()
    assert re.search(r'name="follow" type="radio" value="muted" checked', page)
    client.post(follow, {"follow": "following"})
    reader.refresh_from_db()
    assert reader.follow == ThreadReader.Follow.FOLLOWING


def test_a_bad_follow_choice_comes_back_with_the_error(client, space, people):
    thread = start(people[Role.MEMBER], space)
    response = signed_in(client, people[Role.GUEST]).post(
        url("thread_follow", thread), {"follow": "loudly"}
    )
    assertContains(
        response,
        '<a href="#id_follow">Choose follow, mute or default.</a>',
        status_code=400,
    )
    assert not ThreadReader.objects.filter(user=people[Role.GUEST]).exists()


# Bounded queries -------------------------------------------------------------------


def _fill(thread, people, replies: int) -> None:
    for n in range(replies):
        author = people[Role.GUEST] if n % 2 else people[Role.OWNER]
        message = reply(author, thread, f"reply {n} to @member-person")
        reaction_toggle(actor=people[Role.MEMBER], message=message, emoji="👍")
        if n % 3 == 0:
            message_edit(actor=author, message=message, body=f"reply {n}, edited")
    message_delete(actor=people[Role.OWNER], message=thread.messages.get(seq=2))


def _queries_for_page(client, thread) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("thread", thread))
    assert response.status_code == 200
    return len(queries)


def test_the_thread_page_costs_the_same_queries_at_any_length(
    client, space, people, settings
):
    settings.CROSSGOV_POSTS_PER_MINUTE = 1000
    small = start(people[Role.MEMBER], space, title="Small")
    large = start(people[Role.MEMBER], space, title="Large")
    _fill(small, people, 4)
    _fill(large, people, 60)
    client = signed_in(client, people[Role.MODERATOR])
    _queries_for_page(client, small)  # the first visit creates the read marker
    _queries_for_page(client, large)
    assert _queries_for_page(client, small) == _queries_for_page(client, large)
    assert _queries_for_page(client, large) <= 30


# The space's thread list -------------------------------------------------------------


def test_space_threads_lists_pinned_first_with_unread_counts(space, people):
    member = people[Role.MEMBER]
    older = start(member, space, title="Older")
    newer = start(member, space, title="Newer")
    pinned = start(member, space, title="Pinned")
    Thread.objects.filter(pk=pinned.pk).update(pinned=True)
    for _ in range(3):
        reply(people[Role.GUEST], older)
    guest = people[Role.GUEST]
    thread_mark_read(actor=guest, thread=older, seq=2)
    threads = list(selectors.space_threads(guest, space))
    assert [t.title for t in threads] == ["Pinned", "Older", "Newer"]
    unread = {t.title: t.unread for t in threads}
    # The guest wrote the last three in Older: writing reads up to there.
    assert unread == {"Pinned": 1, "Older": 0, "Newer": 1}
    assert selectors.space_threads(member, space)[1].unread == 3
    assert newer in threads


def test_space_threads_hide_sensitive_threads_from_grants_and_guests(space, people):
    start(people[Role.MEMBER], space, title="Open to all readers")
    start(
        people[Role.MEMBER],
        space,
        title="Members only",
        marking=Marking.OFFICIAL_SENSITIVE,
    )
    titles = lambda user: {t.title for t in selectors.space_threads(user, space)}  # noqa: E731
    assert titles(people[Role.MEMBER]) == {"Open to all readers", "Members only"}
    assert titles(people[Role.GUEST]) == {"Open to all readers"}
    assert titles(people["granted"]) == {"Open to all readers"}
    assert titles(people["outsider"]) == set()


def test_unread_threads_by_space_counts_what_each_person_has_not_read(
    space, people, settings
):
    settings.CROSSGOV_POSTS_PER_MINUTE = 1000
    member, guest = people[Role.MEMBER], people[Role.GUEST]
    read = start(member, space, title="Read to the end")
    fresh = start(member, space, title="Never opened")
    muted = start(member, space, title="Muted")
    sensitive = start(
        member, space, title="Members only", marking=Marking.OFFICIAL_SENSITIVE
    )
    thread_mark_read(actor=guest, thread=read, seq=1)
    ThreadReader.objects.create(
        thread=muted, user=guest, follow=ThreadReader.Follow.MUTED
    )
    other = SpaceFactory(visibility=Space.Visibility.PRIVATE)

    # Fresh and Members only are unread for the guest, but a guest may not
    # read OFFICIAL-SENSITIVE threads, and a muted thread never counts.
    assert selectors.unread_threads_by_space(guest, [space, other]) == {space.pk: 1}
    reply(member, read)
    assert selectors.unread_threads_by_space(guest, [space]) == {space.pk: 2}
    # The author has read all they wrote; others' replies are news to them.
    assert selectors.unread_threads_by_space(member, [space]) == {}
    reply(guest, fresh)
    reply(people[Role.MODERATOR], sensitive)
    assert selectors.unread_threads_by_space(member, [space]) == {space.pk: 2}
    # No one learns of a space they may not read.
    assert selectors.unread_threads_by_space(people["outsider"], [space]) == {}


def test_threads_from_before_joining_are_not_unread(space, people):
    member = people[Role.MEMBER]
    old = start(member, space, title="Before your time")
    Thread.objects.filter(pk=old.pk).update(
        last_activity_at=old.last_activity_at - timedelta(hours=1)
    )
    newcomer = staff()
    add_member(space, newcomer, Role.MEMBER)
    assert selectors.unread_threads_by_space(newcomer, [space]) == {}
    start(member, space, title="Since you joined")
    assert selectors.unread_threads_by_space(newcomer, [space]) == {space.pk: 1}
    # The thread list says the same, thread by thread.
    assert {t.title: t.unread for t in selectors.space_threads(newcomer, space)} == {
        "Before your time": 0,
        "Since you joined": 1,
    }
    # Once someone replies in the old thread, it is news again.
    reply(member, old)
    assert selectors.unread_threads_by_space(newcomer, [space]) == {space.pk: 2}


def test_marking_a_space_read_reads_every_thread_and_keeps_follow_choices(
    space, people, settings
):
    settings.CROSSGOV_POSTS_PER_MINUTE = 1000
    member, guest = people[Role.MEMBER], people[Role.GUEST]
    opened = start(member, space, title="Opened before")
    never = start(member, space, title="Never opened")
    followed = start(member, space, title="Followed")
    thread_mark_read(actor=guest, thread=opened, seq=1)
    reply(member, opened)
    ThreadReader.objects.create(
        thread=followed, user=guest, follow=ThreadReader.Follow.FOLLOWING
    )
    sensitive = start(
        member, space, title="Members only", marking=Marking.OFFICIAL_SENSITIVE
    )
    elsewhere = SpaceFactory(visibility=Space.Visibility.OPEN)
    add_member(elsewhere, member, Role.MEMBER)
    outside = start(member, elsewhere, title="Another space")

    muted = start(member, space, title="Muted")
    ThreadReader.objects.create(
        thread=muted, user=guest, follow=ThreadReader.Follow.MUTED
    )
    # A muted thread is not counted, but it is read with the rest.
    assert selectors.unread_threads_by_space(guest, [space]) == {space.pk: 3}

    assert space_mark_read(actor=guest, space=space) == 4

    assert selectors.unread_threads_by_space(guest, [space, elsewhere]) == {
        elsewhere.pk: 1
    }
    assert {t.title: t.unread for t in selectors.space_threads(guest, space)} == {
        "Opened before": 0,
        "Never opened": 0,
        "Followed": 0,
        "Muted": 0,
    }
    marks = dict(
        ThreadReader.objects.filter(user=guest).values_list("thread", "last_read_seq")
    )
    assert marks == {opened.pk: 2, never.pk: 1, followed.pk: 1, muted.pk: 1}
    assert sensitive.pk not in marks and outside.pk not in marks
    follow = dict(
        ThreadReader.objects.filter(user=guest).values_list("thread", "follow")
    )
    assert (follow[followed.pk], follow[muted.pk]) == ("following", "muted")
    # Nothing left to read: marking again changes nothing.
    assert space_mark_read(actor=guest, space=space) == 0


def test_the_thread_list_tags_the_threads_you_muted(space, people):
    muted = start(people[Role.MEMBER], space, title="Too noisy")
    start(people[Role.MEMBER], space, title="Worth reading")
    guest = people[Role.GUEST]
    ThreadReader.objects.create(
        thread=muted, user=guest, follow=ThreadReader.Follow.MUTED
    )

    threads = list(selectors.space_threads(guest, space))
    html = render_to_string("spaces/_thread_list.html", {"threads": threads})

    rows = html.split('<tr class="govuk-table__row">')[2:]
    (noisy,) = (row for row in rows if "Too noisy" in row)
    (worth,) = (row for row in rows if "Worth reading" in row)
    assert "Muted by you" in noisy
    assert "Muted by you" not in worth


def test_only_readers_mark_a_space_read(space, people):
    start(people[Role.MEMBER], space, title="Members' talk")
    with pytest.raises(SpaceError):
        space_mark_read(actor=people["outsider"], space=space)
    assert not ThreadReader.objects.filter(user=people["outsider"]).exists()


def test_the_space_page_offers_to_mark_all_read_and_does_it_without_javascript(
    client, space, people
):
    start(people[Role.MEMBER], space, title="Heat pumps")
    start(people[Role.MEMBER], space, title="Solar panels")
    client.force_login(people[Role.GUEST])
    home = reverse("spaces:home", kwargs={"slug": space.slug})

    page = client.get(home)
    assertContains(page, "2 threads have messages you have not read.")
    assertContains(page, "Mark all as read")

    response = client.post(reverse("spaces:mark_read", kwargs={"slug": space.slug}))
    assert response.status_code == 303
    assert response["Location"] == home
    page = client.get(home)
    assert "2 threads marked as read" in [
        str(m) for m in get_messages(page.wsgi_request)
    ]
    assertNotContains(page, "Mark all as read")
    assertNotContains(page, "messages you have not read")


def test_space_threads_is_one_query_for_any_number(space, people, settings):
    settings.CROSSGOV_POSTS_PER_MINUTE = 1000
    member = people[Role.MEMBER]
    for n in range(12):
        start(member, space, title=f"Thread {n}")
    with CaptureQueriesContext(connection) as queries:
        threads = list(selectors.space_threads(member, space))
        html = render_to_string("spaces/_thread_list.html", {"threads": threads})
    assert len(threads) == 12
    # Reading the content and the sensitive items, then the list itself.
    assert len(queries) <= 4
    assert html.count('<th scope="row"') == 12
    assert "Thread 11" in html


def test_the_thread_list_tags_and_counts(space, people):
    member = people[Role.MEMBER]
    thread = start(member, space, title="Budget", marking=Marking.OFFICIAL_SENSITIVE)
    Thread.objects.filter(pk=thread.pk).update(pinned=True, locked=True)
    reply(people[Role.OWNER], thread)
    html = render_to_string(
        "spaces/_thread_list.html",
        {"threads": selectors.space_threads(member, space)},
    )
    assert f'href="{url("thread", thread)}">Budget</a>' in html
    assert (
        '<strong class="govuk-tag govuk-tag--red">OFFICIAL-SENSITIVE</strong>' in html
    )
    assert '<strong class="govuk-tag">Pinned</strong>' in html
    assert "Locked" in html
    assert (
        '<strong>1</strong><span class="govuk-visually-hidden"> unread message</span>'
        in html
    )
    empty = render_to_string("spaces/_thread_list.html", {"threads": []})
    assert "No discussions yet." in empty
