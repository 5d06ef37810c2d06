"""The printed programme of a campaign: a PDF made by WeasyPrint from an HTML template, grouped by day, with times,
venues, organisers, registration information and a contents page whose page numbers WeasyPrint computes
(``target-counter``). WeasyPrint is imported inside the function: it loads Pango, which the rest of Essaim does
not need. Nothing is fetched from the network: only ``file:`` and ``data:`` URLs are allowed."""

import datetime
import hashlib
from pathlib import Path

from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.template.loader import render_to_string
from django.utils import timezone

from essaim.agenda.enums import RegistrationMode, RegistrationStatus
from essaim.agenda.models import Campaign, Session
from essaim.agenda.querysets import confirmed_count_subquery
from essaim.core.french import format_date as date_format


def _registration_info(event, session, site_url) -> str:
    if event.registration_mode == RegistrationMode.EXTERNAL:
        return f"Inscription : {event.registration_url}"
    if event.registration_mode == RegistrationMode.HERE:
        seats = f", {session.capacity} places" if session.capacity else ""
        return f"Sur inscription{seats} : {site_url}{event.get_absolute_url()}"
    return "Entrée libre, sans inscription"


def _hour(moment) -> str:
    """9 h, 9 h 30, 18 h 30: the way a printed French programme writes hours."""
    return f"{moment.hour} h" + (f" {moment.minute:02d}" if moment.minute else "")


def _hours(session) -> str:
    start = timezone.localtime(session.start)
    end = timezone.localtime(session.end)
    if start.date() == end.date():
        return f"{_hour(start)} – {_hour(end)}"
    return f"du {date_format(start, 'j b')} {_hour(start)} au {date_format(end, 'j b')} {_hour(end)}"


def programme_context(*, campaign: Campaign, site_url: str) -> dict:
    sessions = (
        Session.objects.published()
        .filter(event__campaign=campaign)
        .select_related("event", "event__venue", "event__venue__commune")
        .prefetch_related("event__organisers", "event__partners", "event__audience_rows")
        .annotate(confirmed_count=confirmed_count_subquery())
        .order_by("start", "pk")
    )
    days: dict[datetime.date, list] = {}
    for session in sessions:
        event = session.event
        days.setdefault(timezone.localdate(session.start), []).append(
            {
                "hours": _hours(session),
                "title": event.title,
                "label": session.label,
                "type": event.get_event_type_display(),
                "status": event.get_status_display() if event.status != "scheduled" else "",
                "status_message": event.status_message,
                "summary": event.summary,
                "venue": event.venue.one_line if event.venue_id and event.is_in_person else "",
                "online": event.online_url if event.is_online else "",
                "access": event.venue.accessibility if event.venue_id else "",
                "organisers": ", ".join(event.organiser_names()),
                "partners": ", ".join(s.display_name for s in event.partners.all()),
                "audiences": ", ".join(event.audience_labels),
                "price": "Gratuit" if event.is_free else f"{event.price:.2f} €".replace(".", ","),
                "registration": _registration_info(event, session, site_url),
                "full": session.capacity is not None and session.confirmed_count >= session.capacity,
            }
        )
    image = ""
    if campaign.image:
        try:
            image = Path(campaign.image.path).as_uri()
        except (ValueError, NotImplementedError):
            image = ""
    return {
        "campaign": campaign,
        "image": image,
        "days": [
            {"anchor": f"jour-{day:%Y-%m-%d}", "label": date_format(day, "l j F Y"), "entries": entries}
            for day, entries in sorted(days.items())
        ],
        "site_url": site_url,
        "generated": timezone.localtime(),
    }


PDF_CACHE_SECONDS = 7 * 24 * 3600


def programme_version(campaign: Campaign) -> str:
    """What the printed programme depends on, in one aggregate query: the campaign, its events, their venues, their
    sessions and the confirmed seats ("complet"). Any change gives another version, hence another cache key."""
    from essaim.agenda.models import Event

    stamp = Event.objects.filter(campaign=campaign).aggregate(
        n_events=Count("pk", distinct=True),
        events_at=Max("updated_at"),
        venues_at=Max("venue__updated_at"),
        n_sessions=Count("sessions", distinct=True),
        sessions_at=Max("sessions__updated_at"),
        n_seats=Count(
            "sessions__registrations",
            filter=Q(sessions__registrations__status=RegistrationStatus.CONFIRMED),
            distinct=True,
        ),
    )
    raw = f"{campaign.pk}|{campaign.updated_at.isoformat()}|" + "|".join(str(stamp[k]) for k in sorted(stamp))
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


def campaign_programme_pdf(*, campaign: Campaign, site_url: str) -> bytes:
    """The programme as PDF, rendered once per version of its data (2.8 s at 240 events) and kept in the cache
    until the data changes (``programme_version``)."""
    site = hashlib.sha256(site_url.encode()).hexdigest()[:12]
    key = f"agenda:programme-pdf:{campaign.pk}:{programme_version(campaign)}:{site}"
    pdf = cache.get(key)
    if pdf is None:
        pdf = render_programme_pdf(campaign=campaign, site_url=site_url)
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    return pdf


def render_programme_pdf(*, campaign: Campaign, site_url: str) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string("agenda/programme_pdf.html", programme_context(campaign=campaign, site_url=site_url))
    fetcher = URLFetcher(allowed_protocols={"file", "data"})
    return HTML(string=html, base_url=site_url or None, url_fetcher=fetcher).write_pdf()
