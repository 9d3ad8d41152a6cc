"""Finding where the index and the database disagree (`manage.py search_reconcile`).

Three kinds of disagreement:

- missing: an object its search index wants has no document;
- stale: its document differs from what would be indexed now (the stored content
  hash, `search.backend.HASH_FIELD`, is not the hash of the document prepared
  afresh; a document from before hashes were stored counts as stale too);
- orphaned: a document for an object that is gone, that its index no longer
  wants (a leaver), or of a model nothing indexes any more.

Fixing goes through the one writer: missing, stale and orphaned objects of
indexed models are queued in the outbox (the writer indexes or removes each as
the database says), and orphans of models without an index, which the outbox
cannot name, are removed directly under the writer lease.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.db import transaction
from haystack import connections
from haystack.constants import DEFAULT_ALIAS
from haystack.exceptions import NotHandled, SkipDocument
from haystack.utils import get_identifier, get_model_ct

from search.backend import HASH_FIELD
from search.outbox import index_ids_later
from search.rebuild import BATCH_SIZE, in_batches
from search.writer import remove_documents


@dataclass
class Findings:
    # Primary keys per model label ("app.model").
    missing: dict[str, list] = field(default_factory=lambda: defaultdict(list))
    stale: dict[str, list] = field(default_factory=lambda: defaultdict(list))
    # Identifiers ("app.model.pk") per model label.
    orphaned: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    @property
    def total(self) -> int:
        return sum(
            len(items)
            for kind in (self.missing, self.stale, self.orphaned)
            for items in kind.values()
        )

    def counts(self) -> dict[str, dict[str, int]]:
        """{model label: {"missing": n, "stale": n, "orphaned": n}}."""
        labels = sorted({*self.missing, *self.stale, *self.orphaned})
        return {
            label: {
                "missing": len(self.missing.get(label, ())),
                "stale": len(self.stale.get(label, ())),
                "orphaned": len(self.orphaned.get(label, ())),
            }
            for label in labels
        }


def find_discrepancies(
    *, using: str = DEFAULT_ALIAS, batch_size: int = BATCH_SIZE
) -> Findings:
    """Compare every document in the index with the database."""
    backend = connections[using].get_backend()
    if not hasattr(backend, "document_hashes"):
        raise NotImplementedError(
            "Reconciling reads the Whoosh index directly; this backend is not Whoosh"
        )
    stored = backend.document_hashes()
    findings = Findings()
    unified = connections[using].get_unified_index()
    for model, search_index in unified.get_indexes().items():
        label = get_model_ct(model)
        for batch in in_batches(search_index.index_queryset(using=using), batch_size):
            for obj in batch:
                try:
                    document = backend.prepare_document(search_index, obj)
                except SkipDocument:
                    continue  # not wanted: a stored document is an orphan
                identifier = get_identifier(obj)
                if identifier not in stored:
                    findings.missing[label].append(obj.pk)
                elif stored.pop(identifier) != document[HASH_FIELD]:
                    findings.stale[label].append(obj.pk)
    for identifier in stored:
        label, _, _ = identifier.rpartition(".")
        findings.orphaned[label].append(identifier)
    return findings


def fix(findings: Findings, *, using: str = DEFAULT_ALIAS) -> int:
    """Queue every finding for the writer; remove orphans no index can reach.

    Returns how many objects were queued.
    """
    unified = connections[using].get_unified_index()
    queued = 0
    unreachable = []
    with transaction.atomic():
        for label in sorted({*findings.missing, *findings.stale, *findings.orphaned}):
            model = _indexed_model(label, unified)
            orphans = findings.orphaned.get(label, [])
            if model is None:
                unreachable.extend(orphans)
                continue
            pks = [
                *findings.missing.get(label, ()),
                *findings.stale.get(label, ()),
                *(identifier.rpartition(".")[2] for identifier in orphans),
            ]
            index_ids_later(model, pks)
            queued += len(pks)
    if unreachable:
        remove_documents(unreachable, using=using)
    return queued


def _indexed_model(label: str, unified):
    app_label, _, model_name = label.partition(".")
    try:
        model = apps.get_model(app_label, model_name)
        unified.get_index(model)
    except (LookupError, NotHandled):
        return None
    return model
