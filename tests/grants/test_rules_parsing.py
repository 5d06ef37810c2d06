"""What people type in the simulator and the application form, read by the rule engine: the values accepted on
each edge (zero, the hundredth, the maximum) and the exact French message of every refusal."""

from decimal import Decimal

import pytest

from essaim.grants import rules
from essaim.grants.rules import RuleInputError

FTE = "Emplois créés (ETP)"
INVESTMENT = "Investissement éligible (HT)"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("0", "0.00"),  # no job created is a valid answer, not a negative one
        ("0,01", "0.01"),
        ("1,5", "1.50"),
        ("+2", "2.00"),
        ("3.", "3.00"),
        ("999,98", "999.98"),
        ("999,99", "999.99"),  # exactly the maximum
        ("\u00a01\u202f5 ", "15.00"),  # no-break spaces of a pasted French number
        (0, "0.00"),
        (4, "4.00"),
        (1.5, "1.50"),  # a float is read from its shortest repr, never from its binary value
        (Decimal("2.5"), "2.50"),
        (Decimal("999.99"), "999.99"),
    ],
)
def test_fte_is_stored_in_hundredths(typed, expected):
    """The value comes back quantized to the hundredth, whatever its type: "3" is stored as 3.00."""
    assert str(rules.parse_fte(typed)) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("0", "0.00"),
        ("12 345,67 €", "12345.67"),
        ("8\u202f000,00\u00a0€", "8000.00"),  # as fr_amount writes it
        ("1234.5", "1234.50"),
        ("9 999 999 999,99", "9999999999.99"),  # exactly the maximum amount
        (Decimal("15000"), "15000.00"),
    ],
)
def test_investment_is_read_in_euros_and_cents(typed, expected):
    assert str(rules.parse_investment(typed)) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (None, f"{FTE} : la valeur est obligatoire."),
        ("", f"{FTE} : la valeur est obligatoire."),
        (" \u00a0€ ", f"{FTE} : la valeur est obligatoire."),
        ("abc", f"{FTE} : « abc » n'est pas un nombre (exemple : 1,5 ou 12 000)."),
        ("1,5,2", f"{FTE} : « 1,5,2 » n'est pas un nombre (exemple : 1,5 ou 12 000)."),
        (True, f"{FTE} : un nombre est attendu."),
        (Decimal("NaN"), f"{FTE} : un nombre fini est attendu."),
        (Decimal("-Infinity"), f"{FTE} : un nombre fini est attendu."),
        ("-0,01", f"{FTE} : une valeur négative n'est pas acceptée."),
        (-1, f"{FTE} : une valeur négative n'est pas acceptée."),
        ("999,991", f"{FTE} : la valeur dépasse le maximum accepté (999,99)."),
        ("1000", f"{FTE} : la valeur dépasse le maximum accepté (999,99)."),
        ("0,125", f"{FTE} : la valeur s'exprime au centième près."),
        (1.005, f"{FTE} : la valeur s'exprime au centième près."),
        (Decimal("0.001"), f"{FTE} : la valeur s'exprime au centième près."),
    ],
)
def test_bad_fte_is_refused_with_the_exact_french_message(typed, message):
    with pytest.raises(RuleInputError) as exc:
        rules.parse_fte(typed)
    assert str(exc.value) == message


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", f"{INVESTMENT} : la valeur est obligatoire."),
        ("douze mille", f"{INVESTMENT} : « douze mille » n'est pas un nombre (exemple : 1,5 ou 12 000)."),
        ("-5 €", f"{INVESTMENT} : une valeur négative n'est pas acceptée."),
        (
            "10 000 000 000",
            f"{INVESTMENT} : la valeur dépasse le maximum accepté (9\u202f999\u202f999\u202f999,99).",
        ),
        ("12,345", f"{INVESTMENT} : la valeur s'exprime au centième près."),
    ],
)
def test_bad_investment_is_refused_with_the_exact_french_message(typed, message):
    with pytest.raises(RuleInputError) as exc:
        rules.parse_investment(typed)
    assert str(exc.value) == message


def test_a_form_field_passes_its_own_label_and_maximum():
    """Every amount field of the forms reads its value with this parser, under its own label and maximum."""
    label = "Budget total du projet (€)"
    assert str(rules.parse_decimal("50", label=label, maximum=Decimal("50"))) == "50.00"
    with pytest.raises(RuleInputError) as exc:
        rules.parse_decimal("50,01", label=label, maximum=Decimal("50"))
    assert str(exc.value) == "Budget total du projet (€) : la valeur dépasse le maximum accepté (50)."
