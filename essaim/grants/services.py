"""Writes on grant applications. Every state change goes through ``workflow.transition_fire``; every service that
can race with another locks the rows it reads (``select_for_update(of=("self",))`` in ``transaction.atomic()``)."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from essaim.grants import rules
from essaim.grants.documents import sniff_content_type
from essaim.grants.enums import (
    AccessAction,
    Actor,
    ApplicationState,
    DecisionOutcome,
    GrantForm,
    Opinion,
    PaymentKind,
    SessionKind,
)
from essaim.grants.models import (
    AccessLog,
    Agreement,
    Application,
    ApplicationDocument,
    BudgetEnvelope,
    CommissionOpinion,
    Decision,
    Examination,
    FundingLine,
    Message,
    Payment,
    Scheme,
    Session,
    SessionItem,
)
from essaim.grants.tasks import mail_on_commit
from essaim.grants.workflow import TransitionError, transition_fire

STEPS = [
    ("structure", "La structure"),
    ("projet", "Le projet"),
    ("emplois", "Les emplois créés"),
    ("investissement", "L'investissement"),
    ("financement", "Le plan de financement"),
    ("pieces", "Les pièces"),
]
STEP_NAMES = [name for name, _ in STEPS]


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",)).select_related("scheme__territory").get(pk=application.pk)
    )


def access_log(*, application: Application, user, action: str, detail: str = "") -> None:
    """Records who saw or changed an application (RGPD: the file holds personal data)."""
    AccessLog.objects.create(
        application=application, user=user if user and user.is_authenticated else None, action=action, detail=detail
    )


def _officer_emails(application):
    if application.assigned_to_id:
        return [application.assigned_to.email]
    from essaim.accounts.models import Membership
    from essaim.grants.perms import STAFF_ROLES

    return list(
        Membership.objects.filter(territory=application.scheme.territory, role__in=STAFF_ROLES).values_list(
            "user__email", flat=True
        )
    )


def _applicant_emails(application):
    return [application.applicant.email] if application.applicant_id else []


def _mail(application, *, to_applicant: bool, subject: str, template: str, **context):
    recipients = _applicant_emails(application) if to_applicant else _officer_emails(application)
    mail_on_commit(
        recipients=recipients,
        subject=f"[{application.reference}] {subject}",
        template=template,
        context={"application": application, "scheme": application.scheme, **context},
    )


# Computing -------------------------------------------------------------------------------------------------------


def application_compute(application: Application) -> rules.Computation:
    """Sets the amount from the application's rule version (kept once submitted)."""
    result = rules.compute(
        application.rule.parameters,
        fte_created=Decimal(application.fte_created),
        investment=Decimal(application.investment_excl_vat),
    )
    application.fte_part = result.fte_part
    application.investment_part = result.investment_part
    application.computed_amount = result.total
    application.caps_applied = result.caps_applied
    return result


def simulate(*, scheme: Scheme, form: str, fte_created, investment, day: datetime.date | None = None):
    """The public simulator: the amount the rule in force gives, without saving anything."""
    if form not in GrantForm.values:
        raise rules.RuleInputError("Forme de l'aide : « demarrage » ou « developpement » est attendu.")
    rule = scheme.rule_on(day or timezone.localdate())
    if rule is None:
        raise rules.RuleInputError("Aucune règle de calcul n'est en vigueur pour ce dispositif.")
    return rule, rules.compute(
        rule.parameters, fte_created=rules.parse_fte(fte_created), investment=rules.parse_investment(investment)
    )


# The applicant's file --------------------------------------------------------------------------------------------


@transaction.atomic
def application_create(*, scheme: Scheme, applicant, form: str, development_case: str = "") -> Application:
    """Opens a draft for the applicant, with the rule version in force today."""
    if not scheme.is_published or not scheme.is_open:
        raise ValidationError("Le dispositif n'est pas ouvert aux demandes en ce moment.")
    rule = scheme.current_rule()
    if rule is None:
        raise ValidationError("Aucune règle de calcul n'est en vigueur pour ce dispositif.")
    if form == GrantForm.START:
        development_case = ""
    elif not development_case:
        raise ValidationError("Précisez le cas de l'aide au développement.")
    application = Application(
        scheme=scheme, rule=rule, applicant=applicant, form=form, development_case=development_case
    )
    application_compute(application)
    application.save()
    access_log(application=application, user=applicant, action=AccessAction.CHANGE, detail="création du brouillon")
    return application


def _check_editable(application, by):
    if application.applicant_id != getattr(by, "pk", None):
        raise ValidationError("Seul le demandeur peut modifier sa demande.")
    if not application.is_editable_by_applicant:
        raise ValidationError(
            f"La demande ne peut plus être modifiée : elle est à l'état « {application.get_state_display()} »."
        )


@transaction.atomic
def application_save_step(*, application: Application, by, step: str, values: dict) -> Application:
    """Saves one step of the form as a draft: the fields of that step, the amount recomputed, the step marked."""
    application = _locked(application)
    _check_editable(application, by)
    for name, value in values.items():
        setattr(application, name, value)
    if application.state == ApplicationState.DRAFT:
        # A draft follows the rule in force; once filed, the file keeps the version it was computed with.
        application.rule = application.scheme.current_rule() or application.rule
    application_compute(application)
    if step not in application.steps_done:
        application.steps_done = [s for s in STEP_NAMES if s in {*application.steps_done, step}]
    application.full_clean(exclude=["applicant", "structure", "rule", "scheme"])
    application.save()
    access_log(application=application, user=by, action=AccessAction.CHANGE, detail=f"étape {step}")
    return application


@transaction.atomic
def application_set_funding(*, application: Application, by, lines: list[dict]) -> Application:
    """Replaces the financing plan's resources; the balance itself is checked at submission (and shown live)."""
    application = _locked(application)
    _check_editable(application, by)
    application.funding_lines.all().delete()
    FundingLine.objects.bulk_create(FundingLine(application=application, **line) for line in lines)
    if "financement" not in application.steps_done:
        application.steps_done = [s for s in STEP_NAMES if s in {*application.steps_done, "financement"}]
        application.save(update_fields=["steps_done", "updated_at"])
    access_log(application=application, user=by, action=AccessAction.CHANGE, detail="plan de financement")
    return application


def financing_gap(application: Application) -> Decimal | None:
    """Resources minus budget: 0 when the plan balances, None while the budget is unknown."""
    if application.project_budget is None:
        return None
    return application.resources_total - application.project_budget


@transaction.atomic
def document_add(*, application: Application, by, kind: str, upload) -> ApplicationDocument:
    application = _locked(application)
    _check_editable(application, by)
    content_type = sniff_content_type(upload)
    document = ApplicationDocument(
        application=application,
        kind=kind,
        original_name=upload.name[-200:],
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )
    document.file.save("piece", upload, save=False)
    document.save()
    if "pieces" not in application.steps_done:
        application.steps_done = [s for s in STEP_NAMES if s in {*application.steps_done, "pieces"}]
        application.save(update_fields=["steps_done", "updated_at"])
    access_log(application=application, user=by, action=AccessAction.CHANGE, detail=f"pièce ajoutée : {kind}")
    return document


@transaction.atomic
def document_delete(*, document: ApplicationDocument, by) -> None:
    application = _locked(document.application)
    _check_editable(application, by)
    document.file.delete(save=False)
    document.delete()
    access_log(application=application, user=by, action=AccessAction.CHANGE, detail="pièce retirée")


def submission_problems(application: Application) -> list[str]:
    """What still prevents filing the application, in French, one line per problem."""
    problems = []
    if not application.structure_id:
        if not application.new_structure_name:
            problems.append("La structure : choisissez-la dans l'annuaire ou décrivez la nouvelle structure.")
        elif not (application.new_structure_siret or application.new_structure_rna):
            problems.append("La structure : indiquez le SIRET ou le numéro RNA de la nouvelle structure.")
    if not application.project_title or not application.project_summary:
        problems.append("Le projet : l'intitulé et la description sont obligatoires.")
    if application.project_commune_id is None:
        problems.append("Le projet : indiquez la commune où il se réalise.")
    elif not application.scheme.territory.perimeter.filter(commune_id=application.project_commune_id).exists():
        problems.append("Le projet : la commune indiquée n'est pas sur le territoire du dispositif.")
    if application.fte_created == 0 and application.investment_excl_vat == 0:
        problems.append("Les emplois et l'investissement : le projet doit créer des emplois ou investir.")
    if application.fte_created > 0 and not application.jobs_description.strip():
        problems.append("Les emplois : décrivez les postes créés et leur calendrier.")
    if application.investment_excl_vat > 0 and not application.investment_description.strip():
        problems.append("L'investissement : décrivez les investissements prévus.")
    gap = financing_gap(application)
    if gap is None:
        problems.append("Le projet : indiquez son budget total.")
    else:
        if application.investment_excl_vat > application.project_budget:
            problems.append("L'investissement ne peut pas dépasser le budget total du projet.")
        if gap != 0:
            problems.append(
                "Le plan de financement n'est pas équilibré : les ressources "
                f"({rules.fr_amount(application.resources_total)}, "
                f"dont l'aide demandée {rules.fr_amount(application.computed_amount)}) "
                f"{'dépassent' if gap > 0 else 'ne couvrent pas'} le budget du projet "
                f"({rules.fr_amount(application.project_budget)}) : écart de {rules.fr_amount(abs(gap))}."
            )
    present = set(application.documents.values_list("kind", flat=True))
    missing = [kind for kind in application.scheme.required_document_kinds if kind not in present]
    if missing:
        from essaim.grants.enums import DocumentKind

        problems.append("Les pièces : il manque " + ", ".join(DocumentKind(k).label for k in missing) + ".")
    return problems


@transaction.atomic
def application_submit(*, application: Application, by) -> Application:
    """Files the application (or files it again after a request for pieces) once it is complete."""
    application = _locked(application)
    _check_editable(application, by)
    problems = submission_problems(application)
    if problems:
        raise ValidationError(problems)
    name = "submit" if application.state == ApplicationState.DRAFT else "resubmit"
    transition_fire(application=application, name=name, actor=Actor.APPLICANT, by=by)
    _mail(
        application,
        to_applicant=True,
        subject="Votre demande est déposée",
        template="grants/mail/submitted_applicant.txt",
    )
    _mail(
        application,
        to_applicant=False,
        subject="Nouvelle demande déposée",
        template="grants/mail/submitted_officer.txt",
        url=reverse("grants:review", args=[application.pk]),
    )
    return application


@transaction.atomic
def application_withdraw(*, application: Application, by, comment: str = "") -> Application:
    application = _locked(application)
    if application.applicant_id != getattr(by, "pk", None):
        raise ValidationError("Seul le demandeur peut retirer sa demande.")
    transition_fire(application=application, name="withdraw", actor=Actor.APPLICANT, by=by, comment=comment)
    return application


# Instruction ----------------------------------------------------------------------------------------------------


@transaction.atomic
def application_assign(*, application: Application, by, officer) -> Application:
    from essaim.grants.perms import is_instructor

    application = _locked(application)
    if officer is not None and not is_instructor(officer, application.scheme.territory):
        raise ValidationError("Cette personne n'instruit pas les demandes de ce territoire.")
    application.assigned_to = officer
    application.save(update_fields=["assigned_to", "updated_at"])
    access_log(application=application, user=by, action=AccessAction.CHANGE, detail="affectation")
    return application


@transaction.atomic
def examination_save(*, application: Application, by, values: dict) -> Examination:
    application = _locked(application)
    examination, _ = Examination.objects.get_or_create(application=application)
    for name, value in values.items():
        setattr(examination, name, value)
    examination.updated_by = by
    examination.save()
    access_log(application=application, user=by, action=AccessAction.CHANGE, detail="grille d'instruction")
    return examination


@transaction.atomic
def application_officer_transition(*, application: Application, by, name: str, comment: str = "") -> Application:
    """start_review, request_pieces, mark_ready, close or drop, with the checks each needs."""
    application = _locked(application)
    if name == "mark_ready":
        examination = Examination.objects.filter(application=application).first()
        if examination is None or not examination.is_complete:
            raise TransitionError(
                "Complétez la grille d'instruction (chaque critère et la conclusion) avant d'inscrire la demande "
                "pour la commission."
            )
    if name == "close" and not application.payments.exists():
        raise TransitionError("Un dossier se clôture après au moins un versement.")
    transition_fire(application=application, name=name, actor=Actor.OFFICER, by=by, comment=comment)
    if name == "request_pieces":
        Message.objects.create(
            application=application, author=by, from_officer=True, is_request_for_pieces=True, body=comment
        )
        _mail(
            application,
            to_applicant=True,
            subject="Des pièces manquent à votre demande",
            template="grants/mail/pieces_requested.txt",
            body=comment,
        )
    elif name == "drop":
        _mail(
            application,
            to_applicant=True,
            subject="Votre demande est classée sans suite",
            template="grants/mail/state_changed.txt",
            comment=comment,
        )
    access_log(application=application, user=by, action=AccessAction.CHANGE, detail=name)
    return application


@transaction.atomic
def message_send(*, application: Application, by, body: str, from_officer: bool) -> Message:
    body = (body or "").strip()
    if not body:
        raise ValidationError("Le message est vide.")
    message = Message.objects.create(application=application, author=by, from_officer=from_officer, body=body)
    _mail(
        application,
        to_applicant=from_officer,
        subject="Nouveau message sur la demande",
        template="grants/mail/message.txt",
        message=message,
    )
    return message


# Sittings -------------------------------------------------------------------------------------------------------


@transaction.atomic
def session_create(*, scheme: Scheme, kind: str, date, place: str, members, by) -> Session:
    session = Session.objects.create(scheme=scheme, kind=kind, date=date, place=place)
    session.members.set(members)
    return session


@transaction.atomic
def session_set_agenda(*, session: Session, applications) -> Session:
    """The agenda: files ready for the commission, or reviewed by it for the Bureau."""
    expected = (
        ApplicationState.READY_FOR_COMMISSION
        if session.kind == SessionKind.COMMISSION
        else ApplicationState.COMMISSION_REVIEWED
    )
    if session.recorded_at:
        raise ValidationError("Les avis ou décisions de cette séance sont enregistrés : l'ordre du jour est figé.")
    applications = list(applications)
    for application in applications:
        if application.scheme_id != session.scheme_id:
            raise ValidationError(f"{application.reference} relève d'un autre dispositif.")
        if application.state != expected and not session.items.filter(application=application).exists():
            raise ValidationError(
                f"{application.reference} est à l'état « {application.get_state_display()} » : elle ne peut pas "
                "être inscrite à cette séance."
            )
    session.items.exclude(application__in=applications).delete()
    for position, application in enumerate(applications, start=1):
        SessionItem.objects.update_or_create(session=session, application=application, defaults={"position": position})
    return session


def _on_agenda(session, application):
    if not session.items.filter(application=application).exists():
        raise ValidationError(f"{application.reference} n'est pas à l'ordre du jour de cette séance.")


@transaction.atomic
def session_record_opinions(*, session: Session, by, entries: list[dict]) -> list[CommissionOpinion]:
    """Records the commission's opinions for the whole sitting at once: all or nothing.

    Each entry: application, opinion, proposed_amount (favourable: required, never above the computed amount),
    comment. A postponed file stays ready for a later sitting.
    """
    if session.kind != SessionKind.COMMISSION:
        raise ValidationError("Les avis se saisissent sur une séance de la commission.")
    opinions = []
    for entry in entries:
        application = _locked(entry["application"])
        _on_agenda(session, application)
        opinion = entry["opinion"]
        proposed = entry.get("proposed_amount")
        if opinion == Opinion.FAVOURABLE and not proposed:
            raise ValidationError(f"{application.reference} : un avis favorable propose un montant.")
        if opinion != Opinion.FAVOURABLE:
            proposed = None
        if proposed is not None and proposed > application.computed_amount:
            raise ValidationError(
                f"{application.reference} : le montant proposé ({rules.fr_amount(proposed)}) dépasse le montant "
                f"calculé ({rules.fr_amount(application.computed_amount)})."
            )
        name = "postpone" if opinion == Opinion.POSTPONED else "give_opinion"
        transition_fire(
            application=application,
            name=name,
            actor=Actor.SESSION,
            by=by,
            comment=f"{session} : avis {Opinion(opinion).label}. {entry.get('comment', '')}".strip(),
        )
        opinions.append(
            CommissionOpinion.objects.create(
                application=application,
                session=session,
                opinion=opinion,
                computed_amount=application.computed_amount,
                proposed_amount=proposed,
                comment=entry.get("comment", ""),
                recorded_by=by,
            )
        )
        access_log(application=application, user=by, action=AccessAction.CHANGE, detail="avis de la commission")
    session.recorded_at = timezone.now()
    session.save(update_fields=["recorded_at", "updated_at"])
    return opinions


def _envelope_for(scheme, year, *, lock: bool):
    queryset = BudgetEnvelope.objects.filter(scheme=scheme, year=year)
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    envelope = queryset.first()
    if envelope is None:
        raise ValidationError(f"Aucun crédit n'est voté pour {year} : créez l'enveloppe de l'année avant de décider.")
    return envelope


@transaction.atomic
def session_record_decisions(*, session: Session, by, entries: list[dict]) -> list[Decision]:
    """Records the Bureau's deliberations for the whole sitting at once: all or nothing, within the credits.

    Locks the envelope row of each year concerned first (``select_for_update(of=("self",))``; on SQLite the
    IMMEDIATE transaction takes the write lock at its start), then reads what is already committed: two sittings
    recorded at the same moment are serialised and can never together exceed the credits voted.

    Each entry: application, outcome, amount (granted: required, never above the commission's proposal),
    deliberation_number, deliberation_date, comment.
    """
    if session.kind != SessionKind.BUREAU:
        raise ValidationError("Les décisions se saisissent sur une séance du Bureau.")
    years = sorted({entry["deliberation_date"].year for entry in entries})
    envelopes = {year: _envelope_for(session.scheme, year, lock=True) for year in years}
    remaining = {year: envelope.remaining() for year, envelope in envelopes.items()}
    decisions = []
    for entry in entries:
        application = _locked(entry["application"])
        _on_agenda(session, application)
        if Decision.objects.filter(application=application).exists():
            raise ValidationError(f"{application.reference} : une décision est déjà enregistrée.")
        opinion = application.latest_opinion
        proposed = (opinion.proposed_amount if opinion else None) or Decimal("0.00")
        outcome = entry["outcome"]
        amount = entry.get("amount") if outcome == DecisionOutcome.GRANTED else None
        year = entry["deliberation_date"].year
        if outcome == DecisionOutcome.GRANTED:
            if not amount or amount <= 0:
                raise ValidationError(f"{application.reference} : indiquez le montant accordé.")
            if amount > proposed:
                raise ValidationError(
                    f"{application.reference} : le montant accordé ({rules.fr_amount(amount)}) dépasse le montant "
                    f"proposé par la commission ({rules.fr_amount(proposed)})."
                )
            if not application.beneficiary_siret:
                raise ValidationError(
                    f"{application.reference} : le bénéficiaire doit avoir un SIRET pour recevoir une subvention."
                )
            if amount > remaining[year]:
                raise ValidationError(
                    f"{application.reference} : crédits {year} insuffisants. Il reste "
                    f"{rules.fr_amount(remaining[year])} sur {rules.fr_amount(envelopes[year].credits)} votés ; "
                    f"{rules.fr_amount(amount)} ne peuvent pas être engagés."
                )
            remaining[year] -= amount
        if not entry.get("deliberation_number"):
            raise ValidationError(f"{application.reference} : le numéro de délibération est obligatoire.")
        transition_fire(
            application=application,
            name="grant" if outcome == DecisionOutcome.GRANTED else "refuse",
            actor=Actor.SESSION,
            by=by,
            comment=f"Délibération {entry['deliberation_number']} du {entry['deliberation_date']:%d/%m/%Y}. "
            f"{entry.get('comment', '')}".strip(),
        )
        decision = Decision.objects.create(
            application=application,
            session=session,
            envelope=envelopes[year],
            outcome=outcome,
            proposed_amount=proposed,
            amount=amount,
            deliberation_number=entry["deliberation_number"],
            deliberation_date=entry["deliberation_date"],
            comment=entry.get("comment", ""),
            recorded_by=by,
        )
        decisions.append(decision)
        access_log(application=application, user=by, action=AccessAction.CHANGE, detail="décision du Bureau")
        _mail(
            application,
            to_applicant=True,
            subject="Décision du Bureau communautaire sur votre demande",
            template="grants/mail/decision.txt",
            decision=decision,
            letter_url=reverse("grants:decision_letter", args=[application.pk]),
        )
    session.recorded_at = timezone.now()
    session.save(update_fields=["recorded_at", "updated_at"])
    return decisions


def decision_record(*, session: Session, by, application, **entry) -> Decision:
    """One deliberation (the whole-sitting service with a single entry)."""
    return session_record_decisions(session=session, by=by, entries=[{"application": application, **entry}])[0]


# After the decision ----------------------------------------------------------------------------------------------


@transaction.atomic
def agreement_sign(*, application: Application, by, signed_on, reference: str = "") -> Agreement:
    application = _locked(application)
    transition_fire(
        application=application,
        name="sign_agreement",
        actor=Actor.OFFICER,
        by=by,
        comment=f"Convention {reference} signée le {signed_on:%d/%m/%Y}.".replace("  ", " "),
    )
    agreement = Agreement.objects.create(application=application, signed_on=signed_on, reference=reference)
    access_log(application=application, user=by, action=AccessAction.CHANGE, detail="convention")
    return agreement


@transaction.atomic
def payment_record(
    *, application: Application, by, kind: str, amount: Decimal, paid_on, reference: str = ""
) -> Payment:
    """Records the advance or the balance. Locks the application: two payments recorded at once can never together
    exceed the granted amount."""
    application = _locked(application)
    granted = application.granted_amount
    if granted is None:
        raise ValidationError("Aucune subvention n'est accordée à cette demande.")
    if amount is None or amount <= 0:
        raise ValidationError("Le montant d'un versement est positif.")
    if application.payments.filter(kind=kind).exists():
        raise ValidationError(f"Le versement « {PaymentKind(kind).label} » est déjà enregistré.")
    already = application.paid_total
    if already + amount > granted:
        raise ValidationError(
            f"Ce versement porterait le total versé à {rules.fr_amount(already + amount)}, au-delà du montant "
            f"accordé ({rules.fr_amount(granted)}) : il reste {rules.fr_amount(granted - already)} à verser."
        )
    transition_fire(
        application=application,
        name="record_payment",
        actor=Actor.OFFICER,
        by=by,
        comment=f"{PaymentKind(kind).label.capitalize()} de {rules.fr_amount(amount)} versée le {paid_on:%d/%m/%Y}.",
    )
    payment = Payment.objects.create(
        application=application, kind=kind, amount=amount, paid_on=paid_on, reference=reference, recorded_by=by
    )
    access_log(application=application, user=by, action=AccessAction.CHANGE, detail="versement")
    return payment


@transaction.atomic
def envelope_save(*, scheme: Scheme, year: int, credits: Decimal, vote_reference: str = "") -> BudgetEnvelope:
    """Sets the credits voted for a year; they can never fall below what is already committed."""
    envelope = BudgetEnvelope.objects.select_for_update(of=("self",)).filter(scheme=scheme, year=year).first()
    if credits < 0:
        raise ValidationError("Les crédits ne peuvent pas être négatifs.")
    if envelope is None:
        return BudgetEnvelope.objects.create(scheme=scheme, year=year, credits=credits, vote_reference=vote_reference)
    committed = envelope.committed()
    if credits < committed:
        raise ValidationError(
            f"{rules.fr_amount(committed)} sont déjà engagés sur {year} : les crédits ne peuvent pas descendre en "
            "dessous."
        )
    envelope.credits = credits
    envelope.vote_reference = vote_reference
    envelope.save(update_fields=["credits", "vote_reference", "updated_at"])
    return envelope
