"""Accounts in a real browser, on the whole demo: sign-up → the verification mail → its link → logged in → "Mon
espace" and its empty states; a login refused before the address is confirmed; "Mon espace" of every demo role,
with what each should and should not see. Every page is checked by axe-core; no request leaves the server."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible

MENU = "Menu principal"


def menu(page):
    return page.get_by_role("navigation", name=MENU)


def test_sign_up_verify_the_address_and_land_in_mon_espace(demo_page, demo_site, js_errors, demo_no_third_party):
    page = demo_page
    page.goto("/")
    menu(page).get_by_role("link", name="Créer un compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Créer un compte")
    assert_accessible(page, context="inscription")

    # A failed submit: the error summary, values kept.
    page.get_by_label("Adresse e-mail").fill("lea.martin@asso-beuvry.example")
    page.get_by_label("Mot de passe").fill("123")
    page.get_by_role("button", name="Créer mon compte").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Acceptez les conditions d'utilisation")
    expect(page).to_have_title(re.compile(r"^Erreur"))
    expect(page.get_by_label("Adresse e-mail")).to_have_value("lea.martin@asso-beuvry.example")
    assert_accessible(page, context="inscription en erreur")

    mail.outbox.clear()
    page.get_by_label("Mot de passe").fill("une phrase de passe solide")
    page.get_by_label("Nom complet (facultatif)").fill("Léa Martin")
    page.get_by_label("J'ai lu et j'accepte les conditions d'utilisation de la plateforme.").check()
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmez votre adresse e-mail")
    expect(page.get_by_role("main")).to_contain_text("lea.martin@asso-beuvry.example")
    assert_accessible(page, context="adresse à confirmer")

    (message,) = [m for m in mail.outbox if m.to == ["lea.martin@asso-beuvry.example"]]
    link = re.search(r"https?://\S+/compte/confirmer-adresse/\S+/", message.body).group(0)
    assert link.startswith(demo_site.url)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmer mon adresse e-mail")
    assert_accessible(page, context="confirmation de l'adresse")
    page.get_by_role("button", name="Confirmer mon adresse").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Bonjour Léa Martin.")
    expect(main.get_by_role("link", name="Trouver un événement")).to_be_visible()
    expect(main.get_by_role("link", name="Simuler une aide")).to_be_visible()
    expect(main.get_by_role("link", name="Revendiquer la fiche de votre structure")).to_be_visible()
    expect(main.get_by_role("link", name="Proposer un événement")).to_be_visible()
    expect(menu(page).get_by_role("link", name="Gestion")).to_have_count(0)
    assert_accessible(page, context="Mon espace vide")
    main.get_by_role("link", name="Simuler une aide").click()
    expect(page).to_have_url(re.compile(r"/aides/simulateur/"))
    assert not js_errors
    demo_no_third_party()


def test_login_is_refused_until_the_address_is_confirmed(demo_page, demo_site, js_errors, demo_no_third_party):
    from allauth.account.models import EmailAddress

    from essaim.accounts.models import User

    user = User.objects.create_user(email="pas-encore@asso.example", password=demo_site.password)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    page = demo_page
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill("pas-encore@asso.example")
    page.get_by_label("Mot de passe").fill(demo_site.password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmez votre adresse e-mail")
    expect(page.get_by_role("main")).to_contain_text("vous ne pourrez pas vous connecter avant")
    expect(menu(page).get_by_role("link", name="Mon espace")).to_have_count(0)
    assert_accessible(page, context="connexion refusée")
    page.get_by_role("button", name="Renvoyer le lien").click()
    expect(page.get_by_role("status")).to_contain_text("Si un compte en attente de confirmation existe")
    assert not js_errors
    demo_no_third_party()


# email → (sees in "Mon espace", does not see, "Gestion" in the menu)
ROLES = {
    "reseau@essaim.example": (["Mes territoires", "Gestion des territoires"], [], True),
    "admin@bethune-bruay.example": (["Mes territoires", "Équipe", "Gérer le territoire"], [], True),
    "agent@bethune-bruay.example": (["Gérer le territoire", "Aides : instruction", "Agenda"], ["Équipe"], True),
    "commission@bethune-bruay.example": (["membre de la commission"], ["Gérer le territoire", "Équipe"], True),
    "elu@bethune-bruay.example": (
        ["Chiffres de l'annuaire", "élu·e"],
        ["Gérer le territoire", "Aides : instruction"],
        True,
    ),
    "agent@ternois.example": (["Pays du Ternois", "Gérer le territoire"], ["Béthune-Bruay"], True),
    "structure@essaim.example": (["Mes événements proposés", "Mes demandes d'aide"], ["Mes territoires"], False),
    "porteur@essaim.example": (["Mes demandes d'aide", "Mes inscriptions aux événements"], ["Mes territoires"], False),
}


@pytest.mark.parametrize("email", list(ROLES))
def test_mon_espace_of_each_demo_role(demo_page, demo_site, email, js_errors, demo_no_third_party):
    sees, hidden, gestion = ROLES[email]
    page = demo_page
    demo_site.login(page, email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    main = page.get_by_role("main")
    for text in sees:
        expect(main).to_contain_text(text)
    for text in hidden:
        expect(main.get_by_text(text, exact=True)).to_have_count(0)
    expect(menu(page).get_by_role("link", name="Gestion")).to_have_count(1 if gestion else 0)
    expect(main.get_by_role("link", name="Télécharger mes données (JSON)")).to_be_visible()
    assert_accessible(page, context=f"Mon espace de {email}")
    if gestion:
        menu(page).get_by_role("link", name="Gestion").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Gestion")
        assert_accessible(page, context=f"Gestion de {email}")
    assert not js_errors
    demo_no_third_party()
