"""Feeds: RFC 5545 calendars (Europe/Paris VTIMEZONE, stable UIDs, the list's filters), RSS, the printed PDF."""

import io
import zoneinfo

import feedparser
import icalendar
import pypdf
import pytest
from django.utils import timezone

from essaim.agenda.enums import EventStatus, EventType
from tests.agenda.factories import CampaignFactory, EventFactory, SessionFactory, VenueFactory, in_days

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def parse(response):
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def test_the_subscribable_calendar_parses_with_the_paris_timezone_and_stable_uids(client, session):
    calendar = parse(client.get("/agenda/calendar.ics"))
    assert str(calendar["VERSION"]) == "2.0"
    (timezone,) = calendar.walk("VTIMEZONE")
    assert str(timezone["TZID"]) == "Europe/Paris"
    assert {c.name for c in timezone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    (vevent,) = calendar.walk("VEVENT")
    assert vevent["DTSTART"].params["TZID"] == "Europe/Paris"
    start = vevent.decoded("DTSTART")
    assert start.astimezone(PARIS).hour == 18 and start == session.start
    assert str(vevent["SUMMARY"]) == session.event.title
    assert str(vevent["UID"]) == f"{session.uid}@essaim"
    session.event.title = "Nouveau titre"
    session.event.save()
    again = parse(client.get("/agenda/calendar.ics")).walk("VEVENT")[0]
    assert str(again["UID"]) == f"{session.uid}@essaim" and str(again["SUMMARY"]) == "Nouveau titre"


def test_the_calendar_takes_the_same_filters_as_the_list(client):
    SessionFactory(event=EventFactory(title="Atelier BGE", event_type=EventType.ATELIER))
    SessionFactory(event=EventFactory(title="Café", event_type=EventType.CAFE_CITOYEN))
    calendar = parse(client.get("/agenda/calendar.ics?type=atelier"))
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["Atelier BGE"]


def test_a_cancelled_event_is_cancelled_in_calendars_and_drafts_are_absent(client):
    SessionFactory(event=EventFactory(title="Annulé", status=EventStatus.CANCELLED))
    SessionFactory(event=EventFactory(title="Brouillon", draft=True))
    (vevent,) = parse(client.get("/agenda/calendar.ics")).walk("VEVENT")
    assert str(vevent["STATUS"]) == "CANCELLED" and "ANNULÉ" in str(vevent["SUMMARY"])


def test_one_ics_per_event_with_all_its_sessions_and_the_venue(client, session):
    SessionFactory(event=session.event, start=in_days(8, 9))
    response = client.get(f"/agenda/evenements/{session.event.pk}/calendrier.ics")
    assert "attachment" in response["Content-Disposition"]
    vevents = parse(response).walk("VEVENT")
    assert len(vevents) == 2 and len({str(v["UID"]) for v in vevents}) == 2
    assert session.event.venue.name in str(vevents[0]["LOCATION"])
    assert vevents[0]["GEO"] is not None


def test_rss_parses_with_feedparser(client, session):
    response = client.get("/agenda/feed.xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "Agenda de l'ESS"
    (entry,) = feed.entries
    assert entry.title == session.event.title
    assert entry.link.endswith(f"/agenda/evenements/{session.event.pk}/")
    assert session.event.venue.name in entry.summary


def test_the_printed_programme_has_a_contents_page_and_the_programme_by_day(client):
    campaign = CampaignFactory(name="Mois de l'ESS", start_date=timezone.localdate())
    venue = VenueFactory(territory=campaign.territory, name="Maison de la poésie", address="")
    first = EventFactory(
        territory=campaign.territory, campaign=campaign, venue=venue, title="Rencontre des acteurs de l'ESS"
    )
    SessionFactory(event=first, start=in_days(3, 9, 30), end=in_days(3, 12, 30), capacity=60)
    second = EventFactory(territory=campaign.territory, campaign=campaign, title="Portes ouvertes de l'APIC")
    second.other_organisers = "APIC"
    second.registration_mode = "none"
    second.save()
    SessionFactory(event=second, start=in_days(10, 9), end=in_days(10, 17))
    SessionFactory(event=EventFactory(territory=campaign.territory, title="Hors campagne"))
    response = client.get(f"/agenda/campagnes/{campaign.slug}/programme.pdf")
    assert response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert len(reader.pages) >= 3
    assert "Sommaire" in reader.pages[1].extract_text()
    for expected in [
        "Mois de l'ESS",
        "Rencontre des acteurs de l'ESS",
        "Maison de la poésie",
        "9 h 30 – 12 h 30",
        "Sur inscription, 60 places",
        "Portes ouvertes de l'APIC",
        "Organisé par : APIC",
        "Entrée libre",
    ]:
        assert expected in text, expected
    assert "Hors campagne" not in text
