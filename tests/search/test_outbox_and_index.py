"""The index follows the database through the outbox: written in the same transaction, applied after commit,
replayed by index_sync after a crash, rebuilt by reindex; one writer at a time."""

import io

import pytest
import tantivy
from django.core.management import call_command
from django.db import transaction

from essaim.core.models import SEARCH_OUTBOX_LISTENERS, SearchOutbox
from essaim.directory import services
from essaim.search.index import IndexBusy, get_index
from essaim.search.indexer import apply_after_commit, index_apply_pending, outbox_prune
from essaim.search.query import StructureSearch, search_structures
from tests.accounts.factories import UserFactory
from tests.directory.factories import StructureFactory
from tests.territories.factories import CommuneFactory

pytestmark = pytest.mark.django_db


def found(q):
    return search_structures(StructureSearch(q=q)).ids


def test_the_search_app_listens_to_the_outbox():
    assert apply_after_commit in SEARCH_OUTBOX_LISTENERS


def test_a_change_writes_an_outbox_row_in_its_transaction_and_is_searchable_after_commit(
    django_capture_on_commit_callbacks,
):
    officer = UserFactory(network_admin=True)
    structure = StructureFactory(name="Recyclerie des Alouettes", pending=True)
    assert found("recyclerie") == []
    with django_capture_on_commit_callbacks(execute=True):
        services.structure_publish(structure=structure, by=officer)
        assert SearchOutbox.objects.filter(object_id=structure.pk).exists()
    assert found("recyclerie") == [structure.pk]
    with django_capture_on_commit_callbacks(execute=True):
        services.structure_archive(structure=structure, by=officer)
    assert found("recyclerie") == []


def test_a_rolled_back_change_leaves_no_outbox_row():
    officer = UserFactory(network_admin=True)
    structure = StructureFactory(pending=True)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.structure_publish(structure=structure, by=officer)
        raise RuntimeError("crash before commit")
    assert not SearchOutbox.objects.exists()
    structure.refresh_from_db()
    assert structure.status == "pending"


def test_a_crash_between_commit_and_indexing_loses_nothing(django_capture_on_commit_callbacks):
    """The commit happened, the indexer never ran (process killed): index_sync replays the outbox."""
    officer = UserFactory(network_admin=True)
    structure = StructureFactory(name="Garage solidaire", pending=True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.structure_publish(structure=structure, by=officer)
    assert callbacks  # the indexer was scheduled after commit, and we drop it
    assert found("garage") == []
    call_command("index_sync", stdout=io.StringIO())
    assert found("garage") == [structure.pk]
    assert index_apply_pending() == 0  # nothing left; applying again is harmless
    assert found("garage") == [structure.pk]


def test_applying_a_row_rereads_the_database():
    structure = StructureFactory(name="Ancien nom")
    SearchOutbox.objects.create(model="directory.structure", object_id=structure.pk)
    SearchOutbox.objects.create(model="directory.structure", object_id=structure.pk)
    type(structure).objects.filter(pk=structure.pk).update(name="Nouveau nom")
    assert index_apply_pending() == 2
    assert found("nouveau") == [structure.pk] and found("ancien") == []
    type(structure).objects.filter(pk=structure.pk).delete()
    SearchOutbox.objects.create(model="directory.structure", object_id=structure.pk, action="delete")
    index_apply_pending()
    assert found("nouveau") == []


def test_reindex_rebuilds_everything(search_index):
    StructureFactory(name="Fab lab des mines", commune=CommuneFactory())
    StructureFactory(name="Brouillon", pending=True)
    call_command("reindex", "--no-progress", stdout=io.StringIO())
    assert len(found("fab lab")) == 1
    assert get_index().searcher().num_docs == 1
    call_command("reindex", "--drop", "--no-progress", stdout=io.StringIO())
    assert len(found("fab lab")) == 1


def test_one_writer_at_a_time_others_retry_then_give_up(search_index):
    handle = get_index()
    other = tantivy.Index.open(str(search_index))  # another process, as far as tantivy's lock file knows
    writer = other.writer(15_000_000, 1)
    try:
        with pytest.raises(IndexBusy):
            with handle.writer(wait=0.3):
                pass
    finally:
        writer.rollback()
        del writer
    with handle.writer(wait=2) as again:
        again.delete_all_documents()


def test_old_outbox_rows_are_pruned():
    SearchOutbox.objects.create(model="directory.structure", object_id=1)
    SearchOutbox.objects.update(created_at="2000-01-01T00:00:00Z")
    assert outbox_prune() == 1


def test_bulk_writers_apply_the_outbox_once_at_the_end(django_capture_on_commit_callbacks):
    from essaim.core.models import search_outbox_add, search_outbox_deferred

    with django_capture_on_commit_callbacks() as callbacks:
        with search_outbox_deferred():
            for pk in range(5):
                search_outbox_add(model="directory.structure", ids=[pk + 1])
    assert len(callbacks) == 1 and SearchOutbox.objects.count() == 5


def test_an_outbox_row_committed_after_a_later_one_is_applied_all_the_same(monkeypatch):
    """PostgreSQL: two transactions take ids n and n+1, n+1 commits first and a node reads it. The missing n is
    kept as a gap and looked for at each run, so the late commit is applied; a gap never filled (a rolled-back
    transaction) is forgotten after GAP_WAIT_S."""
    from essaim.search import indexer

    late, early = StructureFactory(name="Epicerie lente"), StructureFactory(name="Garage rapide")
    reserved = SearchOutbox.objects.create(model="directory.structure", object_id=late.pk)
    SearchOutbox.objects.create(model="directory.structure", object_id=early.pk)
    reserved_id = reserved.pk
    reserved.delete()  # not committed yet, for the node
    get_index().write_state(last_outbox_id=reserved_id - 1)  # the node saw everything before (PostgreSQL's ids go on)
    assert index_apply_pending() == 1
    assert found("garage") == [early.pk] and found("epicerie") == []
    state = get_index().read_state()
    assert list(state["outbox_gaps"]) == [str(reserved_id)]
    SearchOutbox.objects.create(id=reserved_id, model="directory.structure", object_id=late.pk)  # the late commit
    assert index_apply_pending() == 1
    assert found("epicerie") == [late.pk]
    assert get_index().read_state()["outbox_gaps"] == {}
    assert index_apply_pending() == 0

    forgotten = SearchOutbox.objects.create(model="directory.structure", object_id=late.pk)
    SearchOutbox.objects.create(model="directory.structure", object_id=early.pk)
    forgotten_id = forgotten.pk
    forgotten.delete()  # rolled back: its id stays unused
    index_apply_pending()
    assert list(get_index().read_state()["outbox_gaps"]) == [str(forgotten_id)]
    later = indexer.time.time() + indexer.GAP_WAIT_S + 1
    monkeypatch.setattr(indexer.time, "time", lambda: later)
    assert index_apply_pending() == 0
    assert get_index().read_state()["outbox_gaps"] == {}


def test_a_node_starting_far_behind_keeps_only_the_nearest_gaps():
    from essaim.search.indexer import GAP_MAX, _gaps_before

    gaps = _gaps_before(0, [5_000_000, 5_000_003], now=1.0)
    assert len(gaps) == GAP_MAX
    assert {5_000_001, 5_000_002, 4_999_999} <= gaps.keys() and 3_000_000 not in gaps


def test_index_sync_in_a_loop_waits_for_a_database_that_went_away(monkeypatch, caplog):
    """The primary restarts: the loop logs it and tries again instead of dying; without --loop the error stops it."""
    from django.db import OperationalError

    from essaim.search.management.commands import index_sync

    calls = []

    def apply():
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        if len(calls) == 3:
            raise SystemExit(0)  # ends the loop for the test
        return 2

    monkeypatch.setattr(index_sync, "index_apply_pending", apply)
    monkeypatch.setattr(index_sync.time, "sleep", lambda seconds: None)
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("index_sync", "--loop", stdout=out)
    assert len(calls) == 3
    assert "2 changement(s) appliqué(s)." in out.getvalue()
    assert "database unavailable (OperationalError)" in caplog.text
    calls.clear()
    with pytest.raises(OperationalError):
        call_command("index_sync", stdout=io.StringIO())
