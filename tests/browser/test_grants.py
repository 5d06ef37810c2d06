"""The grant's whole path in a real browser: apply → file → examine → commission → Bureau → payment, each page
checked by axe-core (no serious or critical violation) and no request leaving the live server."""

import re

import pytest
from playwright.sync_api import expect

from essaim.grants.demo import DEMO_PDF
from tests.browser.conftest import assert_accessible

PDF = DEMO_PDF  # a real PDF: uploads are parsed


@pytest.fixture
def grants_demo(live_demo):
    from essaim.grants.demo import load_demo_grants

    return load_demo_grants(territories=live_demo)


def log_in(page, email):
    from essaim.accounts.demo import DEMO_PASSWORD

    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")


def log_out(page):
    page.get_by_role("button", name="Se déconnecter").click()


def ready_for_htmx(page, url_part):
    """After a navigation, wait until the new page has loaded its deferred scripts (htmx) before typing."""
    expect(page).to_have_url(re.compile(url_part))
    page.wait_for_load_state("load")
    page.wait_for_function("() => window.htmx !== undefined && document.readyState === 'complete'")


def save_and_continue(page):
    page.get_by_role("button", name="Enregistrer et continuer").click()


def test_apply_file_examine_commission_bureau_payment(page, grants_demo, js_errors, assert_no_third_party):
    from django.utils import timezone

    today = timezone.localdate().isoformat()

    # The public record and the simulator (computed as typed, htmx).
    page.goto("/aides/entreprendre-autrement/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Entreprendre Autrement")
    expect(page.get_by_role("main")).to_contain_text("Communauté d'agglomération de Béthune-Bruay")
    assert_accessible(page, context="fiche du dispositif")
    page.get_by_role("link", name="Simuler le montant").click()
    ready_for_htmx(page, r"/aides/simulateur/")
    page.get_by_label("aide au démarrage").check()
    page.get_by_label("Emplois créés (ETP)").fill("5,5")
    page.get_by_label("Investissement éligible (€ HT)").fill("20000")
    expect(page.locator("#simulation")).to_contain_text("11\u202f000,00\u00a0€")
    expect(page.locator("#simulation")).to_contain_text("Plafond appliqué")
    assert_accessible(page, context="simulateur")

    # The applicant opens a draft and fills every step.
    log_in(page, "porteur@essaim.example")
    page.goto("/aides/entreprendre-autrement/deposer/")
    assert_accessible(page, context="choix de la forme")
    page.get_by_label("aide au démarrage").check()
    page.get_by_role("button", name="Commencer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("La structure")
    assert_accessible(page, context="étape structure")
    page.get_by_label("C'est une nouvelle structure").check()
    page.get_by_label("Nom de la structure").fill("Recyclerie des Alouettes (fictive)")
    page.get_by_label("Statut").select_option("association")
    page.get_by_label("Numéro RNA").fill("W621009999")
    page.get_by_label("SIRET", exact=True).fill("99990050900012")
    save_and_continue(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Le projet")
    assert_accessible(page, context="étape projet")
    page.get_by_label("Intitulé du projet").fill("Recyclerie de quartier")
    page.get_by_label("Description du projet").fill("Collecte et revente d'objets, ateliers de réparation.")
    page.get_by_label("Commune où se réalise le projet").select_option(label="Béthune (62119)")
    page.get_by_label("Budget total du projet (€)").fill("40 000")
    save_and_continue(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Les emplois créés")
    ready_for_htmx(page, r"/etapes/emplois/")
    page.get_by_label("Emplois créés (ETP)").fill("2")
    page.get_by_label("Emplois créés (ETP)").press("Tab")
    expect(page.locator("#amount")).to_contain_text("4\u202f000,00\u00a0€")  # recomputed as typed
    page.get_by_label("Les postes créés et leur calendrier").fill("Deux valoristes en CDI.")
    assert_accessible(page, context="étape emplois")
    save_and_continue(page)
    ready_for_htmx(page, r"/etapes/investissement/")
    page.get_by_label("Investissement éligible (€ HT)").fill("10000")
    page.get_by_label("Investissement éligible (€ HT)").press("Tab")
    expect(page.locator("#amount")).to_contain_text("6\u202f000,00\u00a0€")
    page.get_by_label("Nature des investissements").fill("Camion et étagères.")
    save_and_continue(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("plan de financement")
    first = page.get_by_role("group", name="Ressource 1")
    first.get_by_label("Nature").select_option("own")
    first.get_by_label("Financeur").fill("Fonds propres")
    first.get_by_label("Montant (€)").fill("34000")
    expect(page.locator("#funding-balance")).to_contain_text("Plan équilibré")
    assert_accessible(page, context="étape financement")
    save_and_continue(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Les pièces")
    for kind in ("statuts", "relevé d'identité bancaire", "budget prévisionnel"):
        page.get_by_label("Type de pièce").select_option(label=kind)
        page.get_by_label("Fichier").set_input_files(
            {"name": f"{kind}.pdf", "mimeType": "application/pdf", "buffer": PDF}
        )
        page.get_by_role("button", name="Ajouter la pièce").click()
        expect(page.get_by_role("status")).to_contain_text("Pièce ajoutée")
    assert_accessible(page, context="étape pièces")
    page.get_by_role("link", name="Aller au récapitulatif").click()
    expect(page.get_by_role("main")).to_contain_text("La demande est complète")
    assert_accessible(page, context="récapitulatif")
    page.get_by_role("link", name="Vérifier et déposer la demande").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vérifier et déposer")
    assert_accessible(page, context="vérification et attestation sur l'honneur")
    page.get_by_label(re.compile("J'atteste sur l'honneur")).check()
    page.get_by_role("button", name="Déposer la demande").click()
    expect(page.get_by_role("status")).to_contain_text("Votre demande est déposée")
    reference = page.get_by_role("heading", level=1).inner_text().removeprefix("Demande ").strip()
    log_out(page)

    # The officer examines it.
    log_in(page, "agent@bethune-bruay.example")
    page.goto("/aides/instruction/")
    assert_accessible(page, context="file d'instruction")
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Instruction — {reference}")
    assert_accessible(page, context="instruction")
    page.get_by_role("button", name="Commencer l'instruction").click()
    page.get_by_role("link", name="Remplir la grille d'instruction").click()
    assert_accessible(page, context="grille d'instruction")
    for label in ("Statut ESS", "Ancrage territorial", "Emplois", "Investissement", "Financement", "Pièces"):
        page.get_by_label(label, exact=True).select_option("met")
    page.get_by_label("Conclusion de l'instruction").fill("Projet solide : avis favorable proposé.")
    page.get_by_role("button", name="Enregistrer la grille").click()
    page.get_by_role("button", name="Inscrire pour la commission").click()
    expect(page.get_by_role("main")).to_contain_text("prête pour la commission")

    # The commission's sitting: agenda, then the opinions on one screen.
    page.goto("/aides/seances/nouvelle/")
    assert_accessible(page, context="nouvelle séance")
    page.get_by_label("commission ad hoc").check()
    page.get_by_label("Date").fill(today)
    page.get_by_role("button", name="Créer la séance").click()
    page.get_by_label(re.compile(reference)).check()
    page.get_by_role("button", name="Enregistrer l'ordre du jour").click()
    assert_accessible(page, context="séance de la commission")
    page.get_by_role("link", name="Saisir les avis de la séance").click()
    assert_accessible(page, context="saisie des avis")
    page.get_by_role("button", name="Enregistrer pour toute la séance").click()
    expect(page.get_by_role("status")).to_contain_text("Avis enregistrés")

    # The Bureau's sitting: the decision, within the credits.
    page.goto("/aides/seances/nouvelle/")
    page.get_by_label("Bureau communautaire").check()
    page.get_by_label("Date").fill(today)
    page.get_by_role("button", name="Créer la séance").click()
    page.get_by_label(re.compile(reference)).check()
    page.get_by_role("button", name="Enregistrer l'ordre du jour").click()
    page.get_by_role("link", name="Saisir les décisions de la séance").click()
    page.get_by_label("Numéro de délibération").fill("B2026-099")
    assert_accessible(page, context="saisie des décisions")
    page.get_by_role("button", name="Enregistrer pour toute la séance").click()
    expect(page.get_by_role("status")).to_contain_text("Décisions enregistrées")
    assert_accessible(page, context="séance du Bureau")

    # The agreement and the advance.
    page.get_by_role("link", name=re.compile(reference)).click()
    expect(page.get_by_role("main")).to_contain_text("accordée par le Bureau")
    page.get_by_label("Signée le").fill(today)
    page.get_by_role("button", name="Enregistrer la convention").click()
    page.get_by_label("Nature").select_option("advance")
    page.get_by_label("Montant (€)").fill("3000")
    page.get_by_label("Versé le").fill(today)
    page.get_by_role("button", name="Enregistrer le versement").click()
    expect(page.get_by_role("status")).to_contain_text("Versement enregistré")
    expect(page.get_by_role("main")).to_contain_text("Avance de 3\u202f000,00\u00a0€")
    assert_accessible(page, context="instruction après versement")

    page.goto("/aides/instruction/tableau-de-bord/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Crédits et indicateurs")
    assert_accessible(page, context="tableau de bord")

    assert not js_errors, js_errors
    assert_no_third_party()
