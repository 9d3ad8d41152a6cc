"""Autocomplete and "did you mean" are no oracle: what they answer for any text
is the same whether or not content the asker may not see is in the index.

The attack they must resist: an outsider posts threads whose titles share a
prefix with a word they guess is hidden (in a private space they are not in, or
in an OFFICIAL-SENSITIVE thread of a space a grant lets them read), then types
the prefix. If the answer is worked out from the whole index before it is
filtered by audience, the hidden word takes one of the places the answer has
room for and pushes a visible one out, or shifts the ranking of visible ones,
and the outsider reads a letter of the hidden word off the difference.

So every test here builds the same visible content twice, once with hidden
content beside it, and compares the answers whole: the same items in the same
order.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import threading
from pathlib import Path
from types import SimpleNamespace

import haystack
import hypothesis
import pytest
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import strategies as st

from intranet.indexing import index_later
from search import selectors, views
from search.backend import close_searchers
from search.writer import drain_all
from spaces.models import GrantRole, Marking, Space, Thread
from spaces.selectors import can_view_thread
from spaces.services import grant_create
from tests.profiles.factories import DepartmentFactory
from tests.search.corpus import index_everything, person, space, thread
from tests.spaces.factories import add_member

pytestmark = pytest.mark.django_db

SUGGEST_URL = "/search/suggest/"
OFFICIAL, SENSITIVE = Marking.OFFICIAL, Marking.OFFICIAL_SENSITIVE
# Where a thread can be: a space of the world below, and its marking.
PLACES = [
    (visibility, marking)
    for visibility in ("open", "restricted", "private")
    for marking in (OFFICIAL, SENSITIVE)
]


@pytest.fixture
def world():
    """An open space; a restricted one that a department is let into as members
    by a grant; a private one of its owner's alone. The grantee reads the open
    and restricted spaces' OFFICIAL threads, not their sensitive ones, nor
    anything private; an outsider reads only the open space's OFFICIAL ones."""
    owner = person("olive.owner", "Olive", "Owner").user
    outsider = person("sue.stranger", "Sue", "Stranger").user
    granted = DepartmentFactory(name="Granted department", acronym="GD")
    grantee = person("gus.grantee", "Gus", "Grantee", department=granted).user
    spaces = {
        "open": space(owner, "Open plan", "open-plan"),
        "restricted": space(
            owner, "Restricted rooms", "restricted-rooms", Space.Visibility.RESTRICTED
        ),
        "private": space(
            owner, "Private office", "private-office", Space.Visibility.PRIVATE
        ),
    }
    grant_create(
        actor=owner,
        space=spaces["restricted"],
        role=GrantRole.MEMBER,
        department=granted,
    )
    index_everything()
    return SimpleNamespace(
        owner=owner, outsider=outsider, grantee=grantee, spaces=spaces
    )


def answer(client: Client, text: str) -> list[dict]:
    response = client.get(SUGGEST_URL, {"q": text})
    assert response.status_code == 200
    return response.json()["results"]


# The concrete attack ----------------------------------------------------------------

# Thirty words of the attacker's, one per thread: as many as the answer once
# expanded a prefix into, so that one hidden word more pushed one of them out.
ATTACKER_WORDS = [f"abcv{n:02d}" for n in range(selectors.PREFIX_TERMS)]


@pytest.mark.parametrize(
    ("asker", "where", "marking"),
    [
        ("outsider", "private", OFFICIAL),
        ("grantee", "private", OFFICIAL),
        ("grantee", "restricted", SENSITIVE),
    ],
)
def test_thirty_threads_cannot_tell_a_hidden_word_by_its_prefix(
    client, world, asker, where, marking
):
    # Posted by the attacker in the open space. The last word alphabetically,
    # the one a hidden word would push out of the thirty, has the shortest
    # title: the best match by any ranking that weighs length.
    attacker = person("al.attacker", "Al", "Attacker").user
    add_member(world.spaces["open"], attacker)
    *others, last = ATTACKER_WORDS
    for word in others:
        thread(world.spaces["open"], attacker, f"{word} minutes")
    thread(world.spaces["open"], attacker, last)
    drain_all()
    client.force_login(getattr(world, asker))
    typed = ["abc", "Abc", "abcv", "abcv2", "abcv29"]
    without = {text: answer(client, text) for text in typed}
    assert len(without["abc"]) == selectors.COMPLETE_LIMIT
    assert [item["label"] for item in without["abcv29"]] == ["abcv29"]

    hidden = thread(world.spaces[where], world.owner, "abcsecretplan", marking=marking)
    drain_all()

    assert not can_view_thread(getattr(world, asker), hidden)
    assert {text: answer(client, text) for text in typed} == without
    assert answer(client, "abcsec") == []


# Any titles, any prefix ------------------------------------------------------------

# Few letters, short words: titles share words and prefixes often.
WORD = st.text(alphabet="ab", min_size=3, max_size=5)
TITLE = st.lists(WORD, min_size=1, max_size=3).map(" ".join)
# A title, whether the asker may see it, and which of the places they may (or
# may not) see it is in.
DOCUMENT = st.tuples(TITLE, st.booleans(), st.integers(min_value=0, max_value=5))


@st.composite
def typed_for(draw, documents: list[tuple]) -> str:
    """Text typed in the search box: the first letters (three or more) of a
    word some title holds, or of any word, after a word of some title or none."""
    words = sorted({word for title, *_ in documents for word in title.split()})
    word = draw(st.sampled_from(words) | WORD)
    prefix = word[: draw(st.integers(min_value=3, max_value=len(word)))]
    before = draw(st.lists(st.sampled_from(words), max_size=1))
    return " ".join([*before, prefix])


@st.composite
def cases(draw) -> tuple[list[tuple], list[str]]:
    """Documents, and what is typed to find them."""
    documents = draw(st.lists(DOCUMENT, min_size=1, max_size=30))
    return documents, draw(st.lists(typed_for(documents), min_size=1, max_size=4))


class Documents:
    """Writes unsaved threads (one per title, in the world's spaces) straight
    into an index through the thread index and the backend's write session, as
    the writer would: building them through the database for every example
    would make the property too slow to try often."""

    def __init__(self, world, settings, root: Path):
        self._world = world
        self._settings = settings
        self._root = root
        self._start = dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)

    def thread(self, number: int, title: str, place) -> Thread:
        visibility, marking = place
        return Thread(
            pk=1000 + number,
            space=self._world.spaces[visibility],
            title=title,
            author=self._world.owner,
            marking=marking,
            created_at=self._start + dt.timedelta(minutes=number),
        )

    def index_afresh(self, batches: list[list[Thread]]) -> None:
        """A new, empty index in a directory of its own, then each batch
        written and committed in turn (Whoosh makes a segment of each, and
        merges some). A new directory each time: hypothesis seeds `random`,
        which Whoosh names its segments by."""
        close_searchers()
        path = Path(tempfile.mkdtemp(dir=self._root))
        engine = self._settings.HAYSTACK_CONNECTIONS["default"]["ENGINE"]
        # As tests/conftest.py does: haystack keeps its own copy of the
        # setting, and a backend per thread.
        self._settings.HAYSTACK_CONNECTIONS = {
            "default": {"ENGINE": engine, "PATH": str(path)}
        }
        haystack.connections.connections_info = self._settings.HAYSTACK_CONNECTIONS
        haystack.connections.thread_local = threading.local()
        backend = haystack.connections["default"].get_backend()
        search_index = haystack.connections["default"].get_unified_index()
        search_index = search_index.get_index(Thread)
        backend.setup()
        for batch in batches:
            with backend.write_session() as session:
                session.index(search_index, batch)


def _batches(threads: list[Thread], cuts: list[int]) -> list[list[Thread]]:
    edges = sorted({0, len(threads), *(cut % (len(threads) + 1) for cut in cuts)})
    return [threads[a:b] for a, b in zip(edges, edges[1:], strict=False)]


@pytest.mark.parametrize("asker", ["outsider", "grantee"])
@hypothesis.settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=cases(), cuts=st.lists(st.integers(min_value=0, max_value=30), max_size=2))
# Found by this test before the fix: a hidden "bbb" made "bbb" commoner than
# "bbba" in the index as a whole, which reordered the two visible titles.
@hypothesis.example(
    case=([("bbb", False, 0), ("bbb", True, 0), ("bbba", False, 0)], ["bbb"]),
    cuts=[],
)
def test_the_answer_for_any_text_is_the_same_with_or_without_hidden_content(
    world, settings, search_index_path, asker, case, cuts
):
    documents, typed = case
    user = getattr(world, asker)
    maker = Documents(world, settings, search_index_path.parent)
    # The places the asker may see, and those they may not, by the selectors.
    seen = {
        hidden: [
            place
            for place in PLACES
            if can_view_thread(user, maker.thread(0, "", place)) != hidden
        ]
        for hidden in (False, True)
    }
    threads = [
        maker.thread(n, title, seen[hidden][which % len(seen[hidden])])
        for n, (title, hidden, which) in enumerate(documents)
    ]
    visible = [thread for thread in threads if can_view_thread(user, thread)]

    def answers() -> list[list[dict]]:
        return [
            [
                views._suggestion(found)
                for found in selectors.complete(user=user, text=text)
            ]
            for text in typed
        ]

    maker.index_afresh(_batches(visible, cuts))
    without = answers()
    maker.index_afresh(_batches(threads, cuts))
    assert answers() == without

    # It is the same because it is right, not because it is empty: every
    # visible title that has the words typed, the last as a prefix, is
    # offered, up to the limit (with far fewer than PREFIX_TERMS words here).
    for text, found in zip(typed, without, strict=True):
        *before, last = text.split()
        matching = [
            thread
            for thread in visible
            if set(before) <= set(thread.title.split())
            and any(word.startswith(last) for word in thread.title.split())
        ]
        assert len(found) == min(len(matching), selectors.COMPLETE_LIMIT), text
        assert {item["label"] for item in found} <= {t.title for t in matching}


# Did you mean ------------------------------------------------------------------------


def suggestion(user, query: str) -> str:
    return selectors.search_page(user=user, query=query).suggestion


def test_did_you_mean_is_the_same_with_or_without_leavers_in_the_index(world):
    """ "Did you mean" draws on people's names, which every member of staff may
    see; but a leaver's document, once removed, still leaves its words in
    Whoosh's vocabulary until segments merge, and must count for nothing."""
    person("gil.grimshan", "Gil", "Grimshan")
    index_everything()
    typed = ["Grimshau", "Grimshaw"]
    without = {text: suggestion(world.outsider, text) for text in typed}
    assert without["Grimshau"] == "grimshan"

    leavers = [person(f"bo.grimshaw{n}", "Bo", "Grimshaw") for n in range(3)]
    index_later(*leavers)
    drain_all()
    assert suggestion(world.outsider, "Grimshau") == "grimshaw"
    for leaver in leavers:
        leaver.user.is_active = False
        leaver.user.save()
    drain_all()

    with_leavers_gone = {text: suggestion(world.outsider, text) for text in typed}
    assert with_leavers_gone == without
