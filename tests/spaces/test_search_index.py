"""Spaces, threads and messages in the search index: the right words, the right
audience, and a reindex queued with every change that alters either."""

import haystack
import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from haystack.query import SearchQuerySet

from profiles.services.reference import reference_save
from search.models import OutboxEntry
from search.selectors import search
from search.writer import drain_all
from spaces.models import Marking, Message, Space, Thread
from spaces.search_indexes import MessageIndex, SpaceIndex, ThreadIndex
from spaces.services import space_archive, space_create, space_unarchive, space_update
from spaces.thread_services import message_delete, message_post, thread_start
from tests.profiles.factories import DepartmentFactory, UserFactory
from tests.search.helpers import indexed_pks, stored_documents
from tests.spaces.factories import SpaceFactory, add_member, staff

pytestmark = pytest.mark.django_db

OPEN, RESTRICTED, PRIVATE = Space.Visibility
RESULT_TEMPLATE = "search/results/spaces_space.html"


class Boom(Exception):
    pass


@pytest.fixture
def cabinet_office():
    return DepartmentFactory(name="Cabinet Office", acronym="CO")


def index() -> SpaceIndex:
    return haystack.connections["default"].get_unified_index().get_index(Space)


def write_documents(*spaces: Space) -> None:
    """What the outbox writer will do for these spaces, done here directly."""
    backend = haystack.connections["default"].get_backend()
    backend.update(index(), list(spaces))


def found(query: str, tokens: list[str]) -> set[str]:
    results = SearchQuerySet().filter(content=query, audience__in=tokens)
    return {result.name for result in results}


def queued(space: Space) -> int:
    return OutboxEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Space),
        object_id=str(space.pk),
    ).count()


def home(space: Space) -> str:
    return reverse("spaces:home", kwargs={"slug": space.slug})


def space_owned_by(owner, **fields) -> Space:
    space = SpaceFactory(**fields)
    add_member(space, owner, "owner")
    return space


# The document -------------------------------------------------------------------


def test_the_document_holds_name_plain_description_and_department(cabinet_office):
    space = SpaceFactory(
        name="Procurement reform",
        slug="procurement-reform",
        description=(
            "Sharing **lessons** from the [Procurement Act](https://example.gov.uk/a)."
        ),
        department=cabinet_office,
        visibility=RESTRICTED,
    )

    document = index().full_prepare(space)

    assert document["text"].splitlines() == [
        "Procurement reform",
        "Sharing lessons from the Procurement Act.",
        "Cabinet Office",
        "CO",
    ]
    assert "https://" not in document["text"]
    assert document["name"] == "Procurement reform"
    assert document["slug"] == "procurement-reform"
    assert document["description"] == "Sharing lessons from the Procurement Act."
    assert document["department"] == "CO"
    assert document["visibility"] == "restricted"
    assert document["archived"] is False


@pytest.mark.parametrize(
    ("visibility", "private"), [(OPEN, False), (RESTRICTED, False), (PRIVATE, True)]
)
def test_the_audience_follows_the_visibility(visibility, private):
    space = SpaceFactory(visibility=visibility)
    expected = [f"space.{space.pk}"] if private else ["org"]
    assert index().full_prepare(space)["audience"] == expected


def test_archived_spaces_are_indexed_and_marked():
    live, archived = SpaceFactory(), SpaceFactory(archived=True)
    assert set(index().index_queryset()) == {live, archived}
    assert index().full_prepare(archived)["archived"] is True


# Queued for re-indexing in the changing transaction -----------------------------


def test_a_new_space_is_queued(cabinet_office):
    space = space_create(
        actor=staff(),
        name="Net zero estates",
        slug="net-zero",
        department=cabinet_office,
    )
    assert queued(space) == 1


def test_making_a_space_private_queues_it_in_the_same_transaction():
    owner = staff()
    space = space_owned_by(owner, visibility=OPEN)

    with transaction.atomic():
        space_update(actor=owner, space=space, visibility=PRIVATE)
        assert queued(space) == 1

    assert queued(space) == 1


def test_a_rolled_back_change_queues_nothing():
    owner = staff()
    space = space_owned_by(owner, visibility=OPEN)

    with pytest.raises(Boom), transaction.atomic():
        space_update(actor=owner, space=space, visibility=PRIVATE)
        raise Boom

    space.refresh_from_db()
    assert space.visibility == OPEN
    assert queued(space) == 0


def test_a_refused_or_empty_change_queues_nothing():
    owner = staff()
    space = space_owned_by(owner, name="Same", visibility=OPEN)
    with pytest.raises(Exception, match="owners"):
        space_update(actor=staff(), space=space, visibility=PRIVATE)
    space_update(actor=owner, space=space, name="Same")
    assert queued(space) == 0


def test_archiving_and_restoring_are_queued():
    owner = staff()
    space = space_owned_by(owner)
    space_archive(actor=owner, space=space)
    space_unarchive(actor=owner, space=space)
    assert queued(space) == 2


# What a query filtered by audience finds ----------------------------------------


def test_all_staff_find_open_and_restricted_spaces_but_not_private_ones():
    spaces = [
        SpaceFactory(name=f"{visibility} procurement", visibility=visibility)
        for visibility in (OPEN, RESTRICTED, PRIVATE)
    ]
    write_documents(*spaces)
    private = spaces[2]

    assert found("procurement", ["org"]) == {
        "open procurement",
        "restricted procurement",
    }
    assert found("procurement", [f"space.{private.pk}"]) == {"private procurement"}
    assert found("procurement", [f"space.{private.pk + 1}"]) == set()


def test_a_space_made_private_drops_out_once_reindexed():
    owner = staff()
    space = space_owned_by(owner, name="Spending review 2027", visibility=RESTRICTED)
    write_documents(space)
    assert found("spending review", ["org"]) == {"Spending review 2027"}

    space_update(actor=owner, space=space, visibility=PRIVATE)
    write_documents(space)

    assert found("spending review", ["org"]) == set()
    assert found("spending review", [f"space.{space.pk}"]) == {"Spending review 2027"}


def test_found_by_description_and_department(cabinet_office):
    space = SpaceFactory(
        name="Estates",
        description="Heat pumps for the *government estate*",
        department=cabinet_office,
    )
    write_documents(space)
    assert found("heat pumps", ["org"]) == {"Estates"}
    assert found("cabinet office", ["org"]) == {"Estates"}


# How a result looks -------------------------------------------------------------


def test_a_result_links_to_the_space_with_its_tags_and_escaped_snippet(
    cabinet_office,
):
    space = SpaceFactory(
        name="Procurement <b>reform</b>",
        slug="procurement-reform",
        description="Lessons & <script>alert('x')</script> from the **Act**",
        department=cabinet_office,
        visibility=RESTRICTED,
        archived=True,
    )
    write_documents(space)
    (result,) = SearchQuerySet().filter(content="lessons", audience__in=["org"])

    html = render_to_string(RESULT_TEMPLATE, {"result": result})

    home = reverse("spaces:home", kwargs={"slug": "procurement-reform"})
    assert f'href="{home}"' in html
    assert "Procurement &lt;b&gt;reform&lt;/b&gt;" in html
    assert "<script>" not in html
    assert "Lessons &amp; &lt;script&gt;" in html
    assert "from the Act" in html
    assert "Restricted" in html
    assert "Archived" in html
    assert "CO" in html


def test_a_live_open_result_is_not_marked_archived(cabinet_office):
    space = SpaceFactory(name="Data science community", department=cabinet_office)
    write_documents(space)
    (result,) = SearchQuerySet().filter(content="data science", audience__in=["org"])

    html = render_to_string(RESULT_TEMPLATE, {"result": result})

    assert "Open" in html
    assert "Archived" not in html


def test_the_search_page_shows_listed_spaces_and_hides_private_ones(client):
    viewer = staff()
    member = staff()
    listed = SpaceFactory(
        name="Procurement reform", slug="procurement-reform", visibility=OPEN
    )
    private = SpaceFactory(
        name="Procurement secrets", slug="procurement-secrets", visibility=PRIVATE
    )
    add_member(private, member)
    write_documents(listed, private)

    client.force_login(viewer)
    page = client.get(reverse("search:search"), {"q": "procurement"})

    assert page.status_code == 200
    assert f'href="{home(listed)}"' in page.text
    assert "Procurement secrets" not in page.text

    client.force_login(member)
    page = client.get(reverse("search:search"), {"q": "procurement"})
    assert f'href="{home(private)}"' in page.text


# Threads and messages -------------------------------------------------------------

SENSITIVE = Marking.OFFICIAL_SENSITIVE


def thread_index() -> ThreadIndex:
    return haystack.connections["default"].get_unified_index().get_index(Thread)


def message_index() -> MessageIndex:
    return haystack.connections["default"].get_unified_index().get_index(Message)


def queued_ids(model) -> set[int]:
    return {
        int(object_id)
        for object_id in OutboxEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model)
        ).values_list("object_id", flat=True)
    }


@pytest.fixture
def discussion(cabinet_office):
    """A restricted space with a thread of two messages, by its owner."""
    owner = staff(user__username="ada.lovelace")
    space = space_owned_by(
        owner,
        name="Estates",
        slug="estates",
        department=cabinet_office,
        visibility=RESTRICTED,
    )
    thread = thread_start(
        actor=owner,
        space=space,
        title="Heat pumps for the estate",
        body="First, the **survey**.",
        client_id="discussion-0001",
    )
    reply, _ = message_post(
        actor=owner,
        thread=thread,
        body="Read [the plan](https://plans.example/heat) and `<b>` tags.",
        client_id="discussion-0002",
    )
    return owner, space, thread, reply


def test_a_thread_document_is_its_title_where_and_by_whom(discussion, cabinet_office):
    owner, space, thread, _ = discussion

    document = thread_index().full_prepare(thread)

    assert document["text"] == "Heat pumps for the estate"
    assert document["name"] == "Heat pumps for the estate"
    assert document["kind"] == "threads"
    assert document["space"] == [str(space.pk)]
    assert document["author"] == [str(owner.pk)]
    assert document["author_name"] == owner.profile.display_name
    assert document["space_name"] == "Estates"
    assert document["department"] == "CO"
    assert document["department_id"] == str(cabinet_office.pk)
    assert document["marking"] == "OFFICIAL"
    assert document["url"] == reverse(
        "spaces:thread", kwargs={"slug": "estates", "thread_id": thread.pk}
    )


def test_a_message_document_is_its_plain_text(discussion):
    owner, space, thread, reply = discussion

    document = message_index().full_prepare(reply)

    assert document["text"] == "Read the plan and <b> tags."
    assert document["body"] == document["text"]
    assert "https://" not in document["text"]
    assert document["kind"] == "messages"
    assert document["thread_title"] == "Heat pumps for the estate"
    assert document["space"] == [str(space.pk)]
    assert document["author"] == [str(owner.pk)]
    thread_url = reverse(
        "spaces:thread", kwargs={"slug": "estates", "thread_id": thread.pk}
    )
    assert document["url"] == f"{thread_url}?before=3#message-2"


@pytest.mark.parametrize(
    ("visibility", "marking", "expected"),
    [
        (OPEN, Marking.OFFICIAL, "org"),
        (RESTRICTED, Marking.OFFICIAL, "space.{pk}"),
        (PRIVATE, Marking.OFFICIAL, "space.{pk}"),
        (OPEN, SENSITIVE, "space.{pk}.members"),
        (RESTRICTED, SENSITIVE, "space.{pk}.members"),
        (PRIVATE, SENSITIVE, "space.{pk}.members"),
    ],
)
def test_threads_and_messages_are_for_who_may_read_them(visibility, marking, expected):
    owner = staff()
    space = space_owned_by(owner, visibility=visibility)
    thread = thread_start(
        actor=owner,
        space=space,
        title="Budget",
        body="Numbers",
        client_id="audience-0001",
        marking=marking,
    )
    (message,) = thread.messages.all()

    token = expected.format(pk=space.pk)
    assert thread_index().full_prepare(thread)["audience"] == [token]
    assert message_index().full_prepare(message)["audience"] == [token]
    assert thread_index().full_prepare(thread)["marking"] == marking


def test_a_deleted_message_leaves_the_index(discussion, search_index_path):
    owner, _, thread, reply = discussion
    drain_all()
    assert indexed_pks(search_index_path, "spaces.message") == set(
        thread.messages.values_list("pk", flat=True)
    )

    message_delete(actor=owner, message=reply)
    drain_all()

    assert reply not in message_index().index_queryset()
    assert reply.pk not in indexed_pks(search_index_path, "spaces.message")
    stored = repr(stored_documents(search_index_path))
    assert "the plan" not in stored


def test_a_change_of_visibility_queues_every_thread_and_message(discussion):
    owner, space, thread, reply = discussion
    other = thread_start(
        actor=owner, space=space, title="Other", body="Hi", client_id="other-0001"
    )
    OutboxEntry.objects.all().delete()

    with transaction.atomic():
        space_update(actor=owner, space=space, visibility=PRIVATE)
        # In the same transaction as the change.
        assert queued_ids(Thread) == {thread.pk, other.pk}

    assert queued_ids(Message) == set(
        Message.objects.filter(thread__space=space).values_list("pk", flat=True)
    )
    assert reply.pk in queued_ids(Message)


@pytest.mark.parametrize(
    ("field", "value", "shown"),
    [
        ("acronym", "CAB", True),
        ("name", "The Cabinet", True),
        ("kind", "agency", False),
    ],
)
def test_a_department_rename_queues_its_spaces_threads_and_messages(
    discussion, cabinet_office, field, value, shown
):
    owner, space, thread, reply = discussion
    elsewhere = SpaceFactory(department=DepartmentFactory())
    OutboxEntry.objects.all().delete()

    setattr(cabinet_office, field, value)
    reference_save(
        actor=UserFactory(it_admin=True),
        instance=cabinet_office,
        changed=[field],
        created=False,
    )

    # The kind of department shows in no document: nothing to queue.
    assert queued(space) == int(shown)
    assert queued(elsewhere) == 0
    assert queued_ids(Thread) == ({thread.pk} if shown else set())
    messages = set(Message.objects.filter(thread=thread).values_list("pk", flat=True))
    assert queued_ids(Message) == (messages if shown else set())


def test_archiving_and_restoring_queue_every_thread_and_message(discussion):
    owner, space, thread, reply = discussion
    OutboxEntry.objects.all().delete()
    space_archive(actor=owner, space=space)
    assert queued_ids(Thread) == {thread.pk}
    assert reply.pk in queued_ids(Message)

    OutboxEntry.objects.all().delete()
    space_unarchive(actor=owner, space=space)
    assert queued_ids(Thread) == {thread.pk}


def test_a_rolled_back_change_of_visibility_queues_no_content(discussion):
    owner, space, _, _ = discussion
    OutboxEntry.objects.all().delete()
    with pytest.raises(Boom), transaction.atomic():
        space_update(actor=owner, space=space, visibility=PRIVATE)
        raise Boom
    assert queued_ids(Thread) == set()
    assert queued_ids(Message) == set()


def test_a_space_made_private_takes_its_discussions_out_of_sight(discussion):
    owner, space, _, _ = discussion
    space_update(actor=owner, space=space, visibility=OPEN)
    drain_all()
    stranger = staff()
    assert {r.model_name for r in search(user=stranger, query="heat pumps")} == {
        "thread"
    }
    assert [r.body for r in search(user=stranger, query="plan")] == [
        "Read the plan and <b> tags."
    ]

    space_update(actor=owner, space=space, visibility=PRIVATE)
    drain_all()

    assert list(search(user=stranger, query="heat pumps")) == []
    assert list(search(user=stranger, query="plan")) == []
    assert len(search(user=owner, query="plan")) == 1


def test_a_sensitive_thread_is_found_by_members_only(cabinet_office):
    owner = staff()
    space = space_owned_by(owner, visibility=OPEN, department=cabinet_office)
    guest, member = staff(), staff()
    add_member(space, guest, "guest")
    add_member(space, member, "member")
    thread_start(
        actor=owner,
        space=space,
        title="Redundancy planning",
        body="Names of the teams affected",
        client_id="sensitive-0001",
        marking=SENSITIVE,
    )
    drain_all()

    for reader in (owner, member):
        assert len(search(user=reader, query="redundancy")) == 1
        assert len(search(user=reader, query="teams affected")) == 1
    for outsider in (guest, staff()):
        assert len(search(user=outsider, query="redundancy")) == 0
        assert len(search(user=outsider, query="teams affected")) == 0
