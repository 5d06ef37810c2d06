import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from essaim.territories.models import BudgetYear, Territory
from essaim.territories.services import territory_set_perimeter
from essaim.territories.validators import contrast_with_white, validate_brand_color
from tests.territories.factories import (
    BudgetYearFactory,
    CoFundingFactory,
    CommuneFactory,
    TerritoryFactory,
)


@pytest.mark.django_db
def test_a_territory_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        TerritoryFactory(valid_from=datetime.date(2017, 1, 1), valid_until=datetime.date(2016, 12, 31))


@pytest.mark.django_db
def test_budget_amounts_cannot_be_negative_and_a_year_appears_once():
    budget = BudgetYearFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetYear.objects.create(territory=budget.territory, year=budget.year, amount=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetYear.objects.create(territory=budget.territory, year=2015, amount=-1)


@pytest.mark.django_db
def test_own_funding_is_budget_minus_cofunders():
    cofunding = CoFundingFactory()
    assert cofunding.budget.own_funding == cofunding.budget.amount - cofunding.amount


@pytest.mark.parametrize("color,ok", [("#1f4e79", True), ("#0b5394", True), ("#ffff00", False), ("#777777", False)])
def test_brand_colour_must_keep_white_text_readable(color, ok):
    """RGAA: white text on the brand band needs a 4.5:1 contrast; a light colour is refused with the ratio."""
    if ok:
        validate_brand_color(color)
        assert contrast_with_white(color) >= 4.5
    else:
        with pytest.raises(ValidationError, match="trop claire"):
            validate_brand_color(color)


def test_brand_colour_format():
    with pytest.raises(ValidationError, match="hexadécimal"):
        validate_brand_color("bleu")


@pytest.mark.django_db
def test_perimeter_derives_population_centre_and_departement():
    territory = TerritoryFactory()
    a = CommuneFactory(population=3000, lat=50.0, lon=2.0)
    b = CommuneFactory(population=1000, lat=51.0, lon=3.0)
    missing = territory_set_perimeter(
        territory=territory, entries=[(a.pk, "official", ""), (b.pk, "listed", "liste"), ("00000", "official", "")]
    )
    territory.refresh_from_db()
    assert missing == ["00000"]
    assert (territory.population, territory.communes_count) == (4000, 2)
    assert (territory.centre_lat, territory.centre_lon) == (50.25, 2.25)
    assert territory.departement_id == "62"
    assert territory.region_id == "32"


@pytest.mark.django_db
def test_search_ignores_accents_and_finds_by_siren():
    territory = TerritoryFactory(name="Béthune-Bruay", siren="200072460")
    TerritoryFactory(name="Ternois")
    assert list(Territory.objects.search("bethune")) == [territory]
    assert list(Territory.objects.search("200072460")) == [territory]
    assert list(Territory.objects.by_key("200072460")) == [territory]
    assert list(Territory.objects.by_key(territory.slug)) == [territory]


@pytest.mark.django_db
def test_current_excludes_historical_territories():
    old = TerritoryFactory(historical=True)
    new = TerritoryFactory()
    assert list(Territory.objects.current()) == [new]
    assert old.is_historical and not new.is_historical
