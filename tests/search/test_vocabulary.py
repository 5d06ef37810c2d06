"""Misspelt words expanded once against the index's vocabulary: the same documents, scores and facets as tantivy's
fuzzy queries, and a vocabulary that follows the index."""

import pytest

from essaim.directory import services
from essaim.search import vocabulary
from essaim.search.index import get_index
from essaim.search.query import StructureSearch, search_structures, text_query
from tests.accounts.factories import UserFactory
from tests.directory.factories import StructureFactory
from tests.territories.factories import CommuneFactory

pytestmark = pytest.mark.django_db

NAMES = [
    ("Ressourcerie du Béthunois", "Réemploi et revente d'objets"),
    ("Les Ressourceries du Pas-de-Calais", "Réseau de ressourceries"),
    ("Épicerie solidaire La Ruche", "Produits locaux, épicerie sociale"),
    ("Épicier solidaire", "Vente en vrac"),
    ("Chantier d'insertion Tremplin", "Insertion par le maraîchage"),
    ("Garage solidaire", "Réparation, garde de vélos près de la gare"),
    ("Microcrédit pour tous", "Accompagnement au microcrédit personnel"),
    ("Randonnées en Artois", "Randonnée pédestre, sorties nature"),
    ("Mutuelle des Alouettes", "Mutuelle de santé solidaire"),
]
TYPOS = ["ressourcrie", "resourcerie", "epicrie solidaire", "inserton", "garge", "microcedit", "randonee", "mutuele"]


@pytest.fixture
def corpus(reindexed):
    communes = [CommuneFactory(name="Béthune", lat=50.53, lon=2.64), CommuneFactory(name="Lens", lat=50.43, lon=2.83)]
    structures = [
        StructureFactory(name=name, description=text, commune=communes[k % 2]) for k, (name, text) in enumerate(NAMES)
    ]
    reindexed()
    return structures


def _both_ways(query, monkeypatch, **kwargs):
    assert get_index().typos.ready()
    expanded = search_structures(StructureSearch(q=query, **kwargs))
    with monkeypatch.context() as m:
        m.setattr(get_index().typos, "expand", lambda word, distance: None)  # tantivy's fuzzy queries
        fuzzy = search_structures(StructureSearch(q=query, **kwargs))
    return expanded, fuzzy


@pytest.mark.parametrize("query", TYPOS)
def test_expanded_words_find_what_fuzzy_queries_find_in_the_same_order(corpus, monkeypatch, query):
    expanded, fuzzy = _both_ways(query, monkeypatch, seed=3)
    assert expanded.count > 0
    assert (expanded.count, expanded.ids, expanded.facets) == (fuzzy.count, fuzzy.ids, fuzzy.facets)


def test_a_misspelt_word_stands_for_the_terms_within_its_edits(corpus):
    typos = get_index().typos
    assert typos.ready()
    assert sorted(typos.expand("ressourcrie", 2)) == ["ressourcerie", "ressourceries"]
    assert typos.expand("inserton", 1) == ["insertion"]
    assert sorted(typos.expand("garge", 1)) == ["garage", "garde", "gare"]
    assert typos.expand("zzzzzz", 1) == []


def test_the_query_of_an_expanded_word_has_no_fuzzy_clause_left(corpus):
    handle = get_index()
    assert handle.typos.ready()
    searcher = handle.searcher()
    assert "Fuzzy" in repr(text_query("inserton", searcher).required)
    assert "Fuzzy" not in repr(text_query("inserton", searcher, handle.typos).required)


def test_a_word_standing_for_too_many_terms_keeps_the_fuzzy_query(corpus, monkeypatch):
    monkeypatch.setattr(vocabulary, "MAX_TERMS", 2)
    assert get_index().typos.ready()
    assert get_index().typos.expand("garge", 1) is None
    expanded, fuzzy = _both_ways("garge", monkeypatch)
    assert (expanded.count, expanded.ids) == (fuzzy.count, fuzzy.ids) == (1, [corpus[5].pk])


def test_the_vocabulary_follows_the_index(corpus, django_capture_on_commit_callbacks):
    """A word indexed a moment ago is found with a typo as soon as the index shows it: until the vocabulary has
    caught up, the fuzzy query is used; then the new vocabulary."""
    typos = get_index().typos
    assert typos.ready() and typos.expand("boulangrie", 2) == []
    structure = StructureFactory(name="Boulangerie coopérative des Alouettes", pending=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.structure_publish(structure=structure, by=UserFactory(network_admin=True))
    assert search_structures(StructureSearch(q="boulangrie")).ids == [structure.pk]
    assert typos.ready() and typos.expand("boulangrie", 2) == ["boulangerie"]
    assert search_structures(StructureSearch(q="boulangrie")).ids == [structure.pk]
