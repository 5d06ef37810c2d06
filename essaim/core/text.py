"""Text helpers shared by every app."""

import re
import unicodedata

LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "’": "'"})


def fold(value: str) -> str:
    """Lower-case, accent-free, single-spaced text for simple comparisons ('Nœux-les-Mines' → 'noeux-les-mines')."""
    value = (value or "").translate(LIGATURES)
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", stripped).strip().lower()


def obfuscate_email(email: str) -> str:
    """'valerie.morel@artoiscomm.fr' → 'valerie.morel [at] artoiscomm [point] fr', as public directories show it."""
    if not email or "@" not in email:
        return email or ""
    local, _, domain = email.partition("@")
    return f"{local} [at] {domain.replace('.', ' [point] ')}"
