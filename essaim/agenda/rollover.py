"""Rolling a campaign to next year: its events and sessions copied as drafts to review, each session moved to the
same weekday of the same ISO week of the next year (the Friday of week 46 stays a Friday of week 46), without
registrations. Idempotent: each copy remembers its source (``Event.rolled_from``, unique per campaign), so rolling
twice copies only what was not copied yet."""

import datetime
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from essaim.agenda.enums import EventStatus, Publication
from essaim.agenda.models import Campaign, Event, Session, SessionSeries

SKIPPED = (Publication.PROPOSED, Publication.REJECTED)


def same_weekday_of_same_week(day: datetime.date, years: int = 1) -> datetime.date:
    """The same weekday of the same ISO week, ``years`` later (week 53 becomes week 52 in a year without one).

    After a year of 53 ISO weeks (2026 is one) the same week number falls a week later in the calendar: when that
    takes the day out of its month (the last Friday of November 2026 would become 3 December 2027, out of the Mois
    de l'ESS), the same weekday of the week before is taken instead, and of the week after in the opposite case."""
    year, week, weekday = day.isocalendar()
    try:
        moved = datetime.date.fromisocalendar(year + years, week, weekday)
    except ValueError:
        moved = datetime.date.fromisocalendar(year + years, 52, weekday)
    if moved.month != day.month:
        for weeks in (-1, 1):
            other = moved + datetime.timedelta(weeks=weeks)
            if other.month == day.month:
                return other
    return moved


def shift(moment: datetime.datetime, years: int = 1) -> datetime.datetime:
    """An aware datetime moved like its day, at the same local hour."""
    local = timezone.localtime(moment)
    day = same_weekday_of_same_week(local.date(), years)
    return timezone.make_aware(datetime.datetime.combine(day, local.time().replace(tzinfo=None)))


def _same_day_next_year(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _next_text(text: str, year: int, years: int) -> str:
    """« Mois de l'ESS 2026 » → « Mois de l'ESS 2027 »; without the year in it, the new year is appended."""
    if str(year) in text:
        return text.replace(str(year), str(year + years))
    return f"{text} {year + years}"


@dataclass
class RollLine:
    event: Event
    moves: list  # [(old start, new start)]
    already: bool


@dataclass
class RollPlan:
    source: Campaign
    target: Campaign | None
    name: str
    slug: str
    start_date: datetime.date
    end_date: datetime.date
    lines: list = field(default_factory=list)

    @property
    def to_copy(self):
        return [line for line in self.lines if not line.already]

    @property
    def already(self):
        return [line for line in self.lines if line.already]


def campaign_roll_plan(*, campaign: Campaign, years: int = 1) -> RollPlan:
    """What rolling the campaign would do, for the confirm page (nothing is written)."""
    year = campaign.start_date.year
    slug = re.sub(str(year), str(year + years), campaign.slug) if str(year) in campaign.slug else None
    slug = slug or f"{campaign.slug}-{year + years}"[:80]
    target = Campaign.objects.filter(slug=slug).first()
    if target is not None and target.territory_id != campaign.territory_id:
        slug = f"{slug}-{campaign.territory.slug}"[:80]
        target = Campaign.objects.filter(slug=slug).first()
    events = (
        Event.objects.filter(campaign=campaign)
        .exclude(publication__in=SKIPPED)
        .prefetch_related("sessions")
        .order_by("pk")
    )
    copied = set(target.events.exclude(rolled_from=None).values_list("rolled_from_id", flat=True)) if target else set()
    lines = []
    starts, ends = [], []
    for event in events:
        moves = [(s.start, shift(s.start, years)) for s in event.sessions.all() if s.series_id is None]
        moves += [(s.start, shift(s.start, years)) for s in event.series.all()]
        moves.sort()
        lines.append(RollLine(event=event, moves=moves, already=event.pk in copied))
        starts += [timezone.localdate(new) for _, new in moves]
        ends += [timezone.localdate(new) for _, new in moves]
    lines.sort(key=lambda line: (line.moves[0][1] if line.moves else timezone.now(), line.event.pk))
    start_date = min([_same_day_next_year(campaign.start_date, years), *starts])
    end_date = max([_same_day_next_year(campaign.end_date, years), *ends])
    return RollPlan(
        source=campaign,
        target=target,
        name=_next_text(campaign.name, year, years),
        slug=slug,
        start_date=start_date,
        end_date=end_date,
        lines=lines,
    )


def _copy_event(event: Event, target: Campaign, years: int) -> Event:
    from essaim.agenda.recurring import series_sync
    from essaim.agenda.services import event_save

    copy = Event.objects.get(pk=event.pk)
    copy.pk = None
    copy.id = None
    copy._state.adding = True
    copy.campaign = target
    copy.rolled_from = event
    copy.publication = Publication.DRAFT
    copy.published_at = None
    copy.moderation_note = ""
    copy.status = EventStatus.SCHEDULED
    copy.status_message = ""
    if copy.registration_deadline:
        copy.registration_deadline = shift(copy.registration_deadline, years)
    copy.save()
    event_save(
        event=copy,
        audiences=event.audience_values,
        themes=list(event.themes.all()),
        organisers=list(event.organisers.all()),
        partners=list(event.partners.all()),
    )
    Session.objects.bulk_create(
        [
            Session(
                event=copy,
                label=s.label,
                start=shift(s.start, years),
                end=shift(s.start, years) + (s.end - s.start),
                capacity=s.capacity,
            )
            for s in event.sessions.filter(series=None)
        ]
    )
    for series in event.series.all():
        rule = series.rule
        match = re.search(r"UNTIL=(\d{8})", rule)
        if match:
            until = datetime.datetime.strptime(match.group(1), "%Y%m%d").date()  # noqa: DTZ007 -- a day
            rule = rule.replace(match.group(1), f"{_same_day_next_year(until, years):%Y%m%d}")
        new = SessionSeries.objects.create(
            event=copy,
            label=series.label,
            rule=rule,
            start=shift(series.start, years),
            duration=series.duration,
            exdates=[f"{same_weekday_of_same_week(datetime.date.fromisoformat(d), years)}" for d in series.exdates],
            capacity=series.capacity,
        )
        series_sync(series=new)
    return copy


@dataclass
class RollResult:
    target: Campaign
    created: list
    already: list
    campaign_created: bool


@transaction.atomic
def campaign_roll(*, campaign: Campaign, by, years: int = 1) -> RollResult:
    """Copies the campaign to next year as drafts to review: a new (unpublished) campaign, or the one already there,
    and each event not copied yet, with its sessions at the same weekday of the same ISO week. Nothing is published
    and no registration is copied. Rolling twice copies nothing more."""
    plan = campaign_roll_plan(campaign=campaign, years=years)
    target, created_campaign = plan.target, False
    if target is None:
        target = Campaign.objects.create(
            territory=campaign.territory,
            slug=plan.slug,
            name=plan.name,
            start_date=plan.start_date,
            end_date=plan.end_date,
            presentation=campaign.presentation,
            contact_info=campaign.contact_info,
            image=campaign.image,
            image_alt=campaign.image_alt,
            is_published=False,
            rolled_from=campaign,
        )
        created_campaign = True
    created = []
    for line in plan.to_copy:
        if target.events.filter(rolled_from=line.event).exists():
            continue
        created.append(_copy_event(line.event, target, years))
    return RollResult(
        target=target,
        created=created,
        already=[line.event for line in plan.already],
        campaign_created=created_campaign,
    )
