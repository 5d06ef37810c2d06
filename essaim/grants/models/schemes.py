"""Schemes, their versioned rule and yearly credits."""

import uuid
from decimal import Decimal

from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone

from essaim.core.identifiers import validate_siret
from essaim.core.models import TimeStampedModel
from essaim.grants.enums import (
    DecisionOutcome,
    DocumentKind,
)
from essaim.grants.models.common import YEAR_VALIDATORS, ZERO, money, validate_scheme_slug
from essaim.grants.rules import RuleParameters


class SchemeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def for_territory(self, territory):
        return self.filter(territory=territory)


class Scheme(TimeStampedModel):
    """An aid scheme a territory runs, published as a structured public record (audiences, perimeter, amounts,
    dates, contact), with a versioned rule and yearly credits."""

    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.PROTECT, related_name="grant_schemes", verbose_name="territoire"
    )
    slug = models.SlugField("identifiant", max_length=80, unique=True, validators=[validate_scheme_slug])
    public_id = models.UUIDField(
        "identifiant public du dispositif",
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text="Repris dans la colonne dispositifAide de l'export SCDL.",
    )
    name = models.CharField("nom", max_length=200)
    sheet = models.ForeignKey(
        "territories.ActionSheet",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="grant_schemes",
        verbose_name="fiche action",
        help_text="La fiche de la politique ESS que ce dispositif met en œuvre (fiche 10) : "
        "ses chiffres l'alimentent.",
    )
    summary = models.TextField("résumé")
    description = models.TextField("présentation", blank=True)
    audiences = models.JSONField("publics visés", default=list, blank=True)
    eligibility = models.JSONField("conditions d'éligibilité", default=list, blank=True)
    required_document_kinds = models.JSONField(
        "pièces obligatoires", default=list, blank=True, help_text="Types de pièces à joindre avant le dépôt."
    )
    perimeter_note = models.TextField("périmètre", blank=True)
    legal_basis = models.TextField("fondement (délibérations)", blank=True)
    attributing_name = models.CharField("nom officiel de l'attribuant", max_length=200)
    attributing_siret = models.CharField(
        "SIRET de l'attribuant",
        max_length=14,
        validators=[validate_siret],
        help_text="Identifiant de la collectivité qui attribue (colonne idAttribuant du format SCDL).",
    )
    contact_service = models.CharField("service à contacter", max_length=200, blank=True)
    contact_email = models.EmailField("e-mail de contact", blank=True)
    contact_phone = models.CharField("téléphone de contact", max_length=30, blank=True)
    payment_terms = models.TextField("modalités de versement", blank=True)
    advance_rate = models.DecimalField(
        "part versée en avance",
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.50"),
        help_text="0,50 pour une avance de 50 % à la signature de la convention ; 0 pour un versement unique.",
    )
    payment_period_months = models.PositiveSmallIntegerField("délai pour justifier et solder (mois)", default=24)
    reminder_days = models.PositiveSmallIntegerField(
        "rappel avant l'échéance (jours)",
        default=60,
        help_text="Les dossiers sont signalés, et le bénéficiaire prévenu, ce nombre de jours avant l'échéance.",
    )
    notification_ue = models.BooleanField("aide notifiée à la Commission européenne", default=False)
    rae_id = models.CharField("identifiant au répertoire des aides aux entreprises", max_length=5, blank=True)
    is_published = models.BooleanField("publié", default=False)
    source_note = models.TextField("sources", blank=True)

    objects = SchemeQuerySet.as_manager()

    class Meta:
        verbose_name = "dispositif d'aide"
        verbose_name_plural = "dispositifs d'aide"
        ordering = ["territory", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(attributing_siret__regex=r"^[0-9]{14}$"), name="scheme_attributing_siret_14_digits"
            ),
            models.CheckConstraint(
                condition=Q(advance_rate__gte=0, advance_rate__lte=1), name="scheme_advance_rate_range"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("grants:scheme", kwargs={"slug": self.slug})

    def rule_on(self, day):
        """The rule version in force on ``day`` (the latest one that started on or before it)."""
        return self.rules.filter(valid_from__lte=day).order_by("-valid_from").first()

    def current_rule(self):
        return self.rule_on(timezone.localdate())

    def is_open_on(self, day):
        return self.periods.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day), starts_on__lte=day).exists()

    @property
    def is_open(self):
        return self.is_open_on(timezone.localdate())

    @property
    def required_documents(self):
        return [DocumentKind(kind).label for kind in self.required_document_kinds if kind in DocumentKind.values]

    @property
    def advance_percent(self) -> Decimal:
        return self.advance_rate * 100

    @property
    def is_paid_in_instalments(self):
        return Decimal("0") < self.advance_rate < Decimal("1")


class OpenPeriod(TimeStampedModel):
    """A period during which applications may be filed."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="periods", verbose_name="dispositif")
    starts_on = models.DateField("ouvert du")
    ends_on = models.DateField("au", null=True, blank=True, help_text="Vide : jusqu'à nouvel ordre.")
    label = models.CharField("libellé", max_length=200, blank=True)

    class Meta:
        verbose_name = "période de dépôt"
        verbose_name_plural = "périodes de dépôt"
        ordering = ["scheme", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")), name="period_ends_after"
            ),
        ]

    def __str__(self):
        return self.label or f"{self.starts_on} → {self.ends_on or '…'}"


class RuleVersion(TimeStampedModel):
    """The rule's parameters from a date on: data, never code. An application keeps the version it was computed
    with, so a later change of the rule never changes an amount already asked for."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="rules", verbose_name="dispositif")
    valid_from = models.DateField("en vigueur à partir du")
    amount_per_fte = money("montant par ETP créé (€)")
    fte_cap = models.DecimalField("plafond d'emplois (ETP)", max_digits=5, decimal_places=2)
    investment_rate = models.DecimalField(
        "taux appliqué à l'investissement", max_digits=5, decimal_places=4, help_text="0,2000 pour 20 %."
    )
    investment_base_cap = money("plafond de l'investissement retenu (€ HT)")
    source = models.CharField("source", max_length=300, blank=True)

    class Meta:
        verbose_name = "version de la règle de calcul"
        verbose_name_plural = "versions de la règle de calcul"
        ordering = ["scheme", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "valid_from"], name="rule_one_per_start_date"),
            models.CheckConstraint(
                condition=Q(amount_per_fte__gte=0, fte_cap__gte=0, investment_base_cap__gte=0),
                name="rule_parameters_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(investment_rate__gte=0, investment_rate__lte=1), name="rule_rate_between_0_and_1"
            ),
        ]

    def __str__(self):
        return f"{self.scheme} — règle du {self.valid_from:%d/%m/%Y}"

    @property
    def rate_percent(self) -> Decimal:
        return (self.investment_rate * 100).quantize(Decimal("0.01"))

    @property
    def parameters(self) -> RuleParameters:
        return RuleParameters(
            amount_per_fte=self.amount_per_fte,
            fte_cap=self.fte_cap,
            investment_rate=self.investment_rate,
            investment_base_cap=self.investment_base_cap,
        )


class BudgetEnvelopeQuerySet(models.QuerySet):
    def with_totals(self):
        """Per envelope, in one query: credits; committed (granted amounts, the year of the deliberation); paid
        (payments on those grants); released (credits given back: unpaid balance at closing, cancellation, reduction
        at the balance, reversement), of which recovered (reversements); remaining = credits − committed + released.
        """
        from essaim.grants.enums import MovementKind
        from essaim.grants.models.payments import CreditMovement, Payment
        from essaim.grants.models.sittings import Decision

        money_field = models.DecimalField(max_digits=12, decimal_places=2)

        def total(subquery):
            return models.functions.Coalesce(models.Subquery(subquery), ZERO, output_field=money_field)

        committed = Decision.objects.filter(envelope=models.OuterRef("pk"), outcome=DecisionOutcome.GRANTED)
        committed = committed.values("envelope").annotate(s=Sum("amount")).values("s")
        paid = Payment.objects.filter(application__decision__envelope=models.OuterRef("pk"))
        paid = paid.values("application__decision__envelope").annotate(s=Sum("amount")).values("s")
        released = CreditMovement.objects.filter(envelope=models.OuterRef("pk"))
        recovered = released.filter(kind=MovementKind.RECOVERY)
        released = released.values("envelope").annotate(s=Sum("amount")).values("s")
        recovered = recovered.values("envelope").annotate(s=Sum("amount")).values("s")
        return self.annotate(
            committed_total=total(committed),
            paid_total=total(paid),
            released_total=total(released),
            recovered_total=total(recovered),
        ).annotate(
            remaining_total=models.F("credits") - models.F("committed_total") + models.F("released_total"),
            net_paid_total=models.F("paid_total") - models.F("recovered_total"),
        )


class BudgetEnvelope(TimeStampedModel):
    """The credits voted for a scheme one year. Committed = granted amounts; paid = payments; released = credits
    given back (closing after a partial payment, cancellation, reduction, reversement); remaining = credits −
    committed + released. Decisions and every movement lock this row, so that they never together exceed it."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="envelopes", verbose_name="dispositif")
    year = models.PositiveSmallIntegerField("année", validators=YEAR_VALIDATORS)
    credits = money("crédits votés (€)")
    vote_reference = models.CharField("délibération budgétaire", max_length=200, blank=True)

    objects = BudgetEnvelopeQuerySet.as_manager()

    class Meta:
        verbose_name = "enveloppe annuelle"
        verbose_name_plural = "enveloppes annuelles"
        ordering = ["scheme", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "year"], name="envelope_one_per_year"),
            models.CheckConstraint(condition=Q(credits__gte=0), name="envelope_credits_not_negative"),
        ]

    def __str__(self):
        return f"{self.scheme} — {self.year}"

    def committed(self) -> Decimal:
        total = self.decisions.filter(outcome=DecisionOutcome.GRANTED).aggregate(s=Sum("amount"))["s"]
        return total or ZERO

    def paid(self) -> Decimal:
        from essaim.grants.models.payments import Payment

        return Payment.objects.filter(application__decision__envelope=self).aggregate(s=Sum("amount"))["s"] or ZERO

    def released(self) -> Decimal:
        return self.movements.aggregate(s=Sum("amount"))["s"] or ZERO

    def remaining(self) -> Decimal:
        return self.credits - self.committed() + self.released()
