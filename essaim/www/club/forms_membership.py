"""Forms of the club's membership pages: joining, sponsoring, the member's profile and people, the facilitators'
decision, the club's settings, bureau, staff and charter, and the skills directory's filters."""

from django import forms

from essaim.club.enums import BureauRole, ClubRole, ClubStatus, MemberStatus
from essaim.club.models import Member, Skill
from essaim.club.services.membership import MAX_MEMBERSHIP_MONTHS
from essaim.www.agenda.forms import DateInput
from essaim.www.forms import EssaimForm


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.structure.display_name


class StructureChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        commune = f" ({obj.commune.name})" if obj.commune_id else ""
        return f"{obj.display_name}{commune}"


class JoinForm(EssaimForm):
    structure = StructureChoiceField(
        label="Structure", queryset=None, empty_label=None, help_text="Une structure dont vous gérez la fiche."
    )
    sponsor = MemberChoiceField(
        label="Parrain (facultatif)",
        queryset=None,
        required=False,
        empty_label="Sans parrain",
        help_text="Un membre du club qui vous a fait connaître le club.",
    )
    motivation = forms.CharField(
        label="Votre motivation",
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ce que vous attendez du club et ce que vous pouvez lui apporter.",
    )
    accept_charter = forms.BooleanField(
        label="J'ai lu la charte du club et je l'accepte au nom de ma structure",
        error_messages={"required": "Pour adhérer, acceptez la charte du club."},
    )

    def __init__(self, *args, structures, sponsors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = structures
        self.fields["sponsor"].queryset = sponsors


class SponsorSearchForm(EssaimForm):
    q = forms.CharField(label="Nom de la structure", max_length=100, required=False)


class SponsorForm(EssaimForm):
    structure = StructureChoiceField(
        label="Structure parrainée", queryset=None, empty_label=None, widget=forms.RadioSelect
    )
    email = forms.EmailField(
        label="E-mail de votre contact dans cette structure",
        help_text="Il ou elle reçoit le lien pour adhérer, votre parrainage déjà indiqué.",
    )

    def __init__(self, *args, structures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = structures


class RefuseForm(EssaimForm):
    reason = forms.CharField(
        label="Motif du refus",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Envoyé à la structure par e-mail.",
    )


class ProfileForm(EssaimForm):
    skills = forms.ModelMultipleChoiceField(
        label="Compétences",
        queryset=Skill.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    new_skills = forms.CharField(
        label="Autres compétences",
        max_length=500,
        required=False,
        help_text="Séparées par des virgules, par exemple : comptabilité associative, graphisme.",
    )
    offer_summary = forms.CharField(
        label="Ce que nous proposons aux autres",
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Savoir-faire, services, ce que vous pouvez prêter.",
    )
    show_publicly = forms.BooleanField(
        label="Apparaître sur la page publique du club",
        required=False,
        help_text="Votre structure, vos compétences et ce que vous proposez sont alors visibles de tous.",
    )

    def new_skill_names(self) -> list[str]:
        return [name.strip() for name in self.cleaned_data.get("new_skills", "").split(",") if name.strip()]


class PersonAddForm(EssaimForm):
    email = forms.EmailField(
        label="E-mail de votre collègue", help_text="Il ou elle doit avoir un compte sur le site."
    )
    function = forms.CharField(label="Fonction dans la structure", max_length=150, required=False)


class ClubForm(EssaimForm):
    name = forms.CharField(label="Nom du club", max_length=200)
    description = forms.CharField(
        label="Présentation", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    email = forms.EmailField(label="E-mail de contact", required=False)
    founded_on = forms.DateField(label="Première rencontre le", required=False, widget=DateInput())


class SettingsForm(ClubForm):
    membership_months = forms.IntegerField(
        label="Durée d'une adhésion (mois)", min_value=1, max_value=MAX_MEMBERSHIP_MONTHS
    )
    status = forms.ChoiceField(label="Statut", choices=ClubStatus.choices, widget=forms.RadioSelect)
    rna = forms.CharField(
        label="Numéro RNA", max_length=10, required=False, help_text="W suivi de 9 chiffres (pour une association)."
    )
    association_since = forms.DateField(label="Association depuis le", required=False, widget=DateInput())

    field_order = ["name", "description", "email", "membership_months", "status", "rna", "association_since"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["founded_on"]

    def clean_rna(self):
        return self.cleaned_data["rna"].strip().upper()

    def clean(self):
        data = super().clean()
        if data.get("status") == ClubStatus.ASSOCIATION and not data.get("rna"):
            self.add_error("rna", "Une association a un numéro RNA.")
        return data


class BureauSeatForm(EssaimForm):
    role = forms.ChoiceField(label="Fonction", choices=BureauRole.choices)
    person_name = forms.CharField(label="Nom de la personne", max_length=150)
    member = MemberChoiceField(label="Structure membre (facultatif)", queryset=None, required=False)
    since = forms.DateField(label="Depuis le", required=False, widget=DateInput())

    def __init__(self, *args, club, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = Member.objects.filter(club=club, status=MemberStatus.ACTIVE).select_related(
            "structure"
        )


class StaffForm(EssaimForm):
    email = forms.EmailField(
        label="E-mail de la personne",
        help_text="Une personne d'une structure membre, ou de l'équipe du territoire, qui a un compte.",
    )
    role = forms.ChoiceField(label="Rôle", choices=ClubRole.choices, initial=ClubRole.FACILITATOR)


class CharterForm(EssaimForm):
    text = forms.CharField(label="Texte de la charte", max_length=20000, widget=forms.Textarea(attrs={"rows": 12}))
    summary_of_changes = forms.CharField(
        label="Ce qui change",
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Obligatoire dès la deuxième version : les membres le lisent avant d'accepter.",
    )
    adopted_on = forms.DateField(label="Adoptée le", widget=DateInput())


class SkillsFilterForm(EssaimForm):
    q = forms.CharField(label="Recherche libre", max_length=100, required=False)
    skill = forms.ModelChoiceField(label="Compétence", queryset=None, required=False, empty_label="Toutes")
    sector = forms.ModelChoiceField(label="Secteur", queryset=None, required=False, empty_label="Tous")
    commune = forms.ModelChoiceField(label="Commune", queryset=None, required=False, empty_label="Toutes")

    def __init__(self, *args, skills, sectors, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skill"].queryset = skills
        self.fields["sector"].queryset = sectors
        self.fields["commune"].queryset = communes
