"""Searching structures: full text, facets with exact counts, geographic filters, sorting, fair rotation and
map clusters. The HTML directory and ``/api/v1/structures`` both call :func:`search_structures`, so filters and
counts cannot drift between them."""

import collections
import functools
import math
import re
from dataclasses import dataclass, field

import orjson
from tantivy import FieldType, Occur, Order, Query

from essaim.core.geo import bbox_around, haversine_km
from essaim.core.identifiers import normalize
from essaim.search.index import get_index
from essaim.search.recovery import guarded, usable_searcher
from essaim.search.schema import (
    CLUSTER_LEVEL_OFFSET,
    COVER_FIELD,
    COVER_LEVELS,
    FACETS,
    FINEST_LEVEL,
    FOLDING,
    FRENCH,
    MASK_BITS,
    RADIUS_LEVEL,
    SCHEMA,
    cell_field,
    cell_id,
    cell_xy,
    commune_code,
    cover_key,
    facet_key_values,
    sub_level,
    tile_lat,
    tile_lon,
)

SORTS = ("relevance", "distance", "name", "updated")
FACET_SIZES = {"family": 10, "label": 15, "sector": 20, "commune": 30, "territory": 30, "employer": 3}
MAX_WORDS = 8
NAME_BOOST = 4.0
BODY_BOOST = 1.0
FUZZY_NAME_BOOST = 2.0
FUZZY_BODY_BOOST = 0.5
TIE_MARGIN = 40
RAND_SPACE = 1 << 31
IDENTIFIER_RE = re.compile(r"^(\d{9}|\d{14}|W\d{9})$")


@dataclass
class StructureSearch:
    """What a person asked for. Lists within a facet are alternatives (OR); facets combine (AND)."""

    q: str = ""
    family: list[str] = field(default_factory=list)
    label: list[str] = field(default_factory=list)
    sector: list[str] = field(default_factory=list)
    commune: list[str] = field(default_factory=list)
    territory: list[str] = field(default_factory=list)
    employer: list[str] = field(default_factory=list)
    departement: list[str] = field(default_factory=list)
    near: tuple[float, float] | None = None
    radius_km: float | None = None
    bbox: tuple[float, float, float, float] | None = None
    ids: list[int] | None = None
    sort: str = "relevance"
    offset: int = 0
    limit: int = 20
    seed: int = 0
    with_facets: bool = True
    with_cards: bool = False


@dataclass
class SearchResult:
    count: int
    ids: list[int]
    facets: dict[str, list[tuple[str, int]]]
    distances: dict[int, float] = field(default_factory=dict)
    cards: list[dict] = field(default_factory=list)


def fuzzy_distance(word: str) -> int:
    """One typo from 5 letters, two from 9; none below (short words would match too much)."""
    if len(word) >= 9:
        return 2
    if len(word) >= 5:
        return 1
    return 0


def words_of(q: str) -> list[str]:
    return FOLDING.analyze(q or "")[:MAX_WORDS]


def identifier_of(q: str) -> str | None:
    """The SIREN, SIRET or RNA typed in the box, if that is what it is (then looked up in the database)."""
    value = normalize(q or "")
    return value if IDENTIFIER_RE.match(value) else None


@dataclass
class TextQuery:
    """The words of a query: ``required`` (one clause per word, which every result matches) and ``boosts``
    (optional clauses that only rank: the name weighs more). Counting and facets use the required part alone."""

    required: list
    boosts: list


def _any_of(name: str, terms: list[str]):
    """The documents with one of ``terms`` in ``name``, with the constant score a fuzzy query gives."""
    if not terms:
        return Query.empty_query()
    queries = [Query.term_query(SCHEMA, name, term, index_option="basic") for term in terms]
    query = queries[0] if len(queries) == 1 else Query.boolean_query([(Occur.Should, q) for q in queries])
    return Query.const_score_query(query, 1.0)


def text_query(q: str, searcher=None, typos=None) -> TextQuery | None:
    """Every word must match (in the name or the rest), stemmed or with a typo; the name weighs more.

    A word the index already knows as typed (in the unstemmed copy) is not a typo: it skips the fuzzy
    expansion, the costly part of a query; plurals and accents are matched by the analysis anyway. Otherwise
    ``typos`` (``IndexHandle.typos``) expands it once into the terms it may stand for (see
    ``essaim.search.vocabulary``); without it, or for a word that stands for too many terms, fuzzy queries."""
    required, boosts = [], []
    for word in words_of(q):
        stems = FRENCH.analyze(word) or [word]
        match = [Query.boost_query(Query.term_query(SCHEMA, "all", stem), BODY_BOOST) for stem in stems]
        boosts += [Query.boost_query(Query.term_query(SCHEMA, "name", stem), NAME_BOOST) for stem in stems]
        distance = fuzzy_distance(word)
        if distance and searcher is not None and _known(searcher, word):
            distance = 0
        if distance:
            terms = typos.expand(word, distance) if typos is not None else None
            if terms is None:
                body = Query.fuzzy_term_query(SCHEMA, "all_fold", word, distance)
                name = Query.fuzzy_term_query(SCHEMA, "name_fold", word, distance)
            else:
                body, name = _any_of("all_fold", terms), _any_of("name_fold", terms)
            match.append(Query.boost_query(body, FUZZY_BODY_BOOST))
            boosts.append(Query.boost_query(name, FUZZY_NAME_BOOST))
        required.append(match[0] if len(match) == 1 else Query.boolean_query([(Occur.Should, m) for m in match]))
    return TextQuery(required, boosts) if required else None


def _known(searcher, word: str) -> bool:
    return searcher.doc_freq("all_fold", word) > 0


def _radius_runs(lat: float, lon: float, radius_km: float, level: int) -> dict[int, tuple[int, int]]:
    """The cells of ``level`` whose centre lies within ``radius_km`` of the point, as one run of x per row y
    (``{y: (first x, last x)}``, by increasing y): a circle crosses each row once. Equirectangular distances: at
    these radii (≤ 200 km) the error is far below a cell."""
    min_lon, min_lat, max_lon, max_lat = bbox_around(lat, lon, radius_km)
    x0, y0 = cell_xy(max_lat, min_lon, level)
    x1, y1 = cell_xy(min_lat, max_lon, level)
    n = 1 << level
    km_lat = 111.195
    km_lon = km_lat * math.cos(math.radians(lat))
    r2 = radius_km * radius_km
    centre_x = (lon + 180.0) / 360.0 * n - 0.5  # x of the point, in cells, measured from cell centres
    cells_per_km = n / 360.0 / km_lon
    runs = {}
    for y in range(y0, y1 + 1):
        clat = tile_lat(y + 0.5, level)
        dy2 = ((clat - lat) * km_lat) ** 2
        if dy2 > r2:
            continue
        half = math.sqrt(r2 - dy2) * cells_per_km
        first, last = max(x0, math.ceil(centre_x - half)), min(x1, math.floor(centre_x + half))
        if first <= last:
            runs[y] = (first, last)
    return runs


def _run_cells(runs, level: int) -> list[int]:
    """The cell ids of runs of x (cell ids are (x << level) | y: a run of x is an arithmetic progression)."""
    cells = []
    for y, (first, last) in runs:
        cells.extend(range((first << level) | y, ((last << level) | y) + 1, 1 << level))
    return cells


def radius_cells(lat: float, lon: float, radius_km: float, level: int = RADIUS_LEVEL) -> list[int]:
    """The cells of ``level`` whose centre lies within ``radius_km`` of the point: the circle, exact to one cell
    (≈ 1 km at RADIUS_LEVEL)."""
    return _run_cells(_radius_runs(lat, lon, radius_km, level).items(), level)


def radius_cover(lat: float, lon: float, radius_km: float) -> list[tuple[int, list[int]]]:
    """The same area as ``radius_cells`` (the cells of RADIUS_LEVEL whose centre is in the circle), made of
    fewer, larger cells: each block of cells of a coarser indexed level (COVER_LEVELS) that lies wholly in the
    area replaces the cells it holds. ``[(level, cell ids)]``, finest level first.

    The documents matched are exactly the same, through far fewer terms (a 20 km circle: about 300 instead of
    2,000; 50 km: 1,000 instead of 12,000), each of which costs a lookup in every segment's term dictionary."""
    runs = _radius_runs(lat, lon, radius_km, RADIUS_LEVEL)
    level = RADIUS_LEVEL
    cover = []
    for parent in sorted((c for c in COVER_LEVELS if c < RADIUS_LEVEL), reverse=True):
        shift = level - parent
        size = 1 << shift
        parent_runs, rest = {}, []
        for block_y in dict.fromkeys(y >> shift for y in runs):
            present = [(y, runs[y]) for y in range(block_y << shift, (block_y + 1) << shift) if y in runs]
            if len(present) == size:
                # Blocks wholly inside: x from the first block that starts at or after every row's first cell
                # to the last that ends at or before every row's last cell.
                first_block = -(-max(run[0] for _, run in present) // size)
                last_block = (min(run[1] for _, run in present) + 1) // size - 1
                if first_block <= last_block:
                    parent_runs[block_y] = (first_block, last_block)
                    cut_first, cut_last = first_block << shift, ((last_block + 1) << shift) - 1
                    for y, (first, last) in present:
                        if first < cut_first:
                            rest.append((y, (first, cut_first - 1)))
                        if cut_last < last:
                            rest.append((y, (cut_last + 1, last)))
                    continue
            rest += present
        cover.append((level, _run_cells(rest, level)))
        runs, level = parent_runs, parent
        if not runs:
            break
    if runs:
        cover.append((level, _run_cells(runs.items(), level)))
    return [(lv, cells) for lv, cells in cover if cells]


def _terms(name: str, values) -> Query:
    """A filter on one facet: its posting lists are read lazily (an intersection skips through them), never
    gathered into a bitset of the whole index as a term set would be; it adds nothing to the score."""
    terms = [Query.term_query(SCHEMA, name, str(v), index_option="basic") for v in dict.fromkeys(values)]
    query = terms[0] if len(terms) == 1 else Query.boolean_query([(Occur.Should, t) for t in terms])
    return Query.const_score_query(query, 0.0)


def filter_queries(params: StructureSearch) -> list:
    """The filters as queries."""
    queries = []
    for name in (*FACETS, "departement"):
        values = getattr(params, name)
        if values:
            queries.append(_terms(name, values))
    if params.ids is not None:
        queries.append(Query.term_set_query(SCHEMA, "id", list(params.ids)) if params.ids else Query.empty_query())
    if params.bbox:
        min_lon, min_lat, max_lon, max_lat = params.bbox
        queries.append(Query.range_query(SCHEMA, "lat", FieldType.Float, min_lat, max_lat))
        queries.append(Query.range_query(SCHEMA, "lon", FieldType.Float, min_lon, max_lon))
    if params.near and params.radius_km:
        queries.append(_radius_query(*params.near, params.radius_km))
    return queries


def _radius_query(lat, lon, radius_km):
    """The documents within the circle (to one cell of RADIUS_LEVEL), through its cover of cells of several
    levels, as one term set of COVER_FIELD; adds nothing to the score."""
    keys = _radius_keys(lat, lon, radius_km)
    if not keys:
        return Query.empty_query()
    return Query.const_score_query(Query.term_set_query(SCHEMA, COVER_FIELD, list(keys)), 0.0)


@functools.lru_cache(maxsize=512)
def _radius_keys(lat, lon, radius_km) -> tuple[int, ...]:
    """The terms of a circle's cover: pure geometry (0.3 to 0.6 ms of Python for 20 km), kept for the circles
    searched most (a commune's centre and a radius: the same for everybody who searches around that commune)."""
    return tuple(cover_key(level, cell) for level, cells in radius_cover(lat, lon, radius_km) for cell in cells)


def build_query(params: StructureSearch, *, text: TextQuery | None = None, ranked: bool = True, filters=None):
    """The whole query: filters and required words; with ``ranked``, the optional clauses that order results
    (leave them out when only counting). ``filters``: ``filter_queries(params)`` when already made."""
    parts = [(Occur.Must, q) for q in (filter_queries(params) if filters is None else filters)]
    if text is not None:
        parts[:0] = [(Occur.Must, q) for q in text.required]
        if ranked:
            parts += [(Occur.Should, q) for q in text.boosts]
    if not parts:
        return Query.all_query()
    if len(parts) == 1 and parts[0][0] == Occur.Must:
        return parts[0][1]
    return Query.boolean_query(parts)


MASK_BUCKETS = 4096
# tantivy counts each segment apart and keeps only a segment's first buckets (``segment_size``, by default 10 ×
# the size asked for): communes, and territories counted on their column, keep them all (below tantivy's limit of
# 65,000 buckets). Masks and facet keys have a few hundred values at most: every one is kept.
EVERY_BUCKET = 60_000
# Up to this many matches, a search that ranks them collects them all in its one pass and counts the facets on
# those hits (four fast fields read back), instead of running the query again for tantivy's aggregations.
COLLECT_ALL = 500


@dataclass(frozen=True)
class FacetPlan:
    """How facets are counted for the current sectors and territories: on their bit mask while every id has a
    bit (always in practice: ids below 63), else on their column. ``slugs`` names sector ids."""

    slugs: dict[int, str]
    sector_bits: bool
    territory_bits: bool

    @classmethod
    def current(cls) -> "FacetPlan":
        from essaim.search.params import FACET_NAMES

        slugs = FACET_NAMES.sector_slugs()
        return cls(slugs, all(pk < MASK_BITS for pk in slugs), FACET_NAMES.territory_bits())

    @property
    def masks_only(self) -> bool:
        return self.sector_bits and self.territory_bits


def _terms_spec(field_name: str, size: int, every: bool = False) -> dict:
    terms = {"field": field_name, "size": size}
    if every:
        terms["segment_size"] = EVERY_BUCKET
    return {"terms": terms}


def _every_value(field_name: str) -> dict:
    """Keys and masks: all of their values (a few hundred in practice), kept in every segment."""
    return {"terms": {"field": field_name, "size": MASK_BUCKETS, "segment_size": MASK_BUCKETS}}


def _agg_spec(sector_bits: bool, territory_bits: bool) -> dict:
    return {
        "facet_key": _every_value("facet_key"),
        "commune": _terms_spec("commune_n", FACET_SIZES["commune"], every=True),
        "sector": _every_value("sectors_mask") if sector_bits else _terms_spec("sector", FACET_SIZES["sector"]),
        "territory": (
            _every_value("territories_mask")
            if territory_bits
            else _terms_spec("territory", FACET_SIZES["territory"], every=True)
        ),
    }


AGG_SPECS = {bits: _agg_spec(*bits) for bits in ((True, True), (True, False), (False, True), (False, False))}


def _buckets(result, name):
    return [(b["key"], b["doc_count"]) for b in result.get(name, {}).get("buckets", [])]


def _top(counts, size: int) -> list[tuple[str, int]]:
    """The ``size`` largest counts, ties by value: the same order however they were counted."""
    return sorted(((value, n) for value, n in counts.items() if n), key=lambda item: (-item[1], item[0]))[:size]


@functools.lru_cache(maxsize=4096)
def _bits(mask: int) -> tuple[int, ...]:
    """The positions of the bits set in ``mask``."""
    bits = []
    while mask:
        low = mask & -mask
        bits.append(low.bit_length() - 1)
        mask ^= low
    return tuple(bits)


def _mask_counts(buckets, names: dict[int, str] | None = None) -> collections.Counter:
    """Counts per id (or per name of an id) from counts per mask: a structure counts once for each bit set."""
    counts = collections.Counter()
    for mask, n in buckets:
        for pk in _bits(int(mask)):
            counts[pk] += n
    if names is None:
        return collections.Counter({str(pk): n for pk, n in counts.items()})
    return collections.Counter({names[pk]: n for pk, n in counts.items() if pk in names})


# Pure decodings of the numbers facets are counted on, asked again at every search (a few hundred keys and masks;
# communes: at most every commune of France).
_facet_key_values = functools.lru_cache(maxsize=4096)(facet_key_values)
_commune_code = functools.lru_cache(maxsize=65536)(commune_code)


def _facets_of(keys, communes, sectors, territories, plan: FacetPlan) -> tuple[dict, int]:
    """The facets and the number of matches from counts per value of the counted columns, as ``(value, count)``
    pairs: ``keys`` per ``facet_key`` (every document has one: they add up to the matches), ``communes`` per
    commune number, ``sectors`` and ``territories`` per mask (or per value when the plan reads their column)."""
    family, employer, label = collections.Counter(), collections.Counter(), collections.Counter()
    count = 0
    for key, n in keys:
        count += n
        fam, emp, labels = _facet_key_values(int(key))
        if fam:
            family[fam] += n
        if emp:
            employer[emp] += n
        for code in labels:
            label[code] += n
    by_commune = collections.Counter()
    for number, n in communes:
        by_commune[_commune_code(int(number))] += n
    sector = _mask_counts(sectors, plan.slugs) if plan.sector_bits else collections.Counter(dict(sectors))
    territory = _mask_counts(territories) if plan.territory_bits else collections.Counter(dict(territories))
    counted = {"family": family, "label": label, "sector": sector, "commune": by_commune, "territory": territory,
               "employer": employer}  # fmt: skip
    return {name: _top(counted[name], FACET_SIZES[name]) for name in FACETS}, count


def facet_counts(searcher, query, plan: FacetPlan | None = None) -> tuple[dict[str, list[tuple[str, int]]], int]:
    """Exact counts of every facet over the whole match set, through tantivy's aggregations, and the number of
    matches.

    Family, employer value and labels are counted on one number per structure (``facet_key``), communes on their
    number, sectors and territories on a bit mask per structure (much faster than columns of strings). Keys and
    masks have a few hundred values at most: every segment keeps them all.

    tantivy counts each segment apart and keeps only a segment's first buckets (300 for 30 asked): a commune among
    the first 30 of the index could be cut from the lists of two segments and come back undercounted, or not at
    all. Communes keep every bucket of every segment: about 100 ns per commune and segment, 3 to 5 ms on the
    broadest searches at a million structures (docs/directory-performance.md)."""
    plan = plan or FacetPlan.current()
    result = searcher.aggregate(query, AGG_SPECS[plan.sector_bits, plan.territory_bits])
    facets, count = _facets_of(
        _buckets(result, "facet_key"),
        _buckets(result, "commune"),
        _buckets(result, "sector"),
        _buckets(result, "territory"),
        plan,
    )
    keys = result.get("facet_key", {})
    return facets, count + keys.get("sum_other_doc_count", 0)


def collected_facet_counts(searcher, addresses, plan: FacetPlan) -> tuple[dict[str, list[tuple[str, int]]], int]:
    """The same facets as :func:`facet_counts`, counted on hits that hold every match (read from their fast
    fields, without running the query again)."""
    columns = [searcher.fast_field_values(name, addresses) for name in ("facet_key", "commune_n")]
    columns += [searcher.fast_field_values(name, addresses) for name in ("sectors_mask", "territories_mask")]
    keys, communes, sectors, territories = (_counted(values) for values in columns)
    return _facets_of(keys, communes, sectors, territories, plan)


def _counted(values) -> list[tuple[int, int]]:
    counts = collections.Counter(values)
    counts.pop(None, None)
    return list(counts.items())


def _columns(searcher, addresses, *names):
    """The fast-field values of ``names`` for each address, as tuples in the addresses' order."""
    return zip(*(searcher.fast_field_values(name, addresses) for name in names), strict=True)


_MIX = 0x9E3779B97F4A7C15  # 2^64 / golden ratio (Fibonacci hashing)
_MASK64 = (1 << 64) - 1


def _tie_key(seed: int, pk: int) -> int:
    """A pseudo-random rank of ``pk`` for one ``seed``: a different order of ties for each person, the same for
    one person (splitmix64's finaliser over the pair, pure integer arithmetic)."""
    x = ((seed & _MASK64) * _MIX + pk) & _MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK64
    return x ^ (x >> 31)


def _rotated(searcher, query, params: StructureSearch, count: bool):
    """Browsing without words: every structure ties, so the list starts at a point of a fixed random order that
    depends on the person's seed, and wraps around. Stable from one page to the next for the same seed."""
    start = params.seed % RAND_SPACE
    upper = Query.boolean_query(
        [(Occur.Must, query), (Occur.Must, Query.range_query(SCHEMA, "rand", FieldType.Integer, start, None))]
    )
    first = searcher.search(upper, limit=params.offset + params.limit, order_by_field="rand", order=Order.Asc)
    hits = first.hits[params.offset : params.offset + params.limit]
    total = first.count
    if start > 0:
        lower = Query.boolean_query(
            [
                (Occur.Must, query),
                (Occur.Must, Query.range_query(SCHEMA, "rand", FieldType.Integer, 0, start, include_upper=False)),
            ]
        )
        missing = params.limit - len(hits)
        offset = max(0, params.offset - first.count)
        if missing > 0 or count:
            second = searcher.search(lower, limit=offset + max(missing, 1), order_by_field="rand", order=Order.Asc)
            total += second.count
            if missing > 0:
                hits += second.hits[offset : offset + missing]
    return [address for _, address in hits], total


def _by_relevance(searcher, query, params: StructureSearch, count: bool, collect: int = 0):
    """Top hits by score; equal scores are ordered by a hash of (seed, id), so ties rotate between people. With
    ``collect``, that many hits at least are collected (``_Page.complete`` tells whether they hold every match)."""
    wanted = params.offset + params.limit
    result = searcher.search(query, limit=max(wanted + TIE_MARGIN, collect), count=count or bool(collect))
    hits = result.hits  # a new list of every hit at each access
    first = hits[: wanted + TIE_MARGIN]
    addresses = [address for _, address in first]
    ids = searcher.fast_field_values("id", addresses)
    scores = [round(score, 4) for score, _ in first]
    tied = {score for score, n in collections.Counter(scores).items() if n > 1}
    ranked = sorted(
        zip(ids, scores, addresses, strict=True),
        key=lambda item: (-item[1], _tie_key(params.seed, item[0]) if item[1] in tied else 0),
    )
    return _Page([address for _, _, address in ranked[params.offset : wanted]], result.count, hits)


def _by_field(searcher, query, params: StructureSearch, field_name: str, order, count: bool, collect: int = 0):
    wanted = params.offset + params.limit
    result = searcher.search(
        query, limit=max(wanted, collect), order_by_field=field_name, order=order, count=count or bool(collect)
    )
    hits = result.hits
    return _Page([address for _, address in hits[params.offset : wanted]], result.count, hits)


@dataclass
class _Page:
    """The addresses of one page of results, the number of matches (None when not counted) and every hit the
    search collected."""

    addresses: list
    count: int | None
    hits: list

    @property
    def complete(self) -> bool:
        """Whether the search collected every match (then its hits can be counted instead of the query)."""
        return self.count is not None and self.count <= len(self.hits)

    def every_match(self) -> list:
        return [address for _, address in self.hits]


def _by_distance(searcher, params: StructureSearch, text):
    """Nearest first: look in growing circles until there are enough structures, then sort them exactly."""
    lat, lon = params.near
    radius = params.radius_km or 50.0
    wanted = params.offset + params.limit
    ring = radius / 16 or radius  # a radius so small that its sixteenth is 0.0 would never grow
    while True:
        ring = min(ring * 2, radius)
        sub = StructureSearch(**{**params.__dict__, "radius_km": ring})
        query = build_query(sub, text=text, ranked=False)
        count = searcher.search(query, limit=1).count
        if count >= wanted or ring >= radius:
            if not count:  # tantivy refuses a limit of 0 (a panic, read as a damaged index)
                return []
            result = searcher.search(query, limit=min(count, 20000), count=False)
            addresses = [address for _, address in result.hits]
            ranked = sorted(
                (haversine_km(lat, lon, a, b), k)
                for k, (a, b) in enumerate(_columns(searcher, addresses, "lat", "lon"))
                if a is not None
            )
            return [addresses[k] for _, k in ranked[params.offset : wanted]]


@guarded
def search_structures(params: StructureSearch) -> SearchResult:
    """Runs a search: ordered ids of one page, the total count and the facets (exact counts); with
    ``with_cards``, the page's result cards as stored in the index.

    A search ranked by score, name or date runs its query once when it has few matches: the ranked pass collects
    up to COLLECT_ALL hits and, when they are all the matches, the facets are counted on them. Otherwise (or when
    browsing, or by distance) tantivy's aggregations count the facets in a pass of their own.

    Raises :class:`~essaim.search.recovery.IndexUnavailable` while the index is rebuilt (missing, damaged, empty)."""
    handle = get_index()
    searcher = usable_searcher(handle)
    identifier = identifier_of(params.q)
    text = None
    if identifier:
        params = StructureSearch(**{**params.__dict__, "q": "", "ids": _identifier_ids(identifier, params.ids)})
    elif params.q.strip():
        text = text_query(params.q, searcher, handle.typos)
    filters = filter_queries(params)
    matching = build_query(params, text=text, ranked=False, filters=filters)  # for counts and field orders
    plan = FacetPlan.current() if params.with_facets else None
    collect = COLLECT_ALL if plan is not None and plan.masks_only else 0
    page = None
    if params.limit <= 0 or (params.sort == "distance" and params.near):
        pass
    elif params.sort == "name":
        page = _by_field(searcher, matching, params, "name_rank", Order.Asc, not params.with_facets, collect)
    elif params.sort == "updated":
        page = _by_field(searcher, matching, params, "updated", Order.Desc, not params.with_facets, collect)
    elif text is not None:
        ranked = build_query(params, text=text, filters=filters)
        page = _by_relevance(searcher, ranked, params, not params.with_facets, collect)
    facets, count = {}, None
    if plan is not None:
        if page is not None and collect and page.complete:
            facets, count = collected_facet_counts(searcher, page.every_match(), plan)
        else:
            facets, count = facet_counts(searcher, matching, plan)
    if page is not None:
        addresses, found = page.addresses, page.count
    elif params.limit <= 0:
        addresses, found = [], None
    elif params.sort == "distance" and params.near:
        addresses, found = _by_distance(searcher, params, text), None  # counts only its last ring
    else:
        addresses, found = _rotated(searcher, matching, params, count is None)
    if count is None:
        count = found if found is not None else searcher.search(matching, limit=1).count
    ids = searcher.fast_field_values("id", addresses)
    distances = _distances(searcher, ids, addresses, params.near) if params.near and addresses else {}
    cards = [orjson.loads(searcher.doc(a).get_first("card")) for a in addresses] if params.with_cards else []
    return SearchResult(count=count, ids=ids, facets=facets, distances=distances, cards=cards)


def _distances(searcher, ids, addresses, near):
    out = {}
    for pk, (a, b) in zip(ids, _columns(searcher, addresses, "lat", "lon"), strict=True):
        if a is not None:
            out[pk] = round(haversine_km(near[0], near[1], a, b), 2)
    return out


def _identifier_ids(identifier: str, restrict):
    """Exact lookups stay in the database (never in the index)."""
    from django.db.models import Q

    from essaim.directory.models import Structure

    if identifier.startswith("W"):
        lookup = Q(rna=identifier)
    elif len(identifier) == 9:
        lookup = Q(siren=identifier)
    else:
        lookup = Q(siret=identifier)
    ids = list(Structure.objects.published().filter(lookup).values_list("id", flat=True)[:1000])
    if restrict is not None:
        ids = [pk for pk in ids if pk in set(restrict)]
    return ids


# Clusters ---------------------------------------------------------------------------------------------------

MAX_CLUSTER_BUCKETS = 600
POINTS_FROM_ZOOM = 16
MAX_POINTS = 600
# Clusters are counted per cell of 2 × 2 finer cells (``sub_level``): the centre is the mean of those (to 1/4 of
# a cluster cell, 16 or 32 px on screen) and the bounds their extent, without reading coordinates document by
# document (3 ns per document for the counts, 30 more for each coordinate statistic).
MIN_CLUSTER_LEVEL = 3
MAX_SUB_BUCKETS = 40_000
MAX_COVER_CELLS = 1_500
MAX_SINGLE_LOOKUP = 5_000


def cluster_level(zoom: int) -> int:
    """The odd level of the cells a map at ``zoom`` shows (64 or 128 px): its 2 × 2 subcells have a fast field."""
    level = zoom + CLUSTER_LEVEL_OFFSET
    return max(min(level - (level % 2 == 0), FINEST_LEVEL - 1), MIN_CLUSTER_LEVEL)


def _cell_range(bbox, level: int) -> tuple[int, int, int, int]:
    """The x and y ranges of the cells of ``level`` that a bbox touches."""
    min_lon, min_lat, max_lon, max_lat = bbox
    x0, y0 = cell_xy(max_lat, min_lon, level)
    x1, y1 = cell_xy(min_lat, max_lon, level)
    return x0, x1, y0, y1


def _cover_query(bbox, level: int):
    """The documents of the cells that touch the bbox, through the indexed cell terms (a range on the
    coordinates would read the whole coordinate columns): the finest indexed level, ``level`` at most, whose
    cover takes at most MAX_COVER_CELLS terms."""
    for cover in sorted((c for c in COVER_LEVELS if c <= level), reverse=True):
        x0, x1, y0, y1 = _cell_range(bbox, cover)
        if (x1 - x0 + 1) * (y1 - y0 + 1) <= MAX_COVER_CELLS:
            if x0 == 0 and y0 == 0 and x1 == y1 == (1 << cover) - 1:
                return None  # the whole world
            keys = [cover_key(cover, cell_id(x, y, cover)) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]
            return Query.term_set_query(SCHEMA, COVER_FIELD, keys)
    return None


@guarded
def cluster_structures(params: StructureSearch, *, zoom: int) -> dict:
    """Server-side clusters for a bounding box and zoom level: per cell of the map's grid, the count, the centre
    and the bounds; a cell with a single structure is returned as a point with its id and exact position."""
    handle = get_index()
    searcher = usable_searcher(handle)
    identifier = identifier_of(params.q)
    text = text_query(params.q, searcher, handle.typos) if params.q.strip() and not identifier else None
    if identifier:
        params = StructureSearch(**{**params.__dict__, "q": "", "ids": _identifier_ids(identifier, None)})
    bbox = params.bbox or (-180.0, -85.0, 180.0, 85.0)
    level = cluster_level(zoom)
    # The bbox is applied through cells (see _cover_query) and cut exactly below, never as a coordinate range.
    query = build_query(StructureSearch(**{**params.__dict__, "bbox": None}), text=text, ranked=False)
    cover = _cover_query(bbox, level) if level >= COVER_LEVELS[0] else None
    if cover is not None:
        query = Query.boolean_query([(Occur.Must, query), (Occur.Must, cover)])
    if zoom >= POINTS_FROM_ZOOM:
        return _points(searcher, query, bbox, zoom, level)
    sub = sub_level(level)
    shift = sub - level
    result = searcher.aggregate(query, {"cells": {"terms": {"field": cell_field(sub), "size": MAX_SUB_BUCKETS}}})
    mask = (1 << sub) - 1
    cells: dict[int, list] = {}
    for bucket in result["cells"]["buckets"]:
        key, n = bucket["key"], bucket["doc_count"]
        sx, sy = key >> sub, key & mask
        parent = ((sx >> shift) << level) | (sy >> shift)
        cell = cells.get(parent)
        if cell is None:
            cells[parent] = [n, n * sx, n * sy, sx, sx, sy, sy]
            continue
        cell[0] += n
        cell[1] += n * sx
        cell[2] += n * sy
        if sx < cell[3]:
            cell[3] = sx
        elif sx > cell[4]:
            cell[4] = sx
        if sy < cell[5]:
            cell[5] = sy
        elif sy > cell[6]:
            cell[6] = sy
    x0, x1, y0, y1 = _cell_range(bbox, level)
    low = (1 << level) - 1
    cells = {key: cell for key, cell in cells.items() if x0 <= key >> level <= x1 and y0 <= key & low <= y1}
    ranked = sorted(cells.items(), key=lambda item: -item[1][0])
    truncated = len(ranked) > MAX_CLUSTER_BUCKETS or result["cells"].get("sum_other_doc_count", 0) > 0
    ranked = ranked[:MAX_CLUSTER_BUCKETS]
    singles = _single_points(searcher, query, [key for key, cell in ranked if cell[0] == 1], level, sub)
    clusters, points, total = [], [], 0
    for key, (n, sum_x, sum_y, min_x, max_x, min_y, max_y) in ranked:
        total += n
        if key in singles:
            points.append(singles[key])
            continue
        clusters.append(
            {
                "count": n,
                "lat": round(tile_lat(sum_y / n + 0.5, sub), 5),
                "lon": round(tile_lon(sum_x / n + 0.5, sub), 5),
                "bounds": [
                    round(tile_lon(min_x, sub), 4),
                    round(tile_lat(max_y + 1, sub), 4),
                    round(tile_lon(max_x + 1, sub), 4),
                    round(tile_lat(min_y, sub), 4),
                ],
            }
        )
    return {"zoom": zoom, "level": level, "total": total, "clusters": clusters, "points": points,
            "truncated": truncated}  # fmt: skip


def _single_points(searcher, query, keys: list[int], level: int, sub: int) -> dict[int, dict]:
    """The structure alone in each cell of ``keys``, with its id and exact position: looked up through the
    indexed cells that hold those cells, or, zoomed out (no indexed level that coarse), among the first matches
    (a cell left unresolved stays a cluster of one). A document's cell of ``level`` comes from its ``sub`` cell."""
    if not keys:
        return {}
    if level >= COVER_LEVELS[0]:
        lookup = max(c for c in COVER_LEVELS if c <= level)
        shift = level - lookup
        mask = (1 << level) - 1
        outer = sorted({cover_key(lookup, cell_id((k >> level) >> shift, (k & mask) >> shift, lookup)) for k in keys})
        cells = Query.term_set_query(SCHEMA, COVER_FIELD, outer)
        query = Query.boolean_query([(Occur.Must, query), (Occur.Must, cells)])
    found = searcher.search(query, limit=MAX_SINGLE_LOOKUP, count=False)
    addresses = [a for _, a in found.hits]
    wanted = set(keys)
    shift, sub_mask = sub - level, (1 << sub) - 1
    out = {}
    for sub_cell, pk, lat, lon in _columns(searcher, addresses, cell_field(sub), "id", "lat", "lon"):
        if sub_cell is None:
            continue
        cell = cell_id((sub_cell >> sub) >> shift, (sub_cell & sub_mask) >> shift, level)
        if cell in wanted:
            out[cell] = {"id": pk, "lat": round(lat, 5), "lon": round(lon, 5)}
    return out


def _points(searcher, query, bbox, zoom: int, level: int) -> dict:
    """Zoomed in: the structures themselves (at most MAX_POINTS), cut exactly to the bbox."""
    min_lon, min_lat, max_lon, max_lat = bbox
    found = searcher.search(query, limit=MAX_SINGLE_LOOKUP, count=True)
    addresses = [a for _, a in found.hits]
    points = []
    for pk, lat, lon in _columns(searcher, addresses, "id", "lat", "lon"):
        if lat is not None and min_lat <= lat <= max_lat and min_lon <= lon <= max_lon:
            points.append({"id": pk, "lat": round(lat, 5), "lon": round(lon, 5)})
    total = len(points)
    return {"zoom": zoom, "level": level, "total": total, "clusters": [], "points": points[:MAX_POINTS],
            "truncated": total > MAX_POINTS or found.count > len(addresses)}  # fmt: skip
