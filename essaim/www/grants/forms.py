"""Forms of the grants pages. Amounts and FTE are typed the French way ("1 234,50") and read by the rule engine's
parser, so the same messages appear in the simulator, the application and the API."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from essaim.core.identifiers import normalize
from essaim.directory.models import Structure
from essaim.grants import rules
from essaim.grants.enums import (
    DecisionOutcome,
    DevelopmentCase,
    DocumentKind,
    FundingKind,
    GrantForm,
    NewStructureFamily,
    Opinion,
    PaymentKind,
    SessionKind,
)
from essaim.grants.models import Examination
from essaim.territories.models import Commune
from essaim.www.forms import EssaimForm, EssaimModelForm

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NumberField(forms.CharField):
    """A decimal typed "1 234,5" or "1234.50": never negative, in hundredths, parsed without floats."""

    def __init__(self, *args, maximum=rules.MAX_AMOUNT, **kwargs):
        self.maximum = maximum
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return rules.fr_number(value).replace("\u202f", " ")
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return rules.parse_decimal(value, label=str(self.label), maximum=self.maximum)
        except rules.RuleInputError as exc:
            raise ValidationError(str(exc), code="invalid") from exc


class SimulatorForm(EssaimForm):
    form = forms.ChoiceField(label="Forme de l'aide", choices=GrantForm.choices, widget=forms.RadioSelect)
    fte_created = NumberField(
        label="Emplois créés (ETP)",
        maximum=rules.MAX_FTE,
        help_text="En équivalents temps plein, au centième : 1,5 pour un temps plein et un mi-temps.",
    )
    investment = NumberField(
        label="Investissement éligible (€ HT)", help_text="Montant hors taxes des investissements du projet."
    )


class ApplyStartForm(EssaimForm):
    form = forms.ChoiceField(label="Forme de l'aide", choices=GrantForm.choices, widget=forms.RadioSelect)
    development_case = forms.ChoiceField(
        label="Pour une aide au développement, le cas du projet",
        choices=[("", "—")] + DevelopmentCase.choices,
        required=False,
        widget=forms.RadioSelect,
    )

    def clean(self):
        data = super().clean()
        if data.get("form") == GrantForm.DEVELOPMENT and not data.get("development_case"):
            self.add_error("development_case", "Précisez le cas de l'aide au développement.")
        return data


class StructureStepForm(EssaimForm):
    DIRECTORY, NEW = "annuaire", "nouvelle"

    origin = forms.ChoiceField(
        label="La structure qui porte le projet",
        choices=[
            (DIRECTORY, "Elle figure dans l'annuaire de l'ESS"),
            (NEW, "C'est une nouvelle structure (ou elle n'est pas dans l'annuaire)"),
        ],
        widget=forms.RadioSelect,
    )
    structure = forms.ModelChoiceField(
        label="Structure de l'annuaire",
        queryset=Structure.objects.published(),
        required=False,
        widget=forms.RadioSelect,
        empty_label=None,
    )
    new_structure_name = forms.CharField(label="Nom de la structure", max_length=250, required=False)
    new_structure_family = forms.ChoiceField(
        label="Statut", choices=[("", "—")] + NewStructureFamily.choices, required=False
    )
    new_structure_siret = forms.CharField(
        label="SIRET",
        max_length=24,
        required=False,
        help_text="14 chiffres, s'il est déjà attribué. Une structure en création le donnera plus tard : il n'est "
        "exigé qu'avant la signature de la convention.",
    )
    new_structure_rna = forms.CharField(
        label="Numéro RNA", max_length=20, required=False, help_text="Pour une association : W suivi de 9 chiffres."
    )
    new_structure_address = forms.CharField(label="Adresse du siège", max_length=250, required=False)
    new_structure_commune = forms.ModelChoiceField(
        label="Commune du siège", queryset=Commune.objects.none(), required=False
    )

    def __init__(self, *args, structures, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = Structure.objects.published()
        self.fields["structure"].choices = [
            (s.pk, f"{s.name} — {s.siret or s.rna or s.siren} — {s.commune.name if s.commune_id else ''}")
            for s in structures
        ]
        self.fields["new_structure_commune"].queryset = communes

    def clean_new_structure_siret(self):
        value = normalize(self.cleaned_data["new_structure_siret"])
        if value:
            from essaim.core.identifiers import validate_siret

            validate_siret(value)
        return value

    def clean_new_structure_rna(self):
        value = normalize(self.cleaned_data["new_structure_rna"])
        if value:
            from essaim.core.identifiers import validate_rna

            validate_rna(value)
        return value

    def clean(self):
        data = super().clean()
        if data.get("origin") == self.DIRECTORY:
            if not data.get("structure"):
                self.add_error("structure", "Cherchez puis choisissez la structure dans l'annuaire.")
        elif data.get("origin") == self.NEW:
            if not data.get("new_structure_name"):
                self.add_error("new_structure_name", "Indiquez le nom de la structure.")
            if not data.get("new_structure_family"):
                self.add_error("new_structure_family", "Indiquez le statut de la structure.")
        return data

    def values(self):
        data = self.cleaned_data
        if data["origin"] == self.DIRECTORY:
            blank = {name: "" for name in self.fields if name.startswith("new_structure_")}
            return {**blank, "new_structure_commune": None, "structure": data["structure"]}
        return {"structure": None, **{k: v for k, v in data.items() if k.startswith("new_structure_")}}


class ProjectStepForm(EssaimForm):
    project_title = forms.CharField(label="Intitulé du projet", max_length=250)
    project_summary = forms.CharField(
        label="Description du projet",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Le besoin auquel il répond, les activités, le public, les partenaires.",
    )
    project_commune = forms.ModelChoiceField(label="Commune où se réalise le projet", queryset=Commune.objects.none())
    project_start = forms.DateField(label="Date de début prévue", required=False, widget=DATE_WIDGET)
    project_budget = NumberField(label="Budget total du projet (€)", help_text="Toutes dépenses confondues.")

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project_commune"].queryset = communes


class JobsStepForm(EssaimForm):
    fte_created = NumberField(
        label="Emplois créés (ETP)",
        maximum=rules.MAX_FTE,
        help_text="En équivalents temps plein, au centième : 0,5 pour un mi-temps.",
    )
    jobs_description = forms.CharField(
        label="Les postes créés et leur calendrier", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class InvestmentStepForm(EssaimForm):
    investment_excl_vat = NumberField(label="Investissement éligible (€ HT)")
    investment_description = forms.CharField(
        label="Nature des investissements", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class FundingLineForm(EssaimForm):
    kind = forms.ChoiceField(label="Nature", choices=[("", "—")] + FundingKind.choices)
    funder = forms.CharField(label="Financeur", max_length=200)
    amount = NumberField(label="Montant (€)")
    is_secured = forms.BooleanField(label="Acquis", required=False)


FundingFormSet = forms.formset_factory(FundingLineForm, extra=1, max_num=50, validate_max=True)


class DocumentForm(EssaimForm):
    kind = forms.ChoiceField(label="Type de pièce", choices=DocumentKind.choices)
    file = forms.FileField(label="Fichier (PDF, PNG ou JPEG, 5 Mo au plus)")


class CommentForm(EssaimForm):
    comment = forms.CharField(label="Commentaire", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class MessageForm(EssaimForm):
    body = forms.CharField(label="Votre message", widget=forms.Textarea(attrs={"rows": 4}))


class AssignForm(EssaimForm):
    officer = forms.ModelChoiceField(label="Instructeur·rice", queryset=None, required=False, empty_label="Personne")

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers


class ExaminationForm(EssaimModelForm):
    class Meta:
        model = Examination
        fields = [name for criterion, _ in Examination.CRITERIA for name in (criterion, f"{criterion}_note")] + [
            "conclusion"
        ]
        widgets = {
            **{f"{criterion}_note": forms.Textarea(attrs={"rows": 2}) for criterion, _ in Examination.CRITERIA},
            "conclusion": forms.Textarea(attrs={"rows": 4}),
        }


class AgreementForm(EssaimForm):
    signed_on = forms.DateField(label="Signée le", widget=DATE_WIDGET)
    reference = forms.CharField(label="Référence de la convention", max_length=40, required=False)


class PaymentForm(EssaimForm):
    kind = forms.ChoiceField(label="Nature", choices=PaymentKind.choices)
    amount = NumberField(label="Montant (€)")
    paid_on = forms.DateField(label="Versé le", widget=DATE_WIDGET)
    reference = forms.CharField(label="Référence du mandat", max_length=60, required=False)


class EnvelopeForm(EssaimForm):
    year = forms.IntegerField(label="Année", min_value=1990, max_value=2100)
    credits = NumberField(label="Crédits votés (€)")
    vote_reference = forms.CharField(label="Délibération budgétaire", max_length=200, required=False)


class SessionForm(EssaimForm):
    kind = forms.ChoiceField(label="Instance", choices=SessionKind.choices, widget=forms.RadioSelect)
    date = forms.DateField(label="Date", widget=DATE_WIDGET)
    place = forms.CharField(label="Lieu", max_length=200, required=False)
    members = forms.ModelMultipleChoiceField(
        label="Membres de la commission convoqués",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Eux seuls voient les dossiers inscrits à la séance.",
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = members


class AgendaForm(EssaimForm):
    applications = forms.ModelMultipleChoiceField(
        label="Demandes inscrites", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = candidates
        self.fields["applications"].label_from_instance = lambda a: (
            f"{a.reference} — {a.project_title} ({a.beneficiary_name}) — {rules.fr_amount(a.computed_amount)}"
        )


class OpinionRowForm(EssaimForm):
    opinion = forms.ChoiceField(label="Avis", choices=Opinion.choices)
    proposed_amount = NumberField(label="Montant proposé (€)", required=False)
    comment = forms.CharField(label="Motivation", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application

    def clean(self):
        data = super().clean()
        amount = data.get("proposed_amount")
        if data.get("opinion") == Opinion.FAVOURABLE:
            if not amount:
                self.add_error("proposed_amount", "Un avis favorable propose un montant.")
            elif amount > self.application.computed_amount:
                self.add_error(
                    "proposed_amount",
                    f"Le montant proposé ne peut pas dépasser le montant calculé "
                    f"({rules.fr_amount(self.application.computed_amount)}).",
                )
        return data


class DecisionRowForm(EssaimForm):
    outcome = forms.ChoiceField(label="Décision", choices=DecisionOutcome.choices)
    amount = NumberField(label="Montant accordé (€)", required=False)
    deliberation_number = forms.CharField(label="Numéro de délibération", max_length=40)
    deliberation_date = forms.DateField(label="Date de la délibération", widget=DATE_WIDGET)
    comment = forms.CharField(label="Motivation", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, application, proposed, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        self.proposed = proposed

    def clean(self):
        data = super().clean()
        amount = data.get("amount")
        if data.get("outcome") == DecisionOutcome.GRANTED:
            if not amount:
                self.add_error("amount", "Indiquez le montant accordé.")
            elif amount > self.proposed:
                self.add_error(
                    "amount",
                    f"Le montant accordé ne peut pas dépasser le montant proposé par la commission "
                    f"({rules.fr_amount(self.proposed)}).",
                )
        return data


class QueueFilterForm(EssaimForm):
    q = forms.CharField(label="Rechercher", required=False, max_length=100)
    state = forms.ChoiceField(label="État", required=False)
    form = forms.ChoiceField(label="Forme", choices=[("", "Toutes")] + GrantForm.choices, required=False)
    assigned = forms.ChoiceField(
        label="Instruction",
        choices=[("", "Toutes"), ("me", "Mes dossiers"), ("none", "Non affectées")],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        from essaim.grants.enums import ApplicationState

        super().__init__(*args, **kwargs)
        states = [(s, label) for s, label in ApplicationState.choices if s != ApplicationState.DRAFT]
        self.fields["state"].choices = [("", "À traiter"), ("all", "Tous les états")] + states


class SiretForm(EssaimForm):
    siret = forms.CharField(
        label="SIRET de la structure bénéficiaire",
        max_length=24,
        help_text="14 chiffres, sur l'avis de situation au répertoire SIRENE (les espaces sont acceptés).",
    )

    def clean_siret(self):
        from essaim.core.identifiers import validate_siret

        value = normalize(self.cleaned_data["siret"])
        validate_siret(value)
        return value


class JustifyForm(EssaimForm):
    fte_achieved = NumberField(
        label="Emplois effectivement créés (ETP)",
        maximum=rules.MAX_FTE,
        help_text="En équivalents temps plein, au centième : 1,5 pour un temps plein et un mi-temps.",
    )
    proof = forms.FileField(
        label="Justificatif des emplois créés (PDF, PNG ou JPEG, 5 Mo au plus)",
        required=False,
        help_text="Registre du personnel, bulletins de paie ou déclaration sociale nominative.",
    )


class RecoveryForm(EssaimForm):
    amount = NumberField(label="Montant reversé (€)")
    on = forms.DateField(label="Reçu le", widget=DATE_WIDGET)
    comment = forms.CharField(
        label="Motif et titre de recette", widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class AttestationForm(EssaimForm):
    attested = forms.BooleanField(
        label="",
        required=True,
        error_messages={"required": "Cochez l'attestation sur l'honneur pour déposer la demande."},
    )

    def __init__(self, *args, text, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attested"].label = text
