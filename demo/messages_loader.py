"""Write the demo spaces' discussions, once, in bulk.

A million messages cannot go through `spaces.thread_services` one by one (each
post is a transaction with a row lock, a read marker, an outbox row and live
events), so this writes the rows those services would leave behind, batch by
batch, inside one transaction:

- threads with `last_seq` equal to their number of messages and
  `last_activity_at` the time of the last one; messages numbered 1…n by `seq`,
  with `body_html` rendered as the service renders it (once per distinct body:
  the texts repeat, so a million messages pay markdown for a few thousand);
- edits as revisions holding the text before, and reactions, both numbered by
  the thread's `last_change` in the order they happened;
- mentions, and the read markers posting leaves (authors follow the threads
  they wrote in and have read them up to their own message);
- no notifications and no live events: this is history, nobody is online.

Who writes is decided from the guardian permissions the spaces services gave
(`spaces.roles`: posting, starting threads), and OFFICIAL-SENSITIVE threads only
have the space's own owners, moderators and members in them, as
`spaces.selectors.can_view_sensitive` requires.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.utils import timezone
from haystack import connections as search_connections
from tqdm import tqdm

from demo.conversations import Cast, Person, ThreadDraft, generate_threads
from demo.loader import SeedError
from demo.logins import DEMO_USERNAME
from demo.messages import TEAM_TOPICS, TOPICS
from intranet.indexing import index_ids_later
from intranet.markdown import render_markdown
from profiles.models import User
from spaces import roles
from spaces.models import (
    Marking,
    Mention,
    Message,
    MessageRevision,
    Reaction,
    Space,
    SpaceGroupObjectPermission,
    SpaceMembership,
    SpaceUserObjectPermission,
    Thread,
    ThreadReader,
)
from spaces.selectors import SENSITIVE_ROLES

ALREADY_SEEDED = "Threads already present; no demo messages added."
NO_DEMO = "No demo organisation to add messages to."
NO_SPACES = "No spaces to add messages to."
NONE_ASKED = "No messages asked for."

# Messages drawn before writing: enough for full batches of every table, few
# enough to keep memory flat however many are seeded.
CHUNK_MESSAGES = 20_000
# SQLite's page cache while seeding, in KiB (its default is 2 MiB).
SQLITE_CACHE_KIB = 128 * 1024


@dataclass(frozen=True)
class MessagesSummary:
    messages: int
    threads: int
    sensitive_threads: int
    spaces: int
    edits: int
    reactions: int
    mentions: int
    queued_for_search: int


def reason_to_skip(how_many: int) -> str | None:
    """Why adding demo messages would be wrong here, or None.

    Only a demo organisation with spaces gets them, and only while it has no
    threads at all: demo messages are never mixed into discussions people had.
    """
    if how_many <= 0:
        return NONE_ASKED
    if not User.objects.filter(username=DEMO_USERNAME).exists():
        return NO_DEMO
    if not Space.objects.exists():
        return NO_SPACES
    if Thread.objects.exists():
        return ALREADY_SEEDED
    return None


def seed_messages(
    *,
    how_many: int,
    seed: int,
    batch_size: int,
    index_messages: bool = False,
    show_progress: bool = False,
) -> MessagesSummary | str:
    """Add `how_many` messages in threads across the demo spaces, in one
    transaction; or say why nothing was added.

    Threads are queued for search indexing when threads are indexed; messages
    only with `index_messages`, since indexing runs at a few hundred documents a
    second. The same seed over the same organisation gives the same threads on
    the same day: their history counts back from midnight (UTC) of the day of
    seeding.
    """
    if not connection.features.can_return_rows_from_bulk_insert:
        raise SeedError("Seeding needs PostgreSQL, or SQLite 3.35 or later.")
    end = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    with transaction.atomic(), _roomy_sqlite_cache():
        reason = reason_to_skip(how_many)
        if reason is not None:
            return reason
        casts, people = _casts()
        demo = next((p.id for p in people if p.username == DEMO_USERNAME), None)
        drafts = generate_threads(
            casts, people, count=how_many, seed=seed, end=end, reader=demo
        )
        writer = _Writer(
            seed=seed,
            batch_size=batch_size,
            index_threads=_indexed(Thread),
            index_messages=index_messages and _indexed(Message),
        )
        with tqdm(
            total=how_many,
            unit=" messages",
            unit_scale=True,
            desc="Seeding messages",
            disable=not show_progress,
        ) as progress:
            for chunk in _chunks(drafts, CHUNK_MESSAGES):
                writer.write(chunk)
                progress.update(sum(len(draft.messages) for draft in chunk))
        _members_joined_before_the_talk()
    return writer.summary()


def _members_joined_before_the_talk() -> None:
    """Date every membership back to its space's first thread.

    The history is drawn in the past, but memberships were made today; and what
    was last active before someone joined a space is not unread for them
    (`spaces.selectors.unread_threads`), so without this the demo would show
    almost nothing unread."""
    first_thread = (
        Thread.objects.filter(space=models.OuterRef("space_id"))
        .order_by("created_at")
        .values("created_at")[:1]
    )
    SpaceMembership.objects.filter(
        models.Exists(Thread.objects.filter(space=models.OuterRef("space_id")))
    ).update(joined_at=models.Subquery(first_thread))


def _indexed(model: type[models.Model]) -> bool:
    """Whether haystack has a search index for `model`: only then is there
    anything to queue."""
    unified = search_connections["default"].get_unified_index()
    return model in unified.get_indexed_models()


@contextmanager
def _roomy_sqlite_cache():
    """A larger SQLite page cache for this connection while seeding.

    Every author, reactor and reader has a place of their own in several
    indexes, so each batch touches pages all over them; SQLite's default 2 MiB
    cache cannot hold them and keeps reading them back, which made a million
    messages take about 30% longer.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (saved,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{int(SQLITE_CACHE_KIB)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(saved)}")


def _chunks(drafts: Iterable[ThreadDraft], size: int) -> Iterator[list[ThreadDraft]]:
    chunk: list[ThreadDraft] = []
    messages = 0
    for draft in drafts:
        chunk.append(draft)
        messages += len(draft.messages)
        if messages >= size:
            yield chunk
            chunk, messages = [], 0
    if chunk:
        yield chunk


# Who may take part where --------------------------------------------------------


def _casts() -> tuple[list[Cast], list[Person]]:
    """Each space's people, from the permissions its roles and grants gave.

    Read straight from guardian's tables (a person's own permissions, and their
    groups'), as `spaces.selectors.space_permissions` reads them, because asking
    for each person and space in turn would take minutes for a large demo.
    Current staff only, ordered by username so that the same seed draws the
    same people on any database.
    """
    rows = (
        User.objects.filter(is_active=True)
        .order_by("username")
        .values_list("pk", "username", "profile__department__acronym")
    )
    people = [Person(pk, username, acronym or "") for pk, username, acronym in rows]
    rank = {person.id: index for index, person in enumerate(people)}

    held: dict[tuple[int, str], set[int]] = {}
    wanted = (roles.POST, roles.START_THREAD)
    for space_id, user_id, codename in SpaceUserObjectPermission.objects.filter(
        permission__codename__in=wanted
    ).values_list("content_object_id", "user_id", "permission__codename"):
        held.setdefault((space_id, codename), set()).add(user_id)
    members: dict[int, set[int]] = {}
    for group_id, user_id in User.groups.through.objects.values_list(
        "group_id", "user_id"
    ):
        members.setdefault(group_id, set()).add(user_id)
    for space_id, group_id, codename in SpaceGroupObjectPermission.objects.filter(
        permission__codename__in=wanted
    ).values_list("content_object_id", "group_id", "permission__codename"):
        held.setdefault((space_id, codename), set()).update(members.get(group_id, ()))
    insiders: dict[int, set[int]] = {}
    for space_id, user_id in SpaceMembership.objects.filter(
        role__in=SENSITIVE_ROLES
    ).values_list("space_id", "user_id"):
        insiders.setdefault(space_id, set()).add(user_id)

    def ordered(ids: Iterable[int]) -> tuple[int, ...]:
        return tuple(sorted((i for i in ids if i in rank), key=rank.__getitem__))

    casts = [
        Cast(
            space_id=space_id,
            topics=TOPICS.get(slug, TEAM_TOPICS),
            sensitive_default=marking == Marking.OFFICIAL_SENSITIVE,
            archived=archived,
            posters=ordered(held.get((space_id, roles.POST), ())),
            starters=ordered(held.get((space_id, roles.START_THREAD), ())),
            insiders=ordered(insiders.get(space_id, ())),
        )
        for space_id, slug, marking, archived in Space.objects.order_by(
            "slug"
        ).values_list("pk", "slug", "default_marking", "archived")
    ]
    return casts, people


# Writing -------------------------------------------------------------------------


class _Writer:
    """Bulk inserts, table by table, one chunk of threads at a time."""

    def __init__(
        self, *, seed: int, batch_size: int, index_threads: bool, index_messages: bool
    ) -> None:
        self.seed = seed
        self.batch_size = batch_size
        self.index_threads = index_threads
        self.index_messages = index_messages
        self.html: dict[str, str] = {}
        self.counts = dict.fromkeys(
            (
                "messages",
                "threads",
                "sensitive_threads",
                "edits",
                "reactions",
                "mentions",
                "queued_for_search",
            ),
            0,
        )
        self.spaces: set[int] = set()

    def _render(self, body: str) -> str:
        html = self.html.get(body)
        if html is None:
            html = self.html[body] = str(render_markdown(body))
        return html

    def write(self, drafts: list[ThreadDraft]) -> None:
        threads = Thread.objects.bulk_create(
            [self._thread(draft) for draft in drafts], batch_size=self.batch_size
        )
        messages: list[Message] = []
        for draft, thread in zip(drafts, threads, strict=True):
            messages.extend(self._messages(draft, thread.pk))
        Message.objects.bulk_create(messages, batch_size=self.batch_size)
        self._extras(drafts, threads, messages)
        if self.index_threads:
            index_ids_later(Thread, [thread.pk for thread in threads])
            self.counts["queued_for_search"] += len(threads)
        if self.index_messages:
            index_ids_later(Message, [message.pk for message in messages])
            self.counts["queued_for_search"] += len(messages)
        self.counts["threads"] += len(threads)
        self.counts["messages"] += len(messages)
        self.counts["sensitive_threads"] += sum(draft.sensitive for draft in drafts)
        self.spaces.update(draft.space_id for draft in drafts)

    def _thread(self, draft: ThreadDraft) -> Thread:
        return Thread(
            space_id=draft.space_id,
            title=draft.title,
            author_id=draft.author,
            marking=(
                Marking.OFFICIAL_SENSITIVE if draft.sensitive else Marking.OFFICIAL
            ),
            pinned=draft.pinned,
            locked=draft.locked,
            created_at=draft.messages[0].at,
            last_activity_at=draft.messages[-1].at,
            last_seq=len(draft.messages),
            last_change=draft.last_change,
        )

    def _messages(self, draft: ThreadDraft, thread_id: int) -> Iterator[Message]:
        prefix = f"demo-{self.seed}-{draft.number}-"
        for message in draft.messages:
            yield Message(
                thread_id=thread_id,
                seq=message.seq,
                author_id=message.author,
                client_id=f"{prefix}{message.seq}",
                body=message.body,
                body_html=self._render(message.body),
                created_at=message.at,
                edited_at=message.edit.at if message.edit else None,
                change=message.change,
            )

    def _extras(
        self,
        drafts: list[ThreadDraft],
        threads: list[Thread],
        messages: list[Message],
    ) -> None:
        """Mentions, revisions, reactions and read markers of the chunk."""
        mentions, revisions, reactions, readers = [], [], [], []
        rows = iter(messages)
        for draft, thread in zip(drafts, threads, strict=True):
            for message in draft.messages:
                row = next(rows)
                mentions.extend(
                    Mention(message_id=row.pk, user_id=user_id)
                    for user_id in message.mentions
                )
                if message.edit is not None:
                    revisions.append(
                        MessageRevision(
                            message_id=row.pk,
                            body=message.edit.before,
                            edited_at=message.edit.at,
                            edited_by_id=message.author,
                        )
                    )
                reactions.extend(
                    Reaction(
                        message_id=row.pk, user_id=user, emoji=emoji, created_at=at
                    )
                    for user, emoji, at in message.reactions
                )
            readers.extend(
                ThreadReader(
                    thread_id=thread.pk,
                    user_id=user_id,
                    last_read_seq=seq,
                    follow=(
                        ThreadReader.Follow.FOLLOWING
                        if following
                        else ThreadReader.Follow.DEFAULT
                    ),
                )
                for user_id, (seq, following) in draft.readers.items()
            )
        for model, rows_to_write in (
            (Mention, mentions),
            (MessageRevision, revisions),
            (Reaction, reactions),
            (ThreadReader, readers),
        ):
            model.objects.bulk_create(rows_to_write, batch_size=self.batch_size)
        self.counts["mentions"] += len(mentions)
        self.counts["edits"] += len(revisions)
        self.counts["reactions"] += len(reactions)

    def summary(self) -> MessagesSummary:
        return MessagesSummary(spaces=len(self.spaces), **self.counts)
