from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from essaim.core.fields import URLField
from essaim.core.identifiers import validate_insee_code, validate_siren
from essaim.core.models import TimeStampedModel
from essaim.core.text import fold
from essaim.territories.enums import ContactKind, EpciKind, PerimeterConfidence, SheetStatus, TerritoryKind
from essaim.territories.validators import validate_brand_color, validate_image_size

YEAR_VALIDATORS = [MinValueValidator(1990), MaxValueValidator(2100)]
FICTITIOUS_HELP = (
    "Donnée inventée pour la démonstration : elle est signalée comme fictive sur les pages publiques et dans l'API."
)


class Region(models.Model):
    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    name = models.CharField("nom", max_length=100)

    class Meta:
        verbose_name = "région"
        verbose_name_plural = "régions"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Departement(models.Model):
    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    name = models.CharField("nom", max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departements", verbose_name="région")

    class Meta:
        verbose_name = "département"
        verbose_name_plural = "départements"
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"


class Epci(models.Model):
    """An intercommunality of the official geography (the record, not the tenant: see ``Territory``)."""

    siren = models.CharField("SIREN", max_length=9, primary_key=True, validators=[validate_siren])
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("nature", max_length=10, choices=EpciKind.choices)

    class Meta:
        verbose_name = "EPCI"
        verbose_name_plural = "EPCI"
        ordering = ["name"]

    def __str__(self):
        return self.name


class CommuneQuerySet(models.QuerySet):
    def search(self, q):
        return self.filter(search_name__contains=fold(q)) if q else self


class Commune(models.Model):
    """A current commune of the official geography, identified by its INSEE code."""

    insee_code = models.CharField("code INSEE", max_length=5, primary_key=True, validators=[validate_insee_code])
    name = models.CharField("nom", max_length=100)
    search_name = models.CharField("nom sans accents", max_length=100, db_index=True, editable=False)
    postcodes = models.CharField("codes postaux", max_length=200, blank=True, help_text="Séparés par des espaces.")
    departement = models.ForeignKey(
        Departement, on_delete=models.PROTECT, related_name="communes", verbose_name="département"
    )
    epci = models.ForeignKey(
        Epci, on_delete=models.PROTECT, null=True, blank=True, related_name="communes", verbose_name="EPCI"
    )
    siren = models.CharField("SIREN de la commune", max_length=9, blank=True)
    population = models.PositiveIntegerField("population municipale", default=0)
    lat = models.FloatField("latitude du centre", null=True, blank=True)
    lon = models.FloatField("longitude du centre", null=True, blank=True)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = "commune"
        verbose_name_plural = "communes"
        ordering = ["name"]
        indexes = [models.Index(fields=["lat", "lon"], name="commune_lat_lon")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lat__isnull=True) | models.Q(lat__gte=-90, lat__lte=90),
                name="commune_lat_range",
            ),
            models.CheckConstraint(
                condition=models.Q(lon__isnull=True) | models.Q(lon__gte=-180, lon__lte=180),
                name="commune_lon_range",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.insee_code})"

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)

    @property
    def postcode_list(self):
        return self.postcodes.split()


class TerritoryQuerySet(models.QuerySet):
    def current(self):
        """Territories that exist today (historical ones have an end date in the past)."""
        today = timezone.localdate()
        return self.filter(models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=today))

    def network_members(self):
        return self.filter(is_network_member=True)

    def search(self, q):
        folded = fold(q)
        if not folded:
            return self
        return self.filter(models.Q(search_text__contains=folded) | models.Q(siren=folded.replace(" ", "")))

    def by_key(self, key):
        """A territory by SIREN (9 digits) or by slug."""
        key = (key or "").strip()
        if key.isdigit():
            return self.filter(siren=key)
        return self.filter(slug=key)

    def for_directory(self):
        return self.select_related("departement", "region", "successor").order_by(
            models.F("valid_until").desc(nulls_first=True), "name"
        )


class Territory(TimeStampedModel):
    """A tenant of Essaim: an intercommunality (current or historical) that carries an ESS policy."""

    slug = models.SlugField("identifiant", max_length=80, unique=True)
    siren = models.CharField(
        "SIREN",
        max_length=9,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_siren],
        help_text="Laissé vide quand il n'est pas connu avec certitude.",
    )
    name = models.CharField("nom usuel", max_length=200)
    official_name = models.CharField("nom officiel", max_length=200, blank=True)
    kind = models.CharField("nature", max_length=10, choices=TerritoryKind.choices)
    epci = models.ForeignKey(
        Epci,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="territories",
        verbose_name="EPCI officiel correspondant",
    )
    valid_from = models.DateField("existe depuis le", null=True, blank=True)
    valid_until = models.DateField("a existé jusqu'au", null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name="territoire successeur",
    )
    description = models.TextField("présentation", blank=True)
    address = models.CharField("adresse", max_length=200, blank=True)
    postcode = models.CharField(
        "code postal", max_length=5, blank=True, validators=[RegexValidator(r"^\d{5}$", "5 chiffres attendus.")]
    )
    city = models.CharField("ville", max_length=100, blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    website = URLField("site internet", blank=True)
    logo = models.ImageField(
        "logo",
        upload_to="territories/logos/",
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg", "webp"]), validate_image_size],
    )
    logo_alt = models.CharField("texte alternatif du logo", max_length=200, blank=True)
    color = models.CharField(
        "couleur principale",
        max_length=7,
        default="#1f4e79",
        validators=[validate_brand_color],
        help_text="Code hexadécimal (#1f4e79). Le texte blanc doit y rester lisible (contraste 4,5:1).",
    )
    policy_summary = models.TextField("stratégie ESS", blank=True)
    policy_goals = models.JSONField("objectifs de la politique ESS", default=list, blank=True)
    declared_population = models.PositiveIntegerField("population déclarée", null=True, blank=True)
    declared_population_year = models.PositiveSmallIntegerField(
        "année de la population déclarée", null=True, blank=True, validators=YEAR_VALIDATORS
    )
    declared_communes_count = models.PositiveSmallIntegerField("nombre de communes déclaré", null=True, blank=True)
    is_network_member = models.BooleanField("membre du réseau", default=True)
    member_since = models.DateField("membre depuis le", null=True, blank=True)
    source_note = models.TextField("sources", blank=True)

    # Derived from the communes by territory_refresh_geography(); never typed by hand.
    communes = models.ManyToManyField(
        Commune, through="TerritoryCommune", related_name="territories", verbose_name="communes"
    )
    population = models.PositiveIntegerField("population calculée", default=0, editable=False)
    communes_count = models.PositiveSmallIntegerField("nombre de communes", default=0, editable=False)
    centre_lat = models.FloatField("latitude du centre", null=True, blank=True, editable=False)
    centre_lon = models.FloatField("longitude du centre", null=True, blank=True, editable=False)
    departement = models.ForeignKey(
        Departement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="territories",
        verbose_name="département principal",
        editable=False,
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="territories",
        verbose_name="région",
        editable=False,
    )
    search_text = models.TextField("texte de recherche", blank=True, editable=False)

    objects = TerritoryQuerySet.as_manager()

    class Meta:
        verbose_name = "territoire"
        verbose_name_plural = "territoires"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_until__gt=models.F("valid_from")),
                name="territory_valid_period",
            ),
            models.CheckConstraint(condition=~models.Q(successor=models.F("id")), name="territory_not_own_successor"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = fold(" ".join(filter(None, [self.name, self.official_name, self.city, self.siren])))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("territories:detail", kwargs={"slug": self.slug})

    @property
    def is_historical(self):
        return self.valid_until is not None and self.valid_until < timezone.localdate()

    @property
    def api_key(self):
        return self.siren or self.slug

    @property
    def of_name(self):
        """The name after "de", elided or contracted as French wants it: "d'Artois Comm.", "du Pays du Ternois"."""
        return of_name(self.name)


MASCULINE_HEADS = ("Pays ", "Grand ", "Val ", "Bassin ", "Pôle ", "Syndicat ", "Département ")
FEMININE_HEADS = ("Région ", "Communauté ", "Métropole ", "Agglomération ")


def of_name(name: str) -> str:
    """``name`` after the preposition "de": "d'Artois Comm.", "de Béthune-Bruay", "du Pays du Ternois"."""
    if name.startswith("Le "):
        return "du " + name[3:]
    if name.startswith("Les "):
        return "des " + name[4:]
    if name.startswith(("La ", "L'", "L’")):
        return "de " + name[0].lower() + name[1:]
    if name.startswith(MASCULINE_HEADS):
        return "du " + name
    if name.startswith(FEMININE_HEADS):
        return "de la " + name
    if name[:1].lower() in "aâàeéèêëiîïoôuûùyh":
        return "d'" + name
    return "de " + name


class TerritoryCommune(models.Model):
    """A commune in a territory's perimeter, with how sure we are of it (historical perimeters are reconstructed)."""

    territory = models.ForeignKey(
        Territory, on_delete=models.CASCADE, related_name="perimeter", verbose_name="territoire"
    )
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="perimeters", verbose_name="commune")
    confidence = models.CharField(
        "fiabilité", max_length=10, choices=PerimeterConfidence.choices, default=PerimeterConfidence.OFFICIAL
    )
    basis = models.CharField("source", max_length=300, blank=True)

    class Meta:
        verbose_name = "commune du périmètre"
        verbose_name_plural = "communes du périmètre"
        ordering = ["commune__name"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "commune"], name="territory_commune_unique"),
        ]

    def __str__(self):
        return f"{self.commune} ∈ {self.territory}"


class Contact(TimeStampedModel):
    """An elected representative or a staff member, as a public directory shows them."""

    territory = models.ForeignKey(
        Territory, on_delete=models.CASCADE, related_name="contacts", verbose_name="territoire"
    )
    kind = models.CharField("type", max_length=10, choices=ContactKind.choices)
    full_name = models.CharField("nom et prénom", max_length=150)
    title = models.CharField("titre", max_length=200, blank=True, help_text="Pour un·e élu·e : sa délégation.")
    service = models.CharField("service", max_length=200, blank=True)
    function = models.CharField("fonction", max_length=200, blank=True)
    email = models.EmailField("e-mail", blank=True, help_text="Affiché sous une forme masquée.")
    phone = models.CharField("téléphone", max_length=30, blank=True)
    position = models.PositiveSmallIntegerField("ordre", default=0)
    is_fictitious = models.BooleanField("personne fictive", default=False, help_text=FICTITIOUS_HELP)

    class Meta:
        verbose_name = "contact"
        verbose_name_plural = "contacts"
        ordering = ["territory", "kind", "position", "full_name"]

    def __str__(self):
        return self.full_name


class BudgetYear(TimeStampedModel):
    """The ESS budget a territory devoted to its policy one year, with the FTE it includes."""

    territory = models.ForeignKey(
        Territory, on_delete=models.CASCADE, related_name="budgets", verbose_name="territoire"
    )
    year = models.PositiveSmallIntegerField("année", validators=YEAR_VALIDATORS)
    amount = models.DecimalField("budget ESS (€)", max_digits=12, decimal_places=2)
    fte = models.DecimalField("dont ETP", max_digits=6, decimal_places=2, null=True, blank=True)
    comment = models.CharField("commentaire", max_length=300, blank=True)
    source = models.CharField("source", max_length=300, blank=True)
    is_fictitious = models.BooleanField("montant fictif", default=False, help_text=FICTITIOUS_HELP)

    class Meta:
        verbose_name = "budget ESS annuel"
        verbose_name_plural = "budgets ESS annuels"
        ordering = ["territory", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "year"], name="budget_one_per_year"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="budget_amount_not_negative"),
            models.CheckConstraint(
                condition=models.Q(fte__isnull=True) | models.Q(fte__gte=0), name="budget_fte_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.territory} — {self.year}"

    @property
    def cofunded_total(self):
        return sum((c.amount for c in self.cofundings.all()), start=0)

    @property
    def own_funding(self):
        return self.amount - self.cofunded_total


class CoFunding(TimeStampedModel):
    budget = models.ForeignKey(BudgetYear, on_delete=models.CASCADE, related_name="cofundings", verbose_name="budget")
    funder = models.CharField("co-financeur", max_length=200)
    amount = models.DecimalField("montant (€)", max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = "co-financement"
        verbose_name_plural = "co-financements"
        ordering = ["budget", "-amount"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="cofunding_amount_not_negative"),
        ]

    def __str__(self):
        return f"{self.funder} : {self.amount} €"


def inherited_constraints(prefix: str, scope: str) -> list:
    """An object copied from a predecessor names that predecessor; it is copied once per ``scope``."""
    return [
        models.CheckConstraint(
            condition=models.Q(origin__isnull=True) | models.Q(inherited_from__isnull=False),
            name=f"{prefix}_origin_has_predecessor",
        ),
        models.UniqueConstraint(
            fields=[scope, "origin"], condition=models.Q(origin__isnull=False), name=f"{prefix}_copied_once"
        ),
    ]


class Inherited(models.Model):
    """Part of a policy a successor took over from its predecessor (``territory_inherit_policy``): where it came
    from, and the predecessor's object it copies (so that taking over again never copies it twice)."""

    inherited_from = models.ForeignKey(
        Territory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="repris du territoire",
        editable=False,
    )
    origin = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name="original",
        editable=False,
    )

    class Meta:
        abstract = True

    @property
    def inherited_label(self) -> str:
        """ "reprise d'Artois Comm." (or "" for the territory's own)."""
        if self.inherited_from_id is None:
            return ""
        return f"reprise {self.inherited_from.of_name}"


class PolicyAxis(Inherited, TimeStampedModel):
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="axes", verbose_name="territoire")
    number = models.PositiveSmallIntegerField("numéro", validators=[MinValueValidator(1)])
    title = models.CharField("intitulé", max_length=300)
    objectives = models.JSONField("objectifs", default=list, blank=True)

    class Meta:
        verbose_name = "axe de la politique ESS"
        verbose_name_plural = "axes de la politique ESS"
        ordering = ["territory", "number"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "number"], name="axis_number_unique"),
            *inherited_constraints("axis", "territory"),
        ]

    def __str__(self):
        return f"Axe {self.number} : {self.title}"

    @property
    def inherited_label(self) -> str:
        return f"repris {self.inherited_from.of_name}" if self.inherited_from_id else ""


class ActionSheet(Inherited, TimeStampedModel):
    """A numbered action sheet (fiche) of the policy, with its objectives and its indicators."""

    territory = models.ForeignKey(
        Territory, on_delete=models.CASCADE, related_name="sheets", verbose_name="territoire"
    )
    axis = models.ForeignKey(PolicyAxis, on_delete=models.CASCADE, related_name="sheets", verbose_name="axe")
    number = models.PositiveSmallIntegerField("numéro", validators=[MinValueValidator(1)])
    title = models.CharField("intitulé", max_length=300)
    summary = models.TextField("présentation", blank=True)
    objectives = models.JSONField("objectifs", default=list, blank=True)
    status = models.CharField("état", max_length=10, choices=SheetStatus.choices, default=SheetStatus.ONGOING)

    class Meta:
        verbose_name = "fiche action"
        verbose_name_plural = "fiches action"
        ordering = ["territory", "number"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "number"], name="sheet_number_unique"),
            *inherited_constraints("sheet", "territory"),
        ]

    def __str__(self):
        return f"Fiche {self.number} : {self.title}"

    def get_absolute_url(self):
        return reverse("territories:sheet", kwargs={"slug": self.territory.slug, "number": self.number})


class Indicator(Inherited, TimeStampedModel):
    """What an action sheet measures, with a target and values year after year (the evaluation of fiche 1)."""

    sheet = models.ForeignKey(
        ActionSheet, on_delete=models.CASCADE, related_name="indicators", verbose_name="fiche action"
    )
    name = models.CharField("indicateur", max_length=300)
    unit = models.CharField("unité", max_length=50, blank=True)
    description = models.TextField("définition", blank=True)
    target = models.DecimalField("cible", max_digits=14, decimal_places=2, null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(
        "année de la cible", null=True, blank=True, validators=YEAR_VALIDATORS
    )
    position = models.PositiveSmallIntegerField("ordre", default=0)
    binding = models.CharField(
        "indicateur calculé lié",
        max_length=80,
        blank=True,
        help_text="Code « capacité.indicateur » d'un indicateur calculé par Essaim (ex. grants.amount_granted) : "
        "ses valeurs se remplissent seules et aucune valeur ne peut être saisie. Vide : valeurs saisies.",
    )

    class Meta:
        verbose_name = "indicateur"
        verbose_name_plural = "indicateurs"
        ordering = ["sheet", "position", "name"]
        constraints = inherited_constraints("indicator", "sheet")

    def __str__(self):
        return self.name

    def clean(self):
        """A binding names a computed figure of kind value of the registry (``essaim.core.indicators``)."""
        super().clean()
        if self.binding:
            from essaim.core.indicators import capabilities

            codes = {f"{c.code}.{d.code}" for c in capabilities() for d in c.definitions if d.kind == "value"}
            if self.binding not in codes:
                message = f"« {self.binding} » n'est pas un indicateur calculé par Essaim (capacité.indicateur)."
                raise ValidationError({"binding": message})

    @property
    def inherited_label(self) -> str:
        return f"repris {self.inherited_from.of_name}" if self.inherited_from_id else ""


BOUND_VALUE_ERROR = (
    "Cet indicateur est lié à l'indicateur calculé « %(code)s » : ses valeurs se remplissent seules, aucune ne se "
    "saisit."
)


class IndicatorValue(TimeStampedModel):
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name="indicateur"
    )
    year = models.PositiveSmallIntegerField("année", validators=YEAR_VALIDATORS)
    value = models.DecimalField("valeur mesurée", max_digits=14, decimal_places=2)
    source = models.CharField("source", max_length=300, blank=True)
    inherited_from = models.ForeignKey(
        Territory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="reprise du territoire",
        editable=False,
        help_text="La valeur vient de l'évaluation du territoire prédécesseur.",
    )
    is_fictitious = models.BooleanField("valeur fictive", default=False, help_text=FICTITIOUS_HELP)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="saisie par",
        editable=False,
    )
    entered_by_name = models.CharField("saisie par (nom)", max_length=200, blank=True, editable=False)

    class Meta:
        verbose_name = "valeur d'indicateur"
        verbose_name_plural = "valeurs d'indicateur"
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="indicator_value_one_per_year"),
        ]

    def __str__(self):
        return f"{self.indicator} {self.year} : {self.value}"

    def clean(self):
        """A bound indicator's values are computed: none is entered (never both)."""
        super().clean()
        try:
            indicator = self.indicator
        except ObjectDoesNotExist:
            indicator = None
        if indicator is not None and indicator.binding:
            raise ValidationError(BOUND_VALUE_ERROR % {"code": indicator.binding})

    @property
    def inherited_label(self) -> str:
        return f"reprise {self.inherited_from.of_name}" if self.inherited_from_id else ""


class KeyFigure(TimeStampedModel):
    """A figure a source declared about the territory (seed articles, reports), shown with that source."""

    territory = models.ForeignKey(
        Territory, on_delete=models.CASCADE, related_name="key_figures", verbose_name="territoire"
    )
    label = models.CharField("libellé", max_length=200)
    value = models.DecimalField("valeur", max_digits=14, decimal_places=2)
    unit = models.CharField("unité", max_length=30, blank=True)
    year = models.PositiveSmallIntegerField("année", validators=YEAR_VALIDATORS)
    source = models.CharField("source", max_length=300)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "chiffre clé"
        verbose_name_plural = "chiffres clés"
        ordering = ["territory", "position", "-year"]

    def __str__(self):
        return f"{self.label} : {self.value}"


class PolicyInheritance(TimeStampedModel):
    """A successor took over its predecessor's policy (``territory_inherit_policy``): when, by whom, what was copied.

    The territory admin reads these lines on the policy page; they stay when the copies are later edited."""

    territory = models.ForeignKey(
        Territory, on_delete=models.CASCADE, related_name="policy_inheritances", verbose_name="territoire"
    )
    predecessor = models.ForeignKey(
        Territory, on_delete=models.PROTECT, related_name="+", verbose_name="territoire prédécesseur"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="par",
    )
    by_name = models.CharField("par (nom)", max_length=200, help_text="Gardé si le compte est supprimé.")
    axes_count = models.PositiveSmallIntegerField("axes copiés", default=0)
    sheets_count = models.PositiveSmallIntegerField("fiches copiées", default=0)
    indicators_count = models.PositiveSmallIntegerField("indicateurs copiés", default=0)
    values_count = models.PositiveIntegerField("valeurs copiées", default=0)
    lines = models.JSONField("journal", default=list, blank=True)

    class Meta:
        verbose_name = "reprise de politique"
        verbose_name_plural = "reprises de politique"
        ordering = ["territory", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(predecessor=models.F("territory")), name="policy_inheritance_not_from_itself"
            ),
        ]

    def __str__(self):
        return f"{self.territory} ← {self.predecessor} ({self.created_at:%d/%m/%Y})"
