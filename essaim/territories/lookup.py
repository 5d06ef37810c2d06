"""Finding a commune from what a person types: « bethune », « Nœux », « st omer », « Béthune (62400) », 62119.

Accent-, case- and hyphen-insensitive. An in-memory index of every commune (35,000 rows, loaded once per process
and reloaded when the table changes) answers a prefix in well under a millisecond, fast enough for an
autocomplete at each keystroke; the database is asked one ``COUNT`` per call to notice a new import.
"""

import bisect
import re
import threading
import time
from dataclasses import dataclass, field

from essaim.core.text import fold

INSEE_RE = re.compile(r"^(\d{5}|2[AB]\d{3})$", re.IGNORECASE)
POSTCODE_RE = re.compile(r"^\d{5}$")
LABEL_RE = re.compile(r"^(?P<name>.*?)\s*\((?P<postcode>\d{5})\)\s*$")
ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
RELOAD_AFTER_S = 600
MAX_SUGGESTIONS = 20


def normalize(value: str) -> str:
    """'Nœux-les-Mines' → 'noeux les mines'; 'St-Omer' → 'saint omer'."""
    words = re.sub(r"[-'’`.,/()]+", " ", fold(value)).split()
    return " ".join(ABBREVIATIONS.get(w, w) for w in words)


@dataclass(frozen=True)
class CommuneEntry:
    insee_code: str
    name: str
    postcodes: tuple[str, ...]
    departement: str
    population: int
    key: str

    @property
    def postcode(self) -> str:
        return self.postcodes[0] if self.postcodes else ""

    @property
    def label(self) -> str:
        """« Béthune (62400) »: the name a person reads, with the postcode that tells namesakes apart."""
        return f"{self.name} ({self.postcode})" if self.postcode else f"{self.name} ({self.insee_code})"

    def as_dict(self) -> dict:
        return {
            "insee_code": self.insee_code,
            "name": self.name,
            "postcode": self.postcode,
            "postcodes": list(self.postcodes),
            "departement": self.departement,
            "population": self.population,
            "label": self.label,
        }


@dataclass
class _Index:
    signature: int = -1
    loaded_at: float = 0.0
    entries: list[CommuneEntry] = field(default_factory=list)
    by_code: dict[str, int] = field(default_factory=dict)
    keys: list[tuple[str, int]] = field(default_factory=list)
    words: list[tuple[str, int]] = field(default_factory=list)


_index = _Index()
_lock = threading.Lock()


def forget() -> None:
    """Drops the in-memory index: the next lookup reads the communes again (tests, or after ``import_geo``)."""
    globals()["_index"] = _Index()


def _load() -> _Index:
    from essaim.territories.models import Commune

    signature = Commune.objects.count()
    current = _index
    if current.signature == signature and time.monotonic() - current.loaded_at < RELOAD_AFTER_S:
        return current
    with _lock:
        rows = Commune.objects.values_list("insee_code", "name", "postcodes", "departement_id", "population")
        entries = [
            CommuneEntry(code, name, tuple(postcodes.split()), dep or "", population or 0, normalize(name))
            for code, name, postcodes, dep, population in rows
        ]
        fresh = _Index(signature=signature, loaded_at=time.monotonic(), entries=entries)
        fresh.by_code = {e.insee_code: i for i, e in enumerate(entries)}
        fresh.keys = sorted((e.key, i) for i, e in enumerate(entries))
        fresh.words = sorted({(w, i) for i, e in enumerate(entries) for w in e.key.split()})
        globals()["_index"] = fresh
        return fresh


def _prefix_range(pairs, prefix):
    start = bisect.bisect_left(pairs, (prefix, -1))
    end = bisect.bisect_left(pairs, (prefix + "\uffff", -1))
    return pairs[start:end]


def _rank(entry: CommuneEntry, query: str) -> int:
    if entry.key == query:
        return 0
    if entry.key.startswith(query):
        return 1
    return 2


def suggest(text: str, *, limit: int = 10) -> list[CommuneEntry]:
    """Communes for an autocomplete: the name as typed (exact, then starting with it, then every typed word
    starting a word of the name), an INSEE code or a postcode; the most populated first among equals."""
    index = _load()
    text = (text or "").strip()
    limit = max(1, min(limit, MAX_SUGGESTIONS))
    if not text:
        return []
    found: dict[int, int] = {}
    if POSTCODE_RE.match(text) or INSEE_RE.match(text):
        code = text.upper()
        if code in index.by_code:
            found[index.by_code[code]] = 0
        for i, e in enumerate(index.entries):
            if text in e.postcodes:
                found.setdefault(i, 1)
    else:
        query = normalize(text)
        if not query:
            return []
        for _, i in _prefix_range(index.keys, query):
            found[i] = _rank(index.entries[i], query)
        typed = query.split()
        candidates = {i for _, i in _prefix_range(index.words, typed[0])}
        for i in candidates:
            if i in found:
                continue
            words = index.entries[i].key.split()
            if all(any(w.startswith(t) for w in words) for t in typed):
                found[i] = 2
    ordered = sorted(found, key=lambda i: (found[i], -index.entries[i].population, index.entries[i].key))
    return [index.entries[i] for i in ordered[:limit]]


@dataclass
class Resolution:
    """What a typed commune resolved to: the commune's entry, or an error and suggestions to choose from."""

    entry: CommuneEntry | None = None
    error: str = ""
    choices: list[CommuneEntry] = field(default_factory=list)


def resolve(text: str) -> Resolution:
    """The one commune a person meant (for the form without JavaScript), or a French message saying why not:
    unknown, or ambiguous (then the candidates are given)."""
    text = (text or "").strip()
    if not text:
        return Resolution()
    index = _load()
    if INSEE_RE.match(text):
        if text.upper() in index.by_code:
            return Resolution(entry=index.entries[index.by_code[text.upper()]])
    postcode = ""
    match = LABEL_RE.match(text)
    if match:
        text, postcode = match["name"], match["postcode"]
    if POSTCODE_RE.match(text):
        postcode, text = text, ""
    query = normalize(text)
    if query:
        exact = [index.entries[i] for _, i in _prefix_range(index.keys, query) if index.entries[i].key == query]
    else:
        exact = [e for e in index.entries if postcode in e.postcodes]
    if postcode and query:
        exact = [e for e in exact if postcode in e.postcodes or e.insee_code == postcode] or exact
    exact.sort(key=lambda e: (-e.population, e.key))
    if len(exact) == 1:
        return Resolution(entry=exact[0])
    shown = text or postcode
    if len(exact) > 1:
        return Resolution(
            error=f"Plusieurs communes répondent à «\u00a0{shown}\u00a0»\u00a0: choisissez-la dans la liste.",
            choices=exact[:10],
        )
    choices = suggest(text or postcode, limit=5)
    if choices:
        return Resolution(
            error=f"Commune introuvable\u00a0: «\u00a0{shown}\u00a0». Vouliez-vous dire l’une de celles-ci\u00a0?",
            choices=choices,
        )
    return Resolution(
        error=f"Commune introuvable\u00a0: «\u00a0{shown}\u00a0». Saisissez son nom (par exemple Béthune) ou son "
        "code INSEE."
    )
