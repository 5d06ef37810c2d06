"""Services of the shared items (a meeting room, a van…) and their bookings.

Two overlapping bookings of one item are impossible: a booking writes one ``ItemBookingUnit`` per unit it covers
(each hour, in UTC, for an item booked by the hour; each Europe/Paris day, stored as its local midnight in UTC, for
an item booked by the day), and the unique constraint ``item_booking_unit_once`` (item, start) refuses the second of
two overlapping bookings whatever the code above it does, on SQLite and PostgreSQL alike. The service turns that
``IntegrityError`` into a French ``ValidationError`` naming the conflict. Cancelling deletes the units."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from essaim.club import perms
from essaim.club.enums import BookingUnit, ItemBookingStatus, ListingCategory
from essaim.club.models import ItemBooking, ItemBookingUnit, SharedItem
from essaim.core.french import format_date

MAX_DAYS = 31
MAX_HOURS = 14
HOUR = datetime.timedelta(hours=1)


@transaction.atomic
def item_create(*, member, by, name: str, category: str, description: str = "", commune=None, unit: str) -> SharedItem:
    """A person of an active member adds a thing its structure lends to the others."""
    if not member.is_active or not perms.acts_for(by, member):
        raise ValidationError("Seule une personne d'une structure membre du club peut prêter un bien pour elle.")
    if unit not in BookingUnit.values:
        raise ValidationError({"unit": "Choisissez une réservation à l'heure ou à la journée."})
    if category not in ListingCategory.values:
        raise ValidationError({"category": "Choisissez une catégorie."})
    if not (name or "").strip():
        raise ValidationError({"name": "Donnez un nom au bien."})
    return SharedItem.objects.create(
        club=member.club,
        owner=member,
        name=name.strip(),
        category=category,
        description=description,
        commune=commune,
        unit=unit,
    )


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def period_of_days(first: datetime.date, last: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[first day's local midnight, the day after the last one's local midnight)."""
    return _local_midnight(first), _local_midnight(last + datetime.timedelta(days=1))


def period_of_hours(day: datetime.date, start: datetime.time, end: datetime.time):
    begin = timezone.make_aware(datetime.datetime.combine(day, start))
    finish = timezone.make_aware(datetime.datetime.combine(day, end))
    return begin, finish


def units_of(item, start: datetime.datetime, end: datetime.datetime) -> list[datetime.datetime]:
    """The unit starts (UTC) a period covers: each hour, or each local day's midnight."""
    units = []
    if item.unit == BookingUnit.HOUR:
        current = start.astimezone(datetime.UTC)
        while current < end:
            units.append(current)
            current += HOUR
    else:
        day = timezone.localtime(start).date()
        last = timezone.localtime(end - datetime.timedelta(microseconds=1)).date()
        while day <= last:
            units.append(_local_midnight(day).astimezone(datetime.UTC))
            day += datetime.timedelta(days=1)
    return units


def _check_period(item, start, end, now) -> None:
    if end <= start:
        raise ValidationError("La fin de la réservation doit suivre son début.")
    if end <= now:
        raise ValidationError("Cette période est déjà passée.")
    if item.unit == BookingUnit.HOUR:
        local_start, local_end = timezone.localtime(start), timezone.localtime(end)
        if local_start.minute or local_start.second or local_end.minute or local_end.second:
            raise ValidationError("Ce bien se réserve par heures entières.")
        if end - start > MAX_HOURS * HOUR:
            raise ValidationError(f"Une réservation dure au plus {MAX_HOURS} heures.")
    else:
        if len(units_of(item, start, end)) > MAX_DAYS:
            raise ValidationError(f"Une réservation dure au plus {MAX_DAYS} jours.")


def _unit_label(item, unit_start) -> str:
    local = timezone.localtime(unit_start)
    if item.unit == BookingUnit.HOUR:
        return f"le {format_date(local, 'l j F Y')} à {local:%H} h"
    return f"le {format_date(local, 'l j F Y')}"


def conflict_message(item, units) -> str:
    """« Camionnette est déjà réservée le mardi 3 mars 2026 » — the first unit already taken."""
    taken = (
        ItemBookingUnit.objects.filter(item=item, start__in=units).order_by("start").values_list("start", flat=True)
    )
    first = next(iter(taken), None)
    when = _unit_label(item, first) if first else "sur cette période"
    return f"« {item.name} » est déjà réservé {when} : choisissez une autre période."


def item_book(*, item, member, by, start, end, purpose: str = "", now=None) -> ItemBooking:
    """Books an item for [start, end) for a member; refused in French when any unit of it is already booked."""
    now = now or timezone.now()
    if not item.active:
        raise ValidationError("Ce bien n'est plus réservable.")
    if member.club_id != item.club_id or not member.is_active or not perms.acts_for(by, member):
        raise ValidationError("Seule une personne d'une structure membre du club peut réserver.")
    _check_period(item, start, end, now)
    units = units_of(item, start, end)
    try:
        with transaction.atomic():
            booking = ItemBooking.objects.create(
                item=item, member=member, booked_by=by, start=start, end=end, purpose=(purpose or "")[:300]
            )
            ItemBookingUnit.objects.bulk_create([ItemBookingUnit(item=item, booking=booking, start=u) for u in units])
    except IntegrityError:
        raise ValidationError(conflict_message(item, units)) from None
    return booking


@transaction.atomic
def booking_cancel(*, booking, by, now=None) -> ItemBooking:
    """Cancels a booking (its member's people, the item's owner's, or the staff): its units are deleted, so the
    period is free again."""
    item = booking.item
    allowed = (
        perms.acts_for(by, booking.member) or perms.acts_for(by, item.owner) or perms.can_facilitate(by, item.club)
    )
    if not allowed:
        raise ValidationError("Vous ne pouvez pas annuler cette réservation.")
    if booking.status != ItemBookingStatus.CONFIRMED:
        raise ValidationError("Cette réservation est déjà annulée.")
    ItemBookingUnit.objects.filter(booking=booking).delete()
    booking.status = ItemBookingStatus.CANCELLED
    booking.cancelled_at = now or timezone.now()
    booking.save(update_fields=["status", "cancelled_at", "updated_at"])
    return booking
