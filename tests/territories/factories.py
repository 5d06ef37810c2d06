import datetime
from decimal import Decimal

import factory

from essaim.core.identifiers import luhn_complete
from essaim.territories.enums import ContactKind, EpciKind, SheetStatus, TerritoryKind
from essaim.territories.models import (
    ActionSheet,
    BudgetYear,
    CoFunding,
    Commune,
    Contact,
    Departement,
    Epci,
    Indicator,
    IndicatorValue,
    KeyFigure,
    PolicyAxis,
    Region,
    Territory,
)


def luhn_siren(n: int) -> str:
    """A Luhn-valid 9-digit SIREN built from ``n`` (test data only)."""
    return luhn_complete(f"{n:08d}"[-8:])


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = "32"
    name = "Hauts-de-France"


class DepartementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Departement
        django_get_or_create = ["code"]

    code = "62"
    name = "Pas-de-Calais"
    region = factory.SubFactory(RegionFactory)


class EpciFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Epci

    siren = factory.Sequence(lambda n: luhn_siren(20000000 + n))
    name = factory.Sequence(lambda n: f"CA de Test {n}")
    kind = EpciKind.CA


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune

    insee_code = factory.Sequence(lambda n: f"99{n % 1000:03d}")  # no real commune has a 99xxx code
    name = factory.Sequence(lambda n: f"Commune {n}")
    departement = factory.SubFactory(DepartementFactory)
    population = 1000
    lat = 50.5
    lon = 2.6
    postcodes = "62000"


class TerritoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory

    slug = factory.Sequence(lambda n: f"territoire-{n}")
    siren = factory.Sequence(lambda n: luhn_siren(24000000 + n))
    name = factory.Sequence(lambda n: f"Territoire {n}")
    official_name = factory.LazyAttribute(lambda o: f"Communauté d'agglomération {o.name}")
    kind = TerritoryKind.CA

    class Params:
        historical = factory.Trait(valid_until=datetime.date(2016, 12, 31), siren=None)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    territory = factory.SubFactory(TerritoryFactory)
    kind = ContactKind.STAFF
    full_name = factory.Faker("name", locale="fr_FR")
    function = "Chargée de mission ESS"
    email = factory.Sequence(lambda n: f"contact{n}@collectivite.example")


class BudgetYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetYear

    territory = factory.SubFactory(TerritoryFactory)
    year = 2014
    amount = Decimal("201600")
    fte = Decimal("3")


class CoFundingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoFunding

    budget = factory.SubFactory(BudgetYearFactory)
    funder = "Conseil régional"
    amount = Decimal("60460")


class PolicyAxisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PolicyAxis

    territory = factory.SubFactory(TerritoryFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = "Construire une culture commune de l'ESS"
    objectives = factory.LazyFunction(lambda: ["Construire un langage commun"])


class ActionSheetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionSheet

    axis = factory.SubFactory(PolicyAxisFactory)
    territory = factory.SelfAttribute("axis.territory")
    number = factory.Sequence(lambda n: n + 1)
    title = "Le portail ESS"
    objectives = factory.LazyFunction(lambda: ["Rendre lisibles les acteurs et les activités"])
    status = SheetStatus.ONGOING


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    sheet = factory.SubFactory(ActionSheetFactory)
    name = "Membres du club"
    unit = "membres"


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2016
    value = Decimal("18")


class KeyFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyFigure

    territory = factory.SubFactory(TerritoryFactory)
    label = "Établissements de l'ESS"
    value = Decimal("350")
    unit = "établissements"
    year = 2014
    source = "Article de presse"
