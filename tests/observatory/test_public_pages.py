"""The public observatory's pages (``observatory:index``, ``:territory``, ``:definitions``): the values of a year
with their definitions, sources and origin, every chart followed by its table, the evolution from the frozen years,
the filters and bad input answered in French, and a number of queries that does not grow with the years."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.observatory import pages_fixtures
from tests.observatory.factories import SnapshotFactory
from tests.observatory.pages_fixtures import YEAR, text, words
from tests.territories.factories import TerritoryFactory

pytestmark = pytest.mark.django_db
registry, territory = pages_fixtures.registry, pages_fixtures.territory


def page(client, territory, **params):
    return client.get(reverse("observatory:territory", args=[territory.slug]), params)


def freeze(territory, year, establishments):
    return SnapshotFactory(
        territory=territory,
        year=year,
        capability="directory",
        values={"establishments": establishments, "jobs_estimated": 10},
        tables={"by_family": [{"key": "association", "label": "association", "value": establishments}]},
        definitions={
            "establishments": {
                "name": "Établissements de l'ESS",
                "definition": "Établissements publiés dans l'annuaire (figé).",
                "unit": "structures",
                "kind": "value",
                "source": "Annuaire figé",
            },
            "by_family": {
                "name": "Établissements par famille",
                "definition": "Par famille.",
                "unit": "structures",
                "kind": "table",
                "source": "",
            },
        },
    )


def test_index_lists_current_territories(client, territory):
    TerritoryFactory(name="Ancienne communauté", historical=True)
    response = client.get(reverse("observatory:index"))
    assert response.status_code == 200
    body = text(response)
    assert reverse("observatory:territory", args=["bethune-bruay"]) in body
    assert "Ancienne communauté" not in body


def test_index_of_a_single_territory_site_goes_to_its_own(client, territory, settings):
    settings.ESSAIM_DEFAULT_TERRITORY = territory.siren
    response = client.get(reverse("observatory:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("observatory:territory", args=["bethune-bruay"])


def test_unknown_territory_is_a_404(client, territory):
    assert client.get(reverse("observatory:territory", args=["nulle-part"])).status_code == 404


def test_page_shows_values_definitions_sources_and_origin(client, territory):
    response = page(client, territory)
    assert response.status_code == 200
    body = text(response)
    assert f"Observatoire de l'ESS — Béthune-Bruay, {YEAR}" in body
    # key figures of the fake directory: 7 establishments, 42.5 jobs
    key = words(response)
    key = key[key.index("Chiffres clés de") : key.index("Évolution des chiffres clés")]
    assert "7 Établissements de l'ESS en structures" in key
    assert "42,5 Emplois estimés en emplois" in key
    assert "Établissements publiés dans l'annuaire." in body
    assert "Source : Annuaire d'essai : structures publiées." in body
    assert re.search(r"Origine des chiffres : calculé le \d{1,2}(er)? \w+ \d{4} à \d\d h \d\d\.", body)
    # a section per capability, in registry order: the fake directory, then the support and the club
    positions = [body.index(f'id="section-{code}"') for code in ("directory", "support", "club")]
    assert positions == sorted(positions)


def test_every_table_chart_is_followed_by_its_table(client, territory):
    body = page(client, territory).content.decode()
    tables = re.findall(r'<figure class="observatory-table" id="table-([a-z-]+)"', body)
    # the fake directory's by_family (by_commune goes to the map), 9 tables of the support, 8 of the club
    assert "directory-by-family" in tables
    assert "directory-by-commune" not in tables
    assert len(tables) == len(set(tables))
    charted = [t for t in tables if f'aria-labelledby="chart-{t}-title"' in body]
    # a table without any row has no chart (its table says « Aucune donnée »); the fake one has two rows
    assert "directory-by-family" in charted
    assert len(charted) == body.count('aria-labelledby="chart-')
    for table in charted:
        # the chart and its table in the same <figure>, the chart first
        block = next(b for b in body.split('<figure class="observatory-table"') if f"chart-{table}-title" in b)
        assert block.index(f'aria-labelledby="chart-{table}-title"') < block.index(f'<caption id="caption-{table}"')
        assert f'aria-labelledby="caption-{table}"' in body


def test_map_by_commune_with_its_table(client, territory):
    body = text(page(client, territory))
    svg = body[body.index('aria-labelledby="map-communes-title"') : body.index("</svg>", body.index("map-communes"))]
    assert svg.count("<path ") == 3
    assert "<title>Ablainzevelle : 4 structures</title>" in svg
    assert "<title>Acheville : 0</title>" in svg
    table = words(page(client, territory))
    table = table[table.index("Établissements par commune en") :]
    assert "Ablain-Saint-Nazaire 62001 3 Ablainzevelle 62002 4 Acheville 62003 0" in table


def test_evolution_reads_the_frozen_years(client, territory):
    freeze(territory, YEAR - 2, 5)
    body = page(client, territory).content.decode()
    chart = body.index('aria-labelledby="evolution-directory-establishments-title"')
    assert chart < body.index('<caption id="caption-evolution-directory-establishments"')
    evolution = words(page(client, territory))
    evolution = evolution[evolution.index("Établissements de l'ESS par année") :]
    assert evolution.startswith(f"Établissements de l'ESS par année (en structures) {YEAR - 2} {YEAR} 5 7 ")


def test_a_frozen_year_says_so(client, territory):
    freeze(territory, YEAR - 2, 5)
    body = text(page(client, territory, annee=str(YEAR - 2)))
    assert f"Observatoire de l'ESS — Béthune-Bruay, {YEAR - 2}" in body
    directory = body[body.index("Annuaire (essai) Origine") if "Annuaire (essai) Origine" in body else 0 :]
    assert "Origine des chiffres : figé le" in directory
    assert "Établissements publiés dans l'annuaire (figé)." in body
    # the support has no snapshot of that year: computed live
    support = body[body.index('id="section-support"') :]
    assert "Origine des chiffres : calculé le" in support


def test_filter_by_family_applies_to_the_directory_only(client, territory):
    body = text(page(client, territory, famille="association"))
    key = words(page(client, territory, famille="association"))
    assert "Chiffres clés de " + str(YEAR) + " 3 Établissements de l'ESS en structures" in key
    assert "Filtre appliqué : famille : association." in body
    directory = body[body.index('id="section-directory"') : body.index('id="section-support"')]
    assert "Filtre appliqué." in directory
    support = body[body.index('id="section-support"') : body.index('id="section-club"')]
    assert "Le filtre ne s'applique pas à ces chiffres." in support
    # the directory, and the derived figures that divide its jobs
    assert "s'appliquent aux chiffres de : Annuaire (essai), Observatoire : chiffres dérivés ;" in body


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"annee": "abc"}, f"L'année demandée n'est pas reconnue : voici les chiffres de {YEAR}."),
        ({"annee": "99999"}, f"L'année demandée n'est pas reconnue : voici les chiffres de {YEAR}."),
        ({"annee": "1995"}, f"Aucun chiffre pour 1995 : voici ceux de {YEAR}."),
        ({"secteur": "<script>alert(1)</script>"}, "Ce secteur d'activité n'existe pas : le filtre est ignoré."),
        ({"famille": "banque"}, "Cette famille de l'ESS n'existe pas : le filtre est ignoré."),
    ],
)
def test_bad_filters_answer_in_french(client, territory, params, message):
    response = page(client, territory, **params)
    assert response.status_code == 200
    assert message in text(response)
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert f"Chiffres clés de {YEAR} 7 Établissements de l'ESS en structures" in words(response)


def test_queries_do_not_grow_with_the_years(client, territory, django_assert_max_num_queries):
    freeze(territory, YEAR - 1, 6)
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as one_year:
        assert page(client, territory).status_code == 200
    for year in (YEAR - 5, YEAR - 4, YEAR - 3, YEAR - 2):
        freeze(territory, year, year - YEAR + 10)
    cache.clear()
    with django_assert_max_num_queries(len(one_year.captured_queries)):
        response = page(client, territory)
    # the evolution tables of the key figures held by the frozen years (establishments, jobs) and of the live
    # capabilities' (events, registrations, projects followed, members) all print the six years
    years = f"{YEAR - 5} {YEAR - 4} {YEAR - 3} {YEAR - 2} {YEAR - 1} {YEAR}"
    assert len(re.findall(rf"par année \(en \w+\) {years} ", words(response))) == 6


def test_definitions_page(client, territory):
    response = client.get(reverse("observatory:definitions", args=[territory.slug]))
    assert response.status_code == 200
    body = text(response)
    assert "(directory.by_family, tableau)" in body
    assert "Source : Annuaire d'essai : structures publiées." in body
    assert "(support.bookings_total)" in body


def test_a_past_year_not_frozen_yet_is_read_through_the_door(client, territory, monkeypatch):
    from essaim.observatory import figures

    monkeypatch.setattr(figures, "available_years", lambda t: [YEAR, YEAR - 3], raising=False)
    body = words(page(client, territory))
    evolution = body[body.index("Établissements de l'ESS par année") :]
    # the fake directory computes 7 establishments for any year
    assert evolution.startswith(f"Établissements de l'ESS par année (en structures) {YEAR - 3} {YEAR} 7 7 ")
    assert re.search(rf'<option value="{YEAR - 3}"\s*>{YEAR - 3}</option>', page(client, territory).content.decode())


def test_an_entered_value_says_who_entered_it_and_when():
    import datetime
    from types import SimpleNamespace

    from essaim.www.observatory.public import entered_text

    figure = SimpleNamespace(
        origin="entered",
        entered_by="Camille Martin",
        entered_at=datetime.datetime(2026, 3, 3, 10, tzinfo=datetime.UTC),
        entered_source="INSEE, Flores 2024",
    )
    assert entered_text(figure) == "Saisi par Camille Martin le 3 mars 2026 (INSEE, Flores 2024)."
    assert entered_text(SimpleNamespace(origin="live")) == ""


def test_the_figures_door_keeps_the_figures_in_its_cache_until_invalidated(client, territory):
    from django.core.cache import cache

    from essaim.observatory import figures

    cache.clear()
    pages_fixtures.CALLS.clear()
    page(client, territory)
    page(client, territory)
    # the years offered (every year: no year asked), then the year shown — once for two requests
    assert pages_fixtures.CALLS == [None, YEAR]
    figures.invalidate(territory)  # what a freeze or an entered figure does
    page(client, territory)
    assert pages_fixtures.CALLS == [None, YEAR, None, YEAR]
