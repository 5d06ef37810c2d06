from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.urls import reverse

from essaim.core.fields import URLField
from essaim.core.identifiers import validate_rna, validate_siren, validate_siret
from essaim.core.models import TimeStampedModel
from essaim.directory.enums import EssSource, Family, HeadcountBand, Label, RequestStatus, Status, Transition
from essaim.territories.validators import validate_image_size

# The fields that make a structure's page useful; completeness is the share of them that are filled.
COMPLETENESS_FIELDS = [
    "description",
    "website",
    "email",
    "phone",
    "address",
    "opening_hours",
    "accessibility",
    "naf_code",
    "logo",
]


class Sector(TimeStampedModel):
    """A theme of the ESS taxonomy (circuits courts et alimentation, réemploi et ressourceries, culture…)."""

    slug = models.SlugField("identifiant", max_length=60, unique=True)
    name = models.CharField("nom", max_length=120)
    description = models.CharField("description", max_length=300, blank=True)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "secteur d'activité"
        verbose_name_plural = "secteurs d'activité"
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class StructureQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def in_territory(self, territory):
        """Structures whose commune is in the territory's perimeter: a structure's territories follow its commune."""
        return self.filter(commune__perimeters__territory=territory)

    def by_ids(self, ids) -> list:
        """The structures of ``ids`` (a search's page) in that order, with what a card shows, in 3 queries."""
        found = {
            s.pk: s for s in self.filter(pk__in=ids).select_related("commune").prefetch_related("labels", "sectors")
        }
        return [found[pk] for pk in ids if pk in found]

    def in_territories(self, territories):
        return self.filter(commune__perimeters__territory__in=territories).distinct()

    def stale(self, *, before):
        """Published entries nobody confirmed since ``before``: officers ask their structures to check them."""
        return self.published().filter(
            models.Q(verified_at__lt=before) | models.Q(verified_at__isnull=True, updated_at__lt=before)
        )


class Structure(TimeStampedModel):
    """An ESS establishment of the directory, with its legal identity and where each fact comes from."""

    slug = models.SlugField("identifiant", max_length=120, unique=True)
    name = models.CharField("dénomination", max_length=250)
    usual_name = models.CharField("nom d'usage", max_length=250, blank=True)
    siren = models.CharField("SIREN", max_length=9, blank=True, db_index=True, validators=[validate_siren])
    siret = models.CharField("SIRET", max_length=14, null=True, blank=True, unique=True, validators=[validate_siret])
    rna = models.CharField("RNA", max_length=10, blank=True, db_index=True, validators=[validate_rna])
    legal_form = models.CharField(
        "catégorie juridique", max_length=4, blank=True, help_text="Code INSEE de la catégorie juridique (4 chiffres)."
    )
    family = models.CharField("famille de l'ESS", max_length=20, choices=Family.choices, default=Family.OTHER)
    sectors = models.ManyToManyField(Sector, blank=True, related_name="structures", verbose_name="secteurs")
    naf_code = models.CharField("code NAF", max_length=6, blank=True)
    naf_label = models.CharField("activité principale (NAF)", max_length=200, blank=True)
    address = models.CharField("adresse", max_length=250, blank=True)
    postcode = models.CharField("code postal", max_length=5, blank=True)
    commune = models.ForeignKey(
        "territories.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="structures",
        verbose_name="commune",
    )
    lat = models.FloatField("latitude", null=True, blank=True)
    lon = models.FloatField("longitude", null=True, blank=True)
    headcount_band = models.CharField(
        "tranche d'effectif salarié", max_length=2, choices=HeadcountBand.choices, default=HeadcountBand.NN
    )
    is_employer = models.BooleanField("employeuse", null=True, blank=True)
    description = models.TextField("présentation", blank=True)
    website = URLField("site internet", blank=True)
    email = models.EmailField("e-mail de contact", blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    opening_hours = models.CharField(
        "horaires d'ouverture",
        max_length=250,
        blank=True,
        help_text="Syntaxe OpenStreetMap, par exemple « Mo-Fr 09:00-17:00; Sa 10:00-12:00 ».",
    )
    accessibility = models.TextField("accessibilité", blank=True)
    logo = models.ImageField(
        "logo",
        upload_to="structures/logos/",
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg", "webp"]), validate_image_size],
    )
    logo_alt = models.CharField("texte alternatif du logo", max_length=200, blank=True)
    status = models.CharField("statut", max_length=10, choices=Status.choices, default=Status.DRAFT)
    rejection_reason = models.TextField("motif du refus", blank=True)
    ess_source = models.CharField("origine du statut ESS", max_length=20, choices=EssSource.choices)
    ess_source_date = models.DateField("date de l'origine du statut ESS", null=True, blank=True)
    provenance = models.JSONField(
        "provenance des champs",
        default=dict,
        blank=True,
        help_text='Pour chaque champ importé : sa source et sa date, par exemple {"naf_code": {"source": '
        '"sirene", "date": "2025-12-06"}}.',
    )
    verified_at = models.DateTimeField("à jour le", null=True, blank=True)
    completeness = models.PositiveSmallIntegerField("complétude (%)", default=0, editable=False)
    is_generated = models.BooleanField(
        "générée", default=False, help_text="Structure fictive produite par generate_structures (démo, mesures)."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="créée par",
    )
    submitter_email = models.EmailField(
        "e-mail de la personne qui l'a référencée",
        blank=True,
        help_text="Jamais publié : sert à prévenir cette personne de la décision de modération.",
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged",
        verbose_name="fusionnée dans",
    )

    objects = StructureQuerySet.as_manager()

    class Meta:
        verbose_name = "structure"
        verbose_name_plural = "structures"
        ordering = ["name"]
        indexes = [
            models.Index(fields=["status", "commune"], name="structure_status_commune"),
            models.Index(fields=["lat", "lon"], name="structure_lat_lon"),
            models.Index(fields=["updated_at"], name="structure_updated"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(siret__isnull=True) | models.Q(siret__regex=r"^[0-9]{14}$"),
                name="structure_siret_14_digits",
            ),
            models.CheckConstraint(
                condition=models.Q(siren="") | models.Q(siren__regex=r"^[0-9]{9}$"), name="structure_siren_9_digits"
            ),
            models.CheckConstraint(
                condition=models.Q(rna="") | models.Q(rna__regex=r"^W[0-9]{9}$"), name="structure_rna_format"
            ),
            # A structure declared by its people (or seeded from the articles) may not know its numbers yet; every
            # other source comes with one.
            models.CheckConstraint(
                condition=~models.Q(siren="")
                | models.Q(siret__isnull=False)
                | ~models.Q(rna="")
                | models.Q(ess_source__in=["declared", "verified"]),
                name="structure_has_an_identifier",
            ),
            models.CheckConstraint(
                condition=models.Q(lat__isnull=True) | models.Q(lat__gte=-90, lat__lte=90), name="structure_lat_range"
            ),
            models.CheckConstraint(
                condition=models.Q(lon__isnull=True) | models.Q(lon__gte=-180, lon__lte=180),
                name="structure_lon_range",
            ),
        ]

    def __str__(self):
        return self.usual_name or self.name

    def save(self, *args, **kwargs):
        filled = sum(1 for name in COMPLETENESS_FIELDS if getattr(self, name))
        self.completeness = round(100 * filled / len(COMPLETENESS_FIELDS))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("directory:structure", kwargs={"slug": self.slug})

    @property
    def display_name(self):
        return self.usual_name or self.name

    @property
    def is_public(self):
        return self.status == Status.PUBLISHED

    def territories(self):
        from essaim.territories.models import Territory

        if not self.commune_id:
            return Territory.objects.none()
        return Territory.objects.filter(perimeter__commune_id=self.commune_id)


class StructureLabel(TimeStampedModel):
    """A label a structure holds (SIAE kind, EA, ESAT, CAE, SCOP, SCIC, ESUS, société à mission)."""

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="labels", verbose_name="structure")
    label = models.CharField("label", max_length=10, choices=Label.choices)
    source = models.CharField("source", max_length=200, blank=True)

    class Meta:
        verbose_name = "label d'une structure"
        verbose_name_plural = "labels des structures"
        ordering = ["structure", "label"]
        constraints = [
            models.UniqueConstraint(fields=["structure", "label"], name="structure_label_unique"),
            models.CheckConstraint(condition=models.Q(label__in=Label.values), name="structure_label_valid"),
        ]

    def __str__(self):
        return f"{self.structure} — {self.label}"


class DirectorySettings(TimeStampedModel):
    """How a territory runs its directory: whether owners' edits and imported entries wait for an officer."""

    territory = models.OneToOneField(
        "territories.Territory", on_delete=models.CASCADE, related_name="directory_settings", verbose_name="territoire"
    )
    moderate_owner_edits = models.BooleanField(
        "modérer les modifications des structures",
        default=False,
        help_text="Si coché, une modification faite par une structure attend la validation d'un·e chargé·e de "
        "mission ; sinon elle est publiée directement.",
    )
    review_imports = models.BooleanField(
        "relire les structures importées",
        default=False,
        help_text="Si coché, une structure créée par un import (SIRENE, CSV) attend la modération avant d'être "
        "publiée.",
    )
    stale_after_days = models.PositiveSmallIntegerField(
        "fiche à revoir après (jours)", default=365, help_text="Au-delà, la fiche figure dans la liste à revoir."
    )

    class Meta:
        verbose_name = "réglages de l'annuaire"
        verbose_name_plural = "réglages de l'annuaire"

    def __str__(self):
        return f"Annuaire — {self.territory}"


class ModerationLog(TimeStampedModel):
    """One row per move of a structure in its workflow: who, when, from which status to which, and why."""

    structure = models.ForeignKey(
        Structure, on_delete=models.CASCADE, related_name="moderation_log", verbose_name="structure"
    )
    transition = models.CharField("transition", max_length=10, choices=Transition.choices)
    from_status = models.CharField("statut de départ", max_length=10, choices=Status.choices, blank=True)
    to_status = models.CharField("statut d'arrivée", max_length=10, choices=Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="par",
    )
    reason = models.TextField("motif", blank=True)

    class Meta:
        verbose_name = "journal de modération"
        verbose_name_plural = "journal de modération"
        ordering = ["structure", "created_at", "id"]

    def __str__(self):
        return f"{self.structure} : {self.get_transition_display()}"


class StructureClaim(TimeStampedModel):
    """A person asks to manage a structure's page; an officer of its territory accepts or refuses."""

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="claims", verbose_name="structure")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="structure_claims", verbose_name="personne"
    )
    role = models.CharField("fonction dans la structure", max_length=150)
    message = models.TextField("message", blank=True)
    status = models.CharField("statut", max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="décidée par",
    )
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)
    reason = models.TextField("motif du refus", blank=True)

    class Meta:
        verbose_name = "demande de gestion d'une fiche"
        verbose_name_plural = "demandes de gestion des fiches"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "user"],
                condition=models.Q(status__in=["pending", "approved"]),
                name="claim_one_open_per_person",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "approved", "rejected"]), name="claim_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.user} → {self.structure}"


class StructureChange(TimeStampedModel):
    """Changes an owner proposed to a structure's page, waiting for an officer when the territory asks for it."""

    structure = models.ForeignKey(
        Structure, on_delete=models.CASCADE, related_name="changes", verbose_name="structure"
    )
    data = models.JSONField("modifications proposées", default=dict)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="proposées par"
    )
    status = models.CharField("statut", max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="décidées par",
    )
    reason = models.TextField("motif du refus", blank=True)

    class Meta:
        verbose_name = "modification proposée"
        verbose_name_plural = "modifications proposées"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.structure} ({self.get_status_display()})"


class ErrorReport(TimeStampedModel):
    """Somebody spotted a mistake on a public page ("signaler une erreur")."""

    structure = models.ForeignKey(
        Structure, on_delete=models.CASCADE, related_name="error_reports", verbose_name="structure"
    )
    message = models.TextField("erreur constatée", max_length=2000)
    email = models.EmailField("e-mail pour vous répondre", blank=True)
    status = models.CharField("statut", max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="traité par",
    )

    class Meta:
        verbose_name = "signalement d'erreur"
        verbose_name_plural = "signalements d'erreur"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.structure} : {self.message[:40]}"
