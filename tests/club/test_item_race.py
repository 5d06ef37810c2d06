"""A shared item is never booked twice: real concurrent bookings (threads, each with its own database connection) of
one van for overlapping periods confirm exactly one and refuse the others with a French message naming the conflict
— no error escapes. On SQLite (a file database, IMMEDIATE transactions) and on PostgreSQL.

The guard is the unique constraint ``item_booking_unit_once`` (item, start) on ``ItemBookingUnit``: the service
takes no lock, it writes one unit row per day (or hour) booked and turns the database's ``IntegrityError`` into a
``ValidationError``. How it was proven, the way tests/test_guards.py proves guards: run this module with
``ESSAIM_TEST_GUARDS=off`` — the ``guards`` fixture below then drops the constraint from the test database for the
test (and puts it back after) — and the race test fails (several bookings confirmed for overlapping periods on
PostgreSQL; on SQLite with DEFERRED transactions, several confirmed too, or the database's own lock errors); with
the constraint, it passes. There is no ``select_for_update`` here: the constraint is the guard, listed in
tests/test_guards.py's ``CONSTRAINT_GUARDS`` so that its proof run (guards off) checks these tests fail without it;
and ``test_the_constraint_alone_refuses_a_second_unit`` (tests/club/test_pooling_services.py) proves it with no
service code at all."""

import datetime
import os

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from essaim.club.enums import BookingUnit, ItemBookingStatus
from essaim.club.models import ItemBooking, ItemBookingUnit
from essaim.club.services.items import item_book, period_of_days, period_of_hours
from tests.club.factories import ClubFactory, SharedItemFactory, member_user
from tests.races import run_together

ATTEMPTS = 8
GUARDS_OFF = os.environ.get("ESSAIM_TEST_GUARDS") == "off"


def _constraint():
    return next(c for c in ItemBookingUnit._meta.constraints if c.name == "item_booking_unit_once")


@pytest.fixture
def guards():
    """With ESSAIM_TEST_GUARDS=off, the constraint is dropped for the test: the guard removed."""
    if not GUARDS_OFF:
        yield
        return
    meta = ItemBookingUnit._meta
    constraint, kept = _constraint(), list(meta.constraints)
    # SQLite drops a plain unique constraint by remaking the table from the model's meta: take it out of it first.
    meta.constraints = [c for c in kept if c is not constraint]
    with connection.schema_editor() as editor:
        editor.remove_constraint(ItemBookingUnit, constraint)
    try:
        yield
    finally:
        ItemBookingUnit.objects.all().delete()
        meta.constraints = kept
        with connection.schema_editor() as editor:
            editor.add_constraint(ItemBookingUnit, constraint)


def outcome(result):
    if isinstance(result, ItemBooking):
        return "confirmed"
    if isinstance(result, ValidationError) and "est déjà réservé" in result.messages[0]:
        return "refused"
    return f"error: {result!r}"


@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_of_one_van_for_overlapping_periods_confirm_exactly_one(guards):
    club = ClubFactory()
    people = [member_user(club) for _ in range(ATTEMPTS)]
    van = SharedItemFactory(owner=people[0][1], name="Camionnette", unit=BookingUnit.DAY)
    first = timezone.localdate() + datetime.timedelta(days=10)
    periods = [
        period_of_days(first + datetime.timedelta(days=n % 3), first + datetime.timedelta(days=3 + n % 2))
        for n in range(ATTEMPTS)
    ]
    results = run_together(
        *(
            lambda user=user, member=member, period=period: item_book(
                item=van, member=member, by=user, start=period[0], end=period[1]
            )
            for (user, member), period in zip(people, periods, strict=True)
        )
    )
    assert sorted(outcome(r) for r in results) == ["confirmed"] + ["refused"] * (ATTEMPTS - 1)
    assert ItemBooking.objects.filter(status=ItemBookingStatus.CONFIRMED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_of_one_room_for_overlapping_hours_confirm_exactly_one(guards):
    club = ClubFactory()
    people = [member_user(club) for _ in range(ATTEMPTS)]
    room = SharedItemFactory(owner=people[0][1], name="Salle de réunion", unit=BookingUnit.HOUR)
    day = timezone.localdate() + datetime.timedelta(days=5)
    periods = [period_of_hours(day, datetime.time(9 + n % 3), datetime.time(12 + n % 2)) for n in range(ATTEMPTS)]
    results = run_together(
        *(
            lambda user=user, member=member, period=period: item_book(
                item=room, member=member, by=user, start=period[0], end=period[1]
            )
            for (user, member), period in zip(people, periods, strict=True)
        )
    )
    assert sorted(outcome(r) for r in results) == ["confirmed"] + ["refused"] * (ATTEMPTS - 1)
    assert ItemBooking.objects.filter(status=ItemBookingStatus.CONFIRMED).count() == 1
