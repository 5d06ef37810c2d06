"""The ESS policy: axes, action sheets, and indicators with their yearly values."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms import inlineformset_factory

from essaim.observatory.bindings import binding_choices
from essaim.territories.models import BOUND_VALUE_ERROR, ActionSheet, Indicator, IndicatorValue, PolicyAxis
from essaim.www.backoffice.forms.base import LinesField, ParentFormSet, TerritoryChildForm
from essaim.www.forms import EssaimModelForm


class AxisForm(TerritoryChildForm):
    unique_in_territory = {"number": "L'axe n° %(value)s existe déjà dans ce territoire."}
    objectives = LinesField(label="Objectifs", help_text="Un objectif par ligne.")

    class Meta:
        model = PolicyAxis
        fields = ["number", "title", "objectives"]


class SheetForm(TerritoryChildForm):
    unique_in_territory = {"number": "La fiche n° %(value)s existe déjà dans ce territoire."}
    objectives = LinesField(label="Objectifs", help_text="Un objectif par ligne.")

    class Meta:
        model = ActionSheet
        fields = ["axis", "number", "title", "summary", "objectives", "status"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["axis"].queryset = PolicyAxis.objects.filter(territory=self.territory)


class IndicatorForm(EssaimModelForm):
    class Meta:
        model = Indicator
        fields = ["name", "unit", "description", "target", "target_year", "position", "binding"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, sheet, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.sheet = sheet
        choices = binding_choices()
        if self.instance.binding and self.instance.binding not in {code for code, _ in choices}:
            choices.append((self.instance.binding, f"{self.instance.binding} (n'existe plus)"))
        self.fields["binding"] = forms.ChoiceField(
            label="Indicateur calculé lié",
            choices=[("", "Aucun : les valeurs sont saisies"), *choices],
            required=False,
            help_text="Lié, l'indicateur prend chaque année la valeur calculée par Essaim (ou figée en fin d'année) "
            "et aucune valeur ne se saisit.",
        )


class IndicatorValueForm(EssaimModelForm):
    class Meta:
        model = IndicatorValue
        fields = ["year", "value", "source"]
        error_messages = {
            NON_FIELD_ERRORS: {"unique_together": "Une valeur est déjà enregistrée pour cette année."},
        }


class BaseIndicatorValueFormSet(ParentFormSet):
    def clean(self):
        seen, twice = set(), []
        for form in self.live_forms():
            year = form.cleaned_data.get("year")
            if year is None:
                continue
            if year in seen and year not in twice:
                twice.append(year)
            seen.add(year)
        if twice:
            raise ValidationError(
                "Une seule valeur par année : %(years)s figure plusieurs fois.",
                code="year_twice",
                params={"years": ", ".join(str(year) for year in sorted(twice))},
            )
        binding = getattr(self.parent_form, "cleaned_data", {}).get("binding") if self.parent_form else None
        if binding and any(True for _ in self.live_forms()):
            raise ValidationError(
                BOUND_VALUE_ERROR + " Supprimez les valeurs saisies ou retirez le lien.",
                code="bound",
                params={"code": binding},
            )
        super().clean()


IndicatorValueFormSet = inlineformset_factory(
    Indicator, IndicatorValue, form=IndicatorValueForm, formset=BaseIndicatorValueFormSet, extra=3, can_delete=True
)
