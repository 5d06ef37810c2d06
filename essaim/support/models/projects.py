"""The project record (*projet accompagné*): a person's idea or a structure's development followed from the first
contact to creation, with its next steps, private notes and documents, its stage changes, the grant applications
started from it and its referrals to partners (Conseillers-Entreprises' statuses, every change logged).

Everything about a project reads as one timeline (``essaim.support.timeline``): bookings, agenda registrations of
its holder (matched by e-mail), applications, referrals and stage changes."""

from django.conf import settings
from django.db import models

from essaim.core.models import TimeStampedModel
from essaim.core.storage import private_file_name, private_storage
from essaim.support.enums import (
    ClosureReason,
    ProjectKind,
    ProjectStatus,
    ReferralStatus,
    Stage,
)
from essaim.support.querysets import ProjectQuerySet, ReferralQuerySet

OPEN_REFERRAL = (ReferralStatus.QUO, ReferralStatus.TAKING_CARE)


class Project(TimeStampedModel):
    """A project followed by a territory's team, held by a person (with or without an account) or, for the
    follow-up of an existing structure (``kind=development``), by a structure of the directory."""

    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.PROTECT, related_name="support_projects", verbose_name="territoire"
    )
    kind = models.CharField("type", max_length=12, choices=ProjectKind.choices, default=ProjectKind.CREATION)
    title = models.CharField("intitulé", max_length=200)
    idea = models.TextField("l'idée, le besoin", blank=True)
    sector = models.ForeignKey(
        "directory.Sector", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="secteur"
    )
    commune = models.ForeignKey(
        "territories.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="commune",
    )
    stage = models.CharField("étape", max_length=12, choices=Stage.choices, default=Stage.IDEA)
    needs = models.JSONField("besoins", default=list, blank=True, help_text="Valeurs de essaim.support.enums.Need.")
    jobs_planned = models.PositiveSmallIntegerField("emplois prévus", null=True, blank=True)
    holder_name = models.CharField("porteur·se de projet", max_length=150, blank=True)
    holder_email = models.EmailField("e-mail du porteur", blank=True)
    holder_phone = models.CharField("téléphone du porteur", max_length=30, blank=True)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_projects",
        verbose_name="compte du porteur",
    )
    structure = models.ForeignKey(
        "directory.Structure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_projects",
        verbose_name="structure suivie",
    )
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_referent_of",
        verbose_name="chargé·e de mission référent·e",
    )
    status = models.CharField("état", max_length=8, choices=ProjectStatus.choices, default=ProjectStatus.OPEN)
    first_contact_at = models.DateTimeField("premier contact le", null=True, blank=True)
    closed_at = models.DateTimeField("clos le", null=True, blank=True)
    closure_reason = models.CharField("motif de clôture", max_length=10, choices=ClosureReason.choices, blank=True)
    anonymised_at = models.DateTimeField("anonymisé le", null=True, blank=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = "projet accompagné"
        verbose_name_plural = "projets accompagnés"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["territory", "status", "stage"], name="project_territory_stage"),
            models.Index(fields=["holder_email"], name="project_holder_email"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(stage__in=Stage.values), name="project_stage_valid"),
            models.CheckConstraint(
                condition=models.Q(status=ProjectStatus.OPEN) | models.Q(closed_at__isnull=False),
                name="project_closed_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("support:project", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status == ProjectStatus.OPEN


class StageChange(TimeStampedModel):
    """A move of a project from one stage to another (or its closure), kept for the timeline and the figures."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stage_changes", verbose_name="projet")
    from_stage = models.CharField("étape de départ", max_length=12, choices=Stage.choices, blank=True)
    to_stage = models.CharField("étape d'arrivée", max_length=12, choices=Stage.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="par"
    )
    comment = models.TextField("commentaire", blank=True)

    class Meta:
        verbose_name = "changement d'étape"
        verbose_name_plural = "changements d'étape"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.project} : {self.from_stage or '—'} → {self.to_stage}"


class NextStep(TimeStampedModel):
    """Something to do next, with a due date; shown to the holder in "Mon espace" when shared with them."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="next_steps", verbose_name="projet")
    title = models.CharField("prochaine étape", max_length=250)
    due_on = models.DateField("pour le", null=True, blank=True)
    done_at = models.DateTimeField("faite le", null=True, blank=True)
    shared_with_holder = models.BooleanField("visible du porteur", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="par"
    )

    class Meta:
        verbose_name = "prochaine étape"
        verbose_name_plural = "prochaines étapes"
        ordering = ["done_at", "due_on", "pk"]

    def __str__(self):
        return self.title


class ProjectNote(TimeStampedModel):
    """A private note of the territory's team (and of the partner the project was referred to): never shown to the
    holder nor to anyone else."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="notes", verbose_name="projet")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="auteur·rice"
    )
    text = models.TextField("note")

    class Meta:
        verbose_name = "note de suivi"
        verbose_name_plural = "notes de suivi"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Note du {self.created_at:%d/%m/%Y}"


def project_document_path(instance, filename):
    """A name nobody can guess, in the private storage (outside MEDIA_ROOT)."""
    return private_file_name("support/private", instance.content_type)


class ProjectDocument(TimeStampedModel):
    """A document of a project (PDF, PNG or JPEG, type checked by content), served only to those who may read it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents", verbose_name="projet")
    file = models.FileField("fichier", upload_to=project_document_path, storage=private_storage, max_length=200)
    original_name = models.CharField("nom du fichier déposé", max_length=200)
    content_type = models.CharField("type de contenu", max_length=40)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="déposé par"
    )

    class Meta:
        verbose_name = "document d'un projet"
        verbose_name_plural = "documents des projets"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.original_name


class ProjectApplication(TimeStampedModel):
    """A grant application started from a project (prefilled from it): the link lives here so that the grants app
    knows nothing of support."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="applications", verbose_name="projet")
    application = models.OneToOneField(
        "grants.Application", on_delete=models.CASCADE, related_name="support_link", verbose_name="demande d'aide"
    )

    class Meta:
        verbose_name = "demande d'aide d'un projet"
        verbose_name_plural = "demandes d'aide des projets"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.project} — {self.application_id}"


class Referral(TimeStampedModel):
    """A project routed to a partner, which accepts (``taking_care``) or declines (``not_for_me``), then closes it
    (Conseillers-Entreprises' statuses, transitions enforced by ``essaim.support.workflow``). Left at ``quo``, the
    partner is reminded at D+9, the referral escalated to the officers at D+21 and shown as abandoned at D+45."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="referrals", verbose_name="projet")
    partner = models.ForeignKey(
        "support.Partner", on_delete=models.PROTECT, related_name="referrals", verbose_name="partenaire"
    )
    status = models.CharField("état", max_length=14, choices=ReferralStatus.choices, default=ReferralStatus.QUO)
    message = models.TextField("message au partenaire", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="orienté par"
    )
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_referrals_taken",
        verbose_name="pris en charge par",
    )
    status_changed_at = models.DateTimeField("état changé le", null=True, blank=True)
    first_contact_at = models.DateTimeField("premier contact le", null=True, blank=True)
    reminded_at = models.DateTimeField("relancé le", null=True, blank=True)
    escalated_at = models.DateTimeField("signalé aux chargés de mission le", null=True, blank=True)
    closed_at = models.DateTimeField("clos le", null=True, blank=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = "orientation vers un partenaire"
        verbose_name_plural = "orientations vers des partenaires"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["partner", "status"], name="referral_partner_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "partner"],
                condition=models.Q(status__in=OPEN_REFERRAL),
                name="referral_one_open_per_partner",
            ),
            models.CheckConstraint(condition=models.Q(status__in=ReferralStatus.values), name="referral_status_valid"),
        ]

    def __str__(self):
        return f"{self.project} → {self.partner} ({self.get_status_display()})"


class ReferralTransition(TimeStampedModel):
    """Every change of a referral's status, with who and why (the log the issue asks for)."""

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="transitions", verbose_name="orientation"
    )
    from_status = models.CharField("état de départ", max_length=14, choices=ReferralStatus.choices)
    to_status = models.CharField("état d'arrivée", max_length=14, choices=ReferralStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="par"
    )
    comment = models.TextField("commentaire", blank=True)

    class Meta:
        verbose_name = "changement d'état d'une orientation"
        verbose_name_plural = "changements d'état des orientations"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.referral_id} : {self.from_status} → {self.to_status}"


class SatisfactionSurvey(TimeStampedModel):
    """Three questions asked to the holder when their project is closed, answered by the mail's link."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="survey", verbose_name="projet")
    token = models.CharField("jeton", max_length=64, unique=True, editable=False)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    answered_at = models.DateTimeField("répondu le", null=True, blank=True)
    rating = models.PositiveSmallIntegerField("satisfaction (1 à 5)", null=True, blank=True)
    helped = models.CharField("l'accompagnement vous a-t-il aidé ?", max_length=8, blank=True)
    comment = models.TextField("commentaire", blank=True)

    class Meta:
        verbose_name = "enquête de satisfaction"
        verbose_name_plural = "enquêtes de satisfaction"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="survey_rating_range",
            ),
        ]

    def __str__(self):
        return f"Enquête — {self.project}"


class ProjectAccess(TimeStampedModel):
    """Who opened a project, and when (RGPD accountability): written by the project's page after its permission
    check, shown to the territory's team on the project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="accesses", verbose_name="projet")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="personne"
    )
    action = models.CharField("action", max_length=20, default="view")

    class Meta:
        verbose_name = "consultation d'un projet"
        verbose_name_plural = "consultations des projets"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["project", "created_at"], name="project_access_at")]

    def __str__(self):
        return f"{self.user} — {self.project_id} ({self.created_at:%d/%m/%Y %H:%M})"
