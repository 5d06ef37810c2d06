"""The agenda API: /api/v1/events (filters), /api/v1/events/{id}, POST /api/v1/events/{id}/registrations."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from essaim.agenda.enums import Audience, EventType
from tests.agenda.factories import CampaignFactory, EventFactory, SessionFactory, in_days
from tests.directory.factories import StructureFactory

pytestmark = pytest.mark.django_db


def post(client, event, **body):
    body.setdefault("consent", True)
    return client.post(f"/api/v1/events/{event.pk}/registrations", body, content_type="application/json")


def test_list_gives_published_upcoming_events_with_their_sessions(client, session):
    SessionFactory(event=EventFactory(draft=True))
    SessionFactory(start=in_days(-10), end=in_days(-10, 12))
    response = client.get("/api/v1/events")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    (event,) = data["results"]
    assert event["id"] == session.event.pk
    assert event["registration"]["mode"] == "here"
    assert event["registration"]["url"].endswith(f"/api/v1/events/{session.event.pk}/registrations")
    assert event["sessions"][0]["capacity"] == 3 and event["sessions"][0]["seats_left"] == 3
    start = datetime.datetime.fromisoformat(event["sessions"][0]["start"])
    assert start.utcoffset() is not None and start == session.start  # an aware instant, the session's own
    assert event["venue"]["commune"]["insee_code"] == session.event.venue.commune_id


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("type=atelier", {"atelier"}),
        ("audience=porteurs_de_projet", {"atelier"}),
        ("q=ENTREPRENDRE", {"atelier"}),
        ("campaign=mois-test", {"atelier"}),
        ("organiser=bge-test", {"atelier"}),
        ("territory=autre-territoire", {"cafe"}),
        ("from={in20}&to={in40}", {"cafe"}),
        ("", {"atelier", "cafe"}),
    ],
)
def test_list_filters(client, query, expected):
    campaign = CampaignFactory(slug="mois-test")
    atelier = EventFactory(
        title="Entreprendre autrement",
        event_type=EventType.ATELIER,
        campaign=campaign,
        territory=campaign.territory,
        audiences=[Audience.PORTEURS_DE_PROJET],
    )
    atelier.organisers.add(StructureFactory(slug="bge-test"))
    SessionFactory(event=atelier, start=in_days(5))
    cafe = EventFactory(title="Café citoyen", territory__slug="autre-territoire")
    SessionFactory(event=cafe, start=in_days(30))
    names = {atelier.pk: "atelier", cafe.pk: "cafe"}
    query = query.format(
        in20=(timezone.localdate() + datetime.timedelta(days=20)).isoformat(),
        in40=(timezone.localdate() + datetime.timedelta(days=40)).isoformat(),
    )
    response = client.get(f"/api/v1/events?{query}")
    assert response.status_code == 200, response.json()
    assert {names[e["id"]] for e in response.json()["results"]} == expected


def test_list_rejects_a_period_that_ends_before_it_starts(client):
    """A combination the schema cannot state: 400 (each date alone is valid)."""
    response = client.get("/api/v1/events?from=2027-11-20&to=2027-11-01")
    assert response.status_code == 400
    assert "précède" in response.json()["detail"]


def test_detail_answers_404_for_a_draft(client):
    draft = EventFactory(draft=True)
    assert client.get(f"/api/v1/events/{draft.pk}").status_code == 404
    assert client.get("/api/v1/events/999999").json() == {"detail": "Ressource introuvable."}


def test_registration_answers_confirmed_then_waitlisted(client, session, django_capture_on_commit_callbacks):
    statuses = []
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(4):
            response = post(client, session.event, name=f"P {n}", email=f"api{n}@exemple.example")
            assert response.status_code == 201, response.json()
            statuses.append(response.json()["status"])
    assert statuses == ["confirmed"] * 3 + ["waitlisted"]
    assert "position 1" in response.json()["detail"]
    assert len(mail.outbox) == 4


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"name": "Nom", "email": "pas-un-mail"}, "pas valide"),
        ({"name": "", "email": "a@exemple.example"}, "name"),
        ({"name": "Nom", "email": "a@exemple.example", "consent": False}, "consent"),
    ],
)
def test_bad_registration_input_answers_422_with_a_message(client, session, body, fragment):
    response = post(client, session.event, **body)
    assert response.status_code == 422
    assert fragment in response.json()["detail"]


def test_a_session_of_another_event_answers_404(client, session):
    response = post(client, session.event, name="Nom", email="a@exemple.example", session=999999)
    assert response.status_code == 404
    assert "n'appartient pas" in response.json()["detail"]


def test_an_event_with_several_sessions_needs_the_session(client, session):
    SessionFactory(event=session.event, start=in_days(9))
    response = post(client, session.event, name="Nom", email="a@exemple.example")
    assert response.status_code == 409
    assert "Précisez la séance" in response.json()["detail"]


def test_a_full_session_without_waiting_list_answers_409(client, session):
    session.event.waitlist_enabled = False
    session.event.save()
    for n in range(3):
        post(client, session.event, name="Nom", email=f"f{n}@exemple.example")
    response = post(client, session.event, name="Nom", email="late@exemple.example")
    assert response.status_code == 409
    assert response.json() == {"detail": "Cette séance est complète."}


def test_registration_is_rate_limited_per_address(client, session, settings):
    settings.ESSAIM_AGENDA_REGISTRATION_RATE_LIMIT = 2
    codes = [post(client, session.event, name="Nom", email=f"r{n}@exemple.example").status_code for n in range(3)]
    assert codes == [201, 201, 429]
    assert "réessayez" in post(client, session.event, name="N", email="x@exemple.example").json()["detail"]
    other_client = client.__class__(REMOTE_ADDR="10.0.0.9")
    assert post(other_client, session.event, name="Nom", email="other@exemple.example").status_code == 201


def test_the_list_runs_in_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(12):
        SessionFactory()
    with django_assert_max_num_queries(10):
        response = client.get("/api/v1/events")
    assert response.json()["count"] == 12
