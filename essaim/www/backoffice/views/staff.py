"""The team of a territory: who has which role. Only the territory's admin (or the network admin) manages it."""

from django.core.exceptions import ValidationError

from essaim.accounts.models import Membership
from essaim.territories import perms
from essaim.www.backoffice.forms.staff import (
    MembershipAddForm,
    MembershipRemoveForm,
    MembershipRoleForm,
    check_not_own_admin,
)
from essaim.www.backoffice.views.base import ChildCreateView, ChildDeleteView, ChildUpdateView, breadcrumbs


class StaffMixin:
    permission = staticmethod(perms.can_manage_staff)
    denied_message = "Seul·e l'administrateur·rice du territoire gère son équipe."
    model = Membership
    list_url = "backoffice:staff"
    section_title = "Équipe"

    def get_queryset(self):
        return Membership.objects.filter(territory=self.territory).select_related("user")

    def describe(self, obj):
        return f"{obj.user}, {obj.get_role_display()}"


class StaffView(StaffMixin, ChildCreateView):
    """The team, with the form to give a role to a person who has an account."""

    form_class = MembershipAddForm
    template_name = "backoffice/staff.html"
    success_message = "Rôle attribué : %(object)s."

    def get_page_title(self):
        return self.section_title

    def get_breadcrumbs(self):
        return breadcrumbs(self.territory, (self.section_title, None))

    def get_context_data(self, **kwargs):
        kwargs["memberships"] = self.get_queryset().order_by("user__full_name", "user__email")
        return super().get_context_data(**kwargs)


class MembershipUpdateView(StaffMixin, ChildUpdateView):
    form_class = MembershipRoleForm
    success_message = "Rôle modifié : %(object)s."

    def get_page_title(self):
        return f"Rôle de {self.object.user}"

    def get_parent_form_kwargs(self):
        return {"by": self.request.user}


class MembershipDeleteView(StaffMixin, ChildDeleteView):
    delete_form_class = MembershipRemoveForm
    success_message = "Rôle retiré : %(object)s."
    submit_label = "Retirer le rôle"

    def get_page_title(self):
        return f"Retirer le rôle de {self.object.user}"

    def get_question(self):
        return (
            f"Voulez-vous vraiment retirer à {self.object.user} son rôle « {self.object.get_role_display()} » "
            f"dans {self.territory.name} ? Son compte est conservé."
        )

    def get_blocked_reason(self):
        try:
            check_not_own_admin(self.object, self.request.user)
        except ValidationError as error:
            return error.message
        return ""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(membership=self.object, by=self.request.user)
        return kwargs
