"""What every back-office page shares: login, the territory looked up by slug, the permission, and generic
create/edit/delete views for the objects a territory owns."""

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import CreateView, DeleteView, ListView, UpdateView

from essaim.territories import perms
from essaim.territories.models import Territory


def breadcrumbs(territory=None, *trail):
    """[(label, url)] from the dashboard down to the current page (whose url is None)."""
    crumbs = [("Gestion", reverse("backoffice:dashboard"))]
    if territory is not None:
        crumbs.append((territory.name, reverse("backoffice:territory", args=[territory.slug])))
    return crumbs + list(trail)


class TerritoryMixin:
    """Login required; ``self.territory`` by slug; ``permission(user, territory)`` or 403."""

    permission = staticmethod(perms.can_edit_territory)
    denied_message = "Vous ne pouvez pas modifier ce territoire."
    page_title = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.territory = get_object_or_404(Territory, slug=kwargs["slug"])
        if not self.permission(request.user, self.territory):
            raise PermissionDenied(self.denied_message)
        self.setup_parent(**kwargs)
        return super().dispatch(request, *args, **kwargs)

    def setup_parent(self, **kwargs):
        """Hook to look up a parent object inside the territory (e.g. the action sheet of an indicator)."""

    def get_breadcrumbs(self):
        return breadcrumbs(self.territory, (self.get_page_title(), None))

    def get_page_title(self):
        return self.page_title

    def get_context_data(self, **kwargs):
        kwargs.setdefault("territory", self.territory)
        kwargs.setdefault("page_title", self.get_page_title())
        kwargs.setdefault("breadcrumbs", self.get_breadcrumbs())
        return super().get_context_data(**kwargs)


class ChildMixin(TerritoryMixin):
    """An object the territory owns: looked up among the territory's objects only (another territory's id: 404).

    Subclasses set ``model``, ``list_url`` (name of the section's list), ``section_title`` and the messages.
    """

    model = None
    list_url = ""
    section_title = ""
    object_label = ""

    def get_queryset(self):
        return self.model._default_manager.filter(territory=self.territory)

    def describe(self, obj):
        """How the object is named in titles and messages."""
        return str(obj)

    def list_url_args(self):
        return [self.territory.slug]

    def get_success_url(self):
        return reverse(self.list_url, args=self.list_url_args())

    def section_crumbs(self):
        return [(self.section_title, self.get_success_url())]

    def get_breadcrumbs(self):
        return breadcrumbs(self.territory, *self.section_crumbs(), (self.get_page_title(), None))

    def get_context_data(self, **kwargs):
        kwargs.setdefault("cancel_url", self.get_success_url())
        return super().get_context_data(**kwargs)


class ChildListView(ChildMixin, ListView):
    def get_breadcrumbs(self):
        return breadcrumbs(self.territory, (self.section_title, None))

    def get_page_title(self):
        return self.section_title


class ChildFormMixin(ChildMixin):
    template_name = "backoffice/form.html"
    success_message = ""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(self.get_parent_form_kwargs())
        return kwargs

    def get_parent_form_kwargs(self):
        return {"territory": self.territory}

    def save(self, form):
        return form.save()

    def form_valid(self, form):
        self.object = self.save(form)
        messages.success(self.request, self.success_message % {"object": self.describe(self.object)})
        return HttpResponseRedirect(self.get_success_url())


class ChildCreateView(ChildFormMixin, CreateView):
    success_message = "Ajout enregistré : %(object)s."

    def get_page_title(self):
        return f"Ajouter : {self.object_label}"


class ChildUpdateView(ChildFormMixin, UpdateView):
    success_message = "Modifications enregistrées : %(object)s."

    def get_page_title(self):
        return f"Modifier : {self.describe(self.object)}"


class ChildDeleteView(ChildMixin, DeleteView):
    """GET asks for confirmation; only POST deletes."""

    template_name = "backoffice/confirm_delete.html"
    success_message = "Suppression effectuée : %(object)s."
    consequences = ""
    submit_label = "Supprimer"
    delete_form_class = forms.Form

    def get_form_class(self):
        return self.delete_form_class

    def get_page_title(self):
        return f"Supprimer : {self.describe(self.object)}"

    def get_question(self):
        return f"Voulez-vous vraiment supprimer « {self.describe(self.object)} » ? Cette action est définitive."

    def get_consequences(self):
        return self.consequences

    def get_blocked_reason(self):
        """Why this object may not be deleted by this person (then no button is shown), or ""."""
        return ""

    def get_context_data(self, **kwargs):
        kwargs.setdefault("question", self.get_question())
        kwargs.setdefault("consequences", self.get_consequences())
        kwargs.setdefault("blocked_reason", self.get_blocked_reason())
        kwargs.setdefault("submit_label", self.submit_label)
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        label = self.describe(self.object)
        self.object.delete()
        messages.success(self.request, self.success_message % {"object": label})
        return HttpResponseRedirect(self.get_success_url())


class WithFormsetMixin:
    """A create or update view whose object has children edited in an inline formset on the same page.

    Both are validated together; ``save(form, formset)`` writes them in one transaction.
    """

    formset_class = None
    formset_prefix = ""
    formset_legend = ""
    formset_row_legend = ""

    def get_formset(self, form):
        data = self.request.POST if self.request.method == "POST" else None
        return self.formset_class(data, instance=form.instance, prefix=self.formset_prefix, parent_form=form)

    def get_context_data(self, **kwargs):
        if "form" not in kwargs:
            kwargs["form"] = self.get_form()
        if "formset" not in kwargs:
            kwargs["formset"] = self.get_formset(kwargs["form"])
        kwargs.setdefault("formset_legend", self.formset_legend)
        kwargs.setdefault("formset_row_legend", self.formset_row_legend)
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        formset = self.get_formset(form)
        if not formset.is_valid():
            return self.render_to_response(self.get_context_data(form=form, formset=formset))
        self.object = self.save(form, formset)
        messages.success(self.request, self.success_message % {"object": self.describe(self.object)})
        return HttpResponseRedirect(self.get_success_url())

    def form_invalid(self, form):
        formset = self.get_formset(form)
        formset.is_valid()
        return self.render_to_response(self.get_context_data(form=form, formset=formset))
