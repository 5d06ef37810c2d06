"""Who works on a territory: memberships and their roles."""

from django import forms
from django.core.exceptions import ValidationError

from essaim.accounts.enums import Role
from essaim.accounts.models import Membership, User
from essaim.www.forms import EssaimForm, EssaimModelForm

OWN_ADMIN_MESSAGE = (
    "Vous ne pouvez pas retirer votre propre rôle d'administrateur·rice de ce territoire : demandez-le à un·e autre "
    "administrateur·rice ou à l'administration du réseau."
)


def check_not_own_admin(membership, by):
    """A territory must not lose its admin by accident: nobody withdraws their own admin role."""
    if membership.pk and membership.user_id == by.pk and membership.role == Role.ADMIN:
        raise ValidationError(OWN_ADMIN_MESSAGE, code="own_admin")


class MembershipAddForm(EssaimModelForm):
    """Gives a role in the territory to a person who already has an account."""

    email = forms.EmailField(
        label="Adresse e-mail",
        help_text="La personne doit déjà avoir un compte sur la plateforme.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    class Meta:
        model = Membership
        fields = ["email", "role"]

    def __init__(self, *args, territory, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.territory = territory

    def clean_email(self):
        email = self.cleaned_data["email"]
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise ValidationError(
                "Aucun compte n'existe avec l'adresse %(email)s : la personne doit d'abord créer son compte.",
                code="unknown_user",
                params={"email": email},
            )
        if Membership.objects.filter(user=user, territory=self.instance.territory).exists():
            raise ValidationError(
                "Cette personne a déjà un rôle dans ce territoire : modifiez-le dans la liste de l'équipe.",
                code="already_member",
            )
        self.instance.user = user
        return email


class MembershipRoleForm(EssaimModelForm):
    class Meta:
        model = Membership
        fields = ["role"]

    def __init__(self, *args, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.by = by
        self.current_role = self.instance.role

    def clean_role(self):
        role = self.cleaned_data["role"]
        if role != Role.ADMIN and self.current_role == Role.ADMIN and self.instance.user_id == self.by.pk:
            raise ValidationError(OWN_ADMIN_MESSAGE, code="own_admin")
        return role


class MembershipRemoveForm(EssaimForm):
    """The confirmation of a removal, refused for one's own admin role."""

    def __init__(self, *args, membership, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership = membership
        self.by = by

    def clean(self):
        check_not_own_admin(self.membership, self.by)
        return super().clean()
