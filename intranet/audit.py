"""Writing and verifying the audit log.

`audit_record` is the one function services call to put an access change on the
record. It runs inside the caller's transaction, so a change that rolls back leaves
no audit event behind, and an event is never missing for a change that committed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from intranet.models import AuditChainHead, AuditEvent

GENESIS_HASH = "0" * 64
CHAIN_HEAD_ID = 1


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str | int = "",
    target_label: str = "",
    space_id: int | None = None,
    details: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Append one event to the audit log and return it.

    `action` is a dotted name (`membership.grant`); `details` holds what changed,
    typically `{"before": …, "after": …}`. Pass `target` for a model instance, or the
    three `target_*` values for something that is not one.
    """
    if target is not None:
        target_type = target._meta.label_lower
        target_id = target.pk
        target_label = target_label or str(target)
    if not action or not target_type:
        raise ValueError("An audit event needs an action and a target.")
    # Round-trip through JSON now, so the stored value and the hashed value agree.
    details = json.loads(json.dumps(details or {}, cls=DjangoJSONEncoder))

    with transaction.atomic():
        head = _locked_head()
        event = AuditEvent(
            seq=head.last_seq + 1,
            occurred_at=timezone.now(),
            actor=actor if actor is not None and actor.pk else None,
            actor_label=_actor_label(actor),
            action=action,
            target_type=target_type,
            target_id=str(target_id),
            target_label=str(target_label)[:300],
            space_id=space_id,
            details=details,
            ip_address=ip_address or None,
            prev_hash=head.last_hash,
        )
        event.hash = event_hash(event)
        event.save()
        head.last_seq = event.seq
        head.last_hash = event.hash
        head.save(update_fields=["last_seq", "last_hash"])
    return event


def _locked_head() -> AuditChainHead:
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(
        pk=CHAIN_HEAD_ID, defaults={"last_seq": 0, "last_hash": GENESIS_HASH}
    )
    return head


def _actor_label(actor) -> str:
    if actor is None or not getattr(actor, "pk", None):
        return "system"
    return actor.get_username()


def event_hash(event: AuditEvent) -> str:
    """SHA-256 over the event's content and its predecessor's hash."""
    occurred_at = event.occurred_at.astimezone(UTC)
    content = {
        "seq": event.seq,
        "occurred_at": occurred_at.isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target_label": event.target_label,
        "space_id": event.space_id,
        "details": event.details,
        "ip_address": event.ip_address,
        "prev_hash": event.prev_hash,
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class ChainProblem:
    seq: int | None
    message: str

    def __str__(self) -> str:
        where = f"event #{self.seq}" if self.seq is not None else "chain head"
        return f"{where}: {self.message}"


def audit_verify(batch_size: int = 2000) -> Iterator[ChainProblem]:
    """Walk the whole chain in order and yield every break found.

    Finds edited events (hash mismatch), deleted or inserted ones (a seq gap or a
    predecessor hash that does not match) and events cut from the end (the chain head
    remembers the last seq and hash).
    """
    expected_prev = GENESIS_HASH
    expected_seq = 1
    events = AuditEvent.objects.order_by("seq")
    for event in events.iterator(chunk_size=batch_size):
        if event.seq != expected_seq:
            yield ChainProblem(
                event.seq, f"expected event #{expected_seq} here: events are missing"
            )
        if event.prev_hash != expected_prev:
            yield ChainProblem(
                event.seq, "does not follow its predecessor (prev_hash differs)"
            )
        if event_hash(event) != event.hash:
            yield ChainProblem(event.seq, "content was changed after it was written")
        expected_prev = event.hash
        expected_seq = event.seq + 1

    head = AuditChainHead.objects.filter(pk=CHAIN_HEAD_ID).first()
    last_seq = expected_seq - 1
    if head is None:
        if last_seq:
            yield ChainProblem(None, "is missing while events exist")
    elif head.last_seq != last_seq or head.last_hash != expected_prev:
        yield ChainProblem(
            None,
            f"records event #{head.last_seq} as the newest but the log ends at "
            f"#{last_seq}: events were removed or added outside audit_record",
        )
