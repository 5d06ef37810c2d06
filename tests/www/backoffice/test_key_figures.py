"""Key figures of a territory: each with its source and year."""

from decimal import Decimal

import pytest

from essaim.territories.models import KeyFigure
from tests.territories.factories import KeyFigureFactory
from tests.www.backoffice.conftest import page_text, url


def _figure_data(**overrides):
    data = {
        "label": "Emplois dans l'ESS",
        "value": "10",
        "unit": "% des emplois",
        "year": "2014",
        "source": "CRESS Nord-Pas-de-Calais",
        "position": "0",
    }
    return {**data, **overrides}


@pytest.mark.django_db
def test_officer_adds_a_key_figure(officer_client, territory):
    """An officer adds a key figure with its source."""
    response = officer_client.post(url("key_figure_create", territory), _figure_data())
    assert response.status_code == 302
    figure = KeyFigure.objects.get()
    assert (figure.territory, figure.value, figure.source) == (territory, Decimal("10"), "CRESS Nord-Pas-de-Calais")


@pytest.mark.django_db
def test_key_figure_needs_a_source(officer_client, territory):
    """A figure without its source is refused; the typed label stays."""
    response = officer_client.post(url("key_figure_create", territory), _figure_data(source="", year="1789"))
    assert response.status_code == 200
    text = page_text(response)
    assert "Ce champ est obligatoire." in text
    assert "Assurez-vous que cette valeur est supérieure ou égale à 1990." in text
    assert 'value="Emplois dans l\'ESS"' in text
    assert not KeyFigure.objects.exists()


@pytest.mark.django_db
def test_officer_edits_and_deletes_a_key_figure(officer_client, territory):
    """An officer changes a key figure, then deletes it by POST."""
    figure = KeyFigureFactory(territory=territory)
    response = officer_client.post(url("key_figure_update", territory, figure.pk), _figure_data(value="12.5"))
    assert response.status_code == 302
    figure.refresh_from_db()
    assert figure.value == Decimal("12.5")
    assert officer_client.post(url("key_figure_delete", territory, figure.pk)).status_code == 302
    assert not KeyFigure.objects.exists()


@pytest.mark.django_db
def test_network_admin_adds_a_key_figure_anywhere(network_client, territory):
    """The network admin adds a figure to a territory where they have no role."""
    assert network_client.post(url("key_figure_create", territory), _figure_data()).status_code == 302
    assert KeyFigure.objects.get().territory == territory


@pytest.mark.django_db
def test_foreign_key_figure_cannot_be_deleted_through_own_territory(officer_client, territory, other_territory):
    """Another territory's figure id under one's own territory gives 404 and the figure stays."""
    figure = KeyFigureFactory(territory=other_territory)
    assert officer_client.post(url("key_figure_delete", territory, figure.pk)).status_code == 404
    assert KeyFigure.objects.filter(pk=figure.pk).exists()
