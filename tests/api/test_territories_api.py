import pytest

from tests.territories.factories import TerritoryFactory


def test_list_territories_with_filters(client, demo):
    """GET /api/v1/territories filters by q (accents ignored), kind and département; paged with a count."""
    response = client.get("/api/v1/territories")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 3
    assert {t["name"] for t in data["results"]} == {
        "Artois Comm.",
        "Béthune-Bruay, Artois-Lys Romane",
        "Pays du Ternois",
    }
    assert client.get("/api/v1/territories", {"q": "bethune"}).json()["count"] == 1
    assert [t["siren"] for t in client.get("/api/v1/territories", {"kind": "CC"}).json()["results"]] == ["200069672"]
    assert client.get("/api/v1/territories", {"departement": "62"}).json()["count"] == 3
    assert client.get("/api/v1/territories", {"departement": "59"}).json()["count"] == 0
    current = client.get("/api/v1/territories", {"include_historical": "false"}).json()
    assert current["count"] == 2


def test_territory_detail_by_siren_includes_communes_population_policy_budgets(client, demo):
    response = client.get("/api/v1/territories/200072460")
    assert response.status_code == 200
    data = response.json()
    assert data["communes_count"] == 100 and len(data["communes"]) == 100
    assert all(len(c["insee_code"]) == 5 for c in data["communes"])
    assert data["population"] == sum(c["population"] for c in data["communes"])
    assert data["predecessors"] == ["artois-comm"]
    assert data["policy"]["goals"] == ["Consommer autrement", "Agir autrement", "Entreprendre autrement"]


def test_current_territory_carries_the_inherited_policy_and_recent_budgets(client, demo):
    """GET /api/v1/territories/200072460: the CABBALR's 16 fiches taken over from Artois Comm., said so on each, with
    the evaluation's history; ESS budgets for the last four years up to the current one, marked as demo figures."""
    from django.utils import timezone

    data = client.get("/api/v1/territories/200072460").json()
    sheets = [s for a in data["policy"]["axes"] for s in a["sheets"]]
    assert [s["number"] for s in sheets] == list(range(1, 17))
    assert {s["inherited_from"]["label"] for s in sheets} == {"reprise d'Artois Comm."}
    assert {s["inherited_from"]["key"] for s in sheets} == {"artois-comm"}
    assert {a["inherited_from"]["label"] for a in data["policy"]["axes"]} == {"repris d'Artois Comm."}
    fiche1 = sheets[0]
    club = next(i for i in fiche1["indicators"] if i["name"] == "Membres du Club des entrepreneurs de l'ESS")
    history = {v["year"]: v for v in club["values"]}
    assert history[2016]["value"] == "18.00" and history[2016]["inherited_from"]["name"] == "Artois Comm."
    assert history[2017]["value"] == "22.00" and history[2017]["inherited_from"] is None
    year = timezone.localdate().year
    assert {year - 4, year - 3, year - 2, year - 1} <= set(history)
    assert all(history[y]["fictitious"] for y in range(year - 4, year))
    assert not history[2016]["fictitious"]
    budgets = {b["year"]: b for b in data["budgets"]}
    assert sorted(budgets) == [year - 3, year - 2, year - 1, year]
    assert all(b["fictitious"] and b["cofundings"] for b in budgets.values())
    assert all(c["fictitious"] for c in data["contacts"]) and len(data["contacts"]) == 4
    # Artois Comm. stays the 2014 archive: nothing of it is inherited nor fictitious.
    artois = client.get("/api/v1/territories/artois-comm").json()
    assert all(s["inherited_from"] is None for a in artois["policy"]["axes"] for s in a["sheets"])
    assert not any(c["fictitious"] for c in artois["contacts"])


def test_territory_without_siren_is_reachable_by_its_identifier(client, demo):
    data = client.get("/api/v1/territories/artois-comm").json()
    assert data["siren"] is None
    assert data["successor"] == "200072460"
    assert data["budgets"] == [
        {
            "year": 2014,
            "amount": "201600.00",
            "fte": "3.00",
            "source": data["budgets"][0]["source"],
            "fictitious": False,
            "cofundings": [{"funder": "Conseil régional Nord-Pas de Calais", "amount": "60460.00"}],
        }
    ]
    assert len(data["policy"]["axes"]) == 2
    assert sum(len(a["sheets"]) for a in data["policy"]["axes"]) == 16
    assert data["declared_population"] == 235000
    assert "email" not in data["contacts"][0]  # personal data minimised: no e-mail in the open API


def test_territory_detail_query_count_is_fixed(client, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        client.get("/api/v1/territories/artois-comm")
    with django_assert_max_num_queries(12):
        client.get("/api/v1/territories/200072460")


def test_unknown_territory_is_a_json_404(client, db):
    response = client.get("/api/v1/territories/999999999")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Ressource introuvable."}


def test_bad_parameters_are_a_json_422_with_a_message(client, db):
    response = client.get("/api/v1/territories", {"kind": "XYZ", "limit": "0"})
    assert response.status_code == 422
    body = response.json()
    assert body["detail"].startswith("Paramètres invalides : ")
    assert "limit : au moins 1" in body["detail"]
    assert {e["loc"][-1] for e in body["errors"]} == {"kind", "limit"}


@pytest.mark.parametrize("url", ["/api/v1/nope", "/api/v1/territories/x/y/z"])
def test_unknown_api_urls_answer_json_not_html(client, db, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response.json() == {"detail": "Ressource introuvable."}


def test_openapi_is_3_1_and_docs_are_served(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    assert "/api/v1/territories" in schema["paths"]
    assert "/api/v1/territories/{key}" in schema["paths"]
    assert client.get("/api/v1/docs").status_code == 200


def test_write_methods_are_refused_as_json(client, db):
    TerritoryFactory(siren="200072460")
    response = client.post("/api/v1/territories/200072460", {}, content_type="application/json")
    assert response.status_code == 405
    assert response.json() == {"detail": "Méthode non autorisée pour cette adresse."}
