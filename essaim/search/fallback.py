"""The directory from the database, while the search index is rebuilt (``essaim.search.recovery``).

A plain ORM list with the same filters where a query can follow them (text in the names, family, label, sector,
commune, territory, employer, bounding box), sorted by name: no facets, no typo tolerance, no distance order.
Slower than the index on a large directory, but the directory never shows 0 results or an error meanwhile.
"""

from django.db.models import Q

from essaim.directory.models import Structure
from essaim.search.query import SearchResult, StructureSearch, identifier_of

EMPLOYER = {"oui": True, "non": False}


def database_search(params: StructureSearch) -> SearchResult:
    """The ids of one page of published structures that match ``params`` and their count, from the database."""
    queryset = Structure.objects.published()
    q = params.q.strip()
    identifier = identifier_of(q)
    if identifier:
        field = {9: "siren", 14: "siret"}.get(len(identifier), "rna")
        queryset = queryset.filter(**{field: identifier})
    elif q:
        for word in q.split()[:8]:
            queryset = queryset.filter(Q(name__icontains=word) | Q(usual_name__icontains=word))
    if params.family:
        queryset = queryset.filter(family__in=params.family)
    if params.label:
        queryset = queryset.filter(labels__label__in=params.label)
    if params.sector:
        queryset = queryset.filter(sectors__slug__in=params.sector)
    if params.commune:
        queryset = queryset.filter(commune_id__in=params.commune)
    if params.departement:
        queryset = queryset.filter(commune__departement_id__in=params.departement)
    if params.territory:
        ids = [int(t) for t in params.territory if str(t).isdigit()]
        queryset = queryset.filter(commune__perimeters__territory_id__in=ids)
    if params.employer:
        employer = Q(pk__in=[])
        for value in params.employer:
            employer |= Q(is_employer__isnull=True) if value == "inconnu" else Q(is_employer=EMPLOYER.get(value))
        queryset = queryset.filter(employer)
    if params.ids is not None:
        queryset = queryset.filter(pk__in=params.ids)
    if params.bbox:
        min_lon, min_lat, max_lon, max_lat = params.bbox
        queryset = queryset.filter(lat__range=(min_lat, max_lat), lon__range=(min_lon, max_lon))
    ids = queryset.values("pk").distinct()
    structures = Structure.objects.filter(pk__in=ids)
    count = structures.count()
    page = []
    if params.limit > 0:
        page = list(
            structures.order_by("name", "pk").values_list("pk", flat=True)[
                params.offset : params.offset + params.limit
            ]
        )
    return SearchResult(count=count, ids=page, facets={})
