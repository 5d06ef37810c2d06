"""After the decision: the agreement, payments, and the access log."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from essaim.core.models import TimeStampedModel
from essaim.grants.enums import (
    AccessAction,
    MovementKind,
    PaymentKind,
    ReminderStep,
)
from essaim.grants.models.applications import Application
from essaim.grants.models.common import money


class Agreement(TimeStampedModel):
    """The grant agreement (convention) signed with the beneficiary."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="agreement", verbose_name="demande"
    )
    reference = models.CharField("référence de la convention", max_length=40, blank=True)
    signed_on = models.DateField("signée le")
    decided_on = models.DateField(
        "date de la délibération", null=True, help_text="Copie : la convention ne la précède jamais."
    )

    class Meta:
        verbose_name = "convention"
        verbose_name_plural = "conventions"
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(signed_on__gte=models.F("decided_on")),
                name="agreement_not_before_decision",
            ),
        ]

    def __str__(self):
        return f"Convention {self.reference or self.application.reference}"


class Payment(TimeStampedModel):
    """A payment of the grant: an advance and a balance at most, their sum never above the granted amount."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="payments", verbose_name="demande"
    )
    kind = models.CharField("nature", max_length=10, choices=PaymentKind.choices)
    amount = money("montant (€)")
    paid_on = models.DateField("versé le")
    agreement_on = models.DateField(
        "date de la convention", null=True, help_text="Copie : un versement ne précède jamais la convention."
    )
    reference = models.CharField("référence du mandat", max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="saisi par"
    )

    class Meta:
        verbose_name = "versement"
        verbose_name_plural = "versements"
        ordering = ["application", "paid_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "kind"], name="payment_one_per_kind"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(agreement_on__isnull=True) | Q(paid_on__gte=models.F("agreement_on")),
                name="payment_not_before_agreement",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} de {self.amount} € ({self.application.reference})"


class AccessLog(TimeStampedModel):
    """Who saw or changed an application, and when (RGPD: applications hold personal data)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="access_logs", verbose_name="demande"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="personne"
    )
    action = models.CharField("action", max_length=10, choices=AccessAction.choices)
    detail = models.CharField("détail", max_length=200, blank=True)

    class Meta:
        verbose_name = "accès à une demande"
        verbose_name_plural = "accès aux demandes"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["application", "created_at"], name="accesslog_application")]

    def __str__(self):
        return f"{self.user} — {self.get_action_display()} — {self.application.reference}"


class CreditMovement(TimeStampedModel):
    """Credits given back to the envelope of the decision's year: the unpaid balance released at closing, a grant
    cancelled, the amount reduced at the balance (fewer jobs than declared), or money paid back (reversement).
    Written under the envelope's row lock, logged by a transition of the workflow."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="movements", verbose_name="demande"
    )
    envelope = models.ForeignKey(
        "grants.BudgetEnvelope", on_delete=models.PROTECT, related_name="movements", verbose_name="enveloppe"
    )
    kind = models.CharField("nature", max_length=14, choices=MovementKind.choices)
    amount = money("montant (€)")
    on = models.DateField("date")
    reason = models.TextField("motif")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="saisi par"
    )

    class Meta:
        verbose_name = "mouvement de crédits"
        verbose_name_plural = "mouvements de crédits"
        ordering = ["application", "on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="movement_amount_positive"),
            models.CheckConstraint(condition=Q(kind__in=MovementKind.values), name="movement_kind_valid"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} de {self.amount} € ({self.application.reference})"


class DeadlineReminder(TimeStampedModel):
    """A reminder mailed to the beneficiary about the deadline to justify the balance: one per deadline and step,
    whatever how often the reminders run."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="reminders", verbose_name="demande"
    )
    step = models.CharField("étape", max_length=10, choices=ReminderStep.choices)
    deadline = models.DateField("échéance")
    sent_to = models.CharField("envoyé à", max_length=254, blank=True)

    class Meta:
        verbose_name = "rappel d'échéance"
        verbose_name_plural = "rappels d'échéance"
        ordering = ["application", "deadline", "step"]
        constraints = [
            models.UniqueConstraint(fields=["application", "step", "deadline"], name="reminder_one_per_step"),
        ]

    def __str__(self):
        return f"{self.application.reference} : {self.get_step_display()} du {self.deadline:%d/%m/%Y}"
