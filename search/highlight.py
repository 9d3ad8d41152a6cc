"""Marking the words searched for in the text shown with a result.

Only what a page shows is marked: each result's template passes its own fields
through the `mark` and `snippet` filters (search/templatetags/search_marks.py).
A word is marked where the index would match it: the text is cut into words by
the same analyzer as the documents' text (lowercased, stemmed, stop words left
out), so "reviews" is marked for a search for "review".

The text is plain text from the index (a document's stored fields), never HTML:
every character of it is escaped, and the only markup in what comes back is our
own <mark> and </mark>. A document holding "<script>" shows "&lt;script&gt;".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from whoosh.analysis import StemmingAnalyzer

# About two lines of a result: the snippet's length in characters.
SNIPPET_CHARS = 240
# How far before the first marked word a snippet starts, at most.
LEAD_CHARS = 60
ELLIPSIS = "…"

_analyzer = StemmingAnalyzer()
_SPACE = re.compile(r"\s+")


def _stems(text: str) -> list[tuple[str, int, int]]:
    """Each word of `text` as the index keeps it, with where it is in `text`.

    (The analyzer hands out one token object again and again: read it at once.)
    """
    return [
        (token.text, token.startchar, token.endchar)
        for token in _analyzer(text, chars=True, positions=False)
    ]


class Marker:
    """Marks the words of one query; made once per search page."""

    def __init__(self, words: Iterable[str]):
        self._stems = {stem for word in words for stem, _, _ in _stems(word)}

    def __bool__(self) -> bool:
        return bool(self._stems)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where in `text` the query's words are, as (start, end) offsets."""
        if not self._stems or not text:
            return []
        wanted = self._stems
        return [(start, end) for stem, start, end in _stems(text) if stem in wanted]

    def mark(self, text: str) -> SafeString:
        """All of `text`, escaped, with the query's words in <mark>."""
        text = str(text or "")
        return _marked(text, self.spans(text), 0, len(text))

    def snippet(self, text: str, *, size: int = SNIPPET_CHARS) -> SafeString:
        """A window of `text` of about `size` characters around the first word
        searched for (its beginning when none is there), escaped and marked."""
        text = str(text or "")
        spans = self.spans(text)
        if len(text) <= size:
            return _marked(text, spans, 0, len(text))
        start = 0
        if spans and spans[0][0] > LEAD_CHARS:
            start = _word_start(text, spans[0][0] - LEAD_CHARS)
        end = _word_end(text, min(len(text), start + size))
        return _marked(text, spans, start, end)

    def matches(self, text: str) -> bool:
        return bool(self.spans(str(text or "")))


def _marked(text: str, spans: list[tuple[int, int]], start: int, end: int):
    parts = [ELLIPSIS] if start > 0 else []
    at = start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        parts.append(escape(text[at:span_start]))
        parts.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        at = span_end
    parts.append(escape(text[at:end]))
    if end < len(text):
        parts.append(ELLIPSIS)
    # Every piece of the text is escaped above; <mark> is the only markup.
    return mark_safe("".join(parts))  # noqa: S308


def _word_start(text: str, at: int) -> int:
    """The start of the first word after position `at` (so no word is cut)."""
    space = _SPACE.search(text, at)
    return at if space is None else space.end()


def _word_end(text: str, at: int) -> int:
    """The end of the last whole word before position `at`."""
    if at >= len(text):
        return len(text)
    spaces = [match.start() for match in _SPACE.finditer(text, 0, at)]
    return spaces[-1] if spaces and spaces[-1] > 0 else at
