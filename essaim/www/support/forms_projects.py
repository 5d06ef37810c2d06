"""Forms of the project record's pages: the board's filters, a project, its stage, closure, notes, next steps,
documents, referrals and their moves, and the holder's satisfaction survey."""

from django import forms
from django.core.exceptions import ValidationError

from essaim.support.enums import ClosureReason, Need, ProjectKind, ReferralStatus, Stage
from essaim.www.forms import EssaimForm

EMPTY = [("", "Tous")]


class BoardFilterForm(EssaimForm):
    """The officers' board filters (GET): every value is checked against its choices, a bad one is ignored."""

    stage = forms.ChoiceField(label="Étape", choices=EMPTY + Stage.choices, required=False)
    need = forms.ChoiceField(label="Besoin", choices=EMPTY + Need.choices, required=False)
    kind = forms.ChoiceField(label="Type", choices=EMPTY + ProjectKind.choices, required=False)
    sector = forms.ModelChoiceField(label="Secteur", queryset=None, required=False, empty_label="Tous")
    commune = forms.ModelChoiceField(label="Commune", queryset=None, required=False, empty_label="Toutes")
    referent = forms.ChoiceField(label="Référent·e", required=False)
    q = forms.CharField(label="Intitulé ou porteur", required=False, max_length=100)

    def __init__(self, *args, territory, team, **kwargs):
        super().__init__(*args, **kwargs)
        from essaim.directory.models import Sector

        self.fields["sector"].queryset = Sector.objects.order_by("name")
        self.fields["commune"].queryset = territory.communes.order_by("name")
        self.fields["referent"].choices = [
            ("", "Tous"),
            ("me", "Moi"),
            ("none", "Sans référent·e"),
            *[(str(user.pk), user.full_name or user.email) for user in team],
        ]


class ProjectForm(EssaimForm):
    """A project opened by hand: a person's idea, or the follow-up of a structure of the directory (by its SIRET)."""

    kind = forms.ChoiceField(label="Type d'accompagnement", choices=ProjectKind.choices, initial=ProjectKind.CREATION)
    title = forms.CharField(label="Intitulé du projet", max_length=200, required=False)
    structure_siret = forms.CharField(
        label="SIRET de la structure suivie",
        max_length=20,
        required=False,
        help_text="Pour le suivi d'une structure existante de l'annuaire : ses 14 chiffres.",
    )
    idea = forms.CharField(label="L'idée, le besoin", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    sector = forms.ModelChoiceField(label="Secteur", queryset=None, required=False, empty_label="—")
    commune = forms.ModelChoiceField(label="Commune", queryset=None, required=False, empty_label="—")
    needs = forms.MultipleChoiceField(
        label="Besoins", choices=Need.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    jobs_planned = forms.IntegerField(label="Emplois prévus", min_value=0, max_value=999, required=False)
    holder_name = forms.CharField(label="Nom du porteur ou de la porteuse", max_length=150, required=False)
    holder_email = forms.EmailField(label="Son e-mail", required=False)
    holder_phone = forms.CharField(label="Son téléphone", max_length=30, required=False)
    referent = forms.ModelChoiceField(label="Référent·e", queryset=None, required=False, empty_label="—")

    def __init__(self, *args, territory, team_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        from essaim.directory.models import Sector

        self.territory = territory
        self.fields["sector"].queryset = Sector.objects.order_by("name")
        self.fields["commune"].queryset = territory.communes.order_by("name")
        self.fields["referent"].queryset = team_queryset
        self.fields["referent"].label_from_instance = lambda user: user.full_name or user.email

    def clean_structure_siret(self):
        value = "".join((self.cleaned_data.get("structure_siret") or "").split())
        if not value:
            return None
        if not value.isdigit() or len(value) != 14:
            raise ValidationError("Un SIRET compte 14 chiffres.")
        from essaim.directory.models import Structure

        structure = Structure.objects.filter(siret=value).first()
        if structure is None:
            raise ValidationError("Aucune structure de l'annuaire n'a ce SIRET.")
        return structure

    def clean(self):
        data = super().clean()
        if data.get("kind") == ProjectKind.DEVELOPMENT and not data.get("structure_siret"):
            if "structure_siret" not in self.errors:
                self.add_error("structure_siret", "Le suivi d'une structure existante demande son SIRET.")
        if data.get("kind") == ProjectKind.CREATION and not (data.get("title") or "").strip():
            self.add_error("title", "Donnez un intitulé au projet.")
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        fields = {
            "kind": data["kind"],
            "title": (data["title"] or "").strip(),
            "idea": data["idea"],
            "sector": data["sector"],
            "commune": data["commune"],
            "needs": list(data["needs"]),
            "jobs_planned": data["jobs_planned"],
            "holder_name": data["holder_name"],
            "holder_email": data["holder_email"],
            "holder_phone": data["holder_phone"],
            "structure": data["structure_siret"],
        }
        if data["referent"] is not None:
            fields["referent"] = data["referent"]
        return fields


class StageForm(EssaimForm):
    stage = forms.ChoiceField(label="Nouvelle étape", choices=Stage.choices)
    comment = forms.CharField(label="Commentaire", required=False, max_length=2000)


class CloseForm(EssaimForm):
    reason = forms.ChoiceField(label="Motif de la clôture", choices=ClosureReason.choices)


class NoteForm(EssaimForm):
    text = forms.CharField(label="Note de suivi", widget=forms.Textarea(attrs={"rows": 3}), max_length=10000)


class NextStepForm(EssaimForm):
    title = forms.CharField(label="Prochaine étape", max_length=250)
    due_on = forms.DateField(label="Pour le", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    shared_with_holder = forms.BooleanField(label="Visible du porteur dans son espace", required=False, initial=True)


class DocumentForm(EssaimForm):
    file = forms.FileField(label="Document (PDF, PNG ou JPEG, 5 Mo au plus)")


class ReferralForm(EssaimForm):
    partner = forms.ModelChoiceField(label="Partenaire", queryset=None, empty_label="—")
    message = forms.CharField(
        label="Message au partenaire", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000
    )

    def __init__(self, *args, territory, **kwargs):
        super().__init__(*args, **kwargs)
        from essaim.support.models import Partner

        self.fields["partner"].queryset = Partner.objects.filter(territory=territory, active=True).order_by("name")


class ReferralMoveForm(EssaimForm):
    to_status = forms.ChoiceField(label="Nouvel état", choices=ReferralStatus.choices)
    comment = forms.CharField(label="Commentaire", required=False, max_length=4000, widget=forms.Textarea)


class SurveyForm(EssaimForm):
    rating = forms.TypedChoiceField(
        label="Êtes-vous satisfait·e de l'accompagnement ? (1 : pas du tout, 5 : tout à fait)",
        choices=[(str(n), str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    helped = forms.ChoiceField(
        label="L'accompagnement vous a-t-il aidé à avancer ?",
        choices=[("yes", "Oui"), ("partly", "En partie"), ("no", "Non")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="Un commentaire ? (facultatif)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ApplicationStartForm(EssaimForm):
    scheme = forms.ModelChoiceField(label="Dispositif", queryset=None, empty_label=None)

    def __init__(self, *args, schemes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = schemes
