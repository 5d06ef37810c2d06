"""Free advice slots, computed and never stored: the active opening ranges of a territory, expanded on their RFC 5545
rule (``essaim.core.recurrence``, from ``first_day`` at ``start_time``; a blank rule is one day), cut at the motif's
duration from the range's start, minus the bookings that hold a slot, minus absences (the adviser's and the whole
service's), minus French public holidays, within the motif's minimum and maximum delay from now.

Three queries whatever the number of slots: the ranges (with their motif and place), the holding bookings over the
window, the absences over the window. The rest is arithmetic in memory (a bisect per slot on each adviser's
bookings), so a month of a territory with thirty advisers stays a few milliseconds of Python.

A slot's id is an opaque string made of its range and its start (``slot_id``); ``parse_slot_id`` reads it back and
refuses anything else with ``ValueError``: ids travel in URLs and JSON, so any text may come back.
"""

import bisect
import datetime
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from django.utils import timezone

from essaim.core.holidays import holidays_between
from essaim.core.recurrence import RecurrenceError, parse_rule
from essaim.support.enums import HOLDING

SLOT_ID = re.compile(r"^r([1-9][0-9]{0,11})-([0-9]{8}T[0-9]{4})Z$")
MAX_OCCURRENCES = 800  # days of one range in one window: more than two years of daily ranges
ONE_DAY = datetime.timedelta(days=1)
LONGEST_BOOKING = datetime.timedelta(minutes=480)


@dataclass(frozen=True)
class Slot:
    """One free slot: the range it comes from, its adviser and motif, when, where and how."""

    id: str
    range_id: int
    adviser_id: int
    motif_id: int
    start: datetime.datetime
    end: datetime.datetime
    venue_id: int | None
    channel: str


def slot_id(range_id: int, start: datetime.datetime) -> str:
    """``r12-20271116T0800Z``: the range and the start in UTC to the minute."""
    return f"r{int(range_id)}-{start.astimezone(datetime.UTC):%Y%m%dT%H%M}Z"


def parse_slot_id(text) -> tuple[int, datetime.datetime]:
    """The range id and the aware start of a slot id; ``ValueError`` for anything that is not one."""
    if not isinstance(text, str):
        raise ValueError("identifiant de créneau non reconnu")
    match = SLOT_ID.fullmatch(text)
    if match is None:
        raise ValueError("identifiant de créneau non reconnu")
    try:
        start = datetime.datetime.strptime(match.group(2), "%Y%m%dT%H%M").replace(tzinfo=datetime.UTC)
    except ValueError:
        raise ValueError("identifiant de créneau non reconnu") from None
    return int(match.group(1)), start


def delay_window(motif, now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    """The earliest and latest start a motif takes from ``now`` (its minimum hours, its maximum days)."""
    return (
        now + datetime.timedelta(hours=motif.min_delay_hours),
        now + datetime.timedelta(days=motif.max_delay_days),
    )


def _range_days(opening_range, low: datetime.datetime, high: datetime.datetime) -> list[datetime.date]:
    """The local days of a range that may hold a slot between ``low`` and ``high`` (its rule expanded as
    ``essaim.core.recurrence`` does: naive local times, excluded days left out)."""
    dtstart = datetime.datetime.combine(opening_range.first_day, opening_range.start_time)
    if not opening_range.rule:
        return [opening_range.first_day] if timezone.localtime(low).date() - ONE_DAY <= dtstart.date() else []
    first = (timezone.localtime(low) - ONE_DAY).date()  # a day's first slot may start before the window
    last = timezone.localtime(high).date()
    exdates = tuple(str(value) for value in (opening_range.exdates or ()))
    return list(_rule_days(opening_range.rule, dtstart, exdates, first, last))


@lru_cache(maxsize=4096)
def _rule_days(rule: str, dtstart: datetime.datetime, exdates: tuple, first: datetime.date, last: datetime.date):
    """The days of a rule from ``first`` to ``last``, excluded days left out: a pure function, cached, since the
    same ranges are asked for the same weeks over and over (a range's rule and start are part of the key)."""
    try:
        parsed = parse_rule(rule, dtstart)
    except (RecurrenceError, ValueError, OverflowError):
        return ()  # a rule that no longer parses offers nothing rather than breaking every page
    skipped = set()
    for value in exdates:
        try:
            skipped.add(value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value))
        except (TypeError, ValueError):
            continue
    days = []
    start = datetime.datetime.combine(first, datetime.time())
    for moment in parsed.xafter(start, count=MAX_OCCURRENCES, inc=True):
        if moment.date() > last:
            break
        if moment.date() not in skipped:
            days.append(moment.date())
    return tuple(days)


def _starts(opening_range, day: datetime.date, duration: datetime.timedelta):
    """The local starts of a range's slots on one day, every ``duration`` from its start while a slot fits."""
    moment = datetime.datetime.combine(day, opening_range.start_time)
    last = datetime.datetime.combine(day, opening_range.end_time) - duration
    while moment <= last:
        yield moment
        moment += duration


class _Busy:
    """Intervals per adviser (bookings, which never overlap each other, and absences), asked "is this free?"."""

    def __init__(self, bookings, absences):
        per_adviser = defaultdict(list)
        for adviser_id, start, end in bookings:
            per_adviser[adviser_id].append((start, end))
        self.bookings = {}
        for adviser_id, rows in per_adviser.items():
            rows.sort()
            self.bookings[adviser_id] = ([s for s, _ in rows], [e for _, e in rows])
        self.absences = defaultdict(list)
        for adviser_id, start, end in absences:
            self.absences[adviser_id].append((start, end))

    def booked(self, adviser_id, start, end) -> bool:
        found = self.bookings.get(adviser_id)
        if not found:
            return False
        starts, ends = found
        index = bisect.bisect_left(starts, end) - 1
        # Bookings of one adviser never overlap, so only the last one starting before this slot's end can cover it;
        # the one before is checked too, for a booking made on a range that was edited since.
        return any(i >= 0 and ends[i] > start for i in (index, index - 1))

    def absent(self, adviser_id, start, end) -> bool:
        return any(s < end and e > start for s, e in (*self.absences.get(adviser_id, ()), *self.absences[None]))


def compute_slots(ranges, *, start, end, now, bookings=(), absences=()) -> list[Slot]:
    """The free slots of ``ranges`` (with their motif fetched) starting in [``start``, ``end``), given the holding
    bookings and the absences as ``(adviser_id, start, end)`` rows. Pure: no query."""
    busy = _Busy(bookings, absences)
    zone = timezone.get_current_timezone()  # a zoneinfo zone: attaching it is what make_aware does, without checks
    holidays = holidays_between((start - datetime.timedelta(days=1)).date(), end.date() + datetime.timedelta(days=1))
    found = []
    for opening_range in ranges:
        motif = opening_range.motif
        earliest, latest = delay_window(motif, now)
        low, high = max(start, earliest), min(end, latest)
        if low >= high:
            continue
        duration = motif.duration
        for day in _range_days(opening_range, low, high):
            if day in holidays:
                continue
            for naive in _starts(opening_range, day, duration):
                moment = naive.replace(tzinfo=zone)
                if moment < low or moment >= high:
                    continue
                finish = moment + duration
                adviser_id = opening_range.adviser_id
                if busy.booked(adviser_id, moment, finish) or busy.absent(adviser_id, moment, finish):
                    continue
                found.append(
                    Slot(
                        id=slot_id(opening_range.pk, moment),
                        range_id=opening_range.pk,
                        adviser_id=adviser_id,
                        motif_id=motif.pk,
                        start=moment,
                        end=finish,
                        venue_id=opening_range.venue_id,
                        channel=motif.channel,
                    )
                )
    found.sort(key=lambda s: (s.start, s.motif_id, s.adviser_id, s.range_id))
    return found


def busy_rows(territory_id, start, end, *, exclude_booking=None):
    """The holding bookings and the absences of a territory over a window, as ``(adviser_id, start, end)`` rows (two
    queries)."""
    from essaim.support.models import Absence, Booking

    # The lower bound on the start lets the (territory, start) index skip the years of past bookings: no booking
    # lasts longer than a motif may (``motif_duration_range``: 8 hours).
    bookings = Booking.objects.filter(
        territory_id=territory_id,
        status__in=HOLDING,
        starts_at__gt=start - LONGEST_BOOKING,
        starts_at__lt=end,
        ends_at__gt=start,
    )
    if exclude_booking is not None:
        bookings = bookings.exclude(pk=exclude_booking)
    absences = Absence.objects.filter(territory_id=territory_id, starts_at__lt=end, ends_at__gt=start)
    return (
        list(bookings.values_list("adviser_id", "starts_at", "ends_at").order_by()),
        list(absences.values_list("adviser_id", "starts_at", "ends_at").order_by()),
    )


def free_slots(territory, *, start, end, motif=None, now=None) -> list[Slot]:
    """The free slots of a territory (of one motif when given) starting between ``start`` and ``end``, sorted by
    start. Three queries."""
    from essaim.support.models import OpeningRange

    now = now or timezone.now()
    ranges = OpeningRange.objects.active().filter(territory=territory, first_day__lte=end.date())
    if motif is not None:
        ranges = ranges.filter(motif=motif)
    ranges = list(ranges.select_related("motif").order_by("pk"))
    if not ranges:
        return []
    bookings, absences = busy_rows(territory.pk, start, end + datetime.timedelta(days=1))
    return compute_slots(ranges, start=start, end=end, now=now, bookings=bookings, absences=absences)


def find_slot(text, *, now=None, held_ok=False):
    """The slot a slot id names while it is still offered (active range, within the motif's delays, no absence, not
    a public holiday), with its range (motif fetched): ``(slot, opening_range)``; ``(None, range or None)`` when the
    id names nothing offered. With ``held_ok`` a holding booking does not hide the slot (the caller checks it, to
    tell "just taken" from "not offered")."""
    from essaim.support.models import OpeningRange

    try:
        range_id, start = parse_slot_id(text)
    except ValueError:
        return None, None
    opening_range = OpeningRange.objects.active().select_related("motif", "territory").filter(pk=range_id).first()
    if opening_range is None:
        return None, None
    now = now or timezone.now()
    window_end = start + datetime.timedelta(minutes=1)
    bookings, absences = busy_rows(opening_range.territory_id, start, start + opening_range.motif.duration)
    slots = compute_slots(
        [opening_range],
        start=start,
        end=window_end,
        now=now,
        bookings=() if held_ok else bookings,
        absences=absences,
    )
    match = next((s for s in slots if s.start == start), None)
    return match, opening_range
