"""Applying the outbox to the index, and rebuilding the index from the database.

Applying a row re-reads the record from the database, so applying it twice is harmless: the outbox tells *which*
records changed, the database tells *what* they are now.
"""

import datetime
import logging
import os
import time
from pathlib import Path

from django.db import connection
from django.utils import timezone

from essaim.core.models import SearchOutbox
from essaim.search.build import documents_json
from essaim.search.documents import load_context, published_batches
from essaim.search.index import IndexBusy, get_index

logger = logging.getLogger("essaim.search")

STRUCTURE = "directory.structure"
APPLY_BATCH = 5000
GAP_WAIT_S = 60.0  # how long an outbox id missing below the last one read is looked for (docs/operations.md)
GAP_MAX = 1000
RETENTION_DAYS = 7


def index_apply_pending(*, wait: float = 30.0, path: Path | None = None) -> int:
    """Applies every outbox row this node has not applied yet, in order; returns how many rows it applied.

    On PostgreSQL two transactions may take outbox ids 7 and 8 and commit 8 first: a node that reads 8 and moves
    on would never see 7. So the ids missing below the last one read are kept as *gaps* in the index's state and
    looked for again at each run, until they appear (applied then) or for ``GAP_WAIT_S`` seconds (a rolled-back
    transaction leaves its id unused forever)."""
    handle = get_index(path)
    applied = 0
    while True:
        with handle.write_lock:
            state = handle.read_state()
            last = state.get("last_outbox_id", 0)
            now = time.time()
            gaps = {int(key): seen for key, seen in state.get("outbox_gaps", {}).items() if now - seen < GAP_WAIT_S}
            fields = ("id", "model", "object_id")
            rows = list(SearchOutbox.objects.after(last).values_list(*fields)[:APPLY_BATCH])
            late = list(SearchOutbox.objects.filter(id__in=list(gaps)).values_list(*fields)) if gaps else []
            for row in late:
                gaps.pop(row[0])
            gaps |= _gaps_before(last, [row[0] for row in rows], now)
            if rows or late:
                _apply(handle, rows + late, wait)
            if rows or late or gaps.keys() != state.get("outbox_gaps", {}).keys():
                handle.write_state(last_outbox_id=rows[-1][0] if rows else last, outbox_gaps=gaps)
            applied += len(rows) + len(late)
            if len(rows) < APPLY_BATCH:
                return applied


def _gaps_before(last: int, ids: list[int], now: float) -> dict[int, float]:
    """The ids missing between ``last`` and the ids just read (at most ``GAP_MAX`` of the highest: further down
    they are rows pruned long ago, or a node that starts from zero)."""
    missing = []
    expected = last + 1
    for found in ids:
        missing.extend(range(max(expected, found - GAP_MAX), found))
        expected = found + 1
    return {gap: now for gap in missing[-GAP_MAX:]}


def _apply(handle, rows, wait: float) -> None:
    ids = sorted({object_id for _, model, object_id in rows if model == STRUCTURE})
    with handle.writer(wait=wait, heap=50_000_000, threads=1) as writer:
        for pk in ids:  # changed, unpublished or deleted: out of the index, back in if published
            writer.delete_documents_by_term("id", pk)
        for found, labels, sectors in published_batches(ids=ids):
            context = load_context({row[6] for row in found if row[6]})
            for document in documents_json(found, labels, sectors, context):
                writer.add_json(document)


def apply_after_commit() -> None:
    """The outbox listener: called right after a commit that wrote outbox rows. Never breaks the request that
    made the change; whatever could not be applied now is applied by the next change or ``index_sync``."""
    try:
        index_apply_pending(wait=5.0)
    except IndexBusy:
        logger.info("Index busy: the outbox rows wait for the next run.")
    except Exception:
        logger.exception("Applying the search outbox failed; `essaim index_sync` will retry.")


def reindex(*, batch_size: int = 20000, progress=None, threads: int = 0, path: Path | None = None) -> int:
    """Rebuilds the whole index from the database in one commit (readers keep the old index until then).

    This thread reads the rows and turns them into JSON documents, tantivy's indexing threads (one per core by
    default) analyse them, each into one segment up to about a million structures. With ``threads=1`` the index
    is a single segment, which searches read about 10 % faster, but the rebuild takes longer on two cores
    (docs/directory-performance.md).

    The outbox position is taken *before* reading, so changes made during the rebuild are replayed after it.
    ``path``: another directory than the configured one (a rebuild in the background keeps the one it started on)."""
    handle = get_index(path)
    last_outbox = SearchOutbox.objects.order_by("-id").values_list("id", flat=True).first() or 0
    context = load_context()
    total = 0
    started = time.monotonic()
    with handle.write_lock:
        heap = WRITER_HEAP_PER_THREAD * (threads or min(os.cpu_count() or 1, 8))
        with handle.writer(heap=heap, threads=threads, wait=60.0) as writer:
            writer.delete_all_documents()
            for rows, labels, sectors in published_batches(batch_size=batch_size):
                for document in documents_json(rows, labels, sectors, context):
                    writer.add_json(document)
                total += len(rows)
                if progress:
                    progress(total, time.monotonic() - started)
        handle.write_state(last_outbox_id=last_outbox, rebuilt_at=timezone.now().isoformat())
    index_apply_pending(path=path)
    return total


# A budget, taken as documents come: about 800 MB hold a million structures before the segment is written.
WRITER_HEAP_PER_THREAD = 1_000_000_000


def outbox_prune(*, days: int = RETENTION_DAYS) -> int:
    """Deletes outbox rows older than the retention: a node further behind than that rebuilds with reindex."""
    limit = timezone.now() - datetime.timedelta(days=days)
    deleted, _ = SearchOutbox.objects.filter(created_at__lt=limit).delete()
    return deleted


def index_status() -> dict:
    handle = get_index()
    state = handle.read_state()
    pending = SearchOutbox.objects.after(state.get("last_outbox_id", 0)).count()
    searcher = handle.searcher()
    return {
        "path": str(handle.path),
        "documents": searcher.num_docs,
        "last_outbox_id": state.get("last_outbox_id", 0),
        "pending": pending,
        "database": connection.vendor,
    }
