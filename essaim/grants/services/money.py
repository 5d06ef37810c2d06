"""After the decision: the SIRET, the agreement, payments, the balance's proof of jobs, and every movement that
gives credits back to the year of the decision (release at closing, cancellation, reduction, reversement).

Lock order, everywhere: the envelope of the decision's year first (``select_for_update``), then the application.
Decisions take the envelope's lock the same way, so a release and a decision recorded at the same moment are
serialised: the decision sees the credits the release gave back, or waits for them.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from essaim.core.identifiers import normalize, validate_siret
from essaim.grants import rules
from essaim.grants.documents import sniff_content_type
from essaim.grants.enums import AccessAction, Actor, DocumentKind, MovementKind, PaymentKind
from essaim.grants.models import (
    Agreement,
    Application,
    ApplicationDocument,
    BudgetEnvelope,
    CreditMovement,
    Payment,
    Scheme,
)
from essaim.grants.services.common import _locked, access_log, check_dates, day
from essaim.grants.workflow import TRANSITIONS, TransitionError, transition_fire

CENT = Decimal("0.01")


def _by_officer(application, by) -> bool:
    from essaim.grants.perms import is_instructor

    return is_instructor(by, application.scheme.territory)


def siret_problem(application: Application) -> str:
    """Why the agreement or a payment cannot go ahead yet for want of a SIRET, in French; "" when it is there."""
    if application.beneficiary_siret:
        return ""
    return (
        "Le SIRET du bénéficiaire manque : il est obligatoire avant la signature de la convention et le premier "
        "versement. Le demandeur l'ajoute depuis la page de sa demande, ou le service instructeur depuis la page "
        "d'instruction."
    )


def siret_from_directory(application: Application) -> str:
    """The SIRET the directory knows for this beneficiary (its structure, or a structure with the same RNA)."""
    from essaim.directory.models import Structure

    if application.structure_id:
        return application.structure.siret or ""
    if application.new_structure_rna:
        found = Structure.objects.filter(rna=application.new_structure_rna).exclude(siret="").first()
        if found is not None:
            return found.siret or ""
    return ""


def application_add_siret(*, application: Application, by, siret: str) -> Application:
    """Adds the beneficiary's SIRET (14 digits, Luhn-checked) before the agreement: the applicant or the officers.
    A new structure gets it on its identity; a directory structure without one gets it on the file."""
    with transaction.atomic():
        application = _locked(application)
        actor = Actor.OFFICER if _by_officer(application, by) else Actor.APPLICANT
        if actor == Actor.APPLICANT and application.applicant_id != getattr(by, "pk", None):
            raise ValidationError("Seuls le demandeur et le service instructeur ajoutent le SIRET.")
        siret = normalize(siret)
        validate_siret(siret)
        if application.structure_id:
            application.structure_siret = siret
            fields = ["structure_siret", "updated_at"]
        else:
            application.new_structure_siret = siret
            fields = ["new_structure_siret", "updated_at"]
        application.save(update_fields=fields)
        transition_fire(application=application, name="add_siret", actor=actor, by=by, comment=f"SIRET {siret}.")
        access_log(application=application, user=by, action=AccessAction.CHANGE, detail="SIRET du bénéficiaire")
        return application


def agreement_sign(*, application: Application, by, signed_on, reference: str = "") -> Agreement:
    """The agreement, signed on or after the deliberation, never in the future, once the SIRET is known."""
    with transaction.atomic():
        application = _locked(application)
        problem = siret_problem(application)
        if problem:
            raise ValidationError(problem)
        decision = getattr(application, "decision", None)
        if decision is not None:
            check_dates(
                signed_on,
                what="La date de signature de la convention",
                after=decision.deliberation_date,
                after_what="la délibération du Bureau",
            )
        transition_fire(
            application=application,
            name="sign_agreement",
            actor=Actor.OFFICER,
            by=by,
            comment=f"Convention {reference} signée le {day(signed_on)}.".replace("  ", " "),
        )
        agreement = Agreement.objects.create(
            application=application,
            signed_on=signed_on,
            reference=reference,
            decided_on=decision.deliberation_date if decision else None,
        )
        access_log(application=application, user=by, action=AccessAction.CHANGE, detail="convention")
        return agreement


def advance_suggestion(application: Application) -> Decimal | None:
    """The advance the scheme provides: its share (e.g. 50 %) of the granted amount, rounded half up to the cent."""
    granted = application.granted_amount
    if granted is None:
        return None
    return (granted * application.scheme.advance_rate).quantize(CENT, rounding=ROUND_HALF_UP)


def revised_amount(application: Application, fte_achieved: Decimal) -> Decimal:
    """What the grant becomes when ``fte_achieved`` jobs were created: the rule applied again (the application's
    version), never above what may still be paid — the amount can only go down."""
    payable = application.payable_amount
    if fte_achieved >= application.fte_created:
        return payable
    result = rules.compute(
        application.rule.parameters, fte_created=fte_achieved, investment=application.investment_excl_vat
    )
    return min(payable, result.total)


def balance_suggestion(application: Application) -> Decimal | None:
    """The balance left to pay, with the grant revised from the jobs justified (when they are)."""
    if application.granted_amount is None:
        return None
    payable = application.payable_amount
    if application.fte_achieved is not None:
        payable = revised_amount(application, application.fte_achieved)
    return max(payable - application.paid_total, Decimal("0.00"))


def _add_document(application, by, kind, upload) -> ApplicationDocument:
    document = ApplicationDocument(
        application=application,
        kind=kind,
        original_name=upload.name[-200:],
        content_type=sniff_content_type(upload),
        size=upload.size,
        uploaded_by=by,
    )
    document.file.save("piece", upload, save=False)
    document.save()
    return document


def balance_justify(*, application: Application, by, fte_achieved: Decimal, upload=None) -> Application:
    """The proof of the jobs actually created, for the balance: the FTE and a document (payslips, staff register,
    DSN). The beneficiary gives it from their file; the officer may record it from the instruction page."""
    with transaction.atomic():
        application = _locked(application)
        actor = Actor.OFFICER if _by_officer(application, by) else Actor.APPLICANT
        if actor == Actor.APPLICANT and application.applicant_id != getattr(by, "pk", None):
            raise ValidationError("Seuls le bénéficiaire et le service instructeur justifient le solde.")
        if fte_achieved is None or fte_achieved < 0:
            raise ValidationError("Indiquez les emplois effectivement créés, en ETP.")
        has_proof = application.documents.filter(kind=DocumentKind.JOBS_PROOF).exists()
        if upload is None and not has_proof:
            raise ValidationError(
                "Joignez le justificatif des emplois créés (registre du personnel, bulletins de paie)."
            )
        if upload is not None:
            _add_document(application, by, DocumentKind.JOBS_PROOF, upload)
        application.fte_achieved = fte_achieved
        application.justified_at = timezone.now()
        application.save(update_fields=["fte_achieved", "justified_at", "updated_at"])
        transition_fire(
            application=application,
            name="justify",
            actor=actor,
            by=by,
            comment=f"{rules.fr_fte(fte_achieved)} ETP créés ({rules.fr_fte(application.fte_created)} déclarés).",
        )
        access_log(application=application, user=by, action=AccessAction.CHANGE, detail="justificatifs du solde")
        return application


def _envelope_of(application) -> BudgetEnvelope:
    """The envelope of the decision's year, locked; a ``ValidationError`` when nothing was decided."""
    decision = getattr(application, "decision", None)
    if decision is None:
        raise ValidationError("Aucune subvention n'est accordée à cette demande.")
    return BudgetEnvelope.objects.select_for_update(of=("self",)).get(pk=decision.envelope_id)


def _movement(application, envelope, *, kind, amount, by, reason, on=None) -> CreditMovement:
    return CreditMovement.objects.create(
        application=application,
        envelope=envelope,
        kind=kind,
        amount=amount,
        on=on or timezone.localdate(),
        reason=reason,
        recorded_by=by,
    )


def payment_record(
    *, application: Application, by, kind: str, amount: Decimal, paid_on, reference: str = ""
) -> Payment:
    """Records the advance or the balance. Locks the envelope, then the application: two payments recorded at once
    never together exceed the granted amount.

    The balance needs the proof of the jobs created when jobs were declared: if fewer were created, the grant is
    first revised with the rule (the amount only goes down; the difference goes back to the year's credits, logged).
    """
    with transaction.atomic():
        envelope = _envelope_of(application)
        application = _locked(application)
        granted = application.granted_amount
        if granted is None:
            raise ValidationError("Aucune subvention n'est accordée à cette demande.")
        if application.state not in TRANSITIONS["record_payment"].sources:
            raise TransitionError(
                f"Aucun versement n'est possible : la demande est à l'état « {application.get_state_display()} »."
            )
        problem = siret_problem(application)
        if problem:
            raise ValidationError(problem)
        if amount is None or amount <= 0:
            raise ValidationError("Le montant d'un versement est positif.")
        if application.payments.filter(kind=kind).exists():
            raise ValidationError(f"Le versement « {PaymentKind(kind).label} » est déjà enregistré.")
        agreement = application.agreement  # the states that take a payment come after the signature
        check_dates(
            paid_on,
            what="La date du versement",
            after=agreement.signed_on,
            after_what="la signature de la convention",
        )
        if kind == PaymentKind.BALANCE and application.fte_created > 0:
            if (
                application.fte_achieved is None
                or not application.documents.filter(kind=DocumentKind.JOBS_PROOF).exists()
            ):
                raise ValidationError(
                    "Le solde se verse sur justification des emplois créés : indiquez les ETP effectivement créés et "
                    "joignez le justificatif."
                )
            payable = application.payable_amount
            revised = revised_amount(application, application.fte_achieved)
            if revised < payable:
                reduction = payable - revised
                transition_fire(
                    application=application,
                    name="revise_amount",
                    actor=Actor.OFFICER,
                    by=by,
                    comment=(
                        f"{rules.fr_fte(application.fte_achieved)} ETP créés "
                        f"sur {rules.fr_fte(application.fte_created)} "
                        f"déclarés : la subvention passe de {rules.fr_amount(payable)} à {rules.fr_amount(revised)} ; "
                        f"{rules.fr_amount(reduction)} reviennent aux crédits {envelope.year}."
                    ),
                )
                _movement(
                    application,
                    envelope,
                    kind=MovementKind.REDUCTION,
                    amount=reduction,
                    by=by,
                    on=paid_on,
                    reason=f"Emplois créés : {rules.fr_fte(application.fte_achieved)} ETP sur "
                    f"{rules.fr_fte(application.fte_created)} déclarés.",
                )
        payable = application.payable_amount
        already = application.paid_total
        if already + amount > payable:
            raise ValidationError(
                f"Ce versement porterait le total versé à {rules.fr_amount(already + amount)}, au-delà du montant "
                f"accordé ({rules.fr_amount(payable)}) : il reste {rules.fr_amount(payable - already)} à verser."
            )
        transition_fire(
            application=application,
            name="record_payment",
            actor=Actor.OFFICER,
            by=by,
            comment=f"{PaymentKind(kind).label.capitalize()} de {rules.fr_amount(amount)} versée le {day(paid_on)}.",
        )
        payment = Payment.objects.create(
            application=application,
            kind=kind,
            amount=amount,
            paid_on=paid_on,
            reference=reference,
            recorded_by=by,
            agreement_on=agreement.signed_on,
        )
        access_log(application=application, user=by, action=AccessAction.CHANGE, detail="versement")
        return payment


def application_close(*, application: Application, by, comment: str = "") -> Application:
    """Closes a file after at least one payment. What was not paid goes back to the credits of the decision's year
    (a release, with its reason: required then), under the envelope's row lock."""
    with transaction.atomic():
        envelope = _envelope_of(application)
        application = _locked(application)
        if not application.payments.exists():
            raise TransitionError("Un dossier se clôture après au moins un versement.")
        unpaid = application.payable_amount - application.paid_total
        comment = (comment or "").strip()
        if unpaid > 0 and not comment:
            raise TransitionError(
                f"{rules.fr_amount(unpaid)} n'ont pas été versés : indiquez le motif de la clôture, "
                f"ce reliquat revient aux crédits {envelope.year}."
            )
        if unpaid > 0:
            comment = f"{comment} Reliquat de {rules.fr_amount(unpaid)} libéré sur les crédits {envelope.year}."
            _movement(application, envelope, kind=MovementKind.RELEASE, amount=unpaid, by=by, reason=comment)
        transition_fire(application=application, name="close", actor=Actor.OFFICER, by=by, comment=comment)
        access_log(application=application, user=by, action=AccessAction.CHANGE, detail="clôture")
        return application


def application_cancel(*, application: Application, by, comment: str) -> Application:
    """Cancels a grant (annulation: project abandoned, conditions not met). What was not paid goes back to the credits
    of the decision's year; what was paid is to be recovered (a reversement, recorded when it comes in)."""
    with transaction.atomic():
        envelope = _envelope_of(application)
        application = _locked(application)
        comment = (comment or "").strip()
        if not comment:
            raise TransitionError(
                "« Annuler la subvention » demande un motif (la délibération ou la décision d'annulation)."
            )
        unpaid = application.payable_amount - application.paid_total
        paid = application.paid_total - application.movements_total(MovementKind.RECOVERY)
        note = comment
        if unpaid > 0:
            note += f" {rules.fr_amount(unpaid)} libérés sur les crédits {envelope.year}."
            _movement(application, envelope, kind=MovementKind.CANCELLATION, amount=unpaid, by=by, reason=comment)
        if paid > 0:
            note += f" {rules.fr_amount(paid)} déjà versés sont à reverser."
        transition_fire(application=application, name="cancel", actor=Actor.OFFICER, by=by, comment=note)
        access_log(application=application, user=by, action=AccessAction.CHANGE, detail="annulation")
        return application


def recovery_record(*, application: Application, by, amount: Decimal, on, comment: str) -> CreditMovement:
    """Money paid back by the beneficiary (reversement, partial or whole): at most what was paid and not yet paid
    back; it goes back to the credits of the decision's year."""
    with transaction.atomic():
        envelope = _envelope_of(application)
        application = _locked(application)
        comment = (comment or "").strip()
        if not comment:
            raise TransitionError("« Enregistrer un reversement » demande un motif (le titre de recette, la raison).")
        if amount is None or amount <= 0:
            raise ValidationError("Le montant d'un reversement est positif.")
        check_dates(on, what="La date du reversement")
        recoverable = application.paid_total - application.movements_total(MovementKind.RECOVERY)
        if amount > recoverable:
            raise ValidationError(
                f"Le reversement ({rules.fr_amount(amount)}) dépasse ce qui a été versé et non encore reversé "
                f"({rules.fr_amount(recoverable)})."
            )
        transition_fire(
            application=application,
            name="recover",
            actor=Actor.OFFICER,
            by=by,
            comment=(
                f"{comment} Reversement de {rules.fr_amount(amount)} le {day(on)}, rendu aux crédits {envelope.year}."
            ),
        )
        movement = _movement(
            application, envelope, kind=MovementKind.RECOVERY, amount=amount, by=by, on=on, reason=comment
        )
        access_log(application=application, user=by, action=AccessAction.CHANGE, detail="reversement")
        return movement


def envelope_save(*, scheme: Scheme, year: int, credits: Decimal, vote_reference: str = "") -> BudgetEnvelope:
    """Sets the credits voted for a year; they never fall below what is committed and not given back."""
    with transaction.atomic():
        envelope = BudgetEnvelope.objects.select_for_update(of=("self",)).filter(scheme=scheme, year=year).first()
        if credits < 0:
            raise ValidationError("Les crédits ne peuvent pas être négatifs.")
        if envelope is None:
            return BudgetEnvelope.objects.create(
                scheme=scheme, year=year, credits=credits, vote_reference=vote_reference
            )
        committed = envelope.committed() - envelope.released()
        if credits < committed:
            raise ValidationError(
                f"{rules.fr_amount(committed)} sont déjà engagés sur {year} : les crédits ne peuvent pas descendre en "
                "dessous."
            )
        envelope.credits = credits
        envelope.vote_reference = vote_reference
        envelope.save(update_fields=["credits", "vote_reference", "updated_at"])
        return envelope
