"""The dashboard, a territory's management home, its identity and its perimeter."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.generic import TemplateView, UpdateView, View

from essaim.accounts.enums import Role
from essaim.accounts.models import Membership
from essaim.territories import perms, services
from essaim.territories.models import Indicator, Territory
from essaim.www.backoffice.figures import directory_figures
from essaim.www.backoffice.forms.identity import TerritoryCreateForm, identity_form_class
from essaim.www.backoffice.links import network_links, territory_links
from essaim.www.backoffice.views.base import TerritoryMixin, breadcrumbs

READ_ONLY_ROLES = (Role.COMMISSION, Role.ELECTED)


@login_required
def dashboard(request):
    """The landing of the back office: for each territory the person has a role in, that role and the pages they
    may use there (an elected member: the dashboards they read); for the network admin, every member territory and
    the form to add one. Someone with no role learns how to get one."""
    user = request.user
    can_create = perms.can_create_territory(user)
    form = None
    if can_create:
        form = TerritoryCreateForm(request.POST or None)
    elif request.method == "POST":
        raise PermissionDenied("Seule l'administration du réseau ajoute des territoires.")
    if form is not None and form.is_bound and form.is_valid():
        territory = services.territory_create_from_epci(
            epci=form.epci, slug=form.cleaned_data["slug"], name=form.cleaned_data["name"], by=user
        )
        messages.success(
            request,
            f"Le territoire «\u00a0{territory.name}\u00a0» a été ajouté avec ses {territory.communes_count} communes.",
        )
        return redirect("backoffice:territory", slug=territory.slug)
    memberships = list(Membership.objects.filter(user=user).select_related("territory").order_by("territory__name"))
    # The permission functions below read the person's roles from this cache (territories.perms._role).
    user._essaim_roles = {membership.territory_id: membership.role for membership in memberships}
    rows = [
        {
            "membership": membership,
            "read_only": membership.role in READ_ONLY_ROLES,
            "can_edit": perms.can_edit_territory(user, membership.territory),
            "links": territory_links(user, membership.territory),
        }
        for membership in memberships
    ]
    context = {
        "rows": rows,
        "territories": list(Territory.objects.order_by("name")) if user.is_network_admin else [],
        # The network's own pages (moderation, background tasks), without this one.
        "network_links": [link for link in network_links(user) if link.url != request.path],
        "form": form,
        "page_title": "Gestion",
        "breadcrumbs": [],
    }
    return render(request, "backoffice/dashboard.html", context)


class FiguresView(TerritoryMixin, TemplateView):
    """The directory's figures of a territory, read by its officers, admin and elected members (aggregates only,
    no personal data)."""

    template_name = "backoffice/figures.html"
    permission = staticmethod(perms.can_view_dashboards)
    denied_message = "Les chiffres de l'annuaire sont réservés aux équipes et aux élu·es du territoire."
    page_title = "Chiffres de l'annuaire"

    def get_breadcrumbs(self):
        if perms.can_edit_territory(self.request.user, self.territory):
            return super().get_breadcrumbs()
        return breadcrumbs(None, (self.territory.name, None), (self.page_title, None))

    def get_context_data(self, **kwargs):
        kwargs["figures"] = directory_figures(self.territory)
        return super().get_context_data(**kwargs)


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
                request, "Ce territoire n'a pas d'EPCI officiel\u00a0: son périmètre ne peut être resynchronisé."
            )
        else:
            services.territory_set_perimeter_from_epci(territory=territory, epci=territory.epci)
            territory.refresh_from_db()
            messages.success(
                request,
                f"Périmètre resynchronisé avec la géographie officielle\u00a0: {territory.communes_count} communes.",
            )
        return redirect("backoffice:perimeter", slug=territory.slug)
