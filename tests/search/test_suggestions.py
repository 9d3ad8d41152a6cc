""" "Did you mean" for misspelt names and skills, and suggestions as you type:
both helpful, and neither ever hinting at what the reader may not see."""

from __future__ import annotations

from types import SimpleNamespace

import haystack
import pytest
from pytest_django.asserts import assertContains, assertNotContains

from intranet.indexing import index_later
from profiles.models import Profile, Visibility
from search.selectors import PREFIX_TERMS, complete, search_page
from search.writer import drain_all
from spaces.models import Space
from tests.profiles.factories import LocationFactory
from tests.search.corpus import index_everything, person, space, thread
from tests.spaces.factories import add_member

pytestmark = pytest.mark.django_db

URL = "/search/"
SUGGEST = "/search/suggest/"


@pytest.fixture
def world():
    owner = person("olive.owner", "Olive", "Owner").user
    member = person("mo.member", "Mo", "Member").user
    stranger = person("sue.stranger", "Sue", "Stranger").user
    person(
        "ada.lovelace",
        "Ada",
        "Lovelace",
        key=["Procurement law"],
        other=["Cryptography"],
        job_title="Head of Analysis",
        location=LocationFactory(name="Quay House", city="Cardiff"),
        location_visibility=Visibility.NOBODY,
    )
    society = space(owner, "Lovelace Society", "lovelace-society")
    club = space(owner, "Lovelace Secret Club", "secret-club", Space.Visibility.PRIVATE)
    add_member(club, member)
    thread(club, owner, "Zanzibar negotiations", "Lovelace engine plans for Zanzibar")
    thread(society, owner, "Lovelace day", "Cake at four.")
    index_everything()
    return SimpleNamespace(owner=owner, member=member, stranger=stranger)


def suggestion(user, query: str) -> str:
    return search_page(user=user, query=query).suggestion


# Did you mean -----------------------------------------------------------------------


def test_a_misspelt_name_is_corrected(client, world):
    assert suggestion(world.stranger, "Lovelase") == "lovelace"
    assert suggestion(world.stranger, "ada lovelase") == "ada lovelace"

    client.force_login(world.stranger)
    page = client.get(URL, {"q": "lovelase"})
    assertContains(page, "No results found for ‘lovelase’")
    assertContains(
        page, 'Did you mean <a class="govuk-link" href="?q=lovelace">lovelace</a>?'
    )


def test_a_misspelt_skill_is_corrected(world):
    assert suggestion(world.stranger, "procuremnt law") == "procurement law"
    assert suggestion(world.stranger, "cryptograpy") == "cryptography"


def test_the_rest_of_the_query_is_kept(world):
    assert suggestion(world.stranger, 'lovelase -"secret club" kind:people') == (
        'lovelace -"secret club" kind:people'
    )


def test_no_suggestion_for_a_query_that_finds_enough(world):
    assert suggestion(world.stranger, "lovelace") == ""


def test_never_a_word_only_private_content_holds(world):
    # "zanzibar" is in a private space's thread only: not even its members get it
    # as a correction, since corrections come from people's names and skills.
    assert suggestion(world.stranger, "zanzibarr") == ""
    assert suggestion(world.member, "zanzibarr") == ""


def test_never_a_hidden_profile_field(world):
    # Ada hides where she works: "quay" and "cardiff" are in no vocabulary.
    assert suggestion(world.stranger, "quayy") == ""
    assert suggestion(world.stranger, "cardif") == ""


def test_never_a_leavers_name(world):
    leaver = person("bo.grimshaw", "Bo", "Grimshaw")
    index_later(leaver)
    drain_all()
    assert suggestion(world.stranger, "grimshau") == "grimshaw"

    leaver.user.is_active = False
    leaver.user.save()
    drain_all()

    # Whoosh keeps a removed document's words in its vocabulary until segments
    # merge; no document anyone may see holds it, so it is never a correction.
    backend = haystack.connections["default"].get_backend()
    with backend.searchers().searcher() as searcher:
        assert ("spelling", "grimshaw") in searcher.reader()
    assert backend.corrections("spelling", ["grimshau"], within="audience:org") == {}
    assert suggestion(world.stranger, "grimshau") == ""


# Suggestions as you type ------------------------------------------------------------


def labels(client, user, typed: str) -> list[str]:
    client.force_login(user)
    answer = client.get(SUGGEST, {"q": typed})
    assert answer.status_code == 200
    return sorted(item["label"] for item in answer.json()["results"])


def test_suggestions_complete_names_and_titles(client, world):
    assert labels(client, world.stranger, "lov") == [
        "Ada Lovelace",
        "Lovelace Society",
        "Lovelace day",
    ]
    assert labels(client, world.stranger, "ada lov") == ["Ada Lovelace"]
    assert labels(client, world.stranger, "Lovelace Soc") == ["Lovelace Society"]


def test_suggestions_follow_the_same_audience_rules(client, world):
    assert labels(client, world.member, "lov") == [
        "Ada Lovelace",
        "Lovelace Secret Club",
        "Lovelace Society",
        "Lovelace day",
    ]
    assert labels(client, world.member, "zanz") == ["Zanzibar negotiations"]
    assert labels(client, world.stranger, "zanz") == []
    assert labels(client, world.stranger, "secret") == []
    # Typed syntax is no way round them.
    assert labels(client, world.stranger, "audience:space zanz") == []


def test_a_prefix_needs_three_letters(client, world):
    assert labels(client, world.stranger, "lo") == []
    assert labels(client, world.stranger, "lovelace lo") == []
    assert labels(client, world.stranger, "") == []


def test_each_suggestion_says_what_and_where_it_is(client, world):
    client.force_login(world.stranger)
    answer = client.get(SUGGEST, {"q": "ada"})
    assert "no-store" in answer["Cache-Control"]
    acronym = Profile.objects.get(user__username="ada.lovelace").department.acronym
    assert answer.json()["results"] == [
        {
            "label": "Ada Lovelace",
            "kind": "people",
            "detail": f"Head of Analysis · {acronym}",
            "url": "/people/ada.lovelace/",
        }
    ]
    (day,) = client.get(SUGGEST, {"q": "lovelace day"}).json()["results"]
    assert day["kind"] == "threads"
    assert day["detail"] == "Thread in Lovelace Society"
    assert day["url"].startswith("/spaces/lovelace-society/threads/")


def test_a_short_prefix_stands_for_its_commonest_words_only(world):
    for n in range(PREFIX_TERMS + 10):
        person(f"pro{n}", "Pat", f"Pro{n:03d}x")
    person("pro.common.one", "Pro007x", "Common")
    index_everything()

    found = [result.name for result in complete(user=world.stranger, text="pro")]

    # "pro007x" is in two documents, the commonest; then the words in one
    # each, alphabetically, and of those the shortest names first.
    assert set(found[:2]) == {"Pro007x Common", "Pat Pro007x"}
    assert found[2:] == [f"Pat Pro{n:03d}x" for n in range(6)]


def test_a_prefix_stands_for_words_of_what_the_reader_may_see(world):
    society = Space.objects.get(slug="lovelace-society")
    poster = person("pat.poster", "Pat", "Poster").user
    add_member(society, poster)
    for n in range(PREFIX_TERMS - 1):
        thread(society, poster, f"Pro{n:03d}x minutes")
    # The last word alphabetically, in the shortest title: the best match by
    # any ranking that weighs length, and the first to lose its place.
    thread(society, poster, f"Pro{PREFIX_TERMS - 1:03d}x")
    drain_all()
    before = [result.name for result in complete(user=world.stranger, text="pro")]
    assert len(before) == 8

    # Ten words only a private space's threads hold, first alphabetically:
    # counted over the whole index, they would take ten of the places the
    # prefix stands for, and push ten of the stranger's words out.
    club = Space.objects.get(slug="secret-club")
    for letter in "abcdefghij":
        thread(club, world.member, f"Pro000{letter}")
    drain_all()

    after = [result.name for result in complete(user=world.stranger, text="pro")]
    assert after == before
    assert len(complete(user=world.member, text="pro000")) == 8


def test_suggestions_are_for_signed_in_staff_only(client, world):
    answer = client.get(SUGGEST, {"q": "lovelace"})
    assert answer.status_code == 302
    assertNotContains(answer, "Lovelace", status_code=302)
