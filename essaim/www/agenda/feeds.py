"""Feeds of the agenda: the subscribable calendar (same filters as the list), one .ics per event, RSS, and the
printable programme of a campaign (PDF)."""

import datetime

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from essaim.agenda.feeds import build_calendar, build_rss
from essaim.agenda.models import Campaign, Event, Session
from essaim.agenda.programme import campaign_programme_pdf
from essaim.www.agenda.forms import AgendaFilterForm
from essaim.www.errors import bad_request

CALENDAR_PAST_DAYS = 90  # a subscribed calendar keeps the recent past
CALENDAR_MAX_SESSIONS = 2000
RSS_MAX_EVENTS = 50


def _site_url(request):
    return request.build_absolute_uri("/").rstrip("/")


def _calendar_sessions(queryset):
    return queryset.select_related("event", "event__venue", "event__venue__commune").prefetch_related(
        "event__organisers"
    )


def refused_filters(form, request):
    """The French 400 page naming the refused filters (a date out of range…), or None when they all hold: a feed
    has no form to show the error in, and an ignored filter would silently subscribe to the wrong events."""
    if not form.is_bound or form.is_valid():
        return None
    reasons = " ".join(f"{name} : {' '.join(messages)}" for name, messages in form.errors.items())
    return bad_request(request, message=f"Filtre refusé. {reasons}")


def calendar_ics(request):
    """Public. The agenda as an iCalendar feed to subscribe to, with the same filters as the list (from, to, type,
    audience, commune, campaign, territory, organiser, q); by default from 90 days ago; 400 on a refused filter."""
    form = AgendaFilterForm(request.GET or None)
    if refused := refused_filters(form, request):
        return refused
    filters = form.to_filters(default_from=timezone.localdate() - datetime.timedelta(days=CALENDAR_PAST_DAYS))
    sessions = _calendar_sessions(Session.objects.published().filtered(filters).order_by("start", "pk"))
    body = build_calendar(
        sessions[:CALENDAR_MAX_SESSIONS],
        site_url=_site_url(request),
        name="Agenda de l'ESS",
        description="Les rendez-vous de l'économie sociale et solidaire du territoire.",
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="agenda-ess.ics"'
    return response


def event_ics(request, pk):
    """Public. All the sessions of one published event as an .ics file to add to one's calendar."""
    event = get_object_or_404(Event.objects.published(), pk=pk)
    sessions = _calendar_sessions(event.sessions.order_by("start", "pk"))
    body = build_calendar(sessions, site_url=_site_url(request), name=event.title)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="evenement-{event.pk}.ics"'
    return response


def rss_feed(request):
    """Public. RSS 2.0 of the upcoming events (with the list's filters), newest published first; 400 on a refused
    filter."""
    form = AgendaFilterForm(request.GET or None)
    if refused := refused_filters(form, request):
        return refused
    filters = form.to_filters(default_from=timezone.localdate())
    events = (
        Event.objects.published()
        .filtered(filters)
        .select_related("venue", "venue__commune")
        .prefetch_related("sessions")
        .order_by("-published_at", "-pk")[:RSS_MAX_EVENTS]
    )
    body = build_rss(
        events,
        site_url=_site_url(request),
        title="Agenda de l'ESS",
        link=request.build_absolute_uri(reverse("agenda:list")),
        description="Les rendez-vous de l'économie sociale et solidaire du territoire.",
    )
    return HttpResponse(body, content_type="application/rss+xml; charset=utf-8")


def campaign_pdf(request, slug):
    """Public. The printed programme of a campaign, the way a territory prints its Mois de l'ESS leaflet."""
    campaign = get_object_or_404(Campaign.objects.select_related("territory"), slug=slug)
    if not campaign.is_published:
        raise Http404("Campagne introuvable.")
    pdf = campaign_programme_pdf(campaign=campaign, site_url=_site_url(request))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="programme-{campaign.slug}.pdf"'
    return response
