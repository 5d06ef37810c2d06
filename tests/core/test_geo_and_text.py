import pytest
from hypothesis import given
from hypothesis import strategies as st

from essaim.core.geo import bbox_around, bounds, haversine_km, weighted_centre
from essaim.core.text import fold, obfuscate_email


def test_haversine_bethune_to_bruay_is_about_eight_km():
    """Béthune (50.5303, 2.6408) to Bruay-la-Buissière (50.4829, 2.5481): about 8 km as the crow flies."""
    assert haversine_km(50.5303, 2.6408, 50.4829, 2.5481) == pytest.approx(8.3, abs=0.3)


@given(
    st.floats(min_value=-60, max_value=60),
    st.floats(min_value=-170, max_value=170),
    st.floats(min_value=0.1, max_value=200),
    st.floats(min_value=0, max_value=6.28),
    st.floats(min_value=0, max_value=1),
)
def test_every_point_of_the_circle_is_inside_its_bbox(lat, lon, radius, angle, fraction):
    """Property: the bounding box is a safe pre-filter for a radius search (no point within the radius lost)."""
    import math

    min_lon, min_lat, max_lon, max_lat = bbox_around(lat, lon, radius)
    d = radius * fraction * 0.999
    plat = lat + math.degrees(d / 6371.0088) * math.cos(angle)
    plon = lon + math.degrees(d / (6371.0088 * math.cos(math.radians(plat)))) * math.sin(angle)
    if haversine_km(lat, lon, plat, plon) <= radius:
        assert min_lat <= plat <= max_lat
        assert min_lon <= plon <= max_lon


def test_weighted_centre_leans_towards_population():
    assert weighted_centre([(50.0, 2.0, 3), (51.0, 3.0, 1)]) == (50.25, 2.25)
    assert weighted_centre([(50.0, 2.0, 0), (52.0, 4.0, 0)]) == (51.0, 3.0)
    assert weighted_centre([]) is None


def test_bounds():
    assert bounds([(50.0, 2.0), (51.0, 3.0)]) == (2.0, 50.0, 3.0, 51.0)
    assert bounds([]) is None


def test_fold_removes_accents_ligatures_and_case():
    assert fold("Nœux-les-Mines") == "noeux-les-mines"
    assert fold("  Béthune   Bruay ") == "bethune bruay"


def test_obfuscate_email_as_public_directories_do():
    assert obfuscate_email("valerie.morel@artoiscomm.fr") == "valerie.morel [at] artoiscomm [point] fr"
    assert obfuscate_email("") == ""
