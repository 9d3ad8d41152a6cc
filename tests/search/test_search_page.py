"""The one search page: results of every kind, facets counted within what the
reader may see, escaped highlights, pagination, sorting, the query syntax, and
no error for anything typed."""

from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from intranet.indexing import index_later
from search.selectors import Filters, search, search_page
from search.writer import drain_all
from spaces.models import Marking, Message, Space
from tests.profiles.factories import DepartmentFactory
from tests.search.corpus import index_everything, person, reply, space, thread
from tests.spaces.factories import add_member

pytestmark = pytest.mark.django_db

URL = "/search/"


@pytest.fixture
def world(settings):
    """Two departments; an open space in one with a thread on the budget, a
    private space in the other with a thread on budget cuts; someone whose key
    skill is budgeting; a member of the private space, and a stranger to it."""
    settings.CROSSGOV_POSTS_PER_MINUTE = 1000
    treasury = DepartmentFactory(name="HM Treasury", acronym="HMT")
    cabinet = DepartmentFactory(name="Cabinet Office", acronym="CO")
    owner = person("olive.owner", "Olive", "Owner", department=treasury).user
    member = person("mo.member", "Mo", "Member", department=cabinet).user
    stranger = person("sue.stranger", "Sue", "Stranger", department=cabinet).user
    person(
        "bea.analyst",
        "Bea",
        "Analyst",
        key=["Budget forecasting"],
        job_title="Economist",
        department=treasury,
    )
    spending = space(owner, "Spending team", "spending", department=treasury)
    private = space(
        owner,
        "Restructure",
        "restructure",
        Space.Visibility.PRIVATE,
        department=cabinet,
    )
    add_member(private, member)
    planning = thread(
        spending, owner, "Budget planning for 2027", "The budget lines are due in May."
    )
    answer = reply(planning, owner, "Our budget reply, with the forecasts attached.")
    cuts = thread(
        private, owner, "Budget cuts in the Cabinet Office", "Secret budget notes"
    )
    index_everything()
    return SimpleNamespace(
        treasury=treasury,
        cabinet=cabinet,
        owner=owner,
        member=member,
        stranger=stranger,
        spending=spending,
        private=private,
        planning=planning,
        answer=answer,
        cuts=cuts,
    )


def counts(found, facet: str) -> dict[str, int]:
    return {option.label: option.count for option in found.facets[facet]}


def kinds_found(user, query: str, **filters) -> list[str]:
    results = search(user=user, query=query, filters=Filters(**filters))
    return sorted(result.kind for result in results)


# Results of every kind, and facets within the reader's audience ------------------


def test_the_page_without_a_query_only_asks_for_one(client, world):
    client.force_login(world.stranger)
    page = client.get(URL)
    assert page.status_code == 200
    assertContains(page, '<label class="govuk-label govuk-label--xl" for="search-q">')
    assertNotContains(page, "results for")
    assertNotContains(page, "Filter results")


def test_results_of_every_kind_with_counts_for_the_reader(world):
    found = search_page(user=world.stranger, query="budget")

    assert found.page.paginator.count == 4
    assert counts(found, "kind") == {"People": 1, "Threads": 1, "Messages": 2}
    assert counts(found, "department") == {"HM Treasury": 4}


def test_a_member_counts_what_the_space_holds_too(world):
    found = search_page(user=world.member, query="budget")

    assert found.page.paginator.count == 6
    assert counts(found, "kind") == {"People": 1, "Threads": 2, "Messages": 3}
    assert counts(found, "department") == {"HM Treasury": 4, "Cabinet Office": 2}


def test_the_page_shows_no_trace_of_what_the_reader_may_not_see(client, world):
    client.force_login(world.stranger)
    page = client.get(URL, {"q": "budget"})

    assert page.status_code == 200
    assertContains(page, "4 results for ‘budget’")
    assertContains(page, "Threads (1")
    for hidden in ("Cabinet Office", "Budget cuts", "Secret", "restructure"):
        assertNotContains(page, hidden)
    assert client.get(URL, {"q": "budget cuts"}).context["page"].paginator.count == 0

    client.force_login(world.member)
    page = client.get(URL, {"q": "budget cuts"})
    assertContains(page, "1 result for ‘budget cuts’")
    assertContains(page, f'href="/spaces/restructure/threads/{world.cuts.pk}/"')


def test_choosing_a_kind_keeps_the_other_kinds_counted(client, world):
    found = search_page(
        user=world.member, query="budget", filters=Filters(kind="threads")
    )

    assert sorted(r.name for r in found.page.object_list) == [
        "Budget cuts in the Cabinet Office",
        "Budget planning for 2027",
    ]
    assert counts(found, "kind") == {"People": 1, "Threads": 2, "Messages": 3}
    assert [o.value for o in found.facets["kind"] if o.selected] == ["threads"]
    # The department facet counts the chosen kind only.
    assert counts(found, "department") == {"HM Treasury": 1, "Cabinet Office": 1}

    client.force_login(world.member)
    page = client.get(URL, {"q": "budget", "kind": "threads"})
    assertContains(
        page, '<a class="govuk-link" href="?q=budget">All kinds</a>', html=True
    )
    assertContains(page, "?kind=messages&amp;q=budget")


def test_choosing_a_department_narrows_every_kind(world):
    found = search_page(
        user=world.member, query="budget", filters=Filters(department=world.cabinet.pk)
    )

    assert {r.department for r in found.page.object_list} == {"CO"}
    assert found.page.paginator.count == 2
    assert counts(found, "department") == {"HM Treasury": 4, "Cabinet Office": 2}


def test_a_filter_that_leaves_nothing_visible_counts_nothing(world):
    """The only Cabinet Office content matching is private: for a stranger, no
    result and no count, though the words match it."""
    hidden = search(
        user=world.stranger,
        query="budget cuts",
        filters=Filters(department=world.cabinet.pk),
    )
    assert len(hidden) == 0
    assert list(hidden) == []
    found = search_page(
        user=world.stranger,
        query="budget cuts",
        filters=Filters(kind="threads", department=world.cabinet.pk),
    )
    assert found.page.paginator.count == 0
    assert counts(found, "department") == {}


# People filters ---------------------------------------------------------------------


@pytest.fixture
def analysts():
    from profiles.models import Visibility
    from tests.profiles.factories import (
        GradeFactory,
        LocationFactory,
        ProfessionFactory,
    )

    dept = DepartmentFactory(name="Office for Statistics", acronym="OFS")
    g7 = GradeFactory(code="G7", name="Grade 7")
    seo = GradeFactory(code="SEO", name="Senior Executive Officer")
    policy = ProfessionFactory(name="Policy")
    data = ProfessionFactory(name="Digital, data and technology")
    quay = LocationFactory(name="Quay House", city="Cardiff")
    shown = person(
        "ann.shown",
        "Ann",
        "Shown",
        key=["Statistics"],
        department=dept,
        grade=g7,
        location=quay,
        location_visibility=Visibility.EVERYONE,
    )
    shown.professions.add(policy, data)
    hidden = person(
        "hal.hidden",
        "Hal",
        "Hidden",
        key=["Statistics"],
        department=dept,
        grade=seo,
        location=quay,
        location_visibility=Visibility.DEPARTMENT,
    )
    hidden.professions.add(data)
    index_everything()
    return SimpleNamespace(
        viewer=person("vic.viewer", "Vic", "Viewer", department=dept).user,
        g7=g7,
        seo=seo,
        policy=policy,
        data=data,
        quay=quay,
    )


def people_found(user, **filters) -> list[str]:
    found = search(user=user, query="statistics", filters=Filters(**filters))
    return sorted(result.name for result in found)


def test_people_are_filtered_by_grade_profession_and_location(analysts):
    viewer = analysts.viewer
    assert people_found(viewer) == ["Ann Shown", "Hal Hidden"]
    assert people_found(viewer, grade=analysts.seo.pk) == ["Hal Hidden"]
    assert people_found(viewer, profession=analysts.data.pk) == [
        "Ann Shown",
        "Hal Hidden",
    ]
    assert people_found(viewer, profession=analysts.policy.pk) == ["Ann Shown"]
    # Hal shows his building to his department only: it is not indexed at all.
    assert people_found(viewer, location=analysts.quay.pk) == ["Ann Shown"]


def test_people_facets_are_offered_for_people(client, analysts):
    found = search_page(
        user=analysts.viewer, query="statistics", filters=Filters(kind="people")
    )
    assert counts(found, "grade") == {
        "G7 – Grade 7": 1,
        "SEO – Senior Executive Officer": 1,
    }
    assert counts(found, "profession") == {
        "Digital, data and technology": 2,
        "Policy": 1,
    }
    assert counts(found, "location") == {"Quay House": 1}

    everything = search_page(user=analysts.viewer, query="statistics")
    assert set(everything.facets) == {"kind", "department"}

    client.force_login(analysts.viewer)
    page = client.get(URL, {"q": "statistics", "kind": "people"})
    assertContains(page, "Grade</h3>")
    assertContains(
        page, f"?kind=people&amp;location={analysts.quay.pk}&amp;q=statistics"
    )


# Highlighting ----------------------------------------------------------------------


def test_snippets_mark_the_words_and_escape_everything_else(client, world):
    reply(
        world.planning,
        world.owner,
        "Never paste `<script>alert('budget')</script>` into the budget form.",
    )
    drain_all()
    client.force_login(world.stranger)

    page = client.get(URL, {"q": "budget form"})
    html = page.content.decode()

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;<mark>budget</mark>&#x27;)&lt;/script&gt;" in html
    assert "into the <mark>budget</mark> <mark>form</mark>." in html
    # Only our own markup: no tag from the text survives.
    assert set(re.findall(r"<(/?mark)>", html)) == {"mark", "/mark"}


def test_a_long_post_shows_the_part_that_matches(client, world):
    reply(world.planning, world.owner, "Filler words here. " * 40 + "The zebra budget.")
    drain_all()
    client.force_login(world.stranger)
    page = client.get(URL, {"q": "zebra"})
    assertContains(page, "…")
    assertContains(page, "The <mark>zebra</mark> budget.")
    assertNotContains(page, "Filler words here. " * 20)


# Sorting and pages -----------------------------------------------------------------


def test_sorting_by_date_puts_the_newest_first(client, world):
    now = timezone.now()
    older = reply(world.planning, world.owner, "Budget budget budget, long ago.")
    newer = reply(world.planning, world.owner, "A budget.")
    Message.objects.filter(pk=older.pk).update(created_at=now - timedelta(days=30))
    Message.objects.filter(pk=newer.pk).update(created_at=now + timedelta(days=1))
    index_later(older, newer)
    drain_all()

    by_relevance = search(user=world.stranger, query="budget kind:messages")
    by_date = search(user=world.stranger, query="budget kind:messages", sort="date")
    assert by_relevance[0].pk != str(newer.pk)
    assert [r.pk for r in by_date][0] == str(newer.pk)
    assert [r.pk for r in by_date][-1] == str(older.pk)

    client.force_login(world.stranger)
    page = client.get(URL, {"q": "budget", "sort": "date"})
    assertContains(page, '<strong aria-current="true">Most recent</strong>', html=True)


def test_results_come_a_page_at_a_time(client, world):
    for n in range(25):
        person(f"zoologist{n}", "Zed", f"Keeper{n}", key=["Zoology"])
    index_everything()
    client.force_login(world.stranger)

    first = client.get(URL, {"q": "zoology"})
    assertContains(first, "25 results for ‘zoology’")
    assert first.content.decode().count('class="app-search-results__item"') == 20
    assertContains(first, 'href="?q=zoology&amp;page=2" rel="next"')

    second = client.get(URL, {"q": "zoology", "page": 2})
    assert second.content.decode().count('class="app-search-results__item"') == 5
    assertContains(second, "(page 2 of 2)")

    past_the_end = client.get(URL, {"q": "zoology", "page": 9})
    assert past_the_end.status_code == 200
    assertContains(past_the_end, "(page 2 of 2)")
    assert past_the_end.content.decode().count('class="app-search-results__item"') == 5


# The query syntax ------------------------------------------------------------------


def test_a_quoted_phrase_needs_its_words_in_order(world):
    reply(world.planning, world.owner, "We review the spending plans.")
    reply(world.planning, world.owner, "The spending review starts soon.")
    drain_all()
    found = search(user=world.stranger, query='"spending review"')
    assert [r.body for r in found] == ["The spending review starts soon."]
    assert len(search(user=world.stranger, query="spending review kind:messages")) == 2


def test_a_minus_leaves_results_out(world):
    # "forecasts" goes too: words are left out as they are matched, by stem.
    assert kinds_found(world.stranger, "budget -forecasting") == ["messages", "threads"]
    assert kinds_found(world.stranger, 'budget -"lines are due"') == [
        "messages",
        "people",
        "threads",
    ]


def test_in_a_space(world):
    other = space(world.owner, "Estates", "estates")
    thread(other, world.owner, "Budget for the estate")
    drain_all()

    assert kinds_found(world.stranger, "budget in:spending") == [
        "messages",
        "messages",
        "threads",
    ]
    assert [r.name for r in search(user=world.stranger, query="budget in:estates")] == [
        "Budget for the estate"
    ]
    # A private space is no different from one that does not exist.
    assert kinds_found(world.stranger, "budget in:restructure") == []
    assert kinds_found(world.stranger, "budget in:no-such-space") == []
    assert kinds_found(world.member, "budget in:restructure") == ["messages", "threads"]


def test_by_a_person(world):
    add_member(world.spending, world.member)
    thread(world.spending, world.member, "Budget questions from CO")
    drain_all()
    assert [
        r.name for r in search(user=world.stranger, query="budget by:MO.MEMBER")
    ] == ["Budget questions from CO"]
    assert kinds_found(world.stranger, "by:mo.member") == ["messages", "threads"]
    assert kinds_found(world.stranger, "budget by:nobody.here") == []


def test_of_a_kind(world):
    assert kinds_found(world.stranger, "budget kind:people") == ["people"]
    assert kinds_found(world.stranger, "budget kind:messages") == [
        "messages",
        "messages",
    ]
    assert kinds_found(world.stranger, "budget kind:spaces") == []
    assert kinds_found(world.stranger, "spending kind:spaces") == ["spaces"]
    # The page's kind filter wins over the query's.
    assert kinds_found(world.stranger, "budget kind:people", kind="threads") == [
        "threads"
    ]


def test_messages_are_their_own_kind_and_posts_are_blog_posts(client, world):
    # Blog posts are not indexed yet: kind:posts finds nothing, never a message.
    assert kinds_found(world.stranger, "budget kind:posts") == []
    assert kinds_found(world.stranger, "budget", kind="posts") == []
    assert kinds_found(world.stranger, "budget", kind="messages") == [
        "messages",
        "messages",
    ]

    client.force_login(world.stranger)
    page = client.get(URL, {"q": "budget"})
    assertContains(page, "Messages (2")
    assertContains(page, "?kind=messages&amp;q=budget")
    assertNotContains(page, "Posts (")
    assertNotContains(page, "kind=posts")
    for asked in ({"q": "budget kind:posts"}, {"q": "budget", "kind": "posts"}):
        page = client.get(URL, asked)
        assert page.status_code == 200
        assert page.context["page"].paginator.count == 0
        assertNotContains(page, "Our budget reply")


@pytest.mark.parametrize(
    "typed",
    ["budget (", '"budget', "budget)", "budget AND", "budget:", "budget ~", "budget*"],
)
def test_a_query_the_parser_cannot_read_is_searched_as_words(client, world, typed):
    client.force_login(world.stranger)
    page = client.get(URL, {"q": typed})
    assert page.status_code == 200
    assertContains(page, "Budget planning for 2027")


@pytest.mark.parametrize(
    "typed",
    [
        "budget audience:space.{pk}",
        "budget audience:space.{pk}.members",
        "budget OR audience:*",
        'budget" OR "cuts',
        "*",
        "",
        "kind:people kind:nothing (",
        "\x00budget",
        "b" * 5000,
    ],
)
def test_nothing_typed_reveals_what_is_hidden_or_fails(client, world, typed):
    client.force_login(world.stranger)
    page = client.get(URL, {"q": typed.format(pk=world.private.pk)})
    assert page.status_code == 200
    assertNotContains(page, "Budget cuts")
    assertNotContains(page, "Secret")


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "wizards"},
        {"department": "HMT"},
        {"grade": "-1"},
        {"page": "last"},
        {"sort": "random"},
        {"page": "0"},
    ],
)
def test_nonsense_in_the_address_is_ignored(client, world, params):
    client.force_login(world.stranger)
    page = client.get(URL, {"q": "budget", **params})
    assert page.status_code == 200
    assertContains(page, "4 results for ‘budget’")


def test_sensitive_results_are_tagged(client, world):
    add_member(world.spending, world.member, "member")
    thread(
        world.spending,
        world.owner,
        "Budget redundancies",
        marking=Marking.OFFICIAL_SENSITIVE,
    )
    drain_all()
    client.force_login(world.member)
    page = client.get(URL, {"q": "redundancies"})
    assertContains(page, "OFFICIAL-SENSITIVE", count=1)
    client.force_login(world.stranger)
    assertNotContains(client.get(URL, {"q": "redundancies"}), "redundancies</a>")


# Where the page is reached from ---------------------------------------------------


def test_a_people_search_from_the_directory_lands_on_people(client, world):
    client.force_login(world.stranger)
    directory = client.get("/people/")
    (form,) = [
        form
        for form in re.findall(
            r'<form[^>]*action="/search/"[^>]*>.*?</form>',
            directory.content.decode(),
            re.S,
        )
        if 'id="people-search"' in form
    ]
    assert '<input type="hidden" name="kind" value="people">' in form

    page = client.get(URL, {"q": "budget", "kind": "people"})
    assertContains(page, "1 result for ‘budget’")
    assertContains(page, "Bea Analyst")
    assertNotContains(page, "Budget planning for 2027")
    assertContains(page, '<input type="hidden" name="kind" value="people">', html=True)


def test_every_page_loads_the_search_box_script(client, world):
    client.force_login(world.stranger)
    assertContains(client.get("/people/"), "build/search.js")


def test_the_page_costs_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    for n in range(25):
        person(f"zoologist{n}", "Zed", f"Keeper{n}", key=["Zoology"])
    index_everything()
    client.force_login(world.stranger)
    client.get(URL, {"q": "zoology"})  # audience tokens now cached
    with django_assert_max_num_queries(6):
        page = client.get(URL, {"q": "zoology", "kind": "people"})
    assertContains(page, "25 results for ‘zoology’")
