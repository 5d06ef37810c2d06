"""The club's public API — calls for projects (``/api/v1/club/calls``).

Calls only (title, funder, amount, deadline, themes, link, page): the joint answers to them are private workspaces
and never appear here."""

import datetime
from decimal import Decimal

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from essaim.api.types import Slug, TerritoryKey, errors
from essaim.club.models import Call

router = Router()
MAX_LIMIT = 200


class CallFilters(Schema):
    territory: TerritoryKey | None = Field(None, description="Territoire du club : SIREN ou identifiant (slug).")
    club: Slug | None = Field(None, description="Identifiant (slug) du club.")
    open: bool | None = Field(
        None, description="true : appels dont la date limite n'est pas passée ; false : appels clos ; tous sinon."
    )
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=100_000)


class NamedRef(Schema):
    slug: str
    name: str


class CallOut(Schema):
    id: int
    title: str = Field(description="Titre de l'appel.")
    funder: str = Field(description="Financeur (collectivité, Région, fondation…).")
    description: str
    amount: Decimal | None = Field(description="Montant en euros ; null s'il n'est pas précisé.")
    amount_note: str = Field(description="Précisions sur le montant (plafond, par projet…).")
    deadline: datetime.date = Field(description="Date limite de dépôt.")
    is_open: bool
    themes: list[NamedRef] = Field(description="Thématiques : secteurs d'activité de l'annuaire.")
    link: str = Field(description="Lien vers l'appel chez le financeur.")
    url: str = Field(description="Page de l'appel sur ce site.")
    club: NamedRef
    territory: NamedRef


class CallPage(Schema):
    count: int
    results: list[CallOut]


@router.get(
    "/calls",
    response={200: CallPage, **errors(422)},
    summary="Appels à projets relayés par les clubs",
    description="Les appels à projets des clubs des entrepreneurs de l'ESS, par date limite ; jamais les réponses.",
)
def calls(request, filters: Query[CallFilters]):
    today = timezone.localdate()
    qs = Call.objects.select_related("club__territory").prefetch_related("sectors")
    if filters.territory:
        qs = qs.filter(Q(club__territory__siren=filters.territory) | Q(club__territory__slug=filters.territory))
    if filters.club:
        qs = qs.filter(club__slug=filters.club)
    if filters.open is True:
        qs = qs.filter(deadline__gte=today)
    elif filters.open is False:
        qs = qs.filter(deadline__lt=today)
    qs = qs.order_by("deadline", "pk")
    total = qs.count()
    rows = qs[filters.offset : filters.offset + filters.limit]
    root = request.build_absolute_uri("/").rstrip("/")
    return {
        "count": total,
        "results": [
            {
                "id": call.pk,
                "title": call.title,
                "funder": call.funder,
                "description": call.description,
                "amount": call.amount,
                "amount_note": call.amount_note,
                "deadline": call.deadline,
                "is_open": call.deadline >= today,
                "themes": [{"slug": s.slug, "name": s.name} for s in call.sectors.all()],
                "link": call.url,
                "url": root + reverse("club:call", kwargs={"club": call.club.slug, "pk": call.pk}),
                "club": {"slug": call.club.slug, "name": call.club.name},
                "territory": {"slug": call.club.territory.slug, "name": call.club.territory.name},
            }
            for call in rows
        ],
    }
