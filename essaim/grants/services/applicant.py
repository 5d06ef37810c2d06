"""The applicant's file: computing, drafting step by step, documents, filing, withdrawing."""

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
    DocumentKind,
    GrantForm,
)
from essaim.grants.models import (
    Application,
    ApplicationDocument,
    FundingLine,
    Scheme,
)
from essaim.grants.services.common import STEP_NAMES, _locked, _mail, absolute_url, access_log
from essaim.grants.workflow import transition_fire

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


ATTESTATION = (
    "J'atteste sur l'honneur l'exactitude des informations de cette demande, que la structure est à jour de ses "
    "obligations sociales et fiscales, et que je suis habilité·e à la représenter."
)


# The applicant's file --------------------------------------------------------------------------------------------


@transaction.atomic
def application_create(
    *,
    scheme: Scheme,
    applicant,
    form: str,
    development_case: str = "",
    fte_created: Decimal | None = None,
    investment: Decimal | None = None,
) -> Application:
    """Opens a draft for the applicant, with the rule version in force today; the jobs and investment simulated
    beforehand (``fte_created``, ``investment``) are carried into it, to be described at their steps."""
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
        scheme=scheme,
        rule=rule,
        applicant=applicant,
        form=form,
        development_case=development_case,
        fte_created=fte_created or Decimal("0.00"),
        investment_excl_vat=investment or Decimal("0.00"),
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
    access_log(
        application=application,
        user=by,
        action=AccessAction.CHANGE,
        detail=f"pièce ajoutée : {DocumentKind(kind).label}",
    )
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
def application_submit(*, application: Application, by, attested: bool = False) -> Application:
    """Files the application (or files it again after a request for pieces) once it is complete and the applicant
    gave the sworn statement (attestation sur l'honneur), recorded with its text, its date and the person."""
    application = _locked(application)
    _check_editable(application, by)
    problems = submission_problems(application)
    if not attested:
        problems.append("L'attestation sur l'honneur : cochez-la pour déposer la demande.")
    if problems:
        raise ValidationError(problems)
    application.attested_at = timezone.now()
    application.attested_by = by
    application.attestation_text = ATTESTATION
    application.save(update_fields=["attested_at", "attested_by", "attestation_text", "updated_at"])
    name = "submit" if application.state == ApplicationState.DRAFT else "resubmit"
    transition_fire(application=application, name=name, actor=Actor.APPLICANT, by=by)
    _mail(
        application,
        to_applicant=True,
        subject="Votre demande est déposée",
        template="grants/mail/submitted_applicant.txt",
        url=absolute_url(application.get_absolute_url()),
    )
    _mail(
        application,
        to_applicant=False,
        subject="Nouvelle demande déposée",
        template="grants/mail/submitted_officer.txt",
        url=absolute_url(reverse("grants:review", args=[application.pk])),
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
