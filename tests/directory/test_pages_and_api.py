"""The directory's pages and API: search with facets (HTML, htmx, JSON), the map and its embeddable version, the
structure page with its JSON-LD, the public submission and the moderation queue with its permissions."""

import json
import re

import pytest
from django.core import mail

from essaim.directory.enums import Status
from essaim.directory.models import Structure, StructureClaim
from essaim.directory.services import structure_update
from essaim.territories.services import territory_set_perimeter
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.directory.factories import StructureFactory, StructureLabelFactory, territory_with_commune
from tests.territories.factories import CommuneFactory, TerritoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(reindexed):
    territory, commune = territory_with_commune(name="Béthune", insee_code="98119")
    ressourcerie = StructureFactory(name="Ressourcerie du Béthunois", commune=commune, description="Réemploi")
    StructureLabelFactory(structure=ressourcerie, label="ACI")
    others = [StructureFactory(name=f"Club sportif {n}", commune=commune) for n in range(3)]
    reindexed()
    return {"territory": territory, "commune": commune, "ressourcerie": ressourcerie, "others": others}


def test_directory_page_searches_with_facets_and_keeps_the_state_in_the_url(client, listed):
    response = client.get("/annuaire/", {"q": "ressourcrie", "label": "ACI"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 structure" in html and "Ressourcerie du Béthunois" in html
    assert re.search(r'name="label"\s+value="ACI"\s+checked', html)
    assert 'hx-get="/annuaire/"' in html  # htmx enhances the same form


def test_htmx_gets_only_the_results(client, listed):
    response = client.get("/annuaire/", {"q": "club"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and "3 structures" in html


def test_a_bad_parameter_shows_a_french_message(client, listed):
    response = client.get("/annuaire/", {"sort": "distance"})
    assert response.status_code == 400  # the page still shows, with the message (issue #15)
    assert "sort=distance demande near" in response.content.decode()


def test_the_map_page_never_embeds_every_point_and_the_embed_may_be_framed(client, listed):
    response = client.get("/carte/", {"q": "club"})
    html = response.content.decode()
    assert response.status_code == 200 and "data-directory-map" in html and "Club sportif 0" in html
    assert response["X-Frame-Options"] == "DENY"
    embed = client.get("/carte/embed", {"q": "club"})
    assert embed.status_code == 200
    assert "X-Frame-Options" not in embed
    assert "frame-ancestors *" in embed["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_structure_page_has_schema_org_json_ld_and_its_actions(client, listed):
    structure = listed["ressourcerie"]
    response = client.get(structure.get_absolute_url())
    html = response.content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "NGO" and data["name"] == "Ressourcerie du Béthunois"
    assert "Signaler une erreur" in html and "se connecter ou créer un compte pour gérer la fiche" in html


def test_pending_and_generated_structures(client, listed):
    pending = StructureFactory(pending=True, commune=listed["commune"])
    assert client.get(pending.get_absolute_url()).status_code == 404
    generated = StructureFactory(is_generated=True, commune=listed["commune"])
    assert "Structure fictive" in client.get(generated.get_absolute_url()).content.decode()


def test_csv_export_of_the_current_filters(client, listed):
    response = client.get("/annuaire/export.csv", {"label": "ACI"})
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().count("\r\n") == 2


def test_api_search_contract(client, listed, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/structures", {"q": "ressourcerie", "family": "association"})
    data = response.json()
    assert data["count"] == 1 and data["results"][0]["name"] == "Ressourcerie du Béthunois"
    assert {f["value"]: f["count"] for f in data["facets"]["label"]} == {"ACI": 1}
    assert data["facets"]["territory"][0]["value"] == listed["territory"].siren
    near = client.get("/api/v1/structures", {"near_commune": "98119", "radius_km": "5", "sort": "distance"}).json()
    assert near["count"] == 4 and near["results"][0]["distance_km"] is not None
    territory = client.get("/api/v1/structures", {"territory": listed["territory"].siren}).json()
    assert territory["count"] == 4


def test_api_search_answers_from_the_index_in_the_schemas_shape(
    client, listed, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """The cards come from the index and the facet names from the process: a warm search reads no table, and
    what it writes directly still has the documented shape."""
    from essaim.api.directory import StructurePage

    client.get("/api/v1/structures", {"q": "club"})
    with django_assert_num_queries(0):
        response = client.get("/api/v1/structures", {"q": "club", "near": "50.52,2.62", "radius_km": "30"})
    page = StructurePage.model_validate(response.json())
    assert page.count == 3 and {r.name for r in page.results} == {f"Club sportif {n}" for n in range(3)}
    card = page.results[0]
    assert card.commune == "Béthune" and card.commune_insee == "98119" and card.url == f"/annuaire/{card.slug}/"
    assert {f.value: f.label for f in page.facets["commune"]} == {"98119": "Béthune"}
    officer = UserFactory(network_admin=True)
    with django_capture_on_commit_callbacks(execute=True):  # the outbox re-indexes it: the stored card follows
        structure_update(structure=listed["ressourcerie"], data={"name": "Recyclerie du Béthunois"}, by=officer)
    result = client.get("/api/v1/structures", {"q": "recyclerie"}).json()["results"]
    assert [r["name"] for r in result] == ["Recyclerie du Béthunois"]


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"sort": "distance"}, 400),  # a combination the schema cannot state
        ({"near": "abc"}, 422),  # a value outside its declared limits
        ({"radius_km": "5"}, 400),
        ({"bbox": "3,50,2,51"}, 400),
        ({"near_commune": "00000"}, 400),
        ({"sort": "random"}, 422),
    ],
)
def test_api_bad_input_is_a_4xx_with_a_message(client, listed, params, status):
    response = client.get("/api/v1/structures", params)
    assert response.status_code == status and response.json()["detail"]


def test_api_detail_clusters_and_geojson(client, listed):
    structure = listed["ressourcerie"]
    detail = client.get(f"/api/v1/structures/{structure.pk}").json()
    assert detail["siret"] == structure.siret and detail["jsonld"]["@type"] == "NGO"
    assert client.get(f"/api/v1/structures/{StructureFactory(pending=True).pk}").status_code == 404
    clusters = client.get("/api/v1/structures/clusters", {"bbox": "2,50,3,51", "zoom": 6})
    assert clusters.status_code == 200 and len(clusters.content) < 50_000
    assert clusters.json()["total"] == 4
    assert client.get("/api/v1/structures/clusters", {"zoom": 6}).status_code == 422
    geo = client.get("/api/v1/structures.geojson", {"label": "ACI"})
    assert geo["Content-Type"] == "application/geo+json"
    assert [f["properties"]["name"] for f in geo.json()["features"]] == ["Ressourcerie du Béthunois"]


def test_submission_prefills_from_sirene_data_and_goes_to_moderation(client, listed):
    imported = StructureFactory(
        name="Épicerie importée", status=Status.DRAFT, commune=listed["commune"], ess_source="sirene"
    )
    response = client.post("/annuaire/referencer/", {"siret": imported.siret, "lookup": "1"})
    html = response.content.decode()
    assert "prérempli" in html and 'value="Épicerie importée"' in html
    bad = client.post("/annuaire/referencer/", {"siret": "12345678901234", "lookup": "1"})
    assert "clé de contrôle" in bad.content.decode()
    form = {
        "name": "Jardin des possibles",
        "family": "association",
        "commune": "98119",
        "submitter_email": "porteur@exemple.org",
        "siret": "",
        "rna": "W621234567",
        "submit": "1",
    }
    response = client.post("/annuaire/referencer/", form)
    assert response.status_code == 200 and "attend la validation" in response.content.decode()
    created = Structure.objects.get(name="Jardin des possibles")
    assert created.status == Status.PENDING and created.submitter_email == "porteur@exemple.org"
    again = client.post("/annuaire/referencer/", {**form, "siret": listed["ressourcerie"].siret})
    assert "Ce SIRET est déjà dans l" in again.content.decode()
    kept = client.post("/annuaire/referencer/", {**form, "commune": "nulle part"})
    assert "Commune introuvable" in kept.content.decode() and 'value="Jardin des possibles"' in kept.content.decode()


def test_moderation_queue_and_decisions_stay_in_the_officers_territory(client, listed):
    officer = MembershipFactory(territory=listed["territory"]).user
    pending = StructureFactory(name="À valider", pending=True, commune=listed["commune"], submitter_email="a@b.fr")
    other_territory, other_commune = territory_with_commune()
    elsewhere = StructureFactory(name="Ailleurs", pending=True, commune=other_commune)
    assert client.get("/annuaire/moderation/").status_code == 302  # anonymous → login
    client.force_login(officer)
    html = client.get("/annuaire/moderation/").content.decode()
    assert "À valider" in html and "Ailleurs" not in html
    assert client.get(f"/annuaire/moderation/structures/{elsewhere.pk}/").status_code == 403
    assert client.post(f"/annuaire/moderation/structures/{elsewhere.pk}/", {"action": "publish"}).status_code == 403
    assert client.get(f"/annuaire/moderation/reglages/{other_territory.slug}/").status_code == 403
    response = client.post(f"/annuaire/moderation/structures/{pending.pk}/", {"action": "reject", "reason": ""})
    assert "Ce champ est obligatoire" in response.content.decode()
    client.post(f"/annuaire/moderation/structures/{pending.pk}/", {"action": "publish"})
    pending.refresh_from_db()
    assert pending.status == Status.PUBLISHED
    assert client.get(pending.get_absolute_url()).status_code == 200


def test_claim_then_owner_edit_through_the_pages(client, listed):
    structure = listed["ressourcerie"]
    person = UserFactory()
    client.force_login(person)
    assert client.get(f"/annuaire/{structure.slug}/modifier/").status_code == 403
    client.post(f"/annuaire/{structure.slug}/gerer/", {"role": "Coordinatrice", "message": "Bonjour"})
    claim = StructureClaim.objects.get(structure=structure, user=person)
    client.logout()
    officer = MembershipFactory(territory=listed["territory"]).user
    client.force_login(officer)
    client.post(f"/annuaire/moderation/demandes/{claim.pk}/", {"action": "approve"})
    claim.refresh_from_db()
    assert claim.status == "approved"
    client.logout()
    client.force_login(person)
    form = {"name": structure.name, "commune": "98119", "headcount_band": "NN", "is_employer": "unknown",
            "description": "Nouvelle présentation", "sectors": []}  # fmt: skip
    response = client.post(f"/annuaire/{structure.slug}/modifier/", form)
    assert response.status_code == 302
    structure.refresh_from_db()
    assert structure.description == "Nouvelle présentation"


def test_report_an_error_is_public(client, listed):
    structure = listed["ressourcerie"]
    response = client.post(f"/annuaire/{structure.slug}/signaler/", {"message": "Le site a changé", "email": ""})
    assert response.status_code == 302
    assert structure.error_reports.get().message == "Le site a changé"


def test_another_territorys_officer_cannot_decide_a_claim(client, listed):
    claim = StructureClaim.objects.create(structure=listed["ressourcerie"], user=UserFactory(), role="x")
    stranger = MembershipFactory(territory=TerritoryFactory()).user
    client.force_login(stranger)
    assert client.post(f"/annuaire/moderation/demandes/{claim.pk}/", {"action": "approve"}).status_code == 403
    assert client.get("/annuaire/moderation/").status_code == 200  # their own (empty) queue
    assert not mail.outbox


def test_structures_without_commune_are_left_to_the_network_admin(client):
    commune = CommuneFactory()
    territory = TerritoryFactory()
    territory_set_perimeter(territory=territory, entries=[(commune.insee_code, "official", "")])
    orphan = StructureFactory(commune=None, lat=None, lon=None, pending=True)
    officer = MembershipFactory(territory=territory).user
    client.force_login(officer)
    assert client.get(f"/annuaire/moderation/structures/{orphan.pk}/").status_code == 403
