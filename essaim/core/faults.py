"""Faults a request survives: a database that is momentarily busy answers 503 with ``Retry-After``, never a 500.

On SQLite, a write waits for the lock at most ``ESSAIM_DB_LOCK_TIMEOUT_S`` seconds (5 by default), then the driver
raises ``OperationalError("database is locked")``. On PostgreSQL (``lock_timeout`` set to the same value) the
equivalents are a lock or statement timeout, a serialization failure, a deadlock, or a server that refuses
connections. In every case the transaction of the request has rolled back (``transaction.atomic`` undoes everything
when the error leaves it), so nothing is half-written: the person is asked to try again a few seconds later.

One place decides: :func:`is_database_busy`. :class:`DatabaseBusyMiddleware` applies it to pages (a French error
page) and the API's exception handler to JSON answers (``{"detail": ...}``), both through :func:`busy_response`.
"""

import logging

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader

from essaim.core.http import is_api_request

logger = logging.getLogger("essaim.faults")

BUSY_TITLE = "Service momentanément surchargé"
BUSY_MESSAGE = (
    "Le service est momentanément surchargé : votre demande n'a pas été enregistrée. Réessayez dans un instant."
)
RETRY_AFTER_S = 5

# SQLite's messages when the busy timeout ran out (or a shared-cache table lock).
SQLITE_BUSY = ("database is locked", "database table is locked", "database schema is locked")
# PostgreSQL SQLSTATEs that mean "try again": serialization failure, deadlock, lock not available (lock_timeout),
# query cancelled (statement_timeout), too many connections, cannot connect now (starting or shutting down).
POSTGRES_RETRY_STATES = {"40001", "40P01", "55P03", "57014", "53300", "57P03"}
# A server that cannot be reached at all (the driver raises before any SQLSTATE).
UNREACHABLE = ("connection refused", "could not connect", "connection failed", "server closed the connection")


class TemporarilyUnavailable(Exception):  # noqa: N818 -- named after the state, like Django's Http404
    """A part of the service that is momentarily unavailable and comes back by itself (the search index being
    rebuilt): answered 503 with ``Retry-After``, like a busy database."""

    title = "Service momentanément indisponible"
    message = BUSY_MESSAGE
    retry_after = RETRY_AFTER_S


def is_database_busy(exc: BaseException) -> bool:
    """Whether ``exc`` is a database error that a later attempt may not meet (busy, locked, unreachable)."""
    if not isinstance(exc, DatabaseError | InterfaceError):
        return False
    cause = exc.__cause__ or exc
    state = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if state in POSTGRES_RETRY_STATES:
        return True
    text = str(exc).lower()
    if isinstance(exc, OperationalError) and any(marker in text for marker in SQLITE_BUSY):
        return True
    return isinstance(exc, OperationalError | InterfaceError) and any(marker in text for marker in UNREACHABLE)


def busy_response(request, exc: BaseException) -> HttpResponse | None:
    """The 503 answer for a busy database or a part that is momentarily unavailable (JSON under /api/, a French
    page otherwise), or None for another error."""
    if isinstance(exc, TemporarilyUnavailable):
        title, message, retry_after = exc.title, exc.message, exc.retry_after
    elif is_database_busy(exc):
        title, message, retry_after = BUSY_TITLE, BUSY_MESSAGE, RETRY_AFTER_S
        logger.warning("Database busy, answered 503 to %s %s: %s", request.method, request.path, exc)
    else:
        return None
    if is_api_request(request):
        response = JsonResponse({"detail": message}, status=503)
    else:
        # Self-contained like the 500 page: no context processor, no database.
        body = loader.get_template("errors/busy.html").render(
            {"title": title, "message": message, "retry_after": retry_after}
        )
        response = HttpResponse(body, status=503)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseBusyMiddleware:
    """Turns a busy or locked database, raised by a view, into a 503 with ``Retry-After`` instead of a 500.

    Placed last in ``MIDDLEWARE`` so that its ``process_exception`` runs first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        return busy_response(request, exception)
