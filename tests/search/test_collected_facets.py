"""Facets counted on the hits of a search that collected every match are the same as tantivy's aggregations: a
search with few matches runs its query once (essaim.search.query.COLLECT_ALL)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from essaim.directory.enums import Family, Label
from essaim.directory.models import Sector
from essaim.search import query as search_query
from essaim.search.params import EMPLOYER_LABELS, FACET_NAMES
from essaim.search.query import FacetPlan, StructureSearch, search_structures
from essaim.search.schema import EMPLOYER_CODES, FAMILY_CODES, LABEL_CODES, facet_key, facet_key_values
from essaim.territories.services import territory_set_perimeter
from tests.directory.factories import SectorFactory, StructureFactory, StructureLabelFactory
from tests.territories.factories import CommuneFactory, TerritoryFactory


def test_the_packed_values_are_those_of_the_enums():
    """The order of the packed values is part of the index: a new family or label must be added there too."""
    assert FAMILY_CODES == tuple(Family.values)
    assert LABEL_CODES == tuple(Label.values)
    assert EMPLOYER_CODES == tuple(EMPLOYER_LABELS)


@given(st.sampled_from(FAMILY_CODES), st.sampled_from(EMPLOYER_CODES), st.sets(st.sampled_from(LABEL_CODES)))
def test_a_facet_key_gives_back_what_it_packs(family, employer, labels):
    expected = (family, employer, [code for code in LABEL_CODES if code in labels])
    assert facet_key_values(facet_key(family, employer, labels)) == expected


def test_values_outside_the_lists_are_not_counted():
    assert facet_key_values(facet_key("inconnue", "peut-être", ["XYZ"])) == (None, None, [])


FAMILIES = ["association", "cooperative", "mutuelle", "association", "fondation"]
EMPLOYERS = [True, False, None]


@pytest.fixture
def corpus(reindexed):
    """36 structures over three communes, two territories (one commune in both), several families, labels,
    sectors and employer values."""
    communes = [CommuneFactory(lat=50.5 + k / 10, lon=2.6) for k in range(3)]
    # Ids below 63 (each has a bit in the masks), whatever the database's sequences reached in earlier tests.
    west, east = TerritoryFactory(id=5), TerritoryFactory(id=6)
    territory_set_perimeter(territory=west, entries=[(c.insee_code, "official", "") for c in communes[:2]])
    territory_set_perimeter(territory=east, entries=[(c.insee_code, "official", "") for c in communes[1:]])
    culture = SectorFactory(id=60, slug="culture-test", name="Culture")
    insertion = Sector.objects.get(slug="insertion")
    for k in range(36):
        structure = StructureFactory(
            name=f"Ressourcerie {k}",
            description="Épicerie solidaire" if k % 3 else "Atelier vélo",
            family=FAMILIES[k % len(FAMILIES)],
            is_employer=EMPLOYERS[k % len(EMPLOYERS)],
            commune=communes[k % len(communes)],
        )
        if k % 4 == 0:
            StructureLabelFactory(structure=structure, label="ACI")
        if k % 6 == 0:
            StructureLabelFactory(structure=structure, label="ESUS")
        structure.sectors.add(*([culture] if k % 2 else [culture, insertion]))
    reindexed()
    FACET_NAMES.clear()
    return {"west": west, "east": east, "communes": communes}


SEARCHES = [
    {"q": "ressourcerie"},
    {"q": "ressourcerie solidaire"},
    {"q": "ressourcrie", "family": ["association"]},
    {"q": "velo", "label": ["ACI"]},
    {"q": "ressourcerie", "sort": "name"},
    {"q": "solidaire", "sort": "updated", "offset": 20},
    {"q": "introuvable"},
]


def _run(kwargs):
    result = search_structures(StructureSearch(seed=5, **kwargs))
    return result.count, result.ids, result.facets


@pytest.mark.django_db
@pytest.mark.parametrize("kwargs", SEARCHES)
def test_facets_counted_on_the_hits_equal_the_aggregations(corpus, monkeypatch, kwargs):
    collected = _run(kwargs)
    monkeypatch.setattr(search_query, "COLLECT_ALL", 0)
    assert _run(kwargs) == collected


@pytest.mark.django_db
def test_a_search_with_few_matches_runs_its_query_once(corpus, monkeypatch):
    def no_aggregation(*args, **kwargs):
        raise AssertionError("the facets of a small match set are counted on its hits")

    monkeypatch.setattr(search_query, "facet_counts", no_aggregation)
    count, _, facets = _run({"q": "ressourcerie"})
    assert count == 36
    assert dict(facets["family"]) == {"association": 15, "cooperative": 7, "mutuelle": 7, "fondation": 7}
    assert dict(facets["employer"]) == {"oui": 12, "non": 12, "inconnu": 12}
    assert dict(facets["label"]) == {"ACI": 9, "ESUS": 6}
    assert dict(facets["sector"]) == {"culture-test": 36, "insertion": 18}
    west, east = str(corpus["west"].pk), str(corpus["east"].pk)
    assert dict(facets["territory"]) == {west: 24, east: 24}
    assert sorted(n for _, n in facets["commune"]) == [12, 12, 12]


@pytest.mark.django_db
def test_more_matches_than_collected_are_counted_by_the_aggregations(corpus, monkeypatch):
    monkeypatch.setattr(search_query, "COLLECT_ALL", 10)
    count, ids, facets = _run({"q": "ressourcerie"})
    assert count == 36 and len(ids) == 20
    assert dict(facets["family"])["association"] == 15 and dict(facets["label"]) == {"ACI": 9, "ESUS": 6}


@pytest.mark.django_db
def test_territories_without_a_bit_are_counted_on_their_column(corpus):
    """A territory id beyond the masks' bits: every search counts territories on the territory column."""
    beyond = TerritoryFactory(id=80)
    territory_set_perimeter(territory=beyond, entries=[(corpus["communes"][0].insee_code, "official", "")])
    from essaim.search.indexer import reindex

    reindex()
    FACET_NAMES.clear()
    assert not FacetPlan.current().masks_only
    facets = _run({"q": "ressourcerie"})[2]
    west, east = str(corpus["west"].pk), str(corpus["east"].pk)
    assert dict(facets["territory"]) == {west: 24, east: 24, "80": 12}
    assert dict(facets["family"])["association"] == 15
