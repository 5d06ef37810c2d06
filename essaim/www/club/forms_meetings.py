"""Forms of the club's meetings: the meeting (facilitators), a guest's invitation (members), the minutes
(facilitators)."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from essaim.agenda.models import Venue
from essaim.club.models import Member, Topic
from essaim.www.agenda.forms import DateInput
from essaim.www.forms import EssaimForm


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


def split_names(text: str) -> list[str]:
    return [part.strip() for part in (text or "").replace(";", ",").split(",") if part.strip()]


class MeetingForm(EssaimForm):
    theme = forms.CharField(label="Thème", max_length=200, help_text="Par exemple « recherche de financements ».")
    day = forms.DateField(label="Date", widget=DateInput())
    start_time = forms.TimeField(label="Début", widget=TimeInput())
    end_time = forms.TimeField(label="Fin", widget=TimeInput())
    venue = forms.ModelChoiceField(
        label="Lieu de l'agenda", queryset=Venue.objects.none(), required=False, empty_label="— aucun —"
    )
    host = forms.ModelChoiceField(
        label="Ou structure membre qui accueille",
        queryset=Member.objects.none(),
        required=False,
        empty_label="— aucune —",
        help_text="Son adresse de l'annuaire devient le lieu de la rencontre.",
    )
    capacity = forms.IntegerField(
        label="Places", min_value=1, max_value=1000, required=False, help_text="Laissez vide s'il n'y a pas de limite."
    )
    agenda = forms.CharField(label="Ordre du jour", widget=forms.Textarea(attrs={"rows": 5}), required=False)
    speakers = forms.CharField(
        label="Intervenant·es",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Une personne par ligne : nom ; organisme ; intervention.",
    )
    topics = forms.ModelMultipleChoiceField(
        label="Sujets abordés", queryset=Topic.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    new_topics = forms.CharField(
        label="Nouveaux sujets", max_length=300, required=False, help_text="Séparés par des virgules."
    )

    def __init__(self, *args, club, **kwargs):
        super().__init__(*args, **kwargs)
        self.club = club
        self.fields["venue"].queryset = Venue.objects.filter(territory=club.territory).select_related("commune")
        self.fields["host"].queryset = (
            Member.objects.filter(club=club).active().select_related("structure").order_by("structure__name")
        )
        self.fields["host"].label_from_instance = lambda m: m.structure.display_name
        self.fields["topics"].queryset = Topic.objects.filter(club=club).order_by("name")

    def clean_speakers(self):
        rows = []
        for line in self.cleaned_data["speakers"].splitlines():
            parts = [p.strip() for p in line.split(";")]
            if not parts[0]:
                continue
            parts += ["", ""]
            if len(parts[0]) > 150:
                raise ValidationError("Un nom d'intervenant·e dépasse 150 caractères.")
            rows.append((parts[0], parts[1], parts[2]))
        return rows

    def clean(self):
        data = super().clean()
        day, start, end = data.get("day"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            data["start"] = timezone.make_aware(datetime.datetime.combine(day, start))
            data["end"] = timezone.make_aware(datetime.datetime.combine(day, end))
            if data["end"] <= data["start"]:
                self.add_error("end_time", "La fin doit venir après le début.")
        if not data.get("venue") and not data.get("host") and "venue" not in self.errors:
            self.add_error("venue", "Choisissez un lieu de l'agenda ou une structure membre qui accueille.")
        return data

    @staticmethod
    def initial_for(meeting, session):
        start = timezone.localtime(session.start) if session else None
        end = timezone.localtime(session.end) if session else None
        return {
            "theme": meeting.theme,
            "day": start.date() if start else None,
            "start_time": start.time() if start else None,
            "end_time": end.time() if end else None,
            "venue": None if meeting.host_id else meeting.event.venue_id,
            "host": meeting.host_id,
            "capacity": session.capacity if session else None,
            "agenda": meeting.agenda,
            "speakers": "\n".join(
                " ; ".join([s.name, s.organisation, s.subject]).rstrip(" ;") for s in meeting.speakers.all()
            ),
            "topics": list(meeting.topics.all()),
        }


class GuestForm(EssaimForm):
    name = forms.CharField(label="Nom de la personne invitée", max_length=150)
    email = forms.EmailField(label="Son adresse e-mail")
    organisation = forms.CharField(label="Sa structure", max_length=200, required=False)


class GuestRegisterForm(EssaimForm):
    consent = forms.BooleanField(
        label="J'accepte que le club garde mon nom et mon adresse pour cette rencontre.", required=True
    )


class MinutesForm(EssaimForm):
    minutes = forms.CharField(label="Compte rendu", widget=forms.Textarea(attrs={"rows": 12}), required=False)
    document = forms.FileField(
        label="Compte rendu en PDF",
        required=False,
        help_text="Un fichier PDF de 5 Mo au plus (son contenu est vérifié).",
    )
    topics = forms.ModelMultipleChoiceField(
        label="Sujets abordés", queryset=Topic.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    new_topics = forms.CharField(
        label="Nouveaux sujets", max_length=300, required=False, help_text="Séparés par des virgules."
    )

    def __init__(self, *args, club, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = Topic.objects.filter(club=club).order_by("name")
