import pytest
from django.db import IntegrityError, transaction

from essaim.directory.models import Sector, Structure
from essaim.territories.services import territory_set_perimeter
from tests.directory.factories import StructureFactory
from tests.territories.factories import TerritoryFactory


@pytest.mark.django_db
def test_the_sector_taxonomy_is_seeded_by_migration():
    assert Sector.objects.count() == 15
    assert Sector.objects.filter(slug="reemploi").exists()


@pytest.mark.django_db
def test_a_structure_needs_an_identifier_and_well_formed_ones():
    """SIREN, SIRET or RNA: at least one; each with its format, enforced by the database."""
    StructureFactory(rna_only=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        StructureFactory(siren="", siret=None, rna="")
    with pytest.raises(IntegrityError), transaction.atomic():
        StructureFactory(siret="1234")
    with pytest.raises(IntegrityError), transaction.atomic():
        StructureFactory(rna_only=True, rna="X123")


@pytest.mark.django_db
def test_completeness_is_the_share_of_useful_fields_filled():
    structure = StructureFactory(description="Ressourcerie", website="https://exemple.org", phone="03 21 00 00 00")
    assert structure.completeness == 33


@pytest.mark.django_db
def test_territories_of_a_structure_follow_its_commune():
    structure = StructureFactory()
    territory = TerritoryFactory()
    assert not Structure.objects.in_territory(territory).exists()
    territory_set_perimeter(territory=territory, entries=[(structure.commune_id, "official", "")])
    assert list(Structure.objects.published().in_territory(territory)) == [structure]
