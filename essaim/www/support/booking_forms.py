"""Forms of the booking pages: book a slot (no account), move it, cancel it, and the adviser's status buttons."""

from django import forms

from essaim.support.enums import BookingStatus
from essaim.support.services.projects import retention_months
from essaim.www.forms import EssaimForm


class BookingForm(EssaimForm):
    """The person's name, e-mail, optional phone, the project in a few lines and their consent; the slot travels as
    a hidden field (radio buttons when it was just taken and others are proposed)."""

    slot = forms.CharField(max_length=40, widget=forms.HiddenInput)
    name = forms.CharField(
        label="Nom et prénom", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label="Adresse e-mail",
        max_length=254,
        help_text="La confirmation et le lien pour déplacer ou annuler y sont envoyés.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label="Téléphone",
        required=False,
        max_length=30,
        help_text="Facultatif ; nécessaire pour un rendez-vous par téléphone.",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    message = forms.CharField(
        label="Votre projet en quelques lignes",
        required=False,
        max_length=2000,
        help_text="Facultatif : l'idée, où vous en êtes, vos questions (2 000 caractères au plus).",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    consent = forms.BooleanField(label="", required=True)

    def __init__(self, *args, phone_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if phone_required:
            self.fields["phone"].required = True
            self.fields["phone"].help_text = "Votre interlocuteur vous appellera à ce numéro."
        self.fields["consent"].label = (
            "J'accepte que mes nom, e-mail, téléphone et message servent uniquement à préparer ce rendez-vous et à "
            f"suivre mon projet ; ils sont effacés {retention_months()} mois après le rendez-vous. Je peux en "
            "demander l'accès ou l'effacement à tout moment."
        )
        self.fields["consent"].error_messages["required"] = "Cochez cette case pour réserver."
        self.fields["name"].error_messages["required"] = "Indiquez votre nom."
        self.fields["email"].error_messages["required"] = "Indiquez votre adresse e-mail."
        self.fields["email"].error_messages["invalid"] = (
            "L'adresse e-mail n'est pas valable (exemple : prenom.nom@exemple.fr)."
        )
        self.fields["phone"].error_messages["required"] = "Indiquez votre numéro de téléphone."
        self.fields["slot"].error_messages["required"] = "Choisissez un créneau."


class MoveForm(EssaimForm):
    slot = forms.CharField(max_length=40, error_messages={"required": "Choisissez un nouveau créneau."})


ADVISER_STATUSES = [
    (BookingStatus.SEEN, "Vu·e"),
    (BookingStatus.NO_SHOW, "Absent·e"),
    (BookingStatus.EXCUSED, "Excusé·e"),
    (BookingStatus.CANCELLED_BY_SERVICE, "Annulé par le service"),
    (BookingStatus.BOOKED, "À venir (corriger)"),
]


class StatusForm(EssaimForm):
    status = forms.ChoiceField(choices=ADVISER_STATUSES)
    reason = forms.CharField(label="Motif (envoyé à la personne)", required=False, max_length=250)
    next = forms.CharField(required=False, max_length=500)
