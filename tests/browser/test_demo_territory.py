"""From a fresh ``essaim demo``: the default territory carries Artois Comm.'s policy and recent budgets, its back
office is not empty for its admin, and the directory lists real structures. Every page is checked by axe-core."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible


def test_public_page_shows_the_inherited_policy_recent_budgets_and_sources(demo_page, js_errors, demo_no_third_party):
    page = demo_page
    year = timezone.localdate().year
    page.goto("/territoires/bethune-bruay/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Béthune-Bruay, Artois-Lys Romane")
    politique = page.locator("#politique")
    expect(politique).to_contain_text("Ce plan d'actions est repris d'Artois Comm.")
    expect(politique.get_by_text("reprise d'Artois Comm.", exact=True)).to_have_count(16)
    budget = page.get_by_role("table", name="Budget ESS par année, co-financements compris")
    for budget_year in range(year - 3, year + 1):
        expect(budget.get_by_role("rowheader", name=str(budget_year), exact=True)).to_be_visible()
    expect(budget).to_contain_text("montant fictif (démonstration)")
    expect(page.locator("#identite")).to_contain_text("Personne fictive (démonstration)")
    assert_accessible(page, context="page publique de la CABBALR")

    page.locator("#politique").get_by_role("link", name="Animation du comité local d'animation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Animation du comité local d'animation")
    expect(page.locator("main")).to_contain_text("Cette fiche reprend celle du plan d'actions d'Artois Comm.")
    expect(page.get_by_role("columnheader", name=str(year - 1))).to_be_visible()
    assert_accessible(page, context="fiche 1 reprise, avec son évaluation récente")

    page.goto("/territoires/bethune-bruay/")
    page.get_by_role("link", name="D'où viennent ces données ?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("D'où viennent ces données ?")
    expect(page.locator("main")).to_contain_text("personne fictive, inventée pour la démonstration")
    assert_accessible(page, context="sources de la CABBALR")
    assert not js_errors
    demo_no_third_party()


def test_admin_back_office_is_not_empty_and_shows_the_takeover(demo_page, demo_site, js_errors, demo_no_third_party):
    page = demo_page
    demo_site.login(page, "admin@bethune-bruay.example", next_path="/gestion/bethune-bruay/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Béthune-Bruay, Artois-Lys Romane")
    main = page.locator("main")
    expect(main).to_contain_text("16 fiches action")
    expect(main).to_contain_text("4 années")
    expect(main).to_contain_text("4 contacts")
    assert_accessible(page, context="gestion de la CABBALR")

    main.get_by_role("link", name="Politique ESS").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Politique ESS")
    expect(page.get_by_role("heading", name="Journal des reprises")).to_be_visible()
    page.get_by_text(re.compile(r"reprise de la politique \(Artois Comm\.\)")).click()
    expect(page.locator("#reprises")).to_contain_text("Fiche 10 « Dispositif d'aide « Entreprendre Autrement »")
    assert_accessible(page, context="politique ESS, journal ouvert")

    page.get_by_role("link", name="Reprendre la politique : Artois Comm.").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reprendre la politique d'Artois Comm.")
    expect(page.locator("main")).to_contain_text("Rien de nouveau à reprendre")
    assert_accessible(page, context="reprise : rien de nouveau")
    assert not js_errors
    demo_no_third_party()


def test_directory_lists_real_structures_only(demo_page, js_errors, demo_no_third_party):
    from essaim.directory.models import Structure

    page = demo_page
    assert not Structure.objects.filter(is_generated=True, slug__contains="-g62-").exists()
    page.goto("/annuaire/?q=entreprise+adaptee+ruitz")
    page.locator("#directory-body").get_by_role("link", name="APIC").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("APIC")
    main = page.locator("main")
    expect(main).to_contain_text("62620 Ruitz")
    expect(main).not_to_contain_text("Complétude")
    expect(main).not_to_contain_text("Structure fictive")
    assert_accessible(page, context="fiche APIC")
    assert not js_errors
    demo_no_third_party()
