"""A territory's perimeter: its summary and the resynchronisation with the official geography."""

import re

import pytest

from essaim.territories import services
from essaim.territories.models import TerritoryCommune
from tests.territories.factories import CommuneFactory, EpciFactory, TerritoryFactory
from tests.www.backoffice.conftest import page_text, url


@pytest.fixture
def epci_territory(territory):
    epci = EpciFactory(name="CA de Béthune-Bruay, Artois-Lys Romane")
    territory.epci = epci
    territory.save()
    return territory


@pytest.mark.django_db
def test_perimeter_page_lists_the_communes(officer_client, epci_territory):
    """The page shows the EPCI, the communes with their population, and the resynchronisation button."""
    commune = CommuneFactory(epci=epci_territory.epci, name="Béthune", population=25000)
    services.territory_set_perimeter_from_epci(territory=epci_territory, epci=epci_territory.epci)
    text = page_text(officer_client.get(url("perimeter", epci_territory)))
    assert "CA de Béthune-Bruay, Artois-Lys Romane" in text
    assert re.search(rf'<th scope="row">Béthune</th>\s*<td>{commune.insee_code}</td>', text)  # its own row
    assert "25\u202f000" in text
    assert "Resynchroniser avec la géographie officielle" in text


@pytest.mark.django_db
def test_resynchronisation_replaces_the_perimeter_by_the_epcis_communes(officer_client, epci_territory):
    """POST: the perimeter becomes the EPCI's communes again, and the derived figures follow."""
    stray = CommuneFactory()
    services.territory_set_perimeter(territory=epci_territory, entries=[(stray.insee_code, "inferred", "")])
    official = CommuneFactory.create_batch(2, epci=epci_territory.epci, population=1500)
    response = officer_client.post(url("perimeter_sync", epci_territory))
    assert response.status_code == 302
    assert response["Location"] == url("perimeter", epci_territory)
    epci_territory.refresh_from_db()
    assert set(epci_territory.communes.all()) == set(official)
    assert (epci_territory.communes_count, epci_territory.population) == (2, 3000)


@pytest.mark.django_db
def test_resynchronisation_is_post_only(officer_client, epci_territory):
    """A GET on the resynchronisation URL changes nothing (405)."""
    CommuneFactory(epci=epci_territory.epci)
    assert officer_client.get(url("perimeter_sync", epci_territory)).status_code == 405
    assert not TerritoryCommune.objects.exists()


@pytest.mark.django_db
def test_historical_territory_has_nothing_to_resynchronise(officer_client, territory):
    """Without an official EPCI there is no button, and a POST only explains why."""
    assert "Resynchroniser" not in page_text(officer_client.get(url("perimeter", territory)))
    response = officer_client.post(url("perimeter_sync", territory), follow=True)
    assert "Ce territoire n'a pas d'EPCI officiel" in page_text(response)


@pytest.mark.django_db
def test_officer_of_another_territory_cannot_resynchronise(client, epci_territory):
    """Another territory's officer gets 403 and the perimeter is untouched."""
    from tests.accounts.factories import MembershipFactory

    CommuneFactory(epci=epci_territory.epci)
    client.force_login(MembershipFactory(territory=TerritoryFactory()).user)
    assert client.post(url("perimeter_sync", epci_territory)).status_code == 403
    assert not TerritoryCommune.objects.exists()
