"""Forms of the agenda: filters, registration, and the officers' event, session, campaign and venue forms."""

import datetime

from django import forms
from django.core.cache import cache
from django.db.models import Q
from django.forms import inlineformset_factory
from django.utils import timezone

from essaim.agenda.enums import AttendanceMode, Audience, EventType, RegistrationMode
from essaim.agenda.models import Campaign, Event, Session, Venue
from essaim.agenda.querysets import AgendaFilters
from essaim.agenda.services import retention_months
from essaim.core.db import french
from essaim.directory.models import Sector, Structure
from essaim.territories.models import Commune, Territory
from essaim.territories.perms import editable_territories
from essaim.www.directory.autocomplete import StructureChoiceField, StructureMultipleChoiceField
from essaim.www.forms import EssaimForm, EssaimModelForm
from essaim.www.widgets import FastFormRenderer, FastSelect

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=DATETIME_FORMAT)


def datetime_field(label, required=True, help_text=""):
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=DateTimeInput(),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        help_text=help_text or "Heure de Paris.",
    )


# --- public -------------------------------------------------------------------------------------------------------


FILTER_CHOICES_SECONDS = 60


def filter_choices(territory=None) -> dict:
    """The communes, campaigns, organisers and territories that have published events, for the filters' lists.

    Cached a minute (the lists change when an event is published, rarely): they are the costliest part of the
    agenda page on a large agenda."""
    key = f"agenda:filter-choices:{territory.pk if territory else 'all'}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    published = Event.objects.published()
    if territory is not None:
        published = published.filter(territory=territory)
    communes = Commune.objects.filter(venues__events__in=published).distinct().order_by(french("name"))
    campaigns = Campaign.objects.filter(is_published=True, events__in=published).distinct()
    organisers = Structure.objects.filter(organised_events__in=published).distinct().order_by(french("name"))
    territories = Territory.objects.filter(events__in=published).distinct().order_by("name")
    choices = {
        "communes": [(c.insee_code, c.name) for c in communes.only("insee_code", "name")],
        "campaigns": [(c.slug, c.name) for c in campaigns.only("slug", "name")],
        "organisers": [(s.slug, s.display_name) for s in organisers.only("slug", "name", "usual_name")],
        "territories": [(t.slug, t.name) for t in territories.only("slug", "name")],
    }
    cache.set(key, choices, FILTER_CHOICES_SECONDS)
    return choices


class AgendaFilterForm(EssaimForm):
    """The filters of the agenda, with the same names as the API and the calendar feed (from, to, type…)."""

    q = forms.CharField(label="Rechercher", required=False, max_length=100)
    type = forms.ChoiceField(
        label="Type", required=False, choices=[("", "Tous")] + EventType.choices, widget=FastSelect
    )
    audience = forms.ChoiceField(
        label="Public", required=False, choices=[("", "Tous")] + Audience.choices, widget=FastSelect
    )
    commune = forms.ChoiceField(label="Commune", required=False, widget=FastSelect)
    campaign = forms.ChoiceField(label="Campagne", required=False, widget=FastSelect)
    organiser = forms.ChoiceField(label="Organisateur", required=False, widget=FastSelect)
    territory = forms.ChoiceField(label="Territoire", required=False, widget=FastSelect)
    to = forms.DateField(label="Jusqu'au", required=False, widget=DateInput())

    def __init__(self, *args, territory=None, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword: the field is added by name, in first position.
        self.fields = {"from": forms.DateField(label="Du", required=False, widget=DateInput()), **self.fields}
        choices = filter_choices(territory)
        self.fields["commune"].choices = [("", "Toutes"), *choices["communes"]]
        self.fields["campaign"].choices = [("", "Toutes"), *choices["campaigns"]]
        self.fields["organiser"].choices = [("", "Tous"), *choices["organisers"]]
        self.fields["territory"].choices = [("", "Tous"), *choices["territories"]]
        if territory is not None or len(choices["territories"]) < 2:
            del self.fields["territory"]

    def clean(self):
        data = super().clean()
        if data.get("from") and data.get("to") and data["to"] < data["from"]:
            self.add_error("to", "La date de fin précède la date de début.")
        return data

    def to_filters(self, default_from: datetime.date | None) -> AgendaFilters:
        """The filters to apply; an invalid value is ignored (the form shows its error)."""
        data = self.cleaned_data if self.is_valid() else {}
        return AgendaFilters(
            date_from=data.get("from") or default_from,
            date_to=data.get("to"),
            campaign=data.get("campaign", ""),
            event_type=data.get("type", ""),
            audience=data.get("audience", ""),
            commune=data.get("commune", ""),
            territory=data.get("territory", ""),
            organiser=data.get("organiser", ""),
            q=data.get("q", ""),
        )


class RegistrationForm(EssaimForm):
    """Register with a name and an e-mail (phone optional), no account; the organiser's questions; consent."""

    session = forms.TypedChoiceField(label="Séance", coerce=int, widget=forms.RadioSelect)
    name = forms.CharField(
        label="Nom et prénom", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label="Adresse e-mail",
        help_text="La confirmation et le lien d'annulation y sont envoyés.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label="Téléphone",
        required=False,
        max_length=30,
        help_text="Facultatif : pour vous prévenir d'un changement de dernière minute.",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    consent = forms.BooleanField(label="", required=True)

    def __init__(self, *args, event: Event, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["session"].choices = [(s.pk, s.choice_label) for s in sessions]
        if len(sessions) == 1:
            self.fields["session"].widget = forms.HiddenInput()
            self.fields["session"].initial = sessions[0].pk
        for index, question in enumerate(event.questions):
            self.fields[f"question_{index}"] = forms.CharField(
                label=question, required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
            )
        self.fields["consent"].label = (
            f"J'accepte que mes nom, e-mail et téléphone servent uniquement à gérer cette inscription ; ils sont "
            f"anonymisés {retention_months()} mois après l'événement."
        )
        self.fields["consent"].error_messages["required"] = "Cochez cette case pour vous inscrire."

    def question_fields(self):
        return [self[f"question_{i}"] for i in range(len(self.event.questions))]

    def answers(self):
        return {q: self.cleaned_data.get(f"question_{i}", "") for i, q in enumerate(self.event.questions)}


# --- back office --------------------------------------------------------------------------------------------------


class QuestionsField(forms.CharField):
    """One question per line, at most ``Event.MAX_QUESTIONS``."""

    widget = forms.Textarea

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        lines = [line.strip() for line in (value or "").splitlines() if line.strip()]
        if len(lines) > Event.MAX_QUESTIONS:
            raise forms.ValidationError(f"{Event.MAX_QUESTIONS} questions au plus.")
        if any(len(line) > 200 for line in lines):
            raise forms.ValidationError("Une question fait 200 caractères au plus.")
        return lines


class EventForm(EssaimModelForm):
    default_renderer = FastFormRenderer()  # thirty fields and their options: the widgets written in Python
    audiences = forms.MultipleChoiceField(
        label="Publics", choices=Audience.choices, widget=forms.CheckboxSelectMultiple, required=True
    )
    questions = QuestionsField(
        label="Questions aux inscrits",
        required=False,
        help_text="Une par ligne, cinq au plus (par exemple : « Où en est votre projet ? »).",
    )
    registration_deadline = datetime_field("Date limite d'inscription", required=False)

    class Meta:
        model = Event
        fields = [
            "title",
            "summary",
            "description",
            "event_type",
            "campaign",
            "themes",
            "organisers",
            "partners",
            "other_organisers",
            "attendance_mode",
            "venue",
            "online_url",
            "status",
            "status_message",
            "price",
            "price_note",
            "image",
            "image_alt",
            "registration_mode",
            "registration_url",
            "registration_deadline",
            "waitlist_enabled",
            "questions",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "themes": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, territory: Territory, **kwargs):
        super().__init__(*args, **kwargs)
        self.territory = territory
        self.fields["campaign"].queryset = Campaign.objects.filter(territory=territory)
        self.fields["venue"].queryset = Venue.objects.filter(territory=territory).select_related("commune")
        self.fields["themes"].queryset = Sector.objects.all()
        # Organisers and partners: an autocomplete served by the search index (a territory holds tens of
        # thousands of structures); only the chosen ones are rendered, and checked here against what is allowed.
        structures = Structure.objects.filter(
            Q(commune__perimeters__territory=territory)
            | Q(organised_events__territory=territory)
            | Q(partnered_events__territory=territory)
        ).distinct()
        for name in ("organisers", "partners"):
            model_field = self.fields[name]
            self.fields[name] = StructureMultipleChoiceField(
                label=model_field.label, required=False, territory=territory, queryset=structures
            )
            self.fields[name].initial = model_field.initial
        if self.instance.pk:
            self.fields["audiences"].initial = self.instance.audience_values

    def clean(self):
        data = super().clean()
        mode = data.get("attendance_mode")
        if mode in (AttendanceMode.ONLINE, AttendanceMode.MIXED) and not data.get("online_url"):
            self.add_error("online_url", "Indiquez le lien de participation en ligne.")
        if mode == AttendanceMode.MIXED and not data.get("venue"):
            self.add_error("venue", "Choisissez le lieu (l'événement a lieu aussi sur place).")
        if data.get("registration_mode") == RegistrationMode.EXTERNAL and not data.get("registration_url"):
            self.add_error("registration_url", "Indiquez le lien de l'inscription externe.")
        if data.get("image") and not data.get("image_alt"):
            self.add_error("image_alt", "Décrivez l'image pour les personnes qui ne la voient pas.")
        return data


class SessionForm(EssaimModelForm):
    default_renderer = FastFormRenderer()
    start = datetime_field("Début")
    end = datetime_field("Fin")

    class Meta:
        model = Session
        fields = ["label", "start", "end", "capacity"]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", "La fin doit être après le début.")
        return data


class BaseSessionFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        for form in self.forms:
            if not form.instance.pk or not self.can_delete or not self._should_delete_form(form):
                continue
            if form.instance.registrations.active().exists():
                form.add_error(
                    None,
                    "Cette séance a des inscrits : annulez leurs inscriptions (ou l'événement) avant de la supprimer.",
                )
                raise forms.ValidationError("Une séance avec des inscrits ne peut pas être supprimée.")


SessionFormSet = inlineformset_factory(
    Event,
    Session,
    form=SessionForm,
    formset=BaseSessionFormSet,
    extra=1,
    min_num=1,
    validate_min=True,
    can_delete=True,
    renderer=SessionForm.default_renderer,
)


class CampaignForm(EssaimModelForm):
    class Meta:
        model = Campaign
        fields = [
            "name",
            "slug",
            "start_date",
            "end_date",
            "presentation",
            "contact_info",
            "image",
            "image_alt",
            "is_published",
            "call_text",
            "call_deadline",
        ]
        widgets = {"start_date": DateInput(), "end_date": DateInput(), "call_text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call_deadline"] = datetime_field(
            "Date limite de l'appel à contributions",
            required=False,
            help_text="Heure de Paris. Vide : pas d'appel ouvert ; après elle, les propositions sont refusées.",
        )

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", "Le dernier jour précède le premier.")
        if data.get("image") and not data.get("image_alt"):
            self.add_error("image_alt", "Décrivez l'image pour les personnes qui ne la voient pas.")
        return data


class VenueForm(EssaimModelForm):
    commune = forms.ModelChoiceField(label="Commune", queryset=Commune.objects.none())

    class Meta:
        model = Venue
        fields = ["name", "address", "postcode", "commune", "lat", "lon", "access_notes", "accessibility"]

    def __init__(self, *args, territory: Territory, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.territory = territory
        self.fields["commune"].queryset = territory.communes.order_by("name")
        self.fields["lat"].help_text = "Laissée vide : le centre de la commune est utilisé."

    def save(self, commit=True):
        venue = super().save(commit=False)
        venue.coordinates_approximate = venue.lat is None or venue.lon is None
        if venue.coordinates_approximate:
            venue.lat, venue.lon = venue.commune.lat, venue.commune.lon
        if commit:
            venue.save()
        return venue


class MessageForm(EssaimForm):
    subject = forms.CharField(label="Objet", max_length=200)
    body = forms.CharField(label="Message", widget=forms.Textarea(attrs={"rows": 8}), max_length=5000)
    include_waitlist = forms.BooleanField(label="Écrire aussi aux personnes en liste d'attente", required=False)


class AttendanceForm(EssaimForm):
    attendance_count = forms.IntegerField(
        label="Nombre de participants",
        min_value=0,
        required=False,
        help_text="Personnes présentes, inscrites ou non. Laissé vide : non compté.",
    )


class TransitionForm(EssaimForm):
    note = forms.CharField(
        label="Message à la personne qui propose", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CampaignCallChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, campaign):
        deadline = timezone.localtime(campaign.call_deadline)
        if campaign.call_is_open():
            return f"{campaign.name} ({campaign.territory.name}) — appel ouvert jusqu'au {deadline:%d/%m/%Y}"
        return f"{campaign.name} ({campaign.territory.name}) — appel clos le {deadline:%d/%m/%Y}"


class ProposalForm(EssaimForm):
    """What a structure member gives to propose an event: it goes to the territory's moderation queue, for one of
    its campaigns when a call for contributions is open, and for a structure of the directory they manage."""

    territory = forms.ModelChoiceField(
        label="Territoire", queryset=Territory.objects.current().network_members(), empty_label=None
    )
    campaign = CampaignCallChoiceField(
        label="Campagne",
        queryset=Campaign.objects.none(),
        required=False,
        empty_label="Hors campagne",
        help_text="Les campagnes dont l'appel à contributions est ouvert ; après la date limite, elles n'acceptent "
        "plus de propositions.",
    )
    structure = forms.ModelChoiceField(
        label="Structure qui organise",
        queryset=Structure.objects.none(),
        required=False,
        empty_label="Aucune des structures que je gère",
        help_text="Les structures de l'annuaire dont vous gérez la fiche.",
    )
    title = forms.CharField(label="Titre", max_length=200)
    summary = forms.CharField(label="Résumé", max_length=300, required=False)
    description = forms.CharField(label="Description", widget=forms.Textarea(attrs={"rows": 5}), required=False)
    event_type = forms.ChoiceField(label="Type", choices=EventType.choices)
    audiences = forms.MultipleChoiceField(
        label="Publics", choices=Audience.choices, widget=forms.CheckboxSelectMultiple
    )
    venue_name = forms.CharField(label="Nom du lieu", max_length=200)
    venue_address = forms.CharField(label="Adresse du lieu", max_length=250, required=False)
    commune = forms.CharField(
        label="Commune du lieu", max_length=100, help_text="Nom ou code INSEE d'une commune du territoire."
    )
    proposer_structure = forms.CharField(
        label="Votre structure (si elle n'est pas dans la liste)",
        max_length=200,
        required=False,
        help_text="Absente de l'annuaire ? Indiquez son nom ; vous pouvez aussi demander à gérer sa fiche.",
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = (
            Campaign.objects.filter(is_published=True, call_deadline__isnull=False)
            .select_related("territory")
            .order_by("-call_deadline")
        )
        managed = Structure.objects.none()
        if user is not None and user.is_authenticated:
            managed = Structure.objects.filter(claims__user=user, claims__status="approved").distinct()
        if (
            user is not None
            and user.is_authenticated
            and (user.is_network_admin or editable_territories(user).exists())
        ):
            # An officer proposes for any structure of the directory: a search, not a list of thousands.
            self.fields["structure"] = StructureChoiceField(
                label="Structure qui organise", required=False, queryset=Structure.objects.published()
            )
            return
        self.fields["structure"].queryset = managed.order_by("name")
        mine = list(managed.values_list("pk", flat=True)[:2])
        if not mine:
            del self.fields["structure"]
        elif len(mine) == 1:
            self.fields["structure"].initial = mine[0]  # the one structure the person speaks for

    def clean(self):
        data = super().clean()
        territory, commune, campaign = data.get("territory"), data.get("commune"), data.get("campaign")
        if territory and campaign and campaign.territory_id != territory.pk:
            self.add_error(
                "campaign", f"Cette campagne est celle de {campaign.territory.name}, pas de {territory.name}."
            )
        if campaign and not campaign.call_is_open():
            deadline = timezone.localtime(campaign.call_deadline)
            self.add_error(
                "campaign",
                f"L'appel à contributions de « {campaign.name} » est clos depuis le {deadline:%d/%m/%Y à %H:%M} : "
                "les propositions ne sont plus acceptées.",
            )
        if territory and commune:
            communes = territory.communes.all()
            found = communes.filter(pk=commune.strip()).first() or communes.search(commune).first()
            if found is None:
                self.add_error("commune", f"Aucune commune de {territory.name} ne correspond à « {commune} ».")
            else:
                data["commune"] = found
        return data


class ProposalSessionForm(EssaimForm):
    label = forms.CharField(label="Intitulé de la séance", max_length=150, required=False)
    start = datetime_field("Début")
    end = datetime_field("Fin")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            self.add_error("end", "La fin doit être après le début.")
        if start and start < timezone.now():
            self.add_error("start", "La séance doit avoir lieu dans le futur.")
        return data


ProposalSessionFormSet = forms.formset_factory(
    ProposalSessionForm, extra=2, min_num=1, validate_min=True, max_num=20, validate_max=True
)
