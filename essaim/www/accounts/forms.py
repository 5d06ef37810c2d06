"""The account forms: allauth's, with French labels and help, no placeholder standing in for a label (RGAA), and
the consent to the terms of use at sign-up."""

from allauth.account import forms as allauth_forms
from django import forms

from essaim.www.forms import EssaimForm, EssaimFormMixin

EMAIL_HELP = "Format attendu\u00a0: prenom.nom@exemple.fr"


def _french(field, label, *, help_text=None, autocomplete=None):
    field.label = label
    field.widget.attrs.pop("placeholder", None)
    if help_text is not None:
        field.help_text = help_text
    if autocomplete:
        field.widget.attrs["autocomplete"] = autocomplete
    return field


PASSWORD_HELP = (
    "10 caractères au moins, ni trop courant, ni uniquement des chiffres, ni trop proche de votre adresse "  # noqa: S105
    "e-mail. Une phrase de quelques mots est facile à retenir."
)


class LoginForm(EssaimFormMixin, allauth_forms.LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _french(self.fields["login"], "Adresse e-mail", help_text=EMAIL_HELP, autocomplete="email")
        _french(self.fields["password"], "Mot de passe", help_text="", autocomplete="current-password")


class SignupForm(EssaimFormMixin, allauth_forms.SignupForm):
    full_name = forms.CharField(
        label="Nom complet (facultatif)",
        max_length=150,
        required=False,
        help_text="Il s'affiche dans votre espace et dans les échanges avec l'équipe du territoire.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    terms = forms.BooleanField(
        label="J'ai lu et j'accepte les conditions d'utilisation de la plateforme.",
        error_messages={"required": "Acceptez les conditions d'utilisation pour créer votre compte."},
    )

    field_order = ["email", "password1", "full_name", "terms"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _french(self.fields["email"], "Adresse e-mail", help_text=EMAIL_HELP, autocomplete="email")
        _french(self.fields["password1"], "Mot de passe", help_text=PASSWORD_HELP, autocomplete="new-password")
        self.fields["email"].error_messages["required"] = "Indiquez votre adresse e-mail."
        self.fields["password1"].error_messages["required"] = "Choisissez un mot de passe."


class ResetPasswordForm(EssaimFormMixin, allauth_forms.ResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _french(self.fields["email"], "Adresse e-mail de votre compte", help_text=EMAIL_HELP, autocomplete="email")


class ResetPasswordKeyForm(EssaimFormMixin, allauth_forms.ResetPasswordKeyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _french(self.fields["password1"], "Nouveau mot de passe", help_text=PASSWORD_HELP, autocomplete="new-password")
        _french(self.fields["password2"], "Nouveau mot de passe (confirmation)", autocomplete="new-password")


class ChangePasswordForm(EssaimFormMixin, allauth_forms.ChangePasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _french(self.fields["oldpassword"], "Mot de passe actuel", autocomplete="current-password")
        _french(self.fields["password1"], "Nouveau mot de passe", help_text=PASSWORD_HELP, autocomplete="new-password")
        _french(self.fields["password2"], "Nouveau mot de passe (confirmation)", autocomplete="new-password")


class SetPasswordForm(EssaimFormMixin, allauth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _french(self.fields["password1"], "Mot de passe", help_text=PASSWORD_HELP, autocomplete="new-password")
        _french(self.fields["password2"], "Mot de passe (confirmation)", autocomplete="new-password")


class ChangeEmailForm(EssaimFormMixin, allauth_forms.AddEmailForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _french(
            self.fields["email"],
            "Nouvelle adresse e-mail",
            help_text="Un lien de confirmation y sera envoyé\u00a0; l'ancienne adresse reste valable jusque-là.",
            autocomplete="email",
        )


class ResendVerificationForm(EssaimForm):
    email = forms.EmailField(
        label="Adresse e-mail de votre compte",
        help_text=EMAIL_HELP,
        error_messages={"required": "Indiquez votre adresse e-mail.", "invalid": "Cette adresse n'est pas valide."},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class ProfileForm(EssaimForm):
    full_name = forms.CharField(
        label="Nom complet",
        max_length=150,
        required=False,
        help_text="Laissez vide pour n'être désigné·e que par votre adresse e-mail.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


class EraseAccountForm(EssaimForm):
    password = forms.CharField(
        label="Votre mot de passe, pour confirmer",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label="Je comprends que la suppression est définitive.",
        error_messages={"required": "Cochez la case pour confirmer la suppression."},
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("Mot de passe incorrect.")
        return password
