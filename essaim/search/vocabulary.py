"""Typo tolerance, expanded once per search: the terms of the index within one or two edits of a misspelt word.

tantivy's fuzzy query runs its Levenshtein automaton over the term dictionary of every segment, then gathers the
documents of every term it accepts into a bitset of the whole index, and it does so for each clause that holds the
word: three per misspelt word (the count, the ranking, the name boost). "soldaire" thus builds three bitsets of the
210,000 structures that say "solidaire" at a million structures. Expanded once, against a small in-memory index of
the vocabulary (one document per term of ``all_fold``), the word becomes the few terms it stands for, whose
postings are read lazily and skipped through by the other words and filters, as the words typed right are.

The same automaton accepts the same terms, so the documents and scores are exactly those of the fuzzy query. The
vocabulary is rebuilt when the index has changed (see ``IndexHandle.generation``), so a term indexed a moment ago
is found with a typo as soon as the index shows it.
"""

import logging
import threading

import orjson
import tantivy
from tantivy import Query

logger = logging.getLogger("essaim.search")

FIELD = "all_fold"  # every word of a structure; the name's (``name_fold``) are among them
# A word that stands for more terms than this keeps tantivy's fuzzy query (one bitset beats a long union).
MAX_TERMS = 64
WRITER_HEAP = 15_000_000  # tantivy's minimum for one indexing thread


def _vocabulary_schema():
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("term", tokenizer_name="raw", stored=True, index_option="basic")
    return builder.build()


VOCABULARY_SCHEMA = _vocabulary_schema()


class Vocabulary:
    """The folded terms of one index, as of one generation of it, in an index of their own held in memory."""

    def __init__(self, searcher, generation):
        self.generation = generation
        index = tantivy.Index(VOCABULARY_SCHEMA)
        writer = index.writer(WRITER_HEAP, 1)
        for term, _ in searcher.terms_with_prefix(FIELD, ""):
            writer.add_json(orjson.dumps({"term": term}).decode())
        writer.commit()
        writer.wait_merging_threads()
        index.reload()
        self.searcher = index.searcher()

    def expand(self, word: str, distance: int) -> list[str] | None:
        """The terms within ``distance`` edits of ``word`` (a transposition counts as one, as in the fuzzy query),
        or None when there are more than MAX_TERMS."""
        query = Query.fuzzy_term_query(VOCABULARY_SCHEMA, "term", word, distance)
        hits = self.searcher.search(query, limit=MAX_TERMS + 1, count=False).hits
        if len(hits) > MAX_TERMS:
            return None
        return [self.searcher.doc(address)["term"][0] for _, address in hits]


class Typos:
    """The vocabulary of an index handle, built on the first misspelt word after each change of the index."""

    def __init__(self, handle):
        self.handle = handle
        self.lock = threading.Lock()
        self.vocabulary: Vocabulary | None = None

    def expand(self, word: str, distance: int) -> list[str] | None:
        vocabulary = self.vocabulary
        if vocabulary is None or vocabulary.generation != self.handle.generation:
            with self.lock:
                vocabulary = self.vocabulary
                if vocabulary is None or vocabulary.generation != self.handle.generation:
                    generation, searcher = self.handle.generation_and_searcher()
                    try:
                        vocabulary = self.vocabulary = Vocabulary(searcher, generation)
                    except (ValueError, OSError):  # pragma: no cover -- tantivy could not build it: fuzzy queries
                        logger.exception("Vocabulary of %s not built; typos use fuzzy queries.", self.handle.path)
                        return None
        return vocabulary.expand(word, distance)
