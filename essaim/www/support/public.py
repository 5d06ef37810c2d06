"""Public pages of the advice slots (*permanences*), no account needed: the territories that offer them, a
territory's motifs, a motif's free slots by day (a week at a time), the booking form, and the page of the links a
booking's mails carry (see it, cancel, move, ask for an earlier slot) and of an earlier-slot offer."""

import datetime
from collections import OrderedDict

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from essaim.agenda.models import Venue
from essaim.agenda.ratelimit import allow
from essaim.core import bounds
from essaim.core.french import format_date
from essaim.core.inputs import InputError, parse_date
from essaim.support.enums import BookableBy, BookingStatus, Channel, WaitlistStatus
from essaim.support.models import Booking, Invitation, Motif, OpeningRange, Partner, WaitlistEntry
from essaim.support.services.bookings import (
    BookingRefused,
    SlotTaken,
    booking_cancel,
    booking_create,
    booking_move,
    waitlist_join,
    waitlist_leave,
    waitlist_take,
)
from essaim.support.slots import delay_window, find_slot, free_slots
from essaim.support.tasks import booking_when, booking_where
from essaim.territories.models import Territory
from essaim.www.support.booking_forms import BookingForm, MoveForm

AHEAD_DAYS = 62
ALTERNATIVES = 6


def site_root(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


# --- helpers shared with the adviser pages and the API --------------------------------------------------------------


def venues_of(slots) -> dict:
    """The places of slots, in one query (with their commune)."""
    ids = {s.venue_id for s in slots if s.venue_id}
    return {v.pk: v for v in Venue.objects.filter(pk__in=ids).select_related("commune")} if ids else {}


def slot_label(slot) -> str:
    start = timezone.localtime(slot.start)
    end = timezone.localtime(slot.end)
    return f"{format_date(start, 'l j F Y')}, {start:%H} h {start:%M} – {end:%H} h {end:%M}"


def slot_rows(slots, motif=None):
    """Slots decorated for a page: label, hour, place."""
    venues = venues_of(slots)
    rows = []
    for slot in slots:
        venue = venues.get(slot.venue_id)
        start = timezone.localtime(slot.start)
        rows.append(
            {
                "slot": slot,
                "id": slot.id,
                "hour": f"{start:%H} h {start:%M}",
                "label": slot_label(slot),
                "where": venue.one_line if venue and slot.channel == Channel.IN_PERSON else "",
                "venue_name": venue.name if venue and slot.channel == Channel.IN_PERSON else "",
            }
        )
    return rows


def by_day(rows):
    days = OrderedDict()
    for row in rows:
        day = timezone.localtime(row["slot"].start).date()
        days.setdefault(day, []).append(row)
    return [{"day": day, "label": format_date(day, "l j F Y"), "rows": items} for day, items in days.items()]


def _territory(slug: str) -> Territory:
    return get_object_or_404(Territory, slug=slug)


def _motif(territory, slug: str) -> Motif:
    motif = Motif.objects.active().filter(territory=territory, slug=slug).first()
    if motif is None:
        raise Http404("Ce rendez-vous n'est pas proposé.")
    return motif


def _valid_invitation(motif, token: str):
    if not token or len(token) > 64 or bounds.has_control_characters(token):
        return None
    return Invitation.objects.filter(
        motif=motif, token=token, used_at__isnull=True, expires_at__gt=timezone.now()
    ).first()


def _offering_territories():
    ids = OpeningRange.objects.active().values_list("territory_id", flat=True).distinct()
    return Territory.objects.filter(pk__in=ids).order_by("name")


# --- pages ---------------------------------------------------------------------------------------------------------


def index(request):
    """Public. The territories that offer permanences; a single-territory site goes straight to its own."""
    territories = list(_offering_territories())
    if settings.ESSAIM_DEFAULT_TERRITORY:
        default = Territory.objects.by_key(settings.ESSAIM_DEFAULT_TERRITORY).first()
        if default is not None and any(t.pk == default.pk for t in territories):
            return HttpResponseRedirect(reverse("support:territory", kwargs={"slug": default.slug}))
    return render(request, "support/public/index.html", {"territories": territories})


def territory_page(request, slug):
    """Public. A territory's bookable motifs with their channel, length and next free slot, and its partners."""
    territory = _territory(slug)
    motifs = list(Motif.objects.active().filter(territory=territory, bookable_by=BookableBy.ANYONE).order_by("title"))
    now = timezone.now()
    upcoming = free_slots(territory, start=now, end=now + datetime.timedelta(days=AHEAD_DAYS), now=now)
    first = {}
    for slot in upcoming:
        first.setdefault(slot.motif_id, slot)
    rows = [{"motif": m, "next": slot_label(first[m.pk]) if m.pk in first else ""} for m in motifs]
    partners = Partner.objects.filter(territory=territory, active=True).order_by("name")
    context = {"territory": territory, "rows": rows, "partners": partners}
    return render(request, "support/public/territory.html", context)


def _week_start(request, motif, now):
    """The Monday of the week asked (``?semaine=AAAA-MM-JJ``, any day of it), never before this week nor past the
    motif's maximum delay; ``InputError`` for a value that is not a date."""
    today = timezone.localtime(now).date()
    this_monday = today - datetime.timedelta(days=today.weekday())
    text = request.GET.get("semaine", "")
    if not text:
        return this_monday
    day = parse_date(text, name="semaine")
    monday = day - datetime.timedelta(days=day.weekday())
    last = today + datetime.timedelta(days=motif.max_delay_days)
    return min(max(monday, this_monday), last - datetime.timedelta(days=last.weekday()))


def motif_page(request, slug, motif):
    """Public. A motif's free slots, a week at a time, grouped by day: one link per slot (no JavaScript). An
    invitation-only motif shows its slots only with a valid ``?invitation=``."""
    territory = _territory(slug)
    motif = _motif(territory, motif)
    token = request.GET.get("invitation", "")
    invitation = _valid_invitation(motif, token) if motif.bookable_by != BookableBy.ANYONE else None
    locked = motif.bookable_by != BookableBy.ANYONE and invitation is None
    now = timezone.now()
    error, status = "", 200
    try:
        monday = _week_start(request, motif, now)
    except InputError as exc:
        error, status = str(exc), 400
        today = timezone.localdate()
        monday = today - datetime.timedelta(days=today.weekday())
    start = timezone.make_aware(datetime.datetime.combine(monday, datetime.time()))
    end = start + datetime.timedelta(days=7)
    slots = [] if locked else free_slots(territory, start=start, end=end, motif=motif, now=now)
    next_slot = None
    if not slots and not locked:
        later = free_slots(
            territory, start=end, end=now + motif.max_delay_days * datetime.timedelta(days=1), motif=motif, now=now
        )
        next_slot = later[0] if later else None
    earliest, latest = delay_window(motif, now)
    sunday = monday + datetime.timedelta(days=6)
    this_monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    previous_week = monday - datetime.timedelta(days=7) if monday > this_monday else None
    next_week = monday + datetime.timedelta(days=7)
    if timezone.make_aware(datetime.datetime.combine(next_week, datetime.time())) > latest:
        next_week = None
    context = {
        "territory": territory,
        "motif": motif,
        "days": by_day(slot_rows(slots)),
        "locked": locked,
        "invitation_token": invitation.token if invitation else "",
        "error": error,
        "week_label": f"du {format_date(monday, 'j F Y')} au {format_date(sunday, 'j F Y')}",
        "previous_week": previous_week.isoformat() if previous_week else "",
        "next_week": next_week.isoformat() if next_week else "",
        "next_slot": next_slot,
        "next_slot_week": timezone.localtime(next_slot.start).date().isoformat() if next_slot else "",
        "next_slot_label": slot_label(next_slot) if next_slot else "",
        "earliest": earliest,
    }
    return render(request, "support/public/motif.html", context, status=status)


def _alternatives(territory, motif, now, exclude=""):
    slots = free_slots(territory, start=now, end=now + datetime.timedelta(days=AHEAD_DAYS), motif=motif, now=now)
    return slot_rows([s for s in slots if s.id != exclude][:ALTERNATIVES])


@require_http_methods(["GET", "POST"])
def book(request, slug, motif):
    """Public, no account. The booking form of one slot (``?slot=``); rate-limited like the agenda's registrations.
    When the slot was just taken, the form comes back with what was typed and other slots to choose from."""
    territory = _territory(slug)
    motif = _motif(territory, motif)
    token = request.GET.get("invitation", "") or request.POST.get("invitation", "")
    invitation = _valid_invitation(motif, token) if motif.bookable_by != BookableBy.ANYONE else None
    if motif.bookable_by != BookableBy.ANYONE and invitation is None:
        return render(
            request,
            "support/public/book.html",
            {"territory": territory, "motif": motif, "locked": True, "form": None, "slot": None},
            status=403,
        )
    now = timezone.now()
    status = 200
    alternatives = []
    taken = False
    phone_required = motif.channel == Channel.PHONE
    if request.method == "POST":
        form = BookingForm(request.POST, phone_required=phone_required)
        if not allow(request, scope="support-booking"):
            form.is_valid()
            form.add_error(
                None, "Trop de tentatives de réservation depuis votre connexion : réessayez dans une minute."
            )
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            try:
                booking = booking_create(
                    slot_id=data["slot"],
                    name=data["name"],
                    email=data["email"],
                    phone=data["phone"],
                    message=data["message"],
                    consent=data["consent"],
                    invitation=invitation,
                    source="web",
                    site_url=site_root(request),
                )
            except SlotTaken as exc:
                form.add_error(None, exc.message)
                taken, status = True, 409
            except BookingRefused as exc:
                form.add_error(None, exc.message)
                status = 422
            else:
                messages.success(
                    request,
                    f"Votre rendez-vous est confirmé. Un e-mail de confirmation a été envoyé à {booking.email}, "
                    "avec le lien pour le déplacer ou l'annuler.",
                )
                return HttpResponseRedirect(reverse("support:booking", kwargs={"token": booking.token}))
        slot_text = request.POST.get("slot", "")
    else:
        slot_text = request.GET.get("slot", "")
        form = BookingForm(initial={"slot": slot_text}, phone_required=phone_required)
    slot, _range = find_slot(slot_text[:40], now=now) if slot_text else (None, None)
    if slot is not None and slot.motif_id != motif.pk:
        slot = None
    if slot is None:
        alternatives = _alternatives(territory, motif, now, exclude=slot_text)
        if request.method == "GET":
            status = 404 if slot_text else 200
            taken = bool(slot_text)
    context = {
        "territory": territory,
        "motif": motif,
        "form": form,
        "slot": slot_rows([slot])[0] if slot else None,
        "taken": taken,
        "alternatives": alternatives,
        "invitation_token": invitation.token if invitation else "",
        "locked": False,
    }
    return render(request, "support/public/book.html", context, status=status)


def _booking_by_token(token) -> Booking:
    booking = (
        Booking.objects.select_related("motif", "territory", "venue__commune")
        .filter(token=token, anonymised_at__isnull=True)
        .first()
    )
    if booking is None:
        raise Http404("Ce lien de rendez-vous n'est pas valable.")
    return booking


@require_http_methods(["GET", "POST"])
def booking_page(request, token):
    """Public, reached by the link of the booking's mails (its token). Shows the booking; cancels it (after a
    confirmation step), moves it to another slot of the same motif, or asks for an earlier slot."""
    booking = _booking_by_token(token)
    now = timezone.now()
    status = 200
    error = ""
    action = request.POST.get("action", "") if request.method == "POST" else request.GET.get("action", "")
    if request.method == "POST":
        try:
            if action == "cancel":
                reason = bounds.CONTROL_CHARACTERS.sub("", request.POST.get("reason", ""))[:250]
                booking_cancel(booking=booking, reason=reason, site_url=site_root(request))
                messages.success(request, "Votre rendez-vous est annulé. Merci d'avoir libéré le créneau.")
                return HttpResponseRedirect(request.path)
            if action == "move":
                form = MoveForm(request.POST)
                if not form.is_valid():
                    raise BookingRefused("Choisissez un nouveau créneau.")
                moved = booking_move(booking=booking, slot_id=form.cleaned_data["slot"], site_url=site_root(request))
                messages.success(
                    request, f"Votre rendez-vous est déplacé au {booking_when(moved)}. Un e-mail le confirme."
                )
                return HttpResponseRedirect(reverse("support:booking", kwargs={"token": moved.token}))
            if action == "waitlist":
                waitlist_join(booking=booking)
                messages.success(
                    request, "C'est noté : si un créneau plus tôt se libère, nous vous le proposerons par e-mail."
                )
                return HttpResponseRedirect(request.path)
            if action == "waitlist_leave":
                for entry in booking.waitlist_entries.filter(status=WaitlistStatus.WAITING):
                    waitlist_leave(entry=entry)
                messages.success(request, "Vous ne recevrez plus de proposition de créneau plus tôt.")
                return HttpResponseRedirect(request.path)
            raise BookingRefused("Action inconnue.")
        except SlotTaken as exc:
            error, status = exc.message, 409
        except BookingRefused as exc:
            error, status = exc.message, 422
        action = "move" if action == "move" else ""
    holds = booking.status == BookingStatus.BOOKED and booking.starts_at > now
    move_days = []
    if holds and action == "move":
        slots = free_slots(
            booking.territory,
            start=now,
            end=now + datetime.timedelta(days=AHEAD_DAYS),
            motif=booking.motif,
            now=now,
        )
        move_days = by_day(slot_rows(slots[:60]))
    waiting = booking.waitlist_entries.filter(status__in=(WaitlistStatus.WAITING, WaitlistStatus.OFFERED)).first()
    context = {
        "booking": booking,
        "when": booking_when(booking),
        "where": booking_where(booking),
        "holds": holds,
        "action": action,
        "move_days": move_days,
        "waiting": waiting,
        "error": error,
        "book_again_url": reverse(
            "support:motif", kwargs={"slug": booking.territory.slug, "motif": booking.motif.slug}
        ),
    }
    return render(request, "support/public/booking.html", context, status=status)


@require_http_methods(["GET", "POST"])
def waitlist_offer(request, token):
    """Public, reached by the link of an earlier-slot offer: takes the slot in one click (the booking moves)."""
    entry = (
        WaitlistEntry.objects.select_related("motif", "territory", "booking", "offered_range__venue__commune")
        .filter(token=token)
        .first()
    )
    if entry is None:
        raise Http404("Ce lien n'est pas valable.")
    now = timezone.now()
    error, status = "", 200
    if request.method == "POST":
        try:
            moved = waitlist_take(entry=entry, site_url=site_root(request))
        except SlotTaken:
            error, status = (
                "Ce créneau vient d'être pris par quelqu'un d'autre : votre rendez-vous ne change pas.",
                409,
            )
        except BookingRefused as exc:
            error, status = exc.message, 422
        else:
            messages.success(request, f"C'est fait : votre rendez-vous est avancé au {booking_when(moved)}.")
            return HttpResponseRedirect(reverse("support:booking", kwargs={"token": moved.token}))
    valid = (
        entry.status == WaitlistStatus.OFFERED and entry.offer_expires_at is not None and entry.offer_expires_at > now
    )
    offered = ""
    if entry.offered_start is not None:
        start = timezone.localtime(entry.offered_start)
        offered = f"{format_date(start, 'l j F Y')} à {start:%H} h {start:%M}"
    context = {
        "entry": entry,
        "valid": valid,
        "offered": offered,
        "expires": format_date(entry.offer_expires_at, "l j F Y à H \\h i") if entry.offer_expires_at else "",
        "current": booking_when(entry.booking) if entry.booking_id else "",
        "error": error,
    }
    return render(request, "support/public/waitlist_offer.html", context, status=status)
