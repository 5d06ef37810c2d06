"""The agenda's figures: the year of a session in Europe/Paris, what is counted and what is not."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from essaim.agenda.enums import EventStatus, EventType, RegistrationStatus
from essaim.agenda.indicators import NO_CAMPAIGN, agenda_indicators
from tests.agenda.factories import EventFactory, RegistrationFactory, SessionFactory
from tests.territories.factories import TerritoryFactory

PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.django_db
def test_a_session_belongs_to_its_year_in_paris():
    territory = TerritoryFactory()
    event = EventFactory(territory=territory, event_type=EventType.CONFERENCE)
    SessionFactory(event=event, start=datetime.datetime(2024, 12, 31, 23, 30, tzinfo=PARIS), capacity=None)
    late = SessionFactory(event=event, start=datetime.datetime(2025, 1, 1, 0, 30, tzinfo=PARIS), capacity=None)
    RegistrationFactory(session=late, checked_in_at=datetime.datetime(2025, 1, 1, 0, 40, tzinfo=PARIS))
    RegistrationFactory(session=late, status=RegistrationStatus.WAITLISTED)
    years = agenda_indicators(territory=territory)
    assert [y["year"] for y in years] == [2025, 2024]  # 1 January 00:30 in Paris is 31 December 23:30 in UTC
    assert years[0]["values"] == {"events": 1, "sessions": 1, "registrations": 1, "attendance": 1}
    assert years[1]["values"] == {"events": 1, "sessions": 1, "registrations": 0, "attendance": 0}
    (row,) = [r for r in years[0]["tables"]["by_campaign"] if r["key"] == NO_CAMPAIGN]
    assert (row["value"], row["detail"]) == (1, {"sessions": 1, "registrations": 1, "attendance": 1})


@pytest.mark.django_db
def test_members_only_meetings_count_cancelled_and_draft_events_do_not():
    territory = TerritoryFactory()
    start = datetime.datetime(2025, 5, 5, 18, tzinfo=PARIS)
    SessionFactory(event=EventFactory(territory=territory, members_only=True), start=start, capacity=None)
    SessionFactory(event=EventFactory(territory=territory, status=EventStatus.CANCELLED), start=start)
    SessionFactory(event=EventFactory(territory=territory, draft=True), start=start)
    SessionFactory(event=EventFactory(territory=TerritoryFactory()), start=start)
    (year,) = agenda_indicators(territory=territory, year=2025)
    assert (year["values"]["events"], year["values"]["sessions"]) == (1, 1)
    assert agenda_indicators(territory=territory, year=2023)[0]["values"]["events"] == 0
