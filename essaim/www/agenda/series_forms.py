"""Forms of the agenda at campaign scale: recurring sessions written in plain French, a campaign's call for
contributions, and proposals by structures (several sessions)."""

import datetime

from django import forms
from django.utils import timezone

from essaim.agenda.models import SessionSeries
from essaim.core.recurrence import ORDINALS, WEEKDAYS, RecurrenceError, Rule, build_rule, read_rule
from essaim.www.agenda.forms import DateInput, datetime_field
from essaim.www.forms import EssaimForm

FREQUENCY_CHOICES = [
    ("weekly", "chaque semaine (ou toutes les N semaines)"),
    ("monthly_nth", "un jour donné du mois (par exemple le premier jeudi)"),
    ("monthly_day", "à date fixe chaque mois (par exemple le 15)"),
]
WEEKDAY_CHOICES = [(str(i), name) for i, name in enumerate(WEEKDAYS)]
NTH_CHOICES = [(str(n), label) for n, label in ORDINALS.items()]


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class SeriesForm(EssaimForm):
    """Sessions that repeat, said in plain French: the first one, how often, until when, and days left out. Written
    as an RFC 5545 rule (``essaim.core.recurrence``)."""

    label = forms.CharField(label="Intitulé des séances", max_length=150, required=False)
    start = datetime_field(
        "Première séance", help_text="Jour et heure de début de la première séance (heure de Paris)."
    )
    end_time = forms.TimeField(label="Heure de fin de chaque séance", widget=TimeInput())
    frequency = forms.ChoiceField(label="Fréquence", choices=FREQUENCY_CHOICES, widget=forms.RadioSelect)
    interval = forms.IntegerField(
        label="Intervalle",
        min_value=1,
        max_value=52,
        initial=1,
        help_text="1 : chaque semaine ou chaque mois ; 2 : une sur deux ; 3 (mensuelle) : tous les trimestres.",
    )
    weekdays = forms.TypedMultipleChoiceField(
        label="Jours de la semaine",
        choices=WEEKDAY_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Chaque semaine : un ou plusieurs jours. Laissé vide : le jour de la première séance.",
    )
    nth = forms.TypedChoiceField(
        label="Rang dans le mois",
        choices=NTH_CHOICES,
        coerce=int,
        required=False,
        help_text="Pour « un jour donné du mois ».",
    )
    nth_weekday = forms.TypedChoiceField(
        label="Jour", choices=WEEKDAY_CHOICES, coerce=int, required=False, help_text="Pour « un jour donné du mois »."
    )
    until = forms.DateField(label="Jusqu'au (inclus)", required=False, widget=DateInput())
    count = forms.IntegerField(
        label="Ou nombre de séances",
        min_value=1,
        max_value=400,
        required=False,
        help_text="Laissez les deux vides : sans fin.",
    )
    exdates = forms.CharField(
        label="Jours sans séance",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Un jour par ligne, au format JJ/MM/AAAA (vacances, jour férié).",
    )
    capacity = forms.IntegerField(
        label="Places par séance", min_value=1, required=False, help_text="Laissez vide s'il n'y a pas de limite."
    )

    def __init__(self, *args, instance: SessionSeries | None = None, **kwargs):
        self.instance = instance
        if instance is not None and not kwargs.get("initial") and (not args or args[0] is None):
            kwargs["initial"] = self.initial_from(instance)
        super().__init__(*args, **kwargs)

    @staticmethod
    def initial_from(series: SessionSeries) -> dict:
        rule = read_rule(series.rule, series.start)
        start = timezone.localtime(series.start)
        if rule.freq == "MONTHLY" and rule.nth is not None:
            frequency = "monthly_nth"
        elif rule.freq == "MONTHLY":
            frequency = "monthly_day"
        else:
            frequency = "weekly"
        return {
            "label": series.label,
            "start": start.replace(tzinfo=None),
            "end_time": (start + series.duration).time().replace(tzinfo=None),
            "frequency": frequency,
            "interval": rule.interval,
            "weekdays": [str(d) for d in rule.weekdays] if frequency == "weekly" else [],
            "nth": str(rule.nth) if rule.nth is not None else "",
            "nth_weekday": str(rule.weekdays[0]) if frequency == "monthly_nth" else "",
            "until": rule.until,
            "count": rule.count,
            "exdates": "\n".join(f"{datetime.date.fromisoformat(d):%d/%m/%Y}" for d in series.exdates),
            "capacity": series.capacity,
        }

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
        start, end_time = data.get("start"), data.get("end_time")
        if not start or not end_time or "frequency" not in data:
            return data
        local = timezone.localtime(start)
        end = timezone.make_aware(datetime.datetime.combine(local.date(), end_time))
        if end <= start:
            self.add_error("end_time", "L'heure de fin doit être après l'heure de début.")
            return data
        frequency = data["frequency"]
        if frequency == "monthly_nth" and (data.get("nth") in (None, "") or data.get("nth_weekday") in (None, "")):
            self.add_error("nth", "Choisissez le rang et le jour (par exemple : premier jeudi).")
            return data
        if data.get("until") and data.get("count"):
            self.add_error("count", "Choisissez une date de fin ou un nombre de séances, pas les deux.")
            return data
        if data.get("until") and data["until"] < local.date():
            self.add_error("until", "La date de fin précède la première séance.")
            return data
        rule = Rule(
            freq="WEEKLY" if frequency == "weekly" else "MONTHLY",
            interval=data.get("interval") or 1,
            weekdays=tuple(data.get("weekdays") or [])
            if frequency == "weekly"
            else ((data["nth_weekday"],) if frequency == "monthly_nth" else ()),
            nth=data.get("nth") if frequency == "monthly_nth" else None,
            monthday=local.day if frequency == "monthly_day" else None,
            until=data.get("until"),
            count=data.get("count"),
        )
        if frequency == "monthly_day" and local.day > 28:
            self.add_error("start", "À date fixe chaque mois : choisissez un jour du 1er au 28.")
            return data
        try:
            data["rule"] = build_rule(rule)
        except RecurrenceError as exc:
            self.add_error(None, str(exc))
            return data
        data["duration"] = end - start
        return data

    def apply(self, series: SessionSeries) -> SessionSeries:
        data = self.cleaned_data
        series.label = data["label"]
        series.rule = data["rule"]
        series.start = data["start"]
        series.duration = data["duration"]
        series.exdates = [d.isoformat() for d in data["exdates"]]
        series.capacity = data["capacity"]
        return series
