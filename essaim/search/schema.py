"""The tantivy schema of the structures index: French analysis, an unstemmed copy for typos, fast fields for
facets and filters, and geographic cells for clusters and radius filters.

Everything here is pure (no database): the same text always gives the same tokens at index and query time.
"""

import math

from tantivy import Filter, SchemaBuilder, TextAnalyzerBuilder, Tokenizer

# Bumped whenever the schema or the analysis changes: an index on disk with another version is rebuilt.
SCHEMA_VERSION = 3

# Words that carry no meaning in a French query ("épicerie de la gare"): never required to match.
FRENCH_STOPWORDS = [
    "a", "au", "aux", "avec", "c", "ce", "ces", "d", "dans", "de", "des", "du", "en", "et", "j", "l", "la", "le",
    "les", "leur", "leurs", "m", "n", "ou", "par", "pour", "qu", "que", "qui", "s", "sa", "se", "ses", "son",
    "sur", "t", "un", "une", "y",
]  # fmt: skip
MAX_TOKEN_LENGTH = 40


def french_analyzer():
    """Lowercase, accents folded, stop words out, French Snowball stemmer: 'Jardins partagés' → jardin partag."""
    return (
        TextAnalyzerBuilder(Tokenizer.simple())
        .filter(Filter.remove_long(MAX_TOKEN_LENGTH))
        .filter(Filter.lowercase())
        .filter(Filter.ascii_fold())
        .filter(Filter.custom_stopword(FRENCH_STOPWORDS))
        .filter(Filter.stemmer("french"))
        .build()
    )


def folding_analyzer():
    """Lowercase and accents folded, no stemming: the copy fuzzy (typo-tolerant) terms are matched against."""
    return (
        TextAnalyzerBuilder(Tokenizer.simple())
        .filter(Filter.remove_long(MAX_TOKEN_LENGTH))
        .filter(Filter.lowercase())
        .filter(Filter.ascii_fold())
        .filter(Filter.custom_stopword(FRENCH_STOPWORDS))
        .build()
    )


FRENCH = french_analyzer()
FOLDING = folding_analyzer()

# Map cells: web-mercator tiles ("slippy map" tiles), one field per level. A map at zoom z shows clusters from
# the cells of level z + 2 (a 256 px tile cut in 4 × 4 cells of 64 px).
CELL_LEVELS = range(2, 19)
CLUSTER_LEVEL_OFFSET = 2
# Level of the cells a radius filter is made of (≈ 600 m × 1 km in France): the circle is exact to one cell.
RADIUS_LEVEL = 15


def cell_xy(lat: float, lon: float, level: int) -> tuple[int, int]:
    n = 1 << level
    lat = max(min(lat, 85.05112878), -85.05112878)
    x = int((lon + 180.0) / 360.0 * n)
    rad = math.radians(lat)
    y = int((1.0 - math.asinh(math.tan(rad)) / math.pi) / 2.0 * n)
    return min(max(x, 0), n - 1), min(max(y, 0), n - 1)


def cell_id(x: int, y: int, level: int) -> int:
    return (x << level) | y


def cell_of(lat: float, lon: float, level: int) -> int:
    return cell_id(*cell_xy(lat, lon, level), level)


def cell_bounds(x: int, y: int, level: int) -> tuple[float, float, float, float]:
    """(min_lon, min_lat, max_lon, max_lat) of a cell."""
    n = 1 << level

    def lat_of(yy):
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * yy / n))))

    return (x / n * 360.0 - 180.0, lat_of(y + 1), (x + 1) / n * 360.0 - 180.0, lat_of(y))


def cell_field(level: int) -> str:
    return f"cell_{level}"


CELL_FIELDS = [(level, cell_field(level)) for level in CELL_LEVELS]
FINEST_LEVEL = max(CELL_LEVELS)


def cells_of(lat: float, lon: float) -> list[tuple[str, int]]:
    """(field, cell id) at every level, from one projection at the finest level: a coarser tile's x and y are the
    finer ones shifted right (floor(floor(v·2^a)/2^b) = floor(v·2^(a-b))), so indexing pays one projection, not 17."""
    x, y = cell_xy(lat, lon, FINEST_LEVEL)
    return [
        (name, cell_id(x >> (FINEST_LEVEL - level), y >> (FINEST_LEVEL - level), level)) for level, name in CELL_FIELDS
    ]


def build_schema():
    sb = SchemaBuilder()
    sb.add_integer_field("id", stored=True, indexed=True, fast=True)
    # Full text, French analysis: the name weighs more than the rest (boosted at query time).
    sb.add_text_field("name", tokenizer_name="fr")
    sb.add_text_field("body", tokenizer_name="fr")
    # Unstemmed, folded copies for typo tolerance.
    sb.add_text_field("name_fold", tokenizer_name="fold", index_option="basic")
    sb.add_text_field("body_fold", tokenizer_name="fold", index_option="basic")
    # Facets and filters (raw keywords, multi-valued where a structure has several).
    for name in ("family", "label", "sector", "commune", "territory", "employer", "departement"):
        sb.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    sb.add_float_field("lat", fast=True)
    sb.add_float_field("lon", fast=True)
    sb.add_integer_field("updated", fast=True)  # epoch seconds of the last change, for sort=updated
    sb.add_integer_field("name_rank", fast=True)  # alphabetical rank of the folded name, for sort=name
    sb.add_integer_field("rand", fast=True, indexed=True)  # a fixed random number: fair rotation of ties
    sb.add_integer_field("has_geo", indexed=True)
    for level in CELL_LEVELS:
        sb.add_integer_field(cell_field(level), fast=True, indexed=level == RADIUS_LEVEL)
    return sb.build()


SCHEMA = build_schema()
FACETS = ("family", "label", "sector", "commune", "territory", "employer")
