"""The live streams spaces serve: "thread:<id>", registered from SpacesConfig.ready().

Access is `selectors.visible_thread` (a missing thread and a hidden one answer the
same). The backlog is the thread's messages after a seq, preceded, when the client
says which change it last saw (`since`), by the edits, deletions and reactions it
missed on messages it already holds; the author's own messages carry their
`client_id`. A thread's head is its `last_seq` and `last_change`. A read marker
goes through `thread_mark_read`.
"""

from __future__ import annotations

from intranet.live.streams import StreamKind, register
from spaces import selectors
from spaces.events import change_events, message_event
from spaces.models import Thread
from spaces.thread_services import thread_mark_read


def _can_subscribe(user, key: str) -> bool:
    return selectors.visible_thread(user, key) is not None


def _backlog(
    user, key: str, after: int | None, limit: int, since: int | None
) -> list[dict]:
    thread = selectors.visible_thread(user, key)
    if thread is None:
        return []
    events = []
    if since is not None and after:
        for message in selectors.thread_changes(thread, up_to=after, since=since):
            events.extend(change_events(message))
    events.extend(
        message_event(message, viewer=user)
        for message in selectors.thread_messages(thread, after=after, limit=limit)
    )
    return events


def _heads(keys: list[str]) -> dict[str, dict]:
    rows = Thread.objects.filter(pk__in=[int(key) for key in keys]).values_list(
        "pk", "last_seq", "last_change"
    )
    return {str(pk): {"last": seq, "change": change} for pk, seq, change in rows}


def _space_of(key: str) -> int | None:
    return Thread.objects.filter(pk=int(key)).values_list("space_id", flat=True).first()


def _mark_read(user, key: str, seq: int) -> None:
    thread = selectors.visible_thread(user, key)
    if thread is not None:
        thread_mark_read(actor=user, thread=thread, seq=seq)


THREADS = StreamKind(
    kind="thread",
    can_subscribe=_can_subscribe,
    backlog=_backlog,
    space_of=_space_of,
    heads=_heads,
    mark_read=_mark_read,
)


def register_streams() -> None:
    register(THREADS)
