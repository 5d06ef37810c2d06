"""A territory's identity, and the network admin's form to add a member territory."""

from django import forms
from django.core.exceptions import ValidationError

from essaim.core.identifiers import validate_siren
from essaim.territories.models import Epci, Territory
from essaim.www.backoffice.forms.base import DATE_WIDGET, LinesField
from essaim.www.forms import EssaimForm, EssaimModelForm

ALLOWED_LOGO_FORMATS = {"PNG", "JPEG", "WEBP"}

IDENTITY_FIELDSETS = [
    ("Identité", ["name", "official_name", "kind", "description"]),
    ("Coordonnées", ["address", "postcode", "city", "phone", "website"]),
    ("Logo et couleur", ["logo", "logo_alt", "color"]),
    ("Politique ESS", ["policy_summary", "policy_goals"]),
    ("Chiffres déclarés", ["declared_population", "declared_population_year", "declared_communes_count"]),
    (
        "Réseau (administration du réseau)",
        ["siren", "valid_from", "valid_until", "successor", "is_network_member", "member_since"],
    ),
]


class IdentityForm(EssaimModelForm):
    """What a territory's officers may change about its identity and public presentation."""

    policy_goals = LinesField(label="Objectifs de la politique ESS", help_text="Un objectif par ligne.")

    class Meta:
        model = Territory
        fields = [
            "name",
            "official_name",
            "kind",
            "description",
            "address",
            "postcode",
            "city",
            "phone",
            "website",
            "logo",
            "logo_alt",
            "color",
            "policy_summary",
            "policy_goals",
            "declared_population",
            "declared_population_year",
            "declared_communes_count",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "policy_summary": forms.Textarea(attrs={"rows": 6}),
            "logo": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
            "color": forms.TextInput(attrs={"type": "color"}),
            "postcode": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        }
        help_texts = {"logo": "PNG, JPEG ou WebP, 1 Mo au plus."}

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        image = getattr(logo, "image", None)  # set by ImageField on a new upload, once Pillow has read it
        if image is not None and image.format not in ALLOWED_LOGO_FORMATS:
            raise ValidationError(
                "Format d'image refusé (%(format)s) : envoyez un fichier PNG, JPEG ou WebP.",
                code="logo_format",
                params={"format": image.format},
            )
        return logo

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("logo") and not cleaned_data.get("logo_alt", "").strip():
            self.add_error(
                "logo_alt",
                "Décrivez le logo en quelques mots : ce texte remplace l'image pour les personnes qui ne la voient "
                "pas.",
            )
        return cleaned_data

    def fieldsets(self):
        """(legend, bound fields) groups for the template, limited to the fields this form has."""
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in IDENTITY_FIELDSETS
            if any(name in self.fields for name in names)
        ]


class NetworkIdentityForm(IdentityForm):
    """The network admin also keeps the facts the network directory relies on."""

    class Meta(IdentityForm.Meta):
        fields = [
            *IdentityForm.Meta.fields,
            "siren",
            "valid_from",
            "valid_until",
            "successor",
            "is_network_member",
            "member_since",
        ]
        widgets = {
            **IdentityForm.Meta.widgets,
            "valid_from": DATE_WIDGET,
            "valid_until": DATE_WIDGET,
            "member_since": DATE_WIDGET,
            "siren": forms.TextInput(attrs={"inputmode": "numeric"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = Territory.objects.exclude(pk=self.instance.pk).order_by("name")

    def clean(self):
        cleaned_data = super().clean()
        start, end = cleaned_data.get("valid_from"), cleaned_data.get("valid_until")
        if start and end and end <= start:
            self.add_error("valid_until", "La date de fin doit suivre la date de début.")
        return cleaned_data


def identity_form_class(user):
    return NetworkIdentityForm if user.is_network_admin else IdentityForm


class TerritoryCreateForm(EssaimForm):
    """A network admin adds a member territory from an EPCI of the official geography."""

    siren = forms.CharField(
        label="SIREN de l'EPCI",
        max_length=11,
        help_text="Les 9 chiffres du SIREN de l'intercommunalité, tel qu'il figure dans la géographie officielle.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    slug = forms.SlugField(
        label="Identifiant",
        max_length=80,
        help_text="Utilisé dans les adresses des pages : lettres minuscules, chiffres et tirets (ex. artois-comm).",
    )
    name = forms.CharField(label="Nom usuel", max_length=200)

    def clean_siren(self):
        siren = self.cleaned_data["siren"].replace(" ", "")
        validate_siren(siren)
        epci = Epci.objects.filter(siren=siren).first()
        if epci is None:
            raise ValidationError("Aucun EPCI de la géographie officielle n'a ce SIREN.", code="unknown_epci")
        existing = Territory.objects.filter(siren=siren).first()
        if existing is not None:
            raise ValidationError(
                "Ce SIREN est déjà celui du territoire « %(name)s ».", code="taken", params={"name": existing.name}
            )
        self.epci = epci
        return siren

    def clean_slug(self):
        slug = self.cleaned_data["slug"].lower()
        if Territory.objects.filter(slug=slug).exists():
            raise ValidationError("Cet identifiant est déjà pris par un autre territoire.", code="taken")
        return slug
