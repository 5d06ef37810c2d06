"""The dashboard, a territory's management home, its identity and its perimeter."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.generic import TemplateView, UpdateView, View

from essaim.accounts.models import Membership
from essaim.territories import perms, services
from essaim.territories.models import Indicator, Territory
from essaim.www.backoffice.forms.identity import TerritoryCreateForm, identity_form_class
from essaim.www.backoffice.views.base import TerritoryMixin, breadcrumbs


@login_required
def dashboard(request):
    """The territories the person may edit, their roles, and for the network admin the form to add a territory."""
    can_create = perms.can_create_territory(request.user)
    form = None
    if can_create:
        form = TerritoryCreateForm(request.POST or None)
    elif request.method == "POST":
        raise PermissionDenied("Seule l'administration du réseau ajoute des territoires.")
    if form is not None and form.is_bound and form.is_valid():
        territory = services.territory_create_from_epci(
            epci=form.epci, slug=form.cleaned_data["slug"], name=form.cleaned_data["name"], by=request.user
        )
        messages.success(
            request,
            f"Le territoire « {territory.name} » a été ajouté avec ses {territory.communes_count} communes.",
        )
        return redirect("backoffice:territory", slug=territory.slug)
    territories = list(perms.editable_territories(request.user).order_by("name"))
    editable = {territory.pk for territory in territories}
    memberships = Membership.objects.filter(user=request.user).select_related("territory").order_by("territory__name")
    context = {
        "territories": territories,
        "memberships": [(membership, membership.territory_id in editable) for membership in memberships],
        "form": form,
        "page_title": "Gestion",
        "breadcrumbs": [],
    }
    return render(request, "backoffice/dashboard.html", context)


class TerritoryHomeView(TerritoryMixin, TemplateView):
    """The management home of one territory: every section, with how much it holds."""

    template_name = "backoffice/territory.html"

    def get_page_title(self):
        return self.territory.name

    def get_breadcrumbs(self):
        return breadcrumbs(None, (self.territory.name, None))

    def get_context_data(self, **kwargs):
        territory = self.territory
        kwargs["counts"] = {
            "contacts": territory.contacts.count(),
            "budgets": territory.budgets.count(),
            "axes": territory.axes.count(),
            "sheets": territory.sheets.count(),
            "indicators": Indicator.objects.filter(sheet__territory=territory).count(),
            "key_figures": territory.key_figures.count(),
        }
        kwargs["can_manage_staff"] = perms.can_manage_staff(self.request.user, territory)
        if kwargs["can_manage_staff"]:
            kwargs["counts"]["staff"] = territory.memberships.count()
        return super().get_context_data(**kwargs)


class IdentityView(TerritoryMixin, UpdateView):
    template_name = "backoffice/identity.html"
    page_title = "Identité"

    def get_object(self, queryset=None):
        # A copy, so that values typed in an invalid form never show up as the territory's name in the page.
        return Territory.objects.get(pk=self.territory.pk)

    def get_form_class(self):
        return identity_form_class(self.request.user)

    def form_valid(self, form):
        form.save()
        messages.success(self.request, "L'identité du territoire a été enregistrée.")
        return redirect("backoffice:territory", slug=self.territory.slug)

    def get_context_data(self, **kwargs):
        kwargs["cancel_url"] = reverse("backoffice:territory", args=[self.territory.slug])
        return super().get_context_data(**kwargs)


class PerimeterView(TerritoryMixin, TemplateView):
    template_name = "backoffice/perimeter.html"
    page_title = "Périmètre"

    def get_context_data(self, **kwargs):
        territory = self.territory
        kwargs["perimeter"] = territory.perimeter.select_related("commune").order_by("commune__name")
        kwargs["departement"] = territory.departement
        kwargs["region"] = territory.region
        kwargs["epci"] = territory.epci
        return super().get_context_data(**kwargs)


class PerimeterSyncView(TerritoryMixin, View):
    """POST only: the perimeter becomes the official EPCI's communes again."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        territory = self.territory
        if territory.epci is None:
            messages.error(
                request, "Ce territoire n'a pas d'EPCI officiel : son périmètre ne peut être resynchronisé."
            )
        else:
            services.territory_set_perimeter_from_epci(territory=territory, epci=territory.epci)
            territory.refresh_from_db()
            messages.success(
                request,
                f"Périmètre resynchronisé avec la géographie officielle : {territory.communes_count} communes.",
            )
        return redirect("backoffice:perimeter", slug=territory.slug)
