"""The support API: free slots of a territory (bounded window, French errors) and bookings without an account
(201, 409 when just taken, 422 in French, 429 past the rate limit)."""

import datetime

import pytest
from django.core import mail

from essaim.api.support import SlotPage
from essaim.support.enums import BookableBy, BookingStatus
from essaim.support.models import Booking
from essaim.support.slots import slot_id
from tests.support.factories import MotifFactory, OpeningRangeFactory, local

pytestmark = pytest.mark.django_db


def slots(client, **params):
    return client.get("/api/v1/support/slots", params)


def post(client, **body):
    return client.post("/api/v1/support/bookings", body, content_type="application/json")


def body_for(opening, hour=9, minute=0, **extra):
    return {
        "slot": slot_id(opening.pk, local(opening.first_day, hour, minute)),
        "name": "Camille Martin",
        "email": "camille@example.org",
        "message": "Une recyclerie solidaire.",
        "consent": True,
    } | extra


def test_slots_of_a_territory_by_siren_with_motif_and_place(client):
    opening = OpeningRangeFactory()
    day = opening.first_day.isoformat()
    response = slots(client, territory=opening.territory.siren, **{"from": day, "to": day})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert SlotPage.model_validate(data).count == 4  # the body written by hand has the declared shape
    assert data["count"] == 4
    first = data["results"][0]
    assert first["id"] == slot_id(opening.pk, local(opening.first_day, 9))
    assert first["motif"] == {"slug": opening.motif.slug, "title": opening.motif.title}
    assert first["channel"] == "in_person"
    assert first["place"] == {
        "name": opening.venue.name,
        "address": opening.venue.address,
        "commune": opening.venue.commune.name,
    }
    assert datetime.datetime.fromisoformat(first["start"]) == local(opening.first_day, 9)


def test_slots_filter_by_motif_and_hide_invitation_only_motifs(client):
    opening = OpeningRangeFactory()
    invited = MotifFactory(territory=opening.territory, bookable_by=BookableBy.INVITED)
    OpeningRangeFactory(territory=opening.territory, motif=invited)
    day = opening.first_day.isoformat()
    everything = slots(client, territory=opening.territory.slug, **{"from": day, "to": day}).json()
    assert {r["motif"]["slug"] for r in everything["results"]} == {opening.motif.slug}
    assert slots(client, territory=opening.territory.slug, motif=invited.slug).status_code == 404
    only = slots(client, territory=opening.territory.slug, motif=opening.motif.slug, **{"from": day, "to": day})
    assert only.json()["count"] == 4


@pytest.mark.parametrize(
    ("params", "status", "fragment"),
    [
        ({"territory": "999999999"}, 404, "Aucun territoire"),
        ({"motif": "inconnu"}, 404, "ne propose pas"),
        ({"from": "2027-01-10", "to": "2027-01-09"}, 400, "précède"),
        ({"from": "2027-01-01", "to": "2027-03-15"}, 400, "62 jours"),
        ({"from": "2027-02-30"}, 422, "calendrier"),
        ({"territory": "12"}, 422, "SIREN"),
    ],
)
def test_slots_refuse_bad_parameters_in_french(client, params, status, fragment):
    opening = OpeningRangeFactory()
    response = slots(client, **({"territory": opening.territory.slug} | params))
    assert response.status_code == status
    assert fragment in str(response.json())


def test_a_booking_answers_201_with_its_manage_link_and_mails(client, django_capture_on_commit_callbacks):
    opening = OpeningRangeFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, **body_for(opening))
    assert response.status_code == 201, response.json()
    data = response.json()
    booking = Booking.objects.get()
    assert data["status"] == BookingStatus.BOOKED
    assert data["manage_url"].endswith(f"/accompagnement/rendez-vous/{booking.token}/")
    assert booking.source == "api"
    assert len(mail.outbox) == 1


def test_a_slot_just_taken_answers_409_in_french(client):
    opening = OpeningRangeFactory()
    assert post(client, **body_for(opening)).status_code == 201
    response = post(client, **body_for(opening, email="autre@example.org"))
    assert response.status_code == 409
    assert response.json() == {
        "detail": "Ce créneau vient d'être réservé par quelqu'un d'autre : choisissez-en un autre."
    }


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"consent": False}, "consent"),
        ({"email": "pas-une-adresse"}, "email"),
        ({"name": "   "}, "nom"),
        ({"slot": "n'importe quoi"}, "identifiant de créneau"),
        ({"phone": "0" * 31}, "phone"),
    ],
)
def test_bad_input_answers_422_in_french(client, change, fragment):
    opening = OpeningRangeFactory()
    response = post(client, **body_for(opening, **change))
    assert response.status_code == 422
    assert fragment in str(response.json())
    assert not Booking.objects.exists()


def test_bookings_are_rate_limited_like_registrations(client, settings):
    settings.ESSAIM_AGENDA_REGISTRATION_RATE_LIMIT = 2
    opening = OpeningRangeFactory()
    codes = [
        post(client, **body_for(opening, 9, minute, email=f"p{minute}@example.org")).status_code for minute in (0, 45)
    ]
    last = post(client, **body_for(opening, 10, 30, email="p3@example.org"))
    assert codes + [last.status_code] == [201, 201, 429]
    assert "réessayez" in last.json()["detail"]


def test_a_slot_naming_nothing_answers_404_and_one_not_offered_409(client):
    opening = OpeningRangeFactory()
    response = post(client, **body_for(opening, slot="r999999-20301112T0800Z"))
    assert response.status_code == 404
    assert "plus proposé" in response.json()["detail"]
    response = post(client, **body_for(opening, 9, 10))  # off the grid
    assert response.status_code == 409
    assert "plus proposé" in response.json()["detail"]


def test_an_invitation_only_motif_answers_409_without_its_invitation(client):
    motif = MotifFactory(bookable_by=BookableBy.INVITED)
    opening = OpeningRangeFactory(motif=motif, territory=motif.territory)
    response = post(client, **body_for(opening))
    assert response.status_code == 409
    assert "sur invitation" in response.json()["detail"]
    assert not Booking.objects.exists()


def test_a_body_that_is_not_json_is_a_documented_400(client):
    """schemathesis sends a blank body: the answer is JSON, with a status the schema declares."""
    from essaim.api.main import api

    response = client.post("/api/v1/support/bookings", data=" ", content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"detail"}
    operation = api.get_openapi_schema()["paths"]["/api/v1/support/bookings"]["post"]
    assert 400 in operation["responses"]
