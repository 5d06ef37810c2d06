"""Payments and the credits they move, to the cent and word for word: the advance, the balance on proof of the jobs
created and the revision it brings, the release at closing, the cancellation, the reversement, the envelope of the
year; what each refusal says, and what each step leaves in the file's history and access log."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from essaim.grants import services
from essaim.grants.enums import AccessAction, DocumentKind, MovementKind, PaymentKind
from essaim.grants.enums import ApplicationState as S
from essaim.grants.models import AccessLog, Application, BudgetEnvelope, CreditMovement, Decision, Payment
from essaim.grants.workflow import TransitionError
from tests.grants.conftest import PDF
from tests.grants.factories import SchemeFactory

SIGNED = datetime.date(2026, 3, 20)  # the agreement of World.at
PAID = datetime.date(2026, 4, 1)
RECOVERED = datetime.date(2026, 5, 4)
NNBSP, NBSP = "\u202f", "\u00a0"
NO_GRANT = "Aucune subvention n'est accordée à cette demande."
JOBS_FIRST = (
    "Le solde se verse sur justification des emplois créés : indiquez les ETP effectivement créés et joignez le "
    "justificatif."
)


def euros(text):
    """A French amount as the services write it: "6 000,00 €" with the typographic spaces."""
    return re.sub(r"(?<=\d) (?=\d{3},)", NNBSP, text).replace(" €", NBSP + "€")


def proof():
    return SimpleUploadedFile("emplois.pdf", PDF, content_type="application/pdf")


def fresh(application):
    """The application as stored, its decision and agreement read again."""
    return Application.objects.get(pk=application.pk)


def pay(world, application, kind, amount, paid_on=PAID, **kwargs):
    return services.payment_record(
        application=fresh(application), by=world.officer, kind=kind, amount=amount, paid_on=paid_on, **kwargs
    )


def justify(world, application, fte, by=None, upload=True):
    return services.balance_justify(
        application=fresh(application),
        by=by or world.applicant,
        fte_achieved=None if fte is None else Decimal(fte),
        upload=proof() if upload else None,
    )


def last_log(application):
    log = application.transitions.order_by("pk").last()
    return (log.name, log.by, log.from_state, log.to_state, log.comment)


def access(application, detail):
    """Who was logged as changing the file for ``detail``."""
    return list(AccessLog.objects.filter(application=application, detail=detail).values_list("user", "action"))


def movements(application):
    return list(
        CreditMovement.objects.filter(application=application)
        .order_by("pk")
        .values_list("kind", "amount", "on", "reason", "recorded_by", "envelope")
    )


def messages(error):
    return error.value.messages


# --- no grant, no money -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("state", [S.UNDER_REVIEW, S.REFUSED])
def test_nothing_is_paid_nor_suggested_without_a_grant(world, state):
    application = world.at(state)
    assert (services.advance_suggestion(application), services.balance_suggestion(application)) == (None, None)
    with pytest.raises(ValidationError) as error:
        pay(world, application, PaymentKind.ADVANCE, Decimal("100"))
    assert messages(error) == [NO_GRANT]
    assert Payment.objects.count() == 0


def test_credits_cannot_move_on_a_file_nobody_decided(world):
    application = world.at(S.UNDER_REVIEW)
    attempts = [
        lambda: services.application_close(application=application, by=world.officer, comment="Arrêt."),
        lambda: services.application_cancel(application=application, by=world.officer, comment="Arrêt."),
        lambda: services.recovery_record(
            application=application, by=world.officer, amount=Decimal("1"), on=PAID, comment="Titre 1."
        ),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as error:
            attempt()
        assert messages(error) == [NO_GRANT]
    assert CreditMovement.objects.count() == 0


@pytest.mark.parametrize(("state", "label"), [(S.GRANTED, "accordée par le Bureau"), (S.CLOSED, "soldée et clôturée")])
def test_a_payment_waits_for_the_agreement_and_stops_at_closing(world, state, label):
    application = world.at(state)
    count = Payment.objects.count()
    with pytest.raises(TransitionError) as error:
        pay(world, application, PaymentKind.BALANCE, Decimal("1"))
    assert messages(error) == [f"Aucun versement n'est possible : la demande est à l'état « {label} »."]
    assert Payment.objects.count() == count


def test_a_payment_needs_the_siret_even_after_the_agreement(world):
    application = world.at(S.AGREEMENT_SIGNED)
    Application.objects.filter(pk=application.pk).update(new_structure_siret="")
    with pytest.raises(ValidationError) as error:
        pay(world, application, PaymentKind.ADVANCE, Decimal("100"))
    assert messages(error) == [
        "Le SIRET du bénéficiaire manque : il est obligatoire avant la signature de la convention et le premier "
        "versement. Le demandeur l'ajoute depuis la page de sa demande, ou le service instructeur depuis la page "
        "d'instruction."
    ]


# --- a payment ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("amount", [None, Decimal("0"), Decimal("-1")])
def test_a_payment_is_a_positive_amount(world, amount):
    application = world.at(S.AGREEMENT_SIGNED)
    with pytest.raises(ValidationError) as error:
        pay(world, application, PaymentKind.ADVANCE, amount)
    assert messages(error) == ["Le montant d'un versement est positif."]


def test_a_payment_of_one_cent_is_taken(world):
    application = world.at(S.AGREEMENT_SIGNED)
    assert pay(world, application, PaymentKind.ADVANCE, Decimal("0.01")).amount == Decimal("0.01")


def test_a_payment_is_recorded_with_its_details_its_history_and_its_access(world):
    application = world.at(S.AGREEMENT_SIGNED)
    payment = pay(world, application, PaymentKind.ADVANCE, Decimal("3000"), reference="Mandat 42")
    stored = Payment.objects.get(pk=payment.pk)
    assert (
        stored.application,
        stored.kind,
        stored.amount,
        stored.paid_on,
        stored.reference,
        stored.recorded_by,
        stored.agreement_on,
    ) == (application, PaymentKind.ADVANCE, Decimal("3000.00"), PAID, "Mandat 42", world.officer, SIGNED)
    assert last_log(application) == (
        "record_payment",
        world.officer,
        S.AGREEMENT_SIGNED,
        S.IN_PAYMENT,
        euros("Avance de 3 000,00 € versée le 1er avril 2026."),
    )
    assert access(application, "versement") == [(world.officer.pk, AccessAction.CHANGE)]


def test_a_payment_without_reference_keeps_it_blank(world):
    application = world.at(S.AGREEMENT_SIGNED)
    assert Payment.objects.get(pk=pay(world, application, PaymentKind.ADVANCE, Decimal("10")).pk).reference == ""


def test_each_kind_of_payment_is_recorded_once(world):
    application = world.at(S.IN_PAYMENT)
    with pytest.raises(ValidationError) as error:
        pay(world, application, PaymentKind.ADVANCE, Decimal("10"))
    assert messages(error) == ["Le versement « avance » est déjà enregistré."]
    assert application.payments.count() == 1


def test_a_payment_is_dated_after_the_agreement_and_never_in_the_future(world):
    application = world.at(S.AGREEMENT_SIGNED)
    with pytest.raises(ValidationError) as error:
        pay(world, application, PaymentKind.ADVANCE, Decimal("10"), paid_on=datetime.date(2026, 3, 19))
    assert messages(error) == [
        "La date du versement (19 mars 2026) ne peut pas précéder la signature de la convention (20 mars 2026)."
    ]
    with pytest.raises(ValidationError) as error:
        pay(world, application, PaymentKind.ADVANCE, Decimal("10"), paid_on=datetime.date(2099, 1, 1))
    assert messages(error)[0].startswith("La date du versement (1er janvier 2099) ne peut pas être dans le futur")
    assert pay(world, application, PaymentKind.ADVANCE, Decimal("10"), paid_on=SIGNED).paid_on == SIGNED


# --- the advance and the balance ----------------------------------------------------------------------------------


def test_the_advance_is_rounded_half_up_to_the_cent(world):
    application = world.at(S.AGREEMENT_SIGNED)
    Decision.objects.filter(application=application).update(amount=Decimal("1000.05"))
    assert services.advance_suggestion(fresh(application)) == Decimal("500.03")


@pytest.mark.parametrize(
    ("fte", "needs_proof"),
    [("0", False), ("1", True), ("2", True)],
)
def test_the_balance_waits_for_the_proof_of_jobs_only_when_jobs_were_declared(world, fte, needs_proof):
    application = world.at(S.AGREEMENT_SIGNED, fte=fte)
    granted = application.granted_amount
    if needs_proof:
        with pytest.raises(ValidationError) as error:
            pay(world, application, PaymentKind.BALANCE, granted)
        assert messages(error) == [JOBS_FIRST]
        assert application.payments.count() == 0
    else:
        assert pay(world, application, PaymentKind.BALANCE, granted).amount == granted


def test_the_proof_document_alone_does_not_release_the_balance(world):
    application = world.at(S.AGREEMENT_SIGNED)
    justify(world, application, "2")
    Application.objects.filter(pk=application.pk).update(fte_achieved=None)
    with pytest.raises(ValidationError) as error:
        pay(world, application, PaymentKind.BALANCE, Decimal("6000"))
    assert messages(error) == [JOBS_FIRST]


def test_jobs_stated_without_their_proof_do_not_release_the_balance(world):
    application = world.at(S.AGREEMENT_SIGNED)
    Application.objects.filter(pk=application.pk).update(fte_achieved=Decimal("2"))
    with pytest.raises(ValidationError) as error:
        pay(world, application, PaymentKind.BALANCE, Decimal("6000"))
    assert messages(error) == [JOBS_FIRST]


def test_fewer_jobs_revise_the_grant_and_give_the_difference_back_to_the_years_credits(world):
    application = world.at(S.IN_PAYMENT)  # 6 000 € granted for 2 FTE, 3 000 € advanced
    justify(world, application, "1.5")
    assert services.balance_suggestion(fresh(application)) == Decimal("2000.00")
    with pytest.raises(ValidationError) as error:
        pay(world, application, PaymentKind.BALANCE, Decimal("2000.01"))
    assert messages(error) == [
        euros(
            "Ce versement porterait le total versé à 5 000,01 €, au-delà du montant accordé (5 000,00 €) : "
            "il reste 2 000,00 € à verser."
        )
    ]
    pay(world, application, PaymentKind.BALANCE, Decimal("2000"), paid_on=datetime.date(2026, 10, 1))
    revision = application.transitions.get(name="revise_amount")
    assert (revision.by, revision.comment) == (
        world.officer,
        euros(
            "1,5 ETP créés sur 2 déclarés : la subvention passe de 6 000,00 € à 5 000,00 € ; "
            "1 000,00 € reviennent aux crédits 2026."
        ),
    )
    assert movements(application) == [
        (
            MovementKind.REDUCTION,
            Decimal("1000.00"),
            datetime.date(2026, 10, 1),
            "Emplois créés : 1,5 ETP sur 2 déclarés.",
            world.officer.pk,
            world.envelope.pk,
        )
    ]
    assert fresh(application).payable_amount == Decimal("5000.00")


def test_all_the_jobs_created_keep_the_grant_whole_without_a_revision(world):
    application = world.at(S.IN_PAYMENT)
    justify(world, application, "2")
    pay(world, application, PaymentKind.BALANCE, Decimal("3000"))
    assert movements(application) == []
    assert not application.transitions.filter(name="revise_amount").exists()


def test_a_revision_never_raises_a_grant_the_bureau_set_below_the_rule(world):
    application = world.at(S.AGREEMENT_SIGNED)  # the rule gives 6 000 € for 2 FTE, 5 000 € for 1,5
    Decision.objects.filter(application=application).update(amount=Decimal("4000"))
    justify(world, application, "1.5")
    assert services.revised_amount(fresh(application), Decimal("1.5")) == Decimal("4000")
    assert services.balance_suggestion(fresh(application)) == Decimal("4000")


@pytest.mark.parametrize(
    ("fte", "balance"),
    [
        (None, Decimal("3000.00")),  # nothing justified yet: the grant as decided
        ("1.5", Decimal("2000.00")),
        ("0", Decimal("0.00")),  # the rule gives 2 000 € for the investment alone: the advance already exceeds it
    ],
)
def test_the_balance_suggested_follows_the_jobs_justified_and_is_never_negative(world, fte, balance):
    application = world.at(S.IN_PAYMENT)
    if fte is not None:
        justify(world, application, fte)
    assert services.balance_suggestion(fresh(application)) == balance


# --- the proof of jobs --------------------------------------------------------------------------------------------


def test_the_applicant_justifies_the_jobs_with_a_document(world):
    application = world.at(S.IN_PAYMENT)
    before = timezone.now()
    justify(world, application, "1.5")
    stored = fresh(application)
    assert stored.fte_achieved == Decimal("1.5")
    assert stored.justified_at >= before
    document = stored.documents.get(kind=DocumentKind.JOBS_PROOF)
    assert (document.original_name, document.uploaded_by) == ("emplois.pdf", world.applicant)
    assert last_log(application) == (
        "justify",
        world.applicant,
        S.IN_PAYMENT,
        S.IN_PAYMENT,
        "1,5 ETP créés (2 déclarés).",
    )
    assert access(application, "justificatifs du solde") == [(world.applicant.pk, AccessAction.CHANGE)]


def test_the_officer_may_record_the_jobs_and_a_later_correction_needs_no_new_document(world):
    application = world.at(S.IN_PAYMENT)
    justify(world, application, "1", by=world.officer)
    assert last_log(application)[:2] == ("justify", world.officer)
    justify(world, application, "2", by=world.officer, upload=False)
    assert fresh(application).fte_achieved == Decimal("2")
    assert fresh(application).documents.filter(kind=DocumentKind.JOBS_PROOF).count() == 1


def test_the_first_justification_needs_its_document(world):
    application = world.at(S.IN_PAYMENT)
    with pytest.raises(ValidationError) as error:
        justify(world, application, "2", upload=False)
    assert messages(error) == ["Joignez le justificatif des emplois créés (registre du personnel, bulletins de paie)."]
    assert fresh(application).fte_achieved is None


def test_another_person_cannot_justify_the_balance(world):
    application = world.at(S.IN_PAYMENT)
    with pytest.raises(ValidationError) as error:
        justify(world, application, "2", by=world.other_applicant)
    assert messages(error) == ["Seuls le bénéficiaire et le service instructeur justifient le solde."]


@pytest.mark.parametrize(("fte", "accepted"), [(None, False), ("-0.5", False), ("0", True), ("0.5", True)])
def test_the_jobs_created_are_a_number_of_fte_zero_or_more(world, fte, accepted):
    application = world.at(S.IN_PAYMENT)
    if accepted:
        justify(world, application, fte)
        assert fresh(application).fte_achieved == Decimal(fte)
    else:
        with pytest.raises(ValidationError) as error:
            justify(world, application, fte)
        assert messages(error) == ["Indiquez les emplois effectivement créés, en ETP."]


# --- closing ------------------------------------------------------------------------------------------------------


def test_a_file_is_closed_after_a_payment_only(world):
    application = world.at(S.AGREEMENT_SIGNED)
    with pytest.raises(TransitionError) as error:
        services.application_close(application=application, by=world.officer, comment="Arrêt.")
    assert messages(error) == ["Un dossier se clôture après au moins un versement."]


def test_closing_with_money_unpaid_asks_why_and_releases_it_on_the_years_credits(world):
    application = world.at(S.IN_PAYMENT)
    with pytest.raises(TransitionError) as error:
        services.application_close(application=application, by=world.officer, comment="  ")
    assert messages(error) == [
        euros(
            "3 000,00 € n'ont pas été versés : indiquez le motif de la clôture, ce reliquat revient aux crédits 2026."
        )
    ]
    services.application_close(application=fresh(application), by=world.officer, comment=" Activité arrêtée. ")
    reason = euros("Activité arrêtée. Reliquat de 3 000,00 € libéré sur les crédits 2026.")
    assert movements(application) == [
        (MovementKind.RELEASE, Decimal("3000.00"), timezone.localdate(), reason, world.officer.pk, world.envelope.pk)
    ]
    assert last_log(application) == ("close", world.officer, S.IN_PAYMENT, S.CLOSED, reason)
    assert access(application, "clôture") == [(world.officer.pk, AccessAction.CHANGE)]


def test_one_cent_unpaid_is_released_too(world):
    application = world.at(S.IN_PAYMENT)
    justify(world, application, "2")
    pay(world, application, PaymentKind.BALANCE, Decimal("2999.99"))
    with pytest.raises(TransitionError, match="indiquez le motif de la clôture"):
        services.application_close(application=fresh(application), by=world.officer)
    services.application_close(application=fresh(application), by=world.officer, comment="Arrondi.")
    assert [(kind, amount) for kind, amount, *_ in movements(application)] == [(MovementKind.RELEASE, Decimal("0.01"))]


def test_a_file_paid_in_full_closes_without_a_reason_and_releases_nothing(world):
    application = world.at(S.IN_PAYMENT)
    justify(world, application, "2")
    pay(world, application, PaymentKind.BALANCE, Decimal("3000"))
    services.application_close(application=fresh(application), by=world.officer)
    assert movements(application) == []
    assert last_log(application) == ("close", world.officer, S.IN_PAYMENT, S.CLOSED, "")


# --- cancelling ---------------------------------------------------------------------------------------------------


def test_a_cancellation_needs_its_reason(world):
    application = world.at(S.GRANTED)
    with pytest.raises(TransitionError) as error:
        services.application_cancel(application=application, by=world.officer, comment="  ")
    assert messages(error) == [
        "« Annuler la subvention » demande un motif (la délibération ou la décision d'annulation)."
    ]
    assert fresh(application).state == S.GRANTED


def test_cancelling_an_unpaid_grant_gives_it_all_back_and_asks_for_no_reversement(world):
    application = world.at(S.GRANTED)
    services.application_cancel(application=application, by=world.officer, comment=" Projet abandonné. ")
    assert movements(application) == [
        (
            MovementKind.CANCELLATION,
            Decimal("6000.00"),
            timezone.localdate(),
            "Projet abandonné.",
            world.officer.pk,
            world.envelope.pk,
        )
    ]
    assert last_log(application) == (
        "cancel",
        world.officer,
        S.GRANTED,
        S.CANCELLED,
        euros("Projet abandonné. 6 000,00 € libérés sur les crédits 2026."),
    )
    assert access(application, "annulation") == [(world.officer.pk, AccessAction.CHANGE)]


@pytest.mark.parametrize(
    ("advance", "note"),
    [
        ("1", "Projet abandonné. 5 999,00 € libérés sur les crédits 2026. 1,00 € déjà versés sont à reverser."),
        ("5999", "Projet abandonné. 1,00 € libérés sur les crédits 2026. 5 999,00 € déjà versés sont à reverser."),
        ("6000", "Projet abandonné. 6 000,00 € déjà versés sont à reverser."),
    ],
)
def test_cancelling_a_paid_grant_releases_the_unpaid_and_asks_back_the_paid(world, advance, note):
    application = world.at(S.AGREEMENT_SIGNED)
    pay(world, application, PaymentKind.ADVANCE, Decimal(advance))
    services.application_cancel(application=fresh(application), by=world.officer, comment="Projet abandonné.")
    assert last_log(application)[4] == euros(note)
    released = Decimal("6000") - Decimal(advance)
    assert [(kind, amount) for kind, amount, *_ in movements(application)] == (
        [(MovementKind.CANCELLATION, released)] if released else []
    )


def test_a_reversement_already_received_is_not_asked_for_again_at_the_cancellation(world):
    application = world.at(S.IN_PAYMENT)
    services.recovery_record(
        application=application, by=world.officer, amount=Decimal("1000"), on=RECOVERED, comment="Titre 7."
    )
    services.application_cancel(application=fresh(application), by=world.officer, comment="Projet abandonné.")
    assert last_log(application)[4] == euros(
        "Projet abandonné. 3 000,00 € libérés sur les crédits 2026. 2 000,00 € déjà versés sont à reverser."
    )


# --- reversements -------------------------------------------------------------------------------------------------


def cancelled(world):
    """A grant of 6 000 € cancelled after its 3 000 € advance."""
    application = world.at(S.IN_PAYMENT)
    services.application_cancel(application=application, by=world.officer, comment="Projet abandonné.")
    return fresh(application)


def recover(world, application, amount, on=RECOVERED, comment="Titre 12."):
    return services.recovery_record(application=application, by=world.officer, amount=amount, on=on, comment=comment)


def test_a_reversement_is_recorded_on_its_date_and_goes_back_to_the_years_credits(world):
    application = cancelled(world)
    movement = recover(world, application, Decimal("1000"), comment=" Titre 12. ")
    assert movements(application)[-1] == (
        MovementKind.RECOVERY,
        Decimal("1000.00"),
        RECOVERED,
        "Titre 12.",
        world.officer.pk,
        world.envelope.pk,
    )
    assert CreditMovement.objects.get(pk=movement.pk).kind == MovementKind.RECOVERY
    assert last_log(application) == (
        "recover",
        world.officer,
        S.CANCELLED,
        S.CANCELLED,
        euros("Titre 12. Reversement de 1 000,00 € le 4 mai 2026, rendu aux crédits 2026."),
    )
    assert access(application, "reversement") == [(world.officer.pk, AccessAction.CHANGE)]


@pytest.mark.parametrize("comment", [" ", "", None])
def test_a_reversement_needs_its_reason(world, comment):
    application = cancelled(world)
    with pytest.raises(TransitionError) as error:
        recover(world, application, Decimal("10"), comment=comment)
    assert messages(error) == ["« Enregistrer un reversement » demande un motif (le titre de recette, la raison)."]


@pytest.mark.parametrize("amount", [None, Decimal("0"), Decimal("-1")])
def test_a_reversement_is_a_positive_amount(world, amount):
    application = cancelled(world)
    with pytest.raises(ValidationError) as error:
        recover(world, application, amount)
    assert messages(error) == ["Le montant d'un reversement est positif."]


def test_a_reversement_is_never_dated_in_the_future(world):
    application = cancelled(world)
    with pytest.raises(ValidationError) as error:
        recover(world, application, Decimal("10"), on=datetime.date(2099, 1, 1))
    assert messages(error)[0].startswith("La date du reversement (1er janvier 2099) ne peut pas être dans le futur")


def test_everything_paid_may_come_back_to_the_cent_and_not_one_more(world):
    application = cancelled(world)
    recover(world, application, Decimal("0.01"))
    recover(world, application, Decimal("2999.99"))
    with pytest.raises(ValidationError) as error:
        recover(world, application, Decimal("0.01"))
    assert messages(error) == [
        euros("Le reversement (0,01 €) dépasse ce qui a été versé et non encore reversé (0,00 €).")
    ]
    assert fresh(application).movements_total(MovementKind.RECOVERY) == Decimal("3000.00")


# --- the envelope of a year ---------------------------------------------------------------------------------------


def test_the_credits_of_a_new_year_are_created_with_their_vote(world):
    envelope = services.envelope_save(scheme=world.scheme, year=2027, credits=Decimal("0"), vote_reference="D-2026-9")
    stored = BudgetEnvelope.objects.get(pk=envelope.pk)
    assert (stored.scheme, stored.year, stored.credits, stored.vote_reference) == (
        world.scheme,
        2027,
        Decimal("0.00"),
        "D-2026-9",
    )


def test_credits_are_never_negative(world):
    with pytest.raises(ValidationError) as error:
        services.envelope_save(scheme=world.scheme, year=2027, credits=Decimal("-0.01"))
    assert messages(error) == ["Les crédits ne peuvent pas être négatifs."]
    assert not BudgetEnvelope.objects.filter(year=2027).exists()


def test_changing_the_credits_of_a_year_changes_that_envelope_only(world):
    other = SchemeFactory(territory=world.territory)
    others = services.envelope_save(scheme=other, year=2026, credits=Decimal("100"))
    envelope = services.envelope_save(scheme=world.scheme, year=2026, credits=Decimal("0.5"), vote_reference="DM-1")
    assert envelope.pk == world.envelope.pk
    stored = BudgetEnvelope.objects.get(pk=world.envelope.pk)
    assert (stored.credits, stored.vote_reference) == (Decimal("0.50"), "DM-1")
    assert BudgetEnvelope.objects.get(pk=others.pk).credits == Decimal("100.00")


def test_credits_never_fall_below_what_is_committed_and_not_given_back(world):
    world.at(S.IN_PAYMENT)  # 6 000 € committed
    with pytest.raises(ValidationError) as error:
        services.envelope_save(scheme=world.scheme, year=2026, credits=Decimal("5999.99"))
    assert messages(error) == [
        euros("6 000,00 € sont déjà engagés sur 2026 : les crédits ne peuvent pas descendre en dessous.")
    ]
    assert services.envelope_save(scheme=world.scheme, year=2026, credits=Decimal("6000")).credits == Decimal("6000")


def test_credits_voted_without_a_reference_keep_none(world):
    envelope = services.envelope_save(scheme=world.scheme, year=2031, credits=Decimal("1000"))
    envelope.refresh_from_db()
    assert (envelope.year, envelope.credits, envelope.vote_reference) == (2031, Decimal("1000.00"), "")
