"""Forms of the news: the public filters, an item (officers), the subscription (public), an issue (officers)."""

import datetime

from django import forms
from django.utils import timezone

from essaim.agenda.models import Event
from essaim.directory.models import Structure
from essaim.news.models import NewsItem, Tag
from essaim.territories.models import Territory
from essaim.www.forms import EssaimForm

YEAR_MIN = 2000


class NewsFilterForm(EssaimForm):
    q = forms.CharField(label="Rechercher", max_length=100, required=False)
    territory = forms.ModelChoiceField(
        label="Territoire", queryset=Territory.objects.none(), required=False, to_field_name="slug", empty_label="Tous"
    )
    tag = forms.SlugField(label="Étiquette", max_length=80, required=False)
    year = forms.TypedChoiceField(label="Année", coerce=int, required=False, empty_value=None, choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = (
            Territory.objects.filter(news_items__isnull=False).distinct().order_by("name")
        )
        last = timezone.localdate().year
        self.fields["year"].choices = [("", "Toutes")] + [(y, str(y)) for y in range(last, YEAR_MIN - 1, -1)]


class NewsItemForm(EssaimForm):
    title = forms.CharField(label="Titre", max_length=200)
    published_on = forms.DateField(
        label="Date de publication",
        help_text="Au format jj/mm/aaaa. Une date passée date l'actualité comme à l'époque ; une date à venir la "
        "publie ce jour-là.",
    )
    summary = forms.CharField(
        label="Résumé", max_length=400, widget=forms.Textarea(attrs={"rows": 2}), help_text="Deux phrases au plus."
    )
    body = forms.CharField(
        label="Texte",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="En Markdown : **gras**, *italique*, [lien](https://…), listes avec « - ». Le HTML n'est pas "
        "interprété.",
    )
    image = forms.ImageField(
        label="Image", required=False, help_text="PNG, JPEG ou WebP, 1 Mo au plus. Ses métadonnées sont retirées."
    )
    clear_image = forms.BooleanField(label="Retirer l'image actuelle", required=False)
    image_alt = forms.CharField(
        label="Texte alternatif de l'image",
        max_length=200,
        required=False,
        help_text="Obligatoire avec une image : ce qu'elle montre, pour qui ne la voit pas.",
    )
    tags = forms.ModelMultipleChoiceField(
        label="Étiquettes", queryset=Tag.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    new_tags = forms.CharField(
        label="Nouvelles étiquettes", max_length=300, required=False, help_text="Séparées par des virgules."
    )
    structures = forms.ModelMultipleChoiceField(
        label="Structures citées",
        queryset=Structure.objects.none(),
        required=False,
        help_text="Maintenez Ctrl (ou Cmd) pour en choisir plusieurs.",
    )
    events = forms.ModelMultipleChoiceField(
        label="Événements liés",
        queryset=Event.objects.none(),
        required=False,
        help_text="Les événements publiés du territoire.",
    )

    def __init__(self, *args, territory, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        self.fields["tags"].queryset = Tag.objects.filter(territory=territory).order_by("name")
        self.fields["structures"].queryset = (
            Structure.objects.published().in_territory(territory).distinct().order_by("name")
        )
        self.fields["events"].queryset = Event.objects.published().filter(territory=territory).order_by("-pk")
        if item is None or not item.image:
            del self.fields["clear_image"]

    def clean(self):
        data = super().clean()
        has_image = bool(data.get("image")) or bool(self.item and self.item.image and not data.get("clear_image"))
        if has_image and not (data.get("image_alt") or "").strip():
            self.add_error(
                "image_alt",
                "Décrivez l'image en quelques mots : ce texte est lu aux personnes qui ne la voient pas.",
            )
        return data

    @staticmethod
    def initial_for(item: NewsItem) -> dict:
        data = {name: getattr(item, name) for name in ("title", "published_on", "summary", "body", "image_alt")}
        data["tags"] = list(item.tags.all())
        data["structures"] = list(item.structures.all())
        data["events"] = list(item.events.all())
        return data

    @staticmethod
    def default_initial() -> dict:
        return {"published_on": timezone.localdate()}


class SubscribeForm(EssaimForm):
    email = forms.EmailField(label="Adresse électronique", max_length=254)
    consent = forms.BooleanField(label="", required=True)

    def __init__(self, *args, consent_text: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = consent_text
        self.fields["consent"].error_messages["required"] = "Cochez la case pour donner votre accord."


class IssueForm(EssaimForm):
    subject = forms.CharField(label="Objet du courriel", max_length=200)
    introduction = forms.CharField(
        label="Introduction", required=False, widget=forms.Textarea(attrs={"rows": 5}), help_text="En Markdown."
    )
    items = forms.ModelMultipleChoiceField(
        label="Actualités", queryset=NewsItem.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    events = forms.ModelMultipleChoiceField(
        label="Événements à venir", queryset=Event.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    RECENT_DAYS = 90

    def __init__(self, *args, territory, **kwargs):
        super().__init__(*args, **kwargs)
        since = timezone.localdate() - datetime.timedelta(days=self.RECENT_DAYS)
        self.fields["items"].queryset = (
            NewsItem.objects.published().filter(territory=territory, published_on__gte=since).newest_first()
        )
        self.fields["items"].help_text = f"Les actualités publiées ces {self.RECENT_DAYS} derniers jours."
        self.fields["events"].queryset = (
            Event.objects.published()
            .filter(territory=territory, sessions__end__gte=timezone.now())
            .distinct()
            .order_by("title")
        )
