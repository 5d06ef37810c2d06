"""Contacts, yearly budgets with their co-funders, and key figures."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory

from essaim.territories.models import BudgetYear, CoFunding, Contact, KeyFigure
from essaim.www.backoffice.forms.base import ParentFormSet, TerritoryChildForm, not_negative
from essaim.www.forms import EssaimModelForm
from essaim.www.templatetags.essaim import euros


class ContactForm(TerritoryChildForm):
    class Meta:
        model = Contact
        fields = ["kind", "full_name", "title", "service", "function", "email", "phone", "position"]
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }


class BudgetForm(TerritoryChildForm):
    unique_in_territory = {
        "year": "Un budget est déjà saisi pour %(value)s : modifiez-le plutôt que d'en créer un second.",
    }

    class Meta:
        model = BudgetYear
        fields = ["year", "amount", "fte", "comment", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        not_negative(self, "amount", "fte")


class CoFundingForm(EssaimModelForm):
    class Meta:
        model = CoFunding
        fields = ["funder", "amount"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        not_negative(self, "amount")


class BaseCoFundingFormSet(ParentFormSet):
    def clean(self):
        super().clean()
        if self.parent_form is None or not hasattr(self.parent_form, "cleaned_data"):
            return
        budget = self.parent_form.cleaned_data.get("amount")
        total = sum((form.cleaned_data.get("amount") or 0 for form in self.live_forms()), start=0)
        if budget is not None and total > budget:
            raise ValidationError(
                "Le total des co-financements (%(total)s) dépasse le budget ESS de l'année (%(budget)s).",
                code="cofunding_exceeds_budget",
                params={"total": euros(total), "budget": euros(budget)},
            )


CoFundingFormSet = inlineformset_factory(
    BudgetYear, CoFunding, form=CoFundingForm, formset=BaseCoFundingFormSet, extra=3, can_delete=True
)


class KeyFigureForm(TerritoryChildForm):
    class Meta:
        model = KeyFigure
        fields = ["label", "value", "unit", "year", "source", "position"]
