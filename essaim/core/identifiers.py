"""French public identifiers: SIREN, SIRET (Luhn-checked), RNA, INSEE commune codes."""

import re

from django.core.exceptions import ValidationError

SIREN_RE = re.compile(r"^\d{9}$")
SIRET_RE = re.compile(r"^\d{14}$")
RNA_RE = re.compile(r"^W\d{9}$")
INSEE_RE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
# La Poste's head office establishments are the one documented exception to the Luhn rule on SIRET.
LA_POSTE_SIREN = "356000000"


def normalize(value: str) -> str:
    """Removes spaces (no-break ones included), dots and hyphens people type inside identifiers."""
    # In a str pattern ``\s`` matches every Unicode space, U+00A0 and U+202F among them.
    return re.sub(r"[\s.-]", "", value or "").upper()


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        n = int(char)
        if index % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def luhn_complete(body: str) -> str:
    """``body`` followed by the one digit that makes it Luhn-valid (fictitious and test identifiers)."""
    return next(body + check for check in "0123456789" if luhn_valid(body + check))


def is_siren(value: str) -> bool:
    return bool(SIREN_RE.match(value)) and luhn_valid(value)


def is_siret(value: str) -> bool:
    if not SIRET_RE.match(value):
        return False
    if value.startswith(LA_POSTE_SIREN):
        return sum(int(c) for c in value) % 5 == 0
    return luhn_valid(value)


def validate_siren(value: str) -> None:
    if not SIREN_RE.match(value or ""):
        raise ValidationError("Un SIREN compte exactement 9 chiffres.", code="siren_format")
    if not luhn_valid(value):
        raise ValidationError("Ce SIREN n'est pas valide (clé de contrôle erronée).", code="siren_luhn")


def validate_siret(value: str) -> None:
    if not SIRET_RE.match(value or ""):
        raise ValidationError("Un SIRET compte exactement 14 chiffres.", code="siret_format")
    if not is_siret(value):
        raise ValidationError("Ce SIRET n'est pas valide (clé de contrôle erronée).", code="siret_luhn")


def validate_rna(value: str) -> None:
    if not RNA_RE.match(value or ""):
        raise ValidationError("Un numéro RNA s'écrit W suivi de 9 chiffres.", code="rna_format")


def validate_insee_code(value: str) -> None:
    if not INSEE_RE.match(value or ""):
        raise ValidationError("Un code INSEE de commune compte 5 caractères (2A/2B en Corse).", code="insee_format")
