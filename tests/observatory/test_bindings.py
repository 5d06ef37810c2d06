"""Fiche indicators bound to a computed figure: validated against the registry, chosen in the back office, never
given an entered value; their values come computed (or frozen) on the fiche page and through indicator_values."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from essaim.observatory.bindings import binding_choices, indicator_values
from essaim.observatory.enums import Origin
from essaim.territories.models import Indicator, IndicatorValue
from tests.accounts.factories import MembershipFactory
from tests.observatory.factories import SnapshotFactory
from tests.observatory.fixtures import YEAR
from tests.territories.factories import ActionSheetFactory, IndicatorFactory, IndicatorValueFactory
from tests.www.backoffice.conftest import formset_data, page_text

pytestmark = pytest.mark.django_db


def test_the_choices_are_every_value_figure_of_the_registry():
    codes = [code for code, _ in binding_choices()]
    assert "grants.amount_granted" in codes
    assert "directory.establishments" in codes
    assert "directory.by_family" not in codes  # a table cannot fill one number
    assert len(codes) == len(set(codes))


def test_the_model_refuses_an_unknown_code_and_a_value_for_a_bound_indicator():
    indicator = IndicatorFactory(binding="directory.by_family")
    with pytest.raises(ValidationError) as error:
        indicator.full_clean()
    assert "n'est pas un indicateur calculé" in error.value.message_dict["binding"][0]
    indicator.binding = "grants.amount_granted"
    indicator.full_clean()
    indicator.save()
    value = IndicatorValue(indicator=indicator, year=2025, value=Decimal("12"))
    with pytest.raises(ValidationError) as error:
        value.full_clean()
    assert "ses valeurs se remplissent seules" in error.value.messages[0]


def test_indicator_values_computed_when_bound_entered_otherwise(known):
    sheet = ActionSheetFactory(axis__territory=known.territory, territory=known.territory)
    bound = IndicatorFactory(sheet=sheet, binding="agenda.registrations")
    SnapshotFactory(territory=known.territory, year=YEAR - 1, capability="agenda", values={"registrations": 41})
    found = indicator_values(bound, [YEAR - 1, YEAR])
    assert [(year, value, origin) for year, value, origin, _ in found] == [
        (YEAR - 1, 41, Origin.SNAPSHOT),
        (YEAR, 6, Origin.LIVE),
    ]
    assert found[1][3] is not None
    entered = IndicatorFactory(sheet=sheet)
    IndicatorValueFactory(indicator=entered, year=YEAR - 1, value=Decimal("18"))
    found = indicator_values(entered, [YEAR - 1, YEAR])
    assert [(year, value, origin) for year, value, origin, _ in found] == [
        (YEAR - 1, Decimal("18"), Origin.ENTERED),
        (YEAR, None, Origin.ENTERED),
    ]


def _words(response) -> str:
    """The page's text without its tags, every run of spaces (non-breaking ones too) as one space."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page_text(response)))


def _indicator_data(rows=(), **overrides):
    data = {"name": "Inscriptions", "unit": "", "description": "", "target": "", "target_year": "", "position": "0"}
    data.update(overrides)
    data.update(formset_data("values", list(rows)))
    return data


def test_the_back_office_binds_and_refuses_a_value_for_a_bound_indicator(client):
    officer = MembershipFactory(user__full_name="Claire Dupont").user
    territory = officer.memberships.get().territory
    sheet = ActionSheetFactory(axis__territory=territory, territory=territory)
    client.force_login(officer)
    create = reverse("backoffice:indicator_create", args=[territory.slug, sheet.pk])
    form = page_text(client.get(create))
    assert "Indicateur calculé lié" in form
    rows = [{"year": "2025", "value": "12", "source": "Bilan"}]
    response = client.post(create, _indicator_data(rows, binding="agenda.registrations"))
    assert response.status_code == 200
    assert "ses valeurs se remplissent seules" in page_text(response)
    assert not Indicator.objects.exists()
    response = client.post(create, _indicator_data(binding="agenda.registrations"))
    assert response.status_code == 302
    assert Indicator.objects.get().binding == "agenda.registrations"
    response = client.post(create, _indicator_data(rows, name="Membres"))
    assert response.status_code == 302
    value = IndicatorValue.objects.get()
    assert (value.entered_by, value.entered_by_name) == (officer, "Claire Dupont")


def test_the_fiche_page_shows_computed_values_and_the_scheme(client, known):
    sheet = ActionSheetFactory(axis__territory=known.territory, territory=known.territory, number=10)
    IndicatorFactory(sheet=sheet, binding="agenda.registrations", name="Inscriptions aux rencontres")
    known.world.scheme.sheet = sheet
    known.world.scheme.save()
    text = _words(client.get(sheet.get_absolute_url()))
    assert "Inscriptions aux rencontres" in text
    assert "calculé par Essaim" in text
    assert "6 calculée" in text
    assert known.world.scheme.name in text
    assert "Montants accordés (€) 6 000" in text
