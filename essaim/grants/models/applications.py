"""Applications: the file, its financing plan, documents, workflow log, examination and messages."""

import secrets

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils.functional import cached_property

from essaim.core.identifiers import validate_rna, validate_siret
from essaim.core.models import TimeStampedModel
from essaim.core.storage import private_file_name, private_storage
from essaim.grants.enums import (
    ApplicationState,
    Assessment,
    DecisionOutcome,
    DevelopmentCase,
    DocumentKind,
    FundingKind,
    GrantForm,
    NewStructureFamily,
)
from essaim.grants.models.common import ZERO, money
from essaim.grants.models.schemes import RuleVersion, Scheme


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
    structure_siret = models.CharField(
        "SIRET ajouté au dossier",
        max_length=14,
        blank=True,
        validators=[validate_siret],
        help_text="Quand la structure de l'annuaire n'a pas de SIRET : celui de l'établissement bénéficiaire.",
    )
    # The sworn statement (attestation sur l'honneur) given at filing.
    attested_at = models.DateTimeField("attestation sur l'honneur donnée le", null=True, blank=True)
    attested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="attestation sur l'honneur donnée par",
    )
    attestation_text = models.TextField("texte de l'attestation", blank=True)
    # The balance: jobs actually created, justified by the beneficiary.
    fte_achieved = models.DecimalField(
        "emplois effectivement créés (ETP)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    justified_at = models.DateTimeField("justificatifs du solde déposés le", null=True, blank=True)
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
            models.CheckConstraint(
                condition=Q(structure_siret="") | Q(structure_siret__regex=r"^[0-9]{14}$"),
                name="application_structure_siret_14_digits",
            ),
            models.CheckConstraint(
                condition=Q(fte_achieved__isnull=True) | Q(fte_achieved__gte=0),
                name="application_achieved_not_negative",
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
        if self.structure_id:
            return self.structure.siret or self.structure_siret
        return self.new_structure_siret

    @property
    def beneficiary_rna(self):
        return self.structure.rna if self.structure_id else self.new_structure_rna

    @property
    def territory(self):
        return self.scheme.territory

    @property
    def is_editable_by_applicant(self):
        return self.state in (ApplicationState.DRAFT, ApplicationState.INCOMPLETE)

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self.__dict__.pop("funding_total", None)

    @cached_property
    def funding_total(self):
        """The other resources of the financing plan, summed once per instance (a page reads it several times)."""
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

    def movements_total(self, *kinds):
        movements = self.movements.all()
        if kinds:
            movements = movements.filter(kind__in=kinds)
        return movements.aggregate(s=Sum("amount"))["s"] or ZERO

    @property
    def payable_amount(self):
        """What may still be paid in all: the granted amount less what was reduced at the balance or cancelled."""
        from essaim.grants.enums import MovementKind

        granted = self.granted_amount
        if granted is None:
            return None
        return granted - self.movements_total(MovementKind.REDUCTION, MovementKind.CANCELLATION, MovementKind.RELEASE)


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
    """A name nobody can guess, in the private storage (outside MEDIA_ROOT): the original name is kept in the database
    only."""
    return private_file_name("grants/private", instance.content_type)


class ApplicationDocument(TimeStampedModel):
    """A document joined to an application (PDF, PNG or JPEG, type checked by content), served only to the people
    who may see the application."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="documents", verbose_name="demande"
    )
    kind = models.CharField("type de pièce", max_length=20, choices=DocumentKind.choices)
    file = models.FileField("fichier", upload_to=document_path, storage=private_storage, max_length=200)
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
        return f"{self.application.reference} : {self.label}"

    @property
    def label(self):
        """The transition's French name (never its code), as the workflow table says it."""
        from essaim.grants.workflow import TRANSITIONS

        spec = TRANSITIONS.get(self.name)
        return spec.log_label if spec else self.name.replace("_", " ")


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
