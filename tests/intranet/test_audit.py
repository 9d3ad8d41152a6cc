import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction

from intranet.audit import GENESIS_HASH, audit_record, audit_verify
from intranet.models import AuditChainHead, AuditError, AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def it_admin(django_user_model):
    return django_user_model.objects.create_user("it.admin", password="x")


@pytest.fixture
def events(it_admin):
    return [
        audit_record(
            actor=it_admin,
            action="membership.grant",
            target=it_admin,
            space_id=7,
            details={"before": None, "after": f"member-{i}"},
            ip_address="10.1.2.3",
        )
        for i in range(3)
    ]


def tamper(sql, params=()):
    """Run raw SQL with the append-only triggers out of the way, as an attacker
    with database access could; the test's transaction puts them back."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        else:
            cursor.execute("DROP TRIGGER audit_no_update")
            cursor.execute("DROP TRIGGER audit_no_delete")
        cursor.execute(sql, params)


def test_record_chains_each_event_to_the_one_before(events, it_admin):
    first, second, third = events
    assert [e.seq for e in events] == [1, 2, 3]
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    stored = AuditEvent.objects.get(seq=1)
    assert stored.actor == it_admin
    assert stored.actor_label == "it.admin"
    assert stored.target_type == "profiles.user"
    assert stored.target_id == str(it_admin.pk)
    assert stored.space_id == 7
    assert stored.details == {"before": None, "after": "member-0"}
    assert stored.ip_address == "10.1.2.3"
    assert stored.occurred_at.utcoffset().total_seconds() == 0
    head = AuditChainHead.objects.get()
    assert (head.last_seq, head.last_hash) == (3, third.hash)


def test_intact_chain_verifies(events):
    assert list(audit_verify()) == []


def test_system_actor_and_non_model_target():
    event = audit_record(
        actor=None,
        action="import.run",
        target_type="import",
        target_id="2026-11-24",
        target_label="Nightly HR import",
    )
    assert event.actor is None
    assert event.actor_label == "system"
    assert list(audit_verify()) == []


def test_event_needs_an_action_and_a_target():
    with pytest.raises(ValueError):
        audit_record(actor=None, action="", target_type="x")
    with pytest.raises(ValueError):
        audit_record(actor=None, action="x.y")
    assert not AuditEvent.objects.exists()


def test_rolled_back_change_leaves_no_event(it_admin):
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=it_admin, action="role.change", target=it_admin)
        raise RuntimeError("the change failed")
    assert not AuditEvent.objects.exists()
    assert list(audit_verify()) == []


def test_model_refuses_change_and_delete(events):
    event = AuditEvent.objects.get(seq=2)
    event.action = "membership.revoke"
    with pytest.raises(AuditError):
        event.save()
    with pytest.raises(AuditError):
        event.delete()


def test_database_refuses_raw_update_and_delete(events):
    for sql in (
        "UPDATE intranet_auditevent SET action = 'x' WHERE seq = 2",
        "DELETE FROM intranet_auditevent WHERE seq = 2",
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql)
    assert AuditEvent.objects.count() == 3


def test_edited_event_is_detected(events):
    tamper(
        "UPDATE intranet_auditevent SET details = %s WHERE seq = 2",
        ['{"before": null, "after": "owner"}'],
    )
    problems = list(audit_verify())
    assert [(p.seq, p.message) for p in problems] == [
        (2, "content was changed after it was written")
    ]


def test_edited_event_with_recomputed_hash_breaks_the_next_link(events):
    tamper("UPDATE intranet_auditevent SET hash = %s WHERE seq = 2", ["f" * 64])
    problems = {(p.seq, p.message) for p in audit_verify()}
    assert (2, "content was changed after it was written") in problems
    assert (3, "does not follow its predecessor (prev_hash differs)") in problems


def test_deleted_event_is_detected(events):
    tamper("DELETE FROM intranet_auditevent WHERE seq = 2")
    problems = [str(p) for p in audit_verify()]
    assert "event #3: expected event #2 here: events are missing" in problems
    assert "event #3: does not follow its predecessor (prev_hash differs)" in problems


def test_truncated_tail_is_detected(events):
    tamper("DELETE FROM intranet_auditevent WHERE seq = 3")
    problems = [str(p) for p in audit_verify()]
    assert len(problems) == 1
    assert problems[0].startswith("chain head: records event #3 as the newest")


def test_audit_verify_command(events, capsys):
    call_command("audit_verify")
    assert "3 events, chain intact" in capsys.readouterr().out

    tamper("UPDATE intranet_auditevent SET actor_label = 'someone' WHERE seq = 1")
    with pytest.raises(CommandError, match="1 problem"):
        call_command("audit_verify")
    assert "event #1: content was changed" in capsys.readouterr().err


def test_admin_shows_the_log_read_only(events, admin_client):
    listing = admin_client.get("/admin/intranet/auditevent/")
    assert listing.status_code == 200
    assert b"membership.grant" in listing.content
    assert admin_client.get("/admin/intranet/auditevent/add/").status_code == 403
    event = AuditEvent.objects.get(seq=1)
    delete = admin_client.post(f"/admin/intranet/auditevent/{event.pk}/delete/")
    assert delete.status_code == 403
    assert AuditEvent.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_unbroken_chain(django_user_model):
    if connection.vendor != "postgresql":
        pytest.skip("needs a server database: SQLite serialises writers already")
    actor = django_user_model.objects.create_user("writer")
    errors = []
    start = threading.Barrier(4)

    def write_events():
        try:
            start.wait()
            for _ in range(10):
                audit_record(actor=actor, action="role.change", target=actor)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write_events) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditEvent.objects.count() == 40
    assert list(audit_verify()) == []
