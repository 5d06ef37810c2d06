"""A missing, corrupt or empty search index: detected, logged and rebuilt in the background.

The index is derived from the database, so a damaged one is never repaired: it is deleted and rebuilt. Detection
happens when the index is opened (tantivy refuses a corrupt ``meta.json`` or a missing segment file), while it is
used (a damaged segment fails or panics when read) and when it holds no document while the database has published
structures although it held data before (a deleted or emptied directory: a marker file beside the directory says
that a commit happened there; an index that never received anything, on a new node, is not rebuilt by itself:
``essaim reindex`` builds it, and ``/health`` shows it out of step meanwhile).

Meanwhile :class:`IndexUnavailable` tells the callers: the HTML directory lists from the database instead
(``essaim.search.fallback``), the API answers 503 with ``Retry-After``.

One rebuild at a time: a thread of the process that noticed first, holding an exclusive lock on a file beside the
index directory (``<index>.rebuild.lock``), so another process that notices too sees the lock and waits for it.
"""

import fcntl
import functools
import logging
import threading
import time
from pathlib import Path

from django.db import connection

from essaim.core.faults import TemporarilyUnavailable

logger = logging.getLogger("essaim.search")

ROWS_CHECK_EVERY_S = 5.0  # an empty index asks the database whether it has structures at most this often
RETRY_REBUILD_AFTER_S = 30.0  # a rebuild that failed is tried again at most this often

_lock = threading.Lock()
_threads: dict[str, threading.Thread] = {}  # index directory → its running rebuild in this process
_rows_checked: dict[str, tuple[float, bool]] = {}  # index directory → (when, the database had structures)
_failed_at: dict[str, float] = {}  # index directory → when its last rebuild failed


class IndexUnavailable(TemporarilyUnavailable):
    """The search index is missing, damaged or empty while the database has structures: it is being rebuilt."""

    message = "L'annuaire est en cours de réindexation : la recherche revient dans une minute."
    retry_after = 60


def is_index_failure(exc: BaseException) -> bool:
    """Whether tantivy failed because of its files (corrupt, missing, truncated), not because of a query.

    A damaged segment makes tantivy's Rust code panic: pyo3 raises ``PanicException``, a ``BaseException``."""
    if type(exc).__name__ == "PanicException":
        return True
    if isinstance(exc, OSError):
        return True
    text = str(exc)
    return isinstance(exc, ValueError) and any(
        marker in text for marker in ("corrupt", "Failed to open", "FileDoesNotExist", "IoError", "cannot be")
    )


def built_marker(path: Path) -> Path:
    """A file beside the index directory, written at the first commit of each opened index: an index that held
    data here and is now empty or gone was lost, unlike an index that never received anything."""
    return path.parent / f"{path.name}.built"


def mark_built(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    built_marker(path).touch()


def lock_path(path: Path) -> Path:
    """The rebuild's lock file: beside the index directory, which the rebuild deletes."""
    return path.parent / f"{path.name}.rebuild.lock"


def rebuilding(path: Path) -> bool:
    """Whether a rebuild of ``path`` runs in this process (a live thread) or in another one (the lock is held)."""
    thread = _threads.get(str(path))
    if thread is not None and thread.is_alive():
        return True
    try:
        with open(lock_path(path), "a") as lock_file:
            try:
                fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(lock_file, fcntl.LOCK_UN)
    except OSError:
        return False
    return False


def start_rebuild(path: Path, reason: str) -> bool:
    """Starts rebuilding ``path`` in a background thread unless a rebuild already runs (here or in another
    process); returns whether this call started one."""
    key = str(path)
    with _lock:
        thread = _threads.get(key)
        if thread is not None and thread.is_alive():
            return False
        if time.monotonic() - _failed_at.get(key, -RETRY_REBUILD_AFTER_S) < RETRY_REBUILD_AFTER_S:
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        lock_file = open(lock_path(path), "a")  # noqa: SIM115 -- held by the thread until the rebuild ends
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock_file.close()
            logger.info("Search index %s: another process is rebuilding it.", path)
            return False
        logger.error("Search index %s %s: rebuilding it in the background from the database.", path, reason)
        thread = threading.Thread(target=_rebuild, args=(path, lock_file), name="essaim-index-rebuild", daemon=True)
        _threads[key] = thread
        thread.start()
        return True


def _rebuild(path: Path, lock_file) -> None:
    from essaim.search.index import drop_index
    from essaim.search.indexer import reindex

    started = time.monotonic()
    try:
        drop_index(path)
        total = reindex(path=path)
        logger.warning("Search index %s rebuilt: %d structures in %.1f s.", path, total, time.monotonic() - started)
    except Exception:
        _failed_at[str(path)] = time.monotonic()
        logger.exception("Rebuilding the search index %s failed; `essaim reindex` rebuilds it by hand.", path)
    finally:
        _rows_checked.pop(str(path), None)
        connection.close()  # this thread's own connection
        fcntl.flock(lock_file, fcntl.LOCK_UN)
        lock_file.close()


def wait_for_rebuild(path: Path, timeout: float = 60.0) -> bool:
    """Waits for this process's rebuild of ``path`` to end (tests, commands); returns whether it ended."""
    thread = _threads.get(str(path))
    if thread is not None:
        thread.join(timeout)
        return not thread.is_alive()
    return True


def check_at_start() -> None:
    """Logs, when the process starts, an index directory that is missing or that tantivy cannot open (without the
    database, not ready yet: the first search decides whether to rebuild)."""
    import tantivy

    from essaim.search.index import index_dir

    path = index_dir()
    if not (path / "meta.json").exists():
        logger.info("Search index %s missing: rebuilt at the first search if the database has structures.", path)
        return
    try:
        tantivy.Index.open(str(path))
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # never stops the process from starting: the index is disposable
        logger.error("Search index %s cannot be opened (%s): rebuilt at the first search.", path, exc)


def database_has_structures(path: Path) -> bool:
    """Whether the database has published structures, asked at most every few seconds per index."""
    from essaim.directory.models import Structure

    key = str(path)
    checked = _rows_checked.get(key)
    now = time.monotonic()
    if checked is None or now - checked[0] > ROWS_CHECK_EVERY_S:
        checked = _rows_checked[key] = (now, Structure.objects.published().exists())
    return checked[1]


def lost(path: Path) -> bool:
    """Whether an empty index at ``path`` held data once and the database has published structures to put back."""
    return built_marker(path).exists() and database_has_structures(path)


def forget() -> None:
    """Forgets the cached database answers and failed rebuilds (tests)."""
    _rows_checked.clear()
    _failed_at.clear()


def usable_searcher(handle):
    """The handle's searcher, or :class:`IndexUnavailable` (and a rebuild started) when the index cannot answer
    for the database: being rebuilt by this process, or empty while the database has published structures."""
    thread = _threads.get(str(handle.path))
    if thread is not None and thread.is_alive():
        raise IndexUnavailable()
    searcher = handle.searcher()
    if searcher.num_docs == 0 and lost(handle.path):
        start_rebuild(handle.path, "is empty while the database has published structures")
        raise IndexUnavailable()
    return searcher


def guarded(func):
    """Runs a search; when the index's files fail it, starts the rebuild and raises :class:`IndexUnavailable`."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except IndexUnavailable:
            raise
        except BaseException as exc:
            if not is_index_failure(exc):
                raise
            from essaim.search.index import index_dir

            path = index_dir().resolve()
            logger.error("Search index %s unreadable: %s", path, exc)
            start_rebuild(path, "is damaged")
            raise IndexUnavailable() from exc

    return wrapper
