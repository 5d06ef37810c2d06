import re
from html import unescape

import pytest
from django.urls import reverse

from tests.territories.factories import TerritoryFactory


def test_network_directory_lists_territories_with_a_map(client, demo, django_assert_num_queries):
    """The network directory shows every member territory in a list and as map points, in few queries."""
    with django_assert_num_queries(4):
        response = client.get(reverse("territories:list"))
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("Artois Comm.", "Béthune-Bruay, Artois-Lys Romane", "Pays du Ternois"):
        assert name in html
    points = response.context["points"]
    assert {p["label"] for p in points} == {"Artois Comm.", "Béthune-Bruay, Artois-Lys Romane", "Pays du Ternois"}
    assert 'id="territories-points"' in html
    assert "data-map" in html


@pytest.mark.parametrize(
    "params,expected",
    [
        ({"q": "ternois"}, {"Pays du Ternois"}),
        ({"q": "BETHUNE"}, {"Béthune-Bruay, Artois-Lys Romane"}),
        ({"kind": "CC"}, {"Pays du Ternois"}),
        (
            {"departement": "62", "historical": "on"},
            {"Artois Comm.", "Béthune-Bruay, Artois-Lys Romane", "Pays du Ternois"},
        ),
        ({"region": "32"}, {"Béthune-Bruay, Artois-Lys Romane", "Pays du Ternois"}),
    ],
)
def test_network_directory_filters(client, demo, params, expected):
    """Search ignores case and accents; filters by kind, département, région; historical ones only on request."""
    response = client.get(reverse("territories:list"), params)
    assert {t.name for t in response.context["page"]} == expected


def test_network_directory_answers_htmx_with_the_results_only(client, demo):
    response = client.get(reverse("territories:list"), {"q": "ternois"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "Pays du Ternois" in html
    assert "<html" not in html


def test_territory_page_shows_identity_contacts_budget_policy_and_communes(client, demo, django_assert_num_queries):
    """Seed 002 on one page: the RTES entry of Artois Comm. with its 16 fiches and its 65 communes."""
    artois = demo["artois"]
    with django_assert_num_queries(11):
        response = client.get(artois.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Gérard Delahaye" in html and "Valérie Morel" in html
    assert "valerie.morel [at] artoiscomm [point] fr" in html
    assert "valerie.morel@artoiscomm.fr" not in html
    assert "201\u202f600\u00a0€" in html
    assert "60\u202f460\u00a0€" in html
    assert "Conseil régional Nord-Pas de Calais" in html
    assert "Fiche 16" in html and "Le Café Citoyen" in html
    assert "Nœux-les-Mines" in html
    assert "déduit (reconstitution)" in html
    assert "Béthune-Bruay, Artois-Lys Romane" in html  # its successor
    assert len(response.context["points"]) == 65


def test_default_territory_home_page(client, demo, settings):
    """With ESSAIM_DEFAULT_TERRITORY set, the portal opens on that territory with its key figures and brand."""
    settings.ESSAIM_DEFAULT_TERRITORY = "200072460"
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "L'économie sociale et solidaire à Béthune-Bruay, Artois-Lys Romane" in html
    assert "--brand: #0b5394" in html
    assert re.search(r'<span class="figure-value">100</span>\s*<span class="figure-label">communes</span>', html)
    assert "Artois Comm." in html  # its heritage


def test_without_default_territory_home_redirects_to_the_directory(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == reverse("territories:list")


def test_action_sheet_page_shows_its_indicators_by_year(client, demo):
    artois = demo["artois"]
    response = client.get(reverse("territories:sheet", args=[artois.slug, 1]))
    html = unescape(response.content.decode())
    assert "Animation du comité local d'animation" in html
    assert "Éditions consécutives du Mois de l'ESS" in html
    assert response.context["years"] == [2014, 2015, 2016]
    assert response.context["next"] == (2, "L'animation des acteurs des services à la personne")


def test_unknown_territory_and_sheet_give_a_french_404(client, demo):
    assert client.get("/territoires/inconnu/").status_code == 404
    response = client.get(reverse("territories:sheet", args=["artois-comm", 99]))
    assert response.status_code == 404
    assert "Ressource introuvable" in response.content.decode()


@pytest.mark.parametrize("url", ["/accessibilite/", "/donnees-personnelles/", "/compte/connexion/"])
def test_static_pages_render(client, db, url):
    assert client.get(url).status_code == 200


def test_language_switch_to_english(client, demo):
    """French first, English second: the switch sets the language for the next pages."""
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/territoires/"})
    assert response.status_code == 302
    html = client.get("/territoires/").content.decode()
    assert '<html lang="en">' in html
    assert "Territories" in html


def test_json_responses_get_the_strict_api_policy_and_pages_keep_theirs(client, demo):
    """Data is never rendered: API answers (JSON, GeoJSON, JSON errors) may load nothing and be framed by no one;
    the API's documentation page, HTML, keeps the pages' policy."""
    for path, status in (
        ("/api/v1/structures?q=ressourcerie", 200),
        ("/api/v1/structures.geojson", 200),
        ("/api/v1/nulle-part", 404),
    ):
        response = client.get(path)
        assert response.status_code == status, path
        assert response.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'", path
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert "default-src 'self'" in docs.headers["Content-Security-Policy"]


def test_security_headers_and_no_third_party_request(client, demo):
    """CSP forbids any third party; no page references another host for scripts, styles or images."""
    response = client.get(demo["artois"].get_absolute_url())
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "camera=()" in response.headers["Permissions-Policy"]
    html = response.content.decode()
    for attribute in ('src="http', "src='http", 'href="//', "@import"):
        assert attribute not in html
    stylesheets = [part.split('"')[0] for part in html.split('<link rel="stylesheet" href="')[1:]]
    assert stylesheets and [link for link in stylesheets if not link.startswith("/static/")] == []


def test_historical_filter_keeps_only_current_territories(client, db):
    TerritoryFactory(name="Ancien", historical=True)
    TerritoryFactory(name="Actuel")
    response = client.get(reverse("territories:list"), {"q": ""})
    assert {t.name for t in response.context["page"]} == {"Actuel"}


def test_french_first_whatever_the_browser_language(client, db):
    """A French public portal opens in French even for a browser that prefers English; only the switch changes it."""
    html = client.get("/accessibilite/", headers={"Accept-Language": "en-US,en;q=0.9"}).content.decode()
    assert '<html lang="fr">' in html
