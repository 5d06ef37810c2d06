"""The applicant's path through the pages: open a draft, fill every step (saved each time), file, follow."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from essaim.grants.enums import AccessAction, ApplicationState
from essaim.grants.models import AccessLog, Application
from tests.directory.factories import StructureFactory
from tests.grants.conftest import PDF


@pytest.fixture
def applicant_client(client, world):
    client.force_login(world.applicant)
    return client


def step_url(application, step):
    return reverse("grants:step", args=[application.pk, step])


def test_the_whole_application_through_the_pages(applicant_client, world, django_capture_on_commit_callbacks):
    client = applicant_client
    structure = StructureFactory(name="Recyclerie de Lens", commune=world.commune)
    response = client.post(reverse("grants:apply", args=[world.scheme.slug]), {"form": "developpement"})
    assert response.status_code == 200 and "Précisez le cas" in response.content.decode()
    response = client.post(
        reverse("grants:apply", args=[world.scheme.slug]), {"form": "developpement", "development_case": "pooling"}
    )
    application = Application.objects.get(applicant=world.applicant)
    assert response.url == step_url(application, "structure")

    # The structure, searched in the directory by name.
    page = client.get(step_url(application, "structure"), {"q": "recyclerie"}).content.decode()
    assert "Recyclerie de Lens" in page
    response = client.post(
        step_url(application, "structure"), {"origin": "annuaire", "structure": structure.pk, "continuer": "1"}
    )
    assert response.url == step_url(application, "projet")
    application.refresh_from_db()
    assert application.structure == structure and application.steps_done == ["structure"]

    # The project: a typed value that is wrong keeps what was typed and says why.
    response = client.post(
        step_url(application, "projet"),
        {
            "project_title": "Camion partagé",
            "project_summary": "Mutualiser un camion.",
            "project_commune": world.commune.pk,
            "project_budget": "-3",
        },
    )
    page = response.content.decode()
    assert "négative" in page and "Camion partagé" in page
    client.post(
        step_url(application, "projet"),
        {
            "project_title": "Camion partagé",
            "project_summary": "Mutualiser un camion.",
            "project_commune": world.commune.pk,
            "project_budget": "30 000",
        },
    )
    client.post(step_url(application, "emplois"), {"fte_created": "1,5", "jobs_description": "Un chauffeur."})
    page = client.get(step_url(application, "investissement")).content.decode()
    assert 'hx-get="/aides/demandes/' in page  # the amount is recomputed as typed
    client.post(
        step_url(application, "investissement"),
        {"investment_excl_vat": "20000", "investment_description": "Camion."},
    )
    application.refresh_from_db()
    assert application.computed_amount == Decimal("6000.00")  # 3 000 + 20 % × 15 000 (capped)

    # The live amount, as htmx asks for it.
    response = client.get(reverse("grants:amount", args=[application.pk]), {"fte_created": "2"})
    assert "7\u202f000,00\u00a0€" in response.content.decode()

    # The financing plan.
    data = {
        "ressources-TOTAL_FORMS": "3",
        "ressources-INITIAL_FORMS": "0",
        "ressources-MIN_NUM_FORMS": "0",
        "ressources-MAX_NUM_FORMS": "20",
        "ressources-0-kind": "own",
        "ressources-0-funder": "Fonds propres",
        "ressources-0-amount": "24 000",
    }
    client.post(step_url(application, "financement"), data)
    assert application.funding_lines.get().amount == Decimal("24000.00")

    # The documents: a fake PDF is refused, a real one accepted.
    response = client.post(
        step_url(application, "pieces"),
        {"kind": "statutes", "file": SimpleUploadedFile("statuts.pdf", b"GIF89a not a pdf")},
    )
    assert "ni un PDF" in response.content.decode()
    client.post(step_url(application, "pieces"), {"kind": "statutes", "file": SimpleUploadedFile("statuts.pdf", PDF)})
    assert application.documents.count() == 1

    # File it.
    page = client.get(application.get_absolute_url()).content.decode()
    assert "La demande est complète" in page
    summary = client.get(reverse("grants:submit", args=[application.pk])).content.decode()
    assert "Attestation sur l'honneur" in summary and "Plan de financement" in summary
    # Without the sworn statement, nothing is filed: the error summary says so.
    response = client.post(reverse("grants:submit", args=[application.pk]))
    assert "Erreur\u00a0: " in response.content.decode() and "Cochez l&#x27;attestation" in response.content.decode()
    application.refresh_from_db()
    assert application.state == ApplicationState.DRAFT
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("grants:submit", args=[application.pk]), {"attested": "on"})
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    assert application.attested_by == world.applicant and application.attested_at is not None
    assert application.attestation_text.startswith("J'atteste sur l'honneur")
    assert world.applicant.email in [m.to[0] for m in mail.outbox]
    assert world.officer.email in [to for m in mail.outbox for to in m.to]

    # Filed: the steps no longer change it.
    response = client.get(step_url(application, "emplois"))
    assert response.url == application.get_absolute_url()
    client.post(step_url(application, "emplois"), {"fte_created": "4"})
    application.refresh_from_db()
    assert application.fte_created == Decimal("1.50")
    assert AccessLog.objects.filter(application=application, action=AccessAction.VIEW, user=world.applicant).exists()


def test_a_new_structure_without_siret_nor_rna_is_saved_its_siret_comes_later(applicant_client, world):
    """An association being created has no SIRET yet: its step is saved, the SIRET is asked before the agreement."""
    application = world.draft(complete=False)
    response = applicant_client.post(
        step_url(application, "structure"),
        {"origin": "nouvelle", "new_structure_name": "Café", "new_structure_family": "association"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.new_structure_name == "Café" and application.beneficiary_siret == ""


def test_an_incomplete_file_cannot_be_filed_from_the_page(applicant_client, world):
    application = world.draft(complete=False)
    response = applicant_client.post(reverse("grants:submit", args=[application.pk]), {"attested": "on"}, follow=True)
    assert "La structure" in response.content.decode()
    application.refresh_from_db()
    assert application.state == ApplicationState.DRAFT


def test_the_applicant_withdraws_and_writes(applicant_client, world):
    application = world.at(ApplicationState.UNDER_REVIEW)
    applicant_client.post(reverse("grants:message", args=[application.pk]), {"body": "Une question."})
    assert application.messages.get().body == "Une question."
    page = applicant_client.get(reverse("grants:withdraw", args=[application.pk])).content.decode()
    assert "Voulez-vous vraiment retirer" in page
    applicant_client.post(reverse("grants:withdraw", args=[application.pk]), {"comment": "Projet reporté."})
    application.refresh_from_db()
    assert application.state == ApplicationState.WITHDRAWN


def test_the_applicant_follows_the_decision_and_gets_the_letter(applicant_client, world):
    application = world.at(ApplicationState.IN_PAYMENT)
    page = applicant_client.get(application.get_absolute_url()).content.decode()
    assert "subvention accordée" in page and "Avance de 3\u202f000,00\u00a0€" in page
    assert "Grille d'instruction" not in page  # private notes never reach the applicant
    response = applicant_client.get(reverse("grants:decision_letter", args=[application.pk]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_my_applications_lists_only_mine(applicant_client, world):
    mine = world.draft(complete=False)
    theirs = world.draft(applicant=world.other_applicant, complete=False)
    page = applicant_client.get(reverse("grants:my_applications")).content.decode()
    assert mine.reference in page and theirs.reference not in page


def test_documents_are_downloaded_through_a_checked_and_logged_view(applicant_client, world):
    application = world.draft()
    document = application.documents.get()
    response = applicant_client.get(reverse("grants:document", args=[application.pk, document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content == PDF
    assert "attachment" in response["Content-Disposition"]
    assert AccessLog.objects.filter(action=AccessAction.DOWNLOAD, user=world.applicant).exists()
