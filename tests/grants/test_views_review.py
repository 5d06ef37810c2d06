"""The officers' and the commission's pages: queue, instruction, sittings recorded on one screen, PDFs, payments,
credits dashboard."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from essaim.grants.enums import ApplicationState, DecisionOutcome
from essaim.grants.models import Decision, Examination, Session
from tests.grants.conftest import EXAMINATION, PDF

S = ApplicationState


@pytest.fixture
def officer_client(client, world):
    client.force_login(world.officer)
    return client


def pdf_text(response):
    assert response["Content-Type"] == "application/pdf"
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def formset_data(prefix, rows):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(len(rows)),  # as the page renders it: one initial row per file
        f"{prefix}-MIN_NUM_FORMS": str(len(rows)),
        f"{prefix}-MAX_NUM_FORMS": str(len(rows)),
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data


def test_the_queue_filters(officer_client, world):
    submitted = world.at(S.SUBMITTED)
    reviewed = world.at(S.UNDER_REVIEW)
    draft = world.draft(complete=False)
    closed = world.at(S.CLOSED)
    page = officer_client.get(reverse("grants:queue")).content.decode()
    assert submitted.reference in page and reviewed.reference in page
    assert draft.reference not in page  # drafts are the applicant's
    assert closed.reference not in page  # not to process any more
    page = officer_client.get(reverse("grants:queue"), {"state": "closed"}).content.decode()
    assert closed.reference in page and submitted.reference not in page
    page = officer_client.get(reverse("grants:queue"), {"q": submitted.project_title}).content.decode()
    assert submitted.reference in page and reviewed.reference not in page
    page = officer_client.get(reverse("grants:queue"), {"assigned": "me"}).content.decode()
    assert submitted.reference not in page


def test_instruction_through_the_pages(officer_client, world):
    application = world.at(S.SUBMITTED)
    review_url = application.get_review_url()
    assert application.reference in officer_client.get(review_url).content.decode()
    officer_client.post(reverse("grants:assign", args=[application.pk]), {"officer": world.officer.pk})
    officer_client.post(reverse("grants:transition", args=[application.pk, "start_review"]))
    application.refresh_from_db()
    assert (application.state, application.assigned_to) == (S.UNDER_REVIEW, world.officer)

    # Not ready without the grid.
    response = officer_client.post(reverse("grants:transition", args=[application.pk, "mark_ready"]), follow=True)
    assert "Complétez la grille" in response.content.decode()
    officer_client.post(reverse("grants:examination", args=[application.pk]), EXAMINATION)
    assert Examination.objects.get(application=application).is_complete
    officer_client.post(reverse("grants:transition", args=[application.pk, "mark_ready"]))
    application.refresh_from_db()
    assert application.state == S.READY_FOR_COMMISSION

    # A transition that is not the officers' to fire from this page is refused.
    assert officer_client.post(reverse("grants:transition", args=[application.pk, "grant"])).status_code == 403


def test_request_for_pieces_needs_a_comment(officer_client, world):
    application = world.at(S.UNDER_REVIEW)
    response = officer_client.post(reverse("grants:transition", args=[application.pk, "request_pieces"]), follow=True)
    assert "demande un commentaire" in response.content.decode()
    officer_client.post(
        reverse("grants:transition", args=[application.pk, "request_pieces"]), {"comment": "Le RIB, merci."}
    )
    application.refresh_from_db()
    assert application.state == S.INCOMPLETE and application.messages.get().is_request_for_pieces


def test_commission_and_bureau_sittings_on_one_screen_each(officer_client, world):
    first, second = world.at(S.READY_FOR_COMMISSION), world.at(S.READY_FOR_COMMISSION)
    response = officer_client.post(
        reverse("grants:session_create"),
        {"kind": "commission", "date": "2026-03-01", "place": "Béthune", "members": [world.member.pk]},
    )
    commission = Session.objects.get(kind="commission")
    assert response.url == commission.get_absolute_url()
    officer_client.post(commission.get_absolute_url(), {"applications": [first.pk, second.pk]})
    assert commission.items.count() == 2

    record_url = reverse("grants:session_record", args=[commission.pk])
    page = officer_client.get(record_url).content.decode()
    assert first.reference in page and second.reference in page
    too_much = formset_data(
        "seance",
        [
            {"opinion": "favourable", "proposed_amount": "6000,01"},
            {"opinion": "unfavourable", "proposed_amount": ""},
        ],
    )
    page = officer_client.post(record_url, too_much).content.decode()
    assert "ne peut pas dépasser le montant calculé" in page
    first.refresh_from_db()
    assert first.state == S.READY_FOR_COMMISSION
    officer_client.post(
        record_url,
        formset_data(
            "seance",
            [{"opinion": "favourable", "proposed_amount": "5000"}, {"opinion": "unfavourable", "proposed_amount": ""}],
        ),
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == second.state == S.COMMISSION_REVIEWED
    assert first.latest_opinion.proposed_amount == Decimal("5000.00")

    agenda = pdf_text(officer_client.get(reverse("grants:session_agenda", args=[commission.pk])))
    assert "ordre du jour" in agenda and first.reference in agenda
    minutes = pdf_text(officer_client.get(reverse("grants:session_minutes", args=[commission.pk])))
    assert "procès-verbal" in minutes and "favorable" in minutes

    officer_client.post(reverse("grants:session_create"), {"kind": "bureau", "date": "2026-03-12", "place": ""})
    bureau = Session.objects.get(kind="bureau")
    officer_client.post(bureau.get_absolute_url(), {"applications": [first.pk, second.pk]})
    record_url = reverse("grants:session_record", args=[bureau.pk])
    page = officer_client.post(
        record_url,
        formset_data(
            "seance",
            [
                {
                    "outcome": "granted",
                    "amount": "5000,01",
                    "deliberation_number": "B1",
                    "deliberation_date": "2026-03-12",
                },
                {"outcome": "refused", "amount": "", "deliberation_number": "B2", "deliberation_date": "2026-03-12"},
            ],
        ),
    ).content.decode()
    assert "ne peut pas dépasser le montant proposé" in page
    officer_client.post(
        record_url,
        formset_data(
            "seance",
            [
                {
                    "outcome": "granted",
                    "amount": "5000",
                    "deliberation_number": "B1",
                    "deliberation_date": "2026-03-12",
                },
                {"outcome": "refused", "amount": "", "deliberation_number": "B2", "deliberation_date": "2026-03-12"},
            ],
        ),
    )
    assert Decision.objects.get(application=first).outcome == DecisionOutcome.GRANTED
    first.refresh_from_db()
    assert first.state == S.GRANTED

    letter = pdf_text(officer_client.get(reverse("grants:decision_letter", args=[first.pk])))
    words = " ".join(letter.replace("\u202f", " ").replace("\xa0", " ").split())
    assert "délibération n° B1 du 12 mars 2026" in words and "vous attribue une subvention de 5 000,00 €" in words
    assert "La subvention est versée après la signature de la convention." in words  # no terms of its own: the default


def test_agreement_payments_and_closing_through_the_pages(officer_client, world):
    application = world.at(S.GRANTED)
    officer_client.post(
        reverse("grants:agreement", args=[application.pk]), {"signed_on": "2026-03-20", "reference": "C1"}
    )
    pay = reverse("grants:payment", args=[application.pk])
    officer_client.post(pay, {"kind": "advance", "amount": "3000", "paid_on": "2026-04-01"})
    officer_client.post(
        reverse("grants:justify", args=[application.pk]),
        {"fte_achieved": "2", "proof": SimpleUploadedFile("emplois.pdf", PDF, content_type="application/pdf")},
    )
    response = officer_client.post(pay, {"kind": "balance", "amount": "3000,01", "paid_on": "2026-09-01"}, follow=True)
    assert "au-delà du montant accordé" in response.content.decode()
    officer_client.post(pay, {"kind": "balance", "amount": "3000", "paid_on": "2026-09-01"})
    officer_client.post(reverse("grants:transition", args=[application.pk, "close"]))
    application.refresh_from_db()
    assert application.state == S.CLOSED and application.paid_total == Decimal("6000.00")


def test_the_dashboard_shows_credits_committed_paid_remaining_and_indicators(officer_client, world):
    world.at(S.IN_PAYMENT)
    page = officer_client.get(reverse("grants:dashboard")).content.decode()
    for amount in ("40\u202f000,00\u00a0€", "6\u202f000,00\u00a0€", "3\u202f000,00\u00a0€", "34\u202f000,00\u00a0€"):
        assert amount in page
    assert "Emplois créés (ETP)" in page
    response = officer_client.post(
        reverse("grants:envelope_save", args=[world.scheme.slug]), {"year": "2027", "credits": "50 000"}, follow=True
    )
    assert "Crédits 2027 enregistrés" in response.content.decode()
    response = officer_client.post(
        reverse("grants:envelope_save", args=[world.scheme.slug]), {"year": "2026", "credits": "100"}, follow=True
    )
    assert "déjà engagés" in response.content.decode()


def test_a_commission_member_reads_the_sitting_but_never_records_it(client, world):
    """The officer is the commission's secretary: recording opinions is the officer's act, never a member's."""
    application = world.at(S.READY_FOR_COMMISSION)
    commission = world.commission([application])
    client.force_login(world.member)
    assert client.get(application.get_review_url()).status_code == 200
    assert client.get(commission.get_absolute_url()).status_code == 200
    assert "Saisir les avis" not in client.get(commission.get_absolute_url()).content.decode()
    assert client.get(reverse("grants:session_record", args=[commission.pk])).status_code == 403
    response = client.post(
        reverse("grants:session_record", args=[commission.pk]),
        formset_data("seance", [{"opinion": "favourable", "proposed_amount": "6000"}]),
    )
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.state == S.READY_FOR_COMMISSION
    assert (
        client.post(reverse("grants:transition", args=[application.pk, "drop"]), {"comment": "x"}).status_code == 404
    )


def test_dates_default_to_the_sitting(officer_client, world):
    application = world.at(S.COMMISSION_REVIEWED)
    bureau = world.bureau([application])
    page = officer_client.get(reverse("grants:session_record", args=[bureau.pk])).content.decode()
    assert bureau.date.isoformat() in page
    assert isinstance(bureau.date, datetime.date)
