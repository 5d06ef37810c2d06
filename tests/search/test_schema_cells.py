from hypothesis import given
from hypothesis import strategies as st

from essaim.search.schema import CELL_LEVELS, cell_field, cell_of, cells_of


@given(st.floats(min_value=-89.9, max_value=89.9), st.floats(min_value=-180, max_value=180))
def test_cells_derived_by_shifting_equal_the_cells_projected_at_each_level(lat, lon):
    """Property: one projection at the finest level gives, by shifting, exactly the cell of every coarser level."""
    assert cells_of(lat, lon) == [(cell_field(level), cell_of(lat, lon, level)) for level in CELL_LEVELS]


def test_cells_at_the_edges_of_the_map():
    for lat, lon in [(85.1, 180.0), (-85.1, -180.0), (0.0, 0.0), (50.53, 2.64)]:
        assert cells_of(lat, lon) == [(cell_field(level), cell_of(lat, lon, level)) for level in CELL_LEVELS]
