"""Public pages of the agenda: the list by day, the month calendar, the map, an event (with its registration form
and its schema.org JSON-LD), the cancel link, a campaign's programme and the embeddable agenda."""

import calendar
import datetime
import json
from dataclasses import replace

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_http_methods

from essaim.agenda import perms
from essaim.agenda.enums import AttendanceMode, EventStatus, RegistrationStatus
from essaim.agenda.feeds import session_when
from essaim.agenda.models import Campaign, Event, Session
from essaim.agenda.ratelimit import allow
from essaim.agenda.services import (
    RegistrationError,
    registration_cancel,
    registration_closed_reason,
    registration_create,
    registration_from_token,
)
from essaim.core.french import sorted_french
from essaim.core.inputs import InputError, parse_month
from essaim.core.recurrence import MONTHS
from essaim.www.agenda.forms import AgendaFilterForm, RegistrationForm
from essaim.www.forms import refused_status

PAGE_SIZE = 30
EMBED_PAGE_SIZE = 15
SCHEMA_STATUS = {
    EventStatus.SCHEDULED: "https://schema.org/EventScheduled",
    EventStatus.CANCELLED: "https://schema.org/EventCancelled",
    EventStatus.POSTPONED: "https://schema.org/EventPostponed",
    EventStatus.RESCHEDULED: "https://schema.org/EventRescheduled",
    EventStatus.MOVED_ONLINE: "https://schema.org/EventMovedOnline",
}
SCHEMA_MODE = {
    AttendanceMode.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    AttendanceMode.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    AttendanceMode.MIXED: "https://schema.org/MixedEventAttendanceMode",
}
WEEKDAYS = [("lun.", "lundi"), ("mar.", "mardi"), ("mer.", "mercredi"), ("jeu.", "jeudi"), ("ven.", "vendredi")]
WEEKDAYS += [("sam.", "samedi"), ("dim.", "dimanche")]


def filter_form(request):
    return AgendaFilterForm(request.GET or None)


def filter_status(request, form) -> int:
    """400 when a filter was refused (a date out of range, an unknown month…): the page still shows, with the
    French message on the field, and the refused filter is not applied (200 for htmx: ``refused_status``)."""
    return refused_status(request, form.is_bound and not form.is_valid())


def query_without(request, *names):
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def listing_sessions(filters):
    return (
        Session.objects.published()
        .filtered(filters)
        .for_listing()
        .prefetch_related("event__audience_rows")
        .order_by("start", "pk")
    )


def group_by_day(sessions, floor: datetime.date | None = None):
    """[(day, [sessions])] in order; a session that began before ``floor`` (still running) shows on ``floor``."""
    days: dict[datetime.date, list] = {}
    for session in sessions:
        day = timezone.localdate(session.start)
        if floor and day < floor:
            day = floor
        days.setdefault(day, []).append(session)
    return sorted(days.items())


def _list_context(request, page_size):
    form = filter_form(request)
    filters = form.to_filters(default_from=timezone.localdate())
    # Page through the ids alone (an indexed walk on the start time), then read the page's twenty sessions with
    # everything a line shows: the seat counts and joins are never computed for the rest of a large agenda.
    ids = Session.objects.published().filtered(filters).order_by("start", "pk").values_list("pk", flat=True)
    page = Paginator(ids, page_size).get_page(request.GET.get("page"))
    page_sessions = Session.objects.for_listing().prefetch_related("event__audience_rows")
    by_id = {session.pk: session for session in page_sessions.filter(pk__in=list(page.object_list))}
    sessions = [by_id[pk] for pk in page.object_list if pk in by_id]
    return {
        "form": form,
        "status": filter_status(request, form),
        "filters": filters,
        "page": page,
        "days": group_by_day(sessions, filters.date_from),
        "query": query_without(request, "page"),
        "feed_query": query_without(request, "page", "mois"),
    }


def agenda_list(request):
    """Public. Upcoming sessions by day, with filters (the same as the API and the calendar feed), paginated."""
    context = _list_context(request, PAGE_SIZE)
    template = "agenda/_results.html" if request.headers.get("HX-Request") else "agenda/list.html"
    return render(request, template, context, status=context["status"])


def agenda_calendar(request):
    """Public. A month of the agenda as a calendar table (``mois=AAAA-MM``, years of ``bounds``), with the same
    filters; a month out of range or malformed shows the current month with the error, answered 400."""
    form = filter_form(request)
    filters = form.to_filters(default_from=None)
    today = timezone.localdate()
    year, month = today.year, today.month
    if request.GET.get("mois"):
        try:
            year, month = parse_month(request.GET["mois"], name="Mois")
        except InputError as exc:
            form.add_error(None, str(exc))
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    month_filters = replace(
        filters,
        date_from=max(first, filters.date_from) if filters.date_from else first,
        date_to=min(last, filters.date_to) if filters.date_to else last,
    )
    sessions = list(listing_sessions(month_filters)[:2000])
    by_day: dict[datetime.date, list] = {}
    for session in sessions:
        start = max(timezone.localdate(session.start), first)
        end = min(timezone.localdate(session.end), last)
        day = start
        while day <= end:
            by_day.setdefault(day, []).append(session)
            day += datetime.timedelta(days=1)
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append([(day, day.month == month, by_day.get(day, [])) for day in week])
    previous_month = first - datetime.timedelta(days=1)
    next_month = last + datetime.timedelta(days=1)
    context = {
        "form": form,
        "weeks": weeks,
        "weekdays": WEEKDAYS,
        "month_label": f"{MONTHS[month - 1]} {year}",
        "previous": f"{previous_month:%Y-%m}",
        "previous_label": f"{MONTHS[previous_month.month - 1]} {previous_month.year}",
        "next": f"{next_month:%Y-%m}",
        "next_label": f"{MONTHS[next_month.month - 1]} {next_month.year}",
        "mois": f"{year:04d}-{month:02d}",
        "today": timezone.localdate(),
        "query": query_without(request, "mois"),
        "feed_query": query_without(request, "mois", "page"),
        "days_with_events": sorted(by_day.items()),
    }
    return render(request, "agenda/calendar.html", context, status=filter_status(request, form))


def agenda_map(request):
    """Public. Upcoming events that have a venue, on a map and, beside it, as a list grouped by commune."""
    form = filter_form(request)
    filters = form.to_filters(default_from=timezone.localdate())
    sessions = listing_sessions(filters).filter(event__venue__lat__isnull=False)[:1000]
    events: dict[int, tuple] = {}
    for session in sessions:
        events.setdefault(session.event_id, (session.event, session))
    points, by_commune = [], {}
    for event, first_session in events.values():
        venue = event.venue
        points.append(
            {
                "lat": venue.lat,
                "lon": venue.lon,
                "label": event.title,
                "url": event.get_absolute_url(),
                "detail": f"{session_when(first_session)} — {venue.name}, {venue.commune.name}",
            }
        )
        by_commune.setdefault(venue.commune.name, []).append((event, first_session))
    context = {
        "form": form,
        "points": points,
        "by_commune": sorted_french(by_commune.items(), key=lambda item: item[0]),
        "count": len(points),
        "feed_query": query_without(request, "page", "mois"),
    }
    return render(request, "agenda/map.html", context, status=filter_status(request, form))


def _json_ld(data) -> str:
    """JSON for a <script type="application/ld+json"> block, with <, > and & escaped so it cannot end the block."""
    text = json.dumps(data, ensure_ascii=False, indent=None, default=str)
    return mark_safe(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))  # noqa: S308


def session_json_ld(request, event: Event, session, organisers) -> str:
    """The schema.org ``Event`` of one session, for search engines and aggregators."""
    url = request.build_absolute_uri(event.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "@id": f"{url}#seance-{session.pk}",
        "identifier": f"{session.uid}@essaim",
        "name": event.title + (f" — {session.label}" if session.label else ""),
        "description": event.summary or event.description[:300],
        "url": url,
        "startDate": timezone.localtime(session.start).isoformat(),
        "endDate": timezone.localtime(session.end).isoformat(),
        "eventStatus": SCHEMA_STATUS[event.status],
        "eventAttendanceMode": SCHEMA_MODE[event.attendance_mode],
        "inLanguage": "fr",
    }
    locations = []
    if event.venue_id and event.is_in_person:
        venue = event.venue
        place = {
            "@type": "Place",
            "name": venue.name,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": venue.address,
                "postalCode": venue.postcode,
                "addressLocality": venue.commune.name,
                "addressCountry": "FR",
            },
        }
        if venue.has_coordinates:
            place["geo"] = {"@type": "GeoCoordinates", "latitude": venue.lat, "longitude": venue.lon}
        locations.append(place)
    if event.is_online and event.online_url:
        locations.append({"@type": "VirtualLocation", "url": event.online_url})
    if locations:
        data["location"] = locations[0] if len(locations) == 1 else locations
    if organisers:
        data["organizer"] = [{"@type": "Organization", "name": name} for name in organisers]
    if event.audience_labels:
        data["audience"] = {"@type": "Audience", "audienceType": ", ".join(event.audience_labels)}
    if event.image:
        data["image"] = request.build_absolute_uri(event.image.url)
    offer = {"@type": "Offer", "price": f"{event.price:.2f}", "priceCurrency": "EUR", "url": url}
    if event.registers_here:
        offer["availability"] = (
            "https://schema.org/SoldOut"
            if session.is_full and not event.waitlist_enabled
            else "https://schema.org/InStock"
        )
        if event.registration_deadline:
            offer["validThrough"] = timezone.localtime(event.registration_deadline).isoformat()
    data["offers"] = offer
    return _json_ld(data)


def _event_sessions(event):
    sessions = list(
        event.sessions.annotate(
            confirmed_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)),
            waitlisted_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)),
        ).order_by("start", "pk")
    )
    for session in sessions:
        session.when = session_when(session)
        session.left = session.seats_left(session.confirmed_count)
        session.is_full = session.capacity is not None and session.confirmed_count >= session.capacity
        session.closed_reason = registration_closed_reason(event=event, session=session)
        if session.left is None:
            seats = "places sans limite"
        elif session.is_full:
            seats = "complet, liste d'attente" if event.waitlist_enabled else "complet"
        else:
            seats = f"{session.left} place{'s' if session.left > 1 else ''} restante{'s' if session.left > 1 else ''}"
        session.seats_label = seats
        session.choice_label = f"{session.when}{' — ' + session.label if session.label else ''} ({seats})"
    return sessions


def _get_event(request, pk):
    event = get_object_or_404(
        Event.objects.select_related("territory", "campaign", "venue", "venue__commune").prefetch_related(
            "audience_rows", "themes", Prefetch("organisers"), Prefetch("partners")
        ),
        pk=pk,
    )
    if not perms.can_see_event(request.user, event):
        raise Http404("Événement introuvable.")
    return event


def event_detail(request, pk, form=None, status=200):
    """Public (published events; a proposal is seen only by its author and the territory's officers). The event,
    its sessions with seats left, the registration form, and one schema.org ``Event`` per session."""
    event = _get_event(request, pk)
    sessions = _event_sessions(event)
    open_sessions = [s for s in sessions if not s.closed_reason and (not s.is_full or event.waitlist_enabled)]
    if form is None and open_sessions:
        form = RegistrationForm(event=event, sessions=open_sessions)
    organisers = event.organiser_names()
    context = {
        "event": event,
        "sessions": sessions,
        "upcoming": [s for s in sessions if not s.is_past],
        "form": form if open_sessions else None,
        "organisers": organisers,
        "partners": [s.display_name for s in event.partners.all()],
        "json_ld": [session_json_ld(request, event, s, organisers) for s in sessions],
        "can_manage": perms.can_manage_event(request.user, event),
        "closed_reason": next((s.closed_reason for s in sessions if s.closed_reason), ""),
        "waitlist_note": event.waitlist_enabled,
    }
    return render(request, "agenda/event.html", context, status=status)


@require_http_methods(["POST"])
def event_register(request, pk):
    """Public, no account. Takes a registration (confirmed or waiting list) and sends its mail; rate-limited."""
    event = _get_event(request, pk)
    sessions = _event_sessions(event)
    open_sessions = [s for s in sessions if not s.closed_reason and (not s.is_full or event.waitlist_enabled)]
    if not open_sessions:
        messages.error(request, "Les inscriptions à cet événement sont fermées.")
        return HttpResponseRedirect(event.get_absolute_url())
    form = RegistrationForm(request.POST, event=event, sessions=open_sessions)
    if not allow(request, scope="agenda-registration"):
        form.is_valid()
        form.add_error(None, "Trop de tentatives d'inscription depuis votre connexion : réessayez dans une minute.")
        return event_detail(request, pk, form=form, status=429)
    if not form.is_valid():
        return event_detail(request, pk, form=form)
    session = next(s for s in open_sessions if s.pk == form.cleaned_data["session"])
    try:
        registration = registration_create(
            session=session,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            phone=form.cleaned_data["phone"],
            answers=form.answers(),
            consent=form.cleaned_data["consent"],
            site_url=request.build_absolute_uri("/").rstrip("/"),
            disclose_duplicate=False,
        )
    except RegistrationError as exc:
        form.add_error(None, exc.message)
        return event_detail(request, pk, form=form, status=409)
    # The same answer whether the address was new or already registered (the mail tells the person which).
    if registration.reported_status == RegistrationStatus.CONFIRMED:
        messages.success(
            request,
            f"Inscription confirmée pour le {session.when}. Un e-mail de confirmation a été envoyé à "
            f"{registration.email}, avec le lien pour annuler.",
        )
    else:
        messages.warning(
            request,
            f"La séance est complète : vous êtes sur la liste d'attente. Vous serez prévenu·e par e-mail à "
            f"{registration.email} si une place se libère.",
        )
    return HttpResponseRedirect(event.get_absolute_url())


def registration_cancel_view(request, token):
    """Public, reached from the link of the confirmation mail (signed token, no account). GET asks, POST cancels;
    the first person waiting takes the seat and is told by mail."""
    registration = registration_from_token(token)
    if registration is None or registration.anonymised_at:
        raise Http404("Ce lien d'annulation n'est pas valable.")
    session = registration.session
    session.when = session_when(session)
    context = {
        "registration": registration,
        "session": session,
        "event": session.event,
        "done": False,
        "was_waitlisted": registration.is_waitlisted,
        "promoted": [],
    }
    if request.method == "POST" and not registration.is_cancelled:
        try:
            promoted = registration_cancel(
                registration=registration, site_url=request.build_absolute_uri("/").rstrip("/")
            )
        except RegistrationError as exc:
            context["error"] = exc.message
            return render(request, "agenda/cancel.html", context, status=409)
        context["done"] = True
        context["promoted"] = promoted
    return render(request, "agenda/cancel.html", context)


def campaign_detail(request, slug):
    """Public. A campaign (the Mois de l'ESS): its presentation and its whole programme by day, with the printable
    PDF and the calendar to subscribe to."""
    campaign = get_object_or_404(Campaign.objects.select_related("territory"), slug=slug, is_published=True)
    sessions = (
        Session.objects.published()
        .filter(event__campaign=campaign)
        .for_listing()
        .prefetch_related("event__audience_rows")
        .order_by("start", "pk")
    )
    days = group_by_day(sessions)
    context = {
        "campaign": campaign,
        "days": days,
        "events_count": len({s.event_id for _, day in days for s in day}),
        "call_open": campaign.call_is_open(),
        "can_report": perms.can_view_campaign_report(request.user, campaign),
    }
    return render(request, "agenda/campaign.html", context)


@xframe_options_exempt
def agenda_embed(request):
    """Public, for partners' sites: the agenda in an iframe, filters in the URL (``/agenda/embed?type=atelier``).

    The only view that may be framed: X-Frame-Options is dropped (``xframe_options_exempt``) and the CSP's
    ``frame-ancestors`` is replaced for this response by ``ESSAIM_AGENDA_EMBED_ANCESTORS`` (any site by default)."""
    context = _list_context(request, EMBED_PAGE_SIZE)
    context["site_url"] = request.build_absolute_uri("/").rstrip("/")
    response = render(request, "agenda/embed.html", context, status=context["status"])
    response._csp_replace = {"frame-ancestors": settings.ESSAIM_AGENDA_EMBED_ANCESTORS}
    return response
