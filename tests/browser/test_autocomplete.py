"""The accessible combobox in a real browser, on the whole demo: an officer picks an event's organisers and partners
among the directory's structures with the keyboard (type, arrows, Home/End, Enter, Escape), removes a chip, sends
the form, and finds the choices kept; the page passes axe with the list open."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible

FORM = "/agenda/gestion/bethune-bruay/evenements/ajouter/"


def _active_option(page, combobox):
    active = combobox.get_attribute("aria-activedescendant")
    assert active, "aucune option active"
    option = page.locator(f"#{active}")
    expect(option).to_have_attribute("aria-selected", "true")
    return option


def test_an_officer_picks_organisers_and_partners_with_the_keyboard(
    demo_page, demo_site, js_errors, demo_no_third_party
):
    page = demo_page
    demo_site.login(page, "agent@bethune-bruay.example", next_path=FORM)
    organisers = page.get_by_role("combobox", name="Organisateurs")
    expect(organisers).to_have_attribute("aria-expanded", "false")
    listbox = page.locator(f"#{organisers.get_attribute('aria-controls')}")
    expect(listbox).to_have_attribute("role", "listbox")

    # Typing opens the list of suggestions, and the live region says how many there are.
    organisers.press_sequentially("mai", delay=30)
    expect(listbox).to_be_visible()
    expect(organisers).to_have_attribute("aria-expanded", "true")
    options = listbox.get_by_role("option")
    count = options.count()
    assert count >= 2
    status = page.locator(".combobox [role=status]").first
    expect(status).to_have_text(f"{count} structures trouvées\u00a0; flèches haut et bas pour les parcourir")
    expect(options.first).to_contain_text(re.compile(r"^Maison"))  # names that begin with the text come first
    assert_accessible(page, context="liste de suggestions ouverte")

    # Arrows move the active option (wrapping), Home and End go to the ends, Enter chooses.
    page.keyboard.press("ArrowDown")
    expect(organisers).to_have_attribute("aria-activedescendant", options.first.get_attribute("id"))
    page.keyboard.press("ArrowUp")
    expect(organisers).to_have_attribute("aria-activedescendant", options.last.get_attribute("id"))
    page.keyboard.press("Home")
    expect(organisers).to_have_attribute("aria-activedescendant", options.first.get_attribute("id"))
    page.keyboard.press("End")
    expect(organisers).to_have_attribute("aria-activedescendant", options.last.get_attribute("id"))
    page.keyboard.press("Home")
    page.keyboard.press("ArrowDown")
    chosen = _active_option(page, organisers).inner_text().replace("\n", " ").strip()
    page.keyboard.press("Enter")
    expect(listbox).to_be_hidden()
    expect(organisers).to_have_value("")
    expect(organisers).to_be_focused()
    name = chosen.split(" ", 1)[0]
    first_remove = page.get_by_role("button", name=re.compile(r"^Retirer " + re.escape(name)))
    expect(first_remove).to_have_count(1)
    expect(status).to_contain_text("Structure ajoutée\u00a0:")

    # Escape closes the list and keeps the text; a second Escape empties it.
    organisers.press_sequentially("bge", delay=30)
    expect(listbox).to_be_visible()
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(organisers).to_have_value("bge")
    page.keyboard.press("Escape")
    expect(organisers).to_have_value("")
    # With a single suggestion, Enter takes it.
    organisers.press_sequentially("bge hauts", delay=30)
    expect(listbox.get_by_role("option")).to_have_count(1)
    page.keyboard.press("Enter")
    bge_remove = page.get_by_role("button", name="Retirer BGE Hauts-de-France (Béthune)")
    expect(bge_remove).to_be_visible()

    # A chip's button removes it; the focus goes to the next chip.
    first_remove.focus()
    page.keyboard.press("Enter")
    expect(first_remove).to_have_count(0)
    expect(bge_remove).to_be_focused()
    expect(status).to_contain_text("Structure retirée\u00a0:")

    # Partners: the same component, chosen with the mouse.
    partners = page.get_by_role("combobox", name="Partenaires")
    partners.press_sequentially("apic", delay=30)
    page.locator(f"#{partners.get_attribute('aria-controls')}").get_by_role("option", name=re.compile("^APIC")).click()
    expect(page.get_by_role("button", name="Retirer APIC (Ruitz)")).to_be_visible()

    # The rest of the form, then send it: the choices are saved and shown again on the edit page.
    page.get_by_label("Titre").fill("Rencontre des réseaux de l'ESS")
    page.get_by_label("Grand public").check()
    page.get_by_label("Lieu", exact=True).select_option(index=1)
    first_session = page.get_by_role("group", name="Séance 1")
    first_session.get_by_label("Début").fill("2027-03-10T09:00")
    first_session.get_by_label("Fin").fill("2027-03-10T12:00")
    page.get_by_role("button", name=re.compile("^Enregistrer")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rencontre des réseaux de l'ESS")

    from essaim.agenda.models import Event

    event = Event.objects.get(title="Rencontre des réseaux de l'ESS")
    assert [s.name for s in event.organisers.all()] == ["BGE Hauts-de-France"]
    assert [s.name for s in event.partners.all()] == ["APIC"]
    page.goto(f"/agenda/gestion/bethune-bruay/evenements/{event.pk}/modifier/")
    expect(page.get_by_role("button", name="Retirer BGE Hauts-de-France (Béthune)")).to_be_visible()
    expect(page.get_by_role("button", name="Retirer APIC (Ruitz)")).to_be_visible()
    assert_accessible(page, context="formulaire d'événement, choix gardés")
    assert not js_errors
    demo_no_third_party()
