"""Forms of the good practices: the sheet (a member's person), the review (facilitators), the public search."""

from django import forms

from essaim.club.models import Topic
from essaim.directory.models import Sector
from essaim.www.forms import EssaimForm


class PracticeForm(EssaimForm):
    title = forms.CharField(label="Titre", max_length=200)
    what = forms.CharField(label="La pratique", widget=forms.Textarea(attrs={"rows": 4}))
    for_whom = forms.CharField(label="Pour qui", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    how = forms.CharField(label="Comment faire", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    results = forms.CharField(label="Résultats", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    contact = forms.CharField(
        label="Contact", max_length=200, required=False, help_text="Qui joindre pour en savoir plus."
    )
    sectors = forms.ModelMultipleChoiceField(
        label="Secteurs", queryset=Sector.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    topics = forms.ModelMultipleChoiceField(
        label="Sujets", queryset=Topic.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    new_topics = forms.CharField(
        label="Nouveaux sujets", max_length=300, required=False, help_text="Séparés par des virgules."
    )

    def __init__(self, *args, club, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sectors"].queryset = Sector.objects.order_by("name")
        self.fields["topics"].queryset = Topic.objects.filter(club=club).order_by("name")

    @staticmethod
    def initial_for(practice):
        data = {name: getattr(practice, name) for name in ("title", "what", "for_whom", "how", "results", "contact")}
        data["sectors"] = list(practice.sectors.all())
        data["topics"] = list(practice.topics.all())
        return data


class ReviewForm(EssaimForm):
    note = forms.CharField(
        label="Remarques pour l'auteur·rice",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Obligatoires pour renvoyer la fiche.",
    )


class PracticeSearchForm(EssaimForm):
    q = forms.CharField(label="Rechercher", max_length=100, required=False)
    sector = forms.ModelChoiceField(
        label="Secteur", queryset=Sector.objects.none(), required=False, to_field_name="slug", empty_label="Tous"
    )
    topic = forms.ModelChoiceField(
        label="Sujet", queryset=Topic.objects.none(), required=False, to_field_name="slug", empty_label="Tous"
    )

    def __init__(self, *args, club, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Sector.objects.filter(club_practices__club=club).distinct().order_by("name")
        self.fields["topic"].queryset = Topic.objects.filter(club=club).order_by("name")
