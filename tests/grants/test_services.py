"""The services: a complete file before filing, balanced financing, checked documents, amounts that never exceed
what the step before allowed, the year's credits, payments, mails after commit, the access log."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from essaim.grants import services
from essaim.grants.enums import (
    AccessAction,
    ApplicationState,
    DecisionOutcome,
    DocumentKind,
    GrantForm,
    Opinion,
    PaymentKind,
)
from essaim.grants.models import AccessLog, CommissionOpinion, Decision, RuleVersion
from essaim.grants.workflow import TransitionError
from tests.grants.conftest import DELIBERATION_DAY, PDF

S = ApplicationState


PAID_DAY = datetime.date(2026, 4, 1)


def test_a_draft_keeps_the_rule_in_force_and_a_filed_file_keeps_its_version(world):
    application = world.at(S.SUBMITTED)
    assert application.computed_amount == Decimal("6000.00")  # 2 FTE × 2 000 + 20 % × 10 000
    RuleVersion.objects.create(
        scheme=world.scheme,
        valid_from=datetime.date(2020, 1, 1),
        amount_per_fte=Decimal("3000"),
        fte_cap=Decimal("4"),
        investment_rate=Decimal("0.3"),
        investment_base_cap=Decimal("15000"),
    )
    application.refresh_from_db()
    assert application.rule.valid_from == datetime.date(2014, 1, 1)
    assert application.computed_amount == Decimal("6000.00")
    draft = world.draft()
    assert draft.rule.valid_from == datetime.date(2020, 1, 1)
    assert draft.computed_amount == Decimal("9000.00")


def test_an_empty_draft_cannot_be_filed_and_says_what_is_missing(world):
    application = world.draft(complete=False)
    with pytest.raises(ValidationError) as excinfo:
        services.application_submit(application=application, by=world.applicant, attested=True)
    text = " ".join(excinfo.value.messages)
    for expected in ("La structure", "l'intitulé", "commune", "emplois ou investir", "budget total", "statuts"):
        assert expected in text
    application.refresh_from_db()
    assert application.state == S.DRAFT


def test_the_financing_plan_must_balance_the_budget(world):
    application = world.draft(budget="50000")
    services.application_set_funding(
        application=application,
        by=world.applicant,
        lines=[{"kind": "own", "funder": "Fonds propres", "amount": Decimal("1000"), "is_secured": True}],
    )
    application.refresh_from_db()
    assert services.financing_gap(application) == Decimal("-43000.00")
    with pytest.raises(ValidationError, match="ne couvrent pas le budget du projet.*écart de 43"):
        services.application_submit(application=application, by=world.applicant, attested=True)


def test_the_project_must_be_on_the_territory(world):
    application = world.draft()
    application = services.application_save_step(
        application=application, by=world.applicant, step="projet", values={"project_commune": world.outside}
    )
    with pytest.raises(ValidationError, match="n'est pas sur le territoire"):
        services.application_submit(application=application, by=world.applicant, attested=True)


def test_a_closed_scheme_takes_no_new_application(world):
    world.scheme.periods.update(ends_on=datetime.date(2001, 1, 1))
    with pytest.raises(ValidationError, match="pas ouvert"):
        services.application_create(scheme=world.scheme, applicant=world.applicant, form=GrantForm.START)


def test_only_the_applicant_edits_and_only_while_draft_or_incomplete(world):
    application = world.draft()
    with pytest.raises(ValidationError, match="Seul le demandeur"):
        services.application_save_step(
            application=application, by=world.other_applicant, step="emplois", values={"fte_created": Decimal("1")}
        )
    services.application_submit(application=application, by=world.applicant, attested=True)
    with pytest.raises(ValidationError, match="ne peut plus être modifiée"):
        services.application_save_step(
            application=application, by=world.applicant, step="emplois", values={"fte_created": Decimal("3")}
        )


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"MZ\x90\x00 not a pdf", "statuts.pdf", "ni un PDF"),
        (b"<html><script>alert(1)</script>", "photo.png", "ni un PDF"),
        (b"\x89PNG\r\n\x1a\n broken", "photo.png", "illisible"),
        (b"", "vide.pdf", "vide"),
    ],
)
def test_documents_are_checked_by_content_not_by_name(world, content, name, message):
    application = world.draft(complete=False)
    with pytest.raises(ValidationError, match=message):
        services.document_add(
            application=application,
            by=world.applicant,
            kind=DocumentKind.STATUTES,
            upload=SimpleUploadedFile(name, content, content_type="application/pdf"),
        )
    assert not application.documents.exists()


def test_documents_have_a_size_limit(world, settings):
    settings.ESSAIM_GRANTS_MAX_DOCUMENT_BYTES = 100
    application = world.draft(complete=False)
    with pytest.raises(ValidationError, match="la limite est de"):
        services.document_add(
            application=application,
            by=world.applicant,
            kind=DocumentKind.STATUTES,
            upload=SimpleUploadedFile("gros.pdf", PDF + b"0" * 200),
        )


def test_documents_are_stored_in_the_private_root_with_a_name_nobody_can_guess(world, settings):
    application = world.draft(complete=False)
    document = services.document_add(
        application=application,
        by=world.applicant,
        kind=DocumentKind.STATUTES,
        upload=SimpleUploadedFile("Statuts de l'association.pdf", PDF, content_type="text/plain"),
    )
    assert document.content_type == "application/pdf"  # read from the content, not from the browser
    assert document.original_name == "Statuts de l'association.pdf"
    assert "Statuts" not in document.file.name and document.file.name.startswith("grants/private/")
    assert len(document.file.name.rsplit("/", 1)[-1]) > 30
    assert str(document.file.path).startswith(str(settings.ESSAIM_PRIVATE_ROOT))  # outside MEDIA_ROOT


def test_ready_for_commission_requires_a_complete_examination_grid(world):
    application = world.at(S.UNDER_REVIEW)
    with pytest.raises(TransitionError, match="grille d'instruction"):
        services.application_officer_transition(application=application, by=world.officer, name="mark_ready")
    services.examination_save(application=application, by=world.officer, values={"ess_status": "met"})
    with pytest.raises(TransitionError, match="grille d'instruction"):
        services.application_officer_transition(application=application, by=world.officer, name="mark_ready")


def test_asking_for_pieces_writes_a_message_and_mails_the_applicant_after_commit(
    world, django_capture_on_commit_callbacks
):
    application = world.at(S.UNDER_REVIEW)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.application_officer_transition(
            application=application, by=world.officer, name="request_pieces", comment="Le RIB manque."
        )
        assert mail.outbox == []  # not before the commit
    assert len(callbacks) == 1
    message = application.messages.get()
    assert message.is_request_for_pieces and message.from_officer and message.body == "Le RIB manque."
    assert [m.to for m in mail.outbox] == [[world.applicant.email]]
    assert "Le RIB manque." in mail.outbox[0].body and "&#x27;" not in mail.outbox[0].body


def test_no_mail_leaves_for_a_change_that_is_rolled_back(world, django_capture_on_commit_callbacks):
    application = world.at(S.UNDER_REVIEW)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.message_send(application=application, by=world.officer, body="Bonjour", from_officer=True)
            raise RuntimeError
    assert callbacks == [] and mail.outbox == []


def test_the_commission_never_proposes_more_than_the_computed_amount(world):
    application = world.at(S.READY_FOR_COMMISSION)
    session = world.commission([application])
    with pytest.raises(ValidationError, match="dépasse le montant calculé"):
        services.session_record_opinions(
            session=session,
            by=world.officer,
            entries=[
                {"application": application, "opinion": Opinion.FAVOURABLE, "proposed_amount": Decimal("6000.01")}
            ],
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        CommissionOpinion.objects.create(
            application=application,
            session=session,
            opinion=Opinion.FAVOURABLE,
            computed_amount=application.computed_amount,
            proposed_amount=application.computed_amount + 1,
        )


def test_a_postponed_file_stays_ready_for_the_next_sitting(world):
    application = world.at(S.READY_FOR_COMMISSION)
    session = world.commission([application])
    services.session_record_opinions(
        session=session, by=world.officer, entries=[{"application": application, "opinion": Opinion.POSTPONED}]
    )
    application.refresh_from_db()
    assert application.state == S.READY_FOR_COMMISSION
    assert application.transitions.last().name == "postpone"
    later = world.commission([application])
    assert later.items.count() == 1


def test_opinions_of_a_sitting_are_all_or_nothing(world):
    good, bad = world.at(S.READY_FOR_COMMISSION), world.at(S.READY_FOR_COMMISSION)
    session = world.commission([good, bad])
    with pytest.raises(ValidationError):
        services.session_record_opinions(
            session=session,
            by=world.officer,
            entries=[
                {"application": good, "opinion": Opinion.FAVOURABLE, "proposed_amount": Decimal("100")},
                {"application": bad, "opinion": Opinion.FAVOURABLE, "proposed_amount": Decimal("999999")},
            ],
        )
    good.refresh_from_db()
    assert good.state == S.READY_FOR_COMMISSION and not CommissionOpinion.objects.exists()


def _reviewed(world, proposed=None, **kwargs):
    application = world.at(S.READY_FOR_COMMISSION, **kwargs)
    session = world.commission([application])
    services.session_record_opinions(
        session=session,
        by=world.officer,
        entries=[
            {
                "application": application,
                "opinion": Opinion.FAVOURABLE,
                "proposed_amount": proposed or application.computed_amount,
            }
        ],
    )
    application.refresh_from_db()
    return application


def _decide(world, application, amount, outcome=DecisionOutcome.GRANTED, number="B2026-001"):
    return services.decision_record(
        session=world.bureau([application]),
        by=world.officer,
        application=application,
        outcome=outcome,
        amount=amount,
        deliberation_number=number,
        deliberation_date=DELIBERATION_DAY,
    )


def test_the_bureau_never_grants_more_than_the_commission_proposed(world):
    application = _reviewed(world, proposed=Decimal("5000"))
    with pytest.raises(ValidationError, match="dépasse le montant proposé par la commission"):
        _decide(world, application, Decimal("5000.01"))
    decision = _decide(world, application, Decimal("5000"))
    assert decision.amount == Decimal("5000") and decision.envelope == world.envelope


def test_a_decision_that_would_exceed_the_remaining_credits_is_refused_with_a_clear_message(world):
    world.envelope.credits = Decimal("10000")
    world.envelope.save()
    first = _reviewed(world)  # 6 000
    second = _reviewed(world)  # 6 000
    _decide(world, first, first.computed_amount, number="B1")
    with pytest.raises(ValidationError) as excinfo:
        _decide(world, second, second.computed_amount, number="B2")
    assert excinfo.value.messages == [
        f"{second.reference} : crédits 2026 insuffisants. Il reste 4\u202f000,00\u00a0€ sur 10\u202f000,00\u00a0€ "
        "votés ; 6\u202f000,00\u00a0€ ne peuvent pas être engagés."
    ]
    second.refresh_from_db()
    assert second.state == S.COMMISSION_REVIEWED
    assert world.envelope.committed() == Decimal("6000.00")
    assert world.envelope.remaining() == Decimal("4000.00")
    _decide(world, second, Decimal("4000"), number="B3")  # what is left can still be granted
    assert world.envelope.remaining() == Decimal("0.00")


def test_a_sitting_whose_decisions_together_exceed_the_credits_records_none(world):
    world.envelope.credits = Decimal("10000")
    world.envelope.save()
    first, second = _reviewed(world), _reviewed(world)
    bureau = world.bureau([first, second])
    entries = [
        {
            "application": a,
            "outcome": DecisionOutcome.GRANTED,
            "amount": a.computed_amount,
            "deliberation_number": f"B{i}",
            "deliberation_date": DELIBERATION_DAY,
        }
        for i, a in enumerate([first, second])
    ]
    with pytest.raises(ValidationError, match="insuffisants"):
        services.session_record_decisions(session=bureau, by=world.officer, entries=entries)
    assert not Decision.objects.exists()


def test_no_decision_without_credits_voted_for_the_year(world):
    world.envelope.delete()
    application = _reviewed(world)
    with pytest.raises(ValidationError, match="Aucun crédit n'est voté pour 2026"):
        _decide(world, application, application.computed_amount)


def test_a_refusal_commits_nothing(world):
    application = _reviewed(world)
    _decide(world, application, None, outcome=DecisionOutcome.REFUSED)
    application.refresh_from_db()
    assert application.state == S.REFUSED and world.envelope.committed() == 0


def test_payments_never_exceed_the_granted_amount(world):
    application = world.at(S.AGREEMENT_SIGNED)
    granted = application.granted_amount
    services.payment_record(
        application=application,
        by=world.officer,
        kind=PaymentKind.ADVANCE,
        amount=granted / 2,
        paid_on=PAID_DAY,
    )
    services.balance_justify(
        application=application,
        by=world.applicant,
        fte_achieved=application.fte_created,
        upload=SimpleUploadedFile("emplois.pdf", PDF, content_type="application/pdf"),
    )
    with pytest.raises(ValidationError, match="au-delà du montant accordé"):
        services.payment_record(
            application=application,
            by=world.officer,
            kind=PaymentKind.BALANCE,
            amount=granted / 2 + Decimal("0.01"),
            paid_on=PAID_DAY,
        )
    with pytest.raises(ValidationError, match="déjà enregistré"):
        services.payment_record(
            application=application,
            by=world.officer,
            kind=PaymentKind.ADVANCE,
            amount=Decimal("1"),
            paid_on=PAID_DAY,
        )
    assert application.paid_total == granted / 2


def test_no_payment_before_the_agreement_and_no_closing_before_a_payment(world):
    application = world.at(S.GRANTED)
    with pytest.raises(TransitionError):
        services.payment_record(
            application=application,
            by=world.officer,
            kind=PaymentKind.ADVANCE,
            amount=Decimal("1"),
            paid_on=DELIBERATION_DAY,
        )
    signed = world.at(S.AGREEMENT_SIGNED)
    with pytest.raises(TransitionError):
        services.application_officer_transition(application=signed, by=world.officer, name="close")


def test_credits_cannot_fall_below_what_is_committed(world):
    world.at(S.GRANTED)
    with pytest.raises(ValidationError, match="déjà engagés"):
        services.envelope_save(scheme=world.scheme, year=2026, credits=Decimal("5999.99"))
    envelope = services.envelope_save(scheme=world.scheme, year=2026, credits=Decimal("6000"))
    assert envelope.remaining() == 0


def test_the_envelope_totals_in_one_query(world, django_assert_num_queries):
    world.at(S.IN_PAYMENT)
    from essaim.grants.models import BudgetEnvelope

    with django_assert_num_queries(1):
        envelope = BudgetEnvelope.objects.with_totals().get(pk=world.envelope.pk)
    assert (envelope.credits, envelope.committed_total, envelope.paid_total, envelope.remaining_total) == (
        Decimal("40000.00"),
        Decimal("6000.00"),
        Decimal("3000.00"),
        Decimal("34000.00"),
    )


def test_every_change_is_in_the_access_log(world):
    application = world.at(S.UNDER_REVIEW)
    actions = list(AccessLog.objects.filter(application=application).values_list("user", "action"))
    assert (world.applicant.pk, AccessAction.CHANGE) in actions
    assert (world.officer.pk, AccessAction.CHANGE) in actions
