"""Refusals of changes to people and the organisation, by kind
(`intranet.errors`)."""

from intranet.errors import (
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    RateLimited,
    ServiceError,
)


class ProfileError(ServiceError):
    """A change to people or the organisation that is refused; raise one of its
    kinds below."""


class ProfileInvalid(ProfileError, Invalid):
    """What was entered cannot be used."""


class ProfileForbidden(ProfileError, Forbidden):
    """The change is not the actor's to make (a view answers 403), whatever was
    entered."""


class ProfileNotFound(ProfileError, NotFound):
    """What the change is about does not exist."""


class ProfileConflict(ProfileError, Conflict):
    """The change clashes with how things are now (already answered, already
    done, merged away meanwhile)."""


class ProfileRateLimited(ProfileError, RateLimited):
    """Too many at once: the same change may go through in a moment."""
