from hypothesis import given, settings
from hypothesis import strategies as st

from essaim.search.query import cluster_level, radius_cells, radius_cover
from essaim.search.schema import (
    CELL_FIELDS,
    CELL_LEVELS,
    COVER_FIELD,
    COVER_LEVELS,
    RADIUS_LEVEL,
    cell_id,
    cell_of,
    cells_of,
    commune_code,
    commune_number,
    cover_key,
    id_mask,
    sub_level,
)


def _projected(lat, lon):
    cells = {name: cell_of(lat, lon, level) for level, name in CELL_FIELDS}
    return cells | {COVER_FIELD: [cover_key(level, cell_of(lat, lon, level)) for level in COVER_LEVELS]}


@given(st.floats(min_value=-89.9, max_value=89.9), st.floats(min_value=-180, max_value=180))
def test_cells_derived_by_shifting_equal_the_cells_projected_at_each_level(lat, lon):
    """Property: one projection at the finest level gives, by shifting, exactly the cell of every coarser level."""
    assert cells_of(lat, lon) == _projected(lat, lon)


def test_cells_at_the_edges_of_the_map():
    for lat, lon in [(85.1, 180.0), (-85.1, -180.0), (0.0, 0.0), (50.53, 2.64)]:
        assert cells_of(lat, lon) == _projected(lat, lon)


@given(st.sampled_from(COVER_LEVELS), st.integers(min_value=0), st.integers(min_value=0))
def test_cover_keys_of_different_levels_never_collide(level, x, y):
    """Property: a key says its level (its leading bit) and its cell, so one field holds every level."""
    x, y = x % (1 << level), y % (1 << level)
    key = cover_key(level, cell_id(x, y, level))
    assert key.bit_length() == 2 * level + 1 and key ^ (1 << 2 * level) == cell_id(x, y, level)


def test_every_cluster_level_is_counted_through_a_finer_fast_level():
    assert [level for level, _ in CELL_FIELDS] == list(CELL_LEVELS)
    for zoom in range(16):
        level = cluster_level(zoom)
        assert level % 2 == 1
        assert (zoom + 1 <= level <= zoom + 2) if zoom else level == 3  # no level coarser than 3
        assert sub_level(level) == level + 1 and sub_level(level) in CELL_LEVELS


@given(st.sampled_from(["01", "2A", "2B", "59", "62", "75", "95", "97"]), st.integers(min_value=0, max_value=999))
def test_commune_codes_become_numbers_and_back(prefix, rest):
    """Facets count communes on a number: every INSEE code, Corsica's 2A/2B and overseas 97x included, comes back."""
    code = f"{prefix}{rest:03d}"
    assert commune_code(commune_number(code)) == code


def test_sector_masks_have_a_bit_per_sector_id():
    assert id_mask([1, 3]) == 0b1010
    assert id_mask([63, 200]) == 0  # beyond the bits: counted on the sector column instead


def _cells_at_radius_level(cover):
    """The cells of RADIUS_LEVEL that a cover of cells of several levels holds."""
    out = []
    for level, cells in cover:
        shift = RADIUS_LEVEL - level
        for cell in cells:
            x, y = cell >> level, cell & ((1 << level) - 1)
            out += [
                cell_id((x << shift) + dx, (y << shift) + dy, RADIUS_LEVEL)
                for dx in range(1 << shift)
                for dy in range(1 << shift)
            ]
    return out


@settings(max_examples=100, deadline=None)
@given(
    st.floats(min_value=-70, max_value=75),
    st.floats(min_value=-179, max_value=179),
    st.floats(min_value=0.2, max_value=200),
)
def test_a_radius_cover_holds_exactly_the_cells_of_the_circle(lat, lon, radius_km):
    """Property: coarser cells only replace whole blocks of the circle's cells; nothing added, nothing twice."""
    cover = radius_cover(lat, lon, radius_km)
    held = _cells_at_radius_level(cover)
    assert sorted(held) == sorted(radius_cells(lat, lon, radius_km))
    assert len(held) == len(set(held))
    assert all(level in COVER_LEVELS for level, _ in cover)


def test_circles_are_covered_with_coarser_cells():
    small = radius_cover(50.53, 2.64, 2)
    assert [level for level, _ in small] == [RADIUS_LEVEL]
    mix = radius_cover(50.53, 2.64, 20)
    assert {level for level, _ in mix} == {RADIUS_LEVEL, 13, 11}
    assert sum(len(cells) for _, cells in mix) * 4 < len(radius_cells(50.53, 2.64, 20))
    wide = radius_cover(50.53, 2.64, 50)
    assert {level for level, _ in wide} >= {RADIUS_LEVEL, 13, 11}
    assert sum(len(cells) for _, cells in wide) * 8 < len(radius_cells(50.53, 2.64, 50))
