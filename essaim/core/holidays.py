"""France's public holidays (*jours fériés*, Code du travail L3133-1): the eleven days of metropolitan France.

Eight fixed days (1er janvier, 1er mai, 8 mai, 14 juillet, 15 août, 1er novembre, 11 novembre, 25 décembre) and
three that follow Easter (lundi de Pâques, Ascension = Easter + 39 days, lundi de Pentecôte = Easter + 50 days).
Advice slots skip them without any row to keep up to date; the regional days of Alsace-Moselle (Vendredi saint,
26 décembre) are not counted: the territories served are in the Hauts-de-France.
"""

import datetime
from functools import lru_cache

from dateutil.easter import easter

FIXED = {
    (1, 1): "Jour de l'an",
    (5, 1): "Fête du Travail",
    (5, 8): "Victoire 1945",
    (7, 14): "Fête nationale",
    (8, 15): "Assomption",
    (11, 1): "Toussaint",
    (11, 11): "Armistice 1918",
    (12, 25): "Noël",
}
AFTER_EASTER = {1: "Lundi de Pâques", 39: "Ascension", 50: "Lundi de Pentecôte"}


@lru_cache(maxsize=64)
def public_holidays(year: int) -> dict[datetime.date, str]:
    """The eleven public holidays of ``year`` with their French names."""
    days = {datetime.date(year, month, day): name for (month, day), name in FIXED.items()}
    sunday = easter(year)
    days.update({sunday + datetime.timedelta(days=n): name for n, name in AFTER_EASTER.items()})
    return days


def is_public_holiday(day: datetime.date) -> bool:
    return day in public_holidays(day.year)


def holidays_between(first: datetime.date, last: datetime.date) -> set[datetime.date]:
    """The public holidays from ``first`` to ``last`` included."""
    found = set()
    for year in range(first.year, last.year + 1):
        found.update(d for d in public_holidays(year) if first <= d <= last)
    return found
