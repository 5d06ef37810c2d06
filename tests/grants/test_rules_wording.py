"""How the rule engine writes numbers for people (French typography: narrow no-break space between thousands,
decimal comma, no-break space before "€" and "%") and for the API, and the full sentence that explains an
amount in the simulator and the decision letter."""

from decimal import Decimal

import pytest

from essaim.grants import rules
from essaim.grants.rules import RuleParameters, compute

RULE_2014 = RuleParameters(
    amount_per_fte=Decimal("2000.00"),
    fte_cap=Decimal("4.00"),
    investment_rate=Decimal("0.2000"),
    investment_base_cap=Decimal("15000.00"),
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", "0,00\u00a0€"),
        ("8000", "8\u202f000,00\u00a0€"),
        ("2000.5", "2\u202f000,50\u00a0€"),
        ("999.99", "999,99\u00a0€"),
        ("1234567.89", "1\u202f234\u202f567,89\u00a0€"),
    ],
)
def test_amounts_are_written_with_cents_and_the_euro_sign(value, expected):
    assert rules.fr_amount(Decimal(value)) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1234", "1\u202f234"),
        ("1234.00", "1\u202f234"),  # a whole number shows no decimals
        ("1234.5", "1\u202f234,50"),  # otherwise two
        ("999.99", "999,99"),
        ("9999999999.99", "9\u202f999\u202f999\u202f999,99"),
    ],
)
def test_a_number_shows_decimals_only_when_it_has_some(value, expected):
    assert rules.fr_number(Decimal(value)) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", "0"),
        ("0.00", "0"),
        ("0.25", "0,25"),
        ("1.50", "1,5"),
        ("4.00", "4"),
        ("12", "12"),
        ("400", "400"),
        ("1234.5", "1\u202f234,5"),
    ],
)
def test_fte_are_written_with_the_decimals_they_need(value, expected):
    assert rules.fr_fte(Decimal(value)) == expected


@pytest.mark.parametrize(("rate", "expected"), [("0.2000", "20\u00a0%"), ("1", "100\u00a0%"), ("0.0000", "0\u00a0%")])
def test_rates_are_written_as_percentages(rate, expected):
    assert rules.fr_percent(Decimal(rate)) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("8000", "8000.00"), ("2469.1", "2469.10"), ("0.124", "0.12"), ("0.125", "0.13"), ("0.135", "0.14")],
)
def test_api_amounts_have_two_decimals_rounded_half_up(value, expected):
    assert rules.two_decimals(Decimal(value)) == expected


@pytest.mark.parametrize(
    ("fte", "investment", "explanation"),
    [
        (
            "2.5",
            "12345.67",
            "Emplois : 2\u202f000,00\u00a0€ × 2,5 ETP = 5\u202f000,00\u00a0€ ; "
            "investissement : 20\u00a0% × 12\u202f345,67\u00a0€ HT = 2\u202f469,13\u00a0€ ; "
            "total : 7\u202f469,13\u00a0€.",
        ),
        (  # exactly at both caps: nothing is capped
            "4",
            "15000",
            "Emplois : 2\u202f000,00\u00a0€ × 4 ETP = 8\u202f000,00\u00a0€ ; "
            "investissement : 20\u00a0% × 15\u202f000,00\u00a0€ HT = 3\u202f000,00\u00a0€ ; "
            "total : 11\u202f000,00\u00a0€.",
        ),
        (
            "5.5",
            "20000",
            "Emplois : 2\u202f000,00\u00a0€ × 4 ETP (plafond de 4 ETP appliqué aux 5,5 ETP déclarés) "
            "= 8\u202f000,00\u00a0€ ; "
            "investissement : 20\u00a0% × 15\u202f000,00\u00a0€ HT "
            "(assiette plafonnée à 15\u202f000,00\u00a0€ sur 20\u202f000,00\u00a0€ HT déclarés) "
            "= 3\u202f000,00\u00a0€ ; "
            "total : 11\u202f000,00\u00a0€.",
        ),
        (
            "0",
            "0",
            "Emplois : 2\u202f000,00\u00a0€ × 0 ETP = 0,00\u00a0€ ; "
            "investissement : 20\u00a0% × 0,00\u00a0€ HT = 0,00\u00a0€ ; total : 0,00\u00a0€.",
        ),
    ],
)
def test_the_explanation_is_one_french_sentence_with_each_part_the_caps_and_the_total(fte, investment, explanation):
    result = compute(RULE_2014, fte_created=Decimal(fte), investment=Decimal(investment))
    assert result.explanation == explanation
