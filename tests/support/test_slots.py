"""Free slots are computed from the opening ranges, never stored: cut at the motif's duration, minus holding
bookings, absences (the adviser's and the whole service's), public holidays, within the motif's delays."""

import datetime

import pytest
from django.utils import timezone

from essaim.support.enums import BookingStatus
from essaim.support.slots import find_slot, free_slots, parse_slot_id, slot_id
from tests.support.factories import (
    AbsenceFactory,
    BookingFactory,
    MotifFactory,
    OpeningRangeFactory,
    local,
    next_weekday,
)

pytestmark = pytest.mark.django_db


def window(day: datetime.date, days: int = 1):
    return local(day, 0), local(day + datetime.timedelta(days=days), 0)


def test_a_range_is_cut_at_the_motif_duration_from_its_start():
    opening = OpeningRangeFactory()
    start, end = window(opening.first_day)
    slots = free_slots(opening.territory, start=start, end=end)
    assert [s.start for s in slots] == [local(opening.first_day, 9, m) for m in (0, 45)] + [
        local(opening.first_day, 10, 30),
        local(opening.first_day, 11, 15),
    ]
    first = slots[0]
    assert (first.range_id, first.adviser_id, first.motif_id) == (opening.pk, opening.adviser_id, opening.motif_id)
    assert first.end - first.start == datetime.timedelta(minutes=45)
    assert first.venue_id == opening.venue_id
    assert first.channel == "in_person"
    assert first.id == slot_id(opening.pk, first.start)


def test_a_weekly_rule_repeats_and_a_blank_rule_is_one_day():
    weekly = OpeningRangeFactory()
    once = OpeningRangeFactory(rule="", territory=weekly.territory, motif=weekly.motif, first_day=weekly.first_day)
    start, end = window(weekly.first_day, days=15)
    slots = free_slots(weekly.territory, start=start, end=end)
    weekly_days = sorted({s.start.date() for s in slots if s.range_id == weekly.pk})
    assert weekly_days == [weekly.first_day + datetime.timedelta(days=7 * n) for n in range(3)]
    assert {s.start.date() for s in slots if s.range_id == once.pk} == {once.first_day}
    assert [s.start for s in slots] == sorted(s.start for s in slots)


def test_holding_bookings_hide_their_slot_and_freed_ones_do_not():
    opening = OpeningRangeFactory()
    BookingFactory(opening_range=opening)  # 9:00
    BookingFactory(opening_range=opening, starts_at=local(opening.first_day, 9, 45), status=BookingStatus.EXCUSED)
    BookingFactory(opening_range=opening, starts_at=local(opening.first_day, 10, 30), status=BookingStatus.NO_SHOW)
    start, end = window(opening.first_day)
    slots = free_slots(opening.territory, start=start, end=end)
    assert [s.start for s in slots] == [local(opening.first_day, 9, 45), local(opening.first_day, 11, 15)]


def test_the_advisers_absence_and_the_service_closure_hide_slots_another_advisers_does_not():
    opening = OpeningRangeFactory()
    other = OpeningRangeFactory(territory=opening.territory, motif=opening.motif)
    day = opening.first_day
    AbsenceFactory(
        territory=opening.territory, adviser=opening.adviser, starts_at=local(day, 9), ends_at=local(day, 10)
    )
    start, end = window(day)
    slots = free_slots(opening.territory, start=start, end=end)
    assert [s.start for s in slots if s.range_id == opening.pk] == [local(day, 10, 30), local(day, 11, 15)]
    assert len([s for s in slots if s.range_id == other.pk]) == 4
    AbsenceFactory(territory=opening.territory, adviser=None, starts_at=local(day, 11), ends_at=local(day, 18))
    slots = free_slots(opening.territory, start=start, end=end)
    assert [(s.range_id, s.start) for s in slots] == [(other.pk, local(day, 9)), (other.pk, local(day, 9, 45))]


def test_absences_of_another_territory_change_nothing():
    opening = OpeningRangeFactory()
    elsewhere = OpeningRangeFactory()
    AbsenceFactory(territory=elsewhere.territory, adviser=None, starts_at=local(opening.first_day, 0))
    start, end = window(opening.first_day)
    assert len(free_slots(opening.territory, start=start, end=end)) == 4


def test_public_holidays_offer_no_slot():
    year = timezone.localdate().year + 1
    holiday = datetime.date(year, 7, 14)
    motif = MotifFactory(max_delay_days=800)
    opening = OpeningRangeFactory(motif=motif, territory=motif.territory, first_day=holiday, rule="FREQ=DAILY;COUNT=2")
    start, end = window(holiday, days=2)
    slots = free_slots(opening.territory, start=start, end=end)
    assert {s.start.date() for s in slots} == {holiday + datetime.timedelta(days=1)}


def test_the_motif_delays_bound_the_slots_from_now():
    motif = MotifFactory(min_delay_hours=48, max_delay_days=14)
    opening = OpeningRangeFactory(motif=motif, territory=motif.territory, rule="FREQ=DAILY")
    now = local(opening.first_day, 10)
    start, end = window(opening.first_day, days=30)
    slots = free_slots(opening.territory, start=start, end=end, now=now)
    assert slots[0].start == local(opening.first_day + datetime.timedelta(days=2), 10, 30)
    assert slots[-1].start <= now + datetime.timedelta(days=14)
    assert slots[-1].start.date() == opening.first_day + datetime.timedelta(days=14)


def test_inactive_ranges_and_motifs_offer_nothing_and_a_motif_filters():
    opening = OpeningRangeFactory()
    other_motif = OpeningRangeFactory(territory=opening.territory)
    start, end = window(opening.first_day)
    assert {s.motif_id for s in free_slots(opening.territory, start=start, end=end, motif=opening.motif)} == {
        opening.motif_id
    }
    opening.active = False
    opening.save()
    other_motif.motif.active = False
    other_motif.motif.save()
    assert free_slots(opening.territory, start=start, end=end) == []


def test_slots_keep_their_local_hour_across_the_change_of_time():
    year = timezone.localdate().year + 1
    sunday = max(datetime.date(year, 10, d) for d in range(25, 32) if datetime.date(year, 10, d).weekday() == 6)
    motif = MotifFactory(max_delay_days=800)
    opening = OpeningRangeFactory(
        motif=motif, territory=motif.territory, first_day=sunday - datetime.timedelta(days=5), rule="FREQ=WEEKLY"
    )
    start, end = window(opening.first_day, days=8)
    slots = free_slots(opening.territory, start=start, end=end)
    firsts = [s.start for s in slots if s.start.astimezone(s.start.tzinfo).time() == datetime.time(9)]
    assert len(firsts) == 2
    assert firsts[1].astimezone(datetime.UTC) - firsts[0].astimezone(datetime.UTC) == datetime.timedelta(
        days=7, hours=1
    )


def test_three_queries_whatever_the_number_of_slots(django_assert_num_queries):
    opening = OpeningRangeFactory(rule="FREQ=DAILY")
    for _ in range(5):
        OpeningRangeFactory(territory=opening.territory, motif=opening.motif, rule="FREQ=DAILY")
    BookingFactory(opening_range=opening)
    start, end = window(opening.first_day, days=30)
    with django_assert_num_queries(3):
        slots = free_slots(opening.territory, start=start, end=end)
    assert len(slots) > 400


def test_a_slot_id_reads_back():
    start = local(next_weekday(1), 9, 45)
    assert parse_slot_id(slot_id(42, start)) == (42, start)


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "r0-20271116T0800Z",
        "42",
        "r42-20271316T0800Z",
        "r42-20271116T0860Z",
        "r42-20271116T0800",
        None,
        42,
        "r42-20271116T0800Z\n",
        "r1234567890123-20271116T0800Z",
        "r42-00001116T0800Z",
    ],
)
def test_anything_else_is_refused_with_value_error(garbage):
    with pytest.raises(ValueError, match="identifiant"):
        parse_slot_id(garbage)


def test_find_slot_checks_the_slot_is_still_offered():
    opening = OpeningRangeFactory()
    text = slot_id(opening.pk, local(opening.first_day, 9, 45))
    slot, found_range = find_slot(text)
    assert slot.start == local(opening.first_day, 9, 45)
    assert found_range == opening
    assert find_slot(slot_id(opening.pk, local(opening.first_day, 9, 50)))[0] is None  # not on the grid
    assert find_slot(slot_id(opening.pk, local(opening.first_day, 12)))[0] is None  # past the range's end
    BookingFactory(opening_range=opening, starts_at=local(opening.first_day, 9, 45))
    assert find_slot(text)[0] is None
    assert find_slot(text, held_ok=True)[0] is not None
    assert find_slot("nonsense") == (None, None)
