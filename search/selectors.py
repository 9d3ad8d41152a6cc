"""Reads from the search index, always narrowed to what the asker may see.

Every query starts from `_searchable(user)`: haystack's `narrow()` with the
asker's audience tokens, which the backend applies as an unscored filter (as
Solr's `fq` and Elasticsearch's filter context do), so nothing outside it can
surface in a result, a count, a facet or a suggestion. The query string itself
is built by `search.query.ranked` from the words typed, weighed by the boosts
the search indexes give their fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from math import ceil

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import Q
from haystack import connections
from haystack.inputs import Raw
from haystack.query import EmptySearchQuerySet, SearchQuerySet

from intranet import audience
from profiles.models import Department, Grade, Location, Profession
from profiles.selectors.access import is_active_account
from search import access
from search.highlight import Marker
from search.query import KINDS, Query, any_of, parse, ranked, tokens
from spaces.models import Space
from spaces.selectors import spaces_readable_by, spaces_sensitive_readable_by

PAGE_SIZE = 20
SORTS = {"relevance": "Most relevant", "date": "Most recent"}

# The fields a query weighs; `text`, last, holds every word of a document.
RANKED_FIELDS = ("name", "key_skills", "other_skills", "job_title", "teams", "text")

# "Did you mean" is worked out for a query that finds fewer results than this.
SUGGEST_BELOW = 3
# Corrections come from this field: people's names and skills only.
SPELLING_FIELD = "spelling"

# Autocomplete: the last word typed is a prefix of at least PREFIX_MIN
# characters, standing for at most PREFIX_TERMS words of the index.
PREFIX_MIN = 3
PREFIX_TERMS = 30
COMPLETE_FIELD = "complete"
COMPLETE_LIMIT = 8


@dataclass(frozen=True)
class Filters:
    """What the search page narrows results to, beside the query itself.

    `kind` is one of search.query.KINDS (it wins over kind: in the query); the
    others are ids. Grade, profession and location describe people, so
    choosing one leaves only people.
    """

    kind: str = ""
    department: int | None = None
    grade: int | None = None
    profession: int | None = None
    location: int | None = None


NO_FILTERS = Filters()

# Each facet: the index field it counts and narrows, and whether it is only
# offered once the results are people.
FACETS = {
    "kind": ("kind", False),
    "department": ("department_id", False),
    "grade": ("grade_id", True),
    "profession": ("profession_ids", True),
    "location": ("location_id", True),
}


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchPage:
    """One page of search results, with what the page shows around them."""

    query: Query
    page: Page
    marker: Marker
    # The kinds the results are limited to (from the filter or the query).
    kinds: tuple[str, ...] = ()
    # The query without its kind: operators, for a link to every kind.
    query_of_any_kind: str = ""
    # Facet name (a key of FACETS) -> its options, most results first.
    facets: dict[str, list[FacetOption]] = field(default_factory=dict)
    # The query with misspelt names or skills corrected, or "".
    suggestion: str = ""
    # The index holds no document at all: it is being built.
    index_empty: bool = False


# Who may see what ------------------------------------------------------------------


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


def _audience_filter(user) -> str | None:
    """The narrowing query for what `user` may see; None for nothing at all
    (a leaver or a stranger)."""
    tokens = audience_tokens(user)
    return any_of("audience", tokens) if tokens else None


def _searchable(user) -> SearchQuerySet:
    """Every document `user` may see (nothing for a leaver or a stranger)."""
    within = _audience_filter(user)
    if within is None:
        return SearchQuerySet().none()
    return SearchQuerySet().narrow(within)


# Searching --------------------------------------------------------------------------


def search(
    *, user, query: str, filters: Filters = NO_FILTERS, sort: str = "relevance"
) -> SearchQuerySet:
    """Documents matching `query` (in the search box's language, search.query)
    that `user` may see, best match first or, with sort="date", newest first.

    Nothing is searched until it is sliced or counted.
    """
    return _matching(user, parse(query), filters, sort)


def _kinds(query: Query, filters: Filters) -> tuple[str, ...]:
    return (filters.kind,) if filters.kind else query.kinds


def _matching(user, query: Query, filters: Filters, sort: str) -> SearchQuerySet:
    results = _searchable(user)
    if query.is_empty or isinstance(results, EmptySearchQuerySet):
        return SearchQuerySet().none()
    if kinds := _kinds(query, filters):
        results = results.narrow(any_of("kind", kinds))
    for name in ("department", "grade", "profession", "location"):
        if value := getattr(filters, name):
            results = results.narrow(any_of(FACETS[name][0], [str(value)]))
    if query.spaces:
        readable = spaces_readable_by(user).filter(slug__in=query.spaces)
        ids = [str(pk) for pk in readable.values_list("pk", flat=True)]
        if not ids:
            return SearchQuerySet().none()
        results = results.narrow(any_of("space", ids))
    if query.authors:
        ids = [str(pk) for pk in _authors(query.authors)]
        if not ids:
            return SearchQuerySet().none()
        results = results.narrow(any_of("author", ids))
    results = results.filter(content=Raw(ranked(query, _weights())))
    if sort == "date":
        results = results.order_by("-date")
    return results


def _authors(usernames) -> list[int]:
    matching = Q()
    for username in usernames:
        matching |= Q(username__iexact=username)
    return list(get_user_model().objects.filter(matching).values_list("pk", flat=True))


def _weights() -> list[tuple[str, float]]:
    """Each ranked field with its boost, as the search indexes declare it."""
    fields = connections["default"].get_unified_index().all_searchfields()
    return [(name, fields[name].boost) for name in RANKED_FIELDS if name in fields]


# The search page ------------------------------------------------------------------


def search_page(
    *,
    user,
    query: str,
    filters: Filters = NO_FILTERS,
    sort: str = "relevance",
    page: int = 1,
) -> SearchPage:
    """A page of results with facet counts and a spelling suggestion, all
    within what `user` may see.

    The results, their number and the counts of every facet not filtered on
    come from one search. A facet that is filtered on is counted by one more
    search, without its own filter, so that its other options still say what
    they hold.
    """
    parsed = parse(query)
    kinds = _kinds(parsed, filters)
    # Grade, profession and location are for people: offered once the results
    # are people, and kept while one of them is chosen so it can be taken off.
    people_only = kinds == ("people",) or any(
        getattr(filters, name) for name, (_, for_people) in FACETS.items() if for_people
    )
    offered = {
        name: facet_field
        for name, (facet_field, for_people) in FACETS.items()
        if people_only or not for_people
    }
    results = _matching(user, parsed, filters, sort)
    for facet_field in offered.values():
        results = results.facet(facet_field)
    found, total, number, results = _page_of(results, page)
    counted = results.facet_counts().get("fields", {}) if total else {}

    facets = {}
    for name, facet_field in offered.items():
        chosen = kinds if name == "kind" else _chosen(filters, name)
        if chosen:
            counted_here = _counts_without(user, parsed, filters, name, facet_field)
        else:
            counted_here = counted.get(facet_field, [])
        facets[name] = _options(name, counted_here, chosen)

    paginator = Paginator(_Counted(found, total, (number - 1) * PAGE_SIZE), PAGE_SIZE)
    return SearchPage(
        query=parsed,
        page=paginator.page(number),
        marker=Marker(parsed.words),
        kinds=kinds,
        query_of_any_kind=str(replace(parsed, kinds=())),
        facets=facets,
        suggestion=(
            spelling_suggestion(user, parsed, filters, total)
            if total < SUGGEST_BELOW
            else ""
        ),
        index_empty=total == 0 and index_is_empty(),
    )


def _page_of(results: SearchQuerySet, number: int):
    """Page `number` of `results` (the last one if it is past the end), how
    many results there are in all, the page's number, and the queryset that
    fetched them (its facet counts are those of the same search)."""
    number = max(1, number)
    found = list(results[(number - 1) * PAGE_SIZE : number * PAGE_SIZE])
    # Counted by the search that fetched the page: no second search.
    total = len(results)
    last = max(1, ceil(total / PAGE_SIZE))
    if found or number <= last:
        return found, total, number, results
    return _page_of(results._clone(), last)


class _Counted:
    """One page of results standing for all of them, for Django's Paginator."""

    def __init__(self, page: list, total: int, offset: int):
        self._page, self._total, self._offset = page, total, offset

    def __len__(self) -> int:
        return self._total

    def __getitem__(self, index: slice) -> list:
        return self._page[index.start - self._offset : index.stop - self._offset]


def _chosen(filters: Filters, name: str) -> tuple[str, ...]:
    value = getattr(filters, name)
    return (str(value),) if value else ()


def _counts_without(user, query: Query, filters: Filters, name: str, facet_field):
    """The counts of facet `name` in the results without its own filter."""
    if name == "kind":
        query, filters = replace(query, kinds=()), replace(filters, kind="")
    else:
        filters = replace(filters, **{name: None})
    results = _matching(user, query, filters, "relevance").facet(facet_field)
    # One search, fetching one result: the counts come with it.
    results.count()
    return results.facet_counts().get("fields", {}).get(facet_field, [])


def _options(name: str, counts, chosen: tuple[str, ...]) -> list[FacetOption]:
    """Facet `name`'s options from the index's (value, count) pairs, labelled."""
    counts = [(str(value), count) for value, count in counts if value and count]
    labels = _labels(name, [value for value, _ in counts])
    options = [
        FacetOption(value, labels[value], count, value in chosen)
        for value, count in counts
        if value in labels
    ]
    return sorted(options, key=lambda option: (-option.count, option.label))


def _labels(name: str, values: list[str]) -> dict[str, str]:
    """What to call each value of facet `name` (kinds, or ids of the
    organisation's departments, grades, professions and locations)."""
    if name == "kind":
        return KINDS
    ids = [int(value) for value in values if value.isdigit()]
    if name == "department":
        rows = Department.objects.filter(pk__in=ids).values_list("pk", "name")
    elif name == "grade":
        rows = [(g.pk, _grade_label(g)) for g in Grade.objects.filter(pk__in=ids)]
    elif name == "profession":
        rows = Profession.objects.filter(pk__in=ids).values_list("pk", "name")
    else:
        rows = Location.objects.filter(pk__in=ids).values_list("pk", "name")
    return {str(pk): label for pk, label in rows}


def _grade_label(grade: Grade) -> str:
    if grade.name in ("", grade.code):
        return grade.code
    return f"{grade.code} – {grade.name}"


# Did you mean ---------------------------------------------------------------------


def spelling_suggestion(user, query: Query, filters: Filters, found: int) -> str:
    """`query` with its misspelt names and skills corrected, if the corrected
    query finds more of what `user` may see than the `found` results of the
    query as typed; "" otherwise.

    Corrections come from one vocabulary: people's names and skills (the
    `spelling` field, filled by the people index alone), which every member of
    staff may see. Not from the words of every document: a correction taken
    from a private thread would tell a stranger that the word is in there,
    even with no result shown. And within it, only from documents the asker
    may see (search.vocabulary): Whoosh keeps a removed document's words, a
    leaver's name, until segments merge, and they must neither be offered nor
    stop a word being corrected. The corrected query must then find results
    within the asker's audience, like any other query, before it is offered.
    """
    backend = connections["default"].get_backend()
    correct = getattr(backend, "corrections", None)
    singles = [unit[0] for unit in query.required if len(unit) == 1]
    within = _audience_filter(user)
    if correct is None or not singles or within is None:
        return ""
    fixes = correct(SPELLING_FIELD, singles, within=within)
    if not fixes:
        return ""
    corrected = query.with_words(fixes)
    if len(_matching(user, corrected, filters, "relevance")) <= found:
        return ""
    return str(corrected)


def index_is_empty() -> bool:
    """Whether the index holds no document at all (it is being built)."""
    count = getattr(connections["default"].get_backend(), "document_count", None)
    return count is not None and count() == 0


# Autocomplete ---------------------------------------------------------------------


def complete(*, user, text: str) -> list:
    """Up to COMPLETE_LIMIT people, spaces and threads that `user` may see
    whose name or title has the words of `text`, its last word as a prefix.

    Everything is counted among what `user` may see, never over the whole
    index (search.vocabulary): the prefix stands for the PREFIX_TERMS words
    most of those documents hold, and they come in that order, so the answer
    is the same whether or not hidden content exists. A short prefix can start
    thousands of words, and a prefix shorter than PREFIX_MIN finds nothing.
    """
    words = tokens(text)
    if not words or len(words[-1]) < PREFIX_MIN:
        return []
    within = _audience_filter(user)
    if within is None:
        return []
    backend = connections["default"].get_backend()
    return backend.complete(
        COMPLETE_FIELD,
        words[:-1],
        words[-1],
        within=within,
        terms=PREFIX_TERMS,
        limit=COMPLETE_LIMIT,
    )
