"""After the decision: the SIRET that comes later, dates in order, the advance and the balance on proof of jobs, and
every movement that gives credits back (release at closing, cancellation, reduction, reversement)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from essaim.grants import services
from essaim.grants.enums import ApplicationState as S
from essaim.grants.enums import DecisionOutcome, MovementKind, Opinion, PaymentKind, SessionKind
from essaim.grants.models import BudgetEnvelope, CreditMovement
from essaim.grants.workflow import TransitionError
from tests.directory.factories import luhn_siret
from tests.grants.conftest import DELIBERATION_DAY, PDF

SIGNED = datetime.date(2026, 3, 20)
PAID = datetime.date(2026, 4, 1)


def proof():
    return SimpleUploadedFile("emplois.pdf", PDF, content_type="application/pdf")


def without_siret(world, state):
    """A new association being created: no SIRET, no RNA, brought to ``state``."""
    application = world.draft()
    services.application_save_step(
        application=application,
        by=world.applicant,
        step="structure",
        values={"new_structure_siret": "", "new_structure_rna": ""},
    )
    return world_at_from_draft(world, application, state)


def world_at_from_draft(world, application, state):
    services.application_submit(application=application, by=world.applicant, attested=True)
    services.application_officer_transition(application=application, by=world.officer, name="start_review")
    from tests.grants.conftest import EXAMINATION

    services.examination_save(application=application, by=world.officer, values=EXAMINATION)
    services.application_officer_transition(application=application, by=world.officer, name="mark_ready")
    application.refresh_from_db()
    services.session_record_opinions(
        session=world.commission([application]),
        by=world.officer,
        entries=[
            {"application": application, "opinion": Opinion.FAVOURABLE, "proposed_amount": application.computed_amount}
        ],
    )
    application.refresh_from_db()
    services.decision_record(
        session=world.bureau([application]),
        by=world.officer,
        application=application,
        outcome=DecisionOutcome.GRANTED,
        amount=application.computed_amount,
        deliberation_number="B-9",
        deliberation_date=DELIBERATION_DAY,
    )
    application.refresh_from_db()
    assert application.state == state
    return application


def test_a_new_association_without_siret_is_instructed_and_decided_then_its_siret_unlocks_the_agreement(world):
    application = without_siret(world, S.GRANTED)
    assert application.beneficiary_siret == ""
    with pytest.raises(ValidationError, match="SIRET du bénéficiaire manque"):
        services.agreement_sign(application=application, by=world.officer, signed_on=SIGNED)
    with pytest.raises(ValidationError, match="clé de contrôle"):
        services.application_add_siret(application=application, by=world.applicant, siret="12345678901234")
    siret = luhn_siret("999900099", 1)
    services.application_add_siret(application=application, by=world.applicant, siret=siret[:3] + " " + siret[3:])
    application.refresh_from_db()
    assert application.beneficiary_siret == siret
    log = application.transitions.last()
    assert (log.name, log.label, log.by, log.from_state, log.to_state) == (
        "add_siret",
        "SIRET du bénéficiaire ajouté",
        world.applicant,
        S.GRANTED,
        S.GRANTED,
    )
    services.agreement_sign(application=application, by=world.officer, signed_on=SIGNED)
    application.refresh_from_db()
    assert application.state == S.AGREEMENT_SIGNED


def test_only_the_applicant_or_the_officer_adds_the_siret(world):
    application = without_siret(world, S.GRANTED)
    with pytest.raises(ValidationError):
        services.application_add_siret(
            application=application, by=world.other_applicant, siret=luhn_siret("999900099", 2)
        )


def test_dates_follow_the_steps_and_never_the_future(world):
    application = world.at(S.GRANTED)
    with pytest.raises(ValidationError, match="ne peut pas précéder la délibération"):
        services.agreement_sign(application=application, by=world.officer, signed_on=DELIBERATION_DAY.replace(day=1))
    with pytest.raises(ValidationError, match="dans le futur"):
        services.agreement_sign(application=application, by=world.officer, signed_on=datetime.date(2099, 1, 1))
    services.agreement_sign(application=application, by=world.officer, signed_on=SIGNED)
    application.refresh_from_db()
    with pytest.raises(ValidationError, match="ne peut pas précéder la signature de la convention"):
        services.payment_record(
            application=application,
            by=world.officer,
            kind=PaymentKind.ADVANCE,
            amount=Decimal("100"),
            paid_on=SIGNED - datetime.timedelta(days=1),
        )


def test_an_opinion_is_not_recorded_before_its_sitting_and_a_decision_not_before_the_opinion(world):
    application = world.at(S.READY_FOR_COMMISSION)
    future = services.session_create(
        scheme=world.scheme, kind=SessionKind.COMMISSION, date=datetime.date(2099, 1, 1), place="", members=[], by=None
    )
    services.session_set_agenda(session=future, applications=[application])
    with pytest.raises(ValidationError, match="ses avis s'enregistrent à partir de ce jour"):
        services.session_record_opinions(
            session=future,
            by=world.officer,
            entries=[{"application": application, "opinion": Opinion.FAVOURABLE, "proposed_amount": Decimal("10")}],
        )
    services.session_record_opinions(
        session=world.commission([application]),  # 1 March 2026
        by=world.officer,
        entries=[{"application": application, "opinion": Opinion.FAVOURABLE, "proposed_amount": Decimal("100")}],
    )
    application.refresh_from_db()
    assert application.latest_opinion.given_on == datetime.date(2026, 3, 1)
    with pytest.raises(ValidationError, match="ne peut pas précéder l'avis de la commission"):
        services.decision_record(
            session=world.bureau([application]),
            by=world.officer,
            application=application,
            outcome=DecisionOutcome.GRANTED,
            amount=Decimal("100"),
            deliberation_number="B-1",
            deliberation_date=datetime.date(2026, 2, 1),
        )


def test_the_advance_is_the_schemes_share_and_the_balance_follows_the_jobs_created(world):
    application = world.at(S.AGREEMENT_SIGNED, fte="2", investment="10000")  # 4 000 + 2 000 = 6 000 €
    assert services.advance_suggestion(application) == Decimal("3000.00")
    services.payment_record(
        application=application, by=world.officer, kind=PaymentKind.ADVANCE, amount=Decimal("3000"), paid_on=PAID
    )
    application.refresh_from_db()
    with pytest.raises(ValidationError, match="justification des emplois créés"):
        services.payment_record(
            application=application, by=world.officer, kind=PaymentKind.BALANCE, amount=Decimal("1"), paid_on=PAID
        )
    services.balance_justify(application=application, by=world.applicant, fte_achieved=Decimal("1.5"), upload=proof())
    application.refresh_from_db()
    # 1,5 ETP instead of 2: the rule gives 3 000 + 2 000 = 5 000 €, so 2 000 € are left to pay.
    assert services.balance_suggestion(application) == Decimal("2000.00")
    with pytest.raises(ValidationError, match="au-delà du montant accordé"):
        services.payment_record(
            application=application, by=world.officer, kind=PaymentKind.BALANCE, amount=Decimal("3000"), paid_on=PAID
        )
    application.refresh_from_db()
    services.payment_record(
        application=application, by=world.officer, kind=PaymentKind.BALANCE, amount=Decimal("2000"), paid_on=PAID
    )
    application.refresh_from_db()
    reduction = CreditMovement.objects.get(application=application)
    assert (reduction.kind, reduction.amount) == (MovementKind.REDUCTION, Decimal("1000.00"))
    assert "revise_amount" in application.transitions.values_list("name", flat=True)
    envelope = BudgetEnvelope.objects.with_totals().get(pk=world.envelope.pk)
    assert (envelope.committed_total, envelope.released_total, envelope.remaining_total) == (
        Decimal("6000.00"),
        Decimal("1000.00"),
        Decimal("35000.00"),
    )


def test_more_jobs_than_declared_never_raise_the_grant(world):
    application = world.at(S.AGREEMENT_SIGNED)
    services.balance_justify(application=application, by=world.officer, fte_achieved=Decimal("4"), upload=proof())
    application.refresh_from_db()
    assert services.balance_suggestion(application) == application.granted_amount


def test_closing_after_a_partial_payment_releases_the_rest_with_a_reason(world):
    application = world.at(S.IN_PAYMENT)  # 3 000 € paid of 6 000 €
    with pytest.raises(TransitionError, match="indiquez le motif"):
        services.application_officer_transition(application=application, by=world.officer, name="close")
    services.application_officer_transition(
        application=application, by=world.officer, name="close", comment="Activité arrêtée."
    )
    application.refresh_from_db()
    assert application.state == S.CLOSED
    release = CreditMovement.objects.get(application=application)
    assert (release.kind, release.amount, release.envelope) == (
        MovementKind.RELEASE,
        Decimal("3000.00"),
        world.envelope,
    )
    assert "Reliquat de 3\u202f000,00\u00a0€ libéré" in application.transitions.last().comment
    assert world.envelope.remaining() == Decimal("37000.00")


def test_a_cancelled_grant_gives_back_what_was_not_paid_and_a_reversement_the_rest(world):
    application = world.at(S.IN_PAYMENT)
    with pytest.raises(TransitionError, match="demande un motif"):
        services.application_officer_transition(application=application, by=world.officer, name="cancel")
    services.application_officer_transition(
        application=application, by=world.officer, name="cancel", comment="Projet abandonné."
    )
    application.refresh_from_db()
    assert application.state == S.CANCELLED
    assert "3\u202f000,00\u00a0€ déjà versés sont à reverser" in application.transitions.last().comment
    with pytest.raises(ValidationError, match="dépasse ce qui a été versé"):
        services.recovery_record(
            application=application, by=world.officer, amount=Decimal("3000.01"), on=PAID, comment="Titre 12."
        )
    services.recovery_record(
        application=application, by=world.officer, amount=Decimal("1000"), on=PAID, comment="Titre 12."
    )
    kinds = dict(CreditMovement.objects.filter(application=application).values_list("kind", "amount"))
    assert kinds == {MovementKind.CANCELLATION: Decimal("3000.00"), MovementKind.RECOVERY: Decimal("1000.00")}
    envelope = BudgetEnvelope.objects.with_totals().get(pk=world.envelope.pk)
    assert envelope.released_total == Decimal("4000.00")
    assert envelope.net_paid_total == Decimal("2000.00")
    assert envelope.remaining_total == Decimal("38000.00")
    with pytest.raises(TransitionError):
        services.payment_record(
            application=application, by=world.officer, kind=PaymentKind.BALANCE, amount=Decimal("1"), paid_on=PAID
        )


def test_released_credits_can_be_granted_again(world):
    BudgetEnvelope.objects.filter(pk=world.envelope.pk).update(credits=Decimal("9000"))
    closed = world.at(S.IN_PAYMENT)  # 6 000 € committed, 3 000 € paid
    reviewed = world.at(S.COMMISSION_REVIEWED)  # asks 6 000 €: 3 000 € remain
    bureau = world.bureau([reviewed])
    entry = {
        "outcome": DecisionOutcome.GRANTED,
        "amount": reviewed.computed_amount,
        "deliberation_number": "B-7",
        "deliberation_date": DELIBERATION_DAY,
    }
    with pytest.raises(ValidationError, match="insuffisants"):
        services.decision_record(session=bureau, by=world.officer, application=reviewed, **entry)
    services.application_officer_transition(application=closed, by=world.officer, name="close", comment="Arrêt.")
    services.decision_record(session=bureau, by=world.officer, application=reviewed, **entry)
    assert BudgetEnvelope.objects.get(pk=world.envelope.pk).remaining() == Decimal("0.00")


def test_the_envelope_cannot_fall_below_what_is_committed_and_not_given_back(world):
    application = world.at(S.IN_PAYMENT)
    services.application_officer_transition(application=application, by=world.officer, name="close", comment="Arrêt.")
    services.envelope_save(scheme=world.scheme, year=2026, credits=Decimal("3000"))  # 6 000 − 3 000 released
    with pytest.raises(ValidationError, match="déjà engagés"):
        services.envelope_save(scheme=world.scheme, year=2026, credits=Decimal("2999.99"))
