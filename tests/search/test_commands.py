"""The index commands: rebuild_index, search_index_ensure, search_reconcile."""

import pytest
from django.core.management import CommandError, call_command
from whoosh import fields
from whoosh.index import create_in

from intranet.indexing import index_later
from profiles.models import Profile
from search.models import OutboxEntry
from search.selectors import search
from search.writer import drain, write_session, writer_lease
from spaces.models import Message
from spaces.search_indexes import MessageIndex
from tests.profiles.factories import ProfileFactory, UserFactory
from tests.search.corpus import space, thread
from tests.search.helpers import generation, indexed_pks, stored_document

pytestmark = pytest.mark.django_db


def rebuild(**options):
    call_command("rebuild_index", interactive=False, **options)


@pytest.fixture
def people():
    ada, grace = ProfileFactory(), ProfileFactory()
    leaver = ProfileFactory(user=UserFactory(is_active=False))
    return ada, grace, leaver


# rebuild_index -------------------------------------------------------------------


def test_rebuild_indexes_everyone_current_with_a_progress_bar(
    people, search_index_path, capsys
):
    ada, grace, leaver = people
    rebuild()

    assert indexed_pks(search_index_path) == {ada.pk, grace.pk}
    out, err = capsys.readouterr()
    assert "profiles.profile" in err  # the bar's label
    assert "2/2" in err
    assert "Indexed 2 documents in 'default'." in out


def test_rebuild_starts_from_an_empty_index(people, search_index_path):
    ada, grace, _ = people
    rebuild(verbosity=0)
    ada.delete()  # behind the outbox's back

    rebuild(verbosity=0)

    assert indexed_pks(search_index_path) == {grace.pk}


def test_rebuild_commits_a_batch_at_a_time(search_index_path):
    ProfileFactory.create_batch(5)
    rebuild(verbosity=0)
    before = generation(search_index_path)

    rebuild(verbosity=0, batchsize=2)

    # Emptying the index, then three batches.
    assert generation(search_index_path) == before + 1 + 3
    assert len(indexed_pks(search_index_path)) == 5


def test_rebuild_settles_the_work_queued_before_it(people, search_index_path):
    ada, _, _ = people
    index_later(ada)
    rebuild(verbosity=0)
    assert not OutboxEntry.objects.exists()


def test_rebuild_waits_for_no_other_writer_longer_than_told(people, search_index_path):
    with writer_lease(purpose="search drain"):
        with pytest.raises(CommandError, match="writer is busy: .*search drain on"):
            rebuild(verbosity=0, lock_timeout=0)
    assert indexed_pks(search_index_path) == set()


def test_rebuild_asks_first_unless_told_not_to(
    people, search_index_path, monkeypatch, capsys
):
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    call_command("rebuild_index")
    assert "No action taken." in capsys.readouterr().out
    assert indexed_pks(search_index_path) == set()

    monkeypatch.setattr("builtins.input", lambda prompt: "y")
    call_command("rebuild_index", verbosity=0)
    assert len(indexed_pks(search_index_path)) == 2

    call_command("rebuild_index", "--noinput", verbosity=0)
    assert len(indexed_pks(search_index_path)) == 2


# search_index_ensure -------------------------------------------------------------


def test_ensure_rebuilds_an_index_built_with_another_schema(
    people, search_index_path, capsys
):
    search_index_path.mkdir()
    create_in(str(search_index_path), fields.Schema(id=fields.ID(stored=True)))

    call_command("search_index_ensure", verbosity=0)

    assert "older schema: rebuilding it" in capsys.readouterr().out
    assert len(indexed_pks(search_index_path)) == 2
    call_command("search_index_ensure", verbosity=0)
    assert "Search index present." in capsys.readouterr().out


def test_ensure_rebuilds_an_index_whose_messages_have_the_old_kind(
    people, search_index_path, capsys, monkeypatch
):
    owner = people[0].user
    started = thread(space(owner, "Estates", "estates"), owner, "Heat pumps")
    opening = Message.objects.get(thread=started)
    # Indexed as before messages were their own kind: "posts", now blog posts'.
    with monkeypatch.context() as older:
        older.setattr(MessageIndex, "document_kind", "posts")
        rebuild(verbosity=0)
    assert stored_document(search_index_path, opening)["kind"] == "posts"

    call_command("search_index_ensure", verbosity=0)

    assert "older kind: rebuilding it" in capsys.readouterr().out
    assert stored_document(search_index_path, opening)["kind"] == "messages"
    found = search(user=owner, query="talk kind:messages")
    assert [(r.model, r.pk) for r in found] == [(Message, str(opening.pk))]
    assert list(search(user=owner, query="talk kind:posts")) == []
    call_command("search_index_ensure", verbosity=0)
    assert "Search index present." in capsys.readouterr().out


# search_reconcile ----------------------------------------------------------------


def reconcile(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("search_reconcile", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def out_of_line(people, search_index_path):
    """An index that disagrees with the database in every way the outbox could
    have missed: changes made behind the services' backs."""
    ada, grace, leaver = people
    rebuild(verbosity=0)
    missing = ProfileFactory()
    Profile.objects.filter(pk=ada.pk).update(job_title="Chief Analyst")
    Profile.objects.filter(pk=grace.pk).delete()
    gone_user = ProfileFactory()
    index_later(gone_user)
    drain()
    type(gone_user.user).objects.filter(pk=gone_user.user_id).update(is_active=False)
    return {"missing": missing, "stale": ada, "deleted": grace, "left": gone_user}


def test_reconcile_dry_run_counts_and_changes_nothing(out_of_line, search_index_path):
    before = indexed_pks(search_index_path)

    output = reconcile("--dry-run")

    assert "profiles.profile: 1 missing, 1 stale, 2 orphaned" in output
    assert "Total: 1 missing, 1 stale, 2 orphaned." in output
    assert "Dry run: nothing changed." in output
    assert indexed_pks(search_index_path) == before
    assert not OutboxEntry.objects.exists()


def test_reconcile_fixes_missing_stale_and_orphaned_documents(
    out_of_line, search_index_path
):
    output = reconcile()

    assert "Queued 4 for the index writer" in output
    assert indexed_pks(search_index_path) == {
        out_of_line["missing"].pk,
        out_of_line["stale"].pk,
    }
    stale = stored_document(search_index_path, out_of_line["stale"])
    assert stale["job_title"] == "Chief Analyst"
    assert not OutboxEntry.objects.exists()
    assert "Total: 0 missing, 0 stale, 0 orphaned." in reconcile()


def test_reconcile_removes_documents_of_a_model_nothing_indexes(
    people, search_index_path
):
    rebuild(verbosity=0)
    with write_session() as session:
        session._writer.add_document(
            id="profiles.department.1", django_ct="profiles.department", django_id="1"
        )
        session.changed = True

    assert "profiles.department: 0 missing, 0 stale, 1 orphaned" in reconcile()

    assert indexed_pks(search_index_path, "profiles.department") == set()
    assert len(indexed_pks(search_index_path)) == 2


def test_reconcile_leaves_a_current_index_alone(people, search_index_path):
    rebuild(verbosity=0)
    before = generation(search_index_path)
    assert "Total: 0 missing, 0 stale, 0 orphaned." in reconcile()
    assert generation(search_index_path) == before
