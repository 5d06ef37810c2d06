"""GET /api/v1/indicators: the grants' years as before, plus every figure of the year with its definition and
origin."""

import pytest

from tests.observatory.factories import EnteredFigureFactory, SnapshotFactory
from tests.observatory.fixtures import YEAR

pytestmark = pytest.mark.django_db


def _get(client, **params):
    return client.get("/api/v1/indicators", params)


def test_every_figure_of_the_year_with_its_definition(client, known):
    response = _get(client, territory=known.territory.siren, year=YEAR)
    assert response.status_code == 200
    data = response.json()
    assert [y["year"] for y in data["grants"]] == [YEAR]
    figures = {f["code"]: f for f in data["figures"]}
    assert len(figures) == len(data["figures"])
    establishments = figures["directory.establishments"]
    assert (establishments["value"], establishments["kind"], establishments["year"]) == (4, "value", YEAR)
    assert establishments["origin"] == "live"
    assert establishments["source"].startswith("Annuaire d'Essaim")
    assert establishments["computed_at"]
    assert figures["grants.amount_granted"]["value"] == 6000.0
    communes = figures["directory.by_commune"]["rows"]
    assert [(r["label"], r["value"]) for r in communes] == [("Auchel", 2), ("Béthune", 2)]
    assert figures["directory.jobs_by_band"]["rows"][1]["detail"] == {"midpoint": 0, "jobs": 0}


def test_one_code_and_an_unknown_one(client, known):
    response = _get(client, territory=known.territory.slug, year=YEAR, code="agenda.registrations")
    assert response.status_code == 200
    (figure,) = response.json()["figures"]
    assert (figure["code"], figure["value"]) == ("agenda.registrations", 6)
    response = _get(client, territory=known.territory.siren, code="agenda.inconnu")
    assert response.status_code == 404
    assert response.json()["detail"].startswith("Indicateur inconnu")
    assert _get(client, territory=known.territory.siren, code="pas un code").status_code == 422


def test_a_frozen_year_and_an_entered_value(client, known):
    SnapshotFactory(
        territory=known.territory,
        year=YEAR - 2,
        capability="agenda",
        values={"events": 7},
        definitions={"events": {"name": "Événements", "definition": "…", "unit": "événements", "kind": "value"}},
    )
    EnteredFigureFactory(territory=known.territory, year=YEAR, value=1200, entered_by_name="Claire Dupont")
    frozen = _get(client, territory=known.territory.siren, year=YEAR - 2, code="agenda.events").json()["figures"]
    assert [(f["value"], f["origin"]) for f in frozen] == [(7, "snapshot")]
    (total,) = _get(client, territory=known.territory.siren, year=YEAR, code="observatory.total_employment").json()[
        "figures"
    ]
    assert (total["value"], total["origin"], total["entered_by"]) == (1200.0, "entered", "Claire Dupont")


def test_unknown_territory(client, db):
    response = _get(client, territory="pas-de-territoire")
    assert response.status_code == 404
