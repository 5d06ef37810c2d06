"""The geo API: commune outlines of a territory or a département, the base layer of France, commune suggestions."""

import gzip
import json

import pytest

from essaim.territories.outlines import outlines

CABBALR = "200072460"
TERNOIS = "200069672"


def _body(response) -> dict:
    raw = response.content
    if response.get("Content-Encoding") == "gzip":
        raw = gzip.decompress(raw)
    return json.loads(raw)


def _points(geometry):
    if geometry["type"] == "Polygon":
        return [p for ring in geometry["coordinates"] for p in ring]
    if geometry["type"] in ("MultiPolygon",):
        return [p for polygon in geometry["coordinates"] for ring in polygon for p in ring]
    return [p for line in geometry["coordinates"] for p in line]


def test_territory_outlines_are_its_communes_with_its_perimeter_under_300_kb(client, demo):
    """?territory=SIREN gives one feature per commune of the perimeter (named after 2026), the outer border as
    `perimeter`, the extent as `bbox`; the whole payload stays under 300 KB, and gzipped under 30 KB."""
    response = client.get("/api/v1/geo/communes.geojson", {"territory": CABBALR})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert len(response.content) < 300_000
    data = _body(response)
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == 100
    names = {f["properties"]["nom"] for f in data["features"]}
    assert {"Béthune", "Bruay-la-Buissière", "Nœux-les-Mines"} <= names
    bethune = next(f for f in data["features"] if f["properties"]["code"] == "62119")
    assert bethune["properties"]["code_postal"] == "62400"
    assert bethune["properties"]["population"] > 20_000
    assert bethune["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert data["perimeter"]["type"] == "MultiLineString"
    assert len(data["perimeter"]["coordinates"]) == 1  # one closed outline: the CABBALR is in one piece
    line = data["perimeter"]["coordinates"][0]
    assert line[0] == line[-1]
    west, south, east, north = data["bbox"]
    assert 2.2 < west < east < 3.0 and 50.3 < south < north < 50.7
    every = [p for f in data["features"] for p in _points(f["geometry"])]
    assert min(p[0] for p in every) == pytest.approx(west, abs=1e-3)
    assert max(p[1] for p in every) == pytest.approx(north, abs=1e-3)
    assert data["missing"] == []
    assert "IGN" in data["attribution"]

    packed = client.get("/api/v1/geo/communes.geojson", {"territory": CABBALR}, HTTP_ACCEPT_ENCODING="gzip, br")
    assert packed["Content-Encoding"] == "gzip"
    assert len(packed.content) < 30_000
    assert _body(packed) == data


def test_a_lower_zoom_gives_a_lighter_outline_with_the_same_communes(client, demo):
    sizes = {}
    for zoom in (8, 10, 12, 14):
        response = client.get("/api/v1/geo/communes.geojson", {"territory": CABBALR, "zoom": zoom})
        sizes[zoom] = len(response.content)
        assert len(_body(response)["features"]) == 100
    assert sizes[8] < sizes[10] < sizes[12] < sizes[14] < 300_000
    assert sizes[8] < sizes[14] / 2


def test_neighbouring_communes_share_their_border_exactly_at_every_zoom(client, demo):
    """Topology: a border is stored once, so both sides simplify to the same line (no gap, no overlap)."""
    for zoom in (8, 12):
        features = _body(client.get("/api/v1/geo/communes.geojson", {"territory": CABBALR, "zoom": zoom}))["features"]
        points = {
            code: {tuple(p) for p in _points(f["geometry"])} for f in features for code in [f["properties"]["code"]]
        }
        # Béthune and Beuvry are neighbours: they share many vertices, not one or two.
        assert len(points["62119"] & points["62126"]) >= 3


def test_communes_merged_since_2018_are_drawn_under_their_2026_commune(client, geo_62):
    """Hesdin, Huby-Saint-Leu, Marconne and Sainte-Austreberthe (2018) are Hesdin-la-Forêt (2026), one outline
    without the old inner borders; Canteleux is in Bonnières."""
    data = _body(client.get("/api/v1/geo/communes.geojson", {"departement": "62", "zoom": 12}))
    codes = {f["properties"]["code"] for f in data["features"]}
    assert len(data["features"]) == 887
    assert {"62461", "62549", "62743", "62210"}.isdisjoint(codes)
    hesdin = next(f for f in data["features"] if f["properties"]["code"] == "62447")
    assert hesdin["properties"]["nom"] == "Hesdin-la-Forêt"
    assert hesdin["geometry"]["type"] == "Polygon" and len(hesdin["geometry"]["coordinates"]) == 1
    assert outlines().merged == {"62210": "62154", "62461": "62447", "62549": "62447", "62743": "62447"}


def test_departement_outlines_and_their_errors(client, geo_62):
    response = client.get("/api/v1/geo/communes.geojson", {"departement": "62"})
    assert response.status_code == 200
    assert len(response.content) < 600_000  # zoom 9 by default for a whole département
    unshipped = client.get("/api/v1/geo/communes.geojson", {"departement": "59"})
    assert unshipped.status_code == 404
    assert unshipped.json()["detail"].startswith("Les contours des communes du département 59 ne sont pas livrés")
    unknown = client.get("/api/v1/geo/communes.geojson", {"departement": "99"})
    assert unknown.status_code == 404
    assert unknown.json() == {"detail": "Département inconnu : « 99 »."}
    not_a_code = client.get("/api/v1/geo/communes.geojson", {"departement": "ZZ"})
    assert not_a_code.status_code == 422
    assert "département" in not_a_code.json()["detail"]


def test_territory_errors_are_french_json(client, demo):
    unknown = client.get("/api/v1/geo/communes.geojson", {"territory": "999999999"})
    assert unknown.status_code == 404
    assert unknown.json() == {"detail": "Territoire inconnu : « 999999999 »."}
    neither = client.get("/api/v1/geo/communes.geojson")
    assert neither.status_code == 400  # a combination the schema cannot state
    assert "territory" in neither.json()["detail"]
    both = client.get("/api/v1/geo/communes.geojson", {"territory": CABBALR, "departement": "62"})
    assert both.status_code == 400
    bad_zoom = client.get("/api/v1/geo/communes.geojson", {"territory": CABBALR, "zoom": "30"})
    assert bad_zoom.status_code == 422


def test_a_territory_outside_the_shipped_departements_is_a_404(client, db):
    from tests.territories.factories import TerritoryFactory

    territory = TerritoryFactory(siren="200000172", name="CC lointaine")
    response = client.get("/api/v1/geo/communes.geojson", {"territory": territory.siren})
    assert response.status_code == 404
    assert "ne sont pas livrés" in response.json()["detail"]


def test_the_ternois_lists_its_commune_of_the_somme_as_missing(client, demo):
    data = _body(client.get("/api/v1/geo/communes.geojson", {"territory": TERNOIS}))
    assert data["missing"] == ["80810"]
    assert len(data["features"]) == 102


def test_outlines_are_cached_by_browsers_and_by_the_server(client, demo, django_assert_num_queries):
    """Cache-Control public + ETag; a revalidation answers 304 without a body; the second build comes from the
    server cache (two small queries: the territory and its communes)."""
    first = client.get("/api/v1/geo/communes.geojson", {"territory": CABBALR})
    assert first["Cache-Control"] == "public, max-age=3600"
    etag = first["ETag"]
    assert etag.startswith('"')
    not_modified = client.get("/api/v1/geo/communes.geojson", {"territory": CABBALR}, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    from essaim.api import geo

    calls = []
    original = geo.outlines().commune_features
    try:
        geo.outlines().commune_features = lambda *a, **k: calls.append(a) or original(*a, **k)
        with django_assert_num_queries(2):
            again = client.get("/api/v1/geo/communes.geojson", {"territory": CABBALR})
    finally:
        del geo.outlines().commune_features
    assert again.content == first.content
    assert calls == []  # served from the server cache


def test_the_etag_changes_when_the_perimeter_changes(client, demo):
    from essaim.territories.models import TerritoryCommune

    before = client.get("/api/v1/geo/communes.geojson", {"territory": CABBALR})
    TerritoryCommune.objects.filter(territory__siren=CABBALR, commune_id="62119").delete()
    after = client.get("/api/v1/geo/communes.geojson", {"territory": CABBALR})
    assert after["ETag"] != before["ETag"]
    assert len(_body(after)["features"]) == 99


def test_france_base_layer_is_light_and_long_cached(client, db):
    response = client.get("/api/v1/geo/france.geojson", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=604800"
    assert len(response.content) < 50_000  # gzipped
    data = _body(response)
    kinds = [f["properties"]["kind"] for f in data["features"]]
    assert kinds == ["land", "departement-borders", "region-borders"]
    land = data["features"][0]["geometry"]
    assert land["type"] == "MultiPolygon"  # the mainland, Corsica and the islands
    lons = [p[0] for p in _points(land)]
    lats = [p[1] for p in _points(land)]
    assert -5.2 < min(lons) < -4.7 and 9.4 < max(lons) < 9.6 and 41.3 < min(lats) < 41.4 and 51 < max(lats) < 51.1
    # The Pas-de-Calais / Somme border is inside a région (Hauts-de-France); the Somme / Seine-Maritime one is not.
    assert len(data["features"][1]["geometry"]["coordinates"]) > 100
    assert len(data["features"][2]["geometry"]["coordinates"]) > 20
    small = client.get("/api/v1/geo/france.geojson", {"zoom": 5})
    assert len(small.content) < len(client.get("/api/v1/geo/france.geojson").content)


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("bethune", "Béthune (62400)"),
        ("Béthune", "Béthune (62400)"),
        ("noeux", "Nœux-les-Mines (62290)"),
        ("NŒUX", "Nœux-les-Mines (62290)"),
        ("bruay la", "Bruay-la-Buissière (62700)"),
        ("st omer", "Saint-Omer (62500)"),
        ("62119", "Béthune (62400)"),
    ],
)
def test_commune_suggestions_ignore_accents_case_and_hyphens(client, geo_62, typed, first):
    response = client.get("/api/v1/geo/communes", {"q": typed})
    assert response.status_code == 200
    results = response.json()["results"]
    assert results[0]["label"] == first
    assert len(results) <= 10


def test_commune_suggestions_by_postcode_and_word(client, geo_62):
    labels = [r["label"] for r in client.get("/api/v1/geo/communes", {"q": "62400"}).json()["results"]]
    assert "Béthune (62400)" in labels and len(labels) > 1
    by_word = client.get("/api/v1/geo/communes", {"q": "mines"}).json()["results"]
    assert "Nœux-les-Mines" in [r["name"] for r in by_word]
    assert client.get("/api/v1/geo/communes", {"q": "zzzz"}).json() == {"results": []}
    assert client.get("/api/v1/geo/communes", {"q": "saint", "limit": 3}).json()["results"].__len__() == 3
    assert client.get("/api/v1/geo/communes").status_code == 422


def test_commune_suggestions_cost_one_query(client, geo_62, django_assert_num_queries):
    client.get("/api/v1/geo/communes", {"q": "be"})  # loads the index
    with django_assert_num_queries(1):
        client.get("/api/v1/geo/communes", {"q": "beu"})


def test_geo_endpoints_are_in_the_openapi_schema(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "application/geo+json" in paths["/api/v1/geo/communes.geojson"]["get"]["responses"]["200"]["content"]
    params = {p["name"] for p in paths["/api/v1/geo/communes.geojson"]["get"]["parameters"]}
    assert params == {"territory", "departement", "zoom"}
    assert "/api/v1/geo/france.geojson" in paths
    assert "/api/v1/geo/communes" in paths
