"""Recurring sessions: a series materialises its occurrences (each with its own seats), follows its rule and its
exceptions, refuses to drop an occurrence someone registered to, and is exported as such (RRULE, EXDATE)."""

import datetime

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from essaim.agenda.models import Session, SessionSeries
from essaim.agenda.recurring import HORIZON_DAYS, series_save, series_sync
from essaim.agenda.services import RegistrationError, registration_create
from tests.accounts.factories import MembershipFactory
from tests.agenda.factories import EventFactory

pytestmark = pytest.mark.django_db


def first_thursday_series(event, **kwargs):
    today = timezone.localdate()
    start = timezone.make_aware(datetime.datetime.combine(today.replace(day=1), datetime.time(18)))
    series = SessionSeries(
        event=event,
        rule="FREQ=MONTHLY;BYDAY=1TH",
        start=start,
        duration=datetime.timedelta(hours=2),
        capacity=2,
        **kwargs,
    )
    series_save(series=series)
    return series


def test_a_series_materialises_one_session_per_occurrence_up_to_the_horizon():
    series = first_thursday_series(EventFactory())
    sessions = list(series.occurrences.order_by("start"))
    assert 12 <= len(sessions) <= 15  # a first Thursday a month, over HORIZON_DAYS
    assert all(timezone.localtime(s.start).weekday() == 3 and timezone.localtime(s.start).day <= 7 for s in sessions)
    assert all(s.end - s.start == datetime.timedelta(hours=2) and s.capacity == 2 for s in sessions)
    assert sessions[-1].start <= timezone.now() + datetime.timedelta(days=HORIZON_DAYS + 1)
    assert len(series_sync(series=series).created) == 0  # idempotent


def test_each_occurrence_has_its_own_seats_and_waiting_list():
    series = first_thursday_series(EventFactory())
    first, second = [s for s in series.occurrences.order_by("start") if not s.has_started][:2]
    statuses = [
        registration_create(session=first, name=f"P {n}", email=f"p{n}@exemple.example").status for n in range(3)
    ]
    assert statuses == ["confirmed", "confirmed", "waitlisted"]
    assert registration_create(session=second, name="P 0", email="p0@exemple.example").status == "confirmed"


def test_an_exception_removes_the_occurrence_unless_someone_registered():
    series = first_thursday_series(EventFactory())
    upcoming = [s for s in series.occurrences.order_by("start") if not s.has_started]
    free, taken = upcoming[1], upcoming[2]
    series.exdates = [timezone.localdate(free.start).isoformat()]
    result = series_save(series=series)
    assert result.removed == [free.occurrence] and not Session.objects.filter(pk=free.pk).exists()
    registration_create(session=taken, name="Léa Dufour", email="lea@exemple.example")
    series.exdates.append(timezone.localdate(taken.start).isoformat())
    with pytest.raises(RegistrationError, match="a des inscrits"):
        series_save(series=series)
    assert Session.objects.filter(pk=taken.pk).exists()


def test_fewer_seats_than_confirmed_are_refused():
    series = first_thursday_series(EventFactory())
    session = next(s for s in series.occurrences.order_by("start") if not s.has_started)
    registration_create(session=session, name="A", email="a@exemple.example")
    registration_create(session=session, name="B", email="b@exemple.example")
    series.capacity = 1
    with pytest.raises(RegistrationError, match="ne peuvent pas descendre"):
        series_save(series=series)


def test_the_calendar_feed_exports_the_series_as_such(client):
    event = EventFactory()
    series = first_thursday_series(event)
    series.exdates = [timezone.localdate(s.start).isoformat() for s in series.occurrences.order_by("start")[2:3]]
    series_save(series=series)
    for url in (reverse("agenda:calendar_ics"), reverse("agenda:event_ics", args=[event.pk])):
        calendar = icalendar.Calendar.from_ical(client.get(url).content)
        vevents = [c for c in calendar.walk("VEVENT")]
        assert len(vevents) == 1, url  # one VEVENT for the whole series, not one per occurrence
        (vevent,) = vevents
        assert vevent["UID"] == f"{series.uid}@essaim"
        assert vevent["RRULE"].to_ical() == b"FREQ=MONTHLY;BYDAY=1TH"
        assert vevent.get("EXDATE") is not None
        assert timezone.localtime(vevent.decoded("DTSTART")).hour == 18


def test_a_registrations_mail_carries_its_one_occurrence(django_capture_on_commit_callbacks, mailoutbox):
    series = first_thursday_series(EventFactory())
    session = next(s for s in series.occurrences.order_by("start") if not s.has_started)
    with django_capture_on_commit_callbacks(execute=True):
        registration_create(session=session, name="Léa Dufour", email="lea@exemple.example")
    (mail,) = mailoutbox
    calendar = icalendar.Calendar.from_ical(mail.attachments[0][1])
    (vevent,) = calendar.walk("VEVENT")
    assert "RRULE" not in vevent and vevent["UID"] == f"{session.uid}@essaim"


def test_the_api_lists_the_occurrences_of_a_series(client):
    series = first_thursday_series(EventFactory())
    today = timezone.localdate()
    response = client.get(
        "/api/v1/events", {"from": today.isoformat(), "to": (today + datetime.timedelta(days=70)).isoformat()}
    )
    (event,) = response.json()["results"]
    assert len(event["sessions"]) == series.occurrences.count()


def test_the_officer_writes_a_rule_in_french_previews_it_then_saves_it(client):
    event = EventFactory()
    client.force_login(MembershipFactory(territory=event.territory).user)
    url = reverse("agenda:series_create", args=[event.territory.slug, event.pk])
    start = timezone.localdate() + datetime.timedelta(days=3)
    data = {
        "label": "",
        "start": f"{start:%Y-%m-%d}T18:00",
        "end_time": "20:00",
        "frequency": "monthly_nth",
        "interval": "1",
        "nth": "1",
        "nth_weekday": "3",
        "capacity": "20",
        "exdates": "",
    }
    response = client.post(url, {**data, "preview": "1"})
    assert response.status_code == 200 and "Tous les premiers jeudis du mois à 18 h" in response.content.decode()
    assert not SessionSeries.objects.exists()  # a preview writes nothing
    response = client.post(url, {**data, "exdates": "31/02/2027"})
    assert "pas une date au format JJ/MM/AAAA" in response.content.decode()
    response = client.post(url, data)
    assert response.status_code == 302
    series = SessionSeries.objects.get()
    assert series.rule == "FREQ=MONTHLY;BYDAY=1TH" and series.occurrences.count() >= 12
    page = client.get(reverse("agenda:manage_event", args=[event.territory.slug, event.pk])).content.decode()
    assert "Tous les premiers jeudis du mois" in page
    edit = client.get(reverse("agenda:series_update", args=[event.territory.slug, event.pk, series.pk])).content
    assert f'value="{start:%Y-%m-%d}T18:00"'.encode() in edit and b'value="20:00"' in edit  # the form shows the series


def test_the_rss_item_of_a_series_announces_its_next_session(client):
    import feedparser

    from essaim.agenda.feeds import session_when

    series = first_thursday_series(EventFactory())
    upcoming = [s for s in series.occurrences.order_by("start") if s.end >= timezone.now()]
    (item,) = feedparser.parse(client.get(reverse("agenda:rss")).content).entries
    assert item.description.startswith(session_when(upcoming[0]))
    assert f"(et {len(upcoming) - 1} autres séances)" in item.description
