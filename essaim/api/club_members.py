"""The club's public API — members (``/api/v1/club/members``).

What the members agreed to show, nothing else: the active members that appear on the club's public page, with their
structure (name, SIRET, directory page, commune, sectors), their skills, what they offer, and their open offers and
needs shown publicly. Members-only data (people, candidacies, expiry, members who chose not to appear, listings kept
for members) never reaches it."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from pydantic import BaseModel, Field

from essaim.api.types import Slug, TerritoryKey, errors
from essaim.club.models import Club, Listing, Member
from essaim.core.links import absolute_url
from essaim.territories.models import Territory

router = Router()

MAX_LIMIT = 500


class MemberFilters(Schema):
    territory: TerritoryKey | None = Field(
        None, description="Territoire du club : SIREN (9 chiffres) ou identifiant (slug)."
    )
    club: Slug | None = Field(None, description="Identifiant (slug) du club.")
    limit: int = Field(100, ge=1, le=MAX_LIMIT, description=f"Nombre de membres (au plus {MAX_LIMIT}).")
    offset: int = Field(0, ge=0, le=1_000_000, description="Nombre de membres à sauter.")


class ListingRef(BaseModel):
    id: int
    kind: str = Field(description="offer (offre) ou need (besoin).")
    kind_label: str
    category: str = Field(description="Catégorie (premises, room, equipment, vehicle, skill, …).")
    category_label: str
    title: str


class CommuneRef(BaseModel):
    insee_code: str
    name: str


class ClubRef(BaseModel):
    slug: str
    name: str


class MemberOut(BaseModel):
    club: ClubRef
    structure: str = Field(description="Nom de la structure.")
    siret: str | None
    directory_url: str = Field(description="La fiche de la structure dans l'annuaire.")
    commune: CommuneRef | None
    sectors: list[str]
    skills: list[str]
    offers: str = Field(description="Ce que la structure propose aux autres, en texte libre.")
    founder: bool = Field(description="Membre fondateur du club.")
    listings: list[ListingRef] = Field(description="Ses offres et besoins ouverts et publics.")


class MemberPage(BaseModel):
    count: int
    results: list[MemberOut]


@router.get(
    "/members",
    response={200: MemberPage, **errors(404, 422)},
    summary="Membres des clubs qui apparaissent publiquement",
)
def list_members(request, filters: Query[MemberFilters]):
    """Les membres actifs des clubs qui ont choisi d'apparaître publiquement, par nom de structure : leur
    structure, leurs compétences, ce qu'ils proposent, leurs offres et besoins publics. Filtres : ``territory``
    (SIREN ou identifiant ; 404 s'il est inconnu), ``club`` (identifiant ; 404 s'il est inconnu)."""
    members = Member.objects.public()
    if filters.territory:
        territory = get_object_or_404(Territory.objects.by_key(filters.territory))
        members = members.filter(club__territory=territory)
    if filters.club:
        club = get_object_or_404(Club, slug=filters.club)
        members = members.filter(club=club)
    count = members.count()
    rows = (
        members.select_related("club", "structure", "structure__commune")
        .prefetch_related(
            "skills",
            "structure__sectors",
            Prefetch("listings", queryset=Listing.objects.public().order_by("-created_at"), to_attr="public_listings"),
        )
        .order_by("structure__name", "pk")[filters.offset : filters.offset + filters.limit]
    )
    results = []
    for member in rows:
        structure = member.structure
        commune = structure.commune
        results.append(
            {
                "club": {"slug": member.club.slug, "name": member.club.name},
                "structure": structure.display_name,
                "siret": structure.siret,
                "directory_url": absolute_url(structure.get_absolute_url(), request),
                "commune": {"insee_code": commune.insee_code, "name": commune.name} if commune else None,
                "sectors": sorted(s.name for s in structure.sectors.all()),
                "skills": sorted(s.name for s in member.skills.all()),
                "offers": member.offer_summary,
                "founder": member.founder,
                "listings": [
                    {
                        "id": listing.pk,
                        "kind": listing.kind,
                        "kind_label": listing.get_kind_display(),
                        "category": listing.category,
                        "category_label": listing.get_category_display(),
                        "title": listing.title,
                    }
                    for listing in member.public_listings
                ],
            }
        )
    return {"count": count, "results": results}
