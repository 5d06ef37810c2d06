"""Reads on PostgreSQL streaming replicas (``DATABASE_REPLICA_URLS``), docs/operations.md « Several machines ».

The public side is most of the traffic and all of it reads: the directory, the map, the agenda, the observatory,
the public API. Those reads may go to a hot standby, which takes them off the primary; everything else stays on
the primary. The rule, decided once per request by :class:`ReplicaMiddleware`:

- a ``GET`` or ``HEAD`` of an anonymous person (no logged-in session, no ``Authorization`` header), outside the
  back office, the account pages and ``/health``, reads from a healthy replica;
- after a person writes (any other method), their reads stay on the primary for ``ESSAIM_REPLICA_PIN_SECONDS``
  (10 s): a signed cookie ``essaim_primary`` says so, so that they see at once what they just did
  (read-your-writes), whatever the replica's delay;
- writes, transactions, sessions, accounts, the cache table and the task queue always use the primary;
- a replica that does not answer within ``ESSAIM_REPLICA_CONNECT_TIMEOUT_S`` (2 s), that lags more than
  ``ESSAIM_REPLICA_MAX_LAG_S`` (10 s) or that no longer streams from the primary is skipped: its state is kept
  ``ESSAIM_REPLICA_CHECK_S`` (5 s) per process, then probed again. A page that fails on a replica (it stopped in
  the middle) is served again from the primary.

Why not a library's router: django-multidb-router (the maintained one, by Mozilla) pins after a POST as we do, but
it sends every read to a replica, knows no anonymous or public rule and checks neither lag nor life; the rule here
is a contextvar and about a hundred lines.
"""

import contextvars
import logging
import random
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connections

logger = logging.getLogger("essaim.replicas")

PRIMARY = "default"
PREFIX = "replica_"
COOKIE = "essaim_primary"
COOKIE_SALT = "essaim.core.replicas"
SAFE_METHODS = {"GET", "HEAD"}
# Never on a replica: what a request must see as just written (sessions, accounts, the counters of the abuse limits
# in the cache table, the task queue, the search outbox, the audit trail).
PRIMARY_APPS = {"sessions", "auth", "accounts", "account", "django_cache", "jobs", "core", "admin"}
PRIMARY_PATHS = ("/gestion/", "/compte/", "/admin/", "/health")
PROBE_SQL = """
SELECT pg_is_in_recovery(),
       CASE WHEN NOT pg_is_in_recovery() THEN 0
            WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END,
       (SELECT status FROM pg_stat_wal_receiver LIMIT 1)
"""

_reading_from: contextvars.ContextVar[str | None] = contextvars.ContextVar("essaim_replica", default=None)


@dataclass(frozen=True)
class ReplicaState:
    status: str  # "ok", "lagging" or "down"
    lag_s: float | None = None
    error: str = ""
    checked_at: float = 0.0

    @property
    def usable(self) -> bool:
        return self.status == "ok"

    def as_dict(self) -> dict:
        found = {"status": self.status}
        if self.lag_s is not None:
            found["lag_s"] = round(self.lag_s, 2)
        if self.error:
            found["error"] = self.error
        return found


_states: dict[str, ReplicaState] = {}
_probing = threading.Lock()


def replica_aliases() -> list[str]:
    return sorted(alias for alias in settings.DATABASES if alias.startswith(PREFIX))


def state_of(in_recovery: bool, lag_s: float | None, receiver: str | None, *, max_lag: float) -> ReplicaState:
    """What a probe's row means. A standby whose WAL receiver does not stream falls behind without knowing it:
    it is as good as lagging. A server out of recovery (a promoted standby, or the primary itself named as a
    replica) reads what it holds."""
    lag = float(lag_s or 0.0)
    if in_recovery and receiver != "streaming":
        return ReplicaState("lagging", lag, "not_streaming", time.monotonic())
    if lag > max_lag:
        return ReplicaState("lagging", lag, "", time.monotonic())
    return ReplicaState("ok", lag, "", time.monotonic())


def probe(alias: str) -> ReplicaState:
    """Asks the replica how far behind it is, on this thread's connection to it."""
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(PROBE_SQL)
            in_recovery, lag, receiver = cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 -- any failure means: do not read there
        try:
            connections[alias].close()
        except Exception:  # noqa: BLE001, S110 -- a dead connection may fail to close too
            pass
        return ReplicaState("down", None, type(exc).__name__, time.monotonic())
    return state_of(in_recovery, lag, receiver, max_lag=settings.ESSAIM_REPLICA_MAX_LAG_S)


def current_state(alias: str, *, fresh: bool = False) -> ReplicaState:
    """The replica's state, probed at most every ``ESSAIM_REPLICA_CHECK_S`` seconds per process (``fresh``: now)."""

    def kept():
        known = _states.get(alias)
        recent = known is not None and time.monotonic() - known.checked_at < settings.ESSAIM_REPLICA_CHECK_S
        return known if recent and not fresh else None

    if found := kept():
        return found
    with _probing:  # one probe at a time: the threads that waited for it take its answer
        if found := kept():
            return found
        known = _states.get(alias)
        state = probe(alias)
        if (known is None or known.usable) and not state.usable:
            logger.warning("Replica %s skipped: %s %s", alias, state.status, state.error or state.lag_s)
        elif known is not None and not known.usable and state.usable:
            logger.warning("Replica %s back in service (lag %.1f s).", alias, state.lag_s or 0.0)
        _states[alias] = state
        return state


def healthy_replica() -> str | None:
    """A replica that answers and is close enough to the primary, chosen at random among them; None otherwise."""
    aliases = replica_aliases()
    random.shuffle(aliases)
    return next((alias for alias in aliases if current_state(alias).usable), None)


def pinned(request) -> bool:
    """True while the request's client wrote less than ``ESSAIM_REPLICA_PIN_SECONDS`` ago (its signed cookie)."""
    if COOKIE not in request.COOKIES:
        return False
    found = request.get_signed_cookie(
        COOKIE, default=None, salt=COOKIE_SALT, max_age=settings.ESSAIM_REPLICA_PIN_SECONDS
    )
    return found is not None


def may_read_from_replica(request) -> bool:
    if request.method not in SAFE_METHODS or request.path.startswith(PRIMARY_PATHS):
        return False
    if "HTTP_AUTHORIZATION" in request.META or pinned(request):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


class ReplicaRouter:
    """Reads go where the request's middleware decided (a replica or, by default, the primary); writes, migrations
    and reads inside a transaction of the primary go to the primary."""

    def db_for_read(self, model, **hints):
        alias = _reading_from.get()
        if alias is None or model._meta.app_label in PRIMARY_APPS or connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return alias

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # a replica holds the primary's rows: the same database

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


class ReplicaMiddleware:
    """Decides where the request reads (after the authentication middleware: it asks whether the person is logged
    in), and pins a client that writes to the primary for a while."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_aliases():
            return self.get_response(request)
        alias = healthy_replica() if may_read_from_replica(request) else None
        if alias is None:
            response = self.get_response(request)
        else:
            response = self._on_replica(request, alias)
        if request.method not in SAFE_METHODS:
            response.set_signed_cookie(
                COOKIE,
                "1",
                salt=COOKIE_SALT,
                max_age=settings.ESSAIM_REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def _on_replica(self, request, alias):
        token = _reading_from.set(alias)
        try:
            response = self.get_response(request)
        finally:
            _reading_from.reset(token)
        if response.status_code >= 500 and not current_state(alias, fresh=True).usable:
            logger.warning("Replica %s failed during %s: served again from the primary.", alias, request.path)
            response = self.get_response(request)
        return response
