"""Marking the words searched for: as the index matches them, and never letting
the text itself add markup."""

from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from search.highlight import SNIPPET_CHARS, Marker


def test_words_are_marked_as_the_index_matches_them():
    marker = Marker(["review", "the"])
    assert marker.mark("Spending Reviews, then reviewing the review") == (
        "Spending <mark>Reviews</mark>, then <mark>reviewing</mark> the"
        " <mark>review</mark>"
    )


def test_the_text_is_escaped_and_only_marks_are_markup():
    marked = Marker(["budget"]).mark('<script>alert("budget")</script> & <b>budget</b>')
    assert marked == (
        "&lt;script&gt;alert(&quot;<mark>budget</mark>&quot;)&lt;/script&gt; &amp; "
        "&lt;b&gt;<mark>budget</mark>&lt;/b&gt;"
    )


@given(st.text(max_size=600), st.lists(st.text(max_size=12), max_size=4))
def test_no_text_and_no_query_can_add_markup(text, words):
    marked = Marker(words).snippet(text).replace("<mark>", "").replace("</mark>", "")
    assert "<" not in marked
    assert ">" not in marked


def test_a_snippet_is_cut_around_the_first_match():
    text = "Filler words here. " * 30 + "The zebra budget. " + "More filler. " * 30
    snippet = Marker(["zebra"]).snippet(text)
    assert snippet.startswith("…")
    assert snippet.endswith("…")
    assert "The <mark>zebra</mark> budget." in snippet
    assert len(snippet) < SNIPPET_CHARS + 40


def test_a_snippet_without_a_match_is_the_beginning():
    snippet = Marker(["zebra"]).snippet("word " * 100)
    assert snippet.startswith("word word")
    assert snippet.endswith("…")


def test_templates_mark_only_with_a_marker():
    template = Template("{% load search_tags %}{% mark text %}|{% snippet text %}")
    text = "The <i>budget</i>"
    assert template.render(Context({"text": text})) == (
        "The &lt;i&gt;budget&lt;/i&gt;|The &lt;i&gt;budget&lt;/i&gt;"
    )
    marked = template.render(Context({"text": text, "marker": Marker(["budget"])}))
    once = "The &lt;i&gt;<mark>budget</mark>&lt;/i&gt;"
    assert marked == f"{once}|{once}"
