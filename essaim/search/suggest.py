"""Suggestions of structures by name, as a person types (the autocomplete of forms that pick structures).

Unlike a search (``essaim.search.query``), a suggestion matches what is being typed: every word must begin a word
of the name ("mais poé" → "Maison de la poésie"); a whole word may also match the rest of the structure (its
commune: "bge bethune"), and a misspelt word of five letters or more still matches with one typo. Names that begin
with the text typed come first ("mai" → "Maison…" before "Amicale de Maisnil"), then names that hold the words as
typed, then shorter names (BM25 on the name), ties by name.

Scoped to a territory when one is given (the territories indexed with the structure, through its commune). Only
published structures are in the index, so only they are suggested. Nothing here touches the database except the
exact lookup of a SIREN, SIRET or RNA typed in full.
"""

from dataclasses import dataclass

import orjson
from tantivy import FieldType, Occur, Query

from essaim.search.build import NAME_KEY_CHARS, _key_letters, name_key
from essaim.search.index import get_index
from essaim.search.query import _identifier_ids, identifier_of, words_of
from essaim.search.recovery import guarded, usable_searcher
from essaim.search.schema import SCHEMA

MAX_SUGGESTIONS = 50
# Hits read beyond the page, so that ties on the score are put in name order (read from a fast field).
TIE_POOL = 3
NAME_WORD_BOOST = 2.0
NAME_PREFIX_BOOST = 1.0
OTHER_WORD_BOOST = 0.3
TYPO_BOOST = 0.5
TYPO_FROM = 5  # letters: a shorter word is matched as typed
STARTS_BOOST = 3.0


@dataclass(frozen=True)
class Suggestion:
    id: int
    slug: str
    name: str
    commune: str
    commune_insee: str

    @property
    def label(self) -> str:
        """What a list of choices shows: the name, and the commune that tells homonyms apart."""
        return f"{self.name} ({self.commune})" if self.commune else self.name


def _word_query(word: str, *, last: bool):
    """One typed word: the beginning of a word of the name, or with one typo from TYPO_FROM letters, or a whole
    word anywhere in the structure (its commune, its activity). The name's whole words weigh more."""
    clauses = [
        Query.boost_query(Query.term_query(SCHEMA, "name_fold", word, index_option="basic"), NAME_WORD_BOOST),
        Query.boost_query(Query.term_query(SCHEMA, "all_fold", word, index_option="basic"), OTHER_WORD_BOOST),
    ]
    prefix = Query.fuzzy_term_query(SCHEMA, "name_fold", word, 0, True, True)
    clauses.append(Query.const_score_query(prefix, NAME_PREFIX_BOOST))
    if len(word) >= TYPO_FROM:
        typo = Query.fuzzy_term_query(SCHEMA, "name_fold", word, 1, True, last)
        clauses.append(Query.const_score_query(typo, TYPO_BOOST))
    return Query.boolean_query([(Occur.Should, c) for c in clauses])


def _starts_with(q: str):
    """The names that begin with the text typed (letters and digits, accents and case ignored), through the
    ``name_rank`` column that sorts names by their first letters: one range of it."""
    letters = _key_letters(q)[:NAME_KEY_CHARS]
    if not letters:
        return None
    low = name_key(letters)
    high = low + 37 ** (NAME_KEY_CHARS - len(letters)) - 1
    return Query.const_score_query(Query.range_query(SCHEMA, "name_rank", FieldType.Integer, low, high), STARTS_BOOST)


def suggestion_query(q: str, *, territory_ids: list[str] | None = None, ids: list[int] | None = None):
    """The query of :func:`suggest_structures`, or None when nothing was typed that can match."""
    parts = []
    identifier = identifier_of(q)
    if identifier:
        ids = [pk for pk in _identifier_ids(identifier, ids) if ids is None or pk in ids]
        parts.append(Query.term_set_query(SCHEMA, "id", ids) if ids else Query.empty_query())
    else:
        words = words_of(q)
        if not words:
            return None
        parts += [_word_query(word, last=k == len(words) - 1) for k, word in enumerate(words)]
        if ids is not None:
            parts.append(Query.term_set_query(SCHEMA, "id", ids) if ids else Query.empty_query())
    if territory_ids:
        terms = [Query.term_query(SCHEMA, "territory", str(t), index_option="basic") for t in territory_ids]
        scope = terms[0] if len(terms) == 1 else Query.boolean_query([(Occur.Should, t) for t in terms])
        parts.append(Query.const_score_query(scope, 0.0))
    clauses = [(Occur.Must, p) for p in parts]
    starts = None if identifier else _starts_with(q)
    if starts is not None:
        clauses.append((Occur.Should, starts))
    return Query.boolean_query(clauses)


@guarded
def suggest_structures(
    q: str, *, territory_ids: list[str] | None = None, limit: int = 20, ids: list[int] | None = None
) -> list[Suggestion]:
    """Up to ``limit`` published structures whose name matches what is typed in ``q``, best first.

    ``territory_ids``: index ids of territories (``essaim.search.params.territory_ids`` turns SIRENs and slugs into
    them); ``ids``: restrict to these structures."""
    query = suggestion_query(q, territory_ids=territory_ids, ids=ids)
    limit = max(1, min(limit, MAX_SUGGESTIONS))
    if query is None:
        return []
    searcher = usable_searcher(get_index())
    hits = searcher.search(query, limit=limit * TIE_POOL, count=False).hits
    if not hits:
        return []
    addresses = [address for _, address in hits]
    ranks = searcher.fast_field_values("name_rank", addresses)
    ordered = sorted(
        zip(hits, ranks, strict=True), key=lambda item: (-round(item[0][0], 4), item[1] if item[1] is not None else 0)
    )
    out = []
    for (_, address), _ in ordered[:limit]:
        card = orjson.loads(searcher.doc(address).get_first("card"))
        out.append(
            Suggestion(
                id=card["id"],
                slug=card["slug"],
                name=card["usual_name"] or card["name"],
                commune=card["commune"],
                commune_insee=card["commune_insee"],
            )
        )
    return out
