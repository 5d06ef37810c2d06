"""The club's public API — good practices (``/api/v1/club/practices``): the published sheets only (what members
wrote and a facilitator published; drafts and sheets waiting for review never appear), filtered by territory, club
and text."""

import datetime

from django.urls import reverse
from ninja import Query, Router, Schema, Status
from pydantic import BaseModel, Field

from essaim.api.types import Slug, TerritoryKey, Text, errors
from essaim.club.enums import PracticeStatus
from essaim.club.models import PracticeSheet
from essaim.core.text import fold
from essaim.territories.models import Territory

router = Router()

MAX_LIMIT = 200


class PracticeFilters(Schema):
    territory: TerritoryKey | None = Field(None, description="Territoire : SIREN (9 chiffres) ou identifiant (slug).")
    club: Slug | None = Field(None, description="Identifiant (slug) du club.")
    q: Text(100) | None = Field(None, description="Mots cherchés dans le titre et le texte de la fiche.")
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description=f"Nombre de fiches, {MAX_LIMIT} au plus.")
    offset: int = Field(0, ge=0, le=100_000, description="Fiches à sauter (pagination).")


class Ref(BaseModel):
    slug: str
    name: str


class PracticeOut(BaseModel):
    id: int
    title: str = Field(description="Titre de la fiche.")
    club: Ref
    structure: Ref = Field(description="La structure membre qui l'a écrite (sa page dans l'annuaire).")
    what: str = Field(description="La pratique.")
    for_whom: str = Field(description="Pour qui.")
    how: str = Field(description="Comment faire.")
    results: str = Field(description="Résultats.")
    contact: str = Field(description="Qui joindre.")
    sectors: list[Ref]
    topics: list[Ref]
    published_at: datetime.datetime = Field(description="Date de publication.")
    url: str = Field(description="La page publique de la fiche.")


class PracticePage(BaseModel):
    count: int = Field(description="Nombre total de fiches qui répondent aux filtres.")
    results: list[PracticeOut]


@router.get(
    "/practices",
    response={200: PracticePage, **errors(404, 422)},
    summary="Les fiches de bonnes pratiques publiées",
)
def practices(request, filters: Query[PracticeFilters]):
    """Les fiches publiées par les clubs des entrepreneurs de l'ESS (relues par une personne qui anime le club), les
    plus récentes d'abord. 404 pour un territoire inconnu."""
    sheets = PracticeSheet.objects.filter(status=PracticeStatus.PUBLISHED)
    if filters.territory:
        territory = Territory.objects.by_key(filters.territory).first()
        if territory is None:
            return Status(404, {"detail": f"Aucun territoire ne répond à « {filters.territory} »."})
        sheets = sheets.filter(club__territory=territory)
    if filters.club:
        sheets = sheets.filter(club__slug=filters.club)
    for word in fold(filters.q or "").split()[:6]:
        sheets = sheets.filter(search_text__contains=word)
    count = sheets.count()
    page = (
        sheets.select_related("club", "member__structure")
        .prefetch_related("sectors", "topics")
        .order_by("-published_at", "pk")[filters.offset : filters.offset + filters.limit]
    )
    base = request.build_absolute_uri("/").rstrip("/")
    results = [
        {
            "id": s.pk,
            "title": s.title,
            "club": {"slug": s.club.slug, "name": s.club.name},
            "structure": {"slug": s.member.structure.slug, "name": s.member.structure.display_name},
            "what": s.what,
            "for_whom": s.for_whom,
            "how": s.how,
            "results": s.results,
            "contact": s.contact,
            "sectors": [{"slug": x.slug, "name": x.name} for x in s.sectors.all()],
            "topics": [{"slug": t.slug, "name": t.name} for t in s.topics.all()],
            "published_at": s.published_at,
            "url": base + reverse("club:practice", kwargs={"club": s.club.slug, "pk": s.pk}),
        }
        for s in page
    ]
    return {"count": count, "results": results}
