"""Forms of the pooling pages: the board's filters, a listing, the subscriptions, a shared item and its booking, a
group purchase and a line of it. The services check the rules; the forms check the shapes."""

from django import forms
from django.utils import timezone

from essaim.club.enums import BookingUnit, ListingCategory, ListingKind
from essaim.club.models import Listing
from essaim.club.services.pooling import LISTING_FIELDS
from essaim.www.forms import EssaimForm, EssaimModelForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time", "step": 3600}, format="%H:%M")


def _communes(field, club):
    field.queryset = club.territory.communes.order_by("name")


class BoardFilterForm(EssaimForm):
    q = forms.CharField(label="Rechercher", required=False, max_length=100)
    kind = forms.ChoiceField(label="Offres ou besoins", required=False, choices=[("", "Toutes"), *ListingKind.choices])
    category = forms.ChoiceField(label="Catégorie", required=False, choices=[("", "Toutes"), *ListingCategory.choices])
    commune = forms.CharField(
        label="Commune", required=False, max_length=100, help_text="Le nom de la commune, ou son début."
    )
    free = forms.BooleanField(label="Gratuites seulement", required=False)


class ListingForm(EssaimModelForm):
    member = forms.ModelChoiceField(label="Pour la structure", queryset=None, empty_label=None)

    class Meta:
        model = Listing
        fields = list(LISTING_FIELDS)  # what the service writes, and nothing else
        widgets = {"available_from": DATE, "available_until": DATE, "kind": forms.RadioSelect}

    def __init__(self, *args, club, members, **kwargs):
        super().__init__(*args, **kwargs)
        _communes(self.fields["commune"], club)
        self.fields["member"].queryset = members
        if self.instance.pk:
            del self.fields["member"]
        elif members.count() == 1:
            self.fields["member"].widget = forms.HiddenInput()
        self.fields["kind"].choices = ListingKind.choices
        self.fields["price"].help_text = "Laissez vide si c'est gratuit."

    def clean(self):
        data = super().clean()
        start, end = data.get("available_from"), data.get("available_until")
        if start and end and end < start:
            self.add_error("available_until", "La fin de la disponibilité précède son début.")
        if not data.get("is_free") and data.get("price") is None and not data.get("price_note"):
            self.add_error("price", "Indiquez un prix, ou cochez « gratuit ».")
        return data


class MatchForm(EssaimForm):
    offer = forms.IntegerField(widget=forms.HiddenInput)
    need = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label="Message (facultatif)", required=False, max_length=500)


class SubscriptionsForm(EssaimForm):
    categories = forms.MultipleChoiceField(
        label="Catégories suivies",
        required=False,
        choices=ListingCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Un récapitulatif par semaine au plus, seulement s'il y a du nouveau.",
    )


class ItemForm(EssaimForm):
    member = forms.ModelChoiceField(label="Prêté par", queryset=None, empty_label=None)
    name = forms.CharField(label="Nom", max_length=200)
    category = forms.ChoiceField(label="Catégorie", choices=ListingCategory.choices)
    description = forms.CharField(label="Description et conditions", required=False, widget=forms.Textarea)
    commune = forms.ModelChoiceField(label="Commune", queryset=None, required=False, empty_label="—")
    unit = forms.ChoiceField(label="Réservation", choices=BookingUnit.choices, widget=forms.RadioSelect)

    def __init__(self, *args, club, members, **kwargs):
        super().__init__(*args, **kwargs)
        _communes(self.fields["commune"], club)
        self.fields["member"].queryset = members
        if members.count() == 1:
            self.fields["member"].widget = forms.HiddenInput()


class DayBookingForm(EssaimForm):
    member = forms.ModelChoiceField(label="Pour la structure", queryset=None, empty_label=None)
    first_day = forms.DateField(label="Premier jour", widget=DATE)
    last_day = forms.DateField(label="Dernier jour", widget=DATE, help_text="Le même jour pour une seule journée.")
    purpose = forms.CharField(label="Pour quoi faire (facultatif)", required=False, max_length=300)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        if members.count() == 1:
            self.fields["member"].widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        if data.get("first_day") and data.get("last_day") and data["last_day"] < data["first_day"]:
            self.add_error("last_day", "Le dernier jour précède le premier.")
        return data


class HourBookingForm(EssaimForm):
    member = forms.ModelChoiceField(label="Pour la structure", queryset=None, empty_label=None)
    day = forms.DateField(label="Jour", widget=DATE)
    start = forms.TimeField(label="De", widget=TIME, help_text="Heure entière, par exemple 09:00.")
    end = forms.TimeField(label="À", widget=TIME)
    purpose = forms.CharField(label="Pour quoi faire (facultatif)", required=False, max_length=300)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        if members.count() == 1:
            self.fields["member"].widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", "L'heure de fin doit suivre l'heure de début.")
        return data


class PurchaseForm(EssaimForm):
    member = forms.ModelChoiceField(label="Proposé par", queryset=None, empty_label=None)
    title = forms.CharField(label="Achat", max_length=200)
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea)
    unit_label = forms.CharField(label="Unité", max_length=50, initial="unité", help_text="ramette, kg, licence…")
    unit_price = forms.DecimalField(
        label="Prix unitaire estimé (€)", required=False, min_value=0, max_digits=9, decimal_places=2
    )
    minimum_quantity = forms.IntegerField(label="Quantité minimale pour commander", required=False, min_value=1)
    deadline = forms.DateField(label="Participations jusqu'au", widget=DATE)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        if members.count() == 1:
            self.fields["member"].widget = forms.HiddenInput()

    def clean_deadline(self):
        value = self.cleaned_data["deadline"]
        if value < timezone.localdate():
            raise forms.ValidationError("La date limite est déjà passée.")
        return value


class LineForm(EssaimForm):
    member = forms.ModelChoiceField(label="Pour la structure", queryset=None, empty_label=None)
    quantity = forms.IntegerField(label="Quantité", min_value=0, max_value=100_000, help_text="0 pour vous retirer.")

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        if members.count() == 1:
            self.fields["member"].widget = forms.HiddenInput()
