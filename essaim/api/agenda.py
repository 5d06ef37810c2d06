"""The agenda in the JSON API: published events with their sessions, and registrations (rate-limited)."""

import datetime
from decimal import Decimal
from typing import Literal

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from essaim.agenda.enums import Audience, EventType, RegistrationStatus
from essaim.agenda.models import Event, Session
from essaim.agenda.perms import can_manage_event
from essaim.agenda.querysets import AgendaFilters
from essaim.agenda.ratelimit import allow
from essaim.agenda.services import RegistrationError, registration_create
from essaim.api.types import (
    NAME_PATTERN,
    ApiDate,
    Email,
    Id,
    InseeCode,
    Offset,
    RefKey,
    SearchText,
    Text,
    TextMap,
    errors,
)
from essaim.api.types import TerritoryKey as TerritoryKeyType

router = Router()


class EventFilters(Schema):
    date_from: ApiDate | None = Field(
        None, alias="from", description="Premier jour (AAAA-MM-JJ, Europe/Paris) ; par défaut aujourd'hui."
    )
    to: ApiDate | None = Field(None, description="Dernier jour inclus (AAAA-MM-JJ), pas avant from.")
    campaign: RefKey | None = Field(None, description="Campagne : identifiant (slug) ou numéro.")
    type: EventType | None = Field(None, description="Type d'événement.")
    audience: Audience | None = Field(None, description="Public visé.")
    commune: InseeCode | None = Field(None, description="Code INSEE de la commune du lieu.")
    territory: TerritoryKeyType | None = Field(None, description="Territoire : SIREN ou identifiant (slug).")
    organiser: RefKey | None = Field(
        None, description="Structure organisatrice : identifiant (slug) de l'annuaire ou numéro."
    )
    q: SearchText | None = Field(None, description="Texte cherché (titre, résumé, lieu), sans accents requis.")
    limit: int = Field(50, ge=1, le=200)
    offset: Offset = 0


class NamedRef(Schema):
    slug: str
    name: str


class TerritoryRef(Schema):
    slug: str
    siren: str | None
    name: str


class CommuneRef(Schema):
    insee_code: str
    name: str


class VenueOut(Schema):
    name: str
    address: str
    postcode: str
    commune: CommuneRef
    lat: float | None
    lon: float | None
    access_notes: str
    accessibility: str


class SessionOut(Schema):
    id: int
    label: str
    start: datetime.datetime
    end: datetime.datetime
    capacity: int | None = Field(None, description="Places ; null = sans limite.")
    seats_left: int | None
    is_full: bool
    ics_uid: str


class RegistrationInfo(Schema):
    mode: str = Field(description="none (sans inscription), here (sur ce site) ou external (autre site).")
    url: str = Field(description="Lien d'inscription externe, ou adresse de POST des inscriptions ici.")
    deadline: datetime.datetime | None
    waitlist: bool
    questions: list[str]


class EventOut(Schema):
    id: int
    title: str
    summary: str
    description: str
    type: str
    type_label: str
    audiences: list[str]
    themes: list[NamedRef]
    organisers: list[NamedRef]
    other_organisers: list[str]
    partners: list[NamedRef]
    territory: TerritoryRef
    campaign: NamedRef | None
    venue: VenueOut | None
    attendance_mode: str
    online_url: str
    status: str = Field(description="scheduled, cancelled, postponed, rescheduled ou moved_online (schema.org).")
    status_message: str
    price: Decimal
    price_note: str
    registration: RegistrationInfo
    sessions: list[SessionOut]
    url: str
    ics_url: str


class EventPage(Schema):
    count: int
    results: list[EventOut]


class RegistrationIn(Schema):
    name: Text(150, min_length=1, pattern=NAME_PATTERN, message="indiquez un nom") = Field(
        description="Nom et prénom."
    )
    email: Email = Field(description="Adresse e-mail : la confirmation y est envoyée.")
    session: Id | None = Field(None, description="Numéro de la séance ; facultatif si l'événement n'en a qu'une.")
    phone: Text(30) = Field("", description="Téléphone (facultatif).")
    answers: TextMap(50, key_length=200, value_length=1000) = Field(
        default_factory=dict, description="Réponses aux questions de l'organisateur."
    )
    consent: Literal[True] = Field(
        description="La personne a lu la mention sur ses données personnelles : true, comme la case du formulaire."
    )


class RegistrationOut(Schema):
    id: int | None = Field(
        description="Numéro de l'inscription, pour les agents du territoire seulement (null pour les autres : la "
        "réponse ne dit jamais si une adresse était déjà inscrite)."
    )
    session: int
    status: RegistrationStatus
    detail: str


def _event_queryset():
    sessions = Session.objects.annotate(
        confirmed_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED))
    ).order_by("start", "pk")
    return (
        Event.objects.published()
        .select_related("territory", "campaign", "venue", "venue__commune")
        .prefetch_related(Prefetch("sessions", queryset=sessions), "audience_rows", "themes", "organisers", "partners")
    )


def _ref(obj, name=None):
    return {"slug": obj.slug, "name": name or str(obj)}


def _event_out(request, event: Event) -> dict:
    venue = event.venue
    url = reverse("agenda:event", args=[event.pk])
    return {
        "id": event.pk,
        "title": event.title,
        "summary": event.summary,
        "description": event.description,
        "type": event.event_type,
        "type_label": event.get_event_type_display(),
        "audiences": event.audience_values,
        "themes": [_ref(t, t.name) for t in event.themes.all()],
        "organisers": [_ref(s, s.display_name) for s in event.organisers.all()],
        "other_organisers": event.other_organiser_names,
        "partners": [_ref(s, s.display_name) for s in event.partners.all()],
        "territory": {"slug": event.territory.slug, "siren": event.territory.siren, "name": event.territory.name},
        "campaign": _ref(event.campaign, event.campaign.name) if event.campaign_id else None,
        "venue": (
            {
                "name": venue.name,
                "address": venue.address,
                "postcode": venue.postcode,
                "commune": {"insee_code": venue.commune_id, "name": venue.commune.name},
                "lat": venue.lat,
                "lon": venue.lon,
                "access_notes": venue.access_notes,
                "accessibility": venue.accessibility,
            }
            if venue
            else None
        ),
        "attendance_mode": event.attendance_mode,
        "online_url": event.online_url,
        "status": event.status,
        "status_message": event.status_message,
        "price": event.price,
        "price_note": event.price_note,
        "registration": {
            "mode": event.registration_mode,
            "url": (
                event.registration_url
                if event.registration_mode == "external"
                else request.build_absolute_uri(f"/api/v1/events/{event.pk}/registrations")
                if event.registers_here
                else ""
            ),
            "deadline": event.registration_deadline,
            "waitlist": event.waitlist_enabled,
            "questions": list(event.questions),
        },
        "sessions": [
            {
                "id": s.pk,
                "label": s.label,
                "start": s.start,
                "end": s.end,
                "capacity": s.capacity,
                "seats_left": s.seats_left(s.confirmed_count),
                "is_full": s.capacity is not None and s.confirmed_count >= s.capacity,
                "ics_uid": f"{s.uid}@essaim",
            }
            for s in event.sessions.all()
        ],
        "url": request.build_absolute_uri(url),
        "ics_url": request.build_absolute_uri(reverse("agenda:event_ics", args=[event.pk])),
    }


@router.get("/events", response={200: EventPage, **errors(400, 422)}, summary="Événements publiés", by_alias=True)
def list_events(request, filters: Query[EventFilters]):
    """Published events that have a session in the period (from today by default), ordered by their first session.
    The same filters as the agenda page and the subscribable calendar ``/agenda/calendar.ics``."""
    agenda_filters = AgendaFilters(
        date_from=filters.date_from or timezone.localdate(),
        date_to=filters.to,
        campaign=filters.campaign or "",
        event_type=filters.type or "",
        audience=filters.audience or "",
        commune=filters.commune or "",
        territory=filters.territory or "",
        organiser=filters.organiser or "",
        q=filters.q or "",
    )
    if filters.to and filters.to < agenda_filters.date_from:
        raise HttpError(400, "La date de fin (to) précède la date de début (from).")
    count = Event.objects.published().filtered(agenda_filters).count()
    # Walk the sessions in time order (indexed) and keep each event at its first session in the period: no GROUP BY
    # over every event of a large agenda.
    wanted = filters.offset + filters.limit
    ordered_ids: list[int] = []
    seen: set[int] = set()
    sessions = Session.objects.published().filtered(agenda_filters).order_by("start", "pk")
    event_ids = sessions.values_list("event_id", flat=True)
    chunk, start = max(2 * wanted, 100), 0
    while len(ordered_ids) < wanted:
        batch = list(event_ids[start : start + chunk])
        for event_id in batch:
            if event_id not in seen:
                seen.add(event_id)
                ordered_ids.append(event_id)
        if len(batch) < chunk:
            break
        start += chunk
    page_ids = ordered_ids[filters.offset : wanted]
    events = {e.pk: e for e in _event_queryset().filter(pk__in=page_ids)}
    return {"count": count, "results": [_event_out(request, events[pk]) for pk in page_ids if pk in events]}


@router.get(
    "/events/{event_id}", response={200: EventOut, **errors(404, 422)}, summary="Un événement publié et ses séances"
)
def get_event(request, event_id: Id):
    event = get_object_or_404(_event_queryset(), pk=event_id)
    return _event_out(request, event)


@router.post(
    "/events/{event_id}/registrations",
    response={201: RegistrationOut, **errors(400, 404, 409, 422, 429)},
    summary="S'inscrire à une séance",
)
def register(request, event_id: Id, payload: RegistrationIn):
    """Registers a person (no account needed). Answers ``confirmed`` when a seat was left, ``waitlisted`` when the
    session is full and the event keeps a waiting list; 409 when the session is full without a waiting list,
    registration is closed, the e-mail is already registered or the event has several sessions and none was
    chosen; 404 for an unknown event or a session of another event; 422 for a value outside the limits of this
    schema (``consent`` must be true, as the form's box must be ticked); 429 past the rate limit. The person
    receives the confirmation mail with its ``.ics`` file and a cancel link."""
    if not allow(request):
        return Status(429, {"detail": "Trop de tentatives d'inscription : réessayez dans une minute."})
    event = get_object_or_404(Event.objects.published(), pk=event_id)
    sessions = list(event.sessions.order_by("start", "pk"))
    if payload.session is None:
        upcoming = [s for s in sessions if not s.has_started]
        if len(upcoming) > 1:
            return Status(409, {"detail": "Précisez la séance (session) : cet événement en a plusieurs."})
        if not upcoming:
            return Status(409, {"detail": "Les inscriptions sont closes : toutes les séances ont commencé."})
        session = upcoming[0]
    else:
        session = next((s for s in sessions if s.pk == payload.session), None)
        if session is None:
            return Status(404, {"detail": f"La séance {payload.session} n'appartient pas à cet événement."})
    # Only the territory's officers learn that an address was already registered; anyone else gets the answer a
    # new registration gets (same status code, same body), and the person is told by mail.
    staff = can_manage_event(request.user, event)
    try:
        registration = registration_create(
            session=session,
            name=payload.name,
            email=payload.email,
            phone=payload.phone,
            answers=payload.answers,
            consent=payload.consent,
            source="api",
            site_url=request.build_absolute_uri("/").rstrip("/"),
            disclose_duplicate=staff,
        )
    except RegistrationError as exc:
        status = 409 if exc.code in {"closed", "full", "already_registered"} else 422
        return Status(status, {"detail": exc.message})
    if registration.reported_status == RegistrationStatus.CONFIRMED:
        detail = "Inscription confirmée : un e-mail de confirmation a été envoyé."
    else:
        waiting = session.registrations.waitlisted()
        # A new registration's place in the queue; for an address already registered, the place a new one would get.
        position = (
            waiting.count() + 1
            if getattr(registration, "duplicate", False)
            else waiting.filter(pk__lte=registration.pk).count()
        )
        detail = f"Séance complète : inscription sur liste d'attente (position {position})."
    return Status(
        201,
        {
            "id": registration.pk if staff else None,
            "session": session.pk,
            "status": registration.reported_status,
            "detail": detail,
        },
    )
