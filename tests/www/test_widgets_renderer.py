"""``FastFormRenderer`` writes the common widgets in Python: its HTML must be exactly Django's, widget by widget."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from essaim.www.widgets import FastFormRenderer

CHOICES = [("", "---------"), ("a", "Aïe <b>"), ("b", mark_safe("<i>sûr</i>")), ("c", 'L\'"ESS"')]
GROUPS = [("Nord", [("59", "Nord & Lille")]), ("Pas-de-Calais", [("62", "Pas-de-Calais")]), ("x", "Autre")]


class EveryWidget(forms.Form):
    text = forms.CharField(help_text="Aide", max_length=20, widget=forms.TextInput(attrs={"placeholder": 'a"b<'}))
    number = forms.IntegerField(min_value=0)
    decimal = forms.DecimalField(required=False)
    email = forms.EmailField(required=False)
    url = forms.URLField(required=False, assume_scheme="https")
    password = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)
    when = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), required=False)
    time = forms.TimeField(required=False)
    agree = forms.BooleanField(required=False)
    choice = forms.ChoiceField(choices=CHOICES, required=False)
    grouped = forms.ChoiceField(choices=GROUPS, required=False)
    several = forms.MultipleChoiceField(choices=CHOICES[1:], required=False)
    radio = forms.ChoiceField(choices=CHOICES[1:], widget=forms.RadioSelect, required=False)
    boxes = forms.MultipleChoiceField(choices=CHOICES[1:], widget=forms.CheckboxSelectMultiple, required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    disabled = forms.CharField(disabled=True, required=False)


DATA = {
    "text": "Épicerie <solidaire> & co",
    "number": "-3",
    "email": "pas une adresse",
    "password": "secret",
    "hidden": 'x"y',
    "date": "2026-11-01",
    "when": "2026-11-03 09:00",
    "agree": "on",
    "choice": "b",
    "grouped": "62",
    "several": ["a", "c"],
    "radio": "c",
    "boxes": ["b"],
    "notes": "Ligne 1\n<script>alert(1)</script>",
}


@pytest.mark.parametrize(
    "form_kwargs",
    [{}, {"data": DATA}, {"initial": {"when": datetime.datetime(2026, 11, 3, 9, tzinfo=datetime.UTC), "agree": True}}],
    ids=["unbound", "bound-with-errors", "initial"],
)
def test_every_widget_renders_exactly_as_with_djangos_templates(form_kwargs):
    django_form = EveryWidget(renderer=DjangoTemplates(), **form_kwargs)
    fast_form = EveryWidget(renderer=FastFormRenderer(), **form_kwargs)
    for name in EveryWidget.base_fields:
        assert str(fast_form[name]) == str(django_form[name]), name
    for name in ("radio", "boxes"):
        django_boxes, fast_boxes = list(django_form[name]), list(fast_form[name])
        assert [b.tag() for b in fast_boxes] == [b.tag() for b in django_boxes]
        assert [str(b) for b in fast_boxes] == [str(b) for b in django_boxes]  # the label wrapped around it
    assert fast_form.as_div() == django_form.as_div()


def test_the_event_form_and_its_sessions_render_as_with_djangos_templates(db):
    from essaim.www.agenda.forms import EventForm, SessionFormSet
    from tests.agenda.factories import SessionFactory

    session = SessionFactory()
    event, territory = session.event, session.event.territory
    fast = EventForm(instance=event, territory=territory)
    assert isinstance(fast.renderer, FastFormRenderer)
    plain = EventForm(instance=event, territory=territory, renderer=DjangoTemplates())
    names = list(fast.fields)
    assert "title" in names and names == list(plain.fields)
    for name in names:
        assert str(fast[name]) == str(plain[name]), name
    formset = SessionFormSet(instance=event, prefix="sessions")
    assert all(isinstance(form.renderer, FastFormRenderer) for form in formset)
