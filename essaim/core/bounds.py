"""The limits of every kind of value Essaim accepts from outside (query strings, forms, API bodies), in one place.

A value outside these limits is refused at the boundary with a clear 4xx, never carried to the database or to a
date computation where it would fail as a 500. The API declares the same limits in its OpenAPI schema.
"""

import datetime
import re

# Dates: the agenda, the grants and the reports speak of the years around today, never of year 1 or 9999.
MIN_DATE = datetime.date(1900, 1, 1)
MAX_DATE = datetime.date(2199, 12, 31)
MIN_YEAR = MIN_DATE.year
MAX_YEAR = MAX_DATE.year

# Integers read from a query string (offsets, identifiers, pages): a signed 32-bit value fits every database.
MAX_INT = 2**31 - 1

# Money and counts typed by people: euros with cents below a thousand million, FTE below ten thousand.
MAX_EUROS_DIGITS = 12  # 9,999,999,999.99 at most
MAX_FTE = 9999

# Coordinates (WGS 84).
MIN_LATITUDE, MAX_LATITUDE = -90.0, 90.0
MIN_LONGITUDE, MAX_LONGITUDE = -180.0, 180.0

# Text: C0 and C1 control characters other than tab, line feed and carriage return (NUL first of all) never enter
# the database; PostgreSQL refuses NUL and a spreadsheet or a terminal would misread the others.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def has_control_characters(value: str) -> bool:
    return bool(CONTROL_CHARACTERS.search(value or ""))


def date_in_range(value: datetime.date) -> bool:
    return MIN_DATE <= value <= MAX_DATE
