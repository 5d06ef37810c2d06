"""The directory's map pages (base layer, territory fit) and its filters: a commune typed by name, the active
filters removable one by one, « Effacer les filtres », with and without htmx."""

import re
from html import unescape

import pytest

from essaim.territories import lookup
from essaim.territories.models import Commune
from essaim.territories.outlines import outlines
from tests.directory.factories import StructureFactory
from tests.territories.factories import CommuneFactory

CABBALR = "200072460"
MAP_QUERIES = 6
LIST_QUERIES = 6


@pytest.fixture
def structures(demo, reindexed):
    """Two published associations in Béthune and one cooperative in Nœux-les-Mines, indexed."""
    bethune, noeux = Commune.objects.get(pk="62119"), Commune.objects.get(pk="62617")
    made = [
        StructureFactory(name="Épicerie solidaire du centre", commune=bethune, lat=50.53, lon=2.64),
        StructureFactory(name="Ressourcerie de Béthune", commune=bethune, lat=50.52, lon=2.63),
        StructureFactory(name="Coopérative des mines", commune=noeux, family="cooperative", lat=50.48, lon=2.66),
    ]
    reindexed()
    return made


def _input_value(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', html) or re.search(
        rf'<input[^>]*value="([^"]*)"[^>]*name="{name}"', html
    )
    return unescape(match.group(1)) if match else ""


def test_a_commune_typed_by_name_without_javascript_is_resolved_on_the_server(client, structures):
    """« bethune » (no accent, no JavaScript) searches around Béthune; the field then reads « Béthune (62400) »."""
    for typed in ("bethune", "Béthune (62400)", "62119", "BETHUNE"):
        response = client.get("/annuaire/", {"near_commune": typed, "radius_km": "5"})
        html = response.content.decode()
        assert response.status_code == 200
        assert "autour de Béthune" in html, typed
        assert _input_value(html, "near_commune") == "Béthune (62400)"
        assert "Commune introuvable" not in html


def test_an_unknown_commune_gives_a_french_message_and_suggestions(client, structures):
    response = client.get("/annuaire/", {"near_commune": "bethun"})
    html = response.content.decode()
    assert "Commune introuvable\u00a0: «\u00a0bethun\u00a0». Vouliez-vous dire l’une de celles-ci\u00a0?" in html
    assert 'aria-invalid="true"' in html
    # Each suggestion is a link that searches around it (by INSEE code).
    assert re.search(r'<a href="\?near_commune=62119">Béthune \(62400\)</a>', html)
    nothing = client.get("/annuaire/", {"near_commune": "zzzz"}).content.decode()
    assert "Saisissez son nom (par exemple Béthune) ou son code INSEE." in nothing
    # The search still runs, without the proximity filter (no API error shown to a person).
    assert "near_commune :" not in nothing


def test_namesakes_are_ambiguous_until_the_postcode_says_which(client, structures):
    CommuneFactory(insee_code="80001", name="Béthune", postcodes="80100", departement__code="80", lat=49.9, lon=2.3)
    html = client.get("/annuaire/", {"near_commune": "Bethune"}).content.decode()
    assert "Plusieurs communes répondent à «\u00a0Bethune\u00a0»" in html
    assert "Béthune (62400)" in html and "Béthune (80100)" in html
    chosen = client.get("/annuaire/", {"near_commune": "Béthune (80100)"}).content.decode()
    assert _input_value(chosen, "near_commune") == "Béthune (80100)"


def test_the_commune_field_is_an_autocomplete_fed_by_the_geo_api(client, structures):
    html = client.get("/annuaire/").content.decode()
    assert 'data-combobox-source="/api/v1/geo/communes?limit=8"' in html
    assert 'data-combobox-value-key="insee_code"' in html
    assert "js/combobox.js" in html


def test_active_filters_are_listed_and_each_one_removes_only_itself(client, structures):
    response = client.get(
        "/annuaire/", {"q": "solidaire", "family": "association", "near_commune": "62119", "radius_km": "10"}
    )
    html = unescape(response.content.decode())
    tags = re.findall(r'<a class="filter-tag"\s+href="([^"]*)"[^>]*aria-label="([^"]*)"', html)
    labels = [label for _, label in tags]
    assert labels == [
        "Retirer le filtre Recherche\u00a0: «\u00a0solidaire\u00a0»",
        "Retirer le filtre Famille\u00a0: Association",
        "Retirer le filtre Autour de Béthune (62400), 10\u00a0km",
    ]
    hrefs = dict((label, href) for href, label in tags)
    assert hrefs[labels[0]] == "/annuaire/?family=association&near_commune=62119&radius_km=10"
    assert hrefs[labels[1]] == "/annuaire/?q=solidaire&near_commune=62119&radius_km=10"
    assert hrefs[labels[2]] == "/annuaire/?q=solidaire&family=association"
    assert "2\u00a0filtres actifs" not in html and "3 filtres actifs" in html
    assert re.search(r'<a class="active-filters-clear"\s+href="/annuaire/"', html)
    assert "Effacer les filtres" in html


def test_no_filter_no_filter_bar(client, structures):
    html = client.get("/annuaire/").content.decode()
    assert "Effacer les filtres" not in html and "filter-tag" not in html


def test_removing_a_filter_with_htmx_swaps_the_whole_form(client, structures):
    """A removal link targets the form (its search box must forget the value too): the view answers the whole
    page for it, and only the results for the form's own changes."""
    whole = client.get(
        "/annuaire/", {"family": "association"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="directory-form"
    )
    assert '<form id="directory-form"' in whole.content.decode()
    body = client.get("/annuaire/", {"family": "association"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="directory-body")
    assert '<form id="directory-form"' not in body.content.decode()
    assert "Retirer le filtre Famille" in body.content.decode()


def test_a_commune_facet_filter_is_named_not_coded(client, structures):
    html = client.get("/annuaire/", {"commune": "62617"}).content.decode()
    assert "Retirer le filtre Commune\u00a0: Nœux-les-Mines" in html


def test_the_map_opens_on_the_territory_perimeter_with_the_base_layer(client, structures, settings):
    settings.ESSAIM_DEFAULT_TERRITORY = CABBALR
    html = client.get("/carte/").content.decode()
    codes = list(Commune.objects.filter(perimeters__territory__siren=CABBALR).values_list("pk", flat=True))
    west, south, east, north = outlines().bounds(codes)
    box = re.search(r'data-default-bbox="([^"]*)"', html).group(1).split(",")
    assert [float(v) for v in box] == pytest.approx([west, south, east, north], abs=1e-4)
    assert 'data-base-url="/api/v1/geo/france.geojson?zoom=8&amp;v=' in html
    assert f'data-territory-url="/api/v1/geo/communes.geojson?territory={CABBALR}&amp;zoom=12"' in html
    assert "IGN Admin Express" in html
    assert html.index("js/map.js") < html.index("js/directory.js")
    # Filtering on a territory opens the map on that one.
    html = client.get("/carte/", {"territory": "200069672"}).content.decode()
    assert 'data-territory-url="/api/v1/geo/communes.geojson?territory=200069672&amp;zoom=12"' in html
    embed = client.get("/carte/embed").content.decode()
    assert "data-territory-url" in embed and "css/map.css" in embed


def test_a_tile_server_replaces_the_vector_base_layer(client, structures, settings):
    settings.ESSAIM_MAP_TILES_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.ESSAIM_MAP_TILES_ATTRIBUTION = "© contributeurs OpenStreetMap"
    html = client.get("/carte/").content.decode()
    assert 'data-tiles-url="https://tiles.example.org/{z}/{x}/{y}.png"' in html
    assert 'data-attribution=""' in html  # the IGN credit goes with the vector layer it describes


def test_every_map_page_carries_the_base_layer(client, structures, settings):
    settings.ESSAIM_DEFAULT_TERRITORY = CABBALR
    for url in ("/territoires/", "/territoires/ternois/", "/agenda/carte/", f"/annuaire/{structures[0].slug}/"):
        html = client.get(url).content.decode()
        assert "data-base-url=" in html, url
        assert "css/map.css" in html, url
    ternois = client.get("/territoires/ternois/").content.decode()
    assert "territory=200069672" in ternois  # the page's own territory, not the portal's


def test_the_suggestion_index_follows_new_communes(client, structures):
    assert lookup.resolve("Nouvelle-Commune").entry is None
    CommuneFactory(insee_code="62999", name="Nouvelle-Commune", postcodes="62999")
    assert lookup.resolve("nouvelle commune").entry.insee_code == "62999"


def test_map_and_list_pages_keep_their_query_counts(client, structures, settings, django_assert_num_queries):
    """The map page reads its territory and that territory's communes (for the box it opens on), nothing per
    commune; a commune typed by name costs one COUNT (the in-memory index, after its first load)."""
    settings.ESSAIM_DEFAULT_TERRITORY = CABBALR
    client.get("/carte/")  # warms the facet names and the communes' index
    with django_assert_num_queries(MAP_QUERIES):
        client.get("/carte/")
    client.get("/annuaire/", {"near_commune": "bethune"})
    with django_assert_num_queries(LIST_QUERIES):
        client.get("/annuaire/", {"near_commune": "bethune", "family": "association"})
