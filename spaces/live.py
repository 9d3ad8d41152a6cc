"""The live streams spaces serve: "thread:<id>", registered from SpacesConfig.ready().

Access is `selectors.visible_thread` (a missing thread and a hidden one answer the
same), the backlog is the thread's messages after a seq, and a read marker goes
through `thread_mark_read`.
"""

from __future__ import annotations

from intranet.live.streams import StreamKind, register
from spaces import selectors
from spaces.events import message_event
from spaces.models import Thread
from spaces.thread_services import thread_mark_read


def _can_subscribe(user, key: str) -> bool:
    return selectors.visible_thread(user, key) is not None


def _backlog(user, key: str, after: int | None, limit: int) -> list[dict]:
    thread = selectors.visible_thread(user, key)
    if thread is None:
        return []
    return [
        message_event(message)
        for message in selectors.thread_messages(thread, after=after, limit=limit)
    ]


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
    mark_read=_mark_read,
)


def register_streams() -> None:
    register(THREADS)
