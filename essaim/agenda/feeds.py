"""Feeds of the agenda, built from sessions and events: iCalendar (RFC 5545) and RSS 2.0.

- Every session is one VEVENT whose UID is the session's own UUID (``<uuid>@essaim``): stable across edits, so a
  subscribed calendar updates the event instead of duplicating it.
- Times are written in Europe/Paris with the VTIMEZONE of that zone (the EU rule: summer time from the last Sunday
  of March to the last Sunday of October), as RFC 5545 §3.6.5 asks, so that every client shows the right local
  hour whatever its own zone.
"""

import datetime
import zoneinfo
from collections.abc import Iterable

import icalendar
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import ngettext

from essaim.agenda.enums import EventStatus
from essaim.agenda.models import Event, Session
from essaim.core.french import format_date as date_format

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
PRODID = "-//Essaim//Agenda de l'ESS//FR"
ICS_STATUS = {
    EventStatus.SCHEDULED: "CONFIRMED",
    EventStatus.RESCHEDULED: "CONFIRMED",
    EventStatus.MOVED_ONLINE: "CONFIRMED",
    EventStatus.POSTPONED: "TENTATIVE",
    EventStatus.CANCELLED: "CANCELLED",
}


def paris_vtimezone() -> icalendar.Timezone:
    """The VTIMEZONE of Europe/Paris with its yearly rules (valid for every year, unlike a list of dates)."""
    tz = icalendar.Timezone()
    tz.add("tzid", "Europe/Paris")
    tz.add("x-lic-location", "Europe/Paris")
    daylight = icalendar.TimezoneDaylight()
    daylight.add("tzname", "CEST")
    daylight.add("tzoffsetfrom", datetime.timedelta(hours=1))
    daylight.add("tzoffsetto", datetime.timedelta(hours=2))
    daylight.add("dtstart", datetime.datetime(1970, 3, 29, 2, 0, 0))  # noqa: DTZ001 -- local time of a VTIMEZONE rule
    daylight.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1SU"})
    standard = icalendar.TimezoneStandard()
    standard.add("tzname", "CET")
    standard.add("tzoffsetfrom", datetime.timedelta(hours=2))
    standard.add("tzoffsetto", datetime.timedelta(hours=1))
    standard.add("dtstart", datetime.datetime(1970, 10, 25, 3, 0, 0))  # noqa: DTZ001 -- local time of a VTIMEZONE rule
    standard.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1SU"})
    tz.add_component(daylight)
    tz.add_component(standard)
    return tz


def session_uid(session: Session) -> str:
    return f"{session.uid}@essaim"


def _location(event: Event) -> str:
    parts = []
    if event.venue_id and event.is_in_person:
        parts.append(event.venue.one_line)
    if event.is_online and event.online_url:
        parts.append(event.online_url)
    return " — ".join(parts)


def session_vevent(session: Session, *, site_url: str) -> icalendar.Event:
    event = session.event
    url = f"{site_url}{event.get_absolute_url()}"
    vevent = icalendar.Event()
    vevent.add("uid", session_uid(session))
    stamp = max(session.updated_at, event.updated_at) if session.updated_at else event.updated_at
    vevent.add("dtstamp", stamp.astimezone(datetime.UTC))
    vevent.add("last-modified", stamp.astimezone(datetime.UTC))
    vevent.add("dtstart", session.start.astimezone(PARIS))
    vevent.add("dtend", session.end.astimezone(PARIS))
    summary = event.title + (f" — {session.label}" if session.label else "")
    if event.status == EventStatus.CANCELLED:
        summary = f"ANNULÉ : {summary}"
    vevent.add("summary", summary)
    description = [event.summary] if event.summary else []
    if event.status != EventStatus.SCHEDULED:
        description.append(f"Statut : {event.get_status_display()}. {event.status_message}".strip())
    organisers = event.organiser_names()
    if organisers:
        description.append("Organisé par " + ", ".join(organisers) + ".")
    description.append(url)
    vevent.add("description", "\n\n".join(description))
    location = _location(event)
    if location:
        vevent.add("location", location)
    if event.venue_id and event.venue.has_coordinates and event.is_in_person:
        vevent.add("geo", (event.venue.lat, event.venue.lon))
    vevent.add("url", url)
    vevent.add("status", ICS_STATUS.get(event.status, "CONFIRMED"))
    vevent.add("categories", [event.get_event_type_display()])
    vevent.add("transp", "OPAQUE")
    return vevent


def series_vevent(series, *, site_url: str, overrides=()) -> list[icalendar.Event]:
    """A recurring series as such: one VEVENT with its first occurrence, RRULE and EXDATE (its own UID), then one
    VEVENT per occurrence moved by hand (same UID, RECURRENCE-ID = the instant the rule gave)."""
    from essaim.core.recurrence import parse_rule

    first = Session(
        event=series.event, label=series.label, start=series.start, end=series.start + series.duration, uid=series.uid
    )
    first.updated_at = series.updated_at
    vevent = session_vevent(first, site_url=site_url)
    rule = series.rule
    parse_rule(rule, series.start)  # never export a rule that does not parse
    vevent.add("rrule", icalendar.vRecur.from_ical(rule))
    if series.exdates:
        start = timezone.localtime(series.start)
        days = sorted(datetime.date.fromisoformat(d) for d in series.exdates)
        vevent.add(
            "exdate",
            [datetime.datetime.combine(d, start.time().replace(tzinfo=None), tzinfo=PARIS) for d in days],
        )
    components = [vevent]
    for session in overrides:
        override = session_vevent(session, site_url=site_url)
        override.pop("uid")
        override.add("uid", f"{series.uid}@essaim")
        override.add("recurrence-id", session.occurrence.astimezone(PARIS))
        components.append(override)
    return components


def build_calendar(
    sessions: Iterable[Session], *, site_url: str, name: str, description: str = "", series: bool = True
) -> bytes:
    """An RFC 5545 calendar of the sessions (each with its event, venue and commune already fetched). With
    ``series``, the occurrences of a recurring series are written once, as the series (RRULE, EXDATE); without it
    (a registration's mail: one occurrence), each session is its own VEVENT."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Paris")
    if description:
        calendar.add("x-wr-caldesc", description)
    calendar.add_component(paris_vtimezone())
    order: list = []  # a session, or the id of a series at the place of its first occurrence
    grouped: dict[int, list] = {}
    for session in sessions:
        if series and session.series_id:
            if session.series_id not in grouped:
                grouped[session.series_id] = []
                order.append(session.series_id)
            grouped[session.series_id].append(session)
        else:
            order.append(session)
    found = {}
    if grouped:
        from essaim.agenda.models import SessionSeries

        found = {s.pk: s for s in SessionSeries.objects.filter(pk__in=grouped)}
    for item in order:
        if isinstance(item, Session):
            calendar.add_component(session_vevent(item, site_url=site_url))
            continue
        occurrences = grouped[item]
        the_series = found[item]
        the_series.event = occurrences[0].event  # with its venue and commune already fetched
        moved = [s for s in occurrences if s.occurrence and s.start != s.occurrence]
        for component in series_vevent(the_series, site_url=site_url, overrides=moved):
            calendar.add_component(component)
    return calendar.to_ical()


def session_when(session: Session) -> str:
    """« vendredi 14 novembre 2025, 9 h 30 – 12 h 00 » in Europe/Paris (or over several days)."""
    start = timezone.localtime(session.start)
    end = timezone.localtime(session.end)
    if start.date() == end.date():
        return f"{date_format(start, 'l j F Y')}, {start:%H:%M} – {end:%H:%M}"
    return f"du {date_format(start, 'l j F Y')} {start:%H:%M} au {date_format(end, 'l j F Y')} {end:%H:%M}"


def build_rss(events: Iterable[Event], *, site_url: str, title: str, link: str, description: str) -> bytes:
    """An RSS 2.0 feed: one item per event, dated by its publication, describing its next session."""
    feed = Rss201rev2Feed(title=title, link=link, description=description, language="fr")
    for event in events:
        sessions = list(event.sessions.all())
        now = timezone.now()
        ahead = [s for s in sessions if s.end >= now] or sessions  # the next session, for a series too
        first = ahead[0] if ahead else None
        lines = []
        if first is not None:
            others = len(ahead) - 1
            more = ngettext(" (et %(n)d autre séance)", " (et %(n)d autres séances)", others) % {"n": others}
            lines.append(session_when(first) + (more if others else ""))
        if event.venue_id:
            lines.append(event.venue.one_line)
        if event.status != EventStatus.SCHEDULED:
            lines.append(f"{event.get_status_display().capitalize()}. {event.status_message}".strip())
        if event.summary:
            lines.append(event.summary)
        url = f"{site_url}{event.get_absolute_url()}"
        feed.add_item(
            title=event.title,
            link=url,
            description="\n".join(lines),
            unique_id=url,
            unique_id_is_permalink=True,
            pubdate=event.published_at or event.created_at,
            updateddate=event.updated_at,
            categories=[event.get_event_type_display()],
        )
    return feed.writeString("utf-8").encode("utf-8")
