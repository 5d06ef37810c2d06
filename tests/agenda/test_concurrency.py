"""No overbooking, ever: real concurrent registrations (threads, each with its own database connection) on the
last seats confirm exactly the capacity, on SQLite (a file database, IMMEDIATE transactions) and PostgreSQL
(row lock on the session)."""

import threading

import pytest
from django.db import close_old_connections, connection

from essaim.agenda.enums import RegistrationStatus
from essaim.agenda.services import RegistrationError, registration_create
from tests.agenda.factories import EventFactory, SessionFactory

ATTEMPTS = 16
CAPACITY = 5


def race(session, attempts):
    """Starts ``attempts`` threads that register at the same instant; returns their outcomes."""
    barrier = threading.Barrier(attempts)
    outcomes = []
    lock = threading.Lock()

    def attempt(n):
        try:
            barrier.wait(timeout=30)
            registration = registration_create(session=session, name=f"Personne {n}", email=f"c{n}@exemple.example")
            result = registration.status
        except RegistrationError as exc:
            result = exc.code
        except Exception as exc:  # noqa: BLE001 -- any other failure is reported by the assertion
            result = f"error: {exc!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    close_old_connections()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_confirm_exactly_the_capacity_and_queue_the_rest():
    session = SessionFactory(event=EventFactory(waitlist_enabled=True), capacity=CAPACITY)
    outcomes = race(session, ATTEMPTS)
    assert sorted(outcomes) == sorted(["confirmed"] * CAPACITY + ["waitlisted"] * (ATTEMPTS - CAPACITY))
    assert session.registrations.filter(status=RegistrationStatus.CONFIRMED).count() == CAPACITY


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_without_waiting_list_refuse_everyone_past_the_capacity():
    session = SessionFactory(event=EventFactory(waitlist_enabled=False), capacity=CAPACITY)
    outcomes = race(session, ATTEMPTS)
    assert sorted(outcomes) == sorted(["confirmed"] * CAPACITY + ["full"] * (ATTEMPTS - CAPACITY))
    assert session.registrations.count() == CAPACITY
