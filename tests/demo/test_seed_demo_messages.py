"""`seed_demo --messages` on a database of each test's own: what is queued for
search, the same seed giving the same discussions, and when nothing is added."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from demo import messages_loader
from search.models import OutboxEntry
from spaces.models import Mention, Message, Reaction, Space, Thread
from tests.demo.seeding import seed_demo

pytestmark = pytest.mark.django_db

PEOPLE = 150
MESSAGES = 1500


def seed(**options) -> str:
    options.setdefault("people", PEOPLE)
    options.setdefault("messages", MESSAGES)
    return seed_demo(**options)


def outbox(model) -> int:
    return OutboxEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model)
    ).count()


def test_threads_are_queued_for_search_and_messages_only_when_asked(monkeypatch):
    monkeypatch.setattr(messages_loader, "_indexed", lambda model: True)
    seed(messages=300)
    assert outbox(Thread) == Thread.objects.count() > 0
    assert outbox(Message) == 0


def test_index_messages_queues_every_message_when_messages_are_indexed(
    monkeypatch,
):
    monkeypatch.setattr(messages_loader, "_indexed", lambda model: True)
    output = seed(messages=300, index_messages=True)
    assert outbox(Message) == Message.objects.count() == 300
    queued = outbox(Thread) + 300
    assert f"{queued:,} queued for the search index" in output


def test_nothing_is_queued_for_a_model_without_a_search_index(monkeypatch):
    monkeypatch.setattr(messages_loader, "_indexed", lambda model: False)
    seed(messages=300, index_messages=True)
    assert outbox(Thread) == outbox(Message) == 0


def snapshot() -> dict[str, list]:
    threads = Thread.objects.values_list(
        "space__slug",
        "title",
        "author__username",
        "marking",
        "pinned",
        "locked",
        "created_at",
        "last_activity_at",
        "last_seq",
        "last_change",
    )
    messages = Message.objects.values_list(
        "thread__space__slug",
        "thread__created_at",
        "seq",
        "author__username",
        "body",
        "body_html",
        "created_at",
        "edited_at",
        "change",
    )
    reactions = Reaction.objects.values_list(
        "message__thread__created_at", "message__seq", "user__username", "emoji"
    )
    return {
        "threads": sorted(threads, key=str),
        "messages": sorted(messages, key=str),
        "reactions": sorted(reactions, key=str),
        "mentions": sorted(
            Mention.objects.values_list("message__body", "user__username")
        ),
    }


def seeded_then_rolled_back(**options) -> dict[str, list]:
    with transaction.atomic():
        seed(**options)
        rows = snapshot()
        transaction.set_rollback(True)
    assert not Thread.objects.exists()
    return rows


def test_the_same_seed_gives_the_same_discussions():
    first = seeded_then_rolled_back(seed=11, messages=400)
    second = seeded_then_rolled_back(seed=11, messages=400)
    assert first == second
    assert len(first["messages"]) == 400
    other = seeded_then_rolled_back(seed=12, messages=400)
    assert other["messages"] != first["messages"]


def test_a_demo_seeded_without_messages_gets_them_on_a_later_run():
    seed(messages=0)
    assert Space.objects.exists() and not Thread.objects.exists()
    assert messages_loader.NONE_ASKED in seed(messages=0, verbosity=2)
    seed(messages=200)
    assert Message.objects.count() == 200


def test_no_spaces_no_messages():
    output = seed(spaces=0, verbosity=2)
    assert messages_loader.NO_SPACES in output
    assert not Thread.objects.exists()
