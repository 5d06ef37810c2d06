"""The agenda in a real browser: agenda → event → register → cancel (from the mail's link), and the officer's
check-in on the day, every page checked by axe-core and no request leaving the live server."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible

CAFE = "Café citoyen : découvrir l'ESS à L'Effet déco"


@pytest.fixture
def agenda_demo(live_demo):
    from essaim.agenda.demo import load_demo_agenda

    return load_demo_agenda(territories=live_demo)


def test_visitor_finds_an_event_registers_and_cancels(page, agenda_demo, js_errors, assert_no_third_party):
    page.goto("/agenda/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Agenda de l’ESS")
    assert_accessible(page, context="agenda")

    page.goto("/agenda/calendrier/?mois=" + agenda_demo["campaign"].start_date.strftime("%Y-%m"))
    expect(page.locator("table.agenda-calendar caption")).to_contain_text("Novembre")
    assert_accessible(page, context="calendrier")
    page.goto("/agenda/carte/")
    expect(page.locator(".leaflet-container")).to_be_visible()
    assert_accessible(page, context="carte")

    page.goto("/agenda/?type=cafe_citoyen")
    page.get_by_role("link", name=CAFE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(CAFE)
    assert_accessible(page, context="événement")

    mail.outbox.clear()
    page.get_by_label("Nom et prénom").fill("Zoé Hennebelle")
    page.get_by_label("Adresse e-mail").fill("zoe.navigateur@exemple.example")
    page.get_by_role("button", name="Je m’inscris").click()
    expect(page.locator(".errorlist")).to_contain_text("Cochez cette case")  # consent is required
    expect(page.get_by_label("Nom et prénom")).to_have_value("Zoé Hennebelle")
    assert_accessible(page, context="inscription refusée sans consentement")
    page.get_by_label(re.compile("J'accepte que mes nom")).check()
    page.get_by_role("button", name="Je m’inscris").click()
    expect(page.get_by_role("status")).to_contain_text("Inscription confirmée")
    assert_accessible(page, context="inscription confirmée")

    (confirmation,) = [m for m in mail.outbox if m.to == ["zoe.navigateur@exemple.example"]]
    assert confirmation.attachments[0][0] == "evenement.ics"
    cancel_url = re.search(r"https?://\S+/annuler/", confirmation.body).group(0)
    page.goto(cancel_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Annuler mon inscription")
    assert_accessible(page, context="annulation")
    page.get_by_role("button", name="Confirmer l’annulation").click()
    expect(page.get_by_role("status")).to_contain_text("Votre inscription est annulée")
    assert not js_errors
    assert_no_third_party()


def test_officer_checks_people_in_on_a_phone(page, agenda_demo, js_errors, assert_no_third_party):
    from essaim.accounts.demo import DEMO_PASSWORD

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill("agent@bethune-bruay.example")
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")

    page.goto("/agenda/gestion/bethune-bruay/")
    assert_accessible(page, context="gestion de l'agenda")
    workshop = "Entreprendre autrement : testez vos capacités à entreprendre autrement"
    page.get_by_role("link", name=workshop).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Entreprendre autrement")
    assert_accessible(page, context="événement (gestion)")
    page.get_by_role("link", name=re.compile("^Pointage et participation")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pointage")
    assert_accessible(page, context="pointage")

    first = page.locator(".agenda-checkin li").first
    name = first.locator("span").first.inner_text().strip()
    first.get_by_role("button", name=re.compile("^Présent·e")).click()
    row = page.locator(".agenda-checkin li").first
    expect(row).to_contain_text("présent·e")
    expect(row.get_by_role("button", name=re.compile("^Retirer"))).to_be_visible()
    page.reload()
    expect(page.locator("#checkin-count")).to_contain_text("1 présent·e sur 12")
    page.get_by_label("Nombre de participants").fill("14")
    page.get_by_role("button", name="Enregistrer le nombre de participants").click()
    expect(page.get_by_role("status").first).to_contain_text("Nombre de participants enregistré")
    assert_accessible(page, context="participation enregistrée")
    assert name
    assert not js_errors
    assert_no_third_party()
