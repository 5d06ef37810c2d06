import datetime
from decimal import Decimal

import factory

from essaim.grants.enums import DocumentKind
from essaim.grants.models import BudgetEnvelope, OpenPeriod, RuleVersion, Scheme
from tests.directory.factories import luhn_siret
from tests.territories.factories import TerritoryFactory, luhn_siren


class SchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scheme
        skip_postgeneration_save = True

    territory = factory.SubFactory(TerritoryFactory)
    slug = factory.Sequence(lambda n: f"dispositif-{n}")
    name = "Entreprendre Autrement"
    summary = "2 000 € par ETP créé et 20 % de l'investissement."
    attributing_name = factory.LazyAttribute(lambda o: o.territory.official_name or o.territory.name)
    attributing_siret = factory.LazyAttribute(lambda o: luhn_siret(o.territory.siren or luhn_siren(1), 13))
    required_document_kinds = factory.LazyFunction(lambda: [DocumentKind.STATUTES])
    is_published = True

    @factory.post_generation
    def with_rule(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            RuleVersionFactory(scheme=obj)
            OpenPeriod.objects.create(scheme=obj, starts_on=datetime.date(2000, 1, 1))


class RuleVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RuleVersion

    scheme = factory.SubFactory(SchemeFactory, with_rule=False)
    valid_from = datetime.date(2014, 1, 1)
    amount_per_fte = Decimal("2000.00")
    fte_cap = Decimal("4.00")
    investment_rate = Decimal("0.2000")
    investment_base_cap = Decimal("15000.00")


class BudgetEnvelopeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetEnvelope

    scheme = factory.SubFactory(SchemeFactory)
    year = 2026
    credits = Decimal("40000.00")
