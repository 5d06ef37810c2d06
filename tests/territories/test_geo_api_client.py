import httpx
import pytest

from essaim.core.clients.geo_api import GeoApiClient, GeoApiError, epci_kind_from_name
from essaim.territories.models import Commune
from essaim.territories.services import geo_import


def fake_geo_api(request: httpx.Request) -> httpx.Response:
    """A fake geo.api.gouv.fr: the tests never reach the network."""
    routes = {
        "/regions": [{"code": "32", "nom": "Hauts-de-France"}],
        "/departements": [{"code": "62", "nom": "Pas-de-Calais", "codeRegion": "32"}],
        "/epcis": [{"code": "200072460", "nom": "CA de Béthune-Bruay, Artois-Lys Romane"}],
        "/communes": [
            {
                "code": "62119",
                "nom": "Béthune",
                "codesPostaux": ["62400"],
                "siren": "216201192",
                "codeEpci": "200072460",
                "codeDepartement": "62",
                "codeRegion": "32",
                "population": 25000,
                "centre": {"type": "Point", "coordinates": [2.6408, 50.5303]},
            }
        ],
    }
    return httpx.Response(200, json=routes[request.url.path])


@pytest.mark.django_db
def test_geo_api_rows_load_like_the_shipped_file():
    """The optional client turns geo.api.gouv.fr answers into the rows the importer already reads."""
    client = GeoApiClient(base_url="https://geo.example", transport=httpx.MockTransport(fake_geo_api))
    rows = client.commune_rows()
    assert rows[0]["epci_type"] == "CA"
    report = geo_import(rows=rows)
    assert report.counts["communes"]["created"] == 1
    commune = Commune.objects.get(pk="62119")
    assert (commune.lat, commune.lon, commune.epci_id) == (50.5303, 2.6408, "200072460")


def test_geo_api_errors_are_reported_in_french():
    client = GeoApiClient(
        base_url="https://geo.example", transport=httpx.MockTransport(lambda request: httpx.Response(503))
    )
    with pytest.raises(GeoApiError, match="ne répond pas correctement"):
        client.commune_rows()


@pytest.mark.parametrize(
    "name,kind",
    [
        ("CA du Boulonnais", "CA"),
        ("Métropole Européenne de Lille", "METRO"),
        ("Métropole de Lyon", "MET69"),
        ("CU d'Arras", "CU"),
        ("CC du Ternois", "CC"),
    ],
)
def test_epci_kind_from_its_official_name(name, kind):
    assert epci_kind_from_name(name) == kind
