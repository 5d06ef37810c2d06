"""The ESS policy: axes, numbered action sheets, and indicators with their yearly values."""

from decimal import Decimal

import pytest

from essaim.territories.enums import SheetStatus
from essaim.territories.models import ActionSheet, Indicator, IndicatorValue, PolicyAxis
from tests.territories.factories import (
    ActionSheetFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    PolicyAxisFactory,
)
from tests.www.backoffice.conftest import formset_data, page_text, url


def _sheet_data(axis, **overrides):
    data = {
        "axis": str(axis.pk),
        "number": "6",
        "title": "Le portail ESS",
        "summary": "",
        "objectives": "Rendre lisibles les acteurs\n\n  Recenser les activités  \n",
        "status": SheetStatus.ONGOING,
    }
    return {**data, **overrides}


def _indicator_data(rows=(), initial=0, **overrides):
    data = {
        "name": "Membres du club",
        "unit": "membres",
        "description": "",
        "target": "40",
        "target_year": "2018",
        "position": "0",
    }
    data.update(overrides)
    data.update(formset_data("values", list(rows), initial=initial))
    return data


# Axes


@pytest.mark.django_db
def test_officer_adds_an_axis_with_objectives_one_per_line(officer_client, territory):
    """Objectives are typed one per line; empty lines are dropped and spaces trimmed."""
    response = officer_client.post(
        url("axis_create", territory),
        {"number": "1", "title": "Construire une culture commune", "objectives": "Un langage commun\n\n Former \n"},
    )
    assert response.status_code == 302
    assert response["Location"] == url("policy", territory)
    axis = PolicyAxis.objects.get()
    assert (axis.territory, axis.number, axis.objectives) == (territory, 1, ["Un langage commun", "Former"])


@pytest.mark.django_db
def test_axis_number_is_unique_in_the_territory(officer_client, territory, other_territory):
    """Two axes of a territory may not share a number (clear message); another territory's numbers do not count."""
    PolicyAxisFactory(territory=territory, number=1)
    PolicyAxisFactory(territory=other_territory, number=2)
    response = officer_client.post(url("axis_create", territory), {"number": "1", "title": "Doublon"})
    assert response.status_code == 200
    text = page_text(response)
    assert "L'axe n° 1 existe déjà dans ce territoire." in text
    assert 'value="Doublon"' in text
    assert officer_client.post(url("axis_create", territory), {"number": "2", "title": "Axe 2"}).status_code == 302


@pytest.mark.django_db
def test_axis_edit_form_shows_objectives_one_per_line(officer_client, territory):
    """The stored list comes back in the textarea one objective per line, and edits are saved."""
    axis = PolicyAxisFactory(territory=territory, number=1, objectives=["Premier", "Second"])
    assert "Premier\nSecond</textarea>" in page_text(officer_client.get(url("axis_update", territory, axis.pk)))
    response = officer_client.post(
        url("axis_update", territory, axis.pk), {"number": "1", "title": "Nouveau titre", "objectives": "Seul"}
    )
    assert response.status_code == 302
    axis.refresh_from_db()
    assert (axis.title, axis.objectives) == ("Nouveau titre", ["Seul"])


@pytest.mark.django_db
def test_axis_deletion_warns_about_its_sheets_and_deletes_them(officer_client, territory):
    """The confirmation says the sheets go too; POST deletes the axis and its sheets."""
    sheet = ActionSheetFactory(axis__territory=territory)
    text = page_text(officer_client.get(url("axis_delete", territory, sheet.axis.pk)))
    assert "Ses 1 fiche(s) action et leurs indicateurs seront supprimés avec lui." in text
    assert officer_client.post(url("axis_delete", territory, sheet.axis.pk)).status_code == 302
    assert not PolicyAxis.objects.exists()
    assert not ActionSheet.objects.exists()


# Action sheets


@pytest.mark.django_db
def test_officer_adds_an_action_sheet(officer_client, territory):
    """A sheet is added under an axis of the territory, its objectives one per line."""
    axis = PolicyAxisFactory(territory=territory)
    response = officer_client.post(url("sheet_create", territory), _sheet_data(axis))
    assert response.status_code == 302
    sheet = ActionSheet.objects.get()
    assert (sheet.territory, sheet.axis, sheet.number) == (territory, axis, 6)
    assert sheet.objectives == ["Rendre lisibles les acteurs", "Recenser les activités"]


@pytest.mark.django_db
def test_sheet_axis_choices_are_the_territorys_own(officer_client, territory, other_territory):
    """Only this territory's axes are offered; another territory's axis is refused."""
    own = PolicyAxisFactory(territory=territory, title="Axe d'ici")
    foreign = PolicyAxisFactory(territory=other_territory, title="Axe d'ailleurs")
    form = officer_client.get(url("sheet_create", territory)).context["form"]
    assert list(form.fields["axis"].queryset) == [own]
    response = officer_client.post(url("sheet_create", territory), _sheet_data(foreign))
    assert response.status_code == 200
    assert "Sélectionnez un choix valide." in page_text(response)
    assert not ActionSheet.objects.exists()


@pytest.mark.django_db
def test_sheet_number_is_unique_in_the_territory(officer_client, territory):
    """Two sheets of a territory may not share a number: a clear message, no error page."""
    sheet = ActionSheetFactory(axis__territory=territory, number=6)
    response = officer_client.post(url("sheet_create", territory), _sheet_data(sheet.axis, number="6"))
    assert response.status_code == 200
    assert "La fiche n° 6 existe déjà dans ce territoire." in page_text(response)
    assert ActionSheet.objects.count() == 1


@pytest.mark.django_db
def test_officer_edits_then_deletes_a_sheet(officer_client, territory):
    """An officer changes a sheet's status, then deletes it with its indicators."""
    sheet = ActionSheetFactory(axis__territory=territory, number=6)
    IndicatorFactory(sheet=sheet)
    response = officer_client.post(
        url("sheet_update", territory, sheet.pk), _sheet_data(sheet.axis, status=SheetStatus.DONE)
    )
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.DONE
    assert officer_client.post(url("sheet_delete", territory, sheet.pk)).status_code == 302
    assert not ActionSheet.objects.exists()
    assert not Indicator.objects.exists()


@pytest.mark.django_db
def test_sheet_page_lists_its_indicators_and_values(officer_client, territory):
    """The sheet's page shows its indicators with their yearly values."""
    indicator = IndicatorFactory(sheet__axis__territory=territory, name="Membres du club")
    IndicatorValueFactory(indicator=indicator, year=2016, value=Decimal("18"))
    text = page_text(officer_client.get(url("sheet", territory, indicator.sheet.pk)))
    assert "Membres du club" in text
    assert "2016 : 18" in text


# Indicators


@pytest.mark.django_db
def test_officer_adds_an_indicator_with_yearly_values(officer_client, territory):
    """An indicator and its values are created from one form, under the sheet."""
    sheet = ActionSheetFactory(axis__territory=territory)
    rows = [
        {"year": "2015", "value": "12", "source": "Bilan 2015"},
        {"year": "2016", "value": "18", "source": ""},
        {"year": "", "value": "", "source": ""},
    ]
    response = officer_client.post(url("indicator_create", territory, sheet.pk), _indicator_data(rows))
    assert response.status_code == 302
    assert response["Location"] == url("sheet", territory, sheet.pk)
    indicator = Indicator.objects.get()
    assert (indicator.sheet, indicator.target) == (sheet, Decimal("40"))
    assert list(indicator.values.values_list("year", "value")) == [(2015, Decimal("12")), (2016, Decimal("18"))]


@pytest.mark.django_db
def test_one_value_per_year(officer_client, territory):
    """The same year twice is refused with a clear French message, the typed rows kept, nothing written."""
    sheet = ActionSheetFactory(axis__territory=territory)
    rows = [{"year": "2016", "value": "12", "source": "A"}, {"year": "2016", "value": "18", "source": "B"}]
    response = officer_client.post(url("indicator_create", territory, sheet.pk), _indicator_data(rows))
    assert response.status_code == 200
    text = page_text(response)
    assert "Une seule valeur par année : 2016 figure plusieurs fois." in text
    assert 'value="18"' in text
    assert not Indicator.objects.exists()
    assert not IndicatorValue.objects.exists()


@pytest.mark.django_db
def test_officer_edits_an_indicator_and_removes_a_value(officer_client, territory):
    """Editing changes the indicator, updates a value and deletes another, together."""
    indicator = IndicatorFactory(sheet__axis__territory=territory)
    kept = IndicatorValueFactory(indicator=indicator, year=2015, value=Decimal("12"))
    dropped = IndicatorValueFactory(indicator=indicator, year=2016, value=Decimal("18"))
    rows = [
        {"id": str(kept.pk), "year": "2015", "value": "13", "source": ""},
        {"id": str(dropped.pk), "year": "2016", "value": "18", "source": "", "DELETE": "on"},
    ]
    response = officer_client.post(
        url("indicator_update", territory, indicator.sheet.pk, indicator.pk),
        _indicator_data(rows, initial=2, name="Adhérents du club"),
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.name == "Adhérents du club"
    assert list(indicator.values.values_list("year", "value")) == [(2015, Decimal("13"))]


@pytest.mark.django_db
def test_officer_deletes_an_indicator(officer_client, territory):
    """Deleting an indicator (POST) removes its values."""
    indicator = IndicatorFactory(sheet__axis__territory=territory)
    IndicatorValueFactory(indicator=indicator)
    response = officer_client.post(url("indicator_delete", territory, indicator.sheet.pk, indicator.pk))
    assert response.status_code == 302
    assert not Indicator.objects.exists()
    assert not IndicatorValue.objects.exists()


@pytest.mark.django_db
def test_indicator_under_a_foreign_sheet_is_not_found(officer_client, territory, other_territory):
    """An indicator of another territory's sheet cannot be reached through this territory (404, untouched)."""
    indicator = IndicatorFactory(sheet__axis__territory=other_territory, name="Ailleurs")
    response = officer_client.post(
        url("indicator_update", territory, indicator.sheet.pk, indicator.pk), _indicator_data()
    )
    assert response.status_code == 404
    response = officer_client.post(url("indicator_create", territory, indicator.sheet.pk), _indicator_data())
    assert response.status_code == 404
    assert list(Indicator.objects.values_list("name", flat=True)) == ["Ailleurs"]


@pytest.mark.django_db
def test_network_admin_edits_any_territorys_policy(network_client, territory):
    """The network admin may add an axis to a territory where they have no role."""
    response = network_client.post(url("axis_create", territory), {"number": "3", "title": "Axe du réseau"})
    assert response.status_code == 302
    assert PolicyAxis.objects.get().territory == territory
