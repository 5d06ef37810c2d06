"""The tantivy schema of the structures index: French analysis, an unstemmed copy for typos, fast fields for
facets and filters, and geographic cells for clusters and radius filters.

Everything here is pure (no database): the same text always gives the same tokens at index and query time.
"""

import math

from tantivy import Filter, SchemaBuilder, TextAnalyzerBuilder, Tokenizer

# Bumped whenever the schema or the analysis changes: an index on disk with another version is rebuilt.
SCHEMA_VERSION = 10

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

# Map cells: web-mercator tiles ("slippy map" tiles). A map at zoom z shows clusters from the cells of the odd
# level z + 2 or z + 1 (a 256 px tile cut in cells of 64 or 128 px), counted through the 2 × 2 cells of the next
# level: one fast field per even level (CELL_LEVELS), as each field costs indexing time.
CELL_LEVELS = range(4, 19, 2)
CLUSTER_LEVEL_OFFSET = 2
# Level of the cells a radius filter is made of (≈ 600 m × 1 km in France): the circle is exact to one cell.
RADIUS_LEVEL = 15
# Levels whose cells are also indexed as terms, all in the one field COVER_FIELD (see cover_key): the map reads a
# box through them from zoom 7 (level 9) on, and a radius filter reads its circle as cells of these levels.
COVER_LEVELS = (9, 11, 13, RADIUS_LEVEL)
COVER_FIELD = "cover"


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


def tile_lat(y: float, level: int) -> float:
    """Latitude of the horizontal line ``y`` (in cells, fractions allowed) of the grid of ``level``."""
    return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / (1 << level)))))


def tile_lon(x: float, level: int) -> float:
    """Longitude of the vertical line ``x`` (in cells, fractions allowed) of the grid of ``level``."""
    return x / (1 << level) * 360.0 - 180.0


def cell_field(level: int) -> str:
    return f"cell_{level}"


def cover_key(level: int, cell: int) -> int:
    """The term of a cell of ``level`` in COVER_FIELD: a leading bit above its 2 × level bits, so the cells of
    every level live in one field without colliding. One field makes a circle read as cells of several levels a
    single term set (one bitset of documents), which several fields would split in a union."""
    return (1 << (2 * level)) | cell


CELL_FIELDS = [(level, cell_field(level)) for level in CELL_LEVELS]
FINEST_LEVEL = max(CELL_LEVELS)
# cell_id and cover_key inlined, as they run for every document indexed.
_CELL_SHIFTS = [(name, FINEST_LEVEL - level, level) for level, name in CELL_FIELDS]
_COVER_SHIFTS = [(FINEST_LEVEL - level, level, 1 << (2 * level)) for level in COVER_LEVELS]


def sub_level(level: int) -> int:
    """The level whose fast field counts the cells of ``level``: the next finer one in CELL_LEVELS (each cell
    of a cluster level holds 4 of its cells), or the finest."""
    return next((sub for sub in CELL_LEVELS if sub > level), FINEST_LEVEL)


def cells_of(lat: float, lon: float) -> dict[str, int | list[int]]:
    """The cell fields of a document: the cell id at every fast level (CELL_FIELDS), and in COVER_FIELD the keys
    of its cells at the COVER_LEVELS. One projection at the finest level: a coarser tile's x and y are the finer
    ones shifted right (floor(floor(v·2^a)/2^b) = floor(v·2^(a-b))), so indexing pays one projection per
    document."""
    x, y = cell_xy(lat, lon, FINEST_LEVEL)
    cells = {name: ((x >> shift) << level) | (y >> shift) for name, shift, level in _CELL_SHIFTS}
    cells[COVER_FIELD] = [lead | ((x >> shift) << level) | (y >> shift) for shift, level, lead in _COVER_SHIFTS]
    return cells


def commune_number(insee: str) -> int:
    """An INSEE commune code as a number and back (``commune_code``): Corsica's 2A and 2B become 2 and 3
    hundred-thousands, every other code is already a number."""
    if insee[:2] == "2A":
        return 200_000 + int(insee[2:])
    if insee[:2] == "2B":
        return 300_000 + int(insee[2:])
    return int(insee)


def commune_code(number: int) -> str:
    if number >= 200_000:
        return ("2A" if number < 300_000 else "2B") + f"{number % 1000:03d}"
    return f"{number:05d}"


MASK_BITS = 63


def id_mask(ids) -> int:
    """Bit n set for the id n (ids from 1 to 62; an id beyond has no bit): the sectors of a structure, or its
    territories. Counts fall back to the text column while some id has no bit (see ``essaim.search.query``)."""
    mask = 0
    for pk in ids:
        if 0 < pk < MASK_BITS:
            mask |= 1 << pk
    return mask


# The facets with a fixed list of values (the enums of ``essaim.directory.enums`` and the employer flag) are
# packed in one number per structure, ``facet_key``: the family's position (3 bits), the employer value's (2
# bits), then one bit per label. One column is counted instead of three, and a search that collects every match
# reads them back in one call. The order of these tuples is part of the index: bump SCHEMA_VERSION to change it.
FAMILY_CODES = ("association", "cooperative", "mutuelle", "fondation", "commercial", "other")
EMPLOYER_CODES = ("oui", "non", "inconnu")
LABEL_CODES = ("ACI", "AI", "EI", "ETTI", "EA", "ESAT", "CAE", "SCOP", "SCIC", "ESUS", "MISSION")
_FAMILY_BITS, _EMPLOYER_BITS = 3, 2
_LABEL_SHIFT = _FAMILY_BITS + _EMPLOYER_BITS
_UNKNOWN_FAMILY = (1 << _FAMILY_BITS) - 1
_FAMILY_INDEX = {code: k for k, code in enumerate(FAMILY_CODES)}
_EMPLOYER_INDEX = {code: k for k, code in enumerate(EMPLOYER_CODES)}
_LABEL_BIT = {code: 1 << (_LABEL_SHIFT + k) for k, code in enumerate(LABEL_CODES)}


def facet_key(family: str, employer: str, labels) -> int:
    """The number that packs a structure's family, employer value and labels (a value outside the lists above
    has no place in it: it is not counted)."""
    key = _FAMILY_INDEX.get(family, _UNKNOWN_FAMILY) | _EMPLOYER_INDEX.get(employer, 3) << _FAMILY_BITS
    for label in labels:
        key |= _LABEL_BIT.get(label, 0)
    return key


def facet_key_values(key: int) -> tuple[str | None, str | None, list[str]]:
    """The family, employer value and labels of a ``facet_key`` (None where it holds no known value)."""
    family = key & _UNKNOWN_FAMILY
    employer = (key >> _FAMILY_BITS) & 3
    labels = [code for code, bit in _LABEL_BIT.items() if key & bit]
    return (
        FAMILY_CODES[family] if family < len(FAMILY_CODES) else None,
        EMPLOYER_CODES[employer] if employer < len(EMPLOYER_CODES) else None,
        labels,
    )


def build_schema():
    sb = SchemaBuilder()
    sb.add_integer_field("id", stored=True, indexed=True, fast=True)
    # Full text, French analysis. Every word must be found in ``all`` (name and the rest: one posting list per
    # word, so the words of a query intersect by skipping); ``name`` only adds to the score (it weighs more).
    sb.add_text_field("all", tokenizer_name="fr", index_option="freq")
    sb.add_text_field("name", tokenizer_name="fr", index_option="freq")
    # Unstemmed, folded copies for typo tolerance.
    sb.add_text_field("all_fold", tokenizer_name="fold", index_option="basic")
    sb.add_text_field("name_fold", tokenizer_name="fold", index_option="basic")
    # Filters (raw keywords, multi-valued where a structure has several). Family, labels and employer are counted
    # on ``facet_key``, sectors and territories on a bit mask each; the sector and territory columns are counted
    # only while some sector or territory id has no bit (ids of 63 and more).
    for name in ("family", "label", "employer", "departement"):
        sb.add_text_field(name, tokenizer_name="raw", index_option="basic")
    for name in ("sector", "territory"):
        sb.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    sb.add_integer_field("facet_key", fast=True)
    sb.add_integer_field("territories_mask", fast=True)
    # Communes are filtered by their INSEE code and counted on a number (a column of 35,000 strings makes
    # counting 5 to 10 times slower): see commune_number.
    sb.add_text_field("commune", tokenizer_name="raw", index_option="basic")
    sb.add_integer_field("commune_n", fast=True)
    # Sectors are also counted on one number per structure whose bit n is set for the sector of id n (a
    # multi-valued column of strings is 4 times slower to count): see essaim.search.query.facet_counts.
    sb.add_integer_field("sectors_mask", fast=True)
    sb.add_float_field("lat", fast=True)
    sb.add_float_field("lon", fast=True)
    sb.add_integer_field("updated", fast=True)  # epoch seconds of the last change, for sort=updated
    sb.add_integer_field("name_rank", fast=True)  # alphabetical rank of the folded name, for sort=name
    sb.add_integer_field("rand", fast=True)  # a fixed random number: fair rotation of ties (ranges read the column)
    for _, name in CELL_FIELDS:
        sb.add_integer_field(name, fast=True)
    sb.add_integer_field(COVER_FIELD, indexed=True)  # multi-valued: one key per level of COVER_LEVELS
    # What a result card shows (JSON), stored only: a page of results is served without the database.
    sb.add_bytes_field("card", stored=True, indexed=False, fast=False)
    return sb.build()


SCHEMA = build_schema()
FACETS = ("family", "label", "sector", "commune", "territory", "employer")
