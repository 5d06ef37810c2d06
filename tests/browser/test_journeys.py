"""Real journeys through the public site and the back office, in Chromium, each page checked by axe-core and
no request allowed to leave the live server."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible

TERRITORY_PATHS = ["/territoires/bethune-bruay/", "/territoires/artois-comm/", "/territoires/ternois/"]


def finish(page, js_errors, assert_no_third_party):
    """The end of every journey: no uncaught JavaScript error, no third-party request."""
    assert not js_errors, f"Erreurs JavaScript sur {page.url} : {js_errors}"
    assert_no_third_party()


def test_home_directory_search_and_territory_map(page, live_demo, js_errors, assert_no_third_party):
    # The portal's home page is the default territory's.
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Béthune-Bruay, Artois-Lys Romane")
    figures = page.get_by_role("region", name="Chiffres clés")
    expect(figures).to_be_visible()
    expect(figures.locator(".figure")).not_to_have_count(0)
    expect(figures).to_contain_text("100")  # communes of the official 2026 perimeter
    assert_accessible(page)

    # The network directory.
    page.get_by_role("link", name="Les territoires du réseau").click()
    expect(page).to_have_url(re.compile(r"/territoires/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Territoires du réseau")
    assert_accessible(page)

    # Search (htmx swaps #results and pushes the URL; without JavaScript the same form reloads the page).
    search = page.get_by_role("search")
    search.get_by_label("Rechercher").fill("ternois")
    search.get_by_role("button", name="Filtrer").click()
    results = page.locator("#results")
    expect(results.get_by_role("heading", level=2, name=re.compile(r"^1 territoire$"))).to_be_visible()
    expect(results.get_by_role("link", name="Pays du Ternois")).to_be_visible()
    expect(results.get_by_role("link", name="Artois Comm.")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"[?&]q=ternois"))
    assert_accessible(page, context="annuaire filtré « ternois »")

    # The territory page: its communes table and its map.
    results.get_by_role("link", name="Pays du Ternois").click()
    expect(page).to_have_url(re.compile(r"/territoires/ternois/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Pays du Ternois")
    communes = page.get_by_role("region", name="Communes du périmètre, avec leur population municipale 2026")
    expect(communes.locator("caption")).to_have_text("Communes du périmètre, avec leur population municipale 2026")
    rows = communes.locator("tbody tr")
    expect(rows).not_to_have_count(0)
    expect(communes.get_by_role("rowheader", name="Saint-Pol-sur-Ternoise")).to_be_visible()

    map_region = page.get_by_role("region", name=re.compile(r"^Carte des communes du territoire"))
    expect(map_region).to_have_class(re.compile(r"\bleaflet-container\b"))
    expect(map_region).to_have_attribute("data-map-ready", "")
    markers = map_region.locator("svg path.leaflet-interactive")
    expect(markers).to_have_count(rows.count())  # one circle marker per commune of the table
    assert_accessible(page)

    finish(page, js_errors, assert_no_third_party)


def test_artois_comm_contacts_budget_sheets_and_skip_link(page, live_demo, js_errors, assert_no_third_party):
    page.goto("/territoires/artois-comm/")

    # Keyboard: the first Tab stop is the skip link, and following it puts the focus on the main content.
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.tagName, document.activeElement.textContent.trim()]")
    assert focused == ["A", "Aller au contenu"]
    skip_link = page.get_by_role("link", name="Aller au contenu")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()  # visible once focused (WCAG 2.4.7)
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()

    expect(page.get_by_role("heading", level=1)).to_have_text("Artois Comm.")
    contacts = page.get_by_role("region", name="Identité et contacts")
    expect(contacts.get_by_role("heading", level=3, name="Gérard Delahaye")).to_be_visible()
    expect(contacts).to_contain_text("valerie.morel [at] artoiscomm [point] fr")
    expect(contacts).not_to_contain_text("valerie.morel@artoiscomm.fr")

    budget = page.get_by_role("region", name="Budget ESS par année, co-financements compris")
    expect(budget.locator("caption")).to_be_visible()
    row_2014 = budget.get_by_role("row").filter(has=page.get_by_role("rowheader", name="2014"))
    expect(row_2014).to_have_count(1)
    expect(row_2014).to_contain_text("201 600")

    sheets = page.locator("#politique li.sheet")
    expect(sheets).to_have_count(16)
    assert_accessible(page)

    # Fiche 1 and its indicators.
    page.get_by_role("link", name="Animation du comité local d'animation").click()
    expect(page).to_have_url(re.compile(r"/territoires/artois-comm/fiches/1/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Animation du comité local d'animation")
    indicators = page.get_by_role("region", name="Valeurs mesurées par année et cible de chaque indicateur")
    expect(indicators.locator("caption")).to_be_visible()
    expect(indicators.locator("tbody tr")).not_to_have_count(0)
    expect(indicators.get_by_role("columnheader", name="2014")).to_be_visible()
    assert_accessible(page)

    finish(page, js_errors, assert_no_third_party)


def test_officer_logs_in_and_edits_the_identity_of_her_territory(page, live_demo, js_errors, assert_no_third_party):
    from essaim.accounts.demo import DEMO_PASSWORD

    page.goto("/compte/connexion/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Se connecter")
    assert_accessible(page)
    page.get_by_label("Adresse e-mail").fill("agent@bethune-bruay.example")
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    expect(page).to_have_url(re.compile(r"/compte/$"))
    assert_accessible(page)

    # The back office: the dashboard, the territory's management home, its identity form.
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Gestion").click()
    expect(page).to_have_url(re.compile(r"/gestion/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Gestion")
    assert_accessible(page)
    page.get_by_role("main").get_by_role("link", name="Béthune-Bruay, Artois-Lys Romane", exact=True).first.click()
    expect(page).to_have_url(re.compile(r"/gestion/bethune-bruay/$"))
    assert_accessible(page)
    page.get_by_role("link", name="Identité", exact=True).click()
    expect(page).to_have_url(re.compile(r"/gestion/bethune-bruay/identite/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Identité du territoire")
    assert_accessible(page)

    page.get_by_label("Téléphone").fill("03 21 99 88 77")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page).to_have_url(re.compile(r"/gestion/bethune-bruay/$"))
    expect(page.get_by_role("status")).to_contain_text("L'identité du territoire a été enregistrée.")
    assert_accessible(page, context="gestion après enregistrement")

    # The public page shows the new phone number.
    page.goto("/territoires/bethune-bruay/")
    phone = page.get_by_role("link", name="03 21 99 88 77")
    expect(phone).to_have_attribute("href", "tel:0321998877")
    assert_accessible(page)

    # Another territory's identity is forbidden to her.
    response = page.goto("/gestion/ternois/identite/")
    assert response is not None and response.status == 403
    expect(page.get_by_role("main")).to_contain_text("Vous n'avez pas le droit de faire cette action.")
    assert_accessible(page, context="page 403")

    finish(page, js_errors, assert_no_third_party)


def test_language_switch_to_english(page, live_demo, js_errors, assert_no_third_party):
    page.goto("/territoires/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    switch = page.locator("form.lang-switch")
    switch.get_by_label("Langue").select_option("en")
    switch.get_by_role("button", name="Changer").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/territoires/$"))
    expect(page.locator("#language-select")).to_have_value("en")
    # The page really is in English (lang="en" over French text would mislead screen readers: WCAG 3.1.1).
    expect(page.get_by_role("heading", level=1)).to_have_text("Network territories")
    expect(page.get_by_label("Language")).to_have_value("en")
    expect(page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Territories")).to_be_visible()
    assert_accessible(page, context="/territoires/ en anglais")

    finish(page, js_errors, assert_no_third_party)


def test_pages_reflow_at_200_percent_zoom(page, live_demo, js_errors, assert_no_third_party):
    """640 × 800 CSS pixels is what a 1280 px wide window shows at 200 % zoom (WCAG 1.4.4 and 1.4.10)."""
    page.set_viewport_size({"width": 640, "height": 800})
    for path in [*TERRITORY_PATHS, "/", "/territoires/"]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        widths = page.evaluate("() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})")
        assert widths["scroll"] <= widths["inner"] + 1, f"Défilement horizontal à 200 % sur {path} : {widths}"
        assert_accessible(page, context=f"{path} à 640 px")

    finish(page, js_errors, assert_no_third_party)
