"""The ESS policy: axes, action sheets, and indicators with their yearly values."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms import inlineformset_factory

from essaim.territories.models import ActionSheet, Indicator, IndicatorValue, PolicyAxis
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
        fields = ["name", "unit", "description", "target", "target_year", "position"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, sheet, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.sheet = sheet


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
        super().clean()


IndicatorValueFormSet = inlineformset_factory(
    Indicator, IndicatorValue, form=IndicatorValueForm, formset=BaseIndicatorValueFormSet, extra=3, can_delete=True
)
