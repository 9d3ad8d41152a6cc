"""Who gets what from every space page and action.

Read a row as: this request, made to the space of this visibility, answers each
actor with this status. 302 from a GET is the sign-in redirect (anonymous and
deactivated people are signed out); 302 or 303 from a POST is success (the
action's redirect; discussion actions answer 303 See Other), except for those two
actors, where 302 is again the sign-in redirect.
404 means the space or thread does not exist for the actor; 403 that it exists but the
action is not theirs; 400 that the action was refused with a message.

The world is built once for the module; each request runs in its own savepoint,
rolled back afterwards, so every actor meets the same world. Actors are described
in `tests/security/world.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.db import transaction
from django.test import Client
from django.urls import reverse

from spaces.models import GrantRole, Role, Space
from tests.security.world import (
    ACTORS,
    TABLE_ACTORS,
    World,
    build_world,
    start_threads,
    with_self_asserted,
)

pytestmark = pytest.mark.django_db

MATRIX = """
request              visibility   anon staff guest memb  mod owner dept team admin deact
GET  directory       -            302  200   200   200   200  200   200   200  200   302
GET  create          -            302  200   200   200   200  200   200   200  200   302
GET  home            open         302  200   200   200   200  200   200   200  200   302
GET  home            restricted   302  200   200   200   200  200   200   200  200   302
GET  home            private      302  404   200   200   200  200   200   200  200   302
GET  members         open         302  200   200   200   200  200   200   200  200   302
GET  members         restricted   302  403   200   200   200  200   200   200  200   302
GET  members         private      302  404   200   200   200  200   200   200  200   302
GET  history         open         302  403   403   403   200  200   403   403  200   302
GET  history         restricted   302  403   403   403   200  200   403   403  200   302
GET  history         private      302  404   403   403   200  200   403   403  200   302
GET  access          open         302  403   403   403   200  200   403   403  200   302
GET  access          restricted   302  403   403   403   200  200   403   403  200   302
GET  access          private      302  404   403   403   200  200   403   403  200   302
GET  manage          open         302  403   403   403   302  200   403   403  302   302
GET  manage          restricted   302  403   403   403   302  200   403   403  302   302
GET  manage          private      302  404   403   403   302  200   403   403  302   302
GET  join            open         302  200   200   200   200  200   200   200  200   302
GET  join            restricted   302  200   200   200   200  200   200   200  200   302
GET  join            private      302  404   200   200   200  200   200   200  200   302
POST join            open         302  302   400   400   400  400   302   302  302   302
POST join            restricted   302  302   400   400   400  400   302   302  302   302
POST join            private      302  404   400   400   400  400   400   400  400   302
POST leave           open         302  400   302   302   302  400   400   400  400   302
POST leave           restricted   302  400   302   302   302  400   400   400  400   302
POST leave           private      302  404   302   302   302  400   400   400  400   302
POST settings        open         302  403   403   403   403  302   403   403  403   302
POST settings        private      302  404   403   403   403  302   403   403  403   302
POST archive         open         302  403   403   403   403  302   403   403  403   302
POST archive         private      302  404   403   403   403  302   403   403  403   302
POST member_role     open         302  403   403   403   403  302   403   403  302   302
POST member_role     restricted   302  403   403   403   403  302   403   403  302   302
POST member_role     private      302  404   403   403   403  302   403   403  302   302
POST forged_owner    private      302  404   403   403   403  302   403   403  302   302
POST member_remove   open         302  403   403   403   403  302   403   403  302   302
POST member_remove   private      302  404   403   403   403  302   403   403  302   302
POST transfer        open         302  403   403   403   403  302   403   403  302   302
POST transfer        private      302  404   403   403   403  302   403   403  302   302
POST grant_add       open         302  403   403   403   403  302   403   403  302   302
POST grant_add       private      302  404   403   403   403  302   403   403  302   302
POST grant_revoke    open         302  403   403   403   403  302   403   403  302   302
POST grant_revoke    private      302  404   403   403   403  302   403   403  302   302
POST invite          open         302  403   403   403   302  302   403   403  302   302
POST invite          restricted   302  403   403   403   302  302   403   403  302   302
POST invite          private      302  404   403   403   302  302   403   403  302   302
POST decide          restricted   302  403   403   403   302  302   403   403  302   302
POST answer_invite   open         302  404   404   404   404  404   404   404  404   302
POST answer_invite   private      302  404   404   404   404  404   404   404  404   302
GET  thread          open         302  200   200   200   200  200   200   200  200   302
GET  thread          restricted   302  404   200   200   200  200   200   200  404   302
GET  thread          private      302  404   200   200   200  200   200   200  404   302
GET  sensitive       open         302  404   404   200   200  200   404   404  404   302
GET  sensitive       restricted   302  404   404   200   200  200   404   404  404   302
GET  sensitive       private      302  404   404   200   200  200   404   404  404   302
GET  messages        open         302  200   200   200   200  200   200   200  200   302
GET  messages        restricted   302  404   200   200   200  200   200   200  404   302
GET  sensitive_json  open         302  404   404   200   200  200   404   404  404   302
POST reply           open         302  403   303   303   303  303   303   303  403   302
POST reply           restricted   302  404   303   303   303  303   303   303  404   302
POST reply           private      302  404   303   303   303  303   303   303  404   302
POST reply_sensitive open         302  404   404   303   303  303   404   404  404   302
GET  thread_new      open         302  403   403   200   200  200   200   200  403   302
GET  thread_new      restricted   302  403   403   200   200  200   200   200  403   302
GET  thread_new      private      302  404   403   200   200  200   200   200  403   302
POST pin             open         302  403   403   403   303  303   403   403  403   302
POST pin             restricted   302  404   403   403   303  303   403   403  404   302
POST pin             private      302  404   403   403   303  303   403   403  404   302
POST mark_read       open         302  303   303   303   303  303   303   303  303   302
POST mark_read       restricted   302  403   303   303   303  303   303   303  403   302
POST mark_read       private      302  404   303   303   303  303   303   303  403   302
POST lock            open         302  403   403   403   303  303   403   403  403   302
POST lock            private      302  404   403   403   303  303   403   403  404   302
GET  edit            open         302  403   403   403   403  200   403   403  403   302
GET  edit            restricted   302  404   403   403   403  200   403   403  404   302
GET  edit            private      302  404   403   403   403  200   403   403  404   302
GET  edit_sensitive  open         302  404   404   403   403  200   404   404  404   302
POST edit            open         302  403   403   403   403  303   403   403  403   302
POST edit            private      302  404   403   403   403  303   403   403  404   302
GET  delete          open         302  403   403   403   200  200   403   403  403   302
GET  delete          private      302  404   403   403   200  200   403   403  404   302
POST delete          open         302  403   403   403   303  303   403   403  403   302
POST delete          restricted   302  404   403   403   303  303   403   403  404   302
POST delete          private      302  404   403   403   303  303   403   403  404   302
POST react           open         302  403   303   303   303  303   303   303  403   302
POST react           restricted   302  404   303   303   303  303   303   303  404   302
POST react           private      302  404   303   303   303  303   303   303  404   302
POST react_sensitive open         302  404   404   303   303  303   404   404  404   302
POST follow          open         302  303   303   303   303  303   303   303  303   302
POST follow          restricted   302  404   303   303   303  303   303   303  404   302
POST follow          private      302  404   303   303   303  303   303   303  404   302
POST follow_sensitive private     302  404   404   303   303  303   404   404  404   302
"""

# The matrix's column headings, in the order of `world.TABLE_ACTORS`.
COLUMN_HEADINGS = "anon staff guest memb mod owner dept team admin deact".split()


@dataclass(frozen=True)
class Action:
    """How to make one request of the matrix: its URL, and the form it posts."""

    url: Callable[[World, Space | None], str]
    data: Callable[[World, Space | None], dict] = lambda world, space: {}


def _space_url(name: str) -> Callable[[World, Space | None], str]:
    return lambda world, space: reverse(f"spaces:{name}", kwargs={"slug": space.slug})


def _object_url(name: str, key: str, target: Callable) -> Callable:
    return lambda world, space: reverse(
        f"spaces:{name}", kwargs={"slug": space.slug, key: target(world, space).pk}
    )


def _membership(actor: str) -> Callable:
    return lambda world, space: space.memberships.get(user=world.user(actor))


def _thread_url(name: str, which: str) -> Callable:
    """The URL of one of the space's threads: `threads` (OFFICIAL) or
    `sensitive_threads` (OFFICIAL-SENSITIVE), made by the `world` fixture."""
    return lambda world, space: reverse(
        f"spaces:{name}",
        kwargs={
            "slug": space.slug,
            "thread_id": getattr(world, which)[space.visibility].pk,
        },
    )


def _message_url(name: str, which: str) -> Callable:
    """The URL of the opening message (seq 1, by the space's owner) of one of
    the space's threads, as `_thread_url`."""
    return lambda world, space: reverse(
        f"spaces:{name}",
        kwargs={
            "slug": space.slug,
            "thread_id": getattr(world, which)[space.visibility].pk,
            "seq": 1,
        },
    )


def _department_grant(world: World, space: Space):
    return space.grants.get(department__isnull=False)


ACTIONS: dict[str, Action] = {
    "directory": Action(lambda world, space: reverse("spaces:directory")),
    "create": Action(lambda world, space: reverse("spaces:create")),
    "home": Action(_space_url("home")),
    "members": Action(_space_url("members")),
    "history": Action(_space_url("history")),
    "access": Action(_space_url("access")),
    "manage": Action(_space_url("manage")),
    "join": Action(_space_url("join"), lambda world, space: {"message": "Hello"}),
    "leave": Action(_space_url("leave")),
    "settings": Action(
        _space_url("manage"),
        lambda world, space: {
            "name": f"{space.name} renamed",
            "slug": space.slug,
            "description": "",
            "department": space.department_id,
            "visibility": space.visibility,
            "default_marking": space.default_marking,
        },
    ),
    "archive": Action(
        _space_url("archive"), lambda world, space: {"action": "archive"}
    ),
    "member_role": Action(
        _object_url("member_role", "membership_id", _membership("member")),
        lambda world, space: {"role": Role.MODERATOR},
    ),
    # A form field forged to make oneself owner.
    "forged_owner": Action(
        _object_url("member_role", "membership_id", _membership("member")),
        lambda world, space: {"role": Role.OWNER},
    ),
    "member_remove": Action(
        _object_url("member_remove", "membership_id", _membership("guest"))
    ),
    "transfer": Action(
        _space_url("transfer"),
        lambda world, space: {"to": world.user("member").username},
    ),
    "grant_add": Action(
        _space_url("grant_add"),
        lambda world, space: {
            "department": world.new_department.pk,
            "role": GrantRole.MEMBER,
        },
    ),
    "grant_revoke": Action(_object_url("grant_revoke", "grant_id", _department_grant)),
    "invite": Action(
        _space_url("invite"),
        lambda world, space: {"invitee": world.newcomer.username, "role": "member"},
    ),
    "decide": Action(
        _object_url(
            "request_decide",
            "request_id",
            lambda world, space: world.join_requests[space.visibility],
        ),
        lambda world, space: {"decision": "approve", "reason": ""},
    ),
    "thread": Action(_thread_url("thread", "threads")),
    "sensitive": Action(_thread_url("thread", "sensitive_threads")),
    "messages": Action(_thread_url("thread_messages", "threads")),
    "sensitive_json": Action(_thread_url("thread_messages", "sensitive_threads")),
    "reply": Action(
        _thread_url("thread", "threads"),
        lambda world, space: {"body": "A reply", "client_id": "matrix-reply-1"},
    ),
    "reply_sensitive": Action(
        _thread_url("thread", "sensitive_threads"),
        lambda world, space: {"body": "A reply", "client_id": "matrix-reply-2"},
    ),
    "thread_new": Action(_space_url("thread_new")),
    "pin": Action(
        _thread_url("thread_moderate", "threads"), lambda world, space: {"pinned": "1"}
    ),
    "mark_read": Action(_space_url("mark_read")),
    "lock": Action(
        _thread_url("thread_moderate", "threads"), lambda world, space: {"locked": "1"}
    ),
    "edit": Action(
        _message_url("message_edit", "threads"),
        lambda world, space: {"body": "Opening message, corrected"},
    ),
    "edit_sensitive": Action(_message_url("message_edit", "sensitive_threads")),
    "delete": Action(_message_url("message_delete", "threads")),
    "react": Action(
        _message_url("message_react", "threads"), lambda world, space: {"emoji": "👍"}
    ),
    "react_sensitive": Action(
        _message_url("message_react", "sensitive_threads"),
        lambda world, space: {"emoji": "👍"},
    ),
    "follow": Action(
        _thread_url("thread_follow", "threads"),
        lambda world, space: {"follow": "following"},
    ),
    "follow_sensitive": Action(
        _thread_url("thread_follow", "sensitive_threads"),
        lambda world, space: {"follow": "following"},
    ),
    "answer_invite": Action(
        lambda world, space: reverse(
            "spaces:invitation_answer",
            kwargs={"invitation_id": world.invitations[space.visibility].pk},
        ),
        lambda world, space: {"action": "accept"},
    ),
}


@dataclass(frozen=True)
class Case:
    method: str
    action: str
    visibility: str
    actor: str
    expected: int

    def __str__(self) -> str:
        return f"{self.method} {self.action} {self.visibility} as {self.actor}"


def _cases() -> list[Case]:
    cases = []
    heading, *rows = MATRIX.strip().splitlines()
    assert heading.split()[2:] == COLUMN_HEADINGS
    for line in rows:
        method, action, visibility, *codes = line.split()
        assert action in ACTIONS, line
        row = with_self_asserted(dict(zip(TABLE_ACTORS, codes, strict=True)))
        for actor in ACTORS:
            cases.append(Case(method, action, visibility, actor, int(row[actor])))
    return cases


CASES = _cases()
ROWS = sorted({(case.method, case.action, case.visibility) for case in CASES})


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """Built once for the module, in a transaction rolled back at its end. Each
    test's own transaction, and each request's savepoint, nest inside it, so every
    request still meets the world as built."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield start_threads(build_world())
        transaction.set_rollback(True)


def _request(world: World, case: Case) -> int:
    client = Client()
    user = world.user(case.actor)
    if user is not None:
        client.force_login(user)
    space = world.spaces.get(case.visibility)
    action = ACTIONS[case.action]
    url = action.url(world, space)
    with transaction.atomic():
        if case.method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, action.data(world, space))
        transaction.set_rollback(True)
    if response.status_code == 302 and case.actor in ("anonymous", "deactivated"):
        assert response["Location"].startswith(reverse("login")), case
        assert f"{REDIRECT_FIELD_NAME}=" in response["Location"], case
    return response.status_code


@pytest.mark.parametrize("row", ROWS, ids=" ".join)
def test_every_actor_gets_the_expected_answer(world, row):
    answers = {}
    for case in (c for c in CASES if (c.method, c.action, c.visibility) == row):
        answers[case.actor] = (_request(world, case), case.expected)
    wrong = {actor: got for actor, (got, want) in answers.items() if got != want}
    assert not wrong, (
        f"{' '.join(row)}: got {wrong}, expected "
        f"{ {actor: want for actor, (_, want) in answers.items() if actor in wrong} }"
    )
