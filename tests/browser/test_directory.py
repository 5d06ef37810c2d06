"""The directory in a real browser: search → map → structure page, and submission → moderation → published.
Every page is checked by axe-core; no request leaves the live server (the map has no tiles by default)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible


@pytest.fixture
def directory_demo(live_demo, settings, tmp_path):
    """The demo directory (seed structures, the real SIAE, generated ones) indexed in this test's index."""
    from essaim.directory.demo import load_demo_structures
    from essaim.search.indexer import reindex

    settings.ESSAIM_SEARCH_INDEX_DIR = tmp_path / "index"
    load_demo_structures(territories=live_demo)
    reindex()
    return live_demo


def finish(page, js_errors, assert_no_third_party):
    assert not js_errors, f"Erreurs JavaScript sur {page.url} : {js_errors}"
    assert_no_third_party()


def test_search_then_map_then_structure_page(page, directory_demo, js_errors, assert_no_third_party):
    page.goto("/annuaire/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Annuaire de l'économie sociale et solidaire")
    assert_accessible(page)

    search = page.get_by_role("search")
    search.get_by_label("Rechercher une structure").fill("entreprise adaptee ruitz")
    search.get_by_role("button", name="Rechercher").click()
    results = page.locator("#directory-body")
    expect(results.get_by_role("link", name="APIC")).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]q=entreprise(\+|%20)adaptee(\+|%20)ruitz"))
    assert_accessible(page, context="annuaire, recherche « entreprise adaptee ruitz »")

    # A facet narrows the list in place (htmx) and the URL keeps it.
    page.goto("/annuaire/?q=insertion")
    labels = page.locator("fieldset.facet", has_text="Label ou agrément")
    labels.get_by_label(re.compile(r"^Atelier et chantier")).check()
    expect(page).to_have_url(re.compile(r"label=ACI"))
    expect(page.locator("#results-title")).to_contain_text("structure")
    assert_accessible(page, context="annuaire filtré par label")

    # The map: server-side clusters, with the list beside it.
    page.goto("/carte/")
    map_region = page.get_by_role("region", name=re.compile(r"^Carte des structures"))
    expect(map_region).to_have_attribute("data-map-ready", "")
    expect(map_region.locator(".directory-cluster, path.leaflet-interactive").first).to_be_visible()
    expect(page.locator("#map-list .structure-card").first).to_be_visible()
    assert_accessible(page, context="carte")

    # The structure page: everything, a small map and its schema.org data.
    page.goto("/annuaire/?q=APIC")
    page.locator("#directory-body").get_by_role("link", name="APIC", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("APIC")
    expect(page.get_by_text("entreprise adaptée (EA)")).to_be_visible()
    assert page.locator('script[type="application/ld+json"]').count() == 1
    expect(page.get_by_role("link", name="Signaler une erreur")).to_be_visible()
    assert_accessible(page, context="fiche APIC")
    finish(page, js_errors, assert_no_third_party)


def test_submission_moderation_publication(page, directory_demo, js_errors, assert_no_third_party):
    from essaim.accounts.demo import DEMO_PASSWORD

    page.goto("/annuaire/referencer/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Référencer ma structure")
    assert_accessible(page)
    page.get_by_label("Dénomination").fill("Repair café des Alouettes")
    page.get_by_label("Famille de l'ESS").select_option("association")
    page.locator("#id_commune").fill("62178")
    page.get_by_label("Présentation").fill("Un samedi par mois, on répare ensemble petits appareils et vélos.")
    page.get_by_label("Votre e-mail (non publié)").fill("benevole@exemple.org")
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merci, votre structure est enregistrée")
    assert_accessible(page)

    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill("agent@bethune-bruay.example")
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")

    page.goto("/annuaire/moderation/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Modération de l'annuaire")
    assert_accessible(page)
    page.get_by_role("link", name="Repair café des Alouettes").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Repair café des Alouettes")
    assert_accessible(page)
    page.get_by_role("button", name="Publier").click()
    expect(page.get_by_role("status")).to_contain_text("est publiée")

    # Published, and searchable right after the commit.
    page.goto("/annuaire/?q=repair+cafe+alouettes")
    page.locator("#directory-body").get_by_role("link", name="Repair café des Alouettes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Repair café des Alouettes")
    assert_accessible(page)
    finish(page, js_errors, assert_no_third_party)
