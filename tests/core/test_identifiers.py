import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from essaim.core import identifiers


@pytest.mark.parametrize("siren", ["200072460", "200069672", "246200364"])
def test_real_epci_sirens_pass_the_luhn_check(siren):
    """The SIREN of real intercommunalities from the official geography are accepted."""
    assert identifiers.is_siren(siren)
    identifiers.validate_siren(siren)


@pytest.mark.parametrize(
    "value,code", [("20007246", "siren_format"), ("200072461", "siren_luhn"), ("2000724AB", "siren_format")]
)
def test_invalid_siren_is_refused_with_a_french_reason(value, code):
    with pytest.raises(ValidationError) as exc:
        identifiers.validate_siren(value)
    assert exc.value.code == code


def test_siret_luhn_and_la_poste_exception():
    """A SIRET is Luhn-checked, except La Poste's establishments whose digits sum to a multiple of 5."""
    assert identifiers.is_siret("73282932000074")
    assert not identifiers.is_siret("73282932000075")
    assert identifiers.is_siret("35600000000001")  # digits sum to 15
    assert not identifiers.is_siret("35600000000002")


def test_rna_and_insee_formats():
    identifiers.validate_rna("W623000123")
    identifiers.validate_insee_code("62178")
    identifiers.validate_insee_code("2A004")
    with pytest.raises(ValidationError):
        identifiers.validate_rna("W62300012")
    with pytest.raises(ValidationError):
        identifiers.validate_insee_code("6217")


def test_normalize_removes_what_people_type_inside_identifiers():
    assert identifiers.normalize("200 072 460") == "200072460"
    assert identifiers.normalize("w 623.000.123") == "W623000123"


@given(st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_exactly_one_check_digit_completes_any_siren_base(base):
    """Property: for any 8-digit base, exactly one of the ten check digits gives a valid SIREN."""
    assert sum(identifiers.is_siren(base + str(d)) for d in range(10)) == 1
