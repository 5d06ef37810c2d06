"""Contacts, yearly budgets with their co-funders, and key figures of a territory."""

from django.db.models import Prefetch

from essaim.territories import services
from essaim.territories.models import BudgetYear, CoFunding, Contact, KeyFigure
from essaim.www.backoffice.forms.content import BudgetForm, CoFundingFormSet, ContactForm, KeyFigureForm
from essaim.www.backoffice.views.base import (
    ChildCreateView,
    ChildDeleteView,
    ChildListView,
    ChildUpdateView,
    WithFormsetMixin,
)


class ContactMixin:
    model = Contact
    form_class = ContactForm
    list_url = "backoffice:contacts"
    section_title = "Contacts"
    object_label = "un contact"


class ContactListView(ContactMixin, ChildListView):
    template_name = "backoffice/contacts.html"


class ContactCreateView(ContactMixin, ChildCreateView):
    pass


class ContactUpdateView(ContactMixin, ChildUpdateView):
    pass


class ContactDeleteView(ContactMixin, ChildDeleteView):
    pass


class BudgetMixin:
    model = BudgetYear
    form_class = BudgetForm
    list_url = "backoffice:budgets"
    section_title = "Budgets ESS"
    object_label = "un budget annuel"

    def describe(self, obj):
        return f"budget {obj.year}"


class BudgetFormMixin(WithFormsetMixin, BudgetMixin):
    template_name = "backoffice/form_with_formset.html"
    formset_class = CoFundingFormSet
    formset_prefix = "cofundings"
    formset_legend = "Co-financements"
    formset_row_legend = "Co-financeur"

    def save(self, form, formset):
        return services.budget_save(budget=form.instance, cofunding_formset=formset)


class BudgetListView(BudgetMixin, ChildListView):
    template_name = "backoffice/budgets.html"

    def get_queryset(self):
        return super().get_queryset().prefetch_related(Prefetch("cofundings", CoFunding.objects.order_by("-amount")))


class BudgetCreateView(BudgetFormMixin, ChildCreateView):
    pass


class BudgetUpdateView(BudgetFormMixin, ChildUpdateView):
    pass


class BudgetDeleteView(BudgetMixin, ChildDeleteView):
    consequences = "Ses co-financements seront supprimés avec lui."


class KeyFigureMixin:
    model = KeyFigure
    form_class = KeyFigureForm
    list_url = "backoffice:key_figures"
    section_title = "Chiffres clés"
    object_label = "un chiffre clé"


class KeyFigureListView(KeyFigureMixin, ChildListView):
    template_name = "backoffice/key_figures.html"


class KeyFigureCreateView(KeyFigureMixin, ChildCreateView):
    pass


class KeyFigureUpdateView(KeyFigureMixin, ChildUpdateView):
    pass


class KeyFigureDeleteView(KeyFigureMixin, ChildDeleteView):
    pass
