"""Sittings of the commission and the Bureau, opinions and decisions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from essaim.core.models import TimeStampedModel
from essaim.grants.enums import (
    DecisionOutcome,
    Opinion,
    SessionKind,
)
from essaim.grants.models.applications import Application
from essaim.grants.models.common import ZERO, money
from essaim.grants.models.schemes import BudgetEnvelope, Scheme


class SessionQuerySet(models.QuerySet):
    def for_territory(self, territory):
        return self.filter(scheme__territory=territory)


class Session(TimeStampedModel):
    """A sitting of the ad hoc commission (opinions) or of the Bureau communautaire (decisions), with its agenda."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="sessions", verbose_name="dispositif")
    kind = models.CharField("instance", max_length=12, choices=SessionKind.choices)
    date = models.DateField("date")
    place = models.CharField("lieu", max_length=200, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="grant_sessions",
        verbose_name="membres convoqués",
        help_text="Les membres de la commission qui siègent : eux seuls voient les dossiers de la séance.",
    )
    applications = models.ManyToManyField(
        Application, through="SessionItem", related_name="sessions", verbose_name="ordre du jour"
    )
    recorded_at = models.DateTimeField("avis ou décisions enregistrés le", null=True, blank=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = "séance"
        verbose_name_plural = "séances"
        ordering = ["-date", "kind"]
        constraints = [models.CheckConstraint(condition=Q(kind__in=SessionKind.values), name="session_kind_valid")]

    def __str__(self):
        return f"{self.get_kind_display()} du {self.date:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("grants:session", kwargs={"pk": self.pk})


class SessionItem(TimeStampedModel):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="items", verbose_name="séance")
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="session_items", verbose_name="demande"
    )
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "point de l'ordre du jour"
        verbose_name_plural = "points de l'ordre du jour"
        ordering = ["session", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["session", "application"], name="session_item_unique")]

    def __str__(self):
        return f"{self.session} — {self.application.reference}"


class CommissionOpinion(TimeStampedModel):
    """The ad hoc commission's opinion on one application. The amount it proposes is never above the amount
    computed by the rule (a database constraint on the copy kept here)."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="opinions", verbose_name="demande"
    )
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="opinions", verbose_name="séance")
    opinion = models.CharField("avis", max_length=12, choices=Opinion.choices)
    computed_amount = money("montant calculé (€)")
    proposed_amount = money("montant proposé (€)", null=True, blank=True)
    comment = models.TextField("motivation", blank=True)
    given_on = models.DateField("avis rendu le", null=True, help_text="La date de la séance de la commission.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="saisi par"
    )

    class Meta:
        verbose_name = "avis de la commission"
        verbose_name_plural = "avis de la commission"
        ordering = ["application", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["application", "session"], name="opinion_one_per_session"),
            models.CheckConstraint(condition=Q(opinion__in=Opinion.values), name="opinion_valid"),
            models.CheckConstraint(
                condition=Q(proposed_amount__isnull=True)
                | Q(proposed_amount__gte=0, proposed_amount__lte=models.F("computed_amount")),
                name="opinion_proposed_not_above_computed",
            ),
            models.CheckConstraint(
                condition=~Q(opinion=Opinion.FAVOURABLE) | Q(proposed_amount__gt=0),
                name="opinion_favourable_proposes_an_amount",
            ),
        ]

    def __str__(self):
        return f"{self.application.reference} : avis {self.get_opinion_display()}"


class Decision(TimeStampedModel):
    """The Bureau communautaire's deliberation on one application: granted with an amount never above the one the
    commission proposed, or refused; counted against the envelope of its year."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="decision", verbose_name="demande"
    )
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="decisions", verbose_name="séance")
    envelope = models.ForeignKey(
        BudgetEnvelope, on_delete=models.PROTECT, related_name="decisions", verbose_name="enveloppe"
    )
    outcome = models.CharField("décision", max_length=10, choices=DecisionOutcome.choices)
    proposed_amount = money("montant proposé par la commission (€)", default=ZERO)
    amount = money("montant accordé (€)", null=True, blank=True)
    deliberation_number = models.CharField("numéro de délibération", max_length=40)
    deliberation_date = models.DateField("date de la délibération")
    opinion_on = models.DateField(
        "date de l'avis de la commission", null=True, help_text="Copie : la délibération ne la précède jamais."
    )
    comment = models.TextField("motivation", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="saisie par"
    )

    class Meta:
        verbose_name = "décision du Bureau"
        verbose_name_plural = "décisions du Bureau"
        ordering = ["-deliberation_date", "deliberation_number"]
        constraints = [
            models.CheckConstraint(condition=Q(outcome__in=DecisionOutcome.values), name="decision_outcome_valid"),
            models.CheckConstraint(
                condition=Q(outcome=DecisionOutcome.REFUSED, amount__isnull=True)
                | Q(outcome=DecisionOutcome.GRANTED, amount__gt=0, amount__lte=models.F("proposed_amount")),
                name="decision_amount_not_above_proposed",
            ),
            models.CheckConstraint(
                condition=Q(opinion_on__isnull=True) | Q(deliberation_date__gte=models.F("opinion_on")),
                name="decision_not_before_opinion",
            ),
        ]

    def __str__(self):
        return f"Délibération {self.deliberation_number} : {self.application.reference}"
