"""The directory's figures equal the directory search's counts (its facets) for the same territory and filters."""

import pytest

from essaim.directory.enums import Family, HeadcountBand
from essaim.directory.indicators import directory_indicators
from essaim.directory.models import Sector
from essaim.search.params import FACET_NAMES
from essaim.search.query import StructureSearch, search_structures
from essaim.territories.services import territory_set_perimeter
from tests.directory.factories import SectorFactory, StructureFactory, StructureLabelFactory
from tests.search.conftest import reindexed, search_index  # noqa: F401  (the search's fresh index per test)
from tests.territories.factories import CommuneFactory, TerritoryFactory

FAMILIES = [Family.ASSOCIATION, Family.COOPERATIVE, Family.ASSOCIATION, Family.FONDATION, Family.COMMERCIAL]
BANDS = [HeadcountBand.NN, HeadcountBand.B01, HeadcountBand.B11, HeadcountBand.B00]


@pytest.fixture
def corpus(reindexed):  # noqa: F811
    """30 structures over three communes, two of them in the territory, with families, labels and sectors."""
    communes = [CommuneFactory(lat=50.5 + k / 10, lon=2.6) for k in range(3)]
    territory = TerritoryFactory(id=7)
    territory_set_perimeter(territory=territory, entries=[(c.insee_code, "official", "") for c in communes[:2]])
    culture = SectorFactory(id=61, slug="culture-obs", name="Culture")
    insertion = Sector.objects.get(slug="insertion")
    for k in range(30):
        structure = StructureFactory(
            family=FAMILIES[k % len(FAMILIES)], headcount_band=BANDS[k % len(BANDS)], commune=communes[k % 3]
        )
        if k % 4 == 0:
            StructureLabelFactory(structure=structure, label="ACI")
        if k % 6 == 0:
            StructureLabelFactory(structure=structure, label="ESUS")
        structure.sectors.add(*([culture] if k % 2 else [culture, insertion]))
    StructureFactory(commune=communes[0], status="draft")
    reindexed()
    FACET_NAMES.clear()
    return territory


def _figures(territory, **filters):
    (year,) = directory_indicators(territory=territory, year=2026, **filters)
    return year


def _nonzero(rows):
    return {row["key"]: row["value"] for row in rows if row["value"]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "filters",
    [{}, {"family": "association"}, {"sector": "insertion"}, {"family": "fondation", "sector": "culture-obs"}],
)
def test_the_directory_figures_equal_the_search_counts(corpus, filters):
    search = StructureSearch(
        territory=[str(corpus.pk)],
        family=[filters["family"]] if "family" in filters else [],
        sector=[filters["sector"]] if "sector" in filters else [],
        limit=1,
    )
    result = search_structures(search)
    figures = _figures(corpus, **filters)
    assert result.count > 0
    assert figures["values"]["establishments"] == result.count
    assert _nonzero(figures["tables"]["by_family"]) == dict(result.facets["family"])
    assert _nonzero(figures["tables"]["by_label"]) == dict(result.facets["label"])
    assert _nonzero(figures["tables"]["by_sector"]) == dict(result.facets["sector"])
    assert _nonzero(figures["tables"]["by_commune"]) == dict(result.facets["commune"])


@pytest.mark.django_db
def test_counted_by_hand(corpus):
    figures = _figures(corpus)
    assert figures["values"]["establishments"] == 20  # the 30 structures of the first two communes out of three
    bands = {row["key"]: row["value"] for row in figures["tables"]["jobs_by_band"]}
    # k of 0..29 whose commune (k % 3) is 0 or 1, by band k % 4: NN 0 4 12 16 24 28; 01 1 9 13 21 25; 11 6 10 18 22
    assert (bands["NN"], bands["01"], bands["11"], bands["00"]) == (6, 5, 4, 5)
    assert figures["values"]["jobs_estimated"] == 65.5  # 5 × 1.5 + 4 × 14.5
    assert figures["values"]["employers"] == 9  # the bands 01 and 11


@pytest.mark.django_db
def test_a_territory_without_structures_has_no_year():
    assert directory_indicators(territory=TerritoryFactory()) == []
