"""The kinds of value the JSON API accepts, one type per kind, built on ``essaim.core.bounds``.

Each type validates at the boundary (a value outside its limits is a 422 before any query or computation runs) and
declares the same limits in the OpenAPI schema (``minimum``, ``maximum``, ``pattern``, ``maxLength``, ``format``),
so that a request valid per the schema is accepted. What a schema cannot say (two parameters that go together, an
order between two values) answers 400; a reference to nothing answers 404; the state of a resource answers 409.
"""

import datetime
import math
import re
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, Field, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from essaim.core import bounds

# -- Errors ----------------------------------------------------------------------------------------------------------


class ErrorOut(Schema):
    """Every error of the API: a French message."""

    detail: str = Field(description="Message en français.")


class ValidationErrorOut(ErrorOut):
    """A 422: the French message names each value refused; ``errors`` details them (pydantic's form)."""

    errors: list[dict[str, Any]] = Field(default_factory=list, description="Chaque valeur refusée.")


def errors(*codes: int) -> dict[int, type[ErrorOut]]:
    """The error responses of an operation, for ``response={200: ..., **errors(404, 422)}``; with the 503 any
    operation may answer while the database is locked or the search index rebuilt (``Retry-After``)."""
    return {code: ValidationErrorOut if code == 422 else ErrorOut for code in (*codes, 503)}


def _fail(kind: str, message: str):
    raise PydanticCustomError(kind, message)


# -- Text ------------------------------------------------------------------------------------------------------------

# The characters of ``bounds.CONTROL_CHARACTERS``, as a JSON Schema (ECMA 262) and Rust regex class.
_CONTROL_CLASS = bounds.CONTROL_CHARACTERS.pattern.removeprefix("[").removesuffix("]")
TEXT_PATTERN = f"^[^{_CONTROL_CLASS}]*$"


def _without_controls(value):
    if isinstance(value, str) and bounds.has_control_characters(value):
        _fail("control_characters", "caractères de contrôle (octet nul…) refusés")
    return value


def Text(max_length: int, *, min_length: int = 0, pattern: str | None = None, message: str = ""):  # noqa: N802
    """A string of at most ``max_length`` characters without control characters (NUL first of all), checked before
    anything else; with ``pattern`` (which must exclude control characters too), matching it, else ``message``."""
    checks = [BeforeValidator(_without_controls)]
    if pattern:
        compiled = re.compile(pattern)

        def match(value: str) -> str:
            if not compiled.fullmatch(value):
                _fail("pattern", message or "forme non reconnue")
            return value

        checks.append(AfterValidator(match))
    return Annotated[
        str,
        *checks,
        Field(min_length=min_length, max_length=max_length, json_schema_extra={"pattern": pattern or TEXT_PATTERN}),
    ]


def _email(value: str) -> str:
    try:
        validate_email(value.strip())
    except ValidationError:
        _fail("email", "l'adresse e-mail n'est pas valide (exemple : prenom.nom@exemple.fr)")
    return value


# Text's pattern is left out of the schema (with the format, it slows schemathesis tenfold); Django's validator wants
# a top-level domain of two characters at least, which ``format: email`` does not say: the pattern says it.
EMAIL_TLD_PATTERN = r"\.[^.@]{2,}$"
Email = Annotated[
    Text(254, min_length=3),
    AfterValidator(_email),
    WithJsonSchema(
        {"type": "string", "format": "email", "minLength": 3, "maxLength": 254, "pattern": EMAIL_TLD_PATTERN}
    ),
]


def TextMap(max_items: int, *, key_length: int, value_length: int):  # noqa: N802 -- reads as a type
    """An object of at most ``max_items`` texts, keys and values without control characters."""
    return Annotated[
        dict[Text(key_length), Text(value_length)],
        Field(max_length=max_items),
        WithJsonSchema(
            {
                "type": "object",
                "maxProperties": max_items,
                "propertyNames": {"type": "string", "maxLength": key_length, "pattern": TEXT_PATTERN},
                "additionalProperties": {"type": "string", "maxLength": value_length, "pattern": TEXT_PATTERN},
            }
        ),
    ]


# A name people type: at least one character that is neither a control character nor a space (``str.split``'s).
_SPACES = r"\x09-\x0d\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
NAME_PATTERN = f"^[^{_CONTROL_CLASS}]*[^{_CONTROL_CLASS}{_SPACES}][^{_CONTROL_CLASS}]*$"
SearchText = Text(200)
# An identifier (slug) or a number of at most 9 digits: ``campaign``, ``organiser``.
_SLUG = "[-a-zA-Z0-9_]*[-a-zA-Z_][-a-zA-Z0-9_]*"
RefKey = Text(
    100,
    min_length=1,
    pattern=f"^(?:[0-9]{{1,9}}|{_SLUG})$",
    message="un identifiant ou 9 chiffres au plus",
)
# A territory: its SIREN (9 digits) or its identifier (slug).
TerritoryKey = Text(
    100, min_length=1, pattern=f"^(?:[0-9]{{9}}|{_SLUG})$", message="un SIREN compte exactement 9 chiffres"
)
Slug = Text(100, min_length=1, pattern=f"^{_SLUG}$", message="un identifiant (lettres, chiffres, tirets)")
InseeCode = Text(5, min_length=5, pattern="^(?:[0-9]{2}|2[AB])[0-9]{3}$", message="un code INSEE de 5 caractères")
DepartementCode = Text(3, min_length=2, pattern="^(?:[0-9]{2,3}|2[ABab])$", message="un code de département")
RegionCode = Text(2, min_length=2, pattern="^[0-9]{2}$", message="un code de région de 2 chiffres")


# -- Integers --------------------------------------------------------------------------------------------------------

Offset = Annotated[int, Field(ge=0, le=bounds.MAX_INT, description="Nombre de résultats à sauter.")]
Id = Annotated[int, Field(ge=1, le=bounds.MAX_INT)]
Seed = Annotated[int, Field(ge=0, le=bounds.MAX_INT)]


# -- Dates -----------------------------------------------------------------------------------------------------------

assert bounds.MIN_YEAR % 100 == 0 and bounds.MAX_YEAR % 100 == 99, "DATE_PATTERN spells whole centuries"  # noqa: S101
_CENTURIES = "|".join(str(c) for c in range(bounds.MIN_YEAR // 100, bounds.MAX_YEAR // 100 + 1))
DATE_PATTERN = f"^(?:{_CENTURIES})[0-9]{{2}}-[0-9]{{2}}-[0-9]{{2}}$"
_DATE_RE = re.compile(DATE_PATTERN)


def _date(value) -> datetime.date:
    """A calendar day written AAAA-MM-JJ between ``bounds.MIN_DATE`` and ``bounds.MAX_DATE``; never a number (``0``
    would read as 1970-01-01) nor a date and time."""
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        day = value
    elif isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        try:
            day = datetime.date.fromisoformat(value)
        except ValueError:
            _fail("date_invalid", f"« {value} » n'est pas une date du calendrier")
    else:
        _fail("date_format", "une date AAAA-MM-JJ est attendue")
    if not bounds.date_in_range(day):
        _fail("date_range", f"une date entre le {bounds.MIN_DATE:%d/%m/%Y} et le {bounds.MAX_DATE:%d/%m/%Y}")
    return day


ApiDate = Annotated[
    datetime.date,
    PlainValidator(_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN}),
]
assert _DATE_RE.match(bounds.MIN_DATE.isoformat()) and _DATE_RE.match(bounds.MAX_DATE.isoformat())  # noqa: S101


# -- Numbers and coordinates ----------------------------------------------------------------------------------------

FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]
_LAT = r"-?(?:90(?:\.0+)?|[1-8]?[0-9](?:\.[0-9]+)?)"
_LON = r"-?(?:180(?:\.0+)?|(?:1[0-7][0-9]|[1-9]?[0-9])(?:\.[0-9]+)?)"
# ``near=latitude,longitude`` and ``bbox=minLon,minLat,maxLon,maxLat``: plain decimal numbers within WGS 84, so
# never ``nan``, ``inf`` nor ``1e308``.
LatLon = Text(60, pattern=f"^{_LAT},{_LON}$", message="latitude,longitude en degrés décimaux (50.5,2.6)")
BBox = Text(
    120,
    pattern=f"^{_LON},{_LAT},{_LON},{_LAT}$",
    message="minLon,minLat,maxLon,maxLat en degrés décimaux, longitudes entre -180 et 180, latitudes entre -90 et 90",
)


def decimal_number(maximum: Decimal):
    """A JSON number or a string (« 1,5 », « 1.5 ») of at most ``maximum``, in hundredths, as a ``Decimal``.

    A float that is a multiple of 0.01 but for the binary rounding (0.57 read as 0.5700000000000001) is taken as
    the hundredths it means."""
    integer_digits = len(str(int(maximum)))
    pattern = f"^[0-9]{{1,{integer_digits}}}(?:[.,][0-9]{{1,2}})?$"

    def validate(value) -> Decimal:
        if isinstance(value, bool):
            _fail("number_type", "un nombre est attendu")
        if isinstance(value, str):
            if not re.fullmatch(pattern, value):
                if re.fullmatch(r"-[0-9]+(?:[.,][0-9]+)?", value):
                    _fail("number_negative", "une valeur négative n'est pas acceptée")
                if re.fullmatch(r"[0-9]+[.,][0-9]{3,}", value):
                    _fail("number_cents", "la valeur s'exprime au centième près")
                if re.fullmatch(r"[0-9]+(?:[.,][0-9]+)?", value):
                    _fail("number_range", f"la valeur dépasse le maximum accepté ({maximum})")
                _fail("number_format", f"« {value[:50]} » n'est pas un nombre (exemple : 1,5)")
            number = Decimal(value.replace(",", "."))
        elif isinstance(value, int):
            number = Decimal(value)
        elif isinstance(value, float):
            if not math.isfinite(value):
                _fail("number_finite", "un nombre fini est attendu")
            cents = value * 100
            if value < 0:
                _fail("number_negative", "une valeur négative n'est pas acceptée")
            if value > float(maximum):
                _fail("number_range", f"la valeur dépasse le maximum accepté ({maximum})")
            if abs(cents - round(cents)) > 1e-6:
                _fail("number_cents", "la valeur s'exprime au centième près")
            number = Decimal(round(cents)) / 100
        else:
            _fail("number_type", "un nombre est attendu")
        if number < 0:
            _fail("number_negative", "une valeur négative n'est pas acceptée")
        if number > maximum:
            _fail("number_range", f"la valeur dépasse le maximum accepté ({maximum})")
        return number.quantize(Decimal("0.01"))

    schema = {
        "anyOf": [
            {"type": "number", "minimum": 0, "maximum": float(maximum), "multipleOf": 0.01},
            {"type": "string", "maxLength": integer_digits + 3, "pattern": pattern},
        ]
    }
    return Annotated[Decimal, PlainValidator(validate), WithJsonSchema(schema)]


Euros = decimal_number(Decimal(10**bounds.MAX_EUROS_DIGITS - 1) / 100)
