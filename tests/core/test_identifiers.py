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


@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        ("0", True),
        ("18", True),
        ("59", True),  # 5 doubled is 10, which counts 1
        ("91", True),  # 9 doubled is 18, which counts 9
        ("50", False),
        ("79927398713", True),
        ("79927398710", False),
        ("200072460", True),
        ("200072461", False),
    ],
)
def test_the_luhn_check(digits, valid):
    assert identifiers.luhn_valid(digits) is valid


@pytest.mark.parametrize(
    ("body", "completed"), [("5", "59"), ("20007246", "200072460"), ("7328293200007", "73282932000074")]
)
def test_luhn_complete_appends_the_one_check_digit(body, completed):
    """The demo and the factories make fictitious identifiers with it: they must pass the real check."""
    assert identifiers.luhn_complete(body) == completed


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("200072460", True),
        ("200072461", False),
        ("20007246", False),
        ("", False),  # Luhn-valid (no digit sums to 0) but not 9 digits
        ("73282932000074", False),  # a Luhn-valid SIRET is not a SIREN
    ],
)
def test_is_siren(value, expected):
    assert identifiers.is_siren(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("73282932000074", True),
        ("73282932000075", False),
        ("7328293200007", False),  # 13 digits
        ("7328293200007A", False),
        ("35600000000001", True),  # La Poste: digits sum to 15, though not Luhn-valid
        ("35600000000014", False),  # La Poste: Luhn-valid, but digits sum to 19
        ("35600000000002", False),  # La Poste: digits sum to 16
    ],
)
def test_is_siret_with_la_poste_exception(value, expected):
    assert identifiers.is_siret(value) is expected


@pytest.mark.parametrize(
    ("validate", "value", "message", "code"),
    [
        (identifiers.validate_siren, None, "Un SIREN compte exactement 9 chiffres.", "siren_format"),
        (identifiers.validate_siren, "2000724600", "Un SIREN compte exactement 9 chiffres.", "siren_format"),
        (
            identifiers.validate_siren,
            "200072461",
            "Ce SIREN n'est pas valide (clé de contrôle erronée).",
            "siren_luhn",
        ),
        (identifiers.validate_siret, None, "Un SIRET compte exactement 14 chiffres.", "siret_format"),
        (identifiers.validate_siret, "7328293200007", "Un SIRET compte exactement 14 chiffres.", "siret_format"),
        (
            identifiers.validate_siret,
            "73282932000075",
            "Ce SIRET n'est pas valide (clé de contrôle erronée).",
            "siret_luhn",
        ),
        (
            identifiers.validate_siret,
            "35600000000014",
            "Ce SIRET n'est pas valide (clé de contrôle erronée).",
            "siret_luhn",
        ),
        (identifiers.validate_rna, None, "Un numéro RNA s'écrit W suivi de 9 chiffres.", "rna_format"),
        (identifiers.validate_rna, "623000123", "Un numéro RNA s'écrit W suivi de 9 chiffres.", "rna_format"),
        (
            identifiers.validate_insee_code,
            None,
            "Un code INSEE de commune compte 5 caractères (2A/2B en Corse).",
            "insee_format",
        ),
        (
            identifiers.validate_insee_code,
            "2C004",
            "Un code INSEE de commune compte 5 caractères (2A/2B en Corse).",
            "insee_format",
        ),
    ],
)
def test_each_refusal_has_its_french_message_and_code(validate, value, message, code):
    """Forms show the message; the API and the imports key on the code."""
    with pytest.raises(ValidationError) as exc:
        validate(value)
    assert (exc.value.messages, exc.value.code) == ([message], code)


@pytest.mark.parametrize(
    ("validate", "value"),
    [
        (identifiers.validate_siret, "73282932000074"),
        (identifiers.validate_siret, "35600000000001"),  # La Poste's exception
        (identifiers.validate_rna, "W623000123"),
        (identifiers.validate_insee_code, "2B033"),
    ],
)
def test_valid_identifiers_pass(validate, value):
    assert validate(value) is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("200\u00a0072\u202f460", "200072460"),  # no-break spaces from a copied document
        ("732-829-320 00074", "73282932000074"),
        ("w623.000.123", "W623000123"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalize_handles_every_separator_and_an_empty_field(typed, expected):
    assert identifiers.normalize(typed) == expected
