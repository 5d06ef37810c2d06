"""``GET /health``: the state of what a request needs, as JSON, for a load balancer or a monitor.

200 when every check holds, 503 otherwise; no login, no rate limit, no personal data (counts, sizes and states
only, never an error's text, which could carry a host or a path). Cheap: a ``SELECT 1``, a cache round trip, two
counts of the search index and of the database kept ``INDEX_COUNT_TTL_S`` seconds per process, the task queue's
counts, ``statvfs`` of the var directory.

Why not django-health-check's view: its JSON is a flat ``{"check": "OK"}`` answered 500, and it runs each check
in a thread of an event loop (one more database connection per check and per thread). The checks here are plain
functions, run in the request's thread; the view is a few lines.
"""

import shutil
import time
import uuid

from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

INDEX_COUNT_TTL_S = 10.0
OK, ERROR, DEGRADED = "ok", "error", "degraded"

_index_counts: dict[str, tuple[float, dict]] = {}  # index directory → (when, its counts)


def _failure(exc: BaseException) -> dict:
    return {"status": ERROR, "error": type(exc).__name__}


def check_database() -> dict:
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 -- any failure is the answer
        return _failure(exc) | {"vendor": connection.vendor}
    return {"status": OK, "vendor": connection.vendor, "ms": round((time.monotonic() - started) * 1000, 1)}


def check_cache() -> dict:
    """A write, a read and a delete in the default cache (the one the abuse limits count in)."""
    key, value = f"essaim:health:{uuid.uuid4().hex}", uuid.uuid4().hex
    try:
        cache.set(key, value, timeout=30)
        found = cache.get(key)
        cache.delete(key)
    except Exception as exc:  # noqa: BLE001
        return _failure(exc)
    backend = type(caches["default"]).__name__
    return {"status": OK, "backend": backend} if found == value else {"status": ERROR, "backend": backend}


def _index_counts_now(handle) -> dict:
    from essaim.core.models import SearchOutbox
    from essaim.directory.models import Structure

    waiting = SearchOutbox.objects.after(handle.read_state().get("last_outbox_id", 0))
    return {
        "documents": handle.searcher().num_docs,
        "database": Structure.objects.published().count(),
        "pending": waiting.count(),
        "oldest": waiting.values_list("created_at", flat=True).first(),
    }


def check_search_index() -> dict:
    """Documents in the index against published structures in the database. They differ only while outbox rows
    wait to be applied; more than that is an index out of step (never built here, lost, damaged): 503. A change
    waiting longer than ``ESSAIM_HEALTH_INDEX_MAX_WAIT_S`` means that nothing applies the outbox here (the node's
    ``index_sync --loop`` stopped): ``degraded``, the node still serves, its search lags."""
    from essaim.search import recovery
    from essaim.search.index import get_index, index_dir

    path = index_dir().resolve()
    if recovery.rebuilding(path):
        return {"status": ERROR, "state": "rebuilding"}
    try:
        handle = get_index()
        key = str(handle.path)
        cached = _index_counts.get(key)
        if cached is None or time.monotonic() - cached[0] > INDEX_COUNT_TTL_S:
            cached = _index_counts[key] = (time.monotonic(), _index_counts_now(handle))
        counts = cached[1]
    except BaseException as exc:
        if not (recovery.is_index_failure(exc) or isinstance(exc, Exception)):
            raise
        return _failure(exc) | {"state": "unreadable"}
    oldest = counts.get("oldest")
    found = {name: value for name, value in counts.items() if name != "oldest"}
    if abs(counts["documents"] - counts["database"]) > counts["pending"]:
        return {"status": ERROR, "state": "out_of_step", **found}
    if oldest is not None:
        found["oldest_pending_s"] = round((timezone.now() - oldest).total_seconds())
        if found["oldest_pending_s"] > settings.ESSAIM_HEALTH_INDEX_MAX_WAIT_S:
            return {"status": DEGRADED, "state": "behind", **found}
    return {"status": OK, "state": "ready", **found}


def check_tasks() -> dict:
    """The task queue: ``immediate`` (tasks run in the request), or the database queue's waiting and failed tasks.
    A due task waiting longer than ``ESSAIM_HEALTH_TASKS_MAX_WAIT_S`` means that no worker runs."""
    backend = settings.TASKS["default"]["BACKEND"]
    if "immediate" in backend.lower() or "dummy" in backend.lower():
        return {"status": OK, "backend": "immediate"}
    if apps.is_installed("essaim.jobs"):
        model = apps.get_model("jobs", "Job")
    elif apps.is_installed("django_tasks.backends.database"):
        model = apps.get_model("django_tasks_database", "DBTaskResult")
    else:
        return {"status": OK, "backend": backend.rsplit(".", 1)[-1]}
    try:
        now = timezone.now()
        waiting = model.objects.filter(status="READY")
        due = waiting.filter(run_after__isnull=True) | waiting.filter(run_after__lte=now)
        oldest = due.order_by("enqueued_at").values_list("enqueued_at", "run_after").first()
        counts = {"pending": waiting.count(), "failed": model.objects.filter(status="FAILED").count()}
    except Exception as exc:  # noqa: BLE001 -- a missing table (migrations not applied), a database down
        return _failure(exc) | {"backend": "database"}
    waited = 0.0
    if oldest is not None:
        waited = (now - max(d for d in oldest if d is not None)).total_seconds()
    late = waited > settings.ESSAIM_HEALTH_TASKS_MAX_WAIT_S
    return {"status": ERROR if late else OK, "backend": "database", **counts, "oldest_due_s": round(waited)}


def check_disk() -> dict:
    """Free space where the SQLite database, the index and the uploads live."""
    try:
        usage = shutil.disk_usage(settings.VAR_DIR)
    except OSError as exc:
        return _failure(exc)
    free_mb = usage.free // (1024 * 1024)
    ratio = usage.free / usage.total if usage.total else 0.0
    low = free_mb < settings.ESSAIM_HEALTH_MIN_FREE_MB
    return {"status": ERROR if low else OK, "free_mb": free_mb, "free_percent": round(ratio * 100, 1)}


def check_replicas() -> dict:
    """Each read replica, probed now: ``ok``, ``lagging`` (further behind than ``ESSAIM_REPLICA_MAX_LAG_S`` or no
    longer streaming) or ``down``. A replica that fails is skipped by the reads, so the node still serves: its
    failure makes the answer ``degraded``, not 503 (a load balancer must not take every node out for it)."""
    from essaim.core.replicas import current_state, replica_aliases

    states = {alias: current_state(alias, fresh=True) for alias in replica_aliases()}
    return {
        "status": OK if all(state.usable for state in states.values()) else DEGRADED,
        "replicas": {alias: state.as_dict() for alias, state in states.items()},
    }


CHECKS = {
    "database": check_database,
    "replicas": check_replicas,
    "cache": check_cache,
    "search_index": check_search_index,
    "tasks": check_tasks,
    "disk": check_disk,
}


@never_cache
@require_GET
def health(request):
    """Public, for monitors: every check's state; 200 when all hold (``degraded`` when only a read replica fails),
    503 otherwise."""
    checks = {name: check() for name, check in CHECKS.items()}
    states = {result["status"] for result in checks.values()}
    status = ERROR if ERROR in states else DEGRADED if DEGRADED in states else OK
    return JsonResponse({"status": status, "checks": checks}, status=503 if status == ERROR else 200)
