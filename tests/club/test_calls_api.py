"""GET /api/v1/club/calls: calls only, filtered by territory (SIREN or slug), club and open; never the answers."""

import datetime

import pytest
from django.utils import timezone

from tests.club.factories import CallFactory, ClubFactory
from tests.club.factories_calls import consortium
from tests.directory.factories import SectorFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/club/calls"


def test_calls_are_listed_by_deadline_with_their_themes_and_never_an_answer(client):
    c = consortium(title="Secret du consortium", summary="Ne doit pas fuiter")
    call = c.answer.call
    call.sectors.add(SectorFactory(slug="theme-essai", name="Thème d’essai"))
    past = CallFactory(club=c.club, deadline=timezone.localdate() - datetime.timedelta(days=3))
    response = client.get(URL, {"territory": c.club.territory.siren})
    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 2
    assert [row["id"] for row in body["results"]] == [past.pk, call.pk]
    assert body["results"][1]["themes"] == [{"slug": "theme-essai", "name": "Thème d’essai"}]
    assert body["results"][1]["url"].endswith(f"/club/{c.club.slug}/appels/{call.pk}/")
    assert "Secret du consortium" not in response.content.decode()
    assert "Ne doit pas fuiter" not in response.content.decode()


def test_filters_by_club_and_open(client):
    club = ClubFactory()
    open_call = CallFactory(club=club)
    CallFactory(club=club, deadline=timezone.localdate() - datetime.timedelta(days=1))
    CallFactory()
    assert [r["id"] for r in client.get(URL, {"club": club.slug, "open": "true"}).json()["results"]] == [open_call.pk]
    assert client.get(URL, {"club": club.slug, "open": "false"}).json()["count"] == 1
    assert client.get(URL, {"territory": club.territory.slug}).json()["count"] == 2


def test_a_bad_siren_is_refused_in_french(client):
    response = client.get(URL, {"territory": "12"})
    assert response.status_code == 422
    assert "SIREN" in response.content.decode()
