"""The rule of fiche 10 on its edges: caps, fractions of FTE, rounding half up at the end of each part, Decimal
only, negatives refused — examples first, then properties (hypothesis)."""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from essaim.grants import rules
from essaim.grants.rules import FTE_CAP, INVESTMENT_BASE_CAP, RuleInputError, RuleParameters, compute

RULE_2014 = RuleParameters(
    amount_per_fte=Decimal("2000.00"),
    fte_cap=Decimal("4.00"),
    investment_rate=Decimal("0.2000"),
    investment_base_cap=Decimal("15000.00"),
)


def amount(fte, investment, rule=RULE_2014):
    return compute(rule, fte_created=Decimal(fte), investment=Decimal(investment))


@pytest.mark.parametrize(
    ("fte", "investment", "fte_part", "investment_part", "total", "caps"),
    [
        ("0", "0", "0.00", "0.00", "0.00", []),
        ("1", "0", "2000.00", "0.00", "2000.00", []),
        ("0.5", "0", "1000.00", "0.00", "1000.00", []),  # half an FTE counts
        ("0.01", "0", "20.00", "0.00", "20.00", []),  # hundredths
        ("3.99", "0", "7980.00", "0.00", "7980.00", []),
        ("4", "15000", "8000.00", "3000.00", "11000.00", []),  # exactly at both caps: no cap applied
        ("4.01", "0", "8000.00", "0.00", "8000.00", [FTE_CAP]),
        ("12", "0", "8000.00", "0.00", "8000.00", [FTE_CAP]),
        ("0", "15000.01", "0.00", "3000.00", "3000.00", [INVESTMENT_BASE_CAP]),
        ("0", "100000", "0.00", "3000.00", "3000.00", [INVESTMENT_BASE_CAP]),
        ("5", "20000", "8000.00", "3000.00", "11000.00", [FTE_CAP, INVESTMENT_BASE_CAP]),
        ("2.5", "12345.67", "5000.00", "2469.13", "7469.13", []),  # 2469.134 → 2469.13
        ("0", "0.03", "0.00", "0.01", "0.01", []),  # 0.006 → 0.01 (half up)
        ("0", "0.02", "0.00", "0.00", "0.00", []),  # 0.004 → 0.00
        ("0", "12.345", "0.00", "2.47", "2.47", []),  # the rate applies to the typed value, rounded at the end
    ],
)
def test_the_2014_rule_on_its_edges(fte, investment, fte_part, investment_part, total, caps):
    result = amount(fte, investment)
    assert (result.fte_part, result.investment_part, result.total) == (
        Decimal(fte_part),
        Decimal(investment_part),
        Decimal(total),
    )
    assert result.caps_applied == caps
    assert all(isinstance(v, Decimal) for v in (result.fte_part, result.investment_part, result.total))


@pytest.mark.parametrize(
    ("fte", "investment", "fte_counted", "investment_counted"),
    [
        ("2.5", "12345.67", "2.5", "12345.67"),  # below the caps: everything declared counts
        ("5.5", "20000", "4.00", "15000.00"),  # above: the caps count
    ],
)
def test_the_computation_keeps_what_was_declared_and_what_counted(fte, investment, fte_counted, investment_counted):
    """The decision letter shows both the declared values and the capped ones the amount was computed on."""
    result = amount(fte, investment)
    assert (result.fte_created, result.investment) == (Decimal(fte), Decimal(investment))
    assert (result.fte_counted, result.investment_counted) == (Decimal(fte_counted), Decimal(investment_counted))


def test_rounding_is_half_up_at_the_end_of_each_part_not_on_the_total():
    """0.0025 + 0.0025 would be 0.01 if summed before rounding; each part rounds to 0.00 half up… and 0.005 to 0.01."""
    rule = RuleParameters(Decimal("0.01"), Decimal("4"), Decimal("0.0001"), Decimal("100"))
    result = compute(rule, fte_created=Decimal("0.25"), investment=Decimal("25"))
    assert (result.fte_part, result.investment_part, result.total) == (Decimal("0.00"), Decimal("0.00"), Decimal("0"))
    result = compute(rule, fte_created=Decimal("0.50"), investment=Decimal("50"))
    assert (result.fte_part, result.investment_part, result.total) == (
        Decimal("0.01"),
        Decimal("0.01"),
        Decimal("0.02"),
    )


def test_the_explanation_says_each_part_and_the_caps_in_french():
    result = amount("5.5", "20000")
    assert "plafond de 4 ETP" in result.explanation
    assert "5,5 ETP déclarés" in result.explanation
    assert "assiette plafonnée à 15\u202f000,00\u00a0€" in result.explanation
    assert result.explanation.endswith("total : 11\u202f000,00\u00a0€.")


def test_negative_values_and_floats_are_refused_by_the_engine():
    with pytest.raises(RuleInputError):
        compute(RULE_2014, fte_created=Decimal("-1"), investment=Decimal("0"))
    with pytest.raises(TypeError):
        compute(RULE_2014, fte_created=1.5, investment=Decimal("0"))


@pytest.mark.parametrize(
    ("fte", "investment", "message"),
    [
        (1.5, Decimal("0"), "fte_created doit être un Decimal"),
        (Decimal("1.5"), 1000, "investment doit être un Decimal"),
    ],
)
def test_the_engine_names_the_value_that_is_not_a_decimal(fte, investment, message):
    with pytest.raises(TypeError) as exc:
        compute(RULE_2014, fte_created=fte, investment=investment)
    assert str(exc.value) == message


@pytest.mark.parametrize(("fte", "investment"), [("-0.01", "0"), ("0", "-0.01")])
def test_the_engine_refuses_a_negative_value_with_a_french_message(fte, investment):
    with pytest.raises(RuleInputError) as exc:
        amount(fte, investment)
    assert str(exc.value) == "Une valeur négative n'est pas acceptée."


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("1,5", "1.50"), ("1.5", "1.50"), (" 2 ", "2.00"), ("0,25", "0.25"), (".5", "0.50"), ("3", "3.00"), (2, "2.00")],
)
def test_fte_is_read_the_french_or_the_english_way(typed, expected):
    assert rules.parse_fte(typed) == Decimal(expected)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-1", "négative"),
        ("0,125", "au centième"),
        ("abc", "n'est pas un nombre"),
        ("", "obligatoire"),
        ("1e3", "n'est pas un nombre"),
        ("NaN", "n'est pas un nombre"),
        ("1000", "maximum"),
        (True, "un nombre est attendu"),
        (Decimal("Infinity"), "fini"),
    ],
)
def test_bad_fte_is_refused_with_a_french_message(typed, message):
    with pytest.raises(RuleInputError, match=message):
        rules.parse_fte(typed)


def test_investment_accepts_spaces_euro_sign_and_comma():
    assert rules.parse_investment("12 345,67 €") == Decimal("12345.67")
    assert rules.parse_investment("15\u202f000") == Decimal("15000.00")
    with pytest.raises(RuleInputError, match="négative"):
        rules.parse_investment("-0,01")


def test_api_amounts_have_two_decimals():
    assert rules.two_decimals(Decimal("8000")) == "8000.00"
    assert rules.two_decimals(Decimal("2469.1")) == "2469.10"


# Properties ------------------------------------------------------------------------------------------------------

fte_values = st.decimals(min_value=0, max_value=Decimal("999.99"), places=2, allow_nan=False, allow_infinity=False)
investments = st.decimals(
    min_value=0, max_value=Decimal("99999999.99"), places=2, allow_nan=False, allow_infinity=False
)
rules_strategy = st.builds(
    RuleParameters,
    amount_per_fte=st.decimals(min_value=0, max_value=Decimal("10000"), places=2, allow_nan=False),
    fte_cap=st.decimals(min_value=0, max_value=Decimal("20"), places=2, allow_nan=False),
    investment_rate=st.decimals(min_value=0, max_value=1, places=4, allow_nan=False),
    investment_base_cap=st.decimals(min_value=0, max_value=Decimal("100000"), places=2, allow_nan=False),
)


def half_up_exact(value: Fraction) -> Decimal:
    """The reference: exact rational arithmetic, then round half up to the cent."""
    cents = value * 100
    floor = cents.numerator // cents.denominator
    rounded = floor + (1 if cents - floor >= Fraction(1, 2) else 0)
    return Decimal(rounded) / 100


@given(fte=fte_values, investment=investments, rule=rules_strategy)
def test_each_part_is_the_exact_product_of_the_capped_value_rounded_half_up(fte, investment, rule):
    result = compute(rule, fte_created=fte, investment=investment)
    expected_fte = half_up_exact(Fraction(rule.amount_per_fte) * Fraction(min(fte, rule.fte_cap)))
    expected_investment = half_up_exact(
        Fraction(rule.investment_rate) * Fraction(min(investment, rule.investment_base_cap))
    )
    assert result.fte_part == expected_fte
    assert result.investment_part == expected_investment
    assert result.total == result.fte_part + result.investment_part
    assert result.total.as_tuple().exponent >= -2


@given(fte=fte_values, investment=investments)
def test_the_2014_aid_never_exceeds_11000_euros_and_caps_are_reported_exactly_when_passed(fte, investment):
    result = compute(RULE_2014, fte_created=fte, investment=investment)
    assert Decimal("0") <= result.total <= Decimal("11000.00")
    assert result.fte_part <= Decimal("8000.00") and result.investment_part <= Decimal("3000.00")
    assert (FTE_CAP in result.caps_applied) == (fte > 4)
    assert (INVESTMENT_BASE_CAP in result.caps_applied) == (investment > 15000)


@given(a=fte_values, b=fte_values, investment=investments)
def test_more_jobs_never_means_less_aid(a, b, investment):
    low, high = sorted((a, b))
    assert (
        compute(RULE_2014, fte_created=low, investment=investment).total
        <= compute(RULE_2014, fte_created=high, investment=investment).total
    )


@given(fte=st.decimals(min_value=0, max_value=4, places=2, allow_nan=False))
def test_below_the_cap_every_hundredth_of_fte_is_worth_20_euros(fte):
    assert compute(RULE_2014, fte_created=fte, investment=Decimal("0")).fte_part == (fte * 2000).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


@given(text=st.text(max_size=12))
def test_the_parser_never_crashes_and_never_returns_a_negative(text):
    try:
        value = rules.parse_investment(text)
    except RuleInputError:
        return
    assert value >= 0 and value == value.quantize(Decimal("0.01"))
