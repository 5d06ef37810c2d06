"""Facet counts stay exact when the index has several segments: tantivy counts each segment apart and keeps only
a segment's first buckets, so a commune can be cut from every segment's list although it leads over the index."""

import orjson
import pytest
from tantivy import Query

from essaim.search.index import get_index
from essaim.search.query import facet_counts
from essaim.search.schema import commune_number

pytestmark = pytest.mark.django_db

COMMUNES = 400  # per segment: more than the buckets tantivy keeps per segment (10 × the size asked for)


def _document(pk: int, commune: str) -> str:
    document = {"id": pk, "family": "association", "commune": commune, "commune_n": commune_number(commune)}
    return orjson.dumps(document).decode()


def test_a_commune_cut_from_every_segment_is_counted_exactly():
    """In each of two segments, 400 communes with 3 structures outrank Béthune's 2, beyond the first buckets a
    segment keeps; over the index, Béthune has 4 and comes first."""
    handle = get_index()
    pk = 0
    for departement in ("59", "80"):
        with handle.writer(threads=1) as writer:
            for k in range(COMMUNES):
                for _ in range(3):
                    pk += 1
                    writer.add_json(_document(pk, f"{departement}{k:03d}"))
            for _ in range(2):
                pk += 1
                writer.add_json(_document(pk, "62119"))
    searcher = handle.searcher()
    assert searcher.num_segments == 2
    facets, count = facet_counts(searcher, Query.all_query())
    assert count == 2 * (COMMUNES * 3 + 2)
    assert facets["commune"][0] == ("62119", 4)
    assert len(facets["commune"]) == 30 and {n for _, n in facets["commune"][1:]} == {3}
