"""The team's pages: entered figures and freezing a year, for the territory's officers and admin only."""

import html
from decimal import Decimal

import pytest
from django.urls import reverse

from essaim.observatory.models import EnteredFigure, Snapshot
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.observatory.fixtures import YEAR
from tests.roles import RoleCast

pytestmark = pytest.mark.django_db


def _url(name, territory):
    return reverse(f"observatory:{name}", args=[territory.slug])


@pytest.fixture
def cast(db):
    return RoleCast()


def test_who_reads_the_team_page(client, cast):
    seen = {}
    for role in ("officer", "admin", "commission", "elected", "outsider", "network"):
        client.force_login(getattr(cast, role))
        seen[role] = client.get(_url("manage", cast.mine)).status_code
    assert seen == {"officer": 200, "admin": 200, "commission": 404, "elected": 404, "outsider": 404, "network": 200}
    client.logout()
    response = client.get(_url("manage", cast.mine))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_another_territorys_officer_can_neither_enter_nor_freeze(client, cast):
    ternois = MembershipFactory(territory=cast.other).user
    client.force_login(ternois)
    data = {"year": "2024", "value": "41000", "source": "INSEE"}
    assert client.post(_url("entered", cast.mine), data).status_code == 404
    assert client.post(_url("freeze", cast.mine), {"year": "2024"}).status_code == 404
    assert not EnteredFigure.objects.exists()
    assert not Snapshot.objects.exists()
    client.force_login(cast.elected)
    assert client.post(_url("freeze", cast.mine), {"year": "2024"}).status_code == 404
    assert not Snapshot.objects.exists()


def test_an_officer_enters_then_replaces_the_total_employment(client, cast):
    client.force_login(cast.officer)
    data = {"year": "2024", "value": "41000", "source": "INSEE, Flores 2024"}
    response = client.post(_url("entered", cast.mine), data)
    assert response.status_code == 302
    figure = EnteredFigure.objects.get()
    assert (figure.year, figure.value, figure.entered_by) == (2024, Decimal("41000"), cast.officer)
    client.post(_url("entered", cast.mine), {**data, "value": "42000"})
    figure = EnteredFigure.objects.get()
    assert figure.value == Decimal("42000")
    page = client.get(_url("manage", cast.mine)).content.decode()
    assert "INSEE, Flores 2024" in page
    assert str(cast.officer.full_name) in page


def test_errors_keep_what_was_typed(client, cast):
    client.force_login(cast.officer)
    response = client.post(_url("entered", cast.mine), {"year": "2024", "value": "-3", "source": "Mon tableur"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Mon tableur"' in page
    assert "supérieure ou égale à 1" in page
    assert not EnteredFigure.objects.exists()


def test_freezing_an_ended_year_and_refusing_the_current_one(client, cast):
    client.force_login(cast.admin)
    response = client.post(_url("freeze", cast.mine), {"year": str(YEAR - 1)}, follow=True)
    assert response.status_code == 200
    frozen = Snapshot.objects.filter(territory=cast.mine, year=YEAR - 1)
    assert frozen.count() == 6  # one per registered capability
    assert {s.frozen_by for s in frozen} == {cast.admin}
    response = client.post(_url("freeze", cast.mine), {"year": str(YEAR)}, follow=True)
    assert "n'est pas terminée" in html.unescape(response.content.decode())
    assert not Snapshot.objects.filter(year=YEAR).exists()
    assert client.get(_url("freeze", cast.mine)).status_code == 405


def test_a_person_without_role_is_refused(client, db):
    territory = MembershipFactory().territory
    client.force_login(UserFactory())
    assert client.get(_url("entered", territory)).status_code == 404
