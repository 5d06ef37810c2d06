"""Matching of the board (issue #18, « Matching »): the offers that answer a need, and the needs an offer answers.

A listing answers another when it is of the other kind, of the same category, open, posted by another member of
the same club, available over the other's period (the two date ranges overlap; an open end counts as available)
and close by: in the same commune first, then within ``RADIUS_KM`` of it by the distance between the communes'
centroids (``Commune.lat/lon``), nearest first. A listing without a commune is answered by every candidate, newest
first (it cannot be said to be close nor far); one whose commune has no centre, by those of the same commune."""

from django.db.models import Q

from essaim.club.enums import ListingKind
from essaim.club.models import Listing
from essaim.core.geo import bbox_around, haversine_km

RADIUS_KM = 30
LIMIT = 10


def _candidates(listing):
    other_kind = ListingKind.OFFER if listing.kind == ListingKind.NEED else ListingKind.NEED
    qs = (
        Listing.objects.open()
        .filter(club_id=listing.club_id, kind=other_kind, category=listing.category)
        .exclude(member_id=listing.member_id)
        .select_related("commune", "member__structure")
    )
    # Overlap of [from, until] ranges, open ends included.
    if listing.available_until:
        qs = qs.filter(Q(available_from__isnull=True) | Q(available_from__lte=listing.available_until))
    if listing.available_from:
        qs = qs.filter(Q(available_until__isnull=True) | Q(available_until__gte=listing.available_from))
    return qs


def matches_for(listing, *, radius_km: float = RADIUS_KM, limit: int = LIMIT, visible=None) -> list[dict]:
    """The listings that answer ``listing``, nearest first: ``[{"listing", "distance_km", "same_commune"}]``.
    ``visible`` narrows the candidates (a queryset filter, e.g. the public listings for a visitor)."""
    qs = _candidates(listing)
    if visible is not None:
        qs = qs & visible
    commune = listing.commune
    if commune is None or commune.lat is None or commune.lon is None:
        if commune is not None:
            qs = qs.filter(commune_id=commune.pk)
        qs = qs.order_by("-created_at", "-pk")
        return [{"listing": other, "distance_km": None, "same_commune": commune is not None} for other in qs[:limit]]
    west, south, east, north = bbox_around(commune.lat, commune.lon, radius_km)
    qs = qs.filter(
        Q(commune_id=commune.pk)
        | Q(commune__lat__gte=south, commune__lat__lte=north, commune__lon__gte=west, commune__lon__lte=east)
    )
    # The distances on light rows (a few columns), then the nearest ``limit`` listings in full.
    ranked = []
    for pk, commune_id, lat, lon in qs.values_list("pk", "commune_id", "commune__lat", "commune__lon"):
        same = commune_id == commune.pk
        distance = 0.0 if same else haversine_km(commune.lat, commune.lon, lat, lon)
        if distance <= radius_km:
            ranked.append((not same, distance, -pk, pk))
    ranked.sort()
    top = ranked[:limit]
    full = qs.in_bulk([row[3] for row in top])
    return [
        {"listing": full[pk], "distance_km": round(distance, 1), "same_commune": not farther}
        for farther, distance, _, pk in top
        if pk in full
    ]
