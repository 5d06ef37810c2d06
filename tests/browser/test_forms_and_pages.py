"""Forms and pages as a person meets them in the demo: the error summary of a failed form (focus, title, links to
the fields), the home page (search box, campaign, next events), the header naming the territory viewed, wide
back-office tables at 1280 px and the French 404 page. Each page is also checked by the typography checker."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible

FITS = """() => [...document.querySelectorAll('main table')].map(t => ({
    caption: (t.caption && t.caption.innerText) || '',
    overflow: t.scrollWidth - t.parentElement.clientWidth,
}))"""


def test_a_failed_form_shows_its_error_summary_with_focus(demo_page, js_errors, demo_no_third_party):
    """Submitted empty, the directory's submission form answers with a summary at the top: focused, the title
    prefixed "Erreur :", one link per error; a link moves the focus to its field; values typed are kept."""
    demo_page.goto("/annuaire/referencer/")
    demo_page.locator("#id_submitter_email").fill("benevole@example.org")
    demo_page.locator("main form.form button[type=submit]").last.click()

    summary = demo_page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading", level=2)).to_have_text(re.compile(r"^Le formulaire contient \d+ erreurs?$"))
    assert demo_page.title().startswith("Erreur\u00a0: ")
    expect(demo_page.locator("#id_submitter_email")).to_have_value("benevole@example.org")
    assert_accessible(demo_page)

    link = summary.get_by_role("link", name=re.compile(r"^Dénomination"))
    link.click()
    expect(demo_page.locator("#id_name")).to_be_focused()
    assert demo_page.locator("#id_name").get_attribute("aria-invalid") == "true"
    assert "id_name_error" in (demo_page.locator("#id_name").get_attribute("aria-describedby") or "")
    assert not js_errors
    demo_no_third_party()


def test_home_page_searches_the_directory_and_shows_the_next_events(demo_page, js_errors, demo_no_third_party):
    demo_page.goto("/")
    assert_accessible(demo_page)
    events = demo_page.locator(".home-events > li")
    expect(events.first).to_be_visible()
    assert 1 <= events.count() <= 6
    expect(demo_page.get_by_role("link", name="Tout l'agenda")).to_have_attribute("href", "/agenda/")
    expect(demo_page.locator(".home-campaign")).to_contain_text("Mois de l'ESS")

    demo_page.get_by_label(re.compile(r"^Rechercher une structure")).fill("insertion")
    demo_page.get_by_role("button", name="Rechercher", exact=True).click()
    demo_page.wait_for_url(re.compile(r"/annuaire/\?q=insertion"))
    assert_accessible(demo_page)
    assert not js_errors
    demo_no_third_party()


def test_header_names_the_territory_of_the_page(demo_page, demo_no_third_party):
    demo_page.goto("/territoires/ternois/")
    expect(demo_page.locator(".site-header .site-name")).to_have_text("Pays du Ternois")
    assert demo_page.title() == "Pays du Ternois — Béthune-Bruay, Artois-Lys Romane"  # the portal's name stays
    demo_page.goto("/agenda/")
    expect(demo_page.locator(".site-header .site-name")).to_have_text("Béthune-Bruay, Artois-Lys Romane")
    demo_no_third_party()


def test_wide_back_office_tables_fit_at_1280_px(demo_page, demo_site, js_errors, demo_no_third_party):
    """The grants queue, a session's registrants and the moderation queue show every column at 1280 px."""
    from essaim.agenda.models import Session

    session = Session.objects.filter(event__territory__slug="bethune-bruay", registrations__isnull=False).first()
    demo_site.login(demo_page, "agent@bethune-bruay.example")
    # The number of tables each page has at least (the moderation queue's table of stale entries shows when some
    # are stale; the demo has none).
    pages = {"/aides/instruction/": 1, "/annuaire/moderation/": 0}
    if session is not None:
        pages[f"/agenda/gestion/bethune-bruay/seances/{session.pk}/inscrits/"] = 1
    for url, at_least in pages.items():
        demo_page.goto(url)
        assert demo_page.evaluate("() => document.documentElement.scrollWidth") <= 1280, url
        tables = demo_page.evaluate(FITS)
        assert len(tables) >= at_least, url
        for table in tables:
            assert table["overflow"] <= 1, (url, table)
        assert_accessible(demo_page)
    assert not js_errors
    demo_no_third_party()


def test_an_unknown_address_answers_the_french_404_page(demo_page):
    response = demo_page.goto("/cette-page-n-existe-pas/")
    assert response.status == 404
    expect(demo_page.get_by_role("heading", level=1)).to_have_text("Ressource introuvable.")
    assert_accessible(demo_page)
