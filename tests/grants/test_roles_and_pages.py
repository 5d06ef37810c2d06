"""Roles on grant files, tried across roles and territories; the pages of the new paths (SIRET, proof of jobs,
reversement, deadlines, simulator to draft, funding rows without JavaScript); query counts and cached PDFs."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from essaim.grants import services
from essaim.grants.enums import ApplicationState as S
from essaim.grants.enums import DocumentKind, MovementKind
from essaim.grants.models import Application, CreditMovement
from tests.accounts.factories import MembershipFactory
from tests.directory.factories import luhn_siret
from tests.grants.conftest import PDF
from tests.territories.factories import TerritoryFactory


def upload(name="rib.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def on_agenda(world):
    """A file with bank details and an identity document, on the agenda of the member's commission."""
    application = world.draft()
    for kind, name in ((DocumentKind.BANK_DETAILS, "rib.pdf"), (DocumentKind.IDENTITY, "identite.pdf")):
        services.document_add(application=application, by=world.applicant, kind=kind, upload=upload(name))
    services.application_submit(application=application, by=world.applicant, attested=True)
    services.application_officer_transition(application=application, by=world.officer, name="start_review")
    from tests.grants.conftest import EXAMINATION

    services.examination_save(application=application, by=world.officer, values=EXAMINATION)
    services.application_officer_transition(application=application, by=world.officer, name="mark_ready")
    world.commission([Application.objects.get(pk=application.pk)])
    return Application.objects.get(pk=application.pk)


def test_a_commission_member_never_sees_nor_downloads_bank_details_or_identity(client, world, on_agenda):
    documents = {d.kind: d for d in on_agenda.documents.all()}
    client.force_login(world.member)
    page = client.get(on_agenda.get_review_url()).content.decode()
    assert "statuts.pdf" in page
    assert "rib.pdf" not in page and "identite.pdf" not in page
    for kind in (DocumentKind.BANK_DETAILS, DocumentKind.IDENTITY):
        url = reverse("grants:document", args=[on_agenda.pk, documents[kind].pk])
        assert client.get(url).status_code == 404
    assert (
        client.get(reverse("grants:document", args=[on_agenda.pk, documents[DocumentKind.STATUTES].pk])).status_code
        == 200
    )
    # The officer and the applicant do read them.
    for user in (world.officer, world.applicant):
        client.force_login(user)
        url = reverse("grants:document", args=[on_agenda.pk, documents[DocumentKind.BANK_DETAILS].pk])
        assert client.get(url).status_code == 200


def test_a_member_not_called_to_the_sitting_or_of_another_territory_sees_nothing(client, world, on_agenda):
    for user in (world.absent_member, world.foreign_member, world.foreign_officer):
        client.force_login(user)
        assert client.get(on_agenda.get_review_url()).status_code == 404


def test_an_elected_member_reads_the_dashboard_with_names_and_amounts_and_changes_nothing(client, world):
    application = world.at(S.IN_PAYMENT)
    elected = MembershipFactory(territory=world.territory, elected=True).user
    client.force_login(elected)
    page = client.get(reverse("grants:dashboard") + "?annee=2026").content.decode()
    assert application.beneficiary_name in page and "6\u202f000,00\u00a0€" in page
    assert application.applicant.email not in page
    assert "Enregistrer les crédits" not in page and "(CSV)" not in page
    assert "Synthèse pour le Bureau" in page
    assert application.get_review_url() not in page
    assert client.get(application.get_review_url()).status_code == 404
    assert client.get(reverse("grants:queue")).status_code == 403
    response = client.post(reverse("grants:envelope_save", args=[world.scheme.slug]), {"year": "2026", "credits": "1"})
    assert response.status_code == 403
    export = f"?territoire={world.territory.slug}&annee=2026"
    assert client.get(reverse("grants:export_xlsx") + export).status_code == 403
    assert client.get(reverse("grants:summary_pdf") + export).status_code == 200
    # An elected member of another territory reads nothing of this one.
    other = MembershipFactory(territory=TerritoryFactory(), elected=True).user
    client.force_login(other)
    assert client.get(reverse("grants:dashboard") + f"?territoire={world.territory.slug}").status_code == 404


def test_an_officer_without_a_scheme_is_not_offered_a_new_sitting(client, world):
    lonely = MembershipFactory(territory=TerritoryFactory()).user
    client.force_login(lonely)
    assert "Nouvelle séance" not in client.get(reverse("grants:sessions")).content.decode()
    client.force_login(world.officer)
    assert "Nouvelle séance" in client.get(reverse("grants:sessions")).content.decode()


def test_the_siret_is_added_from_the_file_by_the_applicant_and_shown_missing_to_the_officer(client, world):
    application = world.at(S.GRANTED)
    Application.objects.filter(pk=application.pk).update(new_structure_siret="")
    client.force_login(world.officer)
    page = client.get(application.get_review_url()).content.decode()
    assert "Le SIRET de la structure manque" in page and "Enregistrer la convention" not in page
    client.force_login(world.other_applicant)
    siret = luhn_siret("999900088", 3)
    assert client.post(reverse("grants:add_siret", args=[application.pk]), {"siret": siret}).status_code == 404
    client.force_login(world.applicant)
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Le SIRET de la structure manque" in page
    response = client.post(reverse("grants:add_siret", args=[application.pk]), {"siret": "123"}, follow=True)
    assert "SIRET non enregistré" in response.content.decode()
    client.post(reverse("grants:add_siret", args=[application.pk]), {"siret": siret})
    application.refresh_from_db()
    assert application.beneficiary_siret == siret
    client.force_login(world.officer)
    assert "Enregistrer la convention" in client.get(application.get_review_url()).content.decode()


def test_the_applicant_justifies_the_balance_and_the_officer_pays_it_prefilled(client, world):
    application = world.at(S.IN_PAYMENT)
    client.force_login(world.applicant)
    assert "Justificatifs du solde" in client.get(application.get_absolute_url()).content.decode()
    client.post(
        reverse("grants:justify", args=[application.pk]), {"fte_achieved": "1", "proof": upload("emplois.pdf")}
    )
    application.refresh_from_db()
    assert application.fte_achieved == Decimal("1.00")
    client.force_login(world.officer)
    page = client.get(application.get_review_url()).content.decode()
    # 1 ETP instead of 2: the grant becomes 2 000 + 2 000 = 4 000 €, 3 000 € were advanced, 1 000 € are left.
    assert 'value="1 000"' in page
    assert "Justificatifs du solde déposés" in page


def test_a_reversement_through_the_page(client, world):
    application = world.at(S.CLOSED)
    client.force_login(world.officer)
    client.post(
        reverse("grants:recovery", args=[application.pk]),
        {"amount": "500", "on": "2026-11-02", "comment": "Emplois non maintenus."},
    )
    movement = CreditMovement.objects.get(application=application)
    assert (movement.kind, movement.amount) == (MovementKind.RECOVERY, Decimal("500.00"))
    client.force_login(world.foreign_officer)
    assert client.post(reverse("grants:recovery", args=[application.pk]), {"amount": "1"}).status_code == 404


def test_the_deadlines_list_shows_files_close_to_or_past_their_deadline(client, world):
    application = world.at(S.IN_PAYMENT)  # agreement signed on 20 March 2026, 24 months
    client.force_login(world.officer)
    page = client.get(reverse("grants:deadlines")).content.decode()
    due = services.deadlines_due(today=datetime.date(2028, 3, 1))
    assert [d.application for d in due] == [application] and due[0].deadline == datetime.date(2028, 3, 20)
    assert services.deadlines_due(today=datetime.date(2027, 1, 1)) == []
    assert "Aucun dossier" in page
    client.force_login(world.member)
    assert client.get(reverse("grants:deadlines")).status_code == 403


def test_simulated_values_are_carried_into_the_new_draft_through_the_login(client, world):
    url = reverse("grants:apply", args=[world.scheme.slug]) + "?forme=demarrage&etp=5,5&investissement=20000"
    response = client.get(url)
    assert response.status_code == 302 and "etp%3D5%2C5" in response["Location"]
    client.force_login(world.applicant)
    page = client.get(url).content.decode()
    assert "5,5" in page and 'name="etp"' in page
    client.post(url, {"form": "demarrage", "etp": "5.50", "investissement": "20000.00"})
    application = Application.objects.get(applicant=world.applicant)
    assert (application.fte_created, application.investment_excl_vat, application.computed_amount) == (
        Decimal("5.50"),
        Decimal("20000.00"),
        Decimal("11000.00"),
    )
    assert application.steps_done == []


def test_the_simulator_offers_to_apply_with_its_values(client, world):
    page = client.get(
        reverse("grants:simulator"),
        {"dispositif": world.scheme.slug, "form": "demarrage", "fte_created": "2", "investment": "1000"},
    ).content.decode()
    assert "une demande avec ces montants" in page  # anonymous: through the login or sign-up, values in next
    assert "etp%3D2" in page and "investissement%3D1000" in page


def test_the_funding_plan_takes_any_number_of_rows_without_javascript(client, world):
    application = world.draft(complete=False)
    client.force_login(world.applicant)
    url = reverse("grants:step", args=[application.pk, "financement"])
    rows = {"ressources-TOTAL_FORMS": "1", "ressources-INITIAL_FORMS": "0"}
    rows.update({"ressources-0-kind": "own", "ressources-0-funder": "Fonds propres", "ressources-0-amount": "100"})
    page = client.post(url, {**rows, "ajouter_ligne": "1"}).content.decode()
    assert 'name="ressources-TOTAL_FORMS" value="2"' in page and "Fonds propres" in page
    for index in range(1, 4):
        rows.update(
            {
                f"ressources-{index}-kind": "public",
                f"ressources-{index}-funder": f"Financeur {index}",
                f"ressources-{index}-amount": "10",
            }
        )
    rows["ressources-TOTAL_FORMS"] = "4"
    client.post(url, rows)
    assert application.funding_lines.count() == 4
    client.post(url, {**rows, "ressources-INITIAL_FORMS": "4"})  # saved again unchanged: the rows stay
    assert application.funding_lines.count() == 4


def test_the_review_page_reads_the_funding_total_once(client, world, django_assert_max_num_queries):
    application = world.at(S.UNDER_REVIEW)
    client.force_login(world.officer)
    client.get(application.get_review_url())
    with django_assert_max_num_queries(40) as queries:
        client.get(application.get_review_url())
    funding = [q for q in queries.captured_queries if "grants_fundingline" in q["sql"]]
    assert len(funding) == 1


def test_a_sitting_pdf_is_rendered_once_until_its_data_changes(client, world, monkeypatch):
    from essaim.www.grants.views import sessions

    application = world.at(S.READY_FOR_COMMISSION)
    session = world.commission([application])
    renders = []

    def fake(*, session):
        renders.append(session.pk)
        return b"%PDF-1.4 fake"

    monkeypatch.setattr(sessions, "session_agenda_pdf", fake)
    client.force_login(world.officer)
    url = reverse("grants:session_agenda", args=[session.pk])
    assert client.get(url).content == b"%PDF-1.4 fake"
    client.get(url)
    assert len(renders) == 1
    application.refresh_from_db()
    application.project_title = "Nouveau titre"
    application.save()
    client.get(url)
    assert len(renders) == 2
