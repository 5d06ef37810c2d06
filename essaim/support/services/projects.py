"""The project record's writes: opening a project (by hand, for a structure of the directory, or from a booking),
its stage, closure and satisfaction survey, next steps, notes, documents, the access log, and the grant
application started from it. Referrals live in ``referrals.py`` and are re-exported here (the shared contract).

Every function that changes a project locks its row first (``select_for_update(of=("self",))`` inside
``transaction.atomic()``), so that two officers changing the stage at once leave two ordered log rows, never a
stage change logged from a stage the project no longer had."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from essaim.support import perms
from essaim.support.enums import ClosureReason, Need, ProjectKind, ProjectStatus, ReferralStatus, Stage
from essaim.support.models import (
    Booking,
    NextStep,
    Project,
    ProjectAccess,
    ProjectApplication,
    ProjectDocument,
    ProjectNote,
    SatisfactionSurvey,
    StageChange,
)
from essaim.support.services.referrals import referral_create, referral_move
from essaim.support.workflow import WorkflowError

__all__ = [
    "application_from_project",
    "document_add",
    "next_step_add",
    "next_step_done",
    "note_add",
    "project_access",
    "project_close",
    "project_create",
    "project_from_booking",
    "project_reopen",
    "project_set_stage",
    "project_update",
    "referral_create",
    "referral_move",
    "survey_answer",
    "WorkflowError",
]

EDITABLE_FIELDS = {
    "kind",
    "title",
    "idea",
    "sector",
    "commune",
    "stage",
    "needs",
    "jobs_planned",
    "holder_name",
    "holder_email",
    "holder_phone",
    "holder",
    "structure",
    "referent",
    "first_contact_at",
}
HELPED_CHOICES = {"yes": "oui", "partly": "en partie", "no": "non"}


def _locked(project: Project) -> Project:
    return Project.objects.select_for_update(of=("self",)).select_related("territory").get(pk=project.pk)


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"Champs inconnus : {', '.join(sorted(unknown))}")
    needs = fields.get("needs")
    if needs is not None and not set(needs) <= set(Need.values):
        raise ValidationError("Un des besoins indiqués n'existe pas.")
    if "stage" in fields and fields["stage"] not in Stage.values:
        raise ValidationError("Cette étape n'existe pas.")


def _clean_holder_email(fields: dict) -> None:
    if fields.get("holder_email"):
        fields["holder_email"] = fields["holder_email"].strip().lower()


@transaction.atomic
def project_create(*, territory, by, **fields) -> Project:
    """Opens a project of the territory: a person's idea (``creation``) or the follow-up of a structure of the
    directory (``development``, seed 001: "les entreprises déjà implantées sont suivies"). The person opening it is
    its referent unless another is given; the first stage is logged."""
    _check_fields(fields)
    _clean_holder_email(fields)
    if fields.get("structure") is not None and "kind" not in fields:
        fields["kind"] = ProjectKind.DEVELOPMENT
    if fields.get("kind", ProjectKind.CREATION) == ProjectKind.DEVELOPMENT and fields.get("structure") is None:
        raise ValidationError("Le suivi d'une structure existante demande de choisir la structure dans l'annuaire.")
    if not (fields.get("title") or "").strip():
        structure = fields.get("structure")
        fields["title"] = f"Développement de {structure.name}" if structure else ""
    if not fields["title"]:
        raise ValidationError("Donnez un intitulé au projet.")
    if "referent" not in fields and perms.is_team(by, territory):
        fields["referent"] = by
    project = Project(territory=territory, **fields)
    project.full_clean(exclude=["holder", "structure", "referent", "sector", "commune", "territory"])
    project.save()
    StageChange.objects.create(project=project, from_stage="", to_stage=project.stage, by=by, comment="Ouverture")
    return project


@transaction.atomic
def project_update(*, project: Project, by, **fields) -> Project:
    """Changes what the record says (title, idea, needs, holder's contact, referent…); the stage moves only through
    ``project_set_stage``, which logs it."""
    fields.pop("stage", None)
    _check_fields(fields)
    _clean_holder_email(fields)
    project = _locked(project)
    for name, value in fields.items():
        setattr(project, name, value)
    project.full_clean(exclude=["holder", "structure", "referent", "sector", "commune", "territory"])
    project.save()
    return project


def _title_from(booking: Booking) -> str:
    first_line = (booking.message or "").strip().splitlines()[0:1]
    text = first_line[0].strip() if first_line else ""
    if text:
        return text if len(text) <= 120 else text[:119].rstrip() + "…"
    return f"Projet de {booking.name}"


@transaction.atomic
def project_from_booking(*, booking: Booking, by) -> Project:
    """The project of a booking: the one it is already linked to; else the holder's open project of the territory
    found by their e-mail (a second appointment of the same person); else a new project copying the booking's
    name, e-mail, phone and message. The booking is linked to it, ``first_contact_at`` set to the earliest
    appointment; a new project logs its first stage."""
    booking = Booking.objects.select_for_update(of=("self",)).select_related("territory").get(pk=booking.pk)
    if booking.anonymised_at is not None:
        raise ValidationError("Ce rendez-vous a été anonymisé : il ne peut plus ouvrir de projet.")
    if booking.project_id:
        project = _locked(booking.project)
    else:
        project = (
            Project.objects.select_for_update(of=("self",))
            .open()
            .filter(territory=booking.territory, holder_email__iexact=booking.email)
            .order_by("created_at", "pk")
            .first()
        )
        if project is None:
            project = project_create(
                territory=booking.territory,
                by=by,
                title=_title_from(booking),
                idea=booking.message,
                holder_name=booking.name,
                holder_email=booking.email,
                holder_phone=booking.phone,
                referent=booking.adviser if perms.is_team(booking.adviser, booking.territory) else by,
            )
        Booking.objects.filter(pk=booking.pk).update(project=project)
    if project.first_contact_at is None or booking.starts_at < project.first_contact_at:
        project.first_contact_at = booking.starts_at
        project.save(update_fields=["first_contact_at", "updated_at"])
    return project


@transaction.atomic
def project_set_stage(*, project: Project, stage: str, by, comment: str = "") -> Project:
    """Moves the project to another stage and logs it (the timeline and the figures read the log)."""
    if stage not in Stage.values:
        raise ValidationError("Cette étape n'existe pas.")
    project = _locked(project)
    if not project.is_open:
        raise ValidationError("Ce projet est clos : rouvrez-le avant de changer son étape.")
    if project.stage == stage:
        raise ValidationError(f"Le projet est déjà à l'étape « {Stage(stage).label} ».")
    StageChange.objects.create(
        project=project, from_stage=project.stage, to_stage=stage, by=by, comment=(comment or "").strip()
    )
    project.stage = stage
    project.save(update_fields=["stage", "updated_at"])
    return project


@transaction.atomic
def project_close(*, project: Project, reason: str, by) -> Project:
    """Closes the project: its referrals still open are closed "without help" (with a comment saying why), the
    closure is logged, and the holder receives the three-question satisfaction survey by a tokenised link."""
    from essaim.support.nudges import mail_survey

    if reason not in ClosureReason.values:
        raise ValidationError("Choisissez le motif de la clôture.")
    project = _locked(project)
    if not project.is_open:
        raise ValidationError("Ce projet est déjà clos.")
    for referral in project.referrals.filter(status__in=(ReferralStatus.QUO, ReferralStatus.TAKING_CARE)):
        referral_move(
            referral=referral,
            to_status=ReferralStatus.DONE_NO_HELP,
            by=by,
            comment="Orientation clôturée avec le projet par l'équipe du territoire.",
            system=True,
        )
    now = timezone.now()
    project.status = ProjectStatus.CLOSED
    project.closed_at = now
    project.closure_reason = reason
    project.save(update_fields=["status", "closed_at", "closure_reason", "updated_at"])
    StageChange.objects.create(
        project=project,
        from_stage=project.stage,
        to_stage=project.stage,
        by=by,
        comment=f"Projet clos : {ClosureReason(reason).label}",
    )
    if project.holder_email and not hasattr(project, "survey"):
        survey = SatisfactionSurvey.objects.create(project=project, token=secrets.token_urlsafe(32), sent_at=now)
        mail_survey(project, survey)
    return project


@transaction.atomic
def project_reopen(*, project: Project, by, comment: str = "") -> Project:
    """Reopens a closed project (the holder came back); the survey already sent stays as it is."""
    project = _locked(project)
    if project.is_open:
        raise ValidationError("Ce projet est déjà en cours.")
    if project.anonymised_at:
        raise ValidationError("Ce projet a été anonymisé : ouvrez-en un nouveau.")
    project.status = ProjectStatus.OPEN
    project.closed_at = None
    project.closure_reason = ""
    project.save(update_fields=["status", "closed_at", "closure_reason", "updated_at"])
    StageChange.objects.create(
        project=project, from_stage=project.stage, to_stage=project.stage, by=by, comment=comment or "Projet rouvert"
    )
    return project


# --- next steps, notes, documents, the access log -------------------------------------------------------------


def next_step_add(*, project: Project, by, title: str, due_on=None, shared_with_holder: bool = True) -> NextStep:
    title = (title or "").strip()
    if not title:
        raise ValidationError("Dites quelle est la prochaine étape.")
    step = NextStep.objects.create(
        project=project, title=title, due_on=due_on, shared_with_holder=shared_with_holder, created_by=by
    )
    Project.objects.filter(pk=project.pk).update(updated_at=timezone.now())
    return step


def next_step_done(*, step: NextStep, by) -> NextStep:
    """Marks a next step done (or not done again: a second call undoes it)."""
    step.done_at = None if step.done_at else timezone.now()
    step.save(update_fields=["done_at", "updated_at"])
    return step


def note_add(*, project: Project, by, text: str) -> ProjectNote:
    """A private note of the team or of the referred partner (never shown to the holder)."""
    text = (text or "").strip()
    if not text:
        raise ValidationError("La note est vide.")
    if not perms.can_write_note(by, project):
        raise ValidationError("Vous ne pouvez pas écrire de note sur ce projet.")
    return ProjectNote.objects.create(project=project, author=by, text=text)


def document_add(*, project: Project, by, upload) -> ProjectDocument:
    """Stores a document after the grants' checks (type read from the content, size limit, PDF without active
    content, images re-encoded without their metadata)."""
    from essaim.grants.documents import sniff_content_type

    content_type = sniff_content_type(upload)
    name = (getattr(upload, "name", "") or "document").rsplit("/", 1)[-1][:200]
    document = ProjectDocument(project=project, original_name=name, content_type=content_type, uploaded_by=by)
    document.file.save(name, upload, save=False)
    document.save()
    return document


def project_access(*, project: Project, user, action: str = "view") -> None:
    """Records who opened the record or downloaded a document (RGPD accountability)."""
    ProjectAccess.objects.create(
        project=project, user=user if user and user.is_authenticated else None, action=action[:20]
    )


# --- the satisfaction survey ----------------------------------------------------------------------------------


@transaction.atomic
def survey_answer(*, survey: SatisfactionSurvey, rating: int, helped: str, comment: str = "") -> SatisfactionSurvey:
    """Records the holder's answer, once per token."""
    survey = SatisfactionSurvey.objects.select_for_update(of=("self",)).get(pk=survey.pk)
    if survey.answered_at is not None:
        raise ValidationError("Vous avez déjà répondu à cette enquête : merci !")
    if rating not in range(1, 6):
        raise ValidationError("Choisissez une note de 1 à 5.")
    if helped not in HELPED_CHOICES:
        raise ValidationError("Dites si l'accompagnement vous a aidé.")
    survey.rating = rating
    survey.helped = helped
    survey.comment = (comment or "").strip()[:4000]
    survey.answered_at = timezone.now()
    survey.save()
    return survey


# --- the grant application started from the project ------------------------------------------------------------


@transaction.atomic
def application_from_project(*, project: Project, scheme, user, development_case: str = ""):
    """Opens a grant application draft for the holder's account through the grants' own service
    (``application_create``), prefilled from the project: title, summary from the idea, commune, the new
    structure's name for a creation, or the followed structure for a development. The holder reviews every step:
    none is marked done. Links it to the project (``ProjectApplication``)."""
    from essaim.grants.enums import AccessAction, DevelopmentCase, GrantForm
    from essaim.grants.services import access_log
    from essaim.grants.services.applicant import application_create

    if not (user and user.is_authenticated):
        raise ValidationError("Créez un compte avec l'adresse e-mail de votre projet pour commencer une demande.")
    project = _locked(project)
    if not perms.is_holder(user, project):
        raise ValidationError("Seul·e le porteur ou la porteuse du projet peut commencer une demande d'aide.")
    if not project.is_open:
        raise ValidationError("Ce projet est clos.")
    if scheme.territory_id != project.territory_id:
        raise ValidationError("Ce dispositif n'est pas celui du territoire qui accompagne le projet.")
    if project.kind == ProjectKind.DEVELOPMENT:
        form = GrantForm.DEVELOPMENT
        development_case = development_case or DevelopmentCase.NEW_ACTIVITY
    else:
        form = GrantForm.START
    application = application_create(scheme=scheme, applicant=user, form=form, development_case=development_case)
    application.project_title = project.title[:250]
    application.project_summary = project.idea
    application.project_commune = project.commune
    if project.kind == ProjectKind.DEVELOPMENT and project.structure_id:
        application.structure = project.structure
    elif project.kind == ProjectKind.CREATION:
        application.new_structure_name = project.title[:250]
        application.new_structure_commune = project.commune
    application.save()
    access_log(
        application=application, user=user, action=AccessAction.CHANGE, detail="prérempli depuis le projet accompagné"
    )
    ProjectApplication.objects.create(project=project, application=application)
    if project.holder_id is None:
        project.holder = user
        project.save(update_fields=["holder", "updated_at"])
    return application


def project_open_referrals(project: Project):
    return project.referrals.filter(status__in=(ReferralStatus.QUO, ReferralStatus.TAKING_CARE))


# --- retention ------------------------------------------------------------------------------------------------


def retention_months() -> int:
    """How long the support keeps a person's data: a booking's after its slot, a project's after its closure
    (``ESSAIM_SUPPORT_RETENTION_MONTHS``, 36 by default)."""
    from django.conf import settings

    return settings.ESSAIM_SUPPORT_RETENTION_MONTHS


def projects_anonymise(*, months: int | None = None, now=None, dry_run: bool = False) -> int:
    """Closed projects older than the retention (``ESSAIM_SUPPORT_RETENTION_MONTHS``, 36 months by default) lose
    their holder's name, e-mail, phone and account link, their notes, their documents (files deleted from the
    storage) and the survey's comment; their bookings lose the person's fields. What the figures count stays:
    territory, kind, sector, commune, stage and its log, referrals and their statuses, dates, the survey's rating."""
    from essaim.agenda.services import anonymisation_cutoff

    months = retention_months() if months is None else months
    cutoff = anonymisation_cutoff(months, now)
    due = Project.objects.filter(
        status=ProjectStatus.CLOSED, closed_at__lt=cutoff, anonymised_at__isnull=True
    ).order_by("pk")
    if dry_run:
        return due.count()
    done = 0
    stamp = timezone.now()
    for pk in list(due.values_list("pk", flat=True)):
        files = []
        with transaction.atomic():
            project = Project.objects.select_for_update(of=("self",)).get(pk=pk)
            if project.anonymised_at is not None:
                continue
            files = [document.file.name for document in project.documents.all()]
            project.documents.all().delete()
            project.notes.all().delete()
            SatisfactionSurvey.objects.filter(project=project).update(comment="")
            for booking_pk in project.bookings.filter(anonymised_at__isnull=True).values_list("pk", flat=True):
                Booking.objects.filter(pk=booking_pk).update(
                    name="Personne anonymisée",
                    email=f"anonyme-{booking_pk}@anonyme.invalid",
                    phone="",
                    message="",
                    anonymised_at=stamp,
                )
            Project.objects.filter(pk=pk).update(
                holder_name="Porteur·se anonymisé·e",
                holder_email="",
                holder_phone="",
                holder=None,
                anonymised_at=stamp,
            )
            done += 1
        storage = ProjectDocument._meta.get_field("file").storage
        for name in files:
            storage.delete(name)
    return done
