"""The public page of a *temps fort* of the support (seed 000: the *quinzaine de l'initiative* of the Mois de
l'ESS): what it is, its permanences (where, when, how to book) and its workshops run by the BGE (agenda events)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils.formats import date_format

from essaim.agenda.enums import Publication
from essaim.agenda.feeds import session_when
from essaim.agenda.models import Session
from essaim.support.enums import BookableBy, Channel
from essaim.support.models import OpeningRange, SupportPeriod
from essaim.support.services.setup import public_holidays, range_days


@dataclass
class Opening:
    """One place (or channel) of a permanence, with its days in the period and its hours."""

    where: str
    hours: list[str] = field(default_factory=list)
    days: list[datetime.date] = field(default_factory=list)
    days_label: str = ""


def _hour(moment: datetime.time) -> str:
    return f"{moment.hour} h" + (f" {moment.minute:02d}" if moment.minute else "")


def _openings(motif, period) -> list[Opening]:
    """The places of a motif's active ranges with their days inside the period (public holidays left out)."""
    holidays = {day for year in {period.starts_on.year, period.ends_on.year} for day, _ in public_holidays(year)}
    by_place: dict[str, Opening] = {}
    days = defaultdict(set)
    for opening_range in motif.opening_ranges.all():
        in_period = [d for d in range_days(opening_range, period.starts_on, period.ends_on) if d not in holidays]
        if not in_period:
            continue
        if opening_range.venue_id:
            where = opening_range.venue.one_line
        else:
            where = motif.get_channel_display().capitalize()
        opening = by_place.setdefault(where, Opening(where=where))
        hours = f"de {_hour(opening_range.start_time)} à {_hour(opening_range.end_time)}"
        if hours not in opening.hours:
            opening.hours.append(hours)
        days[where].update(in_period)
    for where, opening in by_place.items():
        opening.days = sorted(days[where])
        names = [date_format(day, "l j F") for day in opening.days]
        opening.days_label = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " et " + names[-1]
    return sorted(by_place.values(), key=lambda o: (o.days[0], o.where))


def period_page(request, slug, period):
    """Public. A temps fort: its presentation, its permanences with their places, days and hours and a link to book
    each, and its workshops (published agenda events) with their dates, place and organisers."""
    period = get_object_or_404(
        SupportPeriod.objects.select_related("territory", "campaign"), territory__slug=slug, slug=period
    )
    ranges = OpeningRange.objects.filter(active=True).select_related("venue__commune").order_by("first_day", "pk")
    motifs = list(
        period.motifs.filter(active=True)
        .order_by("title")
        .prefetch_related(Prefetch("opening_ranges", queryset=ranges))
    )
    for motif in motifs:
        motif.openings = _openings(motif, period)
        motif.bookable = motif.bookable_by == BookableBy.ANYONE
        motif.remote = motif.channel != Channel.IN_PERSON
    workshops = list(
        period.workshops.filter(publication=Publication.PUBLISHED)
        .select_related("venue__commune")
        .prefetch_related("organisers", Prefetch("sessions", queryset=Session.objects.order_by("start", "pk")))
    )
    for event in workshops:
        event.whens = [session_when(s) for s in event.sessions.all()]
        event.first_start = next((s.start for s in event.sessions.all()), None)
    workshops.sort(key=lambda e: (e.first_start is None, e.first_start or 0, e.title))
    context = {
        "territory": period.territory,
        "period": period,
        "motifs": motifs,
        "workshops": workshops,
    }
    return render(request, "support/period.html", context)
