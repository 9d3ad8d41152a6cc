"""haystack's Whoosh backend, made to keep its searchers open and its schema lean.

haystack's own backend opens one or two Whoosh searchers for every query (about
100 ms each on a 100,000-document index), runs every `narrow()` as a full scored
search, and declares every text field sortable and the content field a spelling
source, which halves indexing speed (DESIGN.md, Search). This subclass keeps
haystack's API for everything above it (SearchQuerySet, SearchIndex, the
management commands) and changes only what is underneath:

- Searchers are shared by the whole process. Each query borrows one from a small
  pool and gives it back; a searcher is only ever used by one thread at a time,
  since daphne runs sync views on a pool of threads. A borrowed searcher is
  checked with `up_to_date()` (one directory listing) and replaced by a newly
  opened one only when the index has changed. whoosh-reloaded's
  `Searcher.refresh()` is not used: it keeps deleted documents visible and, after
  a merge, returns merged documents twice.
- Narrowing queries and the registered-models restriction become a Whoosh
  filter, which is matched without scoring. The documents a filter lets
  through are worked out once per open searcher and kept with it (a person's
  audience, asked for query after query), and a filter that lets nothing
  through answers nothing at once: Whoosh would read an empty set of allowed
  documents as no filter at all.
- Field boosts are applied by the query (`search.query.ranked`), where every
  haystack backend honours them; in the Whoosh schema they would only scale
  term frequencies, which BM25 then flattens.
- Two helpers for the search page that haystack has no API for: names and
  titles completing a prefix (autocomplete), and spelling corrections from one
  field's vocabulary ("did you mean"). Both count only the documents the
  asker's filter lets through (search.vocabulary), so that neither answers
  differently when hidden content exists.
- Text fields are neither sortable nor spelling sources unless asked for (spelling
  only with HAYSTACK_INCLUDE_SPELLING); facet fields are exact, sortable IDs,
  which is what Whoosh facets by quickly and correctly.
- Every document carries a short hash of its content (`doc_hash`), so that
  `search_reconcile` can tell a stale document without re-reading its text.
- Writes go through `write_session()`: one Whoosh writer and one commit for a
  whole batch of updates and removals. Only `search.writer` and the index
  commands write, under the writer lease.
- Clearing the whole index keeps the Whoosh generation counting up instead of
  starting again at 0, so that a searcher opened on the old index in another
  process can never mistake a new generation of the same number for its own.
"""

from __future__ import annotations

import hashlib
import json
import struct
import threading
import warnings
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime

from django.conf import settings
from django.utils.encoding import force_str
from haystack.backends import log_query
from haystack.backends.whoosh_backend import (
    WhooshEngine,
    WhooshSearchBackend,
    WhooshSearchQuery,
)
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SearchBackendError, SkipDocument
from haystack.fields import FacetField
from haystack.utils import get_identifier, get_model_ct
from whoosh import index as whoosh_index
from whoosh.analysis import StemmingAnalyzer
from whoosh.columns import Column
from whoosh.fields import (
    BOOLEAN,
    DATETIME,
    IDLIST,
    KEYWORD,
    NGRAM,
    NGRAMWORDS,
    NUMERIC,
    STORED,
    TEXT,
    FieldType,
    Schema,
)
from whoosh.fields import ID as WHOOSH_ID
from whoosh.query import And, Not, Or, Term
from whoosh.sorting import Count, DateRangeFacet, FieldFacet
from whoosh.support.relativedelta import relativedelta
from whoosh.util.filelock import try_for

from search import vocabulary

HASH_FIELD = "doc_hash"
# Idle searchers kept per index: enough for the threads that search at once.
MAX_IDLE_SEARCHERS = 8
# How long a write waits for Whoosh's own lock. Our writer lease already keeps
# writers apart; this only covers someone running haystack's update_index.
WRITE_LOCK_SECONDS = 10.0
# Filters (one per person's audience, kind, space...) kept per open searcher: a
# bit per document each, about 12 kB at 100,000 documents.
FILTERS_PER_SEARCHER = 128

_EMPTY = {"results": [], "hits": 0}


def content_hash(document: dict) -> str:
    """A short hash of a prepared document, the same for the same content."""
    payload = json.dumps(document, sort_keys=True, default=str)
    return hashlib.blake2b(payload.encode(), digest_size=12).hexdigest()


class SearcherPool:
    """Open searchers on one index, shared by every thread of the process."""

    def __init__(self, storage, schema, indexname: str = whoosh_index._DEF_INDEX_NAME):
        self._storage = storage
        self._schema = schema
        self._indexname = indexname
        self._lock = threading.Lock()
        self._idle: list = []
        self._closed = False
        # Searchers opened so far: tests and the benchmark read it to see reuse.
        self.opened = 0

    @contextmanager
    def searcher(self) -> Iterator:
        """Lend a searcher on the index as it is now; take it back afterwards."""
        with self._lock:
            searcher = self._idle.pop() if self._idle else None
        try:
            if searcher is not None and not searcher.up_to_date():
                searcher.close()
                searcher = None
            if searcher is None:
                searcher = self._open()
            yield searcher
        except BaseException:
            # A searcher that failed may be broken: never lend it again.
            if searcher is not None:
                searcher.close()
            raise
        with self._lock:
            if not self._closed and len(self._idle) < MAX_IDLE_SEARCHERS:
                self._idle.append(searcher)
                return
        searcher.close()

    def idle(self) -> list:
        with self._lock:
            return list(self._idle)

    def close(self) -> None:
        """Close the idle searchers, and each lent one when it comes back."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for searcher in idle:
            searcher.close()

    def _open(self):
        ix = self._storage.open_index(self._indexname, schema=self._schema)
        searcher = ix.searcher()
        with self._lock:
            self.opened += 1
        return searcher


_pools: dict[object, SearcherPool] = {}
_pools_lock = threading.Lock()


def close_searchers() -> None:
    """Close every shared searcher of this process (tests, between indexes)."""
    with _pools_lock:
        pools = list(_pools.values())
        _pools.clear()
    for pool in pools:
        pool.close()


class WhooshWriteSession:
    """One Whoosh writer: every update and removal in it lands in one commit."""

    def __init__(self, backend: CrossgovWhooshBackend, writer):
        self._backend = backend
        self._writer = writer
        self.changed = False

    def index(self, search_index, objects: Iterable) -> None:
        """(Re)index `objects`; one its index skips is removed instead."""
        for obj in objects:
            try:
                document = self._backend.prepare_document(search_index, obj)
            except SkipDocument:
                self.remove([get_identifier(obj)])
                continue
            self._writer.update_document(**document)
            self.changed = True

    def remove(self, identifiers: Iterable[str]) -> None:
        for identifier in identifiers:
            self._writer.delete_by_term(ID, identifier)
            self.changed = True

    def clear_models(self, models: Iterable) -> None:
        for model in models:
            self._writer.delete_by_term(DJANGO_CT, get_model_ct(model))
            self.changed = True


class CrossgovWhooshBackend(WhooshSearchBackend):
    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        # The searcher of the query running in this backend's thread, so that a
        # spelling suggestion reads from it instead of opening another reader.
        # (haystack makes one backend object per thread.)
        self._searcher = None

    # The schema -------------------------------------------------------------

    def build_schema(self, fields):
        schema_fields = {
            ID: WHOOSH_ID(stored=True, unique=True),
            DJANGO_CT: WHOOSH_ID(stored=True),
            DJANGO_ID: WHOOSH_ID(stored=True),
            HASH_FIELD: STORED(),
        }
        content_field_name = ""
        for field in fields.values():
            schema_fields[field.index_fieldname] = self._field_type(field)
            if field.document is True:
                content_field_name = field.index_fieldname
                if self.include_spelling:
                    schema_fields[content_field_name].spelling = True
        if not content_field_name:
            raise SearchBackendError(
                "No document=True field was found in any search index."
            )
        return content_field_name, Schema(**schema_fields)

    @staticmethod
    def _field_type(field):
        stored, boost = field.stored, field.boost
        if field.is_multivalued:
            if field.indexed is False:
                return IDLIST(stored=True, field_boost=boost)
            return KEYWORD(stored=stored, commas=True, scorable=True, field_boost=boost)
        if field.field_type in ("date", "datetime"):
            # Sortable: results are sorted by date.
            return DATETIME(stored=stored, sortable=True)
        if field.field_type == "integer":
            return NUMERIC(stored=stored, numtype=int, field_boost=boost)
        if field.field_type == "float":
            return NUMERIC(stored=stored, numtype=float, field_boost=boost)
        if field.field_type == "boolean":
            return BOOLEAN(stored=stored)
        if field.field_type == "ngram":
            return NGRAM(minsize=3, maxsize=15, stored=stored, field_boost=boost)
        if field.field_type == "edge_ngram":
            return NGRAMWORDS(
                minsize=2, maxsize=15, at="start", stored=stored, field_boost=boost
            )
        if field.indexed is False:
            # Shown with a result, never searched (a slug, a snippet).
            return STORED()
        if isinstance(field, FacetField):
            # Facet values are counted whole ("HM Treasury"), never stemmed.
            return WHOOSH_ID(stored=stored, sortable=True)
        return TEXT(stored=stored, analyzer=field.analyzer or StemmingAnalyzer())

    def schema_matches_index(self) -> bool:
        """Whether the index on disk was built with the schema the code has now."""
        if not self.setup_complete:
            self.setup()
        on_disk = self.storage.open_index().schema
        return _schema_signature(on_disk) == _schema_signature(self.schema)

    def kinds_match_index(
        self, kinds: dict[str, str], field_name: str = "kind"
    ) -> bool:
        """Whether every document on disk of a model in `kinds` (its content
        type, "spaces.message", to the kind its index writes now) has that kind:
        a document written before a kind was renamed has the old one."""
        if not self.setup_complete:
            self.setup()
        ix = self.storage.open_index()
        try:
            with ix.searcher() as searcher:
                for ct, kind in kinds.items():
                    other = And([Term(DJANGO_CT, ct), Not(Term(field_name, kind))])
                    if next(iter(searcher.docs_for_query(other)), None) is not None:
                        return False
        finally:
            ix.close()
        return True

    # Reading ----------------------------------------------------------------

    def searchers(self) -> SearcherPool:
        if not self.setup_complete:
            self.setup()
        key = self.path if self.use_file_storage else id(self.storage)
        with _pools_lock:
            pool = _pools.get(key)
            if pool is None:
                pool = _pools[key] = SearcherPool(self.storage, self.schema)
        return pool

    def document_count(self) -> int:
        with self.searchers().searcher() as searcher:
            return searcher.doc_count()

    def document_hashes(self) -> dict[str, str | None]:
        """Every document in the index: its identifier and its content hash
        (None for a document written before hashes were kept)."""
        with self.searchers().searcher() as searcher:
            return {
                fields[ID]: fields.get(HASH_FIELD)
                for fields in searcher.reader().all_stored_fields()
            }

    @log_query
    def search(
        self,
        query_string,
        sort_by=None,
        start_offset=0,
        end_offset=None,
        fields="",
        highlight=False,
        facets=None,
        date_facets=None,
        query_facets=None,
        narrow_queries=None,
        spelling_query=None,
        within=None,
        dwithin=None,
        distance_point=None,
        models=None,
        limit_to_registered_models=None,
        result_class=None,
        **kwargs,
    ):
        if not self.setup_complete:
            self.setup()
        query_string = force_str(query_string)
        # As haystack: nothing for nothing, and a lone character is a stop word.
        if not query_string or (len(query_string) <= 1 and query_string != "*"):
            return dict(_EMPTY)
        if query_facets is not None:
            warnings.warn("Whoosh does not handle query faceting.", stacklevel=2)
        sortedby, reverse = _sort_order(sort_by)
        groupedby, facet_types = _facet_groups(facets, date_facets, self.schema)
        parsed = self.parser.parse(query_string)
        if parsed is None:
            return dict(_EMPTY)
        restriction = self._restriction(
            narrow_queries, models, limit_to_registered_models
        )
        page_num, page_length = self.calculate_page(start_offset, end_offset)

        with self.searchers().searcher() as searcher:
            self._searcher = searcher
            try:
                if not searcher.doc_count():
                    return {
                        **_EMPTY,
                        "spelling_suggestion": self._suggestion(
                            spelling_query or query_string
                        ),
                    }
                allowed = _allowed_documents(searcher, restriction)
                if allowed is not None and not allowed:
                    return {**_EMPTY, "spelling_suggestion": None}
                try:
                    raw_page = searcher.search_page(
                        parsed,
                        page_num,
                        pagelen=page_length,
                        sortedby=sortedby,
                        reverse=reverse,
                        groupedby=groupedby,
                        filter=allowed,
                    )
                except ValueError:
                    if not self.silently_fail:
                        raise
                    return {**_EMPTY, "spelling_suggestion": None}
                # Whoosh answers a page past the end with the last page:
                # nothing on it, but how many there are.
                if raw_page.pagenum < page_num:
                    return {
                        **_EMPTY,
                        "hits": len(raw_page),
                        "spelling_suggestion": None,
                    }
                return self._process_results(
                    raw_page,
                    highlight=highlight,
                    query_string=query_string,
                    spelling_query=spelling_query,
                    result_class=result_class,
                    facet_types=facet_types,
                )
            finally:
                self._searcher = None

    def _restriction(self, narrow_queries, models, limit_to_registered_models=None):
        """`narrow()` queries and the model restriction, as one unscored filter."""
        clauses = [self.parser.parse(force_str(q)) for q in narrow_queries or ()]
        if limit_to_registered_models is None:
            limit_to_registered_models = getattr(
                settings, "HAYSTACK_LIMIT_TO_REGISTERED_MODELS", True
            )
        if models:
            model_cts = sorted(get_model_ct(model) for model in models)
        elif limit_to_registered_models:
            model_cts = self.build_models_list()
        else:
            model_cts = []
        if model_cts:
            clauses.append(Or([Term(DJANGO_CT, ct) for ct in model_cts]))
        clauses = [clause for clause in clauses if clause is not None]
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else And(clauses)

    def complete(
        self,
        fieldname: str,
        words: Iterable[str],
        prefix: str,
        *,
        within: str,
        terms: int,
        limit: int,
        result_class=None,
    ) -> list:
        """Up to `limit` results that `within` (a narrowing query, as given to
        `narrow()`) lets through whose `fieldname` holds every one of `words`
        and, for the last word typed, one of the `terms` commonest terms
        starting with `prefix` among those results (search.vocabulary).

        Worked out from posting lists, not by a Whoosh search, whose ranking
        (BM25) would count hidden documents too.
        """
        with self.searchers().searcher() as searcher:
            allowed = self._allowed_within(searcher, within)
            if not allowed:
                return []
            found = vocabulary.completions(
                searcher.reader(),
                fieldname,
                words,
                prefix,
                allowed=allowed,
                terms=terms,
                limit=limit,
            )
        return self._process_results(_Hits(found), result_class=result_class)["results"]

    def corrections(
        self, fieldname: str, words: Iterable[str], *, within: str
    ) -> dict[str, str]:
        """For each word no document that `within` lets through holds in
        `fieldname`, the closest term one does (search.vocabulary)."""
        with self.searchers().searcher() as searcher:
            allowed = self._allowed_within(searcher, within)
            if not allowed:
                return {}
            return vocabulary.corrections(
                searcher.reader(), fieldname, words, allowed=allowed
            )

    def _allowed_within(self, searcher, within: str):
        """The documents of `searcher` that the narrowing query `within` lets
        through, kept with the searcher as a search's filter is (the same
        audience asks for the same set). Nothing if `within` means nothing:
        never every document."""
        if self.parser.parse(force_str(within)) is None:
            return set()
        return _allowed_documents(searcher, self._restriction([within], None))

    def create_spelling_suggestion(self, query_string):
        return self._suggestion(query_string)

    def _suggestion(self, query_string):
        if not self.include_spelling:
            return None
        if self._searcher is not None:
            return self._spelling_from(self._searcher, query_string)
        with self.searchers().searcher() as searcher:
            return self._spelling_from(searcher, query_string)

    def _spelling_from(self, searcher, query_string):
        corrector = searcher.reader().corrector(self.content_field_name)
        cleaned = force_str(query_string)
        for word in self.RESERVED_WORDS:
            cleaned = cleaned.replace(word, "")
        for character in self.RESERVED_CHARACTERS:
            cleaned = cleaned.replace(character, "")
        suggested = []
        for word in cleaned.split():
            found = corrector.suggest(word, limit=1)
            if found:
                suggested.append(found[0])
        return " ".join(suggested)

    # Writing ----------------------------------------------------------------

    def prepare_document(self, search_index, obj) -> dict:
        """The document Whoosh stores for `obj`, with its content hash.

        Raises SkipDocument when the index leaves `obj` out.
        """
        document = {
            key: self._from_python(value)
            for key, value in search_index.full_prepare(obj).items()
            # Document boosts are not supported since Whoosh 2.5.
            if key != "boost"
        }
        document[HASH_FIELD] = content_hash(document)
        return document

    @contextmanager
    def write_session(self) -> Iterator[WhooshWriteSession]:
        """A writer for one batch: committed once if the block ends normally,
        cancelled (nothing written) if it raises."""
        if not self.setup_complete:
            self.setup()
        writer = self._open_index().writer(timeout=WRITE_LOCK_SECONDS)
        session = WhooshWriteSession(self, writer)
        try:
            yield session
        except BaseException:
            writer.cancel()
            raise
        if session.changed:
            writer.commit()
        else:
            writer.cancel()

    def update(self, index, iterable, commit=True):
        try:
            with self.write_session() as session:
                session.index(index, iterable)
        except Exception:
            if not self.silently_fail:
                raise
            self.log.exception("Failed to update the Whoosh index")

    def remove(self, obj_or_string, commit=True):
        try:
            with self.write_session() as session:
                session.remove([get_identifier(obj_or_string)])
        except Exception:
            if not self.silently_fail:
                raise
            self.log.exception("Failed to remove a document from Whoosh")

    def clear(self, models=None, commit=True):
        if not self.setup_complete:
            self.setup()
        if models is None:
            self.index = self._recreate_index()
            return
        with self.write_session() as session:
            session.clear_models(models)

    def delete_index(self):
        self.index = self._recreate_index()

    def _open_index(self):
        try:
            return self.storage.open_index(schema=self.schema)
        except whoosh_index.EmptyIndexError:
            return self.storage.create_index(self.schema)

    def _recreate_index(self):
        """An empty index with the current schema, one generation on from the
        last (see the module's docstring), made under Whoosh's write lock."""
        if not self.use_file_storage:
            self.storage.clean()
            return self.storage.create_index(self.schema)
        name = whoosh_index._DEF_INDEX_NAME
        lock = self.storage.lock(f"{name}_WRITELOCK")
        if not try_for(lock.acquire, timeout=WRITE_LOCK_SECONDS):
            raise whoosh_index.LockError("The Whoosh index is locked by a writer")
        try:
            generation = whoosh_index.TOC._latest_generation(self.storage, name) + 1
            for filename in list(self.storage):
                if filename.startswith(f"_{name}_"):
                    self.storage.delete_file(filename)
            whoosh_index.TOC(self.schema, [], generation).write(self.storage, name)
        finally:
            lock.release()
        return self.storage.open_index(schema=self.schema)


def _schema_signature(schema) -> dict:
    """What a schema's fields are, in a form that compares equal after the
    schema is read back from disk (Whoosh's sort columns and packing structs
    have no equality of their own, so two equal schemas compare unequal)."""
    return {name: _comparable(schema[name]) for name in schema.names()}


def _comparable(value):
    if isinstance(value, struct.Struct):
        return ("struct", value.format)
    if isinstance(value, Column):
        return (type(value), _comparable(vars(value)))
    if isinstance(value, dict):
        return {key: _comparable(item) for key, item in value.items()}
    if isinstance(value, FieldType):
        return (type(value), _comparable(vars(value)))
    return value


def _allowed_documents(searcher, restriction):
    """The documents of `searcher` that `restriction` lets through (a Whoosh
    BitSet), or None for no restriction.

    Kept with the searcher, which always sees the same documents: the same
    person's audience filter is then worked out once, not on every query.
    """
    if restriction is None:
        return None
    cache = searcher.__dict__.setdefault("_crossgov_filters", OrderedDict())
    allowed = cache.get(restriction)
    if allowed is None:
        allowed = searcher._filter_to_comb(restriction)
        cache[restriction] = allowed
        if len(cache) > FILTERS_PER_SEARCHER:
            cache.popitem(last=False)
    else:
        cache.move_to_end(restriction)
    return allowed


class _Hits(list):
    """Stored fields of documents, in order, read by haystack's result
    building (`_process_results`) as it reads a page of Whoosh hits."""

    def score(self, offset: int) -> float:
        return 0.0


def _sort_order(sort_by) -> tuple[list[str] | None, bool]:
    """haystack's `order_by` as Whoosh wants it: field names and one direction."""
    if not sort_by:
        return None, False
    descending = [field.startswith("-") for field in sort_by]
    if any(descending) and not all(descending):
        raise SearchBackendError(
            "Whoosh requires all order_by fields to use the same sort direction"
        )
    return [field.lstrip("-") for field in sort_by], all(descending)


def _facet_groups(facets, date_facets, schema) -> tuple[list, dict[str, str]]:
    groups: list = []
    facet_types: dict[str, str] = {}
    for facet in facets or ():
        # A single-valued field counts from its column, which costs what the
        # results cost; allowing overlap reads every posting of the field on every
        # query (280 ms against 22 ms at 100k documents). Only multi-valued
        # fields need it.
        overlap = not isinstance(schema[facet], WHOOSH_ID)
        groups.append(FieldFacet(facet, allow_overlap=overlap, maptype=Count))
        facet_types[facet] = "fields"
    for name, spec in (date_facets or {}).items():
        gap = relativedelta(**{f"{spec['gap_by']}s": spec.get("gap_amount", 1)})
        groups.append(
            DateRangeFacet(
                name,
                _as_datetime(spec["start_date"]),
                _as_datetime(spec["end_date"]),
                gap,
                maptype=Count,
            )
        )
        facet_types[name] = "dates"
    return groups, facet_types


def _as_datetime(value):
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    raise ValueError(f"Not a date: {value!r}")


class CrossgovWhooshEngine(WhooshEngine):
    backend = CrossgovWhooshBackend
    query = WhooshSearchQuery
