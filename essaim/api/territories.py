import datetime
from decimal import Decimal

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from pydantic import Field

from essaim.api.types import DepartementCode, Offset, RegionCode, SearchText, TerritoryKey, errors
from essaim.territories.enums import TerritoryKind
from essaim.territories.models import ActionSheet, BudgetYear, Indicator, IndicatorValue, PolicyAxis, Territory

router = Router()


class TerritoryFilters(Schema):
    q: SearchText | None = Field(None, description="Texte cherché dans le nom, le nom officiel, la ville ou le SIREN.")
    kind: TerritoryKind | None = Field(None, description="Nature du territoire (CA, CC, CU, METRO, PAYS…).")
    departement: DepartementCode | None = Field(None, description="Code du département principal (62, 2A…).")
    region: RegionCode | None = Field(None, description="Code INSEE de la région (32 pour les Hauts-de-France).")
    include_historical: bool = Field(True, description="Inclure les territoires qui n'existent plus.")
    limit: int = Field(50, ge=1, le=200)
    offset: Offset = 0


class TerritorySummary(Schema):
    siren: str | None
    slug: str
    name: str
    official_name: str
    kind: str
    kind_label: str
    departement: str | None
    region: str | None
    population: int
    communes_count: int
    centre: list[float] | None = Field(None, description="[latitude, longitude], moyenne pondérée des communes.")
    valid_from: datetime.date | None
    valid_until: datetime.date | None
    url: str
    api_url: str


class TerritoryPage(Schema):
    count: int
    results: list[TerritorySummary]


class ContactOut(Schema):
    kind: str
    full_name: str
    title: str
    service: str
    function: str
    phone: str
    fictitious: bool = Field(description="Personne fictive (donnée de démonstration).")


class CoFundingOut(Schema):
    funder: str
    amount: Decimal


class BudgetOut(Schema):
    year: int
    amount: Decimal
    fte: Decimal | None
    cofundings: list[CoFundingOut]
    source: str
    fictitious: bool = Field(description="Montant fictif (donnée de démonstration).")


class InheritedOut(Schema):
    key: str = Field(description="SIREN (ou identifiant) du territoire prédécesseur.")
    name: str
    label: str = Field(description="Mention affichée, par exemple « reprise d'Artois Comm. ».")


class IndicatorValueOut(Schema):
    year: int
    value: Decimal
    source: str
    fictitious: bool = Field(description="Valeur fictive (donnée de démonstration).")
    inherited_from: InheritedOut | None = Field(None, description="Valeur reprise de l'évaluation du prédécesseur.")


class IndicatorOut(Schema):
    name: str
    unit: str
    description: str
    target: Decimal | None
    target_year: int | None
    values: list[IndicatorValueOut]
    inherited_from: InheritedOut | None = None


class SheetOut(Schema):
    number: int
    title: str
    summary: str
    objectives: list[str]
    status: str
    status_label: str
    indicators: list[IndicatorOut]
    inherited_from: InheritedOut | None = Field(None, description="Fiche reprise du territoire prédécesseur.")


class AxisOut(Schema):
    number: int
    title: str
    objectives: list[str]
    sheets: list[SheetOut]
    inherited_from: InheritedOut | None = None


class PolicyOut(Schema):
    summary: str
    goals: list[str]
    axes: list[AxisOut]


class KeyFigureOut(Schema):
    label: str
    value: Decimal
    unit: str
    year: int
    source: str


class CommuneOut(Schema):
    insee_code: str
    name: str
    population: int
    confidence: str


class TerritoryDetail(TerritorySummary):
    description: str
    address: str
    postcode: str
    city: str
    phone: str
    website: str
    declared_population: int | None
    declared_population_year: int | None
    successor: str | None = Field(None, description="SIREN (ou identifiant) du territoire successeur.")
    predecessors: list[str]
    contacts: list[ContactOut]
    budgets: list[BudgetOut]
    policy: PolicyOut
    key_figures: list[KeyFigureOut]
    communes: list[CommuneOut]
    sources: str


def _inherited(obj) -> dict | None:
    if obj.inherited_from_id is None:
        return None
    return {"key": obj.inherited_from.api_key, "name": obj.inherited_from.name, "label": obj.inherited_label}


def _contact(c) -> dict:
    return {
        "kind": c.kind,
        "full_name": c.full_name,
        "title": c.title,
        "service": c.service,
        "function": c.function,
        "phone": c.phone,
        "fictitious": c.is_fictitious,
    }


def _value(v) -> dict:
    return {
        "year": v.year,
        "value": v.value,
        "source": v.source,
        "fictitious": v.is_fictitious,
        "inherited_from": _inherited(v),
    }


def _summary(request, t: Territory) -> dict:
    return {
        "siren": t.siren,
        "slug": t.slug,
        "name": t.name,
        "official_name": t.official_name,
        "kind": t.kind,
        "kind_label": t.get_kind_display(),
        "departement": t.departement_id,
        "region": t.region_id,
        "population": t.population,
        "communes_count": t.communes_count,
        "centre": [t.centre_lat, t.centre_lon] if t.centre_lat is not None else None,
        "valid_from": t.valid_from,
        "valid_until": t.valid_until,
        "url": request.build_absolute_uri(t.get_absolute_url()),
        "api_url": request.build_absolute_uri(f"/api/v1/territories/{t.api_key}"),
    }


@router.get("", response={200: TerritoryPage, **errors(422)}, summary="Annuaire des territoires du réseau")
def list_territories(request, filters: Query[TerritoryFilters]):
    qs = Territory.objects.network_members().search(filters.q or "")
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.departement:
        qs = qs.filter(departement_id=filters.departement.upper())
    if filters.region:
        qs = qs.filter(region_id=filters.region)
    if not filters.include_historical:
        qs = qs.current()
    qs = qs.order_by("name")
    count = qs.count()
    page = qs[filters.offset : filters.offset + filters.limit]
    return {"count": count, "results": [_summary(request, t) for t in page]}


@router.get(
    "/{key}",
    response={200: TerritoryDetail, **errors(404, 422)},
    summary="Un territoire, ses communes et sa politique ESS",
)
def get_territory(request, key: TerritoryKey):
    """`key` is the territory's SIREN (9 digits) or, for a territory whose SIREN is unknown, its identifier."""
    values = IndicatorValue.objects.select_related("inherited_from")
    indicators = Indicator.objects.select_related("inherited_from").prefetch_related(
        Prefetch("values", queryset=values)
    )
    sheets = ActionSheet.objects.select_related("inherited_from").prefetch_related(
        Prefetch("indicators", queryset=indicators)
    )
    territory = get_object_or_404(
        Territory.objects.by_key(key)
        .select_related("successor")
        .prefetch_related(
            "contacts",
            "key_figures",
            "predecessors",
            Prefetch("budgets", queryset=BudgetYear.objects.prefetch_related("cofundings")),
            Prefetch(
                "axes",
                queryset=PolicyAxis.objects.select_related("inherited_from").prefetch_related(
                    Prefetch("sheets", queryset=sheets)
                ),
            ),
            "perimeter__commune",
        )
    )
    data = _summary(request, territory)
    data.update(
        description=territory.description,
        address=territory.address,
        postcode=territory.postcode,
        city=territory.city,
        phone=territory.phone,
        website=territory.website,
        declared_population=territory.declared_population,
        declared_population_year=territory.declared_population_year,
        successor=territory.successor.api_key if territory.successor else None,
        predecessors=[p.api_key for p in territory.predecessors.all()],
        contacts=[_contact(c) for c in territory.contacts.all()],
        budgets=[
            {
                "year": b.year,
                "amount": b.amount,
                "fte": b.fte,
                "source": b.source,
                "fictitious": b.is_fictitious,
                "cofundings": list(b.cofundings.all()),
            }
            for b in territory.budgets.all()
        ],
        policy={
            "summary": territory.policy_summary,
            "goals": territory.policy_goals,
            "axes": [
                {
                    "number": a.number,
                    "title": a.title,
                    "objectives": a.objectives,
                    "inherited_from": _inherited(a),
                    "sheets": [
                        {
                            "number": s.number,
                            "title": s.title,
                            "summary": s.summary,
                            "objectives": s.objectives,
                            "status": s.status,
                            "status_label": s.get_status_display(),
                            "inherited_from": _inherited(s),
                            "indicators": [
                                {
                                    "name": i.name,
                                    "unit": i.unit,
                                    "description": i.description,
                                    "target": i.target,
                                    "target_year": i.target_year,
                                    "values": [_value(v) for v in i.values.all()],
                                    "inherited_from": _inherited(i),
                                }
                                for i in s.indicators.all()
                            ],
                        }
                        for s in a.sheets.all()
                    ],
                }
                for a in territory.axes.all()
            ],
        },
        key_figures=list(territory.key_figures.all()),
        communes=[
            {
                "insee_code": p.commune.insee_code,
                "name": p.commune.name,
                "population": p.commune.population,
                "confidence": p.confidence,
            }
            for p in territory.perimeter.all()
        ],
        sources=territory.source_note,
    )
    return data
