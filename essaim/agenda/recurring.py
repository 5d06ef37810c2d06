"""Recurring sessions: a ``SessionSeries`` (an RFC 5545 rule, see ``essaim.core.recurrence``) and the ``Session``
rows of its occurrences, materialised up to a horizon so that each occurrence has its own seats and registrations.

``series_sync`` is the only writer of a series' occurrences: it creates the missing ones up to the horizon, moves
the future ones with the series (hours, seats, label) and removes future ones the rule no longer holds, unless
someone registered to them (then it refuses, in French). Past occurrences are history and never touched.
``essaim extend_recurrences`` runs it daily so that an open-ended series always reaches the horizon.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from essaim.agenda.models import Session, SessionSeries
from essaim.agenda.querysets import day_start
from essaim.agenda.services import RegistrationError, session_fill_from_waitlist
from essaim.core.recurrence import french_date, occurrences

HORIZON_DAYS = 400


@dataclass
class SyncResult:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    removed: list = field(default_factory=list)


def series_preview(*, rule: str, start: datetime.datetime, exdates=(), count: int = 6) -> list[datetime.datetime]:
    """The next ``count`` dates of a rule from today (or from its start, if later), for the form's preview."""
    floor = max(start, day_start(timezone.localdate()))
    return occurrences(rule, start, exdates, start=floor, limit=count)


@transaction.atomic
def series_sync(*, series: SessionSeries, today: datetime.date | None = None) -> SyncResult:
    """Brings the occurrences of a series in step with its rule, from today to ``today + HORIZON_DAYS``.

    A future occurrence that the rule no longer holds (a day excluded, a rule changed) is removed, unless it has
    active registrations: then nothing is changed and a ``RegistrationError`` says which day. Seats of future
    occurrences follow the series' capacity, which may not drop below the seats already confirmed (the session row
    is locked, as for every change of who holds a seat)."""
    today = today or timezone.localdate()
    floor = day_start(today)
    ceiling = day_start(today + datetime.timedelta(days=HORIZON_DAYS))
    wanted = occurrences(series.rule, series.start, series.exdates, end=ceiling)
    wanted_set = set(wanted)
    existing = {s.occurrence: s for s in series.occurrences.all()}
    result = SyncResult()
    for moment, session in sorted(existing.items()):
        if moment < floor or moment > ceiling or moment in wanted_set:
            continue
        if session.registrations.active().exists():
            raise RegistrationError(
                f"La séance du {french_date(timezone.localdate(moment))} a des inscrits : annulez leurs inscriptions "
                "avant de la retirer de la série.",
                "series_occurrence_has_registrations",
            )
        result.removed.append(moment)
        session.delete()
    for moment in wanted:
        session = existing.get(moment)
        if session is None:
            result.created.append(
                Session.objects.create(
                    event=series.event,
                    series=series,
                    occurrence=moment,
                    label=series.label,
                    start=moment,
                    end=moment + series.duration,
                    capacity=series.capacity,
                )
            )
            continue
        if moment < floor:
            continue
        changes = {"label": series.label, "end": session.start + series.duration, "capacity": series.capacity}
        if all(getattr(session, k) == v for k, v in changes.items()):
            continue
        locked = Session.objects.select_for_update(of=("self",)).get(pk=session.pk)
        confirmed = locked.registrations.confirmed().count()
        if series.capacity is not None and series.capacity < confirmed:
            raise RegistrationError(
                f"{confirmed} personnes sont confirmées le {french_date(timezone.localdate(moment))} : les places "
                "par séance ne peuvent pas descendre en dessous.",
                "capacity_below_confirmed",
            )
        for key, value in changes.items():
            setattr(locked, key, value)
        locked.save(update_fields=[*changes, "updated_at"])
        if not locked.has_started:
            session_fill_from_waitlist(session=locked)
        result.updated.append(locked)
    return result


@transaction.atomic
def series_save(*, series: SessionSeries, today: datetime.date | None = None) -> SyncResult:
    """Saves a series (new or edited) and syncs its occurrences; all or nothing."""
    series.full_clean(exclude=["event"])
    series.save()
    return series_sync(series=series, today=today)


def series_extend_all(*, today: datetime.date | None = None) -> int:
    """Extends every series to the horizon (daily, ``essaim extend_recurrences``); returns the sessions created."""
    created = 0
    for series in SessionSeries.objects.select_related("event"):
        try:
            created += len(series_sync(series=series, today=today).created)
        except RegistrationError:
            continue
    return created
