"""Public pages of the directory: the searchable list with facets, the map with its list, the embeddable map and
the structure page. All public; they work without JavaScript, htmx and directory.js only enhance them."""

import json
import math
from urllib.parse import urlencode

from csp.decorators import csp_replace
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import _json_script_escapes
from django.utils.safestring import mark_safe
from django.views.decorators.clickjacking import xframe_options_exempt

from essaim.directory import perms
from essaim.directory.enums import Label, RequestStatus
from essaim.directory.exports import export_structures_csv, structure_jsonld
from essaim.directory.legal_forms import legal_form_label
from essaim.directory.models import Structure
from essaim.search.fallback import database_search
from essaim.search.params import FACET_TITLES, SearchParamError, facet_labels, parse_search, request_seed
from essaim.search.query import search_structures
from essaim.search.recovery import IndexUnavailable
from essaim.territories import lookup
from essaim.territories.outlines import bbox_string, outlines
from essaim.www.directory.forms import SearchForm
from essaim.www.forms import refused_status

FILTER_KEYS = (
    "q",
    "family",
    "label",
    "sector",
    "commune",
    "territory",
    "employer",
    "near_commune",
    "radius_km",
    "sort",
)
EXPORT_LIMIT = 5000


def _facets_for_display(request, facets):
    """Facets as fieldsets of checkboxes: every bucket with its count, the chosen values checked (and kept even
    when they fall outside the top values)."""
    labelled = facet_labels(facets)
    out = []
    for name, buckets in labelled.items():
        chosen = set()
        for value in request.GET.getlist(name):
            chosen.update(v for v in value.split(",") if v)
        values = [{**b, "checked": b["value"] in chosen} for b in buckets]
        seen = {b["value"] for b in buckets}
        values += [{"value": v, "label": v, "count": 0, "checked": True} for v in sorted(chosen - seen)]
        if values:
            out.append({"name": name, "title": FACET_TITLES[name], "values": values})
    return out


def _resolve_near(data) -> tuple[lookup.CommuneEntry | None, str, list]:
    """``near_commune`` may be a name typed without JavaScript (« bethune », « Béthune (62400) ») or an INSEE
    code: the code replaces it in ``data``. Returns a French error and the communes to choose from, if any."""
    typed = (data.get("near_commune") or "").strip()
    if not typed:
        return None, "", []
    found = lookup.resolve(typed)
    if found.entry is None:
        for key in ("near_commune", "radius_km"):
            data.pop(key, None)
        if data.get("sort") == "distance":
            data.pop("sort")
        return None, found.error, found.choices
    data["near_commune"] = found.entry.insee_code
    return found.entry, "", []


def _without(request, key: str, value: str | None = None, *also: str) -> str:
    """The query string without one value of ``key`` (or all of them), nor the page, nor ``also``."""
    query = request.GET.copy()
    for name in ("page", *also):
        query.pop(name, None)
    if value is None:
        query.pop(key, None)
    else:
        kept = []
        for raw in query.getlist(key):
            parts = [v for v in raw.split(",") if v and v != value]
            kept += [",".join(parts)] if parts else []
        query.setlist(key, kept)
        if not kept:
            query.pop(key)
    return query.urlencode()


def _with(request, **values) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    for key, value in values.items():
        query[key] = value
    return query.urlencode()


def active_filters(request, facets, *, near_entry=None) -> list[dict]:
    """The filters in force, each with its label (« Commune : Béthune ») and the query string that removes it."""
    out = []
    q = (request.GET.get("q") or "").strip()
    if q:
        out.append({"label": f"Recherche\u00a0: «\u00a0{q}\u00a0»", "query": _without(request, "q")})
    labels = {f["name"]: {v["value"]: v["label"] for v in f["values"]} for f in facets}
    for name, title in FACET_TITLES.items():
        for raw in request.GET.getlist(name):
            for value in (v for v in raw.split(",") if v):
                label = labels.get(name, {}).get(value, value)
                if name == "commune" and label == value:
                    entry = lookup.resolve(value).entry
                    label = entry.name if entry else value
                out.append(
                    {
                        "label": f"{title}\u00a0: {str(label)[:1].upper()}{str(label)[1:]}",
                        "query": _without(request, name, value),
                    }
                )
    if near_entry is not None:
        radius = request.GET.get("radius_km") or "20"
        out.append(
            {
                "label": f"Autour de {near_entry.label}, {radius}\u00a0km",
                "query": _without(
                    request,
                    "near_commune",
                    None,
                    "radius_km",
                    *(["sort"] if request.GET.get("sort") == "distance" else []),
                ),
            }
        )
    if request.GET.get("bbox") and request.resolver_match and request.resolver_match.url_name in ("map", "embed"):
        out.append({"label": "Zone de la carte", "query": _without(request, "bbox")})
    return out


def _search(search):
    """The index's answer, or the database's while the index is rebuilt (then without facets); and which."""
    try:
        return search_structures(search), False
    except IndexUnavailable:
        return database_search(search), True


def search_context(request, *, page_size: int = 20, keep_bbox: bool = False) -> dict:
    """Everything the list and the map pages show for the query string: results, facets, pages, errors, the
    active filters (each removable) and the commune a proximity search is about."""
    form = SearchForm(request.GET or None)
    data = request.GET.copy()
    if not keep_bbox:
        data.pop("bbox", None)
    near_entry, near_error, near_choices = _resolve_near(data)
    error = ""
    try:
        parsed = parse_search(data, seed=request_seed(request), default_page_size=page_size)
    except SearchParamError as exc:
        error = str(exc)
        parsed = parse_search({}, seed=request_seed(request), default_page_size=page_size)
    result, index_rebuilding = _search(parsed.search)
    structures = Structure.objects.by_ids(result.ids)
    for structure in structures:
        structure.distance_km = result.distances.get(structure.pk)
    query = request.GET.copy()
    query.pop("page", None)
    filters = [(key, v) for key, values in data.lists() if key in FILTER_KEYS for v in values if v]
    num_pages = max(1, math.ceil(min(result.count, 10_000) / parsed.page_size))
    facets = _facets_for_display(request, result.facets)
    if near_error:
        form.add_error("near_commune", near_error)
    if near_entry is not None and form.data.get("near_commune") != near_entry.label:
        form.data = form.data.copy()
        form.data["near_commune"] = near_entry.label
    return {
        "form": form,
        "error": error,
        "near_error": near_error,
        "near_choices": [
            {"label": entry.label, "query": _with(request, near_commune=entry.insee_code)} for entry in near_choices
        ],
        "structures": structures,
        "count": result.count,
        "facets": facets,
        "active_filters": active_filters(request, facets, near_entry=near_entry),
        "page_number": parsed.page,
        "num_pages": num_pages,
        "previous_page": parsed.page - 1 if parsed.page > 1 else None,
        "next_page": parsed.page + 1 if parsed.page < num_pages else None,
        "query": query.urlencode(),
        "filters_query": urlencode(filters),
        "near_label": parsed.near_label,
        "has_filters": any(request.GET.get(k) for k in FILTER_KEYS if k != "sort"),
        "index_rebuilding": index_rebuilding,
    }


def search_status(request, context) -> int:
    """400 when a search parameter was refused (``SearchParamError``: a box or a page out of range…): the page
    still shows, unfiltered by it, with the French message (200 for htmx: ``refused_status``). A commune name to
    choose among is no error."""
    return refused_status(request, bool(context["error"]))


def directory_list(request):
    """Public. The directory: search box, facets with their counts, results; the URL keeps the whole state."""
    context = search_context(request)
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") != "directory-form":
        return render(request, "directory/_body.html", context, status=search_status(request, context))
    return render(request, "directory/list.html", context, status=search_status(request, context))


def map_context(request) -> dict:
    """The territory a directory map is about (the one filtered on, else the portal's default territory) and the
    box it opens on: the territory's perimeter, from the shipped outlines (else its communes' centres)."""
    from django.conf import settings
    from django.db.models import Max, Min

    from essaim.territories.models import Commune, Territory

    chosen = [v for value in request.GET.getlist("territory") for v in value.split(",") if v]
    territory = None
    if len(chosen) == 1:
        lookup = {"pk": chosen[0]} if chosen[0].isdigit() and len(chosen[0]) < 9 else {}
        territory = (
            Territory.objects.filter(**lookup).first() if lookup else Territory.objects.by_key(chosen[0]).first()
        )
    if territory is None and settings.ESSAIM_DEFAULT_TERRITORY:
        territory = Territory.objects.by_key(settings.ESSAIM_DEFAULT_TERRITORY).first()
    if territory is None:
        return {"map_territory": None, "default_bbox": ""}
    codes = list(Commune.objects.filter(perimeters__territory=territory).values_list("insee_code", flat=True))
    box = bbox_string(outlines().bounds(codes))
    if not box and codes:
        extent = Commune.objects.filter(insee_code__in=codes).aggregate(
            a=Min("lon"), b=Min("lat"), c=Max("lon"), d=Max("lat")
        )
        box = ",".join(f"{extent[k]:.4f}" for k in "abcd") if extent["a"] is not None else ""
    return {"map_territory": territory, "default_bbox": box}


def directory_map(request):
    """Public. The map (clusters computed by the server for the visible area) with the list beside it."""
    context = search_context(request, page_size=30, keep_bbox=True)
    context["bbox"] = request.GET.get("bbox", "")
    if request.headers.get("HX-Request"):
        return render(request, "directory/_map_list.html", context, status=search_status(request, context))
    context.update(map_context(request))
    return render(request, "directory/map.html", context, status=search_status(request, context))


@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
def directory_embed(request):
    """Public. The map for partners' sites, in an iframe: the only page that may be framed (X-Frame-Options
    dropped and CSP frame-ancestors relaxed for this view alone)."""
    context = search_context(request, page_size=30, keep_bbox=True)
    context["bbox"] = request.GET.get("bbox", "")
    context.update(map_context(request))
    return render(request, "directory/embed.html", context, status=search_status(request, context))


def directory_export_csv(request):
    """Public. The structures that match the current filters, as CSV for Excel or LibreOffice."""
    try:
        parsed = parse_search(request.GET, seed=0)
    except SearchParamError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    search = parsed.search
    search.offset, search.limit, search.with_facets = 0, EXPORT_LIMIT, False
    if search.sort == "relevance" and not search.q:
        search.sort = "name"
    result, _ = _search(search)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="structures-ess.csv"'
    export_structures_csv(
        structures=Structure.objects.by_ids(result.ids),
        stream=response,
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    return response


def jsonld_script(data: dict) -> str:
    """JSON for a ``<script type="application/ld+json">`` block, escaped like ``json_script`` (a data block, not
    a script: the CSP does not apply to it)."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_json_script_escapes))  # noqa: S308


def structure_detail(request, slug):
    """Public for a published structure; its owners and moderators also see it while pending or refused."""
    structure = get_object_or_404(
        Structure.objects.select_related("commune", "merged_into").prefetch_related("labels", "sectors"), slug=slug
    )
    if structure.merged_into_id and structure.merged_into.status == "published":
        return redirect(structure.merged_into, permanent=True)
    if not perms.can_view_structure(request.user, structure):
        raise Http404("Structure introuvable.")
    base = request.build_absolute_uri("/").rstrip("/")
    points = []
    if structure.lat is not None:
        points = [{"lat": structure.lat, "lon": structure.lon, "label": structure.display_name, "url": None}]
    labels = dict(Label.choices)
    provenance = [
        {"field": Structure._meta.get_field(name).verbose_name, "source": info.get("source"), "date": info.get("date")}
        for name, info in sorted((structure.provenance or {}).items())
        if isinstance(info, dict) and name in {f.name for f in Structure._meta.fields}
    ]
    context = {
        "structure": structure,
        "labels": [(label.label, labels.get(label.label, label.label)) for label in structure.labels.all()],
        "sectors": list(structure.sectors.all()),
        "territories": list(structure.territories().order_by("name")),
        "legal_form_label": legal_form_label(structure.legal_form),
        "points": points,
        "jsonld": jsonld_script(structure_jsonld(structure, base_url=base)),
        "provenance": provenance,
        "can_edit": perms.can_edit_structure(request.user, structure),
        "can_moderate": perms.can_moderate_structure(request.user, structure),
        "can_claim": perms.can_claim_structure(request.user, structure),
        "claim_pending": request.user.is_authenticated
        and structure.claims.filter(user=request.user, status=RequestStatus.PENDING).exists(),
    }
    return render(request, "directory/detail.html", context)
