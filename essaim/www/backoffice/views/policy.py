"""The ESS policy of a territory: axes, action sheets, and the indicators of each sheet."""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView

from essaim.territories import perms, services
from essaim.territories.models import ActionSheet, Indicator, IndicatorValue, PolicyAxis, Territory
from essaim.www.backoffice.forms.policy import AxisForm, IndicatorForm, IndicatorValueFormSet, SheetForm
from essaim.www.backoffice.views.base import (
    ChildCreateView,
    ChildDeleteView,
    ChildListView,
    ChildUpdateView,
    TerritoryMixin,
    WithFormsetMixin,
    breadcrumbs,
)


class PolicyView(ChildListView):
    """The policy at a glance: its axes and its action sheets."""

    model = PolicyAxis
    list_url = "backoffice:policy"
    section_title = "Politique ESS"
    template_name = "backoffice/policy.html"
    context_object_name = "axes"

    def get_queryset(self):
        return super().get_queryset().select_related("inherited_from")

    def get_context_data(self, **kwargs):
        territory = self.territory
        kwargs["sheets"] = (
            ActionSheet.objects.filter(territory=territory).select_related("axis", "inherited_from").order_by("number")
        )
        kwargs["predecessors"] = list(territory.predecessors.filter(sheets__isnull=False).distinct())
        kwargs["can_inherit"] = perms.can_inherit_policy(self.request.user, territory)
        kwargs["inheritances"] = list(territory.policy_inheritances.select_related("predecessor"))
        return super().get_context_data(**kwargs)


class PolicyInheritView(TerritoryMixin, TemplateView):
    """Take over a predecessor's policy: GET shows what would be copied, POST copies it and logs it."""

    template_name = "backoffice/policy_inherit.html"
    permission = staticmethod(perms.can_inherit_policy)
    denied_message = "Seule l'administration du territoire reprend la politique d'un prédécesseur."

    def setup_parent(self, **kwargs):
        self.predecessor = get_object_or_404(Territory, slug=kwargs["predecessor"], successor=self.territory)

    def get_page_title(self):
        return f"Reprendre la politique {self.predecessor.of_name}"

    def get_breadcrumbs(self):
        policy = reverse("backoffice:policy", args=[self.territory.slug])
        return breadcrumbs(self.territory, ("Politique ESS", policy), (self.get_page_title(), None))

    def get_context_data(self, **kwargs):
        kwargs["predecessor"] = self.predecessor
        kwargs["plan"] = services.territory_inherit_policy(
            territory=self.territory, predecessor=self.predecessor, by=self.request.user, dry_run=True
        )
        kwargs["cancel_url"] = reverse("backoffice:policy", args=[self.territory.slug])
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        report = services.territory_inherit_policy(
            territory=self.territory, predecessor=self.predecessor, by=request.user
        )
        if report.copied:
            messages.success(request, f"Politique {self.predecessor.of_name} reprise : {report.summary()} copiés.")
        else:
            messages.info(
                request, f"Rien de nouveau à reprendre : la politique {self.predecessor.of_name} est déjà reprise."
            )
        return redirect(reverse("backoffice:policy", args=[self.territory.slug]) + "#reprises")


class AxisMixin:
    model = PolicyAxis
    form_class = AxisForm
    list_url = "backoffice:policy"
    section_title = "Politique ESS"
    object_label = "un axe"


class AxisCreateView(AxisMixin, ChildCreateView):
    pass


class AxisUpdateView(AxisMixin, ChildUpdateView):
    pass


class AxisDeleteView(AxisMixin, ChildDeleteView):
    def get_consequences(self):
        count = self.object.sheets.count()
        if count:
            return f"Ses {count} fiche(s) action et leurs indicateurs seront supprimés avec lui."
        return ""


class SheetMixin:
    model = ActionSheet
    form_class = SheetForm
    list_url = "backoffice:policy"
    section_title = "Politique ESS"
    object_label = "une fiche action"


class SheetDetailView(SheetMixin, ChildListView):
    """One action sheet with its indicators and their values."""

    template_name = "backoffice/sheet.html"
    context_object_name = "indicators"

    def setup_parent(self, **kwargs):
        self.sheet = get_object_or_404(
            ActionSheet.objects.select_related("axis", "inherited_from"), territory=self.territory, pk=kwargs["pk"]
        )

    def get_queryset(self):
        values = IndicatorValue.objects.select_related("inherited_from")
        return self.sheet.indicators.prefetch_related(Prefetch("values", queryset=values))

    def get_page_title(self):
        return str(self.sheet)

    def get_breadcrumbs(self):
        return breadcrumbs(self.territory, *self.section_crumbs(), (self.get_page_title(), None))

    def get_context_data(self, **kwargs):
        kwargs["sheet"] = self.sheet
        return super().get_context_data(**kwargs)


class SheetCreateView(SheetMixin, ChildCreateView):
    pass


class SheetUpdateView(SheetMixin, ChildUpdateView):
    pass


class SheetDeleteView(SheetMixin, ChildDeleteView):
    consequences = "Ses indicateurs et leurs valeurs seront supprimés avec elle."


class IndicatorMixin:
    """Indicators live under an action sheet of the territory: both are looked up inside the territory."""

    model = Indicator
    form_class = IndicatorForm
    list_url = "backoffice:sheet"
    section_title = "Politique ESS"
    object_label = "un indicateur"

    def setup_parent(self, **kwargs):
        self.sheet = get_object_or_404(ActionSheet, territory=self.territory, pk=kwargs["sheet_pk"])

    def get_queryset(self):
        return Indicator.objects.filter(sheet=self.sheet)

    def list_url_args(self):
        return [self.territory.slug, self.sheet.pk]

    def section_crumbs(self):
        return [
            (self.section_title, reverse("backoffice:policy", args=[self.territory.slug])),
            (str(self.sheet), self.get_success_url()),
        ]


class IndicatorFormMixin(WithFormsetMixin, IndicatorMixin):
    template_name = "backoffice/form_with_formset.html"
    formset_class = IndicatorValueFormSet
    formset_prefix = "values"
    formset_legend = "Valeurs année par année"
    formset_row_legend = "Valeur"

    def get_parent_form_kwargs(self):
        return {"sheet": self.sheet}

    def save(self, form, formset):
        user = self.request.user
        for row in formset.forms:
            if row.has_changed() and not (formset.can_delete and formset._should_delete_form(row)):
                row.instance.entered_by = user
                row.instance.entered_by_name = user.full_name or user.email
        return services.indicator_save(indicator=form.instance, values_formset=formset)


class IndicatorCreateView(IndicatorFormMixin, ChildCreateView):
    pass


class IndicatorUpdateView(IndicatorFormMixin, ChildUpdateView):
    pass


class IndicatorDeleteView(IndicatorMixin, ChildDeleteView):
    consequences = "Ses valeurs seront supprimées avec lui."
