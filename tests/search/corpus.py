"""Building small, realistic search corpora for the search tests: people made
with the factories, spaces, threads and messages made through the services, and
the index brought in line through the outbox and its one writer, as in
production."""

from __future__ import annotations

import itertools

from intranet.indexing import index_later
from profiles.models import Profile
from search.writer import drain_all
from spaces.models import Role, Space
from spaces.thread_services import message_post, thread_start
from tests.profiles.factories import ProfileFactory, SkillFactory, UserFactory
from tests.spaces.factories import SpaceFactory, add_member

_client_ids = itertools.count(1)


def client_id() -> str:
    return f"search-test-{next(_client_ids):08d}"


def person(username, first_name, last_name, *, key=(), other=(), **fields):
    """A member of staff's profile, with key and other skills by name."""
    profile = ProfileFactory(
        user=UserFactory(username=username, first_name=first_name, last_name=last_name),
        **fields,
    )
    profile.key_skills.add(*(SkillFactory(name=name) for name in key))
    profile.other_skills.add(*(SkillFactory(name=name) for name in other))
    return profile


def space(owner, name, slug, visibility=Space.Visibility.OPEN, **fields):
    """A space with `owner` (a user) as its owner."""
    made = SpaceFactory(name=name, slug=slug, visibility=visibility, **fields)
    add_member(made, owner, Role.OWNER)
    return made


def thread(space, author, title, body="Let us talk about it.", marking=None):
    return thread_start(
        actor=author,
        space=space,
        title=title,
        body=body,
        client_id=client_id(),
        marking=marking,
    )


def reply(thread, author, body):
    message, _ = message_post(
        actor=author, thread=thread, body=body, client_id=client_id()
    )
    return message


def index_everything() -> None:
    """Queue every person and space (the factories write around the services,
    which would queue them), then drain the outbox as the writer does."""
    index_later(*Profile.objects.all(), *Space.objects.all())
    drain_all()
