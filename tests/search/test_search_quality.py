"""What people notice about search: typos, plurals, accents, whole words, the name first, fair rotation of ties,
exact facet counts, geography and sorting — through essaim.search, the engine behind the pages and the API."""

import pytest

from essaim.directory.models import Sector
from essaim.search.query import StructureSearch, cluster_structures, fuzzy_distance, radius_cells, search_structures
from tests.directory.factories import StructureFactory, StructureLabelFactory
from tests.territories.factories import CommuneFactory

pytestmark = pytest.mark.django_db


def ids(**kwargs):
    return search_structures(StructureSearch(**kwargs)).ids


@pytest.fixture
def corpus(reindexed):
    near = CommuneFactory(name="Béthune", lat=50.53, lon=2.64)
    far = CommuneFactory(name="Lille", lat=50.63, lon=3.06)
    s = {
        "ressourcerie": StructureFactory(
            name="Ressourcerie du Béthunois", commune=near, description="Réemploi d'objets"
        ),
        "epicerie": StructureFactory(name="Épicerie solidaire La Ruche", commune=near, description="Produits locaux"),
        "insertion": StructureFactory(name="Tremplin", commune=far, description="Chantier d'insertion en maraîchage"),
        "jardins": StructureFactory(name="Jardin partagé des Alouettes", commune=near, description="Potager"),
        "cafe": StructureFactory(name="Café citoyen", commune=far, description="Rencontres"),
        "dev": StructureFactory(name="Agence de développement local", commune=far, description="Conseil"),
        "velo_desc": StructureFactory(name="Atelier mobilité", commune=near, description="Réparation de vélo"),
        "coop": StructureFactory(name="Bâtir ensemble", commune=far, family="cooperative", description="Maçonnerie"),
    }
    StructureLabelFactory(structure=s["insertion"], label="ACI")
    s["insertion"].sectors.add(Sector.objects.get(slug="insertion"))
    StructureFactory(name="Ressourcerie cachée", commune=near, pending=True)  # never searchable
    reindexed()
    return s


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ressourcrie", "ressourcerie"),  # a letter missing
        ("epicrie solidaire", "epicerie"),  # a typo and no accent
        ("inserton", "insertion"),  # the typo sits in the word's ending
        ("jardins partagés", "jardins"),  # plural finds the singular
        ("cafe", "cafe"),  # accents never matter
        ("CAFÉ", "cafe"),
        ("bethune", "ressourcerie"),  # the commune is searchable too
    ],
)
def test_french_queries_find_what_was_meant(corpus, query, expected):
    assert corpus[expected].pk in ids(q=query)


def test_a_word_does_not_match_inside_another(corpus):
    """'velo' finds the bike workshop, not 'développement'."""
    found = ids(q="velo")
    assert corpus["velo_desc"].pk in found
    assert corpus["dev"].pk not in found


def test_typo_tolerance_grows_with_the_word():
    assert [fuzzy_distance(w) for w in ("velo", "jardi", "ressource", "solidarite")] == [0, 1, 2, 2]


def test_unpublished_structures_are_not_searchable(corpus):
    assert search_structures(StructureSearch(q="ressourcerie")).count == 1


def test_the_name_weighs_more_than_the_description(reindexed):
    in_description = StructureFactory(name="Association Alpha", description="Une ressourcerie de quartier")
    in_name = StructureFactory(name="Ressourcerie Beta", description="Objets")
    reindexed()
    assert ids(q="ressourcerie") == [in_name.pk, in_description.pk]


def test_ties_rotate_between_people_but_stay_stable_for_one_person(reindexed):
    for n in range(30):
        StructureFactory(name=f"Club sportif {n}")
    reindexed()
    first = [ids(q="club sportif", seed=s, limit=5) for s in range(6)]
    assert len({tuple(page) for page in first}) > 1  # not always the same order for everybody
    assert ids(q="club sportif", seed=3, limit=5) == first[3]  # stable for one person
    # Paging one person's order covers every structure exactly once (also when browsing without words).
    for kwargs in ({"q": "club sportif"}, {}):
        seen = []
        for page in range(4):
            seen += ids(seed=12345, offset=page * 10, limit=10, **kwargs)
        assert len(seen) == len(set(seen)) == 30


def test_facet_counts_are_exact_over_the_whole_match_set(corpus):
    result = search_structures(StructureSearch())
    assert dict(result.facets["family"]) == {"association": 7, "cooperative": 1}
    assert dict(result.facets["label"]) == {"ACI": 1}
    assert dict(result.facets["sector"]) == {"insertion": 1}
    chosen = search_structures(StructureSearch(family=["cooperative"]))
    assert chosen.count == 1
    assert dict(chosen.facets["family"]) == {"cooperative": 1}
    assert dict(chosen.facets["commune"]) == {corpus["coop"].commune_id: 1}


def test_filters_combine(corpus):
    assert ids(label=["ACI"], q="maraichage") == [corpus["insertion"].pk]
    assert ids(family=["cooperative"], q="ressourcerie") == []


def test_radius_and_distance_sort(corpus):
    near = search_structures(StructureSearch(near=(50.53, 2.64), radius_km=5, sort="distance"))
    assert set(near.ids) == {corpus[k].pk for k in ("ressourcerie", "epicerie", "jardins", "velo_desc")}
    assert all(d < 5 for d in near.distances.values())
    wide = search_structures(StructureSearch(near=(50.53, 2.64), radius_km=50, sort="distance"))
    assert wide.count == 8
    assert [wide.distances[pk] for pk in wide.ids] == sorted(wide.distances[pk] for pk in wide.ids)


def test_radius_cells_cover_the_circle_and_nothing_far():
    cells = radius_cells(50.5, 2.6, 20)
    assert 1000 < len(cells) < 5000


def test_bbox(corpus):
    found = ids(bbox=(2.9, 50.5, 3.2, 50.7))
    assert set(found) == {corpus[k].pk for k in ("insertion", "cafe", "dev", "coop")}


def test_sort_by_name_and_by_update(corpus):
    by_name = ids(sort="name", limit=3)
    assert by_name[0] == corpus["dev"].pk  # « Agence… »
    assert len(ids(sort="updated")) == 8


def test_exact_identifiers_are_looked_up_in_the_database(corpus):
    target = corpus["coop"]
    assert ids(q=target.siret) == [target.pk]
    assert ids(q=f"{target.siren[:3]} {target.siren[3:6]} {target.siren[6:]}") == [target.pk]
    assert ids(q="W123456789") == []


def test_clusters_count_everything_in_the_box_and_return_single_points(corpus):
    data = cluster_structures(StructureSearch(bbox=(2.0, 50.0, 3.5, 51.0)), zoom=8)
    assert data["total"] == 8
    assert sum(c["count"] for c in data["clusters"]) + len(data["points"]) == 8
    close = cluster_structures(StructureSearch(bbox=(2.0, 50.0, 3.5, 51.0), family=["cooperative"]), zoom=12)
    assert close["points"] == [{"id": corpus["coop"].pk, "lat": 50.63, "lon": 3.06}]
    points = cluster_structures(StructureSearch(bbox=(2.0, 50.0, 3.5, 51.0)), zoom=17)
    assert len(points["points"]) == 8 and points["clusters"] == []


@pytest.mark.parametrize("zoom", [3, 6, 9, 12, 14, 15, 16])
def test_clusters_at_every_zoom_keep_to_the_box_and_hold_their_points(corpus, zoom):
    """Low zooms count everything and keep the map cells that touch the box, higher ones read only those cells:
    either way a structure far from the box is left out, every structure inside is counted once, and a cluster's
    centre lies in its bounds."""
    StructureFactory(name="Hors cadre", commune=CommuneFactory(name="Marseille", lat=43.3, lon=5.37))
    from essaim.search.indexer import reindex

    reindex()
    nord = (2.5, 50.4, 3.2, 50.7)
    data = cluster_structures(StructureSearch(bbox=nord), zoom=zoom)
    assert data["total"] == 8  # Béthune and Lille, never Marseille
    singles = {p["id"] for p in data["points"]}
    assert sum(c["count"] for c in data["clusters"]) + len(singles) == 8
    astray = [
        cluster
        for cluster in data["clusters"]
        if not (
            cluster["bounds"][0] <= cluster["lon"] <= cluster["bounds"][2]
            and cluster["bounds"][1] <= cluster["lat"] <= cluster["bounds"][3]
            and cluster["bounds"][1] <= 50.63
            and cluster["bounds"][3] >= 50.53
            and cluster["bounds"][2] >= 2.64
            and cluster["bounds"][0] <= 3.06
        )
    ]
    assert astray == []  # every cluster's centre in its bounds, and the bounds over the points
    assert all((p["lat"], p["lon"]) in {(50.63, 3.06), (50.53, 2.64)} for p in data["points"])


def test_sector_counts_on_the_mask_equal_the_counts_on_the_sector_column(corpus):
    """The facet counts sectors on one number per structure; the sector column must give the same figures."""
    from essaim.search.index import get_index
    from essaim.search.query import _buckets, build_query

    corpus["cafe"].sectors.add(Sector.objects.get(slug="insertion"), Sector.objects.get(slug="culture"))
    from essaim.search.indexer import reindex

    reindex()
    facets = search_structures(StructureSearch()).facets["sector"]
    searcher = get_index().searcher()
    column = searcher.aggregate(build_query(StructureSearch()), {"sector": {"terms": {"field": "sector", "size": 50}}})
    assert sorted(facets) == sorted(_buckets(column, "sector"))
    assert dict(facets)["insertion"] == 2
