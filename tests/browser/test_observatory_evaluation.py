"""The yearly evaluation in a real browser, on the demo territories and accounts: the officer finds the evaluation
from « Mon espace », writes a fiche's evaluation (a refused submission keeps what she typed), enters an indicator's
value and submits; the territory admin validates it; the officer downloads the report (PDF); the elected member
reads the report's page from her space. Every page is checked by axe-core."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible

SLUG = "bethune-bruay"
ACHIEVEMENTS = "Le portail publie l'annuaire, la carte et l'agenda ; quarante structures ont mis leur fiche à jour."


def login(page, email):
    from essaim.accounts.demo import DEMO_PASSWORD

    page.context.clear_cookies()
    page.goto("/compte/connexion/?next=/compte/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")


def test_write_submit_validate_download_and_read_the_report(page, live_demo, js_errors, assert_no_third_party):
    from essaim.observatory.enums import EvaluationStatus
    from essaim.observatory.models import SheetEvaluation
    from essaim.territories.models import IndicatorValue

    year = timezone.localdate().year

    # The officer finds the evaluation from her space, then the year and fiche 6 (le portail ESS).
    login(page, "agent@bethune-bruay.example")
    page.get_by_role("link", name="Évaluation annuelle et rapport aux élu·es").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Évaluation annuelle des fiches action")
    assert_accessible(page, context="années d'évaluation")
    page.get_by_role("link", name=f"Évaluation {year}", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Évaluation {year}")
    assert_accessible(page, context="fiches de l'année")
    page.get_by_role("link", name=re.compile(r"^Fiche 6")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fiche 6")
    assert_accessible(page, context="évaluation d'une fiche")

    # Submitting without axes de progrès is refused in French; what she typed stays.
    page.get_by_label("Réalisations de l'année").fill(ACHIEVEMENTS)
    page.get_by_role("button", name="Soumettre à validation").click()
    expect(page.locator(".error-summary")).to_contain_text("Donnez au moins un axe de progrès")
    expect(page.get_by_label("Réalisations de l'année")).to_have_value(ACHIEVEMENTS)
    assert_accessible(page, context="évaluation refusée")

    # She enters the year's value of an indicator when the fiche has one to enter.
    if page.get_by_role("button", name="Enregistrer la valeur").count() == 1:
        page.get_by_label("Valeur de l'année").fill("42")
        page.get_by_label("Source", exact=True).fill("Statistiques du portail")
        page.get_by_role("button", name="Enregistrer la valeur").click()
        expect(page.locator(".messages")).to_contain_text("La valeur de l'indicateur est enregistrée")
        assert IndicatorValue.objects.filter(year=year, entered_by__email="agent@bethune-bruay.example").count() == 1
        page.get_by_label("Réalisations de l'année").fill(ACHIEVEMENTS)

    page.get_by_label("Axes de progrès").fill("Faire vérifier leur fiche par les structures les plus anciennes.")
    page.get_by_label("Avancement de la fiche").select_option("achieved")
    page.get_by_role("button", name="Soumettre à validation").click()
    expect(page.locator(".messages")).to_contain_text("soumise")
    evaluation = SheetEvaluation.objects.get(sheet__territory__slug=SLUG, sheet__number=6, year=year)
    assert evaluation.status == EvaluationStatus.SUBMITTED
    assert_accessible(page, context="évaluation soumise")

    # The territory admin validates it.
    login(page, "admin@bethune-bruay.example")
    page.goto(f"/observatoire/{SLUG}/evaluation/{year}/fiches/6/")
    page.get_by_label("Commentaire").fill("Clair et chiffré.")
    assert_accessible(page, context="décision de l'administration")
    page.get_by_role("button", name="Valider l'évaluation").click()
    expect(page.locator(".messages")).to_contain_text("validée")
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.VALIDATED
    expect(page.get_by_role("button", name="Soumettre à validation")).to_have_count(0)

    # The officer downloads the report.
    login(page, "agent@bethune-bruay.example")
    page.goto(f"/observatoire/{SLUG}/evaluation/{year}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le rapport (PDF)").click()
    assert download.value.suggested_filename == f"rapport-evaluation-{SLUG}-{year}.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"

    # The elected member reads the report from her space.
    login(page, "elu@bethune-bruay.example")
    page.get_by_role("link", name="Évaluation annuelle et rapport aux élu·es").first.click()
    page.get_by_role("link", name=f"Rapport {year}", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Rapport d'évaluation {year} de la politique ESS")
    expect(page.get_by_role("main")).to_contain_text(ACHIEVEMENTS)
    assert_accessible(page, context="rapport aux élu·es")
    expect(page.get_by_role("button", name="Valider l'évaluation")).to_have_count(0)
    assert not js_errors, f"Erreurs JavaScript sur {page.url} : {js_errors}"
    assert_no_third_party()
