"""The advisers' pages of the permanences: their day or week of bookings with the buttons to mark each one (seen,
no-show, excused, cancelled by the service), and the secret address of their bookings as an ICS feed.

The team of a territory sees every adviser's bookings (with a filter); an adviser (an officer, or a partner's
adviser who holds an opening range there) sees their own. A booking of another territory, or of another adviser
for a partner, answers 404: its existence is private."""

import datetime
import functools
import secrets

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from essaim.core import bounds
from essaim.core.french import format_date
from essaim.core.inputs import InputError, parse_date, parse_int
from essaim.support import perms
from essaim.support.enums import HOLDING, BookingStatus
from essaim.support.models import AdviserFeed, Booking, OpeningRange
from essaim.support.services.bookings import BookingRefused, booking_set_status
from essaim.support.tasks import booking_where, build_booking_calendar
from essaim.territories.models import Territory
from essaim.www.support.booking_forms import ADVISER_STATUSES, StatusForm

FEED_PAST_DAYS = 60
ONE_DAY = datetime.timedelta(days=1)
FEED_AHEAD_DAYS = 400


def adviser_page(view):
    """Login required; ``territory`` by slug; its team or one of its advisers, else 403."""

    @functools.wraps(view)
    def wrapper(request, slug, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        territory = get_object_or_404(Territory, slug=slug)
        if not perms.can_see_advice_day(request.user, territory):
            raise PermissionDenied("Vous ne recevez pas aux permanences de ce territoire.")
        return view(request, territory, *args, **kwargs)

    return wrapper


def _period(request):
    """The first day and the number of days asked (``?date=AAAA-MM-JJ&view=day|week``); ``InputError`` else."""
    text = request.GET.get("date", "")
    day = parse_date(text, name="date") if text else timezone.localdate()
    view = request.GET.get("view", "day") or "day"
    if view not in ("day", "week"):
        raise InputError("view : « day » (jour) ou « week » (semaine) est attendu.")
    if view == "week":
        return day - datetime.timedelta(days=day.weekday()), 7, view
    return day, 1, view


@adviser_page
def day(request, territory):
    """Login: the territory's team (every adviser, ``&adviser=`` to filter) or an adviser (their own bookings)."""
    team = perms.is_team(request.user, territory)
    error, status = "", 200
    try:
        first, length, view = _period(request)
        adviser_id = None
        if team and request.GET.get("adviser"):
            adviser_id = parse_int(request.GET["adviser"], name="adviser", minimum=1)
    except InputError as exc:
        error, status = str(exc), 400
        first, length, view, adviser_id = timezone.localdate(), 1, "day", None
    if not team:
        adviser_id = request.user.pk
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time()))
    end = timezone.make_aware(datetime.datetime.combine(first + datetime.timedelta(days=length), datetime.time()))
    bookings = Booking.objects.filter(territory=territory, starts_at__gte=start, starts_at__lt=end)
    if adviser_id is not None:
        bookings = bookings.filter(adviser_id=adviser_id)
    bookings = list(
        bookings.select_related("motif", "venue__commune", "adviser", "project").order_by("starts_at", "pk")
    )
    now = timezone.now()
    days = {}
    for booking in bookings:
        local = timezone.localtime(booking.starts_at)
        booking.hour = f"{local:%H} h {local:%M}"
        booking.where = booking_where(booking)
        booking.begun = booking.starts_at <= now
        booking.choices = [
            (value, label)
            for value, label in ADVISER_STATUSES
            if value != booking.status and _allowed(booking, value, now)
        ]
        booking.can_cancel = any(value == BookingStatus.CANCELLED_BY_SERVICE for value, _ in booking.choices)
        days.setdefault(local.date(), []).append(booking)
    advisers = []
    if team:
        ids = OpeningRange.objects.filter(territory=territory).values_list("adviser_id", flat=True).distinct()
        advisers = list(get_user_model().objects.filter(pk__in=ids).order_by("full_name", "email"))
    step = datetime.timedelta(days=length)
    context = {
        "page_title": "Mes rendez-vous" if not team else "Rendez-vous des permanences",
        "breadcrumbs": [(territory.name, ""), ("Rendez-vous", "")],
        "territory": territory,
        "team": team,
        "view": view,
        "error": error,
        "days": [{"label": format_date(d, "l j F Y"), "bookings": b} for d, b in sorted(days.items())],
        "period_label": (
            format_date(first, "l j F Y")
            if length == 1
            else f"semaine du {format_date(first, 'j F Y')} au {format_date(first + step - ONE_DAY, 'j F Y')}"
        ),
        "previous": (first - step).isoformat(),
        "next": (first + step).isoformat(),
        "date": first.isoformat(),
        "advisers": advisers,
        "adviser_id": adviser_id if team else None,
        "here": request.get_full_path(),
        "count": len(bookings),
    }
    return render(request, "support/adviser/day.html", context, status=status)


def _allowed(booking, value, now) -> bool:
    from essaim.support.services.bookings import STATUS_MOVES

    if value not in STATUS_MOVES[booking.status]:
        return False
    if value in (BookingStatus.SEEN, BookingStatus.NO_SHOW):
        return booking.starts_at <= now  # not before it starts
    if value == BookingStatus.CANCELLED_BY_SERVICE:
        return booking.starts_at > now  # the service cancels ahead, with a reason mailed to the person
    return True


@require_http_methods(["POST"])
def booking_status(request, slug, pk):
    """Login: ``perms.can_handle_booking`` (the team, or the adviser of the slot); 404 for anyone else."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("support:day", kwargs={"slug": slug}))
    territory = get_object_or_404(Territory, slug=slug)
    booking = Booking.objects.filter(pk=pk, territory=territory).first()
    if booking is None or not perms.can_handle_booking(request.user, booking):
        raise Http404("Rendez-vous introuvable.")
    form = StatusForm(request.POST)
    target = request.POST.get("next", "")
    if bounds.has_control_characters(target):
        target = ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = ""
    if not target.startswith("/"):
        target = (
            reverse("support:day", kwargs={"slug": territory.slug})
            + "?date="
            + (timezone.localtime(booking.starts_at).date().isoformat())
        )
    if not form.is_valid():
        messages.error(request, "Choisissez un état parmi ceux proposés.")
        return HttpResponseRedirect(target)
    try:
        booking_set_status(
            booking=booking,
            status=form.cleaned_data["status"],
            by=request.user,
            reason=form.cleaned_data["reason"],
            site_url=request.build_absolute_uri("/").rstrip("/"),
        )
    except BookingRefused as exc:
        messages.error(request, exc.message)
    else:
        label = BookingStatus(form.cleaned_data["status"]).label
        messages.success(request, f"Rendez-vous de {booking.name} : {label}.")
    return HttpResponseRedirect(target)


@adviser_page
@require_http_methods(["GET", "POST"])
def feed_settings(request, territory):
    """Login: an adviser (or a team member) shows, creates or renews the secret address of their bookings' feed."""
    feed = AdviserFeed.objects.filter(user=request.user, territory=territory).first()
    if request.method == "POST":
        token = secrets.token_urlsafe(32)
        if feed is None:
            feed = AdviserFeed.objects.create(user=request.user, territory=territory, token=token)
            messages.success(request, "Votre adresse d'abonnement est créée.")
        else:
            AdviserFeed.objects.filter(pk=feed.pk).update(token=token, updated_at=timezone.now())
            messages.success(request, "Nouvelle adresse créée : l'ancienne ne fonctionne plus.")
        return HttpResponseRedirect(request.path)
    url = request.build_absolute_uri(reverse("support:feed", kwargs={"token": feed.token})) if feed else ""
    context = {
        "page_title": "Mon agenda de rendez-vous dans mon calendrier",
        "breadcrumbs": [
            (territory.name, ""),
            ("Rendez-vous", reverse("support:day", kwargs={"slug": territory.slug})),
            ("Abonnement", ""),
        ],
        "territory": territory,
        "feed": feed,
        "url": url,
    }
    return render(request, "support/adviser/feed_settings.html", context)


def feed(request, token):
    """Public by its secret token (a calendar application cannot log in): the adviser's bookings that hold a slot,
    named by the person's name and the motif only — never their e-mail nor their phone."""
    found = None
    if len(token) <= 64 and not bounds.has_control_characters(token):
        found = AdviserFeed.objects.select_related("user", "territory").filter(token=token).first()
    if found is None or not found.user.is_active:
        raise Http404("Ce calendrier n'existe pas ou son adresse a été renouvelée.")
    now = timezone.now()
    bookings = (
        Booking.objects.filter(
            territory=found.territory,
            adviser=found.user,
            status__in=HOLDING,
            starts_at__gte=now - datetime.timedelta(days=FEED_PAST_DAYS),
            starts_at__lt=now + datetime.timedelta(days=FEED_AHEAD_DAYS),
        )
        .select_related("motif", "venue__commune")
        .order_by("starts_at")
    )
    ics = build_booking_calendar(bookings, name=f"Rendez-vous — {found.territory.name}", private=True)
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="rendez-vous.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
