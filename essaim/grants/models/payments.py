"""After the decision: the agreement, payments, and the access log."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from essaim.core.models import TimeStampedModel
from essaim.grants.enums import (
    AccessAction,
    PaymentKind,
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

    class Meta:
        verbose_name = "convention"
        verbose_name_plural = "conventions"

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
