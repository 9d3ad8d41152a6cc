"""The search box's language: every piece of it, and every query read without
failing, nothing typed ever reaching the search engine's own syntax."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from whoosh.qparser import QueryParser

from search.query import Query, any_of, parse, ranked, tokens

WEIGHTS = [("name", 10.0), ("key_skills", 6.0), ("text", 1.0)]


def test_words_must_all_match():
    assert parse("Procurement  LAW") == Query(required=(("procurement",), ("law",)))


def test_a_quoted_phrase_is_one_unit():
    query = parse('"spending review" budget')
    assert query.required == (("spending", "review"), ("budget",))
    assert query.words == ["spending", "review", "budget"]


def test_a_minus_leaves_a_word_or_phrase_out():
    query = parse('budget -draft -"first cut"')
    assert query.required == (("budget",),)
    assert query.excluded == (("draft",), ("first", "cut"))


def test_a_hyphenated_word_is_a_phrase_of_its_pieces():
    assert parse("covid-19").required == (("covid", "19"),)


def test_in_by_and_kind():
    query = parse(
        "budget in:Net-Zero by:Ada.Lovelace kind:Threads kind:Messages kind:posts"
    )
    assert query.required == (("budget",),)
    assert query.spaces == ("net-zero",)
    assert query.authors == ("Ada.Lovelace",)
    assert query.kinds == ("threads", "messages", "posts")


def test_operators_alone_are_a_query():
    query = parse("kind:people")
    assert not query.is_empty
    assert ranked(query, WEIGHTS) == (
        'kind:("people" OR "spaces" OR "threads" OR "messages" OR "posts")'
    )


@pytest.mark.parametrize(
    ("typed", "required"),
    [
        ('lovelace AND ( "unclosed', [("lovelace",), ("and",), ("unclosed",)]),
        ("kind:wizards budget", [("kind",), ("wizards",), ("budget",)]),
        ("in: budget", [("in",), ("budget",)]),
        ("by:<script> x", [("by",), ("script",), ("x",)]),
        ('"" - -- budget', [("budget",)]),
        ("*:* OR [a TO z] ~2", [("or",), ("a",), ("to",), ("z",), ("2",)]),
    ],
)
def test_what_the_parser_cannot_read_is_plain_words(typed, required):
    query = parse(typed)
    assert [*query.required] == required
    assert query.spaces == query.authors == query.kinds == ()


def test_an_injected_field_is_just_words():
    """Typing the index's own syntax cannot reach another field or audience."""
    query = parse("audience:space.7 text:secret name:x^100")
    text = ranked(query, WEIGHTS)
    assert query.required == (
        ("audience", "space.7"),
        ("text", "secret"),
        ("name", "x", "100"),
    )
    assert "audience:" not in text
    assert "^100" not in text


def test_the_ranked_query_weighs_each_field_and_favours_a_whole_name():
    text = ranked(parse("Ada Lovelace -draft"), WEIGHTS)
    assert text == (
        "(((name:ada^10 OR key_skills:ada^6 OR text:ada^1)"
        " AND (name:lovelace^10 OR key_skills:lovelace^6 OR text:lovelace^1))"
        ' OR name:"ada lovelace"^20) AND NOT (text:draft)'
    )


def test_written_out_again():
    typed = 'budget "spending review" -draft in:estates by:ada kind:threads'
    assert str(parse(typed)) == typed
    assert str(parse("budgit").with_words({"budgit": "budget"})) == "budget"


def test_long_queries_are_cut():
    query = parse(" ".join(f"word{n}" for n in range(100)))
    assert len(query.required) == 12


def test_filter_values_are_quoted():
    assert any_of("audience", ["org", "space.3"]) == 'audience:("org" OR "space.3")'


@given(st.text(max_size=400))
def test_any_text_parses_into_a_query_whoosh_reads(text):
    query = parse(text)
    for unit in (*query.required, *query.excluded):
        assert all(tokens(word) == (word,) for word in unit)
    parser = QueryParser("text", schema=None)
    assert parser.parse(ranked(query, WEIGHTS)) is not None
