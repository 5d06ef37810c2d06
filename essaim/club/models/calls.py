"""Calls for projects and the joint answers to them (seed 004: "répondre en équipe à des appels à projets").

A joint answer (*réponse en consortium*) is a private workspace: its lead member invites partners; only the people of
its accepted partners (and the club's facilitators when the lead allows it) see its tasks, documents, discussion
and budget split. A won answer can become a grant application's cooperation project (fiche 10): the link lives
here (``grant_application``), so the grants capability knows nothing of the club."""

from django.conf import settings
from django.db import models

from essaim.club.enums import AnswerStatus, PartnerStatus
from essaim.core.models import TimeStampedModel
from essaim.core.storage import private_file_name, private_storage


class Call(TimeStampedModel):
    """A call for projects relayed to the club's members (by the territory, the Région, a foundation…)."""

    club = models.ForeignKey("club.Club", on_delete=models.CASCADE, related_name="calls", verbose_name="club")
    title = models.CharField("titre", max_length=250)
    funder = models.CharField("financeur", max_length=200)
    description = models.TextField("présentation", blank=True)
    amount = models.DecimalField("montant (€)", max_digits=12, decimal_places=2, null=True, blank=True)
    amount_note = models.CharField("précisions sur le montant", max_length=200, blank=True)
    deadline = models.DateField("date limite de dépôt")
    url = models.URLField("lien vers l'appel", blank=True)
    sectors = models.ManyToManyField(
        "directory.Sector", blank=True, related_name="club_calls", verbose_name="thématiques"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="publié par"
    )
    notified_at = models.DateTimeField("membres prévenus le", null=True, blank=True)

    class Meta:
        verbose_name = "appel à projets"
        verbose_name_plural = "appels à projets"
        ordering = ["club", "deadline"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gte=0), name="call_amount_not_negative"
            ),
        ]

    def __str__(self):
        return self.title


class JointAnswer(TimeStampedModel):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="answers", verbose_name="appel à projets")
    lead = models.ForeignKey(
        "club.Member", on_delete=models.PROTECT, related_name="led_answers", verbose_name="chef de file"
    )
    title = models.CharField("intitulé du projet", max_length=250)
    summary = models.TextField("le projet en quelques lignes", blank=True)
    status = models.CharField("statut", max_length=10, choices=AnswerStatus.choices, default=AnswerStatus.PREPARING)
    facilitators_can_see = models.BooleanField(
        "les animateur·rices du club peuvent suivre", default=False, help_text="Décidé par le chef de file."
    )
    amount_requested = models.DecimalField(
        "montant demandé (€)", max_digits=12, decimal_places=2, null=True, blank=True
    )
    submitted_on = models.DateField("déposée le", null=True, blank=True)
    outcome_on = models.DateField("résultat connu le", null=True, blank=True)
    amount_awarded = models.DecimalField("montant obtenu (€)", max_digits=12, decimal_places=2, null=True, blank=True)
    outcome_note = models.TextField("retour du financeur", blank=True)
    grant_application = models.ForeignKey(
        "grants.Application",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="demande d'aide Entreprendre Autrement (projet de coopération)",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="créée par"
    )

    class Meta:
        verbose_name = "réponse commune"
        verbose_name_plural = "réponses communes"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=AnswerStatus.values), name="answer_status_valid"),
        ]

    def __str__(self):
        return self.title


class AnswerPartner(TimeStampedModel):
    """A member invited to a joint answer, its status and its share of the budget. The lead is a partner too
    (accepted from the start)."""

    answer = models.ForeignKey(JointAnswer, on_delete=models.CASCADE, related_name="partners", verbose_name="réponse")
    member = models.ForeignKey(
        "club.Member", on_delete=models.CASCADE, related_name="answer_partnerships", verbose_name="membre"
    )
    status = models.CharField("statut", max_length=10, choices=PartnerStatus.choices, default=PartnerStatus.INVITED)
    role = models.CharField("rôle dans le projet", max_length=200, blank=True)
    budget_share = models.DecimalField("part du budget (€)", max_digits=12, decimal_places=2, null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="invité par"
    )
    answered_at = models.DateTimeField("réponse le", null=True, blank=True)

    class Meta:
        verbose_name = "partenaire d'une réponse commune"
        verbose_name_plural = "partenaires des réponses communes"
        ordering = ["answer", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["answer", "member"], name="answer_partner_once"),
            models.CheckConstraint(
                condition=models.Q(budget_share__isnull=True) | models.Q(budget_share__gte=0),
                name="answer_partner_share_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.member} — {self.answer}"


class AnswerTask(TimeStampedModel):
    answer = models.ForeignKey(JointAnswer, on_delete=models.CASCADE, related_name="tasks", verbose_name="réponse")
    title = models.CharField("tâche", max_length=250)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="qui s'en charge",
    )
    partner = models.ForeignKey(
        AnswerPartner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name="partenaire",
    )
    due_on = models.DateField("pour le", null=True, blank=True)
    done_at = models.DateTimeField("faite le", null=True, blank=True)

    class Meta:
        verbose_name = "tâche d'une réponse commune"
        verbose_name_plural = "tâches des réponses communes"
        ordering = ["answer", "done_at", "due_on", "pk"]

    def __str__(self):
        return self.title


def answer_document_path(instance, filename):
    return private_file_name("club/answers", instance.content_type)


class AnswerDocument(TimeStampedModel):
    """A document of the workspace (PDF, PNG or JPEG, type checked by content), served only to its partners."""

    answer = models.ForeignKey(JointAnswer, on_delete=models.CASCADE, related_name="documents", verbose_name="réponse")
    file = models.FileField("fichier", upload_to=answer_document_path, storage=private_storage, max_length=200)
    original_name = models.CharField("nom du fichier déposé", max_length=200)
    content_type = models.CharField("type de contenu", max_length=40)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="déposé par"
    )

    class Meta:
        verbose_name = "document d'une réponse commune"
        verbose_name_plural = "documents des réponses communes"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.original_name


class AnswerMessage(TimeStampedModel):
    """A message of the workspace's short discussion thread."""

    answer = models.ForeignKey(JointAnswer, on_delete=models.CASCADE, related_name="messages", verbose_name="réponse")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="auteur·rice"
    )
    body = models.TextField("message")

    class Meta:
        verbose_name = "message d'une réponse commune"
        verbose_name_plural = "messages des réponses communes"
        ordering = ["answer", "created_at", "pk"]

    def __str__(self):
        return self.body[:60]
