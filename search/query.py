"""The search box's small language, read without ever failing.

    budget "spending review" -draft in:treasury-data by:ada.lovelace kind:threads

- a word: every word must match, in any field of a document;
- "a quoted phrase": its words, in that order;
- -word or -"a phrase": documents holding it are left out;
- in:<space-slug>: only what was written in that space (threads and messages);
- by:<username>: only what that person wrote;
- kind:people|spaces|threads|messages|posts: only that kind of result (posts
  are blog posts).

Anything else is words. An unclosed quote, a bracket, an operator with nothing
after it or a kind we do not have is not an error: its characters are read as
plain words, so every query can be searched. Words are cut down to what the
index's analyzer keeps (letters and digits, and dotted abbreviations), so nothing
a person types reaches the search engine's own syntax: the query string sent
through haystack is built here, from those words alone, in the Lucene-style
syntax that Whoosh, Solr and Elasticsearch all read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

# A query longer than this is cut: nobody types more, and every word costs.
MAX_CHARS = 300
MAX_UNITS = 12

# The kinds a person can ask for, as every search index spells its `kind` field
# (every document has one of them). "messages" are the messages of discussion
# threads; "posts" are blog posts (none yet: kind:posts finds nothing, and
# never a message).
KINDS = {
    "people": "People",
    "spaces": "Spaces",
    "threads": "Threads",
    "messages": "Messages",
    "posts": "Blog posts",
}

# Whoosh's default tokenizer: words, and dotted abbreviations kept whole.
_TOKEN = re.compile(r"\w+(?:\.?\w+)*")
_CHUNK = re.compile(
    r"""(?P<neg>-)?(?:
        (?P<op>in|by|kind):(?P<arg>[^\s"]+)
      | "(?P<phrase>[^"]*)"
      | (?P<word>[^\s"]+)
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_SLUG = re.compile(r"[-\w]+")
_USERNAME = re.compile(r"[\w.@+-]+")

Unit = tuple[str, ...]


@dataclass(frozen=True)
class Query:
    """What a search asks for. A unit is one word, or the words of a phrase."""

    required: tuple[Unit, ...] = ()
    excluded: tuple[Unit, ...] = ()
    spaces: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    kinds: tuple[str, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        """Nothing to search for: no word, and nothing to narrow by either."""
        return not (self.required or self.spaces or self.authors or self.kinds)

    @property
    def words(self) -> list[str]:
        """Every word asked for, phrases' words included (what results mark)."""
        return [word for unit in self.required for word in unit]

    def with_words(self, replacements: dict[str, str]) -> Query:
        """The same query with some single words replaced (a spelling fix)."""
        required = tuple(
            (replacements.get(unit[0], unit[0]),) if len(unit) == 1 else unit
            for unit in self.required
        )
        return Query(required, self.excluded, self.spaces, self.authors, self.kinds)

    def __str__(self) -> str:
        """The query written out again in the search box's language."""
        parts = [_written(unit) for unit in self.required]
        parts += [f"-{_written(unit)}" for unit in self.excluded]
        parts += [f"in:{slug}" for slug in self.spaces]
        parts += [f"by:{username}" for username in self.authors]
        parts += [f"kind:{kind}" for kind in self.kinds]
        return " ".join(parts)


def parse(text: str) -> Query:
    """Read what was typed in the search box; never raises."""
    required: list[Unit] = []
    excluded: list[Unit] = []
    spaces: list[str] = []
    authors: list[str] = []
    kinds: list[str] = []
    for chunk in _CHUNK.finditer((text or "")[:MAX_CHARS]):
        negated = bool(chunk["neg"])
        into = excluded if negated else required
        if chunk["op"]:
            op, arg = chunk["op"].lower(), chunk["arg"]
            if not negated and _operator(op, arg, spaces, authors, kinds):
                continue
            # Not an operator we can use: its words, each on its own.
            into.extend((word,) for word in tokens(f"{op} {arg}"))
            continue
        # A phrase, or a word that the tokenizer may cut in pieces ("covid-19"),
        # whose pieces then have to come in that order.
        unit = tokens(chunk["phrase"] if chunk["phrase"] is not None else chunk["word"])
        if unit:
            into.append(unit)
    return Query(
        required=tuple(dict.fromkeys(required))[:MAX_UNITS],
        excluded=tuple(dict.fromkeys(excluded))[:MAX_UNITS],
        spaces=tuple(dict.fromkeys(spaces)),
        authors=tuple(dict.fromkeys(authors)),
        kinds=tuple(dict.fromkeys(kinds)),
    )


def _operator(op, arg, spaces, authors, kinds) -> bool:
    """Take `op:arg` if it is a well-formed operator; False to read it as words."""
    if op == "in" and _SLUG.fullmatch(arg):
        spaces.append(arg.lower())
    elif op == "by" and _USERNAME.fullmatch(arg):
        authors.append(arg)
    elif op == "kind" and arg.lower() in KINDS:
        kinds.append(arg.lower())
    else:
        return False
    return True


def tokens(text: str) -> Unit:
    """The words of `text` as the index's tokenizer cuts them, lowercased."""
    return tuple(match.group(0).lower() for match in _TOKEN.finditer(text))


def _written(unit: Unit) -> str:
    return unit[0] if len(unit) == 1 else '"' + " ".join(unit) + '"'


# The query string sent to the search engine -------------------------------------


def ranked(query: Query, weights: Sequence[tuple[str, float]]) -> str:
    """The query as a search-engine query string that weighs where words match.

    Each unit must match in at least one of the `weights` fields (the last,
    the document's whole text, holds everything, so any match counts) and
    scores by the weight of every field it matches in: a word in a person's
    name or key skills lifts them above one who merely mentions it. When the
    words together are a name, the whole name as a phrase counts twice more,
    so that an exact name comes first. A query of operators alone matches
    every document of every kind (within the filters): spelled through the
    `kind` field, which is quick to read, where Whoosh's "*" reads the whole
    vocabulary of the text.
    """
    clauses = [_weighed(unit, weights) for unit in query.required]
    text = " AND ".join(clauses) if clauses else any_of("kind", list(KINDS))
    name_weight = dict(weights).get("name")
    singles = [unit[0] for unit in query.required if len(unit) == 1]
    if name_weight and len(singles) > 1 and len(singles) == len(query.required):
        whole = '"' + " ".join(singles) + '"'
        text = f"({text}) OR name:{whole}^{_number(2 * name_weight)}"
    if query.excluded:
        text_field = weights[-1][0]
        left_out = " OR ".join(f"{text_field}:{_value(u)}" for u in query.excluded)
        text = f"({text}) AND NOT ({left_out})"
    return text


def _weighed(unit: Unit, weights: Sequence[tuple[str, float]]) -> str:
    value = _value(unit)
    return "(" + " OR ".join(f"{f}:{value}^{_number(w)}" for f, w in weights) + ")"


def _value(unit: Unit) -> str:
    # Units hold only tokenizer output (\w and dots): nothing to escape.
    return unit[0] if len(unit) == 1 else '"' + " ".join(unit) + '"'


def _number(weight: float) -> str:
    return f"{weight:g}"


def any_of(field_name: str, values: Sequence[str]) -> str:
    """A filter query: `field_name` holds one of `values` (ids, tokens, kinds).

    The values are ours (ids, audience tokens, kind names), never typed text.
    """
    quoted = " OR ".join(f'"{value}"' for value in values)
    return f"{field_name}:({quoted})"
