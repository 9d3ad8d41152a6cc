"""Time Crossgov's search and indexing against raw Whoosh on the same documents.

    .venv/bin/python bench/search.py --docs 100000

It seeds a throwaway demo organisation with `seed_demo` (people; spaces, made
through the spaces services; discussion threads and their messages) big enough
for `--docs` search documents, in a new temporary directory: a SQLite file there
unless DATABASE_URL is set, and always a Whoosh index there, never the one in
var/. A DATABASE_URL must name an empty database made for the benchmark (one
with any users in it is refused), e.g.

    createdb -h 127.0.0.1 -U postgres searchbench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/searchbench \\
        .venv/bin/python bench/search.py --docs 100000
    dropdb -h 127.0.0.1 -U postgres searchbench

Indexing. Every document is queued through the search outbox (`index_ids_later`)
and the outbox is drained by the one writer (`search.writer.drain`, its default
batches): the timed figure is the drain, which reads the objects back, builds
each document, writes it and commits once per batch, under the writer lease. The
baseline is a raw Whoosh writer: after each batch of the drain it adds the very
documents the drain just built (recorded as they were built) to a new index with
the same schema, and commits. The two take turns, batch by batch, so that other
work on the machine slows them alike. Indexing through the outbox cannot know
whether a document is new, so it pays `update_document`'s look-up; the raw
writer uses `add_document`.

Searching. A fixed, seeded set of queries drawn from the corpus (surnames, full
names, skills, teams, misspelt names and skills, job titles, discussion titles,
a skill with a department) is asked by several people with different access: a
member of staff in no space, the demo sign-in (a handful of spaces, in several
roles), someone invited into many private spaces, and the demo IT admin. Each
query is timed three ways, in turn, so that other work on the machine slows them
alike:

- search: the search page's one call, `search.selectors.search_page(user=,
  query=)`: the asker's audience, the query as the page builds it, the first
  page of 20 results, their number, the facet counts, and "did you mean" when
  few are found. The audience tokens come from their cache, as they do for
  every query but a person's first after an access change.
- raw: Whoosh at its best doing the same search on the same index: one searcher
  kept open for the whole run, the asker's audience filter (the set of
  documents their tokens allow) built once per person, the same query string
  parsed by Whoosh's own parser, the same facets, and the first page of 20 with
  its stored fields and the total.
- page: the whole search page through Django's test Client, signed in as that
  person (middleware, the view, highlighting, the templates).

Autocomplete. A fixed, seeded set of `--prefixes` texts as someone types them
in the header's search box (the first three to five letters of a surname, a
first name, a word of a discussion title or of a space's name, and a first name
followed by the start of a surname) is asked by the same people, each timed two
ways in turn:

- suggest: the endpoint's one call, `search.selectors.complete(user=, text=)`:
  the asker's audience, the prefix expanded into the words of what the asker
  may see (posting lists against their audience filter), the first 8 names and
  titles with their stored fields.
- raw: Whoosh at its best doing an autocomplete on the same index: the earlier
  words as terms and the last as a `Prefix` query on the same field, with the
  asker's audience filter built once, the first 8 hits' stored fields. Its
  answer is ranked by BM25 over the whole index, so it is a baseline for the
  cost only: it is the answer that gave hidden words away.

The run prints p50 and p95 of each, per person and per kind of query, the
ratios, and as its last line one JSON object with the figures.
"""

import argparse
import json
import math
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Target of the search issue: the search page's path within 1.5 times raw Whoosh.
TARGET_P95_RATIO = 1.5
# The corpus, when messages are indexed: two in five documents are people, one
# in a hundred a space, the rest discussion (messages, and their threads on
# top). Without a message index, people make up the rest.
PEOPLE_SHARE = 0.4
SPACES_SHARE = 0.01
PRIVATE_MEMBERSHIPS = 50
# Spare people, on top of the demo's 1% leavers (who are not indexed).
SPARE_PEOPLE_SHARE = 0.015
PROGRESS_EVERY = 10_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--docs", type=int, default=100_000, help="search documents, at least"
    )
    parser.add_argument(
        "--queries", type=int, default=45, help="timed queries per person"
    )
    parser.add_argument(
        "--warm-up", type=int, default=9, help="untimed queries per person first"
    )
    parser.add_argument(
        "--prefixes", type=int, default=200, help="timed autocomplete texts per person"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the temporary directory (database and both indexes)",
    )
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="searchbench-"))
    say(f"working in {scratch}{' (kept afterwards)' if args.keep else ''}")
    try:
        # Settings read the environment once, at start-up: set it before Django.
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
        # Always our own index: draining into someone's var/whoosh would spoil it.
        os.environ["SEARCH_PATH"] = str(scratch / "whoosh")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intranet.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.test import override_settings

        # As in production: with DEBUG on, Django and haystack keep every query.
        with override_settings(DEBUG=False):
            run(args, scratch)
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)


def run(args, scratch: Path) -> None:
    from django.db import connection

    load_before = os.getloadavg()
    seeded = seed(args.docs, args.seed)
    indexing = index_both(scratch / "whoosh-raw")
    askers = choose_askers(args.seed)
    queries = make_queries(args.queries + args.warm_up, args.seed)
    timings = time_queries(askers, queries, args.warm_up)
    prefixes = make_prefixes(args.prefixes + args.warm_up, args.seed)
    completing = time_suggestions(askers, prefixes, args.warm_up)
    load_after = os.getloadavg()
    report(
        connection.vendor,
        seeded,
        indexing,
        askers,
        queries[args.warm_up :],
        timings,
        (load_before, load_after),
        completing,
    )


def say(message: str) -> None:
    print(message, flush=True)


# Seeding --------------------------------------------------------------------


@dataclass
class Seeded:
    people: int
    spaces: int
    messages: int
    seconds: float


def seed(docs: int, seed_number: int) -> Seeded:
    from django.core.management import call_command

    from demo.details import LEAVER_SHARE
    from profiles.models import User
    from spaces.models import Message

    call_command("migrate", verbosity=0)
    if User.objects.exists():
        sys.exit("The benchmark database already has users: give it an empty one.")
    spaces = round(docs * SPACES_SHARE)
    indexed = {model for model, _ in indexed_models()}
    wanted_people = round(docs * PEOPLE_SHARE) if Message in indexed else docs - spaces
    messages = docs - wanted_people - spaces if Message in indexed else 0
    people = math.ceil(wanted_people / (1 - LEAVER_SHARE - SPARE_PEOPLE_SHARE))
    say(f"seeding {people:,} people, {spaces:,} spaces, {messages:,} messages ...")
    # Only asked for when indexed: an older seed_demo has no --messages.
    discussion = {"messages": messages} if messages else {}
    start = time.perf_counter()
    call_command(
        "seed_demo",
        people=people,
        spaces=spaces,
        **discussion,
        seed=seed_number,
        no_progress=True,
        allow_production=True,  # a throwaway database, whatever DEBUG says
        verbosity=0,
    )
    return Seeded(people, spaces, messages, time.perf_counter() - start)


# Indexing -------------------------------------------------------------------


@dataclass
class Indexing:
    documents: int = 0
    seconds: float = 0.0
    segments: int = 0


@dataclass
class IndexingRun:
    ours: Indexing
    raw: Indexing
    queue_seconds: float
    # Documents queued, by kind ("profiles", "spaces", "threads", "messages").
    kinds: dict[str, int]
    # Of the drain's time, how much went on building the documents (reading
    # each object's related rows and the profile rules, rendering markdown).
    prepare_seconds: float


class RecordingPrepare:
    """Wraps the backend's `prepare_document`: keeps each document the writer
    builds, for the raw writer to write the same, and the time spent building
    them. It adds an append and two clock reads per document."""

    def __init__(self, backend):
        self._prepare = backend.prepare_document
        self.documents: list[dict] = []
        self.seconds = 0.0

    def __call__(self, search_index, obj) -> dict:
        start = time.perf_counter()
        document = self._prepare(search_index, obj)
        self.seconds += time.perf_counter() - start
        self.documents.append(document)
        return document


def index_both(raw_path: Path) -> IndexingRun:
    """Queue every indexed object through the outbox, then drain it batch by
    batch; after each batch a raw Whoosh writer writes the same documents to an
    index of its own, so that other work on the machine slows both alike."""
    from django.db import transaction
    from haystack import connections
    from whoosh import index as whoosh_index

    from search.models import OutboxEntry
    from search.outbox import index_ids_later
    from search.writer import drain

    # Seeding queued the spaces it made; start from an empty outbox so that the
    # drain handles exactly one row per document.
    OutboxEntry.objects.all().delete()
    start = time.perf_counter()
    kinds = {}
    with transaction.atomic():
        for model, search_index in indexed_models():
            queryset = search_index.index_queryset().order_by("pk")
            pks = list(queryset.values_list("pk", flat=True))
            index_ids_later(model, pks)
            kinds[str(model._meta.verbose_name_plural).replace(" ", "_")] = len(pks)
    queued = sum(kinds.values())
    queue_seconds = time.perf_counter() - start

    # The drain writes through this thread's haystack backend: record there.
    backend = connections["default"].get_backend()
    if not backend.setup_complete:
        backend.setup()  # reads the schema from the search indexes
    recorder = RecordingPrepare(backend)
    backend.prepare_document = recorder
    raw_path.mkdir()
    raw_ix = whoosh_index.create_in(str(raw_path), backend.schema)
    ours, raw = Indexing(), Indexing()
    say(f"indexing {queued:,} documents, through the outbox and raw ...")
    next_note = PROGRESS_EVERY
    try:
        while True:
            recorder.documents.clear()
            start = time.perf_counter()
            rows = drain()
            ours.seconds += time.perf_counter() - start
            if not rows:
                break
            ours.documents += len(recorder.documents)

            start = time.perf_counter()
            writer = raw_ix.writer()
            for document in recorder.documents:
                writer.add_document(**document)
            writer.commit()
            raw.seconds += time.perf_counter() - start
            raw.documents += len(recorder.documents)
            if ours.documents >= next_note:
                say(
                    f"  {ours.documents:,}: outbox "
                    f"{ours.documents / ours.seconds:.0f} documents/s, raw "
                    f"{raw.documents / raw.seconds:.0f} documents/s"
                )
                next_note += PROGRESS_EVERY
    finally:
        del backend.prepare_document
    raw.segments = len(raw_ix._segments())
    raw_ix.close()
    ours.segments = segment_count(index_path())
    return IndexingRun(ours, raw, queue_seconds, kinds, recorder.seconds)


def indexed_models() -> list:
    from haystack import connections

    return list(connections["default"].get_unified_index().get_indexes().items())


def index_path() -> str:
    from django.conf import settings

    return settings.HAYSTACK_CONNECTIONS["default"]["PATH"]


def segment_count(path) -> int:
    from whoosh import index as whoosh_index

    ix = whoosh_index.open_dir(str(path))
    try:
        return len(ix._segments())
    finally:
        ix.close()


# Who asks -------------------------------------------------------------------


@dataclass
class Asker:
    label: str
    user: object
    tokens: list[str] = field(default_factory=list)


def choose_askers(seed_number: int) -> list[Asker]:
    from demo.logins import DEMO_ADMIN_USERNAME, DEMO_USERNAME
    from profiles.models import User
    from search.selectors import audience_tokens

    say("choosing who asks ...")
    staff = User.objects.filter(is_active=True, is_superuser=False).exclude(
        username__in=[DEMO_USERNAME, DEMO_ADMIN_USERNAME]
    )
    rng = random.Random(f"{seed_number}:askers")  # noqa: S311 - a benchmark
    candidates = list(staff.order_by("username").values_list("pk", flat=True))
    rng.shuffle(candidates)
    outsider = None
    for pk in candidates:
        user = User.objects.get(pk=pk)
        if not user.space_memberships.exists() and audience_tokens(user) == ["org"]:
            outsider = user
            break
    if outsider is None:
        sys.exit("Every member of staff is in a space: no outsider to ask.")
    insider = next(
        user
        for user in (User.objects.get(pk=pk) for pk in candidates)
        if user != outsider and not user.space_memberships.exists()
    )
    joined = join_private_spaces(insider, PRIVATE_MEMBERSHIPS)
    askers = [
        Asker("staff, in no space", outsider),
        Asker("demo user, a few spaces", User.objects.get(username=DEMO_USERNAME)),
        Asker(f"staff, in {joined} private spaces", insider),
        Asker("IT admin", User.objects.get(username=DEMO_ADMIN_USERNAME)),
    ]
    for asker in askers:
        asker.tokens = audience_tokens(asker.user)
    return askers


def join_private_spaces(person, how_many: int) -> int:
    """Invite `person` into up to `how_many` private spaces, as an IT admin
    would, and accept each invitation as they would."""
    from demo.logins import DEMO_ADMIN_USERNAME
    from profiles.models import User
    from spaces import services
    from spaces.models import Space

    admin = User.objects.get(username=DEMO_ADMIN_USERNAME)
    private = Space.objects.filter(
        visibility=Space.Visibility.PRIVATE, archived=False
    ).order_by("pk")[:how_many]
    for space in private:
        invitation = services.invitation_create(
            actor=admin, space=space, invitee=person
        )
        services.invitation_accept(actor=person, invitation=invitation)
    return len(private)


# What they ask --------------------------------------------------------------


def make_queries(how_many: int, seed_number: int) -> list[tuple[str, str]]:
    """(kind, words) pairs drawn from the corpus, the same for the same seed."""
    from profiles.models import Department, Skill, Team, User
    from spaces.models import Thread

    rng = random.Random(f"{seed_number}:queries")  # noqa: S311 - a benchmark
    people = list(
        User.objects.filter(is_active=True)
        .exclude(last_name="")
        .order_by("pk")
        .values_list("first_name", "last_name")
    )
    skills = list(Skill.objects.order_by("pk").values_list("name", flat=True))
    teams = list(Team.objects.order_by("pk").values_list("name", flat=True))
    acronyms = list(Department.objects.order_by("pk").values_list("acronym", flat=True))
    job_titles = list(
        User.objects.filter(is_active=True, profile__job_title__gt="")
        .order_by("pk")
        .values_list("profile__job_title", flat=True)[:5000]
    )
    titles = list(Thread.objects.order_by("pk").values_list("title", flat=True)[:5000])

    def longest_word(text: str) -> str:
        return max(words(text).split(), key=len)

    makers = [
        ("surname", lambda: rng.choice(people)[1]),
        ("full name", lambda: " ".join(rng.choice(people))),
        ("skill", lambda: rng.choice(skills)),
        ("team", lambda: rng.choice(teams)),
        ("misspelt name", lambda: misspell(rng.choice(people)[1], rng)),
        ("misspelt skill", lambda: misspell(longest_word(rng.choice(skills)), rng)),
        (
            "skill and department",
            lambda: f"{longest_word(rng.choice(skills))} {rng.choice(acronyms)}",
        ),
        ("job title", lambda: " ".join(words(rng.choice(job_titles)).split()[:2])),
    ]
    if titles:
        makers.append(("discussion title", lambda: two_words(rng.choice(titles), rng)))
    queries: list[tuple[str, str]] = []
    seen: set[str] = set()
    while len(queries) < how_many:
        kind, make = makers[len(queries) % len(makers)]
        text = words(make())
        if len(text) >= 3 and text.lower() not in seen:
            seen.add(text.lower())
            queries.append((kind, text))
    return queries


def words(text: str) -> str:
    """Letters, digits and spaces only: plain words, none of the search box's
    syntax (quotes, -word, in:, by:, kind:)."""
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def two_words(text: str, rng: random.Random) -> str:
    """Two words next to each other, of four letters or more where there are."""
    found = words(text).split()
    long = [n for n, word in enumerate(found[:-1]) if len(word) > 3]
    if not long:
        return " ".join(found[:2])
    at = rng.choice(long)
    return " ".join(found[at : at + 2])


def misspell(word: str, rng: random.Random) -> str:
    """One slip of the keyboard: two letters swapped, one dropped or doubled."""
    if len(word) < 4:
        return word + word[-1]
    at = rng.randrange(1, len(word) - 2)
    slip = rng.choice(("swap", "drop", "double"))
    if slip == "swap":
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    if slip == "drop":
        return word[:at] + word[at + 1 :]
    return word[:at] + word[at] + word[at:]


# Timing ---------------------------------------------------------------------


@dataclass
class Sample:
    asker: str
    kind: str
    search: float
    raw: float
    page: float
    hits: int
    suggested: bool


@dataclass
class Timings:
    samples: list[Sample] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)


def search_page_path(user, query: str):
    """The search page's one call, and what the page then reads of it."""
    from search import selectors

    found = selectors.search_page(user=user, query=query)
    return found.page.paginator.count, list(found.page.object_list), found


class RawWhoosh:
    """Whoosh at its best: one searcher for the whole run, one parser, the
    facets the page counts, and each asker's audience filter built once, as the
    set of documents it allows."""

    def __init__(self, path: str, content_field: str, facets: list[str]):
        from whoosh import index as whoosh_index
        from whoosh.fields import ID
        from whoosh.qparser import QueryParser
        from whoosh.sorting import Count, FieldFacet

        self._ix = whoosh_index.open_dir(path)
        self._searcher = self._ix.searcher()
        self._parser = QueryParser(content_field, schema=self._ix.schema)
        self._facets = facets
        # At its best: a single-valued field counted from its column, as the
        # backend does; overlap only for fields holding several values.
        schema = self._ix.schema
        self._grouped = [
            FieldFacet(
                name, allow_overlap=not isinstance(schema[name], ID), maptype=Count
            )
            for name in facets
        ]
        self._filters: dict[int, set[int]] = {}

    def allow(self, key: int, tokens: list[str]) -> None:
        from whoosh.query import Or, Term

        audience = Or([Term("audience", token) for token in tokens])
        self._filters[key] = set(self._searcher.docs_for_query(audience))

    def search(self, key: int, query_string: str, page_length: int):
        parsed = self._parser.parse(query_string)
        page = self._searcher.search_page(
            parsed,
            1,
            pagelen=page_length,
            groupedby=self._grouped,
            filter=self._filters[key],
        )
        found = [hit.fields() for hit in page]
        facets = {name: page.results.groups(name) for name in self._facets}
        return page.total, found, facets

    def complete(self, key: int, text: str, limit: int) -> list[dict]:
        """The earlier words as terms, the last as a prefix of one, in the
        `complete` field, first `limit` hits of the asker's filter."""
        from whoosh.query import And, Prefix, Term

        typed = re.findall(r"\w+", text.lower())
        clauses = [Term("complete", word) for word in typed[:-1]]
        clauses.append(Prefix("complete", typed[-1]))
        query = clauses[0] if len(clauses) == 1 else And(clauses)
        hits = self._searcher.search(query, limit=limit, filter=self._filters[key])
        return [hit.fields() for hit in hits]

    def close(self) -> None:
        self._searcher.close()
        self._ix.close()


def backend_query(user, query: str) -> str:
    """The query string Crossgov hands its backend for `query` (the same for
    every asker: who asks only changes the filter)."""
    from search import selectors

    return selectors.search(user=user, query=query).query.build_query()


def time_queries(
    askers: list[Asker], queries: list[tuple[str, str]], warm_up: int
) -> Timings:
    from django.test import Client
    from haystack import connections

    from search import selectors

    backend = connections["default"].get_backend()
    facets = [name for name, for_people in selectors.FACETS.values() if not for_people]
    raw = RawWhoosh(index_path(), backend.content_field_name, facets)
    clients = {}
    for asker in askers:
        raw.allow(asker.user.pk, asker.tokens)
        clients[asker.user.pk] = Client()
        clients[asker.user.pk].force_login(asker.user)
    query_strings = {
        query: backend_query(askers[0].user, query) for _, query in queries
    }
    timings = Timings()
    say(
        f"asking {len(queries) - warm_up} queries (after {warm_up} untimed) "
        f"for each of {len(askers)} people ..."
    )
    try:
        for number, (kind, query) in enumerate(queries):
            for asker in askers:
                user = asker.user
                start = time.perf_counter()
                count, _, found = search_page_path(user, query)
                ours = time.perf_counter() - start

                start = time.perf_counter()
                raw_count, _, _ = raw.search(
                    user.pk, query_strings[query], selectors.PAGE_SIZE
                )
                theirs = time.perf_counter() - start

                start = time.perf_counter()
                response = clients[user.pk].get("/search/", {"q": query})
                whole = time.perf_counter() - start
                if response.status_code != 200:
                    sys.exit(f"/search/?q={query} answered {response.status_code}")
                if number < warm_up:
                    continue
                timings.samples.append(
                    Sample(
                        asker.label,
                        kind,
                        ours,
                        theirs,
                        whole,
                        count,
                        count < selectors.SUGGEST_BELOW,
                    )
                )
                if count != raw_count:
                    timings.disagreements.append(
                        f"{asker.label}, {query!r}: {count} against {raw_count}"
                    )
    finally:
        raw.close()
    return timings


# Autocomplete ---------------------------------------------------------------


def make_prefixes(how_many: int, seed_number: int) -> list[tuple[str, str]]:
    """(kind, text) pairs as typed in the search box, the same for the same
    seed: each ends in the first three to five letters of a word."""
    from profiles.models import User
    from spaces.models import Space, Thread

    rng = random.Random(f"{seed_number}:prefixes")  # noqa: S311 - a benchmark
    people = list(
        User.objects.filter(is_active=True)
        .exclude(last_name="")
        .exclude(first_name="")
        .order_by("pk")
        .values_list("first_name", "last_name")
    )
    titles = list(Thread.objects.order_by("pk").values_list("title", flat=True)[:5000])
    spaces = list(Space.objects.order_by("pk").values_list("name", flat=True))

    def start(text: str) -> str:
        long = [word for word in words(text).split() if len(word) >= 3] or ["xyz"]
        word = rng.choice(long)
        return word[: rng.randint(3, min(5, len(word)))]

    def name_and_surname() -> str:
        first, last = rng.choice(people)
        return f"{words(first).split()[0]} {start(last)}"

    makers = [
        ("surname", lambda: start(rng.choice(people)[1])),
        ("first name", lambda: start(rng.choice(people)[0])),
        ("space name", lambda: start(rng.choice(spaces))),
        ("first name, surname", name_and_surname),
    ]
    if titles:
        makers.append(("discussion title", lambda: start(rng.choice(titles))))
    return [
        (kind, make())
        for kind, make in (makers[n % len(makers)] for n in range(how_many))
    ]


@dataclass
class SuggestSample:
    asker: str
    kind: str
    suggest: float
    raw: float
    found: int


def time_suggestions(
    askers: list[Asker], prefixes: list[tuple[str, str]], warm_up: int
) -> list[SuggestSample]:
    from haystack import connections

    from search import selectors

    content_field = connections["default"].get_backend().content_field_name
    raw = RawWhoosh(index_path(), content_field, [])
    for asker in askers:
        raw.allow(asker.user.pk, asker.tokens)
    samples = []
    say(
        f"completing {len(prefixes) - warm_up} texts (after {warm_up} untimed) "
        f"for each of {len(askers)} people ..."
    )
    try:
        for number, (kind, text) in enumerate(prefixes):
            for asker in askers:
                start = time.perf_counter()
                found = selectors.complete(user=asker.user, text=text)
                ours = time.perf_counter() - start

                start = time.perf_counter()
                raw.complete(asker.user.pk, text, selectors.COMPLETE_LIMIT)
                theirs = time.perf_counter() - start
                if number >= warm_up:
                    samples.append(
                        SuggestSample(asker.label, kind, ours, theirs, len(found))
                    )
    finally:
        raw.close()
    return samples


def report_suggestions(askers: list[Asker], samples: list[SuggestSample]) -> dict:
    def row(label: str, mine: list[SuggestSample]) -> str:
        ours = [s.suggest for s in mine]
        theirs = [s.raw for s in mine]
        return (
            f"{label:<32}{statistics.median(s.found for s in mine):>7.0f}"
            f"{ms(percentile(ours, 50)):>12}{ms(percentile(ours, 95)):>7}"
            f"{ms(percentile(theirs, 50)):>9}{ms(percentile(theirs, 95)):>7}"
            f"{percentile(ours, 95) / percentile(theirs, 95):>11.2f}"
        )

    print()
    print(f"autocomplete: {len(samples) // len(askers)} texts for each person")
    header = (
        f"{'who asks / kind of text':<32}{'found':>7}{'suggest p50':>12}{'p95':>7}"
        f"{'raw p50':>9}{'p95':>7}{'p95 ratio':>11}"
    )
    print(header)
    print("-" * len(header))
    for asker in askers:
        print(row(asker.label, [s for s in samples if s.asker == asker.label]))
    for kind in dict.fromkeys(s.kind for s in samples):
        print(row(kind, [s for s in samples if s.kind == kind]))
    print(row("everyone", samples))
    ours = [s.suggest for s in samples]
    theirs = [s.raw for s in samples]
    figures = {
        "suggest_p50_ms": ms(percentile(ours, 50)),
        "suggest_p95_ms": ms(percentile(ours, 95)),
        "raw_suggest_p50_ms": ms(percentile(theirs, 50)),
        "raw_suggest_p95_ms": ms(percentile(theirs, 95)),
    }
    figures["suggest_p50_ratio"] = round(
        percentile(ours, 50) / percentile(theirs, 50), 2
    )
    figures["suggest_p95_ratio"] = round(
        percentile(ours, 95) / percentile(theirs, 95), 2
    )
    print(
        f"ratio, suggest / raw Whoosh prefix query: p50 "
        f"{figures['suggest_p50_ratio']:.2f}, p95 {figures['suggest_p95_ratio']:.2f}"
    )
    return figures


# Reporting ------------------------------------------------------------------


def percentile(samples: list[float], percent: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[percent - 1]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


@dataclass
class Figures:
    search50: float
    search95: float
    raw50: float
    raw95: float
    page50: float
    page95: float

    @classmethod
    def of(cls, samples: list[Sample]) -> "Figures":
        def both(values):
            return percentile(values, 50), percentile(values, 95)

        return cls(
            *both([sample.search for sample in samples]),
            *both([sample.raw for sample in samples]),
            *both([sample.page for sample in samples]),
        )

    def row(self) -> str:
        return (
            f"{ms(self.search50):>11}{ms(self.search95):>7}"
            f"{ms(self.raw50):>9}{ms(self.raw95):>7}"
            f"{ms(self.page50):>10}{ms(self.page95):>7}"
            f"{self.search95 / self.raw95:>11.2f}"
        )


def report(
    vendor: str,
    seeded: Seeded,
    indexing: IndexingRun,
    askers: list[Asker],
    queries: list[tuple[str, str]],
    timings: Timings,
    loads,
    completing: list[SuggestSample],
) -> None:
    from collections import Counter

    ours, raw = indexing.ours, indexing.raw
    index_rate = ours.documents / ours.seconds
    raw_rate = raw.documents / raw.seconds
    print()
    print(
        f"database: {vendor}; {ours.documents:,} documents "
        f"({', '.join(f'{n:,} {label}' for label, n in indexing.kinds.items())})"
    )
    print(
        f"seeded {seeded.people:,} people (leavers are not indexed), "
        f"{seeded.spaces:,} spaces and {seeded.messages:,} messages in "
        f"{seeded.seconds:.0f} s"
    )
    print(
        f"load average before {loads[0][0]:.2f}, after {loads[1][0]:.2f} "
        f"(1 min; {os.cpu_count()} cores)"
    )
    print()
    print("indexing, batch by batch in turn")
    print(
        f"  through the outbox: {index_rate:6.0f} documents/s "
        f"({ours.seconds:.0f} s draining, of which {indexing.prepare_seconds:.0f} s "
        f"building documents; {indexing.queue_seconds:.1f} s queueing them; "
        f"{ours.segments} segments)"
    )
    print(
        f"  raw Whoosh writer:  {raw_rate:6.0f} documents/s "
        f"({raw.seconds:.0f} s; {raw.segments} segments)"
    )
    print(f"  ratio, raw / outbox: {raw_rate / index_rate:.2f}")

    samples = timings.samples
    overall = Figures.of(samples)
    print()
    print(
        f"{len(queries)} queries for each of {len(askers)} people; median "
        f"{statistics.median(s.hits for s in samples):.0f} results; "
        f"{sum(s.suggested for s in samples)} of {len(samples)} found fewer than "
        "3 and also looked for a spelling correction"
    )
    columns = (
        f"{'search p50':>11}{'p95':>7}{'raw p50':>9}{'p95':>7}"
        f"{'page p50':>10}{'p95':>7}{'p95 ratio':>11}"
    )
    header = f"{'who asks':<32}{'tokens':>7}" + columns
    print(header)
    print("-" * len(header))
    for asker in askers:
        mine = [s for s in samples if s.asker == asker.label]
        print(f"{asker.label:<32}{len(asker.tokens):>7}" + Figures.of(mine).row())
    print(f"{'everyone':<32}{'':>7}" + overall.row())
    print()
    header = f"{'kind of query':<32}{'hits':>7}" + columns
    print(header)
    print("-" * len(header))
    for kind in Counter(kind for kind, _ in queries):
        mine = [s for s in samples if s.kind == kind]
        hits = statistics.median(s.hits for s in mine)
        print(f"{kind:<32}{hits:>7.0f}" + Figures.of(mine).row())

    p50_ratio = overall.search50 / overall.raw50
    p95_ratio = overall.search95 / overall.raw95
    print()
    print(
        f"ratio, search / raw Whoosh: p50 {p50_ratio:.2f}, p95 {p95_ratio:.2f} "
        f"(target {TARGET_P95_RATIO}: "
        f"{'met' if p95_ratio <= TARGET_P95_RATIO else 'missed'})"
    )
    if timings.disagreements:
        print(f"result counts differ on {len(timings.disagreements)} queries:")
        for line in timings.disagreements[:10]:
            print(f"  {line}")
    else:
        print("result counts agree on every query")
    suggest_figures = report_suggestions(askers, completing)
    print(
        json.dumps(
            {
                "docs": ours.documents,
                **{f"docs_{label}": n for label, n in indexing.kinds.items()},
                "database": vendor,
                "queries": len(queries),
                "askers": len(askers),
                "search_p50_ms": ms(overall.search50),
                "search_p95_ms": ms(overall.search95),
                "raw_p50_ms": ms(overall.raw50),
                "raw_p95_ms": ms(overall.raw95),
                "p50_ratio": round(p50_ratio, 2),
                "p95_ratio": round(p95_ratio, 2),
                "page_p50_ms": ms(overall.page50),
                "page_p95_ms": ms(overall.page95),
                "index_docs_per_s": round(index_rate, 1),
                "raw_index_docs_per_s": round(raw_rate, 1),
                "index_ratio": round(raw_rate / index_rate, 2),
                "segments": ours.segments,
                "count_disagreements": len(timings.disagreements),
                **suggest_figures,
                "load_average": [round(loads[0][0], 2), round(loads[1][0], 2)],
            }
        )
    )


if __name__ == "__main__":
    main()
