"""Forms of the team's settings of the permanences: motifs, opening ranges (said in French, written as an RFC 5545
rule), absences, temps forts, partners and their advisers, invitations to book. The checks that need the database
(overlaps, addresses already taken) are the services' (``essaim.support.services.setup``); a form only reads."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.text import slugify

from essaim.accounts.models import User
from essaim.agenda.enums import Publication
from essaim.agenda.models import Campaign, Event, Venue
from essaim.core.recurrence import RecurrenceError, Rule, build_rule, describe, read_rule
from essaim.support.models import Absence, Motif, OpeningRange, Partner, SupportPeriod
from essaim.support.services.setup import advisers_of
from essaim.www.agenda.forms import DateInput, datetime_field
from essaim.www.agenda.series_forms import WEEKDAY_CHOICES, TimeInput
from essaim.www.forms import EssaimForm, EssaimModelForm

FREQUENCY_CHOICES = [
    ("once", "une seule fois, le premier jour"),
    ("weekly", "chaque semaine"),
    ("biweekly", "une semaine sur deux"),
]


class AdviserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} ({obj.email})" if obj.full_name else obj.email


def _slug_from(form, source: str, field: str = "slug") -> str:
    slug = form.cleaned_data.get(field) or slugify(form.cleaned_data.get(source) or "")[:80]
    if not slug:
        raise forms.ValidationError("Indiquez une adresse faite de lettres, de chiffres et de tirets.")
    return slug


class MotifForm(EssaimModelForm):
    """What a person books: title, address, length, channel, who may book, how long before."""

    class Meta:
        model = Motif
        fields = [
            "title",
            "slug",
            "description",
            "duration_minutes",
            "channel",
            "bookable_by",
            "min_delay_hours",
            "max_delay_days",
        ]
        help_texts = {
            "slug": "La fin de l'adresse de la page de réservation. Laissée vide : tirée de l'intitulé.",
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, territory, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.territory = territory
        self.fields["slug"].required = False

    def clean_slug(self):
        return _slug_from(self, "title")


class OpeningRangeForm(EssaimForm):
    """When and where a person receives for a motif, in plain French: the first day, the hours, which weekdays,
    every week or every other week, until when, and the days left out."""

    motif = forms.ModelChoiceField(label="Motif", queryset=Motif.objects.none())
    adviser = AdviserChoiceField(
        label="Qui reçoit",
        queryset=User.objects.none(),
        help_text="Un·e chargé·e de mission du territoire ou un·e conseiller·ère d'un partenaire.",
    )
    venue = forms.ModelChoiceField(
        label="Lieu",
        queryset=Venue.objects.none(),
        required=False,
        help_text="Obligatoire pour un rendez-vous sur place ; vide par téléphone ou en visioconférence.",
    )
    first_day = forms.DateField(label="Premier jour", widget=DateInput())
    start_time = forms.TimeField(label="De", widget=TimeInput(), help_text="Heure de Paris, par exemple 09:00.")
    end_time = forms.TimeField(label="À", widget=TimeInput(), help_text="Heure de Paris, par exemple 12:00.")
    frequency = forms.ChoiceField(
        label="Répétition", choices=FREQUENCY_CHOICES, initial="weekly", widget=forms.RadioSelect
    )
    weekdays = forms.TypedMultipleChoiceField(
        label="Jours de la semaine",
        choices=WEEKDAY_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Laissés vides : le jour de la semaine du premier jour.",
    )
    until = forms.DateField(
        label="Jusqu'au (inclus)", required=False, widget=DateInput(), help_text="Laissé vide : sans date de fin."
    )
    exdates = forms.CharField(
        label="Jours sans permanence",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Un jour par ligne, au format JJ/MM/AAAA. Les jours fériés sont déjà exclus.",
    )

    def __init__(self, *args, territory, instance: OpeningRange | None = None, **kwargs):
        self.territory = territory
        self.instance = instance or OpeningRange(territory=territory)
        if instance is not None and instance.pk and not kwargs.get("initial") and (not args or args[0] is None):
            kwargs["initial"] = self.initial_from(instance)
        super().__init__(*args, **kwargs)
        self.fields["motif"].queryset = Motif.objects.filter(territory=territory).order_by("-active", "title")
        self.fields["adviser"].queryset = advisers_of(territory)
        self.fields["venue"].queryset = Venue.objects.filter(territory=territory).select_related("commune")

    @staticmethod
    def initial_from(opening_range: OpeningRange) -> dict:
        initial = {
            "motif": opening_range.motif_id,
            "adviser": opening_range.adviser_id,
            "venue": opening_range.venue_id,
            "first_day": opening_range.first_day,
            "start_time": opening_range.start_time,
            "end_time": opening_range.end_time,
            "frequency": "once",
            "exdates": "\n".join(f"{datetime.date.fromisoformat(str(d)):%d/%m/%Y}" for d in opening_range.exdates),
        }
        if opening_range.rule:
            dtstart = datetime.datetime.combine(opening_range.first_day, opening_range.start_time)
            rule = read_rule(opening_range.rule, dtstart)
            initial["frequency"] = "biweekly" if rule.interval == 2 else "weekly"
            initial["weekdays"] = [str(d) for d in rule.weekdays]
            initial["until"] = rule.until
        return initial

    def clean_exdates(self):
        days = []
        for line in (self.cleaned_data.get("exdates") or "").splitlines():
            line = line.strip()
            if not line:
                continue
            try:
                days.append(datetime.datetime.strptime(line, "%d/%m/%Y").date())  # noqa: DTZ007 -- a day
            except ValueError:
                raise forms.ValidationError(f"« {line} » n'est pas une date au format JJ/MM/AAAA.") from None
        return sorted(set(days))

    def clean(self):
        data = super().clean()
        first_day, start, end = data.get("first_day"), data.get("start_time"), data.get("end_time")
        frequency = data.get("frequency")
        if not first_day or not start or not end or not frequency:
            return data
        if end <= start:
            self.add_error("end_time", "L'heure de fin doit être après l'heure de début.")
            return data
        data["rule"] = ""
        if frequency != "once":
            until = data.get("until")
            if until and until < first_day:
                self.add_error("until", "La date de fin précède le premier jour.")
                return data
            rule = Rule(
                freq="WEEKLY",
                interval=2 if frequency == "biweekly" else 1,
                weekdays=tuple(data.get("weekdays") or (first_day.weekday(),)),
                until=until,
            )
            try:
                data["rule"] = build_rule(rule)
            except RecurrenceError as exc:
                self.add_error(None, str(exc))
        return data

    def apply(self) -> OpeningRange:
        """The range with the form's values (not saved: ``opening_range_save`` checks and saves it)."""
        data = self.cleaned_data
        opening_range = self.instance
        opening_range.territory = self.territory
        opening_range.motif = data["motif"]
        opening_range.adviser = data["adviser"]
        opening_range.venue = data.get("venue")
        opening_range.first_day = data["first_day"]
        opening_range.start_time = data["start_time"]
        opening_range.end_time = data["end_time"]
        opening_range.rule = data["rule"]
        opening_range.exdates = [d.isoformat() for d in data["exdates"]]
        return opening_range


def range_description(opening_range: OpeningRange) -> str:
    """The range said in French: « tous les mardis et jeudis, de 9 h à 12 h, à partir du 3 novembre 2026… »."""
    hours = f"de {_hour(opening_range.start_time)} à {_hour(opening_range.end_time)}"
    if not opening_range.rule:
        from essaim.core.recurrence import french_date

        return f"le {french_date(opening_range.first_day)}, {hours}"
    dtstart = timezone.make_aware(datetime.datetime.combine(opening_range.first_day, opening_range.start_time))
    try:
        text = describe(opening_range.rule, dtstart, opening_range.exdates)
    except RecurrenceError:
        return opening_range.rule
    what, _, rest = text.partition(f" à {_hour(opening_range.start_time)}")
    return f"{what}, {hours}{rest}"


def _hour(moment: datetime.time) -> str:
    return f"{moment.hour} h" + (f" {moment.minute:02d}" if moment.minute else "")


class AbsenceForm(EssaimModelForm):
    """An adviser away, or the whole service closed (a bridge day): public holidays need no absence."""

    starts_at = datetime_field("Du")
    ends_at = datetime_field("Au")
    adviser = AdviserChoiceField(
        label="Qui est absent·e",
        queryset=User.objects.none(),
        required=False,
        empty_label="Tout le service (fermeture)",
        help_text="Laissez « Tout le service » pour une fermeture : aucun créneau n'est alors proposé.",
    )

    class Meta:
        model = Absence
        fields = ["adviser", "starts_at", "ends_at", "reason"]

    def __init__(self, *args, territory, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.territory = territory
        self.fields["adviser"].queryset = advisers_of(territory)

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", "La fin de l'absence doit être après son début.")
        return data


class EventChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        state = "" if obj.publication == Publication.PUBLISHED else f" ({obj.get_publication_display()})"
        return f"{obj.title}{state}"


class PeriodForm(EssaimModelForm):
    """A temps fort (the quinzaine de l'initiative): its dates, its presentation, its permanences and workshops."""

    motifs = forms.ModelMultipleChoiceField(
        label="Permanences proposées",
        queryset=Motif.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    workshops = EventChoiceField(
        label="Ateliers (événements de l'agenda)",
        queryset=Event.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Seuls les événements publiés paraissent sur la page publique.",
    )

    class Meta:
        model = SupportPeriod
        fields = ["title", "slug", "intro", "starts_on", "ends_on", "campaign", "motifs", "workshops"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "intro": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {"slug": "La fin de l'adresse de la page publique. Laissée vide : tirée du titre."}

    def __init__(self, *args, territory, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.territory = territory
        self.fields["slug"].required = False
        self.fields["campaign"].queryset = Campaign.objects.filter(territory=territory)
        self.fields["motifs"].queryset = Motif.objects.filter(territory=territory).order_by("title")
        self.fields["workshops"].queryset = (
            Event.objects.filter(territory=territory).exclude(publication=Publication.REJECTED).order_by("title", "pk")
        )

    def clean_slug(self):
        return _slug_from(self, "title")

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "La fin doit être le jour du début ou après.")
        return data


class PartnerForm(EssaimModelForm):
    class Meta:
        model = Partner
        fields = ["name", "kind", "description", "email", "phone"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, territory, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.territory = territory


class PartnerAdviserForm(EssaimForm):
    """A partner's adviser: found by e-mail, or given an account they finish themselves."""

    email = forms.EmailField(
        label="Adresse e-mail",
        help_text="Sans compte à cette adresse, un compte est créé et la personne reçoit un lien pour choisir son mot "
        "de passe.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    name = forms.CharField(label="Nom complet", max_length=150, required=False)


class InvitationForm(EssaimForm):
    """An invitation to book a motif, by mail, valid 30 days."""

    motif = forms.ModelChoiceField(label="Motif", queryset=Motif.objects.none())
    name = forms.CharField(label="Nom de la personne", max_length=150)
    email = forms.EmailField(label="Son adresse e-mail", widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    partner = forms.ModelChoiceField(
        label="Orientée par",
        queryset=Partner.objects.none(),
        required=False,
        empty_label="L'équipe du territoire",
        help_text="Le partenaire qui oriente la personne, s'il y en a un.",
    )

    def __init__(self, *args, territory, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["motif"].queryset = Motif.objects.filter(territory=territory, active=True).order_by("title")
        self.fields["partner"].queryset = Partner.objects.filter(territory=territory, active=True)
