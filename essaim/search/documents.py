"""From the database to index documents: the rows of structures, their labels and sectors, in batches (a whole
reindex reads 1M structures), and the context documents need (communes, sectors, label names). Building the
documents themselves is pure (``essaim.search.build``)."""

import collections
from collections.abc import Iterable, Iterator

from django.db import connection

from essaim.directory.enums import Label, Status
from essaim.directory.models import Sector, Structure, StructureLabel
from essaim.search.build import STRUCTURE_FIELDS, Context


def load_context(insee_codes: Iterable[str] | None = None) -> Context:
    """Names, départements and territories of communes (all of them, or those of ``insee_codes``), sectors and
    label names."""
    from essaim.territories.models import Commune, TerritoryCommune

    communes = Commune.objects.all()
    perimeter = TerritoryCommune.objects.all()
    if insee_codes is not None:
        codes = set(insee_codes)
        communes = communes.filter(insee_code__in=codes)
        perimeter = perimeter.filter(commune_id__in=codes)
    territories = collections.defaultdict(list)
    for code, territory_id in perimeter.values_list("commune_id", "territory_id"):
        territories[code].append(str(territory_id))
    return Context(
        communes={
            code: (name, dep, tuple(territories.get(code, ())))
            for code, name, dep in communes.values_list("insee_code", "name", "departement_id")
        },
        sectors={pk: (slug, name) for pk, slug, name in Sector.objects.values_list("id", "slug", "name")},
        labels={code: str(name) for code, name in Label.choices},
    )


def related(ids: list[int]) -> tuple[dict[int, list[str]], dict[int, list[int]]]:
    """Label codes and sector ids per structure id, for a batch of ids (read by id range when they are dense)."""
    labels = collections.defaultdict(list)
    sectors = collections.defaultdict(list)
    if not ids:
        return labels, sectors
    low, high = min(ids), max(ids)
    dense = len(ids) > 500 and (high - low) < 4 * len(ids)
    label_rows = StructureLabel.objects.all()
    sector_rows = Structure.sectors.through.objects.all()
    if dense:
        label_rows = label_rows.filter(structure_id__gte=low, structure_id__lte=high)
        sector_rows = sector_rows.filter(structure_id__gte=low, structure_id__lte=high)
    else:
        label_rows = label_rows.filter(structure_id__in=ids)
        sector_rows = sector_rows.filter(structure_id__in=ids)
    for sid, label in label_rows.values_list("structure_id", "label"):
        labels[sid].append(label)
    for sid, sector_id in sector_rows.values_list("structure_id", "sector_id"):
        sectors[sid].append(sector_id)
    return dict(labels), dict(sectors)


def _raw_rows(queryset, size: int) -> Iterator[list[tuple]]:
    """The rows of a ``values_list`` queryset as the database driver returns them, ``size`` at a time: without
    Django's per-value converters (on SQLite, parsing each date takes longer than reading the row), through a
    server-side cursor on PostgreSQL. ``essaim.search.build`` accepts both drivers' types."""
    sql, params = queryset.query.sql_with_params()
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(size):
            yield rows


def published_batches(*, ids=None, batch_size: int = 20000) -> Iterator[tuple[list[tuple], dict, dict]]:
    """(rows of ``STRUCTURE_FIELDS``, labels, sectors) of the published structures, by increasing id,
    ``batch_size`` rows at a time: all of them through one query read in chunks (not one query per batch, each
    of which would have the database sort or skip what came before), or those of ``ids``."""
    queryset = Structure.objects.order_by("id").values_list(*STRUCTURE_FIELDS, "status")
    if ids is None:
        chunks = _raw_rows(queryset, batch_size)
    else:
        ids = sorted(set(ids))
        chunks = (
            rows
            for k in range(0, len(ids), batch_size)
            for rows in _raw_rows(queryset.filter(id__in=ids[k : k + batch_size]), batch_size)
        )
    for chunk in chunks:
        rows = [row[:-1] for row in chunk if row[-1] == Status.PUBLISHED]
        if rows:
            yield (rows, *related([row[0] for row in rows]))
