"""Forms of the calls for projects and of the joint answers' workspaces."""

from django import forms

from essaim.club.enums import AnswerStatus
from essaim.club.models import Call
from essaim.directory.models import Sector
from essaim.www.forms import EssaimForm, EssaimModelForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
OUTCOMES = [
    (AnswerStatus.SUBMITTED, "déposée"),
    (AnswerStatus.WON, "retenue"),
    (AnswerStatus.LOST, "non retenue"),
    (AnswerStatus.ABANDONED, "abandonnée"),
]


class CallForm(EssaimModelForm):
    sectors = forms.ModelMultipleChoiceField(
        label="Thématiques",
        queryset=Sector.objects.order_by("position", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Les membres qui travaillent dans l'une d'elles sont prévenus ; tous les membres sans thématique.",
    )
    url = forms.URLField(label="Lien vers l'appel", required=False, assume_scheme="https", max_length=200)

    class Meta:
        model = Call
        fields = ["title", "funder", "description", "amount", "amount_note", "deadline", "url", "sectors"]
        widgets = {"deadline": DATE, "description": forms.Textarea(attrs={"rows": 6})}

    def clean_amount(self):
        amount = self.cleaned_data.get("amount")
        if amount is not None and amount < 0:
            raise forms.ValidationError("Le montant ne peut pas être négatif.")
        return amount


class AnswerForm(EssaimForm):
    member = forms.ModelChoiceField(label="Au nom de", queryset=None, empty_label=None)
    title = forms.CharField(label="Intitulé du projet", max_length=250)
    summary = forms.CharField(
        label="Le projet en quelques lignes", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    amount_requested = forms.DecimalField(
        label="Montant demandé (€)", required=False, min_value=0, max_digits=12, decimal_places=2
    )
    facilitators_can_see = forms.BooleanField(
        label="Les animateur·rices du club peuvent suivre",
        required=False,
        help_text="Ils et elles liront l'espace de travail, sans y écrire.",
    )

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        if members is None:
            del self.fields["member"]
        else:
            self.fields["member"].queryset = members
            if members.count() == 1:
                self.fields["member"].widget = forms.HiddenInput()
                self.fields["member"].initial = members.first().pk


class InviteForm(EssaimForm):
    member = forms.ModelChoiceField(label="Structure membre à inviter", queryset=None)
    role = forms.CharField(label="Son rôle dans le projet", max_length=200, required=False)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["member"].empty_label = "— choisir —"
        self.fields["member"].label_from_instance = lambda member: member.structure.name


class ShareForm(EssaimForm):
    role = forms.CharField(label="Rôle", max_length=200, required=False)
    budget_share = forms.DecimalField(
        label="Part du budget (€)", required=False, min_value=0, max_digits=12, decimal_places=2
    )


class TaskForm(EssaimForm):
    title = forms.CharField(label="Tâche", max_length=250)
    owner = forms.ModelChoiceField(label="Qui s'en charge", queryset=None, required=False)
    due_on = forms.DateField(label="Pour le", required=False, widget=DATE)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people
        self.fields["owner"].empty_label = "— personne pour l'instant —"
        self.fields["owner"].label_from_instance = lambda user: user.full_name or user.email


class MessageForm(EssaimForm):
    body = forms.CharField(label="Votre message", max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class DocumentForm(EssaimForm):
    file = forms.FileField(label="Document (PDF, PNG ou JPEG)")


class OutcomeForm(EssaimForm):
    status = forms.ChoiceField(label="La réponse est", choices=OUTCOMES)
    on = forms.DateField(
        label="Le", required=False, widget=DATE, help_text="Date du dépôt ou du résultat ; aujourd'hui sinon."
    )
    amount_awarded = forms.DecimalField(
        label="Montant obtenu (€)", required=False, min_value=0, max_digits=12, decimal_places=2
    )
    note = forms.CharField(label="Retour du financeur", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, allowed=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(value, label) for value, label in OUTCOMES if value in allowed]
