"""The search leak probe: search never shows anyone what they may not see.

The world of `tests/security/world.py` is given secrets: made-up words found
nowhere else, each planted in one place (the table below). Every actor then asks
the search page and the autocomplete endpoint for each word, for a misspelling of
it (did you mean), for its first letters (autocomplete), with a `kind:` filter;
and for a word every document holds: its counts, facets and second page, with
`in:`, `by:` and `kind:`, and filtered by a department or a location they may
not see. The probe checks that

- a word the actor may not see appears nowhere in the answer: not in a title, a
  snippet, a facet, a count's label, a suggestion or JSON;
- a search whose only matches are hidden from the actor answers exactly as a
  search that matches nothing, so no result, count, facet or "did you mean" gives
  away that something is there; filtering by a hidden department or location
  reads as filtering by one that does not exist;
- the number of results for the common word, in all and for each kind and
  department, is the number of documents the actor may see, worked out from
  `spaces.selectors` and `profiles.selectors`, never from search;
- a word the actor may see is found, so the probe cannot pass by finding nothing;
- taking access away (a removal, a revoked grant, a lower role, leaving a team,
  a deactivated account) hides the content from the very next query, with no
  re-indexing in between.

A page echoes the query, as typed or rewritten in lower case, so a word the query
holds proves nothing by being in the answer: the first check looks for every
hidden word but those, and the second covers those, comparing the two answers
with the differing word blanked out wherever it is echoed. Words are typed
capitalised ("Privatequokka") and planted in lower case: search ignores case.

The world and its index are built once for the module, in a transaction rolled
back at its end; every test runs in a savepoint of its own, so the tests that
take access away leave the world as they found it.
"""

from __future__ import annotations

import html
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import haystack
import pytest
from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.db import models, transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import Resolver404, resolve, reverse
from whoosh.analysis import StemmingAnalyzer
from whoosh.index import open_dir

from intranet.indexing import index_later
from intranet.models import AuditEvent
from profiles.models import Department, Location, Profile, Visibility
from profiles.selectors.access import ANY_STAFF, can_see, is_active_account
from profiles.selectors.directory import directory_profiles
from profiles.services.editing import profile_update
from search import writer
from search.backend import close_searchers
from search.models import OutboxEntry
from spaces.models import GrantRole, Marking, Message, Role, Space, Thread
from spaces.selectors import can_view_space, can_view_thread, spaces_visible_to
from spaces.services import (
    grant_revoke,
    invitation_accept,
    invitation_create,
    membership_remove,
    membership_set_role,
    space_update,
)
from spaces.thread_services import message_post, thread_start
from tests.profiles.factories import (
    DepartmentFactory,
    LocationFactory,
    ProfileFactory,
)
from tests.security.world import (
    ACTORS,
    TABLE_ACTORS,
    World,
    build_world,
    with_self_asserted,
)

pytestmark = pytest.mark.django_db

# Who may find each secret through search (y), by actor (tests/security/world.py).
# `field` says where in its document the word is planted; the lines starting with
# "#" say which document. test_the_table_agrees_with_the_selectors holds the table
# to spaces.selectors and profiles.selectors, which are what the probe asks.
SECRETS = """
marker                    field   anon staff guest memb mod owner dept team admin deact
# The private space: its name, description, and its department's name and acronym
# (a department that owns nothing else).
privatenumbat             name    -    -     y     y    y   y     y    y    -     -
privatequokka             desc    -    -     y     y    y   y     y    y    -     -
capybaradept              dept    -    -     y     y    y   y     y    y    -     -
capybaraacronym           acronym -    -     y     y    y   y     y    y    -     -
# The restricted space's description: the space is listed to all staff.
listedibex                desc    -    y     y     y    y   y     y    y    y     -
# OFFICIAL threads: in the open space; in the restricted space, with a reply; in
# the private space, where its guests read it too.
openmarmot                title   -    y     y     y    y   y     y    y    y     -
restrictedaxolotl         title   -    -     y     y    y   y     y    y    -     -
replysalamander           body    -    -     y     y    y   y     y    y    -     -
privateokapi              title   -    -     y     y    y   y     y    y    -     -
# An OFFICIAL-SENSITIVE thread in each space, and its opening message: for the
# space's own members only, not its guests nor those let in by a grant.
opensensitivebeluga       title   -    -     -     y    y   y     -    -    -     -
opensensitivegecko        body    -    -     -     y    y   y     -    -    -     -
restrictedsensitivebeluga title   -    -     -     y    y   y     -    -    -     -
restrictedsensitivegecko  body    -    -     -     y    y   y     -    -    -     -
privatesensitivebeluga    title   -    -     -     y    y   y     -    -    -     -
privatesensitivegecko     body    -    -     -     y    y   y     -    -    -     -
# A colleague in the actors' own department: their surname and bio, for all staff;
# their location and work phone, which they show to their department only, and
# their working pattern, which they show to nobody. Then a leaver's bio, and the
# surname of a colleague who left after they were indexed (the word stays in the
# index's vocabulary until its segments merge, where "did you mean" could find it).
visibledugong             surname -    y     y     y    y   y     y    y    y     -
publicwombat              bio     -    y     y     y    y   y     y    y    y     -
hiddenpangolin            loc     -    -     -     -    -   -     -    -    -     -
phonetapir                phone   -    -     -     -    -   -     -    -    -     -
patternlemur              pattern -    -     -     -    -   -     -    -    -     -
leaverchinchilla          bio     -    -     -     -    -   -     -    -    -     -
departedmarmoset          surname -    -     -     -    -   -     -    -    -     -
"""
FIELD_KINDS = {
    "spaces": {"name", "desc", "dept", "acronym"},
    "threads": {"title"},
    "messages": {"body"},
    "people": {"surname", "bio", "loc", "phone", "pattern"},
}
COLUMN_HEADINGS = "anon staff guest memb mod owner dept team admin deact".split()
# In every document: its results show counts, facets and a second page.
COMMON_WORD = "commonzebra"
# In every person's bio and nowhere else.
PEOPLE_WORD = "rosterkiwi"
# Colleagues beyond the world's cast, so that everyone's results fill two pages.
EXTRA_COLLEAGUES = 15
# In no document, spelt nothing like any word that is.
NOTHING_WORD = "Xylophonequartz"
# Which documents each kind (`kind:` in the search box) is. A model indexed later
# (blog posts) has nothing in this world, which _visible_documents makes sure of,
# so kind:posts must find nothing at all.
KIND_MODELS = {
    "people": {Profile},
    "spaces": {Space},
    "threads": {Thread},
    "messages": {Message},
    "posts": set(),
}
KINDS = tuple(KIND_MODELS)
KIND_LABELS = {
    "people": "People",
    "spaces": "Spaces",
    "threads": "Threads",
    "messages": "Messages",
    "posts": "Blog posts",
}
# An id nothing has: a filter by it must answer as a filter by a hidden one.
NO_SUCH_ID = 987654
SIGNED_OUT = ("anonymous", "deactivated")
ACTIVE = tuple(actor for actor in ACTORS if actor not in SIGNED_OUT)
SEARCH_URL = "/search/"
SUGGEST_URL = "/search/suggest/"


@dataclass(frozen=True)
class Secret:
    marker: str
    kind: str
    place: str
    seen_by: frozenset[str]

    @property
    def typed(self) -> str:
        """The word as the probe types it."""
        return self.marker.capitalize()

    @property
    def misspelt(self) -> str:
        """One letter short, for "did you mean"."""
        middle = len(self.marker) // 2
        return (self.marker[:middle] + self.marker[middle + 1 :]).capitalize()

    @property
    def prefix(self) -> str:
        """The first letters, as someone typing it would send them."""
        return self.marker[:-3].capitalize()


def _secrets() -> list[Secret]:
    heading, *rows = SECRETS.strip().splitlines()
    assert heading.split()[2:] == COLUMN_HEADINGS
    secrets = []
    for row in rows:
        if row.startswith("#"):
            continue
        marker, place, *codes = row.split()
        assert set(codes) <= {"y", "-"}, row
        (kind,) = (kind for kind, fields in FIELD_KINDS.items() if place in fields)
        secrets.append(
            Secret(
                marker=marker,
                kind=kind,
                place=place,
                seen_by=frozenset(
                    actor
                    for actor, code in with_self_asserted(
                        dict(zip(TABLE_ACTORS, codes, strict=True))
                    ).items()
                    if code == "y"
                ),
            )
        )
    return secrets


SECRET_LIST = _secrets()
BY_MARKER = {secret.marker: secret for secret in SECRET_LIST}


# The world and its index, once for the module -----------------------------------


@dataclass
class Planted:
    """Where a secret lives: who may see it, by the selectors, and which models'
    documents can carry it (it is searchable once any of them is indexed)."""

    may_see: Callable[[object], bool]
    carriers: tuple[type[models.Model], ...]


@dataclass
class Probe:
    world: World
    planted: dict[str, Planted]
    index_path: Path
    # Filters of the search page set to something hidden: a department that
    # owns only the private space, and a location its holder hides.
    hidden_filters: dict[str, int]
    answers: dict[tuple, tuple[int, str, str]] = field(default_factory=dict)
    clients: dict[str, Client] = field(default_factory=dict)

    def may_see(self, actor: str, marker: str) -> bool:
        return self.planted[marker].may_see(self.world.user(actor))

    def searchable(self, marker: str) -> bool:
        return any(model in indexed_models() for model in self.planted[marker].carriers)

    def client(self, actor: str) -> Client:
        """A client signed in as `actor` for the current test (its session lives
        in the test's savepoint)."""
        if actor not in self.clients:
            client = Client()
            user = self.world.user(actor)
            if user is not None:
                client.force_login(user)
            self.clients[actor] = client
        return self.clients[actor]

    def ask(self, actor: str, url: str, **params) -> tuple[int, str, str]:
        """(status, body, redirect location) for `actor` asking `url`. The world is
        the same in every test, so an answer is fetched once for the module."""
        key = (actor, url, tuple(sorted(params.items())))
        if key not in self.answers:
            response = self.client(actor).get(url, params)
            self.answers[key] = (
                response.status_code,
                response.content.decode(),
                response.get("Location", ""),
            )
        return self.answers[key]


def indexed_models() -> set[type[models.Model]]:
    return set(haystack.connections["default"].get_unified_index().get_indexed_models())


@pytest.fixture(scope="module")
def probe(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Probe]:
    path = tmp_path_factory.mktemp("search-leaks") / "whoosh"
    engine = settings.HAYSTACK_CONNECTIONS["default"]["ENGINE"]
    connections_setting = {"default": {"ENGINE": engine, "PATH": str(path)}}
    saved = haystack.connections.connections_info
    with override_settings(
        HAYSTACK_CONNECTIONS=connections_setting, SEARCH_DRAIN_IN_PROCESS=False
    ):
        haystack.connections.connections_info = connections_setting
        haystack.connections.thread_local = threading.local()
        try:
            with django_db_blocker.unblock(), transaction.atomic():
                world = build_world()
                planted, hidden_filters = _plant_secrets(world)
                _index_everything()
                _leave(Profile.objects.get(user__last_name="departedmarmoset").user)
                yield Probe(
                    world=world,
                    planted=planted,
                    index_path=path,
                    hidden_filters=hidden_filters,
                )
                transaction.set_rollback(True)
        finally:
            haystack.connections.connections_info = saved
            haystack.connections.thread_local = threading.local()
            close_searchers()


@pytest.fixture(autouse=True)
def search_index_path(probe):
    """Replaces tests/conftest.py's empty index per test: here every test reads
    the module's one index of the world."""
    probe.clients.clear()
    return probe.index_path


def _plant_secrets(world: World) -> tuple[dict[str, Planted], dict[str, int]]:
    owner, member = world.user("owner"), world.user("member")
    spaces = world.spaces
    private = spaces[Space.Visibility.PRIVATE]
    capybara = DepartmentFactory(name="capybaradept", acronym="capybaraacronym")
    space_update(
        actor=owner,
        space=private,
        name=f"{private.name} privatenumbat",
        description=f"privatequokka {COMMON_WORD}",
        department=capybara,
    )
    space_update(
        actor=owner,
        space=spaces[Space.Visibility.RESTRICTED],
        description=f"listedibex {COMMON_WORD}",
    )
    space_update(
        actor=owner, space=spaces[Space.Visibility.OPEN], description=COMMON_WORD
    )
    in_private = (Space,)
    planted = {
        marker: Planted(lambda user: can_view_space(user, private), in_private)
        for marker in (
            "privatenumbat",
            "privatequokka",
            "capybaradept",
            "capybaraacronym",
        )
    }
    restricted = spaces[Space.Visibility.RESTRICTED]
    planted["listedibex"] = Planted(
        lambda user: can_view_space(user, restricted), (Space,)
    )

    def start(space, title_marker, body_marker, marking):
        thread = thread_start(
            actor=owner,
            space=space,
            title=f"{title_marker} {COMMON_WORD}",
            body=f"{body_marker or ''} {COMMON_WORD}".strip(),
            client_id=f"probe-{title_marker}",
            marking=marking,
        )
        visible = lambda user: can_view_thread(user, thread)  # noqa: E731
        planted[title_marker] = Planted(visible, (Thread,))
        if body_marker:
            planted[body_marker] = Planted(visible, (Message, Thread))
        return thread

    official, sensitive = Marking.OFFICIAL, Marking.OFFICIAL_SENSITIVE
    start(spaces[Space.Visibility.OPEN], "openmarmot", None, official)
    discussion = start(restricted, "restrictedaxolotl", None, official)
    message_post(
        actor=member,
        thread=discussion,
        body=f"replysalamander {COMMON_WORD}",
        client_id="probe-replysalamander",
    )
    planted["replysalamander"] = Planted(
        lambda user: can_view_thread(user, discussion), (Message, Thread)
    )
    start(private, "privateokapi", None, official)
    for visibility, space in spaces.items():
        start(
            space,
            f"{visibility}sensitivebeluga",
            f"{visibility}sensitivegecko",
            sensitive,
        )

    people, location = _plant_profile_secrets(world)
    planted.update(people)
    return planted, {"department": capybara.pk, "location": location.pk}


def _plant_profile_secrets(world: World) -> tuple[dict[str, Planted], Location]:
    """A colleague in the actors' own department who limits what others see of
    them, and a leaver; every profile's bio carries the common word."""
    ProfileFactory.create_batch(
        EXTRA_COLLEAGUES, department=world.user("staff").profile.department
    )
    Profile.objects.update(bio=f"{COMMON_WORD} {PEOPLE_WORD}")
    colleague = world.newcomer
    colleague.last_name = "visibledugong"
    colleague.save()
    profile = colleague.profile
    location = LocationFactory(name="hiddenpangolin", city="hiddenpangolin")
    profile_update(
        actor=colleague,
        profile=profile,
        changes={
            "bio": f"publicwombat {COMMON_WORD} {PEOPLE_WORD}",
            "location": location,
            "location_visibility": Visibility.DEPARTMENT,
            "phone_work": "phonetapir",
            "phone_visibility": Visibility.DEPARTMENT,
            "working_pattern_note": "patternlemur",
            "working_pattern_visibility": Visibility.NOBODY,
        },
    )
    leaver = world.user("deactivated").profile
    Profile.objects.filter(pk=leaver.pk).update(bio=f"leaverchinchilla {COMMON_WORD}")
    departed = ProfileFactory(
        user__last_name="departedmarmoset", department=profile.department
    )

    def in_directory(person):
        return lambda user: (
            is_active_account(user)
            and directory_profiles(viewer=user).filter(pk=person.pk).exists()
        )

    def limited(group):
        # One document serves every asker, so a field shows in search only if
        # every member of staff may see it (DESIGN.md, Search).
        return lambda user: (
            in_directory(profile)(user) and can_see(ANY_STAFF, profile, group)
        )

    planted = {
        "visibledugong": Planted(in_directory(profile), (Profile,)),
        "publicwombat": Planted(in_directory(profile), (Profile,)),
        "hiddenpangolin": Planted(limited("location"), (Profile,)),
        "phonetapir": Planted(limited("phones"), (Profile,)),
        "patternlemur": Planted(limited("working_pattern"), (Profile,)),
        "leaverchinchilla": Planted(in_directory(leaver), (Profile,)),
        "departedmarmoset": Planted(in_directory(departed), (Profile,)),
    }
    return planted, location


def _index_everything() -> None:
    """Queue what the factories made around the services, then drain the outbox
    as the one writer does."""
    index_later(*Space.objects.all(), *Profile.objects.all())
    _drain()


def _leave(user) -> None:
    """Deactivate an indexed colleague as the admin does; their document goes at
    the next drain."""
    user.is_active = False
    user.save()
    assert OutboxEntry.objects.exists()
    _drain()


def _drain() -> None:
    while writer.drain():
        pass
    assert not OutboxEntry.objects.exists()


# Reading answers ----------------------------------------------------------------


def _main(body: str) -> str:
    """The page's <title> and <main>: everything a search answers with."""
    title = re.search(r"<title>.*?</title>", body, re.DOTALL)
    main = re.search(r"<main\b.*?</main>", body, re.DOTALL)
    assert main is not None, "the page has no <main>"
    return (title.group(0) if title else "") + main.group(0)


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _result_count(body: str) -> int:
    """The number of results the page says it found."""
    text = _text(_main(body))
    for pattern in (r"\bof (\d[\d,]*) results?\b", r"\b(\d[\d,]*) results? for\b"):
        if found := re.search(pattern, text):
            return int(found.group(1).replace(",", ""))
    if "No results found" in text:
        return 0
    raise AssertionError(f"the page states no number of results: {text[:400]}")


def _without(body: str, word: str) -> str:
    """The answer's title and main with `word` blanked out wherever it is
    echoed: as typed, in lower case, escaped or in a link."""
    return re.sub(re.escape(word), "{word}", _main(body), flags=re.IGNORECASE)


def _answers_alike(probe: Probe, actor: str, query: str, word: str) -> bool:
    """Whether `query` answers `actor` as it would with `word` in it swapped for
    a word that matches nothing."""
    nothing = query.replace(word, NOTHING_WORD)
    _, body, _ = probe.ask(actor, SEARCH_URL, q=query)
    _, empty, _ = probe.ask(actor, SEARCH_URL, q=nothing)
    return _without(body, word) == _without(empty, NOTHING_WORD)


def _leaks(probe: Probe, actor: str, body: str, query: str) -> list[str]:
    """The hidden words in an answer, but those of the query itself, which the
    page may echo (test_a_search_for_hidden_words_answers_as_a_search_for_nothing
    checks those)."""
    echoed = {word.lower() for word in re.findall(r"\w+", query)}
    return [
        secret.marker
        for secret in SECRET_LIST
        if secret.marker in body
        and secret.marker not in echoed
        and not probe.may_see(actor, secret.marker)
    ]


def _assert_signed_out(status: int, location: str, what: str) -> None:
    assert status == 302, f"{what}: {status}, expected the sign-in redirect"
    assert location.startswith(reverse("login")), what
    assert f"{REDIRECT_FIELD_NAME}=" in location, what


def _page_queries(probe: Probe) -> Iterator[tuple[str, dict]]:
    """Every search page request of the word check, with a label for failures."""
    for secret in SECRET_LIST:
        yield f"{secret.marker} as typed", {"q": secret.typed}
        yield f"{secret.marker} misspelt", {"q": secret.misspelt}
        yield (
            f"{secret.marker} in kind:{secret.kind}",
            {"q": f"kind:{secret.kind} {secret.typed}"},
        )
    common = COMMON_WORD.capitalize()
    yield "the common word", {"q": common}
    yield "the common word, page 2", {"q": common, "page": "2"}
    yield "the common word, newest first", {"q": common, "sort": "date"}
    for kind in KINDS:
        yield f"the common word in kind:{kind}", {"q": f"kind:{kind} {common}"}
        yield (
            f"the common word filtered to {kind}, page 2",
            {"q": common, "kind": kind, "page": "2"},
        )
    for visibility in Space.Visibility.values:
        yield (
            f"the common word in:{visibility}-space",
            {"q": f"in:{visibility}-space {common}"},
        )
    for author in ("owner", "member"):
        yield f"the common word by:{author}", {"q": f"by:{author} {common}"}
    for name, value in probe.hidden_filters.items():
        yield f"the common word filtered by a hidden {name}", {"q": common, name: value}
    yield "everyone", {"q": PEOPLE_WORD.capitalize()}


# The table, the words and the index ----------------------------------------------


def test_the_table_agrees_with_the_selectors(probe):
    disagreements = [
        f"{secret.marker} as {actor}: table says {actor in secret.seen_by}"
        for secret in SECRET_LIST
        for actor in ACTORS
        if probe.may_see(actor, secret.marker) != (actor in secret.seen_by)
    ]
    assert not disagreements


def test_every_secret_is_one_whole_word_found_nowhere_else():
    """A word the stemmer cuts could surface in a suggestion as a stem the probe
    does not look for; a word inside another would blur which one leaked."""
    analyzer = StemmingAnalyzer()
    words = [secret.marker for secret in SECRET_LIST] + [COMMON_WORD, PEOPLE_WORD]
    for word in words:
        assert [token.text for token in analyzer(word)] == [word]
        assert word.isalpha() and word.islower()
        assert not [other for other in words if other != word and word in other]
    assert NOTHING_WORD.lower() not in words


def _index_terms(probe: Probe) -> set[str]:
    with open_dir(str(probe.index_path)).searcher() as searcher:
        return {
            text.decode(errors="replace") for _, text in searcher.reader().all_terms()
        }


def test_the_index_holds_every_secret_someone_may_see(probe):
    """The probe's ground: what it looks for is there to be found."""
    unindexed = [s.marker for s in SECRET_LIST if not probe.searchable(s.marker)]
    carriers = {
        model._meta.label
        for marker in unindexed
        for model in probe.planted[marker].carriers
        if model not in indexed_models()
    }
    assert not unindexed, (
        f"no search index for {', '.join(sorted(carriers))}: the probe cannot "
        f"check that {', '.join(unindexed)} are found by those who may see them"
    )
    terms = _index_terms(probe)
    assert not [s.marker for s in SECRET_LIST if s.seen_by and s.marker not in terms]


def test_fields_hidden_from_any_member_of_staff_are_not_in_the_index_at_all(probe):
    """A leaver's profile and the fields its owner limited are in no document,
    stored or as a term: not in search, and not for anyone reading the files."""
    nobody = ("hiddenpangolin", "phonetapir", "patternlemur", "leaverchinchilla")
    terms = _index_terms(probe)
    with open_dir(str(probe.index_path)).searcher() as searcher:
        stored = " ".join(str(document) for document in searcher.documents())
    assert {COMMON_WORD, "publicwombat"} <= terms, "the probe's world is not indexed"
    assert not [marker for marker in nobody if marker in terms or marker in stored]


# The search page -----------------------------------------------------------------


@pytest.mark.parametrize("actor", ACTORS)
def test_no_answer_holds_a_word_the_actor_may_not_see(probe, actor):
    leaks = {}
    for label, params in _page_queries(probe):
        status, body, location = probe.ask(actor, SEARCH_URL, **params)
        if actor in SIGNED_OUT:
            _assert_signed_out(status, location, label)
            continue
        assert status == 200, label
        if found := _leaks(probe, actor, body, params["q"]):
            leaks[label] = found
    assert not leaks, f"{actor} is shown words hidden from them: {leaks}"


@pytest.mark.parametrize("actor", ACTIVE)
def test_a_search_for_hidden_words_answers_as_a_search_for_nothing(probe, actor):
    """No result, count, facet, suggestion or message tells the actor that
    something they may not see matched."""
    differences = [
        query
        for secret in SECRET_LIST
        if not probe.may_see(actor, secret.marker)
        for word, query in (
            (secret.typed, secret.typed),
            (secret.misspelt, secret.misspelt),
            (secret.typed, f"kind:{secret.kind} {secret.typed}"),
        )
        if not _answers_alike(probe, actor, query, word)
    ]
    # A private space narrowed to by its address, or by its department, is no
    # different from none; nor is anyone's hidden location.
    user = probe.world.user(actor)
    private_hidden = not can_view_space(user, probe.world.spaces["private"])
    if private_hidden:
        query = f"in:private-space {COMMON_WORD.capitalize()}"
        if not _answers_alike(probe, actor, query, "private-space"):
            differences.append(query)
    for name, value in probe.hidden_filters.items():
        if name == "department" and not private_hidden:
            continue
        if not _filtered_alike(probe, actor, name, value):
            differences.append(f"{name}={value}")
    assert not differences, f"{actor} can tell these searches found something"


def _filtered_alike(probe: Probe, actor: str, name: str, value: int) -> bool:
    """Whether filtering the common word by `name`=`value` reads, on the page,
    as filtering it by something that does not exist."""
    common = COMMON_WORD.capitalize()
    _, body, _ = probe.ask(actor, SEARCH_URL, q=common, **{name: value})
    _, empty, _ = probe.ask(actor, SEARCH_URL, q=common, **{name: NO_SUCH_ID})
    return _text(_main(body)) == _text(_main(empty))


@pytest.mark.parametrize("actor", ACTIVE)
def test_every_word_the_actor_may_see_is_found(probe, actor):
    not_found = [
        secret.marker
        for secret in SECRET_LIST
        if probe.may_see(actor, secret.marker)
        and probe.searchable(secret.marker)
        and _result_count(probe.ask(actor, SEARCH_URL, q=secret.typed)[1]) < 1
    ]
    assert not not_found, f"{actor} may see these but search does not find them"


def _all_pages(probe: Probe, actor: str, query: str) -> str:
    """Every page of results for `query`, one after the other: a page past the
    last answers as the last does."""
    pages: list[str] = []
    for number in range(1, 11):
        _, body, _ = probe.ask(actor, SEARCH_URL, q=query, page=str(number))
        if pages and _main(body) == _main(pages[-1]):
            break
        pages.append(body)
    return "".join(pages)


def test_paging_through_results_shows_every_colleague(probe):
    """The checks above read every page; a result that is on none of them is
    neither seen by its reader nor checked by the probe."""
    staff = probe.world.user("staff")
    names = [profile.display_name for profile in directory_profiles(viewer=staff)]
    assert len(names) > 20, "the probe's people must fill more than one page"
    pages = _all_pages(probe, "staff", PEOPLE_WORD.capitalize())
    assert _result_count(pages) == len(names)
    assert not [name for name in names if html.escape(name) not in pages]


def _visible_documents(user) -> list[models.Model]:
    """Every document `user` may see: the objects each index holds, filtered by
    the selectors that guard their pages (never by search)."""
    if not is_active_account(user):
        return []
    unified = haystack.connections["default"].get_unified_index()
    visible: list[models.Model] = []
    for model in indexed_models():
        objects = unified.get_index(model).index_queryset()
        if model is Space:
            visible += objects.filter(pk__in=spaces_visible_to(user).values("pk"))
        elif model is Profile:
            people = directory_profiles(viewer=user).values("pk")
            visible += objects.filter(pk__in=people).select_related("department")
        elif model is Thread:
            threads = objects.select_related("space__department")
            visible += [thread for thread in threads if can_view_thread(user, thread)]
        elif model is Message:
            messages = objects.select_related("thread__space__department")
            visible += [m for m in messages if can_view_thread(user, m.thread)]
        else:
            assert not objects.exists(), (
                f"{model._meta.label} is indexed and the probe's world has some: "
                "teach _visible_documents who may see them"
            )
    return visible


def _kind(document: models.Model) -> str:
    (kind,) = (kind for kind, kinds in KIND_MODELS.items() if type(document) in kinds)
    return kind


def _department_name(document: models.Model) -> str:
    """The department a document counts under: a person's own; for a space,
    thread or message, the department of the space."""
    if isinstance(document, Profile | Space):
        return document.department.name
    thread = document if isinstance(document, Thread) else document.thread
    return thread.space.department.name


def _facet_counts(body: str, label: str) -> list[int]:
    """The counts the page gives next to a facet option labelled `label`."""
    pattern = rf"(?<![\w-]){re.escape(label)} \((\d+) results? \)"
    return [int(count) for count in re.findall(pattern, _text(_main(body)))]


@pytest.mark.parametrize("actor", ACTIVE)
def test_the_common_word_counts_exactly_what_the_actor_may_see(probe, actor):
    expected = len(_visible_documents(probe.world.user(actor)))
    assert expected > 20, "the probe's world must fill a second page"
    common = COMMON_WORD.capitalize()
    for params in ({"q": common}, {"q": common, "page": "2"}):
        _, body, _ = probe.ask(actor, SEARCH_URL, **params)
        assert _result_count(body) == expected, params


@pytest.mark.parametrize("actor", ACTIVE)
def test_each_kind_counts_exactly_what_the_actor_may_see(probe, actor):
    expected = Counter(map(_kind, _visible_documents(probe.world.user(actor))))
    common = COMMON_WORD.capitalize()
    shown: dict[str, dict[str, int]] = {"kind:": {}, "kind=": {}}
    for kind in KINDS:
        for how, params in (
            ("kind:", {"q": f"kind:{kind} {common}"}),
            ("kind=", {"q": common, "kind": kind}),
        ):
            count = _result_count(probe.ask(actor, SEARCH_URL, **params)[1])
            # Fewer is a missing feature; more is a leak, understood or not.
            assert count <= expected[kind], (how, kind)
            shown[how][kind] = count
    assert any(shown["kind:"].values()), "the search page does not understand kind:"
    wanted = {kind: expected[kind] for kind in KINDS}
    assert shown == {"kind:": wanted, "kind=": wanted}


@pytest.mark.parametrize("actor", ACTIVE)
def test_facets_count_exactly_what_the_actor_may_see(probe, actor):
    """The kind and department facets of the common word: a hidden document
    adds to no count and a department with nothing visible is not offered."""
    visible = _visible_documents(probe.world.user(actor))
    _, body, _ = probe.ask(actor, SEARCH_URL, q=COMMON_WORD.capitalize())
    kinds = Counter(map(_kind, visible))
    shown = {kind: _facet_counts(body, KIND_LABELS[kind]) for kind in KINDS}
    assert any(shown.values()), "the search page shows no facets"
    assert shown == {kind: [kinds[kind]] if kinds[kind] else [] for kind in KINDS}
    departments = Counter(map(_department_name, visible))
    names = Department.objects.values_list("name", flat=True)
    shown = {name: _facet_counts(body, name) for name in names}
    assert shown == {
        name: [departments[name]] if departments[name] else [] for name in names
    }


# Autocomplete --------------------------------------------------------------------


def _suggest_endpoint() -> None:
    try:
        resolve(SUGGEST_URL)
    except Resolver404:
        pytest.fail(f"no autocomplete endpoint at {SUGGEST_URL}")


@pytest.mark.parametrize("actor", ACTORS)
def test_autocomplete_suggests_nothing_the_actor_may_not_see(probe, actor):
    _suggest_endpoint()
    leaks = {}
    queries = [s.prefix for s in SECRET_LIST] + [s.misspelt for s in SECRET_LIST]
    for query in [*queries, COMMON_WORD[:-3].capitalize()]:
        status, body, location = probe.ask(actor, SUGGEST_URL, q=query)
        if actor in SIGNED_OUT:
            assert status in (302, 401, 403), query
        else:
            assert status == 200, query
        if found := _leaks(probe, actor, body, query):
            leaks[query] = found
    assert not leaks, f"autocomplete offers {actor} words hidden from them: {leaks}"


@pytest.mark.parametrize("actor", ACTIVE)
def test_autocomplete_finds_a_colleague_by_the_first_letters_of_their_name(
    probe, actor
):
    _suggest_endpoint()
    secret = BY_MARKER["visibledugong"]
    status, body, _ = probe.ask(actor, SUGGEST_URL, q=secret.prefix)
    assert status == 200
    assert secret.marker in body


# Access taken away shows on the very next query ----------------------------------


@pytest.fixture
def index_untouched(probe):
    """Access changes show without the index being written: the documents keep
    their audience tokens, and the asker's tokens follow at once."""
    before = open_dir(str(probe.index_path)).latest_generation()
    yield
    assert open_dir(str(probe.index_path)).latest_generation() == before


def _found(client: Client, marker: str) -> bool:
    response = client.get(SEARCH_URL, {"q": BY_MARKER[marker].typed})
    assert response.status_code == 200
    return _result_count(response.content.decode()) > 0


def _require_index_for(probe: Probe, marker: str) -> None:
    models_named = ", ".join(m._meta.label for m in probe.planted[marker].carriers)
    assert probe.searchable(marker), (
        f"{marker} lives in {models_named}, which has no search index"
    )


def _signed_in(probe: Probe, actor: str) -> Client:
    client = Client()
    client.force_login(probe.world.user(actor))
    return client


def _fresh(instance):
    """A copy of a world object to change: the world's own instances outlive the
    test's savepoint, so they must keep what the database held before it."""
    return type(instance).objects.get(pk=instance.pk)


@pytest.mark.usefixtures("index_untouched")
def test_a_removed_member_stops_finding_the_space_at_once(probe):
    member, owner = probe.world.user("member"), probe.world.user("owner")
    private = _fresh(probe.world.spaces["private"])
    client = _signed_in(probe, "member")
    assert _found(client, "privatequokka")

    membership_remove(actor=owner, membership=private.memberships.get(user=member))

    assert AuditEvent.objects.filter(
        action="space.membership.remove", space_id=private.pk
    ).exists()
    assert not _found(client, "privatequokka")
    assert not _found(client, "privatenumbat")
    # Only what they lost: a space listed to all staff is still theirs to find.
    assert _found(client, "listedibex")


@pytest.mark.usefixtures("index_untouched")
def test_a_revoked_department_grant_hides_the_space_at_once(probe):
    private = _fresh(probe.world.spaces["private"])
    client = _signed_in(probe, "dept_grant")
    assert _found(client, "privatequokka")

    grant_revoke(
        actor=probe.world.user("owner"),
        grant=private.grants.get(department__isnull=False),
    )

    assert AuditEvent.objects.filter(
        action="space.grant.revoke", space_id=private.pk
    ).exists()
    assert not _found(client, "privatequokka")
    # The team's grant and the people it lets in are untouched.
    assert _found(_signed_in(probe, "team_grant"), "privatequokka")


@pytest.mark.usefixtures("index_untouched")
def test_leaving_a_granted_team_hides_the_space_at_once(probe):
    profile = _fresh(probe.world.user("team_grant").profile)
    client = _signed_in(probe, "team_grant")
    assert _found(client, "privatequokka")

    profile_update(
        actor=probe.world.user("it_admin"), profile=profile, changes={"teams": []}
    )

    assert not profile.memberships.exists()
    assert not _found(client, "privatequokka")


@pytest.mark.usefixtures("index_untouched")
def test_a_revoked_grant_hides_the_threads_at_once(probe):
    _require_index_for(probe, "restrictedaxolotl")
    restricted = _fresh(probe.world.spaces["restricted"])
    client = _signed_in(probe, "dept_grant")
    assert _found(client, "restrictedaxolotl")
    assert _found(client, "replysalamander")

    grant_revoke(
        actor=probe.world.user("owner"),
        grant=restricted.grants.get(department__isnull=False),
    )

    assert not _found(client, "restrictedaxolotl")
    assert not _found(client, "replysalamander")
    # The space itself stays listed.
    assert _found(client, "listedibex")


@pytest.mark.usefixtures("index_untouched")
def test_a_member_made_guest_stops_finding_sensitive_threads_at_once(probe):
    _require_index_for(probe, "privatesensitivebeluga")
    member = probe.world.user("member")
    private = _fresh(probe.world.spaces["private"])
    client = _signed_in(probe, "member")
    assert _found(client, "privatesensitivebeluga")

    membership_set_role(
        actor=probe.world.user("owner"),
        membership=private.memberships.get(user=member),
        role=Role.GUEST,
    )

    assert AuditEvent.objects.filter(
        action="space.membership.role", space_id=private.pk
    ).exists()
    assert not _found(client, "privatesensitivebeluga")
    assert not _found(client, "privatesensitivegecko")
    # A guest still reads the space's ordinary threads.
    assert _found(client, "privateokapi")


@pytest.mark.usefixtures("index_untouched")
def test_a_deactivated_account_finds_nothing_at_once(probe):
    client = _signed_in(probe, "owner")
    assert _found(client, "privatequokka")

    owner = _fresh(probe.world.user("owner"))
    owner.is_active = False
    owner.save()

    response = client.get(SEARCH_URL, {"q": BY_MARKER["privatequokka"].typed})
    _assert_signed_out(response.status_code, response.get("Location", ""), "search")
    assert "privatequokka" not in response.content.decode()


@pytest.mark.usefixtures("index_untouched")
def test_an_invited_colleague_finds_the_space_once_they_accept(probe):
    staff = probe.world.user("staff")
    private = _fresh(probe.world.spaces["private"])
    client = _signed_in(probe, "staff")
    assert not _found(client, "privatequokka")

    invitation = invitation_create(
        actor=probe.world.user("owner"),
        space=private,
        invitee=staff,
        role=GrantRole.MEMBER,
    )
    assert not _found(client, "privatequokka")
    invitation_accept(actor=staff, invitation=invitation)

    assert private.memberships.filter(user=staff, role=Role.MEMBER).exists()
    assert _found(client, "privatequokka")
