"""The club's public API — offers and needs of the pooling board (``/api/v1/club/offers``).

Public reads only: the open listings their members chose to show publicly, of active members who agreed to appear
(``Listing.objects.public()``); a members-only listing never appears here. Filters: ``territory`` (SIREN or slug),
``kind`` (offer or need), ``category``, ``club`` (slug). A bad kind or category answers 422 in French."""

import datetime
from decimal import Decimal
from typing import Literal

from django.urls import reverse
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import BaseModel, Field

from essaim.api.types import Offset, Slug, TerritoryKey, errors
from essaim.club.enums import ListingCategory
from essaim.club.models import Listing
from essaim.territories.models import Territory

router = Router()

Category = Literal[tuple(ListingCategory.values)]  # type: ignore[valid-type]
MAX_LIMIT = 100


class OfferFilters(Schema):
    territory: TerritoryKey | None = Field(None, description="Territoire du club : SIREN (9 chiffres) ou identifiant.")
    kind: Literal["offer", "need"] | None = Field(None, description="offer (offre) ou need (besoin).")
    category: Category | None = Field(None, description="Catégorie : " + ", ".join(ListingCategory.values) + ".")
    club: Slug | None = Field(None, description="Identifiant (slug) du club.")
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description=f"Nombre de résultats, {MAX_LIMIT} au plus.")
    offset: Offset = 0


class CommuneOut(BaseModel):
    insee_code: str
    name: str


class StructureOut(BaseModel):
    id: int
    name: str


class OfferOut(BaseModel):
    id: int
    kind: str = Field(description="offer ou need.")
    category: str
    category_label: str
    title: str
    description: str
    commune: CommuneOut | None
    available_from: datetime.date | None = Field(description="Disponible à partir du (null : dès maintenant).")
    available_until: datetime.date | None = Field(description="Jusqu'au (null : sans limite).")
    is_free: bool
    price: Decimal | None = Field(description="Prix en euros ; null si gratuit ou à préciser.")
    price_note: str
    structure: StructureOut
    club: str = Field(description="Identifiant (slug) du club.")
    url: str = Field(description="La page de l'annonce.")


class OfferPage(BaseModel):
    count: int
    results: list[OfferOut]


@router.get(
    "/offers",
    response={200: OfferPage, **errors(404, 422)},
    summary="Offres et besoins publics des clubs",
)
def offers(request, filters: Query[OfferFilters]):
    """Les offres et besoins ouverts que les membres des clubs ont choisi de rendre publics, les plus récents
    d'abord."""
    qs = Listing.objects.public().select_related("club", "commune", "member__structure")
    if filters.territory:
        territory = Territory.objects.by_key(filters.territory).first()
        if territory is None:
            raise HttpError(404, "Territoire inconnu.")
        qs = qs.filter(club__territory=territory)
    if filters.club:
        qs = qs.filter(club__slug=filters.club)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.category:
        qs = qs.filter(category=filters.category)
    total = qs.count()
    rows = qs.order_by("-created_at", "-pk")[filters.offset : filters.offset + filters.limit]
    root = request.build_absolute_uri("/").rstrip("/")
    results = [
        {
            "id": x.pk,
            "kind": x.kind,
            "category": x.category,
            "category_label": x.get_category_display(),
            "title": x.title,
            "description": x.description,
            "commune": {"insee_code": x.commune.insee_code, "name": x.commune.name} if x.commune else None,
            "available_from": x.available_from,
            "available_until": x.available_until,
            "is_free": x.is_free,
            "price": x.price,
            "price_note": x.price_note,
            "structure": {"id": x.member.structure_id, "name": x.member.structure.name},
            "club": x.club.slug,
            "url": root + reverse("club:listing", kwargs={"club": x.club.slug, "pk": x.pk}),
        }
        for x in rows
    ]
    return {"count": total, "results": results}
