from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html

from essaim.core.identifiers import normalize, validate_rna, validate_siret
from essaim.core.text import fold
from essaim.directory.enums import Family, HeadcountBand
from essaim.directory.models import DirectorySettings, Sector
from essaim.territories.models import Commune
from essaim.www.forms import EssaimForm, EssaimModelForm

SORT_CHOICES = [
    ("relevance", "Pertinence"),
    ("name", "Nom"),
    ("updated", "Mise à jour récente"),
    ("distance", "Distance"),
]
RADIUS_CHOICES = [("", "—"), ("5", "5 km"), ("10", "10 km"), ("20", "20 km"), ("50", "50 km")]


class CommuneSearchInput(forms.TextInput):
    """A text input for a commune's name, enhanced by combobox.js into an autocomplete fed by
    ``/api/v1/geo/communes`` (accents ignored); without JavaScript the server resolves what was typed."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = {**(attrs or {}), "data-combobox-input": "", "autocomplete": "off", "spellcheck": "false"}
        return format_html(
            '<div class="combobox" data-combobox data-combobox-source="{}" data-combobox-value-key="insee_code" '
            'data-combobox-label-key="label" data-combobox-min-chars="2" data-combobox-delay="120">{}</div>',
            reverse("api:communes_suggest") + "?limit=8",
            super().render(name, value, attrs, renderer),
        )


class SearchForm(EssaimForm):
    """The search box and the options beside it (the facets are checkboxes rendered from the counts)."""

    q = forms.CharField(label="Rechercher une structure", required=False, max_length=200)
    near_commune = forms.CharField(
        label="Autour de la commune",
        required=False,
        max_length=100,
        help_text="Son nom (par exemple Béthune) ou son code INSEE ; des suggestions s'affichent en tapant.",
        widget=CommuneSearchInput,
    )
    radius_km = forms.ChoiceField(label="Rayon", choices=RADIUS_CHOICES, required=False)
    sort = forms.ChoiceField(label="Trier par", choices=SORT_CHOICES, required=False)


def resolve_commune(value: str, postcode: str = ""):
    """A commune from an INSEE code, or from its name (and postcode when several communes share it)."""
    value = (value or "").strip()
    if not value:
        return None
    if value[:5].isdigit() or value[:2] in ("2A", "2B"):
        return Commune.objects.filter(insee_code=value[:5]).first()
    matches = Commune.objects.filter(search_name=fold(value))
    if postcode:
        matches = matches.filter(postcodes__contains=postcode)
    found = list(matches[:2])
    return found[0] if len(found) == 1 else None


class StructureFieldsMixin(EssaimForm):
    name = forms.CharField(label="Dénomination", max_length=250)
    usual_name = forms.CharField(label="Nom d'usage", max_length=250, required=False)
    family = forms.ChoiceField(label="Famille de l'ESS", choices=Family.choices)
    description = forms.CharField(
        label="Présentation", widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=5000
    )
    address = forms.CharField(label="Adresse", max_length=250, required=False)
    postcode = forms.RegexField(
        label="Code postal", regex=r"^\d{5}$", required=False, error_messages={"invalid": "5 chiffres attendus."}
    )
    commune = forms.CharField(label="Commune", max_length=100, help_text="Son nom ou son code INSEE.")
    sectors = forms.ModelMultipleChoiceField(
        label="Secteurs d'activité", queryset=Sector.objects.all(), widget=forms.CheckboxSelectMultiple, required=False
    )
    website = forms.URLField(label="Site internet", required=False, assume_scheme="https")
    email = forms.EmailField(label="E-mail de contact (publié)", required=False)
    phone = forms.CharField(label="Téléphone (publié)", max_length=30, required=False)
    opening_hours = forms.CharField(
        label="Horaires d'ouverture",
        max_length=250,
        required=False,
        help_text="Syntaxe OpenStreetMap, par exemple « Mo-Fr 09:00-17:00; Sa 10:00-12:00 ».",
    )
    accessibility = forms.CharField(
        label="Accessibilité", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )

    def clean_commune(self):
        commune = resolve_commune(self.cleaned_data["commune"], self.data.get("postcode", ""))
        if commune is None:
            raise ValidationError(
                "Commune introuvable : saisissez son code INSEE (5 caractères) ou son nom exact, avec le code postal "
                "si plusieurs communes portent ce nom."
            )
        return commune


class SubmitForm(StructureFieldsMixin):
    """« Référencer ma structure »."""

    field_order = ["siret", "rna", "name", "usual_name", "family"]
    siret = forms.CharField(
        label="SIRET de l'établissement",
        max_length=20,
        required=False,
        help_text="14 chiffres. Nous le cherchons dans les données SIRENE importées pour préremplir la fiche.",
    )
    rna = forms.CharField(
        label="Numéro RNA (associations)", max_length=12, required=False, help_text="W suivi de 9 chiffres."
    )
    submitter_email = forms.EmailField(
        label="Votre e-mail (non publié)",
        help_text="Pour vous prévenir de la décision de modération ; il n'est jamais affiché.",
    )

    def clean_siret(self):
        value = normalize(self.cleaned_data["siret"])
        if value:
            validate_siret(value)
        return value

    def clean_rna(self):
        value = normalize(self.cleaned_data["rna"])
        if value:
            validate_rna(value)
        return value


class EditForm(StructureFieldsMixin):
    """An owner or an officer updates the page (identity numbers come from the registers, not from here)."""

    headcount_band = forms.ChoiceField(label="Tranche d'effectif salarié", choices=HeadcountBand.choices)
    is_employer = forms.NullBooleanField(
        label="Employeuse",
        widget=forms.Select(choices=[("unknown", "Non renseigné"), ("true", "Oui"), ("false", "Non")]),
        required=False,
    )
    logo_alt = forms.CharField(label="Texte alternatif du logo", max_length=200, required=False)
    family = None


class ClaimForm(EssaimForm):
    role = forms.CharField(label="Votre fonction dans la structure", max_length=150)
    message = forms.CharField(
        label="Message pour la personne qui modère",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


class ReportForm(EssaimForm):
    message = forms.CharField(
        label="Quelle erreur avez-vous vue ?", widget=forms.Textarea(attrs={"rows": 4}), max_length=2000, min_length=5
    )
    email = forms.EmailField(
        label="Votre e-mail (facultatif, non publié)", required=False, help_text="Pour vous répondre si besoin."
    )


class ReasonForm(EssaimForm):
    reason = forms.CharField(
        label="Motif du refus (envoyé par e-mail)", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class MergeForm(EssaimForm):
    into = forms.IntegerField(widget=forms.HiddenInput)


class SettingsForm(EssaimModelForm):
    class Meta:
        model = DirectorySettings
        fields = ["moderate_owner_edits", "review_imports", "stale_after_days"]


def lookup_prefill(siret: str) -> dict | None:
    """What the imported SIRENE data already says about a SIRET, to prefill the form (None if unknown)."""
    from essaim.directory.models import Structure

    structure = Structure.objects.filter(Q(siret=siret)).select_related("commune").first()
    if structure is None:
        return None
    return {
        "structure": structure,
        "initial": {
            "siret": structure.siret,
            "rna": structure.rna,
            "name": structure.name,
            "usual_name": structure.usual_name,
            "family": structure.family,
            "address": structure.address,
            "postcode": structure.postcode,
            "commune": structure.commune.insee_code if structure.commune else "",
        },
    }
