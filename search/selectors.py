"""Reads from the search index, always narrowed to what the asker may see."""

from haystack.inputs import AutoQuery
from haystack.query import SearchQuerySet

from intranet import audience
from profiles.selectors.access import is_active_account
from search import access
from spaces.models import Space
from spaces.selectors import spaces_readable_by, spaces_sensitive_readable_by


def audience_tokens(user) -> list[str]:
    """The audience tokens whose documents `user` may see (see DESIGN.md, Search).

    "org" for every active member of staff; "space.<id>" for each space whose
    content they may read and that is not open (an open space's content is for
    all staff, so its documents carry "org"); "space.<id>.members" for each space
    whose OFFICIAL-SENSITIVE items they may read. Cached until access changes.
    """
    if not is_active_account(user):
        return []
    return access.cached_tokens(user, _work_out_tokens)


def _work_out_tokens(user) -> list[str]:
    members_only = (
        spaces_readable_by(user)
        .exclude(visibility=Space.Visibility.OPEN)
        .values_list("pk", flat=True)
    )
    sensitive = spaces_sensitive_readable_by(user).values_list("pk", flat=True)
    return [
        audience.ALL_STAFF,
        *(audience.space_members(pk) for pk in sorted(set(members_only))),
        *(audience.space_sensitive(pk) for pk in sorted(set(sensitive))),
    ]


def search(*, user, query: str) -> SearchQuerySet:
    """Documents matching `query` that `user` may see, best match first."""
    tokens = audience_tokens(user)
    if not tokens or not query.strip():
        return SearchQuerySet().none()
    return SearchQuerySet().filter(content=AutoQuery(query), audience__in=tokens)
