"""Discussion threads: starting one, reading and replying, editing and deleting
messages, reactions, pinning and locking, following.

Every action is a plain form POST answered with a redirect and a success banner,
so the pages work with JavaScript off. The live client (assets/js/live.js) posts
replies and reactions to the same URLs asking for JSON, and gets the message as
the live stream carries it. A thread the person may not read answers 404, exactly
as a missing one does.
"""

from __future__ import annotations

from django.contrib import messages as banners
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from intranet import safe_json
from intranet.live.consumer import BACKLOG_LIMIT
from spaces import selectors, thread_services
from spaces.errors import SpaceError
from spaces.events import message_event, reaction_event, thread_stream
from spaces.forms import FollowForm, MessageEditForm, ReplyForm, ThreadForm
from spaces.models import Marking, Message, Thread, ThreadReader
from spaces.views.common import require, space_or_404

FOLLOW_DONE = {
    ThreadReader.Follow.FOLLOWING: "You will be told about every reply in this thread",
    ThreadReader.Follow.DEFAULT: "You will be told about this thread when someone "
    "mentions you",
    ThreadReader.Follow.MUTED: "You have muted this thread",
}
MODERATION_DONE = {
    ("pinned", True): "The thread has been pinned",
    ("pinned", False): "The thread has been unpinned",
    ("locked", True): "The thread has been locked: nobody can reply",
    ("locked", False): "The thread has been unlocked",
}
# The largest reply, every character escaped as a JSON surrogate pair (12 bytes),
# with room for the other fields.
JSON_BODY_MAX = thread_services.BODY_MAX * 12 + 4096


# Finding things, and answering --------------------------------------------------


def _thread_or_404(request, slug: str, thread_id: int) -> Thread:
    """The thread, if it is in the space at `slug` and the person may read it."""
    space = space_or_404(request, slug)
    thread = selectors.visible_thread(request.user, thread_id)
    if thread is None or thread.space_id != space.pk:
        raise Http404("No such thread")
    return thread


def _message_or_404(thread: Thread, seq: int) -> Message:
    message = selectors.thread_message(thread, seq)
    if message is None:
        raise Http404("No such message")
    return message


def _wants_json(request) -> bool:
    """The live client asks for JSON; a browser's form post prefers HTML."""
    preferred = request.get_preferred_type(["text/html", "application/json"])
    return preferred == "application/json"


class _Unreadable(Exception):
    """A JSON body that was not read (`safe_json` says why)."""


def _posted(request) -> dict:
    """The fields of a form post, or of a JSON object sent by the live client;
    `_Unreadable` for a body that is not one."""
    if request.content_type != "application/json":
        return request.POST
    try:
        data = safe_json.loads(request.body or b"{}", max_bytes=JSON_BODY_MAX)
    except safe_json.Refused as error:
        raise _Unreadable(error.message) from error
    if not isinstance(data, dict):
        raise _Unreadable("Send a JSON object.")
    return {key: value for key, value in data.items() if isinstance(value, str)}


def _unreadable(request, error: _Unreadable):
    """400, in JSON for the live client, on the error page for anyone else."""
    if _wants_json(request):
        return JsonResponse(
            {"error": {"code": "invalid", "detail": str(error)}}, status=400
        )
    raise BadRequest(str(error)) from error


def _see_other(url: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _may_reply(user, thread: Thread) -> bool:
    return selectors.can_post(user, thread.space) and not thread.locked


def _json_error(error: SpaceError, *, allowed: bool) -> JsonResponse:
    """A refusal as the live client reads it: rate limited, forbidden (the person
    may not do this here), or invalid (what they sent)."""
    if isinstance(error, thread_services.RateLimited):
        code, status = "rate_limited", 429
    elif not allowed:
        code, status = "forbidden", 403
    else:
        code, status = "invalid", 400
    return JsonResponse(
        {"error": {"code": code, "detail": error.message}}, status=status
    )


# The thread page -----------------------------------------------------------------


def _before(request) -> int | None:
    value = request.GET.get("before")
    if value is None:
        return None
    try:
        before = int(value)
    except ValueError:
        return None
    return before if before > 0 else None


def _render_thread(
    request,
    thread: Thread,
    *,
    form: ReplyForm | None = None,
    follow_form: FollowForm | None = None,
    refusal: str = "",
    refusal_target: str = "",
    status: int = 200,
):
    user = request.user
    space = thread.space
    page = selectors.thread_page(user, thread, before=_before(request))
    if page.latest and status == 200:
        # Opening the newest messages reads the thread up to its end.
        thread_services.thread_mark_read(actor=user, thread=thread, seq=thread.last_seq)
    may_post = selectors.can_post(user, space)
    return render(
        request,
        "spaces/thread.html",
        {
            "space": space,
            "thread": thread,
            "page": page,
            "sensitive": thread.marking == Marking.OFFICIAL_SENSITIVE,
            "form": form or ReplyForm(),
            "follow_form": follow_form or FollowForm(initial={"follow": page.follow}),
            "may_reply": may_post and not thread.locked,
            "may_post": may_post,
            "may_moderate": selectors.can_moderate(user, space),
            "may_join": not may_post and not space.archived,
            "reactions": thread_services.EMOJI,
            "last_seq": page.messages[-1].seq if page.messages else 0,
            "refusals": [refusal] if refusal else [],
            "refusal_target": refusal_target,
            "stream": thread_stream(thread),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def thread(request, slug, thread_id):
    """The thread's page; a POST is a reply, from the form or the live client."""
    thread = _thread_or_404(request, slug, thread_id)
    if request.method == "GET":
        return _render_thread(request, thread)
    user = request.user
    try:
        form = ReplyForm(_posted(request))
    except _Unreadable as error:
        return _unreadable(request, error)
    form.is_valid()
    try:
        message, created = thread_services.message_post(
            actor=user,
            thread=thread,
            body=form.cleaned_data.get("body", ""),
            client_id=form.cleaned_data.get("client_id", ""),
        )
    except SpaceError as error:
        if _wants_json(request):
            return _json_error(error, allowed=_may_reply(user, thread))
        if not _may_reply(user, thread):
            return _render_thread(
                request,
                thread,
                refusal=error.message,
                refusal_target="reply",
                status=403,
            )
        form.add_service_error(error)
        return _render_thread(request, thread, form=form, status=400)
    if _wants_json(request):
        return JsonResponse(
            {"message": message_event(message, viewer=user), "created": created},
            status=201 if created else 200,
        )
    banners.success(request, "Your reply has been posted")
    return _see_other(thread_services.thread_url(thread, message.seq))


@require_GET
def messages(request, slug, thread_id):
    """The thread's messages after seq `after`, as the live stream sends them: the
    live client pages a backlog too long for one subscription with this."""
    thread = _thread_or_404(request, slug, thread_id)
    try:
        after = int(request.GET.get("after", "0"))
    except ValueError:
        after = -1
    if after < 0:
        return JsonResponse(
            {"error": {"code": "invalid", "detail": "after must be a whole number."}},
            status=400,
        )
    found = list(
        selectors.thread_messages(thread, after=after, limit=BACKLOG_LIMIT + 1)
    )
    events = [
        message_event(message, viewer=request.user) for message in found[:BACKLOG_LIMIT]
    ]
    return JsonResponse(
        {
            "stream": thread_stream(thread),
            "messages": events,
            "last": events[-1]["seq"] if events else after,
            "truncated": len(found) > BACKLOG_LIMIT,
        }
    )


# Starting a thread ---------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def new(request, slug):
    space = space_or_404(request, slug)
    user = request.user
    require(selectors.can_start_thread(user, space))
    options = {
        "space": space,
        "may_mark_sensitive": selectors.can_view_sensitive(user, space),
    }
    if request.method == "GET":
        form = ThreadForm(**options)
    else:
        form = ThreadForm(request.POST, **options)
        form.is_valid()
        try:
            thread = thread_services.thread_start(
                actor=user, space=space, **form.changes
            )
        except SpaceError as error:
            form.add_service_error(error)
        else:
            banners.success(request, "Your thread has been started")
            return _see_other(thread_services.thread_url(thread))
    return render(
        request,
        "spaces/thread_new.html",
        {"space": space, "form": form},
        status=400 if form.errors else 200,
    )


# Editing and deleting a message --------------------------------------------------


@require_http_methods(["GET", "POST"])
def message_edit(request, slug, thread_id, seq):
    thread = _thread_or_404(request, slug, thread_id)
    message = _message_or_404(thread, seq)
    user = request.user
    own = message.author_id == user.pk and selectors.can_post(user, thread.space)
    if request.method == "GET":
        require(own)
        if message.is_deleted:
            raise Http404("This message has been deleted")
        form = MessageEditForm(initial={"body": message.body})
    else:
        form = MessageEditForm(request.POST)
        form.is_valid()
        try:
            thread_services.message_edit(
                actor=user, message=message, body=form.cleaned_data.get("body", "")
            )
        except SpaceError as error:
            require(own)
            form.add_service_error(error)
        else:
            banners.success(request, "Your message has been changed")
            return _see_other(thread_services.thread_url(thread, message.seq))
    return render(
        request,
        "spaces/message_edit.html",
        {"space": thread.space, "thread": thread, "message": message, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def message_delete(request, slug, thread_id, seq):
    thread = _thread_or_404(request, slug, thread_id)
    message = _message_or_404(thread, seq)
    user = request.user
    space = thread.space
    allowed = (
        message.author_id == user.pk and selectors.can_post(user, space)
    ) or selectors.can_moderate(user, space)
    errors: list[str] = []
    if request.method == "GET":
        require(allowed)
    else:
        try:
            thread_services.message_delete(actor=user, message=message)
        except SpaceError as error:
            require(allowed)
            errors = [error.message]
        else:
            banners.success(request, "The message has been deleted")
            return _see_other(thread_services.thread_url(thread, message.seq))
    return render(
        request,
        "spaces/message_delete.html",
        {
            "space": space,
            "thread": thread,
            "message": message,
            "moderating": message.author_id != user.pk,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


# Reactions, moderation, following ------------------------------------------------


@require_POST
def react(request, slug, thread_id, seq):
    thread = _thread_or_404(request, slug, thread_id)
    message = _message_or_404(thread, seq)
    user = request.user
    try:
        emoji = str(_posted(request).get("emoji", ""))
    except _Unreadable as error:
        return _unreadable(request, error)
    try:
        added = thread_services.reaction_toggle(
            actor=user, message=message, emoji=emoji
        )
    except SpaceError as error:
        allowed = selectors.can_post(user, thread.space)
        if _wants_json(request):
            return _json_error(error, allowed=allowed)
        require(allowed)
        return _render_thread(
            request,
            thread,
            refusal=error.message,
            refusal_target=f"message-{message.seq}",
            status=400,
        )
    if _wants_json(request):
        return JsonResponse({"reaction": reaction_event(message), "added": added})
    if added:
        banners.success(request, f"You reacted with {emoji}")
    else:
        banners.success(request, f"Your {emoji} reaction has been taken back")
    return _see_other(thread_services.thread_url(thread, message.seq))


def _flag(value) -> bool | None:
    return {"1": True, "0": False}.get(value)


@require_POST
def moderate(request, slug, thread_id):
    """Pin or unpin, lock or unlock: `pinned=1`, `locked=0`…"""
    thread = _thread_or_404(request, slug, thread_id)
    changes = [
        (field, _flag(request.POST[field]))
        for field in ("pinned", "locked")
        if field in request.POST
    ]
    if len(changes) != 1 or changes[0][1] is None:
        raise BadRequest("Send pinned=0/1 or locked=0/1")
    field, value = changes[0]
    service = (
        thread_services.thread_set_pinned
        if field == "pinned"
        else thread_services.thread_set_locked
    )
    try:
        service(actor=request.user, thread=thread, **{field: value})
    except SpaceError as error:
        raise PermissionDenied(error.message) from error
    banners.success(request, MODERATION_DONE[field, value])
    return _see_other(thread_services.thread_url(thread))


@require_POST
def follow(request, slug, thread_id):
    thread = _thread_or_404(request, slug, thread_id)
    form = FollowForm(request.POST)
    form.is_valid()
    choice = form.cleaned_data.get("follow", "")
    try:
        thread_services.thread_set_follow(
            actor=request.user, thread=thread, follow=choice
        )
    except SpaceError as error:
        form.add_service_error(error)
        return _render_thread(request, thread, follow_form=form, status=400)
    banners.success(request, FOLLOW_DONE[choice])
    return _see_other(thread_services.thread_url(thread))
