from hypothesis import given
from hypothesis import strategies as st

from essaim.search.query import cluster_level
from essaim.search.schema import (
    CELL_FIELDS,
    CELL_LEVELS,
    COVER_LEVELS,
    cell_of,
    cells_of,
    commune_code,
    commune_number,
    sectors_mask,
    sub_level,
)


@given(st.floats(min_value=-89.9, max_value=89.9), st.floats(min_value=-180, max_value=180))
def test_cells_derived_by_shifting_equal_the_cells_projected_at_each_level(lat, lon):
    """Property: one projection at the finest level gives, by shifting, exactly the cell of every coarser level."""
    assert cells_of(lat, lon) == [(name, cell_of(lat, lon, level)) for level, name in CELL_FIELDS]


def test_cells_at_the_edges_of_the_map():
    for lat, lon in [(85.1, 180.0), (-85.1, -180.0), (0.0, 0.0), (50.53, 2.64)]:
        assert cells_of(lat, lon) == [(name, cell_of(lat, lon, level)) for level, name in CELL_FIELDS]


def test_every_cluster_level_is_counted_through_a_finer_fast_level():
    assert {level for level, _ in CELL_FIELDS} == {*CELL_LEVELS, *COVER_LEVELS}
    for zoom in range(16):
        level = cluster_level(zoom)
        assert level % 2 == 1 and zoom + 1 <= level <= zoom + 2 or level == 3
        assert sub_level(level) == level + 1 and sub_level(level) in CELL_LEVELS


@given(st.sampled_from(["01", "2A", "2B", "59", "62", "75", "95", "97"]), st.integers(min_value=0, max_value=999))
def test_commune_codes_become_numbers_and_back(prefix, rest):
    """Facets count communes on a number: every INSEE code, Corsica's 2A/2B and overseas 97x included, comes back."""
    code = f"{prefix}{rest:03d}"
    assert commune_code(commune_number(code)) == code


def test_sector_masks_have_a_bit_per_sector_id():
    assert sectors_mask([1, 3]) == 0b1010
    assert sectors_mask([63, 200]) == 0  # beyond the bits: counted on the sector column instead
