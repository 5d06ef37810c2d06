"""The demo agenda is alive on any day ``essaim demo`` runs: the 2014 archive with its real dates, the most recent
Mois de l'ESS finished (registrations, people checked in), the next one in preparation (drafts, a call open), and
year-round recurring events, so that the API always lists events in the coming weeks. Idempotent from one day to
another."""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from essaim.accounts.demo import load_demo_accounts
from essaim.agenda.demo import load_demo_agenda, public_holidays, recent_november_year
from essaim.agenda.enums import Audience, EventType, Publication
from essaim.agenda.models import Campaign, Event, Registration, Session, SessionSeries


def counts():
    return Event.objects.count(), Session.objects.count(), Registration.objects.count(), Campaign.objects.count()


def test_the_most_recent_november_is_this_one_from_the_first_of_november():
    assert recent_november_year(datetime.date(2026, 11, 1)) == 2026
    assert recent_november_year(datetime.date(2026, 10, 31)) == 2025
    assert recent_november_year(datetime.date(2026, 12, 31)) == 2026


def test_the_archive_keeps_the_seed_programme_at_its_real_2014_dates(demo):
    result = load_demo_agenda(territories=demo, today=datetime.date(2027, 3, 1))
    archive = result["archive"]
    assert archive.slug == "mois-de-l-ess-2014" and archive.territory == demo["artois"]
    quinzaine = Event.objects.get(campaign=archive, title__startswith="Quinzaine").sessions.get()
    start, end = timezone.localtime(quinzaine.start), timezone.localtime(quinzaine.end)
    assert (start.date(), end.date()) == (datetime.date(2014, 11, 3), datetime.date(2014, 11, 14))
    assert (start.strftime("%A"), end.strftime("%A")) == ("Monday", "Friday")
    meeting = Event.objects.get(campaign=archive, title="Rencontre des acteurs de l'ESS").sessions.get()
    assert timezone.localtime(meeting.start).strftime("%Y-%m-%d %H:%M") == "2014-11-14 09:30"
    assert "Artois Comm." in Event.objects.get(campaign=archive, title__contains="Agora").other_organisers
    assert not Event.objects.filter(campaign=archive, title__contains="Faites l'ESS").exists()  # seed 001 is later
    assert not Event.objects.filter(description__contains="Source :").exists()


def test_the_recent_campaign_is_finished_with_figures_and_every_session_on_its_seed_weekday(demo):
    today = datetime.date(2027, 3, 1)
    result = load_demo_agenda(territories=demo, today=today)
    recent = result["campaign"]
    assert recent.slug == "mois-de-l-ess-2026" and recent.territory == demo["cabbalr"]
    archive_sessions = {
        e.title: [timezone.localtime(s.start) for s in e.sessions.all()]
        for e in Event.objects.filter(campaign=result["archive"]).prefetch_related("sessions")
    }
    events = list(Event.objects.filter(campaign=recent).prefetch_related("sessions"))
    assert len(events) == 11 and len({e.title for e in events} & archive_sessions.keys()) == 9
    for event in events:
        for session in event.sessions.all():
            local = timezone.localtime(session.start)
            if event.title in archive_sessions:
                seed = archive_sessions[event.title][0]
                assert (local.isocalendar()[1:], local.time()) == (seed.isocalendar()[1:], seed.time()), event.title
            if event.event_type != EventType.SALON and "Creative" not in event.title:
                assert local.weekday() < 5, f"{event.title} un {local:%A}"
    registrations = Registration.objects.filter(session__event__campaign=recent)
    assert registrations.filter(checked_in_at__isnull=False).count() > 20
    assert Session.objects.filter(event__campaign=recent, attendance_count__isnull=False).count() >= 10
    full = Event.objects.get(campaign=recent, title__startswith="Entreprendre autrement").sessions.get()
    assert (full.capacity, full.registrations.confirmed().count(), full.registrations.waitlisted().count()) == (
        12,
        12,
        3,
    )
    fair = Event.objects.get(campaign=recent, title="Salon « Faites l'ESS »")
    assert fair.venue.commune.name == "Houdain"
    assert [timezone.localtime(s.start).strftime("%A") for s in fair.sessions.all()] == ["Friday", "Saturday"]
    assert not Registration.objects.exclude(email__endswith=".example").exists()


def test_the_next_campaign_is_in_preparation_with_drafts_and_an_open_call(demo):
    load_demo_accounts(demo)
    today = datetime.date(2027, 3, 1)
    result = load_demo_agenda(territories=demo, today=today)
    upcoming = result["next"]
    assert upcoming.slug == "mois-de-l-ess-2027" and upcoming.is_published and upcoming.call_is_open()
    assert timezone.localdate(upcoming.call_deadline) >= today
    drafts = Event.objects.filter(campaign=upcoming, publication=Publication.DRAFT)
    assert drafts.count() == Event.objects.filter(campaign=result["campaign"]).count()
    assert not Registration.objects.filter(session__event__campaign=upcoming).exists()
    assert all(
        timezone.localtime(s.start).weekday() < 5
        for s in Session.objects.filter(event__in=drafts).exclude(event__event_type=EventType.SALON)
        if "Creative" not in s.event.title
    )
    proposal = Event.objects.get(campaign=upcoming, publication=Publication.PROPOSED)
    assert proposal.title == "Panier malin, panier vilain" and proposal.proposed_by.email == "structure@essaim.example"
    camp = Event.objects.get(title="Camp de l'innovation")
    assert camp.territory == demo["ternois"] and camp.audience_values == [Audience.SCOLAIRES]


def test_year_round_events_repeat_by_rules_and_skip_public_holidays(demo):
    load_demo_agenda(territories=demo, today=datetime.date(2027, 3, 1))
    assert SessionSeries.objects.count() == 4  # the club's quarterly meetings are the club's, members-only
    cafe = SessionSeries.objects.get(event__title="Café citoyen de L'Effet déco")
    assert cafe.rule == "FREQ=MONTHLY;BYDAY=1TH"
    assert not Event.objects.filter(event_type=EventType.REUNION, members_only=False).exists()
    holidays = public_holidays(2027) | public_holidays(2028)
    for session in Session.objects.filter(series__isnull=False):
        assert timezone.localdate(session.start) not in holidays, session
    permanence = SessionSeries.objects.get(event__event_type=EventType.PERMANENCE)
    assert "2027-12-29" in permanence.exdates  # between Christmas and New Year's Day


@pytest.mark.parametrize(
    "today",
    [
        datetime.date(2027, 1, 1),
        datetime.date(2027, 6, 15),
        datetime.date(2027, 8, 10),
        datetime.date(2027, 11, 1),
        datetime.date(2027, 12, 31),
    ],
)
def test_on_any_day_the_api_lists_upcoming_events_in_the_next_45_days(demo, client, today):
    load_demo_agenda(territories=demo, today=today)
    before = counts()
    load_demo_agenda(territories=demo, today=today)
    assert counts() == before  # idempotent
    noon = timezone.make_aware(datetime.datetime.combine(today, datetime.time(8)))
    with override_settings(USE_TZ=True):
        response = client.get(
            "/api/v1/events", {"from": today.isoformat(), "to": (today + datetime.timedelta(days=45)).isoformat()}
        )
    events = response.json()["results"]
    assert response.status_code == 200 and len(events) >= 3, today
    starts = [s["start"] for e in events for s in e["sessions"]]
    assert any(datetime.datetime.fromisoformat(s) >= noon for s in starts)


def test_loading_on_another_day_adds_without_duplicating(demo):
    load_demo_agenda(territories=demo, today=datetime.date(2027, 3, 1))
    load_demo_agenda(territories=demo, today=datetime.date(2027, 12, 2))
    assert Campaign.objects.filter(slug="mois-de-l-ess-2027").count() == 1
    titles = list(Event.objects.filter(campaign__slug="mois-de-l-ess-2027").values_list("title", flat=True))
    assert len(titles) == len(set(titles))  # published 2027 programme, no drafts twice
    assert Event.objects.filter(campaign__slug="mois-de-l-ess-2028", publication=Publication.DRAFT).exists()
    for series in SessionSeries.objects.all():
        starts = list(series.occurrences.values_list("occurrence", flat=True))
        assert len(starts) == len(set(starts))
