"""The public observatory in a real browser, on a fake directory capability and the real support and club figures:
the page of a territory with its charts, their tables and the map by commune (axe clean), a filter by year that
shows a frozen year, and a table downloaded as CSV."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.observatory import pages_fixtures
from tests.observatory.pages_fixtures import YEAR

pytestmark = pytest.mark.django_db(transaction=True)
registry, territory = pages_fixtures.registry, pages_fixtures.territory


def test_observatory_charts_tables_map_year_and_download(page, live_server, territory, assert_no_third_party):
    from tests.observatory.factories import SnapshotFactory

    SnapshotFactory(
        territory=territory,
        year=YEAR - 1,
        capability="directory",
        values={"establishments": 6, "jobs_estimated": 30},
        tables={"by_family": [{"key": "association", "label": "association", "value": 6}]},
        definitions={
            "establishments": {"name": "Établissements de l'ESS", "definition": "Figés.", "unit": "structures"},
            "by_family": {
                "name": "Établissements par famille",
                "definition": "Figés.",
                "unit": "structures",
                "kind": "table",
            },
        },
    )
    page.goto("/observatoire/bethune-bruay/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Observatoire de l'ESS — Béthune-Bruay, {YEAR}")
    # the map: three communes, each with its title, then its table
    map_svg = page.locator(".observatory-map svg")
    expect(map_svg).to_have_count(1)
    expect(map_svg.locator("path")).to_have_count(3)
    page.get_by_text("Le tableau des 3 communes").click()  # folded under the map, opened by its summary
    expect(page.get_by_role("table", name=f"Établissements par commune en {YEAR}, par commune")).to_be_visible()
    # a chart and the table that follows it
    figure = page.locator("#table-directory-by-family")
    expect(figure.locator("svg[role=img]")).to_have_count(1)
    table = figure.get_by_role("table", name=f"Établissements par famille en {YEAR}")
    expect(table.get_by_role("row")).to_have_count(3)
    expect(table.get_by_role("row").nth(2)).to_contain_text("4")
    assert_accessible(page, context="observatoire d'un territoire")

    page.get_by_label("Année", exact=True).select_option(str(YEAR - 1))
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url(re.compile(rf"annee={YEAR - 1}"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Observatoire de l'ESS — Béthune-Bruay, {YEAR - 1}")
    expect(page.locator("#section-directory ~ .observatory-origin").first).to_contain_text("figé le")
    table = page.get_by_role("table", name=f"Établissements par famille en {YEAR - 1}")
    expect(table.get_by_role("row")).to_have_count(2)
    assert_accessible(page, context="une année figée")

    with page.expect_download() as download_info:
        page.get_by_role("link", name=f"Établissements par famille {YEAR - 1} (CSV)").click()
    download = download_info.value
    assert download.suggested_filename == f"bethune-bruay-directory-by-family-{YEAR - 1}.csv"
    with open(download.path(), encoding="utf-8") as content:
        assert content.read().splitlines() == ["cle,libelle,valeur", "association,association,6"]
    assert_no_third_party()
