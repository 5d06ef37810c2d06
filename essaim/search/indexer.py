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
RETENTION_DAYS = 7


def index_apply_pending(*, wait: float = 30.0, path: Path | None = None) -> int:
    """Applies every outbox row this node has not applied yet, in order; returns how many rows it applied."""
    handle = get_index(path)
    applied = 0
    while True:
        with handle.write_lock:
            last = handle.read_state().get("last_outbox_id", 0)
            rows = list(SearchOutbox.objects.after(last).values_list("id", "model", "object_id")[:APPLY_BATCH])
            if not rows:
                return applied
            ids = sorted({object_id for _, model, object_id in rows if model == STRUCTURE})
            with handle.writer(wait=wait, heap=50_000_000, threads=1) as writer:
                for pk in ids:  # changed, unpublished or deleted: out of the index, back in if published
                    writer.delete_documents_by_term("id", pk)
                for found, labels, sectors in published_batches(ids=ids):
                    context = load_context({row[6] for row in found if row[6]})
                    for document in documents_json(found, labels, sectors, context):
                        writer.add_json(document)
            handle.write_state(last_outbox_id=rows[-1][0])
            applied += len(rows)


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
