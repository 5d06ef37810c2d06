"""Schemes, their versioned rule and yearly credits, applications and their whole path to the last payment."""

import secrets
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone

from essaim.core.identifiers import validate_rna, validate_siret
from essaim.core.models import TimeStampedModel
from essaim.grants.enums import (
    AccessAction,
    ApplicationState,
    Assessment,
    DecisionOutcome,
    DevelopmentCase,
    DocumentKind,
    FundingKind,
    GrantForm,
    NewStructureFamily,
    Opinion,
    PaymentKind,
    SessionKind,
)
from essaim.grants.rules import RuleParameters

YEAR_VALIDATORS = [MinValueValidator(1990), MaxValueValidator(2100)]
ZERO = Decimal("0.00")


RESERVED_SLUGS = {"simulateur", "export", "mes-demandes", "demandes", "instruction", "seances"}


def validate_scheme_slug(value):
    """The scheme's page is /aides/<slug>/: a slug may not take the place of another page of /aides/."""
    from django.core.exceptions import ValidationError

    if value in RESERVED_SLUGS:
        raise ValidationError(f"« {value} » est réservé : choisissez un autre identifiant.", code="reserved")


def money(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, **kwargs)


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
        """Credits, committed (granted amounts), paid (payments on those grants) and remaining, in one query."""
        committed = Decision.objects.filter(envelope=models.OuterRef("pk"), outcome=DecisionOutcome.GRANTED)
        committed = committed.values("envelope").annotate(s=Sum("amount")).values("s")
        paid = Payment.objects.filter(application__decision__envelope=models.OuterRef("pk"))
        paid = paid.values("application__decision__envelope").annotate(s=Sum("amount")).values("s")
        return self.annotate(
            committed_total=models.functions.Coalesce(
                models.Subquery(committed), ZERO, output_field=models.DecimalField(max_digits=12, decimal_places=2)
            ),
            paid_total=models.functions.Coalesce(
                models.Subquery(paid), ZERO, output_field=models.DecimalField(max_digits=12, decimal_places=2)
            ),
        ).annotate(remaining_total=models.F("credits") - models.F("committed_total"))


class BudgetEnvelope(TimeStampedModel):
    """The credits voted for a scheme one year. Committed = granted amounts; paid = payments; remaining = credits −
    committed. Decisions lock this row so that two of them can never together exceed it."""

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
        return Payment.objects.filter(application__decision__envelope=self).aggregate(s=Sum("amount"))["s"] or ZERO

    def remaining(self) -> Decimal:
        return self.credits - self.committed()


class ApplicationQuerySet(models.QuerySet):
    def for_applicant(self, user):
        return self.filter(applicant=user) if user.is_authenticated else self.none()

    def in_territory(self, territory):
        return self.filter(scheme__territory=territory)

    def submitted(self):
        return self.exclude(state=ApplicationState.DRAFT)

    def for_list(self):
        return self.select_related("scheme", "structure", "applicant", "assigned_to")


def _new_reference():
    return "EA-" + secrets.token_hex(4).upper()


class Application(TimeStampedModel):
    """An application for the aid: the structure (from the directory, or a new one whose identity stays here), the
    project, the jobs and the investment, the financing plan, the documents and the computed amount."""

    reference = models.CharField("référence", max_length=20, unique=True, default=_new_reference, editable=False)
    scheme = models.ForeignKey(
        Scheme, on_delete=models.PROTECT, related_name="applications", verbose_name="dispositif"
    )
    rule = models.ForeignKey(
        RuleVersion,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name="version de la règle appliquée",
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="grant_applications",
        verbose_name="demandeur",
    )
    state = models.CharField("état", max_length=24, choices=ApplicationState.choices, default=ApplicationState.DRAFT)
    form = models.CharField("forme de l'aide", max_length=16, choices=GrantForm.choices)
    development_case = models.CharField(
        "cas de l'aide au développement", max_length=20, choices=DevelopmentCase.choices, blank=True
    )
    # The structure: one of the directory, or a new one whose identity is kept here until the decision.
    structure = models.ForeignKey(
        "directory.Structure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grant_applications",
        verbose_name="structure de l'annuaire",
    )
    new_structure_name = models.CharField("nom de la nouvelle structure", max_length=250, blank=True)
    new_structure_family = models.CharField(
        "famille de la nouvelle structure", max_length=20, choices=NewStructureFamily.choices, blank=True
    )
    new_structure_siret = models.CharField(
        "SIRET de la nouvelle structure", max_length=14, blank=True, validators=[validate_siret]
    )
    new_structure_rna = models.CharField(
        "RNA de la nouvelle structure", max_length=10, blank=True, validators=[validate_rna]
    )
    new_structure_address = models.CharField("adresse de la nouvelle structure", max_length=250, blank=True)
    new_structure_commune = models.ForeignKey(
        "territories.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="commune du siège de la nouvelle structure",
    )
    # The project.
    project_title = models.CharField("intitulé du projet", max_length=250, blank=True)
    project_summary = models.TextField("description du projet", blank=True)
    project_commune = models.ForeignKey(
        "territories.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="commune du projet",
    )
    project_start = models.DateField("début du projet", null=True, blank=True)
    project_budget = money("budget total du projet (€)", null=True, blank=True)
    # Jobs and investment.
    fte_created = models.DecimalField(
        "emplois créés (ETP)", max_digits=5, decimal_places=2, default=ZERO, validators=[MinValueValidator(0)]
    )
    jobs_description = models.TextField("emplois créés : postes et calendrier", blank=True)
    investment_excl_vat = money("investissement éligible (€ HT)", default=ZERO, validators=[MinValueValidator(0)])
    investment_description = models.TextField("nature des investissements", blank=True)
    # The amount computed with ``rule``.
    fte_part = money("part emplois (€)", default=ZERO)
    investment_part = money("part investissement (€)", default=ZERO)
    computed_amount = money("montant calculé (€)", default=ZERO)
    caps_applied = models.JSONField("plafonds appliqués", default=list, blank=True)
    # Instruction.
    steps_done = models.JSONField("étapes enregistrées", default=list, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_grant_applications",
        verbose_name="instructeur·rice",
    )
    submitted_at = models.DateTimeField("déposée le", null=True, blank=True)
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = "demande d'aide"
        verbose_name_plural = "demandes d'aide"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["scheme", "state"], name="application_scheme_state")]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=ApplicationState.values), name="application_state_valid"),
            models.CheckConstraint(condition=Q(form__in=GrantForm.values), name="application_form_valid"),
            models.CheckConstraint(
                condition=Q(fte_created__gte=0, investment_excl_vat__gte=0), name="application_inputs_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(project_budget__isnull=True) | Q(project_budget__gte=0),
                name="application_budget_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(computed_amount=models.F("fte_part") + models.F("investment_part")),
                name="application_total_is_sum_of_parts",
            ),
            models.CheckConstraint(
                condition=Q(new_structure_siret="") | Q(new_structure_siret__regex=r"^[0-9]{14}$"),
                name="application_new_siret_14_digits",
            ),
        ]

    def __str__(self):
        return f"{self.reference} — {self.project_title or 'projet sans titre'}"

    def get_absolute_url(self):
        return reverse("grants:application", kwargs={"pk": self.pk})

    def get_review_url(self):
        return reverse("grants:review", kwargs={"pk": self.pk})

    @property
    def beneficiary_name(self):
        if self.structure_id:
            return self.structure.name
        return self.new_structure_name

    @property
    def beneficiary_siret(self):
        return (self.structure.siret or "") if self.structure_id else self.new_structure_siret

    @property
    def beneficiary_rna(self):
        return self.structure.rna if self.structure_id else self.new_structure_rna

    @property
    def territory(self):
        return self.scheme.territory

    @property
    def is_editable_by_applicant(self):
        return self.state in (ApplicationState.DRAFT, ApplicationState.INCOMPLETE)

    @property
    def funding_total(self):
        return sum((line.amount for line in self.funding_lines.all()), start=ZERO)

    @property
    def resources_total(self):
        """Every resource of the financing plan: the other sources plus the aid asked for."""
        return self.funding_total + self.computed_amount

    @property
    def latest_opinion(self):
        return self.opinions.order_by("-created_at").first()

    @property
    def granted_amount(self):
        decision = getattr(self, "decision", None)
        return decision.amount if decision and decision.outcome == DecisionOutcome.GRANTED else None

    @property
    def paid_total(self):
        return self.payments.aggregate(s=Sum("amount"))["s"] or ZERO


class FundingLine(TimeStampedModel):
    """A resource of the project's financing plan other than the aid asked for."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="funding_lines", verbose_name="demande"
    )
    kind = models.CharField("nature", max_length=10, choices=FundingKind.choices)
    funder = models.CharField("financeur", max_length=200)
    amount = money("montant (€)", validators=[MinValueValidator(0)])
    is_secured = models.BooleanField("acquis", default=False)

    class Meta:
        verbose_name = "ligne du plan de financement"
        verbose_name_plural = "lignes du plan de financement"
        ordering = ["application", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="funding_amount_not_negative")]

    def __str__(self):
        return f"{self.funder} : {self.amount} €"


def document_path(instance, filename):
    """A name nobody can guess: the original name is kept in the database only."""
    extension = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}.get(instance.content_type, "bin")
    return f"grants/private/{secrets.token_hex(2)}/{secrets.token_urlsafe(24)}.{extension}"


class ApplicationDocument(TimeStampedModel):
    """A document joined to an application (PDF, PNG or JPEG, type checked by content), served only to the people
    who may see the application."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="documents", verbose_name="demande"
    )
    kind = models.CharField("type de pièce", max_length=20, choices=DocumentKind.choices)
    file = models.FileField("fichier", upload_to=document_path, max_length=200)
    original_name = models.CharField("nom du fichier déposé", max_length=200)
    content_type = models.CharField("type de contenu", max_length=40)
    size = models.PositiveIntegerField("taille (octets)")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="déposée par"
    )

    class Meta:
        verbose_name = "pièce jointe"
        verbose_name_plural = "pièces jointes"
        ordering = ["application", "kind", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} : {self.original_name}"


class Transition(TimeStampedModel):
    """The log of the workflow: one row per transition, with who, when and a comment."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="transitions", verbose_name="demande"
    )
    name = models.CharField("transition", max_length=30)
    from_state = models.CharField("état de départ", max_length=24, choices=ApplicationState.choices)
    to_state = models.CharField("état d'arrivée", max_length=24, choices=ApplicationState.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="par"
    )
    comment = models.TextField("commentaire", blank=True)

    class Meta:
        verbose_name = "transition d'une demande"
        verbose_name_plural = "transitions des demandes"
        ordering = ["application", "created_at", "pk"]

    def __str__(self):
        return f"{self.application.reference} : {self.from_state} → {self.to_state}"


class Examination(TimeStampedModel):
    """The officers' examination grid: private notes, never shown to the applicant, required before the
    commission."""

    CRITERIA = [
        ("ess_status", "Statut ESS de la structure"),
        ("territory", "Siège ou projet sur le territoire"),
        ("jobs", "Réalité et pérennité des emplois créés"),
        ("investment", "Éligibilité des investissements"),
        ("financing", "Solidité du plan de financement"),
        ("documents", "Pièces du dossier"),
    ]

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="examination", verbose_name="demande"
    )
    ess_status = models.CharField("statut ESS", max_length=10, choices=Assessment.choices, blank=True)
    ess_status_note = models.TextField("statut ESS : note", blank=True)
    territory = models.CharField("ancrage territorial", max_length=10, choices=Assessment.choices, blank=True)
    territory_note = models.TextField("ancrage territorial : note", blank=True)
    jobs = models.CharField("emplois", max_length=10, choices=Assessment.choices, blank=True)
    jobs_note = models.TextField("emplois : note", blank=True)
    investment = models.CharField("investissement", max_length=10, choices=Assessment.choices, blank=True)
    investment_note = models.TextField("investissement : note", blank=True)
    financing = models.CharField("financement", max_length=10, choices=Assessment.choices, blank=True)
    financing_note = models.TextField("financement : note", blank=True)
    documents = models.CharField("pièces", max_length=10, choices=Assessment.choices, blank=True)
    documents_note = models.TextField("pièces : note", blank=True)
    conclusion = models.TextField("conclusion de l'instruction", blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="rédigée par"
    )

    class Meta:
        verbose_name = "grille d'instruction"
        verbose_name_plural = "grilles d'instruction"

    def __str__(self):
        return f"Instruction de {self.application.reference}"

    @property
    def is_complete(self):
        return all(getattr(self, name) for name, _ in self.CRITERIA) and bool(self.conclusion.strip())

    def rows(self):
        return [
            (label, getattr(self, f"get_{name}_display")(), getattr(self, f"{name}_note"))
            for name, label in self.CRITERIA
        ]


class Message(TimeStampedModel):
    """A message between the officers and the applicant about an application, mailed to the other side."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="messages", verbose_name="demande"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="auteur"
    )
    from_officer = models.BooleanField("envoyé par le service instructeur", default=False)
    is_request_for_pieces = models.BooleanField("demande de pièces", default=False)
    body = models.TextField("message")

    class Meta:
        verbose_name = "message"
        verbose_name_plural = "messages"
        ordering = ["application", "created_at", "pk"]

    def __str__(self):
        return f"{self.application.reference} — {self.created_at:%d/%m/%Y}"


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
        ]

    def __str__(self):
        return f"Délibération {self.deliberation_number} : {self.application.reference}"


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
