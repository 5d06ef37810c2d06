"""The combobox widgets (``essaim.www.widgets``) and the event form's organisers and partners picked through them:
only the chosen structures are rendered, the ids are checked on the server, and without JavaScript a typed name
is resolved (one match added, several listed to be checked, none an error)."""

import pytest
from django import forms
from django.urls import reverse

from essaim.agenda.models import Event
from essaim.directory.models import Structure
from essaim.www.directory.autocomplete import StructureChoiceField, StructureMultipleChoiceField
from essaim.www.widgets import ComboboxValue
from tests.accounts.factories import MembershipFactory
from tests.agenda.factories import VenueFactory, in_days
from tests.directory.factories import StructureFactory, territory_with_commune

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(reindexed_db):
    """A territory with APIC, two BGE and 30 other structures, an officer and a venue; the index rebuilt."""
    territory, commune = territory_with_commune(name="Bruay-la-Buissière")
    other_territory, other_commune = territory_with_commune(name="Lille")
    rows = {
        "apic": StructureFactory(name="APIC", commune=commune),
        "bge1": StructureFactory(name="BGE Hauts-de-France", commune=commune),
        "bge2": StructureFactory(name="BGE Artois", commune=commune),
        "foreign": StructureFactory(name="APES Hauts-de-France", commune=other_commune),
    }
    StructureFactory.create_batch(30, commune=commune)
    reindexed_db()
    officer = MembershipFactory(territory=territory).user
    venue = VenueFactory(territory=territory)
    return {"territory": territory, "officer": officer, "venue": venue, **rows}


@pytest.fixture
def reindexed_db(settings, tmp_path):
    from essaim.search.indexer import reindex

    return reindex


def event_data(venue, **extra):
    data = {
        "title": "Portes ouvertes",
        "summary": "",
        "event_type": "atelier",
        "audiences": ["grand_public"],
        "attendance_mode": "in_person",
        "venue": venue.pk,
        "status": "scheduled",
        "price": "0",
        "registration_mode": "here",
        "sessions-TOTAL_FORMS": "1",
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "1",
        "sessions-MAX_NUM_FORMS": "1000",
        "sessions-0-start": in_days(10, 9).strftime("%Y-%m-%dT%H:%M"),
        "sessions-0-end": in_days(10, 12).strftime("%Y-%m-%dT%H:%M"),
        "sessions-0-capacity": "12",
    }
    data.update(extra)
    return data


def test_the_widget_renders_only_the_chosen_structures_and_a_search_input(place):
    class Form(forms.Form):
        organisers = StructureMultipleChoiceField(
            label="Organisateurs", territory=place["territory"], queryset=Structure.objects.all()
        )

    html = str(Form(initial={"organisers": [place["apic"].pk]})["organisers"])
    assert html.count('type="checkbox"') == 1
    assert f'value="{place["apic"].pk}" id="id_organisers_0" checked' in html
    assert "APIC (Bruay-la-Buissière)" in html and "BGE" not in html
    assert 'id="id_organisers" name="organisers-recherche"' in html and "data-combobox-input" in html
    assert f'data-combobox-source="/api/v1/structures/suggest?territory={place["territory"].slug}"' in html
    assert 'data-combobox-count-one="{n} structure trouvée' in html
    assert 'aria-label="Organisateurs\u00a0: sélection"' in html
    assert "<option" not in html


def test_the_empty_widget_hides_its_empty_list_of_chosen_items(place):
    class Form(forms.Form):
        organisers = StructureMultipleChoiceField(label="Organisateurs", required=False)

    html = str(Form()["organisers"])
    assert 'data-combobox-chips aria-label="Organisateurs\u00a0: sélection" hidden></ul>' in html


def test_the_single_choice_field_keeps_one_structure_the_last_chosen(place):
    class Form(forms.Form):
        structure = StructureChoiceField(label="Votre structure", territory=place["territory"])

    form = Form({"structure": [str(place["bge1"].pk)], "structure-recherche": "apic"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["structure"] == place["apic"]
    assert "data-combobox-max" in str(Form()["structure"])


def test_a_text_typed_without_javascript_is_resolved_by_the_server(place):
    class Form(forms.Form):
        organisers = StructureMultipleChoiceField(label="Organisateurs", territory=place["territory"])

    one = Form({"organisers-recherche": "apic"})
    assert one.is_valid(), one.errors
    assert list(one.cleaned_data["organisers"]) == [place["apic"]]

    several = Form({"organisers": [str(place["apic"].pk)], "organisers-recherche": "bge"})
    assert not several.is_valid()
    assert "Plusieurs structures correspondent à «\u00a0bge\u00a0»" in several.errors["organisers"][0]
    html = str(several["organisers"])
    assert f'value="{place["apic"].pk}" id="id_organisers_0" checked' in html  # the choice already made is kept
    assert 'class="combobox-candidates"' in html
    assert (
        html.count('id="id_organisers_choix_') == 2 and f'value="{place["bge1"].pk}" id="id_organisers_choix_' in html
    )
    assert "BGE Artois (Bruay-la-Buissière)" in html and 'value="bge"' in html

    none = Form({"organisers-recherche": "zzzz"})
    assert not none.is_valid()
    assert "Aucune structure de l'annuaire ne correspond" in none.errors["organisers"][0]

    # Outside the territory's suggestions: never resolved (APES is in another territory).
    assert not Form({"organisers-recherche": "apes"}).is_valid()


def test_combobox_value_keeps_the_typed_text_through_prepare_value(place):
    field = StructureMultipleChoiceField(label="Organisateurs")
    value = ComboboxValue(["1"])
    value.text = "bge"
    prepared = field.prepare_value(value)
    assert prepared == ["1"] and prepared.text == "bge"


def test_the_event_form_renders_only_the_chosen_structures(client, place):
    client.force_login(place["officer"])
    territory = place["territory"]
    html = client.get(reverse("agenda:event_create", args=[territory.slug])).content.decode()
    assert "BGE" not in html and "APIC" not in html
    assert 'name="organisers-recherche"' in html and 'name="partners-recherche"' in html
    assert "/static/js/combobox.js" in html and "/static/css/combobox.css" in html

    event = Event.objects.create(territory=territory, title="Café citoyen", venue=place["venue"])
    event.organisers.add(place["apic"])
    html = client.get(reverse("agenda:event_update", args=[territory.slug, event.pk])).content.decode()
    assert "APIC (Bruay-la-Buissière)" in html and "BGE" not in html


def test_the_event_form_saves_the_chosen_structures_and_refuses_others(client, place):
    client.force_login(place["officer"])
    territory = place["territory"]
    url = reverse("agenda:event_create", args=[territory.slug])
    data = event_data(place["venue"], organisers=[place["apic"].pk], partners=[place["bge1"].pk, place["bge2"].pk])
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get(title="Portes ouvertes")
    assert list(event.organisers.all()) == [place["apic"]]
    assert set(event.partners.all()) == {place["bge1"], place["bge2"]}

    refused = client.post(url, event_data(place["venue"], title="Autre", organisers=[place["foreign"].pk]))
    assert refused.status_code == 200
    assert "Cette structure ne peut pas être choisie ici." in refused.content.decode()
    assert not Event.objects.filter(title="Autre").exists()


def test_the_event_form_without_javascript_resolves_a_name_and_lists_homonyms(client, place):
    client.force_login(place["officer"])
    url = reverse("agenda:event_create", args=[place["territory"].slug])
    response = client.post(url, event_data(place["venue"], **{"partners-recherche": "bge"}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Plusieurs structures correspondent" in html and "BGE Artois (Bruay-la-Buissière)" in html
    assert client.post(url, event_data(place["venue"], **{"organisers-recherche": "apic"})).status_code == 302
    assert list(Event.objects.get(title="Portes ouvertes").organisers.all()) == [place["apic"]]
