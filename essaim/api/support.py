"""The support API: free advice slots and bookings (``/api/v1/support/...``).

- ``GET /slots?territory=SIREN&motif=&from=&to=``: the free slots of a territory's motifs open to all, over at most
  ``MAX_WINDOW_DAYS`` days (computed, never stored: ``essaim.support.slots``);
- ``POST /bookings``: books one of them without an account (201; 409 when someone took it a moment before; 422 for
  a bad value, in French; 429 past the rate limit of the agenda's registrations)."""

import datetime
import json
from typing import Literal

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import BaseModel, Field

from essaim.agenda.models import Venue
from essaim.agenda.ratelimit import allow
from essaim.api.types import NAME_PATTERN, ApiDate, Email, Slug, TerritoryKey, Text, errors
from essaim.support.enums import BookableBy
from essaim.support.models import Motif
from essaim.support.services.bookings import BookingRefused, SlotTaken, booking_create
from essaim.support.slots import SLOT_ID, free_slots
from essaim.territories.models import Territory

router = Router()

SLOT_PATTERN = SLOT_ID.pattern
MAX_WINDOW_DAYS = 62
DEFAULT_WINDOW_DAYS = 31


class SlotFilters(Schema):
    territory: TerritoryKey = Field(description="Territoire : SIREN (9 chiffres) ou identifiant (slug).")
    motif: Slug | None = Field(None, description="Identifiant (slug) du motif ; tous les motifs ouverts à tous sinon.")
    date_from: ApiDate | None = Field(
        None, alias="from", description="Premier jour (AAAA-MM-JJ, heure de Paris) ; par défaut aujourd'hui."
    )
    to: ApiDate | None = Field(
        None,
        description=f"Dernier jour inclus (AAAA-MM-JJ), au plus {MAX_WINDOW_DAYS} jours après from ; "
        f"par défaut from + {DEFAULT_WINDOW_DAYS - 1} jours.",
    )


class MotifRef(BaseModel):
    slug: str
    title: str


class PlaceOut(BaseModel):
    name: str
    address: str
    commune: str


class SlotOut(BaseModel):
    """Plain pydantic models for the slots (not ninja's ``Schema``, whose attribute getter for ORM objects costs a
    few hundred milliseconds on a month of a large territory): the view builds dicts."""

    id: str = Field(description="Identifiant du créneau, à renvoyer tel quel dans POST /support/bookings.")
    start: datetime.datetime
    end: datetime.datetime
    motif: MotifRef
    channel: str = Field(description="in_person (sur place), phone (par téléphone) ou video (en visioconférence).")
    place: PlaceOut | None = Field(description="Le lieu d'un rendez-vous sur place ; null sinon.")


class SlotPage(BaseModel):
    count: int
    results: list[SlotOut]


class BookingIn(Schema):
    slot: Text(40, min_length=1, pattern=SLOT_PATTERN, message="un identifiant de créneau (GET /support/slots)") = (
        Field(description="Identifiant d'un créneau libre (GET /support/slots).")
    )
    name: Text(150, min_length=1, pattern=NAME_PATTERN, message="indiquez un nom") = Field(
        description="Nom et prénom."
    )
    email: Email = Field(description="Adresse e-mail : la confirmation et le lien de gestion y sont envoyés.")
    phone: Text(30) = Field("", description="Téléphone (facultatif ; utile pour un rendez-vous par téléphone).")
    message: Text(2000) = Field("", description="Le projet en quelques lignes (facultatif).")
    invitation: Text(64) = Field("", description="Jeton d'invitation, pour un motif qui se réserve sur invitation.")
    consent: Literal[True] = Field(
        description="La personne a lu la mention sur ses données personnelles : true, comme la case du formulaire."
    )


class BookingOut(Schema):
    slot: str
    start: datetime.datetime
    end: datetime.datetime
    motif: MotifRef
    channel: str
    status: str
    manage_url: str = Field(description="Lien personnel pour voir, déplacer ou annuler le rendez-vous.")
    detail: str


@router.get(
    "/slots",
    response={200: SlotPage, **errors(400, 404, 422)},
    summary="Créneaux libres des permanences d'un territoire",
    by_alias=True,
)
def list_slots(request, filters: Query[SlotFilters]):
    """The free slots (sorted by start) of a territory's motifs that anyone may book, between ``from`` and ``to``
    (at most 62 days). 404 for an unknown territory or motif; 422 for a value outside its limits; 400 for a window
    the wrong way round or too long (two parameters together, which the schema cannot say)."""
    territory = Territory.objects.by_key(filters.territory).first()
    if territory is None:
        return Status(404, {"detail": f"Aucun territoire ne répond à « {filters.territory} »."})
    motifs = Motif.objects.active().filter(territory=territory, bookable_by=BookableBy.ANYONE)
    motif = None
    if filters.motif:
        motif = motifs.filter(slug=filters.motif).first()
        if motif is None:
            return Status(404, {"detail": f"Ce territoire ne propose pas de rendez-vous « {filters.motif} »."})
    first = filters.date_from or timezone.localdate()
    last = filters.to or first + datetime.timedelta(days=DEFAULT_WINDOW_DAYS - 1)
    if last < first:
        return Status(400, {"detail": "La date de fin (to) précède la date de début (from)."})
    if (last - first).days >= MAX_WINDOW_DAYS:
        return Status(400, {"detail": f"Demandez au plus {MAX_WINDOW_DAYS} jours de créneaux à la fois (from, to)."})
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time()))
    end = timezone.make_aware(datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time()))
    public = {m.pk: m for m in (motifs if motif is None else [motif])}
    slots = [s for s in free_slots(territory, start=start, end=end, motif=motif) if s.motif_id in public]
    ids = {s.venue_id for s in slots if s.venue_id}
    venues = {v.pk: v for v in Venue.objects.filter(pk__in=ids).select_related("commune")} if ids else {}
    results = []
    for slot in slots:
        found = public[slot.motif_id]
        venue = venues.get(slot.venue_id) if slot.channel == "in_person" else None
        results.append(
            {
                "id": slot.id,
                "start": slot.start.isoformat(),
                "end": slot.end.isoformat(),
                "motif": {"slug": found.slug, "title": found.title},
                "channel": slot.channel,
                "place": {"name": venue.name, "address": venue.address, "commune": venue.commune.name}
                if venue
                else None,
            }
        )
    # Written here rather than validated by ninja's response model, which costs more than the slots themselves on a
    # month of a large territory; the shape is SlotPage's (tests/support/test_api.py checks it against the schema).
    return HttpResponse(
        json.dumps({"count": len(results), "results": results}, cls=DjangoJSONEncoder, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )


@router.post(
    "/bookings",
    response={201: BookingOut, **errors(400, 404, 409, 422, 429)},
    summary="Réserver un créneau (sans compte)",
)
def create_booking(request, payload: BookingIn):
    """Books a free slot for a person, no account needed: 201 with the booking and its personal manage link (also
    mailed, with the slot as an ``.ics`` file); 409 when the slot was just taken by someone else, or cannot be booked
    as things are (no longer offered, an invitation needed, a second future booking of the same motif…), with the
    reason in French; 404 for a slot id that names no opening range; 422 for a value outside this schema (``consent``
    must be true, as the form's box must be ticked); 429 past the rate limit."""
    if not allow(request, scope="support-booking"):
        return Status(429, {"detail": "Trop de tentatives de réservation : réessayez dans une minute."})
    try:
        booking = booking_create(
            slot_id=payload.slot,
            name=payload.name,
            email=payload.email,
            phone=payload.phone,
            message=payload.message,
            consent=payload.consent,
            invitation=payload.invitation or None,
            source="api",
            site_url=request.build_absolute_uri("/").rstrip("/"),
        )
    except SlotTaken as exc:
        return Status(409, {"detail": exc.message})
    except BookingRefused as exc:
        return Status(404 if exc.code == "not_found" else 409, {"detail": exc.message})
    return Status(
        201,
        {
            "slot": payload.slot,
            "start": booking.starts_at,
            "end": booking.ends_at,
            "motif": {"slug": booking.motif.slug, "title": booking.motif.title},
            "channel": booking.channel,
            "status": booking.status,
            "manage_url": request.build_absolute_uri(reverse("support:booking", kwargs={"token": booking.token})),
            "detail": "Rendez-vous confirmé : un e-mail de confirmation a été envoyé.",
        },
    )
