"""A slot is never booked twice: real concurrent bookings (threads, each with its own database connection) of the
last free slot confirm exactly one and tell the others ``SlotTaken``; one person booking two slots of a motif at the
same instant gets one. On SQLite (a file database, IMMEDIATE transactions) and on PostgreSQL.

Each test here is a guard's proof, run again by tests/test_guards.py with the guards removed
(``ESSAIM_TEST_GUARDS=off``: ``select_for_update`` a no-op, SQLite transactions DEFERRED), where every one must
fail. Two guards hold a booking:

- the lock of the motif's row (``essaim.support.services.bookings._lock_motif``), which serialises the bookings of
  one motif so that "one future booking per person and motif" holds: removing it is what ESSAIM_TEST_GUARDS=off does;
- the partial unique constraint ``booking_one_per_adviser_slot``, which the database enforces whatever the code
  does. A constraint is not removed by a setting: with ESSAIM_TEST_GUARDS=off the ``guards`` fixture below drops it
  from the test database for the test (and puts it back after), so that the last-slot race then books the slot
  several times (PostgreSQL) or breaks on the database's own lock (SQLite DEFERRED), and the test fails — proving
  that the constraint, not luck, is what refuses the second booking. ``test_the_constraint_alone_refuses_a_direct
  _second_insert`` proves the constraint with no service code at all."""

import datetime
import os

import pytest
from django.db import IntegrityError, connection, transaction

from essaim.support.enums import BookingStatus
from essaim.support.models import Booking
from essaim.support.services import bookings as services
from essaim.support.services.bookings import BookingRefused, SlotTaken, booking_create
from essaim.support.slots import slot_id
from tests.races import meeting_point, run_together
from tests.support.factories import BookingFactory, OpeningRangeFactory, local

ATTEMPTS = 8
GUARDS_OFF = os.environ.get("ESSAIM_TEST_GUARDS") == "off"


def _constraint():
    return next(c for c in Booking._meta.constraints if c.name == "booking_one_per_adviser_slot")


@pytest.fixture
def guards():
    """With ESSAIM_TEST_GUARDS=off (tests/test_guards.py), the constraint is dropped for the test: the guard
    removed."""
    if not GUARDS_OFF:
        yield
        return
    with connection.schema_editor() as editor:
        editor.remove_constraint(Booking, _constraint())
    yield
    Booking.objects.all().delete()
    with connection.schema_editor() as editor:
        editor.add_constraint(Booking, _constraint())


def meeting_before_insert(monkeypatch, parties):
    """Every booking waits for the others between its checks (slot free, no other booking of the motif) and its
    insert: without the guards, all have checked before any inserts."""
    meet = meeting_point(parties)
    original = services._insert

    def insert(**fields):
        meet()
        return original(**fields)

    monkeypatch.setattr(services, "_insert", insert)


def outcome(result):
    if isinstance(result, Booking):
        return "booked"
    if isinstance(result, SlotTaken):
        return "taken"
    if isinstance(result, BookingRefused):
        return "refused"
    return f"error: {result!r}"


@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_of_the_last_free_slot_confirm_exactly_one(guards, monkeypatch):
    meeting_before_insert(monkeypatch, ATTEMPTS)
    opening = OpeningRangeFactory(rule="", end_time=datetime.time(9, 45))
    text = slot_id(opening.pk, local(opening.first_day, 9))
    results = run_together(
        *(
            lambda n=n: booking_create(slot_id=text, name=f"Personne {n}", email=f"p{n}@example.org", consent=True)
            for n in range(ATTEMPTS)
        )
    )
    assert sorted(outcome(r) for r in results) == ["booked"] + ["taken"] * (ATTEMPTS - 1)
    assert Booking.objects.filter(status=BookingStatus.BOOKED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_one_person_booking_two_slots_of_a_motif_at_once_gets_one(guards, monkeypatch):
    meeting_before_insert(monkeypatch, 2)
    opening = OpeningRangeFactory(rule="")
    texts = [slot_id(opening.pk, local(opening.first_day, 9)), slot_id(opening.pk, local(opening.first_day, 9, 45))]
    results = run_together(
        *(
            lambda text=text: booking_create(slot_id=text, name="Camille", email="camille@example.org", consent=True)
            for text in texts
        )
    )
    assert sorted(outcome(r) for r in results) == ["booked", "refused"]
    assert Booking.objects.filter(email="camille@example.org").count() == 1


@pytest.mark.django_db
def test_the_constraint_alone_refuses_a_direct_second_insert():
    """No service code: two holding rows of one adviser at one start are refused by the database itself; a freed
    row (excused) does not count."""
    first = BookingFactory()
    BookingFactory(opening_range=first.opening_range, status=BookingStatus.EXCUSED)
    with pytest.raises(IntegrityError), transaction.atomic():
        BookingFactory(opening_range=first.opening_range, status=BookingStatus.NO_SHOW)
    assert Booking.objects.count() == 2
