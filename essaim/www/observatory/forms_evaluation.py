"""Forms of the yearly evaluation: a fiche's evaluation (officers), the year's value of an entered indicator
(officers), the admin's decision (validate, send back, reopen)."""

from django import forms

from essaim.observatory.enums import SheetProgress
from essaim.territories.models import Indicator
from essaim.www.forms import EssaimForm


class EvaluationForm(EssaimForm):
    achievements = forms.CharField(
        label="Réalisations de l'année",
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=20000,
        help_text="Ce qui a été fait dans l'année pour cette fiche : actions, partenaires, publics touchés.",
    )
    progress_axes = forms.CharField(
        label="Axes de progrès",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=10000,
        help_text="Ce qu'il faut améliorer l'an prochain, une idée par ligne.",
    )
    progress = forms.ChoiceField(label="Avancement de la fiche", choices=SheetProgress.choices)


class IndicatorValueForm(EssaimForm):
    indicator = forms.ModelChoiceField(label="Indicateur", queryset=Indicator.objects.none(), empty_label=None)
    value = forms.DecimalField(label="Valeur de l'année", min_value=0, max_digits=14, decimal_places=2, localize=True)
    source = forms.CharField(
        label="Source", max_length=300, required=False, help_text="D'où vient le chiffre (bilan, comptage, enquête)."
    )

    def __init__(self, *args, sheet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.filter(sheet=sheet, binding="")


DECISIONS = [("validate", "Valider"), ("send_back", "Renvoyer en rédaction"), ("reopen", "Rouvrir")]


class ReviewForm(EssaimForm):
    decision = forms.ChoiceField(label="Décision", choices=DECISIONS)
    comment = forms.CharField(
        label="Commentaire",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
        help_text="Obligatoire pour renvoyer l'évaluation en rédaction ou la rouvrir.",
    )
