"""The index's words as one asker may see them: what autocomplete expands a
prefix into, and what "did you mean" corrects a word to.

Both are worked out from the documents the asker's audience filter lets
through (`allowed`, a Whoosh BitSet or set of document numbers, or None for
every document), never from the index as a whole. A word counts only if its
posting list meets the allowed documents, and words are ranked by how many of
the allowed documents hold them. Whoosh's own statistics (a term's document
frequency, BM25's idf and average length) count every document, hidden or
deleted, so an answer ranked by them changes when hidden content is added,
and an outsider who posts words of their own beside a guessed hidden one can
read the hidden one off the difference, a letter at a time (DESIGN.md,
Search: a suggestion list must be the same whether or not hidden content
exists). Whoosh also keeps a removed document's words in its vocabulary
until segments merge; their postings no longer list it, so here they count
for nothing.

What is cut short is cut in an order hidden documents cannot change: terms
alphabetically, and only the terms the asker may see count towards the cap.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from itertools import groupby

from haystack.constants import ID
from whoosh.reading import TermNotFound

# Terms starting with what was typed that autocomplete ranks, at most: the
# first this many, alphabetically, of those the asker may see. A short prefix
# can start tens of thousands of terms (DESIGN.md, Search).
PREFIX_SCAN = 1000
# Shorter words are names' initials and abbreviations, not misspellings.
MIN_CORRECTED_LENGTH = 4


def documents_with(
    reader, fieldname: str, btext: bytes, allowed: Container[int] | None
) -> list[int]:
    """The allowed documents whose `fieldname` holds the term `btext` (the
    posting list leaves out deleted documents)."""
    try:
        ids = reader.postings(fieldname, btext).all_ids()
    except TermNotFound:
        return []
    if allowed is None:
        return list(ids)
    return [docnum for docnum in ids if docnum in allowed]


def completions(
    reader,
    fieldname: str,
    words: Iterable[str],
    prefix: str,
    *,
    allowed: Container[int] | None,
    terms: int,
    limit: int,
) -> list[dict]:
    """The stored fields of up to `limit` allowed documents whose `fieldname`
    holds every one of `words` and a term starting with `prefix`.

    The prefix stands for the `terms` terms held by most of those documents
    (alphabetically among equals), chosen from the first PREFIX_SCAN of them
    in alphabetical order. Documents come in the order of the commonest term
    they hold, then the shortest `fieldname` first (the closest match to what
    was typed), then by identifier: every key is the document's own or counted
    over allowed documents, so hidden ones cannot reorder them.
    """
    if fieldname not in reader.schema:
        return []
    field = reader.schema[fieldname]
    candidates = allowed
    for word in words:
        for token in field.process_text(word, mode="query"):
            found = documents_with(reader, fieldname, field.to_bytes(token), candidates)
            if not found:
                return []
            candidates = set(found)

    held: list[tuple[int, bytes, list[int]]] = []
    for btext in reader.expand_prefix(fieldname, prefix):
        found = documents_with(reader, fieldname, btext, candidates)
        if found:
            held.append((-len(found), btext, found))
            if len(held) == PREFIX_SCAN:
                break
    best: dict[int, int] = {}
    for rank, (_, _, found) in enumerate(sorted(held)[:terms]):
        for docnum in found:
            best.setdefault(docnum, rank)

    def closeness(docnum: int) -> tuple[int, int]:
        return best[docnum], reader.doc_field_length(docnum, fieldname, 0)

    chosen: list[dict] = []
    # Equal keys are put in order by identifier, which means reading stored
    # fields: only for the groups up to the one that fills the answer.
    for _, group in groupby(sorted(best, key=closeness), key=closeness):
        stored = sorted(
            (reader.stored_fields(docnum) for docnum in group),
            key=lambda fields: fields[ID],
        )
        chosen.extend(stored[: limit - len(chosen)])
        if len(chosen) == limit:
            break
    return chosen


def corrections(
    reader,
    fieldname: str,
    words: Iterable[str],
    *,
    allowed: Container[int] | None,
) -> dict[str, str]:
    """For each word that no allowed document holds in `fieldname`, the
    closest term that one does: one edit away before two, then the one most
    allowed documents hold, then alphabetically; with the same first letter
    (misspellings seldom change it, and it spares reading the whole
    vocabulary). Words with no such term are left out. Terms are compared as
    the field's analyzer leaves them, so `fieldname` should be unstemmed."""
    found: dict[str, str] = {}
    if fieldname not in reader.schema:
        return found
    field = reader.schema[fieldname]

    def held_by(term: str) -> int:
        return len(documents_with(reader, fieldname, field.to_bytes(term), allowed))

    for word in words:
        if len(word) < MIN_CORRECTED_LENGTH or held_by(word):
            continue
        for distance in (1, 2):
            near = [
                (-count, term)
                for term in reader.terms_within(fieldname, word, distance, 1)
                if (count := held_by(term))
            ]
            if near:
                found[word] = min(near)[1]
                break
    return found
