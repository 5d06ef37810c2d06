"""No overbooking, ever: real concurrent changes to who holds a seat (threads, each with its own database
connection) — registrations on the last seats, cancellations that promote from the waiting list, a capacity
lowered while people register — on SQLite (a file database, IMMEDIATE transactions) and PostgreSQL (row lock on
the session).

Each test here is a guard's proof: tests/test_guards.py runs them again with the guards removed
(``select_for_update`` a no-op, SQLite transactions DEFERRED) and expects every one to fail."""

import time

import pytest

from essaim.agenda import services
from essaim.agenda.enums import RegistrationStatus
from essaim.agenda.models import Registration
from essaim.agenda.services import RegistrationError, registration_create
from tests.agenda.factories import EventFactory, RegistrationFactory, SessionFactory
from tests.races import run_together

ATTEMPTS = 16
CAPACITY = 5


def race(session, attempts):
    """``attempts`` registrations at the same instant; returns their outcomes (a status, a refusal's code, or the
    error)."""
    results = run_together(
        *(
            lambda n=n: registration_create(session=session, name=f"Personne {n}", email=f"c{n}@exemple.example")
            for n in range(attempts)
        )
    )
    return [
        result.status
        if not isinstance(result, Exception)
        else result.code
        if isinstance(result, RegistrationError)
        else f"error: {result!r}"
        for result in results
    ]


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_confirm_exactly_the_capacity_and_queue_the_rest(brief_counts):
    """``brief_counts`` keeps every registration between its count and its write long enough for the others to
    count too: without the guard they all see free seats, whatever the load of the machine (a CI run once found the
    writers one after the other, and the test passing without its guard)."""
    session = SessionFactory(event=EventFactory(waitlist_enabled=True), capacity=CAPACITY)
    outcomes = race(session, ATTEMPTS)
    assert sorted(outcomes) == sorted(["confirmed"] * CAPACITY + ["waitlisted"] * (ATTEMPTS - CAPACITY))
    assert session.registrations.filter(status=RegistrationStatus.CONFIRMED).count() == CAPACITY


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_without_waiting_list_refuse_everyone_past_the_capacity(brief_counts):
    """As above, with no waiting list: past the capacity, everyone is refused."""
    session = SessionFactory(event=EventFactory(waitlist_enabled=False), capacity=CAPACITY)
    outcomes = race(session, ATTEMPTS)
    assert sorted(outcomes) == sorted(["confirmed"] * CAPACITY + ["full"] * (ATTEMPTS - CAPACITY))
    assert session.registrations.count() == CAPACITY


def _slow_confirmed_counts(monkeypatch, seconds):
    original = type(Registration.objects.all()).confirmed

    def confirmed(self):
        queryset = original(self)
        queryset.count = lambda: (type(queryset).count(queryset), time.sleep(seconds))[0]
        return queryset

    monkeypatch.setattr(type(Registration.objects.all()), "confirmed", confirmed)


@pytest.fixture
def slow_counts(monkeypatch):
    """Widens the window between counting the confirmed seats and writing: without the lock, two writers would
    both count the same seats."""
    _slow_confirmed_counts(monkeypatch, 0.3)


@pytest.fixture
def brief_counts(monkeypatch):
    """The same window, shorter: sixteen writers one after the other under the guard stay within SQLite's busy
    timeout."""
    _slow_confirmed_counts(monkeypatch, 0.1)


@pytest.fixture
def slow_writes(monkeypatch):
    """Keeps each transaction open a while after it wrote (the mail is queued inside it, sent after the commit)."""
    original = services._mail_after_commit

    def mail_after_commit(*args):
        original(*args)
        time.sleep(0.3)

    monkeypatch.setattr(services, "_mail_after_commit", mail_after_commit)


@pytest.mark.django_db(transaction=True)
def test_two_cancellations_at_the_same_moment_promote_two_different_people(slow_counts, slow_writes):
    """Each cancellation frees one seat and promotes the first person waiting: under the lock the second one sees
    the first promotion and takes the next person; without it both promote the same person and a seat stays
    empty while someone still waits."""
    session = SessionFactory(event=EventFactory(waitlist_enabled=True), capacity=3)
    leaving = RegistrationFactory.create_batch(2, session=session)
    staying = RegistrationFactory(session=session)
    waiting = RegistrationFactory.create_batch(2, session=session, status=RegistrationStatus.WAITLISTED)

    results = run_together(*(lambda r=r: services.registration_cancel(registration=r) for r in leaving))

    assert [len(promoted) for promoted in results] == [1, 1], results
    assert {p.pk for promoted in results for p in promoted} == {w.pk for w in waiting}
    confirmed = set(session.registrations.confirmed().values_list("pk", flat=True))
    assert confirmed == {staying.pk, *(w.pk for w in waiting)}


@pytest.mark.django_db(transaction=True)
def test_a_capacity_lowered_while_people_register_never_leaves_more_confirmed_than_seats(slow_counts):
    """An officer lowers the capacity from 5 to 4 (3 confirmed) while two people register: whatever the order,
    the session never ends with more confirmed people than seats."""
    session = SessionFactory(event=EventFactory(waitlist_enabled=True), capacity=5)
    RegistrationFactory.create_batch(3, session=session)

    def lower():
        edited = type(session).objects.get(pk=session.pk)
        edited.capacity = 4
        return services.session_save(session=edited)

    def register(n):
        return lambda: registration_create(session=session, name=f"Personne {n}", email=f"r{n}@exemple.example")

    results = run_together(lower, register(1), register(2))

    assert not [r for r in results if isinstance(r, Exception) and not isinstance(r, RegistrationError)], results
    session.refresh_from_db()
    confirmed = session.registrations.confirmed().count()
    assert confirmed <= session.capacity, (confirmed, session.capacity, results)
    assert session.registrations.count() == 5  # both registered: confirmed or on the waiting list
