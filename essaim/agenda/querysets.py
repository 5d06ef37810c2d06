"""Reads of the agenda that chain: published events, upcoming sessions, and the filters shared by the agenda
pages, the feeds, the embeddable agenda and the API (one definition, so that a subscribed calendar shows exactly
what the filtered list shows)."""

import datetime
from dataclasses import dataclass

from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone

from essaim.agenda.enums import Publication, RegistrationStatus
from essaim.core.text import fold


@dataclass(frozen=True)
class AgendaFilters:
    """The filters of the agenda (``from``, ``to``, ``campaign``, ``type``, ``audience``, ``commune``,
    ``territory``, ``organiser``, ``q``). Dates are days in Europe/Paris, both inclusive."""

    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    campaign: str = ""
    event_type: str = ""
    audience: str = ""
    commune: str = ""
    territory: str = ""
    organiser: str = ""
    q: str = ""

    @property
    def is_empty(self):
        return not any(getattr(self, name) for name in self.__dataclass_fields__)


def day_start(day: datetime.date) -> datetime.datetime:
    """Midnight of a day in the current time zone (Europe/Paris), as an aware datetime."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _territory_q(key: str, prefix: str) -> models.Q:
    key = key.strip()
    if key.isdigit():
        return models.Q(**{f"{prefix}territory__siren": key})
    return models.Q(**{f"{prefix}territory__slug": key})


def _campaign_q(key: str, prefix: str) -> models.Q:
    key = key.strip()
    if key.isdigit():
        return models.Q(**{f"{prefix}campaign_id": int(key)})
    return models.Q(**{f"{prefix}campaign__slug": key})


def event_filter_q(filters: AgendaFilters, prefix: str = "") -> models.Q:
    """The filters that concern the event itself, as a Q object (``prefix`` = "event__" from a session)."""
    q = models.Q()
    if filters.campaign:
        q &= _campaign_q(filters.campaign, prefix)
    if filters.event_type:
        q &= models.Q(**{f"{prefix}event_type": filters.event_type})
    if filters.audience:
        q &= models.Q(**{f"{prefix}audience_rows__audience": filters.audience})
    if filters.commune:
        q &= models.Q(**{f"{prefix}venue__commune_id": filters.commune.strip()})
    if filters.territory:
        q &= _territory_q(filters.territory, prefix)
    if filters.organiser:
        key = filters.organiser.strip()
        field = "organisers__pk" if key.isdigit() else "organisers__slug"
        q &= models.Q(**{f"{prefix}{field}": key})
    for word in fold(filters.q).split()[:6]:
        q &= models.Q(**{f"{prefix}search_text__contains": word})
    return q


def confirmed_count_subquery():
    """The confirmed seats of a session as a correlated subquery: unlike a JOIN + GROUP BY over every session, it is
    computed only for the rows of the page (an agenda page with 10,000 events stays fast)."""
    from essaim.agenda.models import Registration

    counts = (
        Registration.objects.filter(session=models.OuterRef("pk"), status=RegistrationStatus.CONFIRMED)
        .order_by()
        .values("session")
        .annotate(n=models.Count("pk"))
        .values("n")
    )
    return Coalesce(models.Subquery(counts, output_field=models.IntegerField()), 0)


class EventQuerySet(models.QuerySet):
    def published(self):
        """What the public sees: published events, never a club's members-only meeting (lists, calendars, feeds,
        the API, the home page, the programme all read this)."""
        return self.filter(publication=Publication.PUBLISHED, members_only=False)

    def published_with_members_only(self):
        """Published events including members-only ones: for the officers' management and the club's pages only."""
        return self.filter(publication=Publication.PUBLISHED)

    def in_territory(self, territory):
        return self.filter(territory=territory)

    def filtered(self, filters: AgendaFilters):
        """Events matching the filters; with dates, events that have one session in the period (EXISTS, so that a
        large agenda needs neither a join over every session nor a DISTINCT)."""
        from essaim.agenda.models import Session

        qs = self.filter(event_filter_q(filters))
        if filters.date_from or filters.date_to:
            sessions = Session.objects.filter(event=models.OuterRef("pk"))
            if filters.date_from:
                sessions = sessions.filter(end__gte=day_start(filters.date_from))
            if filters.date_to:
                sessions = sessions.filter(start__lt=day_start(filters.date_to + datetime.timedelta(days=1)))
            qs = qs.filter(models.Exists(sessions))
        return qs.distinct() if filters.audience or filters.organiser else qs


class SessionQuerySet(models.QuerySet):
    def published(self):
        """Sessions of the events the public sees (never a members-only event's)."""
        return self.filter(event__publication=Publication.PUBLISHED, event__members_only=False)

    def upcoming(self, now=None):
        """Sessions not over yet: an event that has started still shows until it ends."""
        return self.filter(end__gte=now or timezone.now())

    def filtered(self, filters: AgendaFilters):
        qs = self.filter(event_filter_q(filters, prefix="event__"))
        if filters.date_from:
            qs = qs.filter(end__gte=day_start(filters.date_from))
        if filters.date_to:
            qs = qs.filter(start__lt=day_start(filters.date_to + datetime.timedelta(days=1)))
        if filters.audience or filters.organiser:
            qs = qs.distinct()
        return qs

    def for_listing(self):
        """What a line of the agenda shows, in a fixed number of queries."""
        return (
            self.select_related("event", "event__venue", "event__venue__commune", "event__campaign")
            .defer(
                "event__description",
                "event__search_text",
                "event__questions",
                "event__moderation_note",
                "event__venue__access_notes",
                "event__venue__accessibility",
                "event__campaign__presentation",
                "event__venue__commune__search_name",
            )
            .annotate(confirmed_count=confirmed_count_subquery())
        )


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED])

    def confirmed(self):
        return self.filter(status=RegistrationStatus.CONFIRMED)

    def waitlisted(self):
        """The waiting list, first come first served."""
        return self.filter(status=RegistrationStatus.WAITLISTED).order_by("created_at", "pk")

    def not_anonymised(self):
        return self.filter(anonymised_at__isnull=True)
