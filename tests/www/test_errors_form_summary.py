"""The error summary of a failed form, rendered by the server (the browser test checks focus and links)."""

import re

import pytest
from django import forms
from django.template import Context, Template

from essaim.www.templatetags.essaim import error_items

NB = "\u00a0"


class SampleForm(forms.Form):
    name = forms.CharField(label="Dénomination")
    email = forms.EmailField(label="Adresse e-mail", help_text="Pour vous répondre.")
    secret = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        if self.data.get("name") == "doublon":
            raise forms.ValidationError("Cette structure existe déjà.")
        return super().clean()


SUMMARY = Template('{% include "includes/form_errors.html" %}')
FIELD = Template('{% include "includes/field.html" with field=form.email %}')
TITLE = Template("{% load essaim %}{% error_title_prefix %}Page")


def test_summary_lists_each_error_as_a_link_to_its_field():
    form = SampleForm(data={"name": "", "email": "pas-une-adresse"})
    html = SUMMARY.render(Context({"form": form}))
    assert "Le formulaire contient 2 erreurs" in html
    assert 'href="#id_name"' in html and 'href="#id_email"' in html
    assert f"Dénomination{NB}: Ce champ est obligatoire." in html.replace("&nbsp;", NB)
    assert "autofocus" in html and 'tabindex="-1"' in html and "data-error-summary" in html


def test_one_error_is_singular_and_non_field_errors_have_no_link():
    form = SampleForm(data={"name": "doublon", "email": "a@example.org"})
    html = SUMMARY.render(Context({"form": form}))
    assert "Le formulaire contient 1 erreur<" in html
    assert "Cette structure existe déjà." in html
    assert not re.search(r'<a href="#[^"]*">[^<]*existe déjà', html)


def test_no_summary_and_no_title_prefix_without_errors():
    for form in (SampleForm(), SampleForm(data={"name": "x", "email": "a@example.org"})):
        assert "data-error-summary" not in SUMMARY.render(Context({"form": form}))
        assert TITLE.render(Context({"form": form})) == "Page"


def test_title_prefix_when_any_form_or_formset_of_the_page_has_errors():
    formset = forms.formset_factory(SampleForm)(
        data={"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0", "form-0-name": "x"}
    )
    assert TITLE.render(Context({"other_form": SampleForm(data={})})) == f"Erreur{NB}: Page"
    assert TITLE.render(Context({"formset": formset, "form": SampleForm()})) == f"Erreur{NB}: Page"
    assert TITLE.render(Context({"form_has_errors": True})) == f"Erreur{NB}: Page"


def test_formset_rows_are_numbered_in_the_summary():
    formset = forms.formset_factory(SampleForm, extra=0)(
        data={
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "0",
            "form-0-name": "a",
            "form-0-email": "a@b.fr",
            "form-1-email": "x",
        }
    )
    items = error_items(formset)
    assert {item["anchor"] for item in items} == {"id_form-1-name", "id_form-1-email"}
    assert all(item["label"].startswith("Ligne 2 — ") for item in items)


def test_field_ties_help_and_errors_to_the_input():
    form = SampleForm(data={"email": "x"})
    html = FIELD.render(Context({"form": form}))
    assert 'aria-describedby="id_email_helptext id_email_error"' in html
    assert 'aria-invalid="true"' in html
    assert 'id="id_email_error"' in html


@pytest.mark.django_db
def test_a_real_form_page_answers_with_the_summary_and_the_title(client):
    response = client.post("/annuaire/referencer/", {"submitter_email": "benevole@example.org"})
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"<title>\s*Erreur\u00a0: ", html)
    assert "data-error-summary" in html and 'href="#id_name"' in html
    assert 'value="benevole@example.org"' in html
    assert not re.search(r"<title>\s*Erreur", client.get("/annuaire/referencer/").content.decode())
