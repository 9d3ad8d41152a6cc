"""`seed_demo --messages`: threads and messages drawn the same way every time,
written once, numbered without gaps, and only by people allowed to write them
(seeded once for the module; tests/demo/test_seed_demo_messages.py runs the
command on other databases)."""

from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from demo import messages_loader
from demo.conversations import Cast, Person, generate_threads
from demo.logins import DEMO_USERNAME
from demo.messages import (
    MENTIONS,
    OPENING_POSTS,
    REACTIONS,
    REPLIES,
    TEAM_TOPICS,
    THREAD_TITLES,
    TOPICS,
)
from demo.spaces import SPACES
from intranet.markdown import render_markdown
from profiles.models import User
from search.models import OutboxEntry
from spaces import roles, selectors
from spaces.models import (
    Marking,
    Mention,
    Message,
    MessageRevision,
    Reaction,
    Space,
    Thread,
    ThreadReader,
)
from spaces.thread_services import EMOJI, MENTION_RE
from tests.demo.seeding import seed_demo, seeded_for_module

PEOPLE = 150
MESSAGES = 1500
END = datetime(2026, 3, 2, tzinfo=UTC)


# Drawing threads, without the database ---------------------------------------------


def test_every_written_space_has_topics_and_every_text_fills_in():
    assert {spec.slug for spec in SPACES} <= set(TOPICS)
    topics = [topic for space in TOPICS.values() for topic in space] + list(TEAM_TOPICS)
    longest = max(topics, key=len)
    slots = {"topic": longest, "Topic": longest, "dept": "DSIT", "name": "a.b"}
    for text in (*THREAD_TITLES, *OPENING_POSTS, *REPLIES, *MENTIONS):
        assert text.format(**slots)
    assert max(len(title.format(**slots)) for title in THREAD_TITLES) <= 200
    assert set(REACTIONS) == set(EMOJI)


def cast_of(space_id, people, *, sensitive=False, archived=False, guests=(), **kw):
    """A space where `people` are members and `guests` may only reply."""
    return Cast(
        space_id=space_id,
        topics=kw.get("topics", TEAM_TOPICS),
        sensitive_default=sensitive,
        archived=archived,
        posters=tuple(people) + tuple(guests),
        starters=tuple(people),
        insiders=kw.get("insiders", tuple(people)),
    )


PEOPLE_DRAWN = [Person(n, f"person.{n}", "CO") for n in range(1, 41)]
CASTS = [
    cast_of(1, range(1, 11), guests=range(30, 35)),
    # Sensitive by default: grants (11-18) reply, only 19-20 are its own members.
    cast_of(2, range(11, 21), sensitive=True, insiders=(19, 20)),
    cast_of(3, (), guests=range(21, 25)),  # nobody may start a thread here
    cast_of(4, range(25, 30), archived=True),
]


def draw(count=3000, seed=1, reader=None):
    return list(
        generate_threads(
            CASTS, PEOPLE_DRAWN, count=count, seed=seed, end=END, reader=reader
        )
    )


def test_threads_hold_exactly_the_messages_asked_for_numbered_without_gaps():
    threads = draw()
    assert sum(len(thread.messages) for thread in threads) == 3000
    assert [thread.number for thread in threads] == list(range(1, len(threads) + 1))
    for thread in threads:
        assert [m.seq for m in thread.messages] == list(
            range(1, len(thread.messages) + 1)
        )
        times = [m.at for m in thread.messages]
        assert times == sorted(times)
        assert times[-1] <= END
    lengths = Counter(len(thread.messages) for thread in threads)
    assert lengths[1] > 0  # some threads get no reply
    assert max(lengths) > 20  # and a few run long


def test_only_people_allowed_take_part():
    by_space = {cast.space_id: cast for cast in CASTS}
    threads = draw()
    assert {thread.space_id for thread in threads} == {1, 2, 4}
    sensitive = [thread for thread in threads if thread.sensitive]
    assert sensitive and {thread.space_id for thread in sensitive} == {2}
    assert any(not thread.sensitive for thread in threads if thread.space_id == 2)
    for thread in threads:
        cast = by_space[thread.space_id]
        pool = set(cast.insiders if thread.sensitive else cast.posters)
        assert thread.author in set(cast.starters) & pool
        for message in thread.messages:
            assert message.author in pool
            assert set(message.mentions) <= pool - {message.author}
            reactors = [user for user, _, _ in message.reactions]
            assert set(reactors) <= pool - {message.author}
            assert len(reactors) == len(set(reactors))


def test_changes_are_numbered_in_the_order_they_happened():
    for thread in draw():
        happened = sorted(
            [(m.edit.at, m.seq) for m in thread.messages if m.edit]
            + [(at, m.seq) for m in thread.messages for _, _, at in m.reactions]
        )
        assert thread.last_change == len(happened)
        changed = [m for m in thread.messages if m.edit or m.reactions]
        assert all(0 < m.change <= thread.last_change for m in changed)
        assert all(m.change == 0 for m in thread.messages if m not in changed)
        if happened:
            assert max(m.change for m in changed) == thread.last_change


def test_the_same_seed_draws_the_same_threads_and_another_seed_others():
    def fingerprint(threads):
        return [
            (t.space_id, t.title, t.author, t.sensitive)
            + tuple((m.author, m.body, m.at, m.mentions) for m in t.messages)
            for t in threads
        ]

    assert fingerprint(draw(seed=5)) == fingerprint(draw(seed=5))
    assert fingerprint(draw(seed=5)) != fingerprint(draw(seed=6))


def test_a_reader_catches_up_on_old_threads_only():
    threads = draw(reader=3)
    marked = [thread for thread in threads if 3 in thread.readers]
    assert marked
    for thread in marked:
        last_read, _ = thread.readers[3]
        old = thread.messages[-1].at < END - timedelta(days=7)
        wrote = [m.seq for m in thread.messages if m.author == 3]
        if old:
            assert last_read == len(thread.messages)
        else:
            assert wrote and last_read == max(wrote)


# Seeding the database --------------------------------------------------------------


def seed(**options) -> str:
    options.setdefault("people", PEOPLE)
    options.setdefault("messages", MESSAGES)
    return seed_demo(**options)


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    with seeded_for_module(django_db_blocker, seed) as output:
        yield output


@pytest.fixture
def seeded(seeded_once, db):
    """What the command printed, with its demo in the database."""
    return seeded_once


def test_the_messages_asked_for_in_threads_across_the_spaces(seeded):
    assert Message.objects.count() == MESSAGES
    threads = list(Thread.objects.select_related("space"))
    assert len(threads) > 50
    assert {t.space_id for t in threads} == set(
        Space.objects.values_list("pk", flat=True)
    )
    assert f"Seeded {MESSAGES:,} messages in {len(threads):,} threads" in seeded
    by_thread = defaultdict(list)
    for thread_id, seq, created_at in Message.objects.values_list(
        "thread_id", "seq", "created_at"
    ).order_by("thread_id", "seq"):
        by_thread[thread_id].append((seq, created_at))
    for thread in threads:
        seqs = [seq for seq, _ in by_thread[thread.pk]]
        times = [at for _, at in by_thread[thread.pk]]
        assert seqs == list(range(1, thread.last_seq + 1)), thread
        assert thread.created_at == times[0]
        assert thread.last_activity_at == times[-1]
        assert times == sorted(times)
        assert times[-1] <= timezone.now()
    # The history is spread over months, not stamped at the time of the insert.
    assert min(t.created_at for t in threads) < timezone.now() - timedelta(days=30)


def test_only_people_allowed_to_post_write_and_react(seeded):
    answers: dict[tuple, bool] = {}

    def allowed(user, space, permission) -> bool:
        key = (user.pk, space.pk, permission)
        if key not in answers:
            # An archived space's history was written before it was archived.
            answers[key] = permission in selectors.space_permissions(user, space)
        return answers[key]

    for thread in Thread.objects.select_related("space", "author"):
        space = thread.space
        assert allowed(thread.author, space, roles.START_THREAD), thread
        if not space.archived:
            assert selectors.can_start_thread(thread.author, space)
        messages = Message.objects.filter(thread=thread).select_related("author")
        for message in messages:
            assert allowed(message.author, space, roles.POST)
            assert selectors.can_view_thread(message.author, thread)
    for reaction in Reaction.objects.select_related(
        "user", "message__thread__space", "message__author"
    ):
        thread = reaction.message.thread
        assert reaction.emoji in EMOJI
        assert reaction.user != reaction.message.author
        assert allowed(reaction.user, thread.space, roles.POST)
        assert selectors.can_view_thread(reaction.user, thread)


def test_sensitive_threads_only_in_sensitive_spaces_and_only_among_members(seeded):
    sensitive = Thread.objects.filter(marking=Marking.OFFICIAL_SENSITIVE)
    assert sensitive.exists()
    assert set(sensitive.values_list("space__default_marking", flat=True)) == {
        Marking.OFFICIAL_SENSITIVE
    }
    for thread in sensitive.select_related("space", "author"):
        people = {thread.author}
        people |= {m.author for m in thread.messages.select_related("author")}
        people |= {r.user for r in Reaction.objects.filter(message__thread=thread)}
        people |= {m.user for m in Mention.objects.filter(message__thread=thread)}
        for person in people:
            assert selectors.can_view_sensitive(person, thread.space), person
    # Guests, and people let in by a grant, never see them.
    for space in Space.objects.filter(default_marking=Marking.OFFICIAL_SENSITIVE):
        outsiders = [
            user
            for user in User.objects.filter(is_active=True)
            if selectors.can_view_content(user, space)
            and not selectors.can_view_sensitive(user, space)
        ]
        assert outsiders, space
        hidden = set(sensitive.filter(space=space).values_list("pk", flat=True))
        listed = {t.pk for t in selectors.space_threads(outsiders[0], space)}
        assert not listed & hidden


def test_mentions_name_people_who_can_read_the_thread(seeded):
    mentions = Mention.objects.select_related("message__thread__space", "user")
    assert mentions.count() > 10
    recorded = defaultdict(set)
    for mention in mentions:
        recorded[mention.message_id].add(mention.user.username)
        assert mention.user != mention.message.author
        assert selectors.can_view_thread(mention.user, mention.message.thread)
    # Exactly what the posting service would have found in the text.
    for message in Message.objects.filter(body__contains="@"):
        named = {name.rstrip(".").lower() for name in MENTION_RE.findall(message.body)}
        assert recorded[message.pk] == named, message.body


def test_bodies_are_rendered_edits_kept_and_changes_numbered(seeded):
    for message in Message.objects.all():
        assert message.body_html == render_markdown(message.body)
        assert message.client_id
    revisions = MessageRevision.objects.select_related("message")
    assert revisions.exists()
    for revision in revisions:
        message = revision.message
        assert message.body.startswith(revision.body + "\n\nEdit: ")
        assert message.edited_at == revision.edited_at
        assert revision.edited_by_id == message.author_id
    assert not Message.objects.filter(
        edited_at__isnull=False, revisions__isnull=True
    ).exists()
    reactions = Counter(Reaction.objects.values_list("message__thread_id", flat=True))
    edits = Counter(revisions.values_list("message__thread_id", flat=True))
    for thread in Thread.objects.all():
        assert thread.last_change == reactions[thread.pk] + edits[thread.pk]
        changes = set(
            Message.objects.filter(thread=thread, change__gt=0).values_list(
                "change", flat=True
            )
        )
        assert changes <= set(range(1, thread.last_change + 1))
        assert max(changes, default=0) == thread.last_change


def test_authors_follow_their_threads_and_the_demo_sign_in_has_unread(seeded):
    authored = defaultdict(int)
    for thread_id, author_id, seq in Message.objects.values_list(
        "thread_id", "author_id", "seq"
    ):
        authored[thread_id, author_id] = max(authored[thread_id, author_id], seq)
    readers = {(r.thread_id, r.user_id): r for r in ThreadReader.objects.all()}
    for (thread_id, author_id), seq in authored.items():
        reader = readers[thread_id, author_id]
        assert reader.follow == ThreadReader.Follow.FOLLOWING
        assert reader.last_read_seq >= seq
    demo = User.objects.get(username=DEMO_USERNAME)
    space = Space.objects.get(slug="procurement-reform")
    listed = list(selectors.space_threads(demo, space))
    assert any(thread.unread == 0 for thread in listed)
    assert any(thread.unread > 0 for thread in listed)


def test_a_seeded_thread_reads_on_its_page_and_stays_hidden_from_outsiders(
    seeded, client
):
    demo = User.objects.get(username=DEMO_USERNAME)
    client.force_login(demo)
    space = Space.objects.get(slug="procurement-reform")
    thread = Thread.objects.filter(space=space).order_by("-last_seq").first()
    response = client.get(
        reverse("spaces:thread", kwargs={"slug": space.slug, "thread_id": thread.pk})
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert thread.title in page or thread.title.replace("'", "&#x27;") in page
    last = thread.messages.order_by("-seq").first()
    assert str(last.body_html) in page

    hidden = Thread.objects.filter(marking=Marking.OFFICIAL_SENSITIVE).first()
    response = client.get(
        reverse(
            "spaces:thread",
            kwargs={"slug": hidden.space.slug, "thread_id": hidden.pk},
        )
    )
    assert response.status_code == 404


def test_whether_a_model_is_indexed_comes_from_haystack():
    from haystack import connections

    indexed = connections["default"].get_unified_index().get_indexed_models()
    assert Space in indexed
    assert messages_loader._indexed(Space) is True
    assert messages_loader._indexed(ThreadReader) is False


def counts() -> dict[str, int]:
    models = (Thread, Message, Mention, MessageRevision, Reaction, ThreadReader)
    return {
        **{model.__name__: model.objects.count() for model in models},
        "outbox": OutboxEntry.objects.count(),
    }


def test_a_second_run_adds_nothing(seeded):
    before = counts()
    output = seed(messages=MESSAGES * 2, seed=99, index_messages=True)
    assert counts() == before
    assert "messages" not in output
    assert messages_loader.ALREADY_SEEDED in seed(verbosity=2)


def test_help_says_indexing_messages_is_opt_in(capsys):
    with pytest.raises(SystemExit):
        call_command("seed_demo", "--help")
    text = " ".join(capsys.readouterr().out.split())
    assert "--messages" in text and "--index-messages" in text
    assert "340 documents a second" in text
