"""Threads drawn from the demo texts (`demo.messages`): which space, who
starts them and who replies, when, what they say, who is mentioned, what is
edited and reacted to. No database: `messages_loader` reads who may take part in
each space and writes what this draws.

The shape follows real discussion: most threads are short and a few run to
thousands of messages (a Pareto tail); some people post far more than others; a
reply is usually from someone already in the thread. Everything comes from one
random generator, used in a fixed order, so the same seed over the same people
gives the same threads.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import accumulate

from demo.messages import (
    EDIT_NOTES,
    MENTIONS,
    OPENING_POSTS,
    REACTION_WEIGHTS,
    REACTIONS,
    REPLIES,
    THREAD_TITLES,
)

# How long the demo's discussions have been going on, counted back from the end.
HISTORY = timedelta(days=120)
# An archived space fell quiet before it was archived.
ARCHIVED_QUIET = timedelta(days=45)
# A read marker older than this covers the whole thread: people catch up.
CAUGHT_UP = timedelta(days=7)
MEAN_GAP_S = 50 * 60
MIN_GAP_S = 30
LONGEST_THREAD = 3000
LONGEST_SHORT_DEMO = 50
SENSITIVE_SHARE = 0.5  # of threads in a space whose default marking is sensitive
PINNED_SHARE = 0.02
LOCKED_SHARE = 0.015
FROM_THE_THREAD = 0.65  # replies by someone who has already written in it
MENTION_SHARE = 0.06
EDIT_SHARE = 0.03
REACTED_SHARE = 0.15


@dataclass(frozen=True)
class Person:
    id: int
    username: str
    department: str  # acronym; empty without a profile


@dataclass(frozen=True)
class Cast:
    """Who may take part in one space's threads, as ids in the people's order."""

    space_id: int
    topics: tuple[str, ...]
    sensitive_default: bool
    archived: bool
    posters: tuple[int, ...]  # may reply (and react)
    starters: tuple[int, ...]  # may start threads
    # Its own owners, moderators and members: the only people who may read, and
    # so write in, its OFFICIAL-SENSITIVE threads.
    insiders: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Edit:
    before: str
    at: datetime


@dataclass(slots=True)
class MessageDraft:
    seq: int
    author: int
    body: str
    at: datetime
    mentions: tuple[int, ...] = ()
    edit: Edit | None = None
    reactions: list[tuple[int, str, datetime]] = field(default_factory=list)
    change: int = 0  # the thread's change number of its latest edit or reaction


@dataclass
class ThreadDraft:
    number: int  # 1, 2, 3… in the order drawn
    space_id: int
    title: str
    author: int
    sensitive: bool
    pinned: bool
    locked: bool
    messages: list[MessageDraft]
    last_change: int
    # user id -> (last seq read, following): what posting leaves behind (the
    # author follows and has read up to their own message), and the reader's
    # own marker when one is given.
    readers: dict[int, tuple[int, bool]]


class _Pool:
    """People to draw from, the busiest more often."""

    def __init__(self, ids: Sequence[int], activity: dict[int, float]) -> None:
        self.ids = tuple(ids)
        self.known = frozenset(self.ids)
        self.cumulative = tuple(accumulate(activity[i] for i in self.ids))

    def __bool__(self) -> bool:
        return bool(self.ids)

    def draw(self, rng: random.Random) -> int:
        point = rng.random() * self.cumulative[-1]
        return self.ids[min(bisect(self.cumulative, point), len(self.ids) - 1)]

    def draw_other(self, rng: random.Random, than: int) -> int | None:
        """Someone besides `than`, or None when nobody else is here."""
        if len(self.ids) - (than in self.known) < 1:
            return None
        for _ in range(8):
            chosen = self.draw(rng)
            if chosen != than:
                return chosen
        return next(i for i in self.ids if i != than)


@dataclass
class _Space:
    cast: Cast
    posters: _Pool
    starters: _Pool
    insiders: _Pool
    insider_starters: _Pool
    end: datetime


def generate_threads(
    casts: Sequence[Cast],
    people: Sequence[Person],
    *,
    count: int,
    seed: int,
    end: datetime,
    reader: int | None = None,
) -> Iterator[ThreadDraft]:
    """Threads holding `count` messages in all, across the spaces of `casts`
    where someone may start a thread; none if there is no such space.

    `people` are everyone in the casts, in a fixed order (by username); `end` is
    when the demo's history stops; `reader`, when given, is a person whose read
    markers are drawn as well (the demo sign-in), so their unread counts look
    lived in.
    """
    rng = random.Random(f"{seed}:messages")  # noqa: S311 - demo data
    by_id = {person.id: person for person in people}
    activity = {person.id: rng.paretovariate(1.5) for person in people}
    spaces = [_space(cast, activity, end) for cast in casts if cast.starters]
    if not spaces:
        return
    # Bigger spaces are busier, but not in proportion.
    busy = tuple(
        accumulate(
            len(space.posters.ids) ** 0.5 * (0.4 if space.cast.archived else 1.0)
            for space in spaces
        )
    )
    # A small demo spreads its messages over many threads rather than one.
    longest = max(LONGEST_SHORT_DEMO, min(LONGEST_THREAD, count // 20))
    drawer = _Drawer(rng, by_id, reader)
    remaining, number = count, 0
    while remaining > 0:
        number += 1
        # Every space has a discussion or two; the busy ones have many.
        if number <= len(spaces):
            space = spaces[number - 1]
        else:
            space = rng.choices(spaces, cum_weights=busy)[0]
        length = min(remaining, longest, _thread_length(rng))
        thread = drawer.thread(number, space, length)
        remaining -= length
        yield thread


def _space(cast: Cast, activity: dict[int, float], end: datetime) -> _Space:
    insiders = set(cast.insiders)
    return _Space(
        cast=cast,
        posters=_Pool(cast.posters, activity),
        starters=_Pool(cast.starters, activity),
        insiders=_Pool(cast.insiders, activity),
        insider_starters=_Pool([i for i in cast.starters if i in insiders], activity),
        end=end - ARCHIVED_QUIET if cast.archived else end,
    )


def _thread_length(rng: random.Random) -> int:
    """1 (nobody replied) upwards; about 10 on average, a few in the thousands."""
    return max(1, int(rng.paretovariate(1.3) * 2.5) - 1)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


class _Participants:
    """Everyone who has written in a thread, in order of their first message."""

    def __init__(self, first: int) -> None:
        self.order = [first]
        self.known = {first}

    def add(self, user_id: int) -> None:
        if user_id not in self.known:
            self.known.add(user_id)
            self.order.append(user_id)

    def other_than(self, rng: random.Random, user_id: int) -> int | None:
        """Someone in the thread besides `user_id`, or None."""
        if len(self.order) < 2 and user_id in self.known:
            return None
        while True:
            chosen = rng.choice(self.order)
            if chosen != user_id:
                return chosen


class _Drawer:
    def __init__(
        self, rng: random.Random, people: dict[int, Person], reader: int | None
    ) -> None:
        self.rng = rng
        self.people = people
        self.reader = reader

    def _department(self, user_id: int) -> str:
        return self.people[user_id].department or "my department"

    def thread(self, number: int, space: _Space, length: int) -> ThreadDraft:
        rng = self.rng
        cast = space.cast
        sensitive = (
            cast.sensitive_default
            and bool(space.insider_starters)
            and rng.random() < SENSITIVE_SHARE
        )
        starters = space.insider_starters if sensitive else space.starters
        pool = space.insiders if sensitive else space.posters
        author = starters.draw(rng)
        topic = rng.choice(cast.topics)
        title = rng.choice(THREAD_TITLES).format(
            topic=topic, Topic=_capitalised(topic), dept=self._department(author)
        )
        times = self._times(space.end, length)
        opening = rng.choice(OPENING_POSTS).format(
            topic=topic, dept=self._department(author)
        )
        messages = [MessageDraft(seq=1, author=author, body=opening, at=times[0])]
        participants = _Participants(author)
        for seq in range(2, length + 1):
            reply = self._reply(
                seq, times[seq - 1], pool, participants, messages[-1].author, topic
            )
            participants.add(reply.author)
            messages.append(reply)
        last_change = self._changes(messages, pool, space.end)
        return ThreadDraft(
            number=number,
            space_id=cast.space_id,
            title=title,
            author=author,
            sensitive=sensitive,
            pinned=rng.random() < PINNED_SHARE,
            locked=rng.random() < LOCKED_SHARE,
            messages=messages,
            last_change=last_change,
            readers=self._readers(messages, pool, space.end),
        )

    def _times(self, end: datetime, length: int) -> list[datetime]:
        """When each message was posted: a start within the history, then gaps;
        a thread that would run past the end starts earlier instead."""
        rng = self.rng
        offsets = [0.0]
        for _ in range(length - 1):
            offsets.append(
                offsets[-1] + max(MIN_GAP_S, rng.expovariate(1 / MEAN_GAP_S))
            )
        start = end - HISTORY * rng.random()
        span = timedelta(seconds=offsets[-1])
        if start + span > end:
            start = end - span
        # Whole seconds, so the times read back the same from every database.
        start = start.replace(microsecond=0)
        return [start + timedelta(seconds=int(offset)) for offset in offsets]

    def _reply(
        self,
        seq: int,
        at: datetime,
        pool: _Pool,
        participants: _Participants,
        last: int,
        topic: str,
    ) -> MessageDraft:
        rng = self.rng
        author = None
        if rng.random() < FROM_THE_THREAD:
            author = participants.other_than(rng, last)
        if author is None:
            author = pool.draw_other(rng, than=last) or last
        dept = self._department(author)
        if rng.random() < MENTION_SHARE:
            mentioned = None
            if rng.random() < 0.5:
                mentioned = participants.other_than(rng, author)
            if mentioned is None:
                mentioned = pool.draw_other(rng, than=author)
            if mentioned is not None:
                body = rng.choice(MENTIONS).format(
                    name=self.people[mentioned].username, topic=topic, dept=dept
                )
                return MessageDraft(
                    seq=seq, author=author, body=body, at=at, mentions=(mentioned,)
                )
        body = rng.choice(REPLIES).format(topic=topic, dept=dept)
        return MessageDraft(seq=seq, author=author, body=body, at=at)

    def _changes(self, messages: list[MessageDraft], pool: _Pool, end: datetime) -> int:
        """Edits and reactions, numbered 1, 2, 3… in the order they happened, as
        `spaces.thread_services` numbers them; returns the last number."""
        rng = self.rng
        changes: list[tuple[datetime, int, MessageDraft]] = []
        for message in messages:
            if rng.random() < EDIT_SHARE:
                at = min(end, message.at + timedelta(minutes=rng.randint(2, 60)))
                before = message.body
                message.body = f"{before}\n\n{rng.choice(EDIT_NOTES)}"
                message.edit = Edit(before=before, at=at)
                changes.append((at, len(changes), message))
            if rng.random() < REACTED_SHARE:
                for user in self._reactors(pool, message.author):
                    emoji = rng.choices(REACTIONS, weights=REACTION_WEIGHTS)[0]
                    at = min(end, message.at + timedelta(minutes=rng.randint(1, 360)))
                    message.reactions.append((user, emoji, at))
                    changes.append((at, len(changes), message))
        changes.sort(key=lambda change: change[:2])
        for number, (_, _, message) in enumerate(changes, start=1):
            message.change = number
        return len(changes)

    def _reactors(self, pool: _Pool, author: int) -> list[int]:
        """One to six different people besides the author, usually one or two."""
        wanted = min(len(pool.ids) - 1, 1 + int(self.rng.expovariate(1.0)), 6)
        chosen: dict[int, None] = {}
        for _ in range(wanted * 4):
            if len(chosen) >= wanted:
                break
            user = pool.draw_other(self.rng, than=author)
            if user is not None:
                chosen[user] = None
        return list(chosen)

    def _readers(
        self, messages: list[MessageDraft], pool: _Pool, end: datetime
    ) -> dict[int, tuple[int, bool]]:
        readers = {message.author: (message.seq, True) for message in messages}
        reader = self.reader
        if reader is not None and reader in pool.known:
            last = messages[-1]
            if last.at < end - CAUGHT_UP:
                following = readers.get(reader, (0, False))[1]
                readers[reader] = (last.seq, following)
        return readers
