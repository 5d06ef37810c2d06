"""A locked or busy database: a write that cannot get its lock within a few seconds answers 503 with Retry-After
(JSON under /api/, a French page otherwise), writes nothing, and reads go on (SQLite in WAL mode, PostgreSQL)."""

import contextlib
import re
import time

import pytest
from django.conf import settings
from django.db import DatabaseError, IntegrityError, OperationalError, ProgrammingError, connection, connections

from essaim.agenda.models import Registration
from essaim.core.faults import BUSY_MESSAGE, RETRY_AFTER_S, is_database_busy
from tests.agenda.factories import EventFactory, SessionFactory

LOCK_TIMEOUT_S = 0.3


@pytest.fixture
def short_lock_timeout():
    """The request's connection waits 0.3 s for a lock instead of the configured few seconds."""
    options = connection.settings_dict["OPTIONS"]
    with pytest.MonkeyPatch.context() as patch:
        if connection.vendor == "sqlite":
            milliseconds = int(LOCK_TIMEOUT_S * 1000)
            patch.setitem(options, "timeout", LOCK_TIMEOUT_S)
            patch.setitem(
                options,
                "init_command",
                re.sub(r"busy_timeout=\d+", f"busy_timeout={milliseconds}", options["init_command"]),
            )
        else:
            patch.setitem(options, "options", f"-c lock_timeout={int(LOCK_TIMEOUT_S * 1000)}")
        connection.close()
        yield
        connection.close()
    connection.close()


@contextlib.contextmanager
def locked_for_writes():
    """Another connection holds the write lock: SQLite's database-wide exclusive lock, PostgreSQL's EXCLUSIVE lock
    on the registrations table (both let readers read)."""
    other = connections.create_connection("default")
    other.ensure_connection()
    try:
        if other.vendor == "sqlite":
            other.connection.execute("BEGIN EXCLUSIVE")
        else:
            with other.cursor() as cursor:
                cursor.execute("BEGIN")
                cursor.execute(f"LOCK TABLE {Registration._meta.db_table} IN EXCLUSIVE MODE")
        yield
    finally:
        if other.vendor == "sqlite":
            other.connection.execute("ROLLBACK")
        else:
            with other.cursor() as cursor:
                cursor.execute("ROLLBACK")
        other.close()


@pytest.fixture
def session(transactional_db):
    return SessionFactory(event=EventFactory(), capacity=10)


def test_the_lock_timeout_is_a_few_seconds_not_twenty():
    """A write waits 5 s at most for a lock (it used to hold a thread for 20 s before a 500)."""
    assert settings.ESSAIM_DB_LOCK_TIMEOUT_S == 5
    options = settings.DATABASES["default"]["OPTIONS"]
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        assert options["timeout"] == 5 and "busy_timeout=5000;" in options["init_command"]
    else:
        assert "lock_timeout=5000" in options["options"]


def test_a_registration_by_the_api_on_a_locked_database_answers_503_and_writes_nothing(
    client, session, short_lock_timeout
):
    url = f"/api/v1/events/{session.event.pk}/registrations"
    with locked_for_writes():
        started = time.monotonic()
        response = client.post(
            url, {"name": "Léa", "email": "lea@exemple.example", "consent": True}, content_type="application/json"
        )
        elapsed = time.monotonic() - started
        read = client.get(f"/api/v1/events/{session.event.pk}")
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_S)
    assert response.json() == {"detail": BUSY_MESSAGE}
    assert elapsed < 3, "the request waited for the lock longer than its timeout"
    assert read.status_code == 200, "reads go on while a writer holds the lock"
    assert Registration.objects.count() == 0
    # Once the lock is released, the same request goes through.
    response = client.post(
        url, {"name": "Léa", "email": "lea@exemple.example", "consent": True}, content_type="application/json"
    )
    assert response.status_code == 201, response.json()


def test_a_registration_by_the_form_on_a_locked_database_answers_a_french_503_page(
    client, session, short_lock_timeout
):
    url = f"/agenda/evenements/{session.event.pk}/inscription/"
    data = {"session": session.pk, "name": "Léa Dufour", "email": "lea@exemple.example", "consent": "on"}
    with locked_for_writes():
        response = client.post(url, data)
        page = client.get(session.event.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_S)
    assert response["Content-Type"].startswith("text/html")
    assert "Service momentanément surchargé" in html and "pas été enregistrée" in html
    assert page.status_code == 200
    assert Registration.objects.count() == 0


class FakeDriverError(Exception):
    def __init__(self, message, sqlstate=None):
        super().__init__(message)
        self.sqlstate = sqlstate


def _wrapped(kind, message, sqlstate=None):
    exc = kind(message)
    exc.__cause__ = FakeDriverError(message, sqlstate)
    return exc


@pytest.mark.parametrize(
    ("exc", "busy"),
    [
        (OperationalError("database is locked"), True),
        (OperationalError("database table is locked"), True),
        (_wrapped(OperationalError, "canceling statement due to lock timeout", "55P03"), True),
        (_wrapped(OperationalError, "could not serialize access", "40001"), True),
        (_wrapped(OperationalError, "deadlock detected", "40P01"), True),
        (_wrapped(OperationalError, "canceling statement due to statement timeout", "57014"), True),
        (
            OperationalError('connection failed: connection to server at "x", port 5432 failed: Connection refused'),
            True,
        ),
        (OperationalError("no such table: agenda_registration"), False),
        (_wrapped(IntegrityError, "duplicate key value violates unique constraint", "23505"), False),
        (ProgrammingError("syntax error"), False),
        (DatabaseError("disk I/O error"), False),
        (ValueError("database is locked"), False),
    ],
)
def test_only_errors_that_a_later_attempt_may_not_meet_are_busy(exc, busy):
    assert is_database_busy(exc) is busy
