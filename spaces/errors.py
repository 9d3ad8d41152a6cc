"""Refusals of changes to spaces, their access and their discussions, by kind
(`intranet.errors`)."""

from intranet.errors import (
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    RateLimited,
    ServiceError,
)


class SpaceError(ServiceError):
    """A change to a space, its access or its discussions that is refused; raise
    one of its kinds below."""


class SpaceInvalid(SpaceError, Invalid):
    """What was sent cannot be used: missing, too long, not one of the choices."""


class SpaceForbidden(SpaceError, Forbidden):
    """The action is not the actor's to take in this space, or not now (an
    archived space, a locked thread for replies)."""


class SpaceNotFound(SpaceError, NotFound):
    """The space or thread does not exist for the actor."""


class SpaceConflict(SpaceError, Conflict):
    """The change clashes with how things are now: already decided or answered,
    already a member, a client id used for another message, a deleted message,
    a locked thread's messages."""


class SpaceRateLimited(SpaceError, RateLimited):
    """Posting too fast: the client shows the message and tries later."""
