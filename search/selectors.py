"""Reads from the search index, always narrowed to what the asker may see."""

from haystack.inputs import AutoQuery
from haystack.query import SearchQuerySet

from profiles.search_indexes import AUDIENCE_ALL_STAFF


def audience_tokens(user) -> list[str]:
    """The audience tokens whose documents `user` may see (see DESIGN.md, Search)."""
    if not user.is_authenticated or not user.is_active:
        return []
    return [AUDIENCE_ALL_STAFF]


def search(*, user, query: str) -> SearchQuerySet:
    """Documents matching `query` that `user` may see, best match first."""
    tokens = audience_tokens(user)
    if not tokens or not query.strip():
        return SearchQuerySet().none()
    return SearchQuerySet().filter(content=AutoQuery(query), audience__in=tokens)
