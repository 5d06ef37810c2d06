"""POST /api/v1/grants/simulate and GET /api/v1/indicators."""

import pytest

from essaim.grants.enums import ApplicationState

URL = "/api/v1/grants/simulate"


def post(client, payload):
    return client.post(URL, payload, content_type="application/json")


@pytest.fixture
def default_territory(world, settings):
    settings.ESSAIM_DEFAULT_TERRITORY = world.territory.siren
    return world.territory


def test_simulate_returns_both_parts_the_total_and_the_caps_as_two_decimal_strings(client, default_territory):
    response = post(client, {"form": "demarrage", "fte_created": "5,5", "investment": "20000"})
    assert response.status_code == 200
    data = response.json()
    assert (data["fte_part"], data["investment_part"], data["total"]) == ("8000.00", "3000.00", "11000.00")
    assert data["caps_applied"] == ["fte_cap", "investment_base_cap"]
    assert "plafond de 4 ETP" in data["explanation"]
    assert data["rule_valid_from"] == "2014-01-01"


def test_simulate_with_an_explicit_territory_and_numbers(client, world):
    response = post(
        client, {"form": "developpement", "fte_created": 0.5, "investment": 1234, "territory": world.territory.siren}
    )
    assert response.status_code == 200
    assert response.json()["total"] == "1246.80"


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"form": "demarrage", "fte_created": "-1", "investment": "0"}, "négative"),
        ({"form": "demarrage", "fte_created": "1", "investment": "-5"}, "négative"),
        ({"form": "demarrage", "fte_created": "0,125", "investment": "0"}, "au centième"),
        ({"form": "demarrage", "fte_created": "deux", "investment": "0"}, "n'est pas un nombre"),
        ({"form": "creation", "fte_created": "1", "investment": "0"}, "demarrage"),
        ({"form": "demarrage", "fte_created": "1", "investment": "0", "territory": "12345"}, "9 chiffres"),
    ],
)
def test_simulate_answers_422_with_a_message_on_bad_input(client, default_territory, payload, message):
    response = post(client, payload)
    assert response.status_code == 422
    assert message in response.json()["detail"]


def test_simulate_without_a_required_field_is_a_422_too(client, default_territory):
    response = post(client, {"form": "demarrage"})
    assert response.status_code == 422
    assert "detail" in response.json()


def test_simulate_without_default_territory_asks_for_one(client, world):
    response = post(client, {"form": "demarrage", "fte_created": "1", "investment": "0"})
    assert response.status_code == 422
    assert "SIREN du territoire" in response.json()["detail"]


def test_simulate_for_a_territory_without_scheme_is_a_404(client, world):
    response = post(
        client, {"form": "demarrage", "fte_created": "1", "investment": "0", "territory": world.other_territory.siren}
    )
    assert response.status_code == 404
    assert "ne publie aucun dispositif" in response.json()["detail"]


def test_indicators_per_year(client, world, default_territory):
    world.at(ApplicationState.CLOSED)
    world.at(ApplicationState.REFUSED)
    world.at(ApplicationState.DRAFT)
    response = client.get("/api/v1/indicators", {"year": 2026})
    assert response.status_code == 200
    data = response.json()
    assert data["territory"]["siren"] == world.territory.siren
    (year,) = data["grants"]
    assert year["year"] == 2026
    assert year["applications_by_state"]["closed"] == 1
    assert year["applications_by_state"]["refused"] == 1
    assert year["applications_by_state"]["draft"] == 1
    assert year["applications_filed"] == 2
    assert (year["decisions_granted"], year["decisions_refused"]) == (1, 1)
    assert year["amount_granted"] == "6000.00"
    assert year["amount_paid"] == "6000.00"
    assert year["fte_created"] == "2.00"
    assert year["investment_leveraged"] == "10000.00"
    assert year["days_to_decision_median"] is not None
    assert year["credits"] == {
        "credits": "40000.00",
        "committed": "6000.00",
        "paid": "6000.00",
        "released": "0.00",
        "remaining": "34000.00",
    }
