"""Opening the index on disk, the single writer (lock, retry) and fresh readers.

The index lives in ``settings.ESSAIM_SEARCH_INDEX_DIR`` (tests point it to a temporary directory). Several
processes may read it at once; one writer at a time holds tantivy's lock file, the others wait and retry. A small
JSON file beside the index remembers the last outbox row applied, so each node replays only what it misses.
"""

import json
import logging
import os
import shutil
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import tantivy
from django.conf import settings

from essaim.search import recovery
from essaim.search.schema import FOLDING, FRENCH, SCHEMA, SCHEMA_VERSION
from essaim.search.vocabulary import Typos

logger = logging.getLogger("essaim.search")

STATE_FILE = "essaim-state.json"
META_FILE = "meta.json"  # tantivy's list of segments, replaced (renamed) at every commit
RELOAD_EVERY_S = 0.5
WRITER_HEAP = 200_000_000
LOCK_RETRY_S = 30.0

_lock = threading.RLock()
_indexes: dict[str, "IndexHandle"] = {}
_resolved: dict[str, Path] = {}  # a directory as configured → its absolute path (resolved once, not per search)


class IndexBusy(RuntimeError):
    """Another process held the writer lock for longer than we were willing to wait."""


class IndexHandle:
    """One opened index directory: the tantivy ``Index``, its state file and a throttled ``reload()``."""

    def __init__(self, path: Path):
        self.path = path
        self.index = _open_or_create(path)
        self.last_reload = 0.0
        self.write_lock = threading.RLock()
        self.reload_lock = threading.Lock()
        self.generation = None
        self.marked = False
        self.typos = Typos(self)

    # Reading -----------------------------------------------------------------------------------------------
    def searcher(self):
        """A searcher that sees every commit older than about half a second (and our own at once)."""
        if time.monotonic() - self.last_reload > RELOAD_EVERY_S:
            self.force_reload()
        return self.index.searcher()

    def force_reload(self):
        """Reloads the reader. ``generation`` (tantivy's commit file, as the file system sees it) is read first:
        the reader then shows that commit or a later one, never an earlier one."""
        with self.reload_lock:
            try:
                meta = os.stat(self.path / META_FILE)
                self.generation = (meta.st_ino, meta.st_mtime_ns, meta.st_size)
            except FileNotFoundError:
                self.generation = None
            self.index.reload()
            self.last_reload = time.monotonic()

    def generation_and_searcher(self):
        """The generation last read and a searcher that shows at least that commit."""
        with self.reload_lock:
            return self.generation, self.index.searcher()

    # State -------------------------------------------------------------------------------------------------
    def read_state(self) -> dict:
        try:
            return json.loads((self.path / STATE_FILE).read_text())
        except (FileNotFoundError, ValueError):
            return {"last_outbox_id": 0}

    def write_state(self, **values) -> None:
        state = self.read_state() | values | {"schema_version": SCHEMA_VERSION}
        tmp = self.path / (STATE_FILE + ".tmp")
        tmp.write_text(json.dumps(state))
        os.replace(tmp, self.path / STATE_FILE)

    # Writing -----------------------------------------------------------------------------------------------
    @contextmanager
    def writer(self, *, heap: int = WRITER_HEAP, threads: int = 0, wait: float = LOCK_RETRY_S):
        """The one writer, for the time of a ``with`` block: commits at the end, rolls back on error.

        Takes tantivy's lock file; if another process holds it, retries with a growing pause for ``wait``
        seconds, then raises :class:`IndexBusy` (the outbox keeps the changes for the next attempt)."""
        with self.write_lock:
            deadline = time.monotonic() + wait
            pause = 0.02
            while True:
                try:
                    writer = self.index.writer(heap, threads)
                    break
                except ValueError as exc:
                    if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                        if "lock" in str(exc).lower():
                            raise IndexBusy(str(exc)) from exc
                        raise
                    time.sleep(pause)
                    pause = min(pause * 2, 0.5)
            try:
                yield writer
                writer.commit()
                writer.wait_merging_threads()
            except BaseException:
                writer.rollback()
                raise
            finally:
                del writer
            if not self.marked:  # this index holds data now: if it is ever lost, it is rebuilt
                recovery.mark_built(self.path)
                self.marked = True
            self.force_reload()


def _register(index):
    index.register_tokenizer("fr", FRENCH)
    index.register_tokenizer("fold", FOLDING)
    return index


def _empty(path: Path) -> None:
    for child in path.iterdir():
        if child.is_dir():
            shutil.rmtree(child)
        else:
            child.unlink()


def _open_or_create(path: Path):
    path.mkdir(parents=True, exist_ok=True)
    state_path = path / STATE_FILE
    version = None
    if state_path.exists():
        try:
            version = json.loads(state_path.read_text()).get("schema_version")
        except ValueError:
            version = None
    if tantivy.Index.exists(str(path)) and version not in (None, SCHEMA_VERSION):
        logger.warning("Index %s built with another schema: emptied, run `essaim reindex`.", path)
        _empty(path)
    try:
        index = _register(tantivy.Index(SCHEMA, path=str(path), reuse=True))
    except BaseException as exc:
        if not recovery.is_index_failure(exc):
            raise
        if recovery.rebuilding(path):  # another process is writing it: not ours to wipe
            raise recovery.IndexUnavailable() from exc
        logger.error("Index %s cannot be opened (%s): emptied, rebuilt in the background.", path, exc)
        _empty(path)
        recovery.mark_built(path)  # it existed: the first search rebuilds it
        index = _register(tantivy.Index(SCHEMA, path=str(path), reuse=True))
    if not state_path.exists():
        state_path.write_text(json.dumps({"last_outbox_id": 0, "schema_version": SCHEMA_VERSION}))
    return index


def index_dir() -> Path:
    return Path(settings.ESSAIM_SEARCH_INDEX_DIR)


def get_index(path: Path | None = None) -> IndexHandle:
    """The handle of the configured index directory, opened once per process."""
    raw = str(path or index_dir())
    path = _resolved.get(raw)
    if path is None:
        path = _resolved[raw] = Path(raw).resolve()
    key = str(path)
    with _lock:
        handle = _indexes.get(key)
        if handle is None or not path.exists():
            handle = _indexes[key] = IndexHandle(path)
        return handle


def drop_index(path: Path | None = None) -> IndexHandle:
    """Deletes the index directory and opens a new empty one (``reindex`` builds into it)."""
    path = Path(path or index_dir()).resolve()
    with _lock:
        _indexes.pop(str(path), None)
        if path.exists():
            shutil.rmtree(path)
        return get_index(path)
