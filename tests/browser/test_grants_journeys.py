"""The grant without dead ends, in a real browser on the whole demo (``essaim demo``): from the simulator to a draft
that keeps the simulated values; a new association without SIRET decided by the Bureau, its SIRET added, the
agreement and the advance prefilled; the officer's year end (closing after a partial payment releases the rest,
exports downloaded); a commission member who never sees the bank details. Every page checked by axe-core."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from essaim.core.identifiers import luhn_complete
from essaim.grants.demo import DEMO_PDF
from tests.browser.conftest import assert_accessible

PDF = DEMO_PDF  # a real PDF: uploads are parsed


def a_file(*, title, ready=True, siret=True):
    """A new association's file of the demo scheme, filed and examined through the services (its own data)."""
    from essaim.accounts.models import User
    from essaim.grants import services
    from essaim.grants.demo import EXAMINATION
    from essaim.grants.models import Scheme
    from essaim.territories.models import Commune

    scheme = Scheme.objects.get(slug="entreprendre-autrement")
    applicant = User.objects.get(email="porteur@essaim.example")
    officer = User.objects.get(email="agent@bethune-bruay.example")
    commune = Commune.objects.get(name="Béthune", perimeters__territory=scheme.territory)
    application = services.application_create(scheme=scheme, applicant=applicant, form="demarrage")
    steps = {
        "structure": {
            "new_structure_name": f"{title} (association fictive, en création)",
            "new_structure_family": "association",
            "new_structure_commune": commune,
            "new_structure_siret": luhn_complete(luhn_complete("99997" + f"{len(title):03d}") + "0001")
            if siret
            else "",
        },
        "projet": {
            "project_title": title,
            "project_summary": "Un projet de l'économie sociale et solidaire.",
            "project_commune": commune,
            "project_budget": Decimal("30000"),
        },
        "emplois": {"fte_created": Decimal("1"), "jobs_description": "Un poste en CDI."},
        "investissement": {"investment_excl_vat": Decimal("5000"), "investment_description": "Matériel."},
    }
    for step, values in steps.items():
        application = services.application_save_step(application=application, by=applicant, step=step, values=values)
    services.application_set_funding(
        application=application,
        by=applicant,
        lines=[{"kind": "own", "funder": "Fonds propres", "amount": Decimal("27000"), "is_secured": True}],
    )
    for kind, name in (("statutes", "statuts"), ("bank_details", "rib"), ("budget", "budget")):
        services.document_add(
            application=application,
            by=applicant,
            kind=kind,
            upload=SimpleUploadedFile(f"{name}.pdf", PDF, content_type="application/pdf"),
        )
    services.application_submit(application=application, by=applicant, attested=True)
    services.application_officer_transition(application=application, by=officer, name="start_review")
    services.examination_save(application=application, by=officer, values=EXAMINATION)
    if ready:
        services.application_officer_transition(application=application, by=officer, name="mark_ready")
    application.refresh_from_db()
    return application


def test_from_the_simulator_to_a_draft_with_the_simulated_values(demo_site, demo_page, js_errors, demo_no_third_party):
    page = demo_page
    page.goto("/aides/simulateur/?form=demarrage&fte_created=1,5&investment=8000")
    expect(page.locator("#simulation")).to_contain_text("4\u202f600,00\u00a0€")
    assert_accessible(page, context="simulateur")
    page.get_by_role("link", name=re.compile("avec ces montants")).click()
    expect(page).to_have_url(re.compile(r"/compte/connexion/"))
    form = page.locator("main form").filter(has=page.locator("input[type=password]")).first
    form.locator("input[type=email]").fill("porteur@essaim.example")
    form.locator("input[type=password]").fill(demo_site.password)
    form.get_by_role("button", name=re.compile(r"^Se connecter")).click()
    expect(page).to_have_url(re.compile(r"/aides/entreprendre-autrement/deposer/\?.*etp="))
    expect(page.get_by_role("main")).to_contain_text("1,5 ETP")
    assert_accessible(page, context="début de la demande avec les montants simulés")
    page.get_by_role("button", name="Commencer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("La structure")
    expect(page.locator("#amount")).to_contain_text("4\u202f600,00\u00a0€")
    assert not js_errors, js_errors
    demo_no_third_party()


def test_a_new_association_without_siret_goes_to_the_bureau_then_its_siret_unlocks_the_agreement(
    demo_site, demo_page, js_errors, demo_no_third_party
):
    application = a_file(title="Friperie des Terrils", siret=False)
    reference = application.reference
    today = datetime.date.today().isoformat()  # noqa: DTZ011 -- the browser's date field
    page = demo_page
    demo_site.login(page, "agent@bethune-bruay.example")

    # The commission: the officer, its secretary, records the opinion.
    page.goto("/aides/seances/nouvelle/")
    page.get_by_label("commission ad hoc").check()
    page.get_by_label("Date").fill(today)
    page.get_by_role("button", name="Créer la séance").click()
    page.get_by_label(re.compile(reference)).check()
    page.get_by_role("button", name="Enregistrer l'ordre du jour").click()
    page.get_by_role("link", name="Saisir les avis de la séance").click()
    assert_accessible(page, context="saisie des avis")
    page.get_by_role("button", name="Enregistrer pour toute la séance").click()
    expect(page.get_by_role("status")).to_contain_text("Avis enregistrés")

    # The Bureau decides without the SIRET.
    page.goto("/aides/seances/nouvelle/")
    page.get_by_label("Bureau communautaire").check()
    page.get_by_label("Date").fill(today)
    page.get_by_role("button", name="Créer la séance").click()
    page.get_by_label(re.compile(reference)).check()
    page.get_by_role("button", name="Enregistrer l'ordre du jour").click()
    page.get_by_role("link", name="Saisir les décisions de la séance").click()
    page.get_by_label("Numéro de délibération").fill("B-NAV-1")
    page.get_by_role("button", name="Enregistrer pour toute la séance").click()
    expect(page.get_by_role("status")).to_contain_text("Décisions enregistrées")

    # The file says what is missing and who adds it; the officer adds it.
    page.get_by_role("link", name=re.compile(reference)).click()
    expect(page.get_by_role("main")).to_contain_text("Le SIRET de la structure manque")
    expect(page.get_by_role("button", name="Enregistrer la convention")).to_have_count(0)
    assert_accessible(page, context="instruction, SIRET manquant")
    page.get_by_label("SIRET de la structure bénéficiaire").fill("123")
    page.get_by_role("button", name="Enregistrer le SIRET").click()
    expect(page.get_by_role("main")).to_contain_text("SIRET non enregistré")
    page.get_by_label("SIRET de la structure bénéficiaire").fill(luhn_complete(luhn_complete("99997500") + "0001"))
    page.get_by_role("button", name="Enregistrer le SIRET").click()
    expect(page.get_by_role("status")).to_contain_text("SIRET enregistré")

    # Agreement, then the advance prefilled from the scheme (50 % of 3 000 €).
    page.get_by_label("Signée le").fill(today)
    page.get_by_role("button", name="Enregistrer la convention").click()
    expect(page.get_by_label("Montant (€)")).to_have_value("1 500")
    page.get_by_label("Versé le").fill(today)
    page.get_by_role("button", name="Enregistrer le versement").click()
    expect(page.get_by_role("status")).to_contain_text("Versement enregistré")
    expect(page.get_by_role("main")).to_contain_text("Avance de 1\u202f500,00\u00a0€")
    expect(page.get_by_role("main")).to_contain_text("SIRET du bénéficiaire ajouté")
    assert_accessible(page, context="instruction après l'avance")
    assert not js_errors, js_errors
    demo_no_third_party()


def test_the_officers_year_end_release_then_exports(demo_site, demo_page, js_errors, demo_no_third_party):
    from essaim.accounts.models import User
    from essaim.grants import services

    application = a_file(title="Atelier vélo des Alouettes", ready=False)
    officer = User.objects.get(email="agent@bethune-bruay.example")
    application.refresh_from_db()
    services.application_officer_transition(application=application, by=officer, name="mark_ready")
    page = demo_page
    demo_site.login(page, "agent@bethune-bruay.example")
    # The demo's file closed after its advance only is on the dashboard: released credits.
    page.goto("/aides/instruction/tableau-de-bord/")
    expect(page.get_by_role("main")).to_contain_text("Libérés")
    expect(page.get_by_role("main")).to_contain_text("Fil et Aiguille")
    assert_accessible(page, context="tableau de bord")
    for name in ("Synthèse pour le Bureau (PDF, une page)", "Versements (CSV)", re.compile("tableur XLSX")):
        with page.expect_download() as download:
            page.get_by_role("link", name=name).click()
        assert download.value.suggested_filename.startswith(("aides-", "bilan-aides-"))
    page.get_by_role("link", name="Échéances du solde à suivre").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Échéances du solde")
    expect(page.get_by_role("main")).to_contain_text("Laverie solidaire du Béthunois")
    assert_accessible(page, context="échéances")
    assert not js_errors, js_errors
    demo_no_third_party()


def test_the_commission_member_never_sees_the_bank_details(demo_site, demo_page, js_errors, demo_no_third_party):
    from essaim.grants.models import ApplicationDocument, Session

    session = Session.objects.filter(kind="commission", members__email="commission@bethune-bruay.example").first()
    application = session.items.first().application
    rib = ApplicationDocument.objects.get(application=application, kind="bank_details")
    page = demo_page
    demo_site.login(page, "commission@bethune-bruay.example")
    page.goto(session.get_absolute_url())
    expect(page.get_by_role("link", name=re.compile("Saisir les avis"))).to_have_count(0)
    assert_accessible(page, context="séance, membre")
    page.goto(application.get_review_url())
    expect(page.get_by_role("main")).to_contain_text("statuts")
    expect(page.get_by_role("main")).not_to_contain_text("relevé d'identité bancaire")
    assert_accessible(page, context="dossier vu par un membre de la commission")
    response = page.goto(f"/aides/demandes/{application.pk}/pieces/{rib.pk}/")
    assert response.status == 404
    assert not js_errors, js_errors
    demo_no_third_party()


pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


def test_a_new_account_from_the_simulator_signs_up_verifies_and_applies_with_the_values(
    demo_site, demo_page, js_errors, demo_no_third_party
):
    from django.core import mail

    page = demo_page
    page.goto("/aides/simulateur/?form=demarrage&fte_created=2&investment=5000")
    page.get_by_role("link", name=re.compile("avec ces montants")).click()
    expect(page).to_have_url(re.compile(r"/compte/connexion/\?next="))
    page.get_by_role("main").get_by_role("link", name=re.compile("Créer un compte")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Créer un compte")
    mail.outbox.clear()
    page.get_by_label("Adresse e-mail").fill("ines.moreau@friperie.example")
    page.get_by_label("Mot de passe").fill("une phrase de passe solide")
    page.get_by_label("J'ai lu et j'accepte les conditions d'utilisation de la plateforme.").check()
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmez votre adresse e-mail")
    (message,) = [m for m in mail.outbox if m.to == ["ines.moreau@friperie.example"]]
    page.goto(re.search(r"https?://\S+/compte/confirmer-adresse/\S+/", message.body).group(0))
    page.get_by_role("button", name="Confirmer mon adresse").click()
    # The simulated values travelled through the login, the sign-up and the verification (``next``).
    expect(page).to_have_url(re.compile(r"/aides/entreprendre-autrement/deposer/\?.*etp="))
    expect(page.get_by_role("main")).to_contain_text("2 ETP")
    assert_accessible(page, context="nouveau compte : début de la demande")
    page.get_by_role("button", name="Commencer").click()
    expect(page.locator("#amount")).to_contain_text("5\u202f000,00\u00a0€")
    assert not js_errors, js_errors
    demo_no_third_party()
