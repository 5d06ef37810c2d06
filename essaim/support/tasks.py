"""Mails of the advice slots, sent after the commit through django-tasks (``@task`` functions enqueued with
``transaction.on_commit``): confirmation (with the slot as an ``.ics`` file and the manage link), move,
cancellation, cancellation by the service, the earlier-slot offer, and the reminder 48 h before.

The reminder is queued at booking time to run 48 h before the slot (``run_after``; the jobs backend honours it) and
is idempotent: it claims the booking by a conditional UPDATE of ``reminder_sent_at`` and sends nothing for a booking
moved, cancelled or already reminded. The daily ``support_reminders`` command catches the bookings made by other
paths. Arguments are primary keys and strings, so that any backend serialises them."""

import datetime

import icalendar
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from essaim.agenda.feeds import PARIS, PRODID, paris_vtimezone
from essaim.core.french import format_date
from essaim.support.enums import BookingStatus, Channel, WaitlistStatus
from essaim.support.models import Booking, WaitlistEntry
from essaim.support.services.projects import retention_months

REMINDER_BEFORE = datetime.timedelta(hours=48)

TEMPLATES = {
    "confirmed": "support/mail/booking_confirmed.txt",
    "moved": "support/mail/booking_moved.txt",
    "cancelled": "support/mail/booking_cancelled.txt",
    "cancelled_by_service": "support/mail/booking_cancelled_by_service.txt",
    "reminder": "support/mail/booking_reminder.txt",
}
SUBJECTS = {
    "confirmed": "Rendez-vous confirmé : {title}",
    "moved": "Rendez-vous déplacé : {title}",
    "cancelled": "Rendez-vous annulé : {title}",
    "cancelled_by_service": "Votre rendez-vous est annulé par le service : {title}",
    "reminder": "Rappel : votre rendez-vous {title}",
}
WITH_ICS = {"confirmed", "moved", "reminder"}


def booking_when(booking) -> str:
    """« mardi 16 novembre 2027, 9 h 00 – 9 h 45 » in Europe/Paris."""
    start = timezone.localtime(booking.starts_at)
    end = timezone.localtime(booking.ends_at)
    return f"{format_date(start, 'l j F Y')}, {start:%H} h {start:%M} – {end:%H} h {end:%M}"


def booking_where(booking) -> str:
    """The place of an in-person slot, or how it is held (phone, video)."""
    if booking.channel == Channel.IN_PERSON and booking.venue_id:
        return booking.venue.one_line
    return booking.get_channel_display()


def manage_url(booking, site_url: str) -> str:
    return site_url + reverse("support:booking", kwargs={"token": booking.token})


def booking_vevent(booking, *, site_url: str = "", private: bool = False) -> icalendar.Event:
    """One booking as a VEVENT (UID stable across moves of the same booking row). ``private``: the adviser's feed,
    which names the person and the motif but never their e-mail or phone."""
    vevent = icalendar.Event()
    vevent.add("uid", f"rdv-{booking.pk}@essaim")
    stamp = booking.updated_at or timezone.now()
    vevent.add("dtstamp", stamp.astimezone(datetime.UTC))
    vevent.add("dtstart", booking.starts_at.astimezone(PARIS))
    vevent.add("dtend", booking.ends_at.astimezone(PARIS))
    if private:
        vevent.add("summary", f"{booking.motif.title} — {booking.name}")
        vevent.add("description", f"Rendez-vous {booking.get_channel_display()}.")
    else:
        vevent.add("summary", booking.motif.title)
        vevent.add(
            "description",
            f"Rendez-vous {booking.get_channel_display()}.\n\nDéplacer ou annuler : {manage_url(booking, site_url)}",
        )
    if booking.channel == Channel.IN_PERSON and booking.venue_id:
        vevent.add("location", booking.venue.one_line)
    vevent.add("status", "CONFIRMED" if booking.holds_slot else "CANCELLED")
    vevent.add("transp", "OPAQUE")
    return vevent


def build_booking_calendar(bookings, *, name: str, site_url: str = "", private: bool = False) -> bytes:
    """An RFC 5545 calendar of bookings (motif and venue with commune fetched), in Europe/Paris."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Paris")
    calendar.add_component(paris_vtimezone())
    for booking in bookings:
        calendar.add_component(booking_vevent(booking, site_url=site_url, private=private))
    return calendar.to_ical()


def _booking(booking_id: int):
    return (
        Booking.objects.select_related("motif", "territory", "venue__commune")
        .filter(pk=booking_id, anonymised_at__isnull=True)
        .first()
    )


def _context(booking, site_url: str) -> dict:
    return {
        "booking": booking,
        "motif": booking.motif,
        "territory": booking.territory,
        "when": booking_when(booking),
        "where": booking_where(booking),
        "manage_url": manage_url(booking, site_url),
        "retention_months": retention_months(),
        "book_again_url": site_url
        + reverse("support:motif", kwargs={"slug": booking.territory.slug, "motif": booking.motif.slug}),
    }


def _send(booking, kind: str, site_url: str) -> None:
    message = EmailMessage(
        subject=SUBJECTS[kind].format(title=booking.motif.title),
        body=render_to_string(TEMPLATES[kind], _context(booking, site_url)),
        to=[booking.email],
    )
    if kind in WITH_ICS:
        ics = build_booking_calendar([booking], name=booking.motif.title, site_url=site_url)
        message.attach("rendez-vous.ics", ics, "text/calendar; charset=utf-8; method=PUBLISH")
    message.send()


@task()
def send_booking_mail(booking_id: int, kind: str, site_url: str = "") -> bool:
    """Tells the person their booking is confirmed, moved, cancelled (by them or by the service)."""
    from essaim.core.links import site_url as public_site_url

    site_url = public_site_url(site_url or None)
    booking = _booking(booking_id)
    if booking is None or kind not in TEMPLATES or kind == "reminder":
        return False
    _send(booking, kind, site_url)
    return True


def claim_reminder(booking_id: int, now=None) -> bool:
    """Marks a booking as reminded if it still needs it (booked, to come, never reminded): a conditional UPDATE, so
    that the queued task and the daily command never both send it."""
    now = now or timezone.now()
    return bool(
        Booking.objects.filter(
            pk=booking_id,
            status=BookingStatus.BOOKED,
            reminder_sent_at__isnull=True,
            anonymised_at__isnull=True,
            starts_at__gt=now,
        ).update(reminder_sent_at=now)
    )


@task()
def send_booking_reminder(booking_id: int, site_url: str = "") -> bool:
    """The reminder 48 h before: nothing for a booking moved, cancelled or already reminded."""
    from essaim.core.links import site_url as public_site_url

    if not claim_reminder(booking_id):
        return False
    booking = _booking(booking_id)
    if booking is None:
        return False
    _send(booking, "reminder", public_site_url(site_url or None))
    return True


@task()
def send_waitlist_offer(entry_id: int, site_url: str = "") -> bool:
    """Offers an earlier slot to a person of the waiting list: the slot, until when the offer lasts, and the link
    that takes it in one click."""
    from essaim.core.links import site_url as public_site_url

    site_url = public_site_url(site_url or None)
    entry = (
        WaitlistEntry.objects.select_related("motif", "territory", "booking", "offered_range__venue__commune")
        .filter(pk=entry_id, status=WaitlistStatus.OFFERED)
        .first()
    )
    if entry is None or entry.offered_start is None:
        return False
    start = timezone.localtime(entry.offered_start)
    venue = entry.offered_range.venue if entry.offered_range_id else None
    context = {
        "entry": entry,
        "motif": entry.motif,
        "when": f"{format_date(start, 'l j F Y')} à {start:%H} h {start:%M}",
        "where": venue.one_line if venue and entry.motif.channel == Channel.IN_PERSON else "",
        "expires": format_date(entry.offer_expires_at, "l j F Y à H \\h i"),
        "current": booking_when(entry.booking) if entry.booking_id else "",
        "offer_url": site_url + reverse("support:waitlist_offer", kwargs={"token": entry.token}),
    }
    EmailMessage(
        subject=f"Un créneau plus tôt s'est libéré : {entry.motif.title}",
        body=render_to_string("support/mail/waitlist_offer.txt", context),
        to=[entry.email],
    ).send()
    return True


@task()
def expire_waitlist_offers(site_url: str = "") -> int:
    """Queued for the end of a waiting-list offer: ends the offers nobody took and passes each slot on."""
    from essaim.support.services.bookings import waitlist_expire

    return waitlist_expire(site_url=site_url)
