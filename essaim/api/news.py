"""The news' public API (``/api/v1/news``): the published items only (drafts and items dated later never appear),
filtered by territory, tag and text, newest first; and one item by its slug, with its body as Markdown and as the
sanitised HTML the site shows."""

import datetime

from ninja import Query, Router, Schema, Status
from pydantic import BaseModel, Field

from essaim.api.types import Slug, TerritoryKey, Text, errors
from essaim.core.links import site_url
from essaim.news.models import NewsItem
from essaim.territories.models import Territory

router = Router()

MAX_LIMIT = 100


class NewsFilters(Schema):
    territory: TerritoryKey | None = Field(None, description="Territoire : SIREN (9 chiffres) ou identifiant (slug).")
    tag: Slug | None = Field(None, description="Identifiant (slug) d'une étiquette.")
    q: Text(100) | None = Field(None, description="Mots cherchés dans le titre, le résumé et le texte.")
    limit: int = Field(20, ge=1, le=MAX_LIMIT, description=f"Nombre d'actualités, {MAX_LIMIT} au plus.")
    offset: int = Field(0, ge=0, le=100_000, description="Actualités à sauter (pagination).")


class Ref(BaseModel):
    slug: str
    name: str


class TerritoryRef(BaseModel):
    siren: str | None
    slug: str
    name: str


class NewsOut(BaseModel):
    slug: str
    title: str
    published_on: datetime.date = Field(description="Date de publication.")
    summary: str
    territory: TerritoryRef
    tags: list[Ref]
    image: str | None = Field(description="Adresse de l'image, s'il y en a une.")
    image_alt: str = Field(description="Texte alternatif de l'image.")
    url: str = Field(description="La page publique de l'actualité.")


class NewsDetailOut(NewsOut):
    body: str = Field(description="Le texte, en Markdown.")
    body_html: str = Field(
        description="Le texte en HTML, tel que le site l'affiche (sans script ni lien javascript:)."
    )
    structures: list[Ref] = Field(description="Les structures citées (leur page dans l'annuaire).")
    events: list[int] = Field(description="Les identifiants des événements liés (publiés).")


class NewsPage(BaseModel):
    count: int = Field(description="Nombre total d'actualités qui répondent aux filtres.")
    results: list[NewsOut]


def _out(item: NewsItem, root: str) -> dict:
    return {
        "slug": item.slug,
        "title": item.title,
        "published_on": item.published_on,
        "summary": item.summary,
        "territory": {"siren": item.territory.siren, "slug": item.territory.slug, "name": item.territory.name},
        "tags": [{"slug": t.slug, "name": t.name} for t in item.tags.all()],
        "image": root + item.image.url if item.image else None,
        "image_alt": item.image_alt,
        "url": root + item.get_absolute_url(),
    }


def _published():
    return NewsItem.objects.published().select_related("territory").prefetch_related("tags")


@router.get("", response={200: NewsPage, **errors(404, 422)}, summary="Les actualités publiées", url_name="news_list")
def news_list(request, filters: Query[NewsFilters]):
    """Les actualités publiées des territoires, les plus récentes d'abord. 404 pour un territoire inconnu."""
    territory = None
    if filters.territory:
        territory = Territory.objects.by_key(filters.territory).first()
        if territory is None:
            return Status(404, {"detail": f"Aucun territoire ne répond à « {filters.territory} »."})
    items = _published().filtered(territory=territory, tag=filters.tag or "", q=filters.q or "")
    count = items.count()
    root = site_url(request)
    page = items.newest_first()[filters.offset : filters.offset + filters.limit]
    return {"count": count, "results": [_out(item, root) for item in page]}


@router.get(
    "/{slug}", response={200: NewsDetailOut, **errors(404, 422)}, summary="Une actualité", url_name="news_detail"
)
def news_detail(request, slug: Slug):
    """Une actualité publiée, avec son texte. 404 pour une actualité inconnue ou non publiée."""
    item = _published().prefetch_related("structures").filter(slug=slug).first()
    if item is None:
        return Status(404, {"detail": "Aucune actualité publiée ne porte cet identifiant."})
    return {
        **_out(item, site_url(request)),
        "body": item.body,
        "body_html": item.body_html,
        "structures": [
            {"slug": s.slug, "name": s.display_name} for s in item.structures.all() if s.status == "published"
        ],
        "events": list(item.events.published().order_by("pk").values_list("pk", flat=True)),
    }
