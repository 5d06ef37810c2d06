from django import forms

from essaim.www.widgets import FastSelect


class Form(forms.Form):
    commune = forms.ChoiceField(
        label="Commune",
        choices=[("", "Toutes"), ("62119", "Béthune"), ("62178", "Bruay <la> Buissière")],
        required=False,
        widget=FastSelect,
        help_text="Aide",
    )


def test_fast_select_renders_like_a_select_with_the_chosen_option_and_escaped_labels():
    html = str(Form({"commune": "62119"})["commune"])
    assert html.startswith('<select name="commune" ')
    assert 'id="id_commune"' in html and 'aria-describedby="id_commune_helptext"' in html
    assert '<option value="62119" selected>Béthune</option>' in html
    assert '<option value="">Toutes</option>' in html
    assert "Bruay &lt;la&gt; Buissière" in html


def test_fast_select_marks_an_invalid_choice_for_assistive_technologies():
    form = Form({"commune": "99999"})
    assert not form.is_valid()
    assert 'aria-invalid="true"' in str(form["commune"])
