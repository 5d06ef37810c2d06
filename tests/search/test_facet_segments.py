"""Facet counts stay exact when the index has several segments: tantivy counts each segment apart and keeps only
a segment's first buckets, so a commune could be undercounted, or cut from every segment's list although it leads
over the index."""

import orjson
import pytest
from tantivy import Query

from essaim.search.index import get_index
from essaim.search.query import FACET_SIZES, facet_counts
from essaim.search.schema import commune_number, facet_key

pytestmark = pytest.mark.django_db

KEPT = 10 * FACET_SIZES["commune"]  # the buckets tantivy would keep per segment
SMALL = KEPT + 100  # communes per segment: more than it keeps


def _document(pk: int, commune: str) -> str:
    document = {
        "id": pk,
        "family": "association",
        "facet_key": facet_key("association", "oui", []),
        "commune": commune,
        "commune_n": commune_number(commune),
    }
    return orjson.dumps(document).decode()


def _segments(*segments):
    """One segment per list of (INSEE code, number of structures)."""
    handle = get_index()
    pk = 0
    for communes in segments:
        with handle.writer(threads=1) as writer:
            for commune, n in communes:
                for _ in range(n):
                    pk += 1
                    writer.add_json(_document(pk, commune))
    searcher = handle.searcher()
    assert searcher.num_segments == len(segments)
    return searcher, pk


def test_a_commune_cut_from_every_segment_is_counted_exactly():
    """In each of two segments, 700 communes with 3 structures outrank Béthune's 2, beyond the first buckets a
    segment keeps; over the index, Béthune has 4 and comes first."""
    searcher, total = _segments(
        [(f"59{k:03d}", 3) for k in range(SMALL)] + [("62119", 2)],
        [(f"80{k:03d}", 3) for k in range(SMALL)] + [("62119", 2)],
    )
    facets, count = facet_counts(searcher, Query.all_query())
    assert count == total == 2 * (SMALL * 3 + 2)
    assert facets["commune"][0] == ("62119", 4)
    assert len(facets["commune"]) == 30 and {n for _, n in facets["commune"][1:]} == {3}


def test_a_commune_cut_from_one_segment_is_counted_exactly():
    """Lens has 30 structures in the second segment and one in the first, where 700 communes with 2 cut it from
    the list: it has 31."""
    searcher, _ = _segments(
        [(f"59{k:03d}", 10) for k in range(40)] + [(f"80{k:03d}", 2) for k in range(SMALL)] + [("62498", 1)],
        [(f"59{k:03d}", 10) for k in range(40)] + [(f"76{k:03d}", 1) for k in range(SMALL)] + [("62498", 30)],
    )
    facets, _ = facet_counts(searcher, Query.all_query())
    assert facets["commune"][0] == ("62498", 31)
    assert facets["commune"][1:] == [(f"59{k:03d}", 20) for k in range(29)]
