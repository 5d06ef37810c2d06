import factory

from essaim.core.identifiers import luhn_complete
from essaim.directory.enums import EssSource, Family, Status
from essaim.directory.models import Sector, Structure, StructureLabel
from tests.territories.factories import CommuneFactory, luhn_siren


def luhn_siret(siren: str, n: int) -> str:
    """A Luhn-valid SIRET for ``siren`` and establishment number ``n`` (test data only)."""
    return luhn_complete(f"{siren}{n:04d}")


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ["slug"]

    slug = "reemploi"
    name = "Réemploi, recyclage et ressourceries"


class StructureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Structure

    slug = factory.Sequence(lambda n: f"structure-{n}")
    name = factory.Sequence(lambda n: f"Association Essaim {n}")
    siren = factory.Sequence(lambda n: luhn_siren(77000000 + n))
    siret = factory.LazyAttribute(lambda o: luhn_siret(o.siren, 1))
    legal_form = "9220"
    family = Family.ASSOCIATION
    commune = factory.SubFactory(CommuneFactory)
    lat = factory.SelfAttribute("commune.lat")
    lon = factory.SelfAttribute("commune.lon")
    status = Status.PUBLISHED
    ess_source = EssSource.LEGAL_FORM

    class Params:
        pending = factory.Trait(status=Status.PENDING)
        rna_only = factory.Trait(siren="", siret=None, rna=factory.Sequence(lambda n: f"W62{n:07d}"))


class StructureLabelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StructureLabel

    structure = factory.SubFactory(StructureFactory)
    label = "ACI"


def territory_with_commune(**commune_kwargs):
    """A territory whose perimeter is one new commune (for permission and moderation tests)."""
    from essaim.territories.services import territory_set_perimeter
    from tests.territories.factories import TerritoryFactory

    commune = CommuneFactory(**commune_kwargs)
    territory = TerritoryFactory()
    territory_set_perimeter(territory=territory, entries=[(commune.insee_code, "official", "")])
    return territory, commune


class StructureClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "directory.StructureClaim"

    structure = factory.SubFactory(StructureFactory)
    user = factory.SubFactory("tests.accounts.factories.UserFactory")
    role = "Directrice"
