"""Typo tolerance, expanded once per search: the terms of the index within one or two edits of a misspelt word.

tantivy's fuzzy query runs its Levenshtein automaton over the term dictionary of every segment, then gathers the
documents of every term it accepts into a bitset of the whole index, and it does so for each clause that holds the
word: three per misspelt word (the count, the ranking, the name boost). "soldaire" thus builds three bitsets of the
210,000 structures that say "solidaire" at a million structures. Expanded once, against a small in-memory index of
the vocabulary (one document per term of ``all_fold``), the word becomes the few terms it stands for, whose
postings are read lazily and skipped through by the other words and filters, as the words typed right are.

The same automaton accepts the same terms, so the documents and scores are exactly those of the fuzzy query. The
vocabulary is rebuilt when the index has changed (see ``IndexHandle.generation``), and never used for a newer
index than its own: a term indexed a moment ago is found with a typo as soon as the index shows it.
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
    """The vocabulary of an index handle. After each change of the index it is rebuilt in a background thread
    (about 130 ms at a million structures); until it is ready, misspelt words use fuzzy queries, which find the
    same structures, so a search never waits for it nor reads a vocabulary older than its index."""

    def __init__(self, handle):
        self.handle = handle
        self.lock = threading.Lock()
        self.vocabulary: Vocabulary | None = None
        self.builder: threading.Thread | None = None

    def expand(self, word: str, distance: int) -> list[str] | None:
        vocabulary = self.vocabulary
        if vocabulary is None or vocabulary.generation != self.handle.generation:
            self.rebuild()
            return None
        return vocabulary.expand(word, distance)

    def rebuild(self) -> threading.Thread:
        """Starts building the vocabulary of the index as it is now, unless a build is already under way."""
        with self.lock:
            if self.builder is None or not self.builder.is_alive():
                self.builder = threading.Thread(target=self._build, name="essaim-vocabulary", daemon=True)
                self.builder.start()
            return self.builder

    def ready(self, timeout: float = 30.0) -> bool:
        """Waits until the vocabulary matches the index (tests, warm-up); True when it does."""
        self.handle.searcher()
        for _ in range(3):  # a build may have started just before the last change: one more then
            if self.vocabulary is not None and self.vocabulary.generation == self.handle.generation:
                return True
            self.rebuild().join(timeout)
        return False

    def _build(self):
        try:
            generation, searcher = self.handle.generation_and_searcher()
            self.vocabulary = Vocabulary(searcher, generation)
        except (ValueError, OSError):  # the index went away (tests) or could not be read: fuzzy queries stay
            logger.warning("Vocabulary of %s not built; misspelt words use fuzzy queries.", self.handle.path)
