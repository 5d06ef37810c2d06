"""Choices of the agenda: stable values, French labels."""

from django.db import models


class EventType(models.TextChoices):
    ATELIER = "atelier", "atelier"
    PERMANENCE = "permanence", "permanence"
    RENCONTRE = "rencontre", "rencontre"
    CAFE_CITOYEN = "cafe_citoyen", "café citoyen"
    PORTES_OUVERTES = "portes_ouvertes", "portes ouvertes"
    SALON = "salon", "salon"
    CONFERENCE = "conference", "conférence"
    VISITE = "visite", "visite"
    DEGUSTATION = "degustation", "dégustation"
    REUNION = "reunion", "réunion"
    AUTRE = "autre", "autre"


class Audience(models.TextChoices):
    GRAND_PUBLIC = "grand_public", "grand public"
    PROFESSIONNELS = "professionnels", "professionnels"
    PORTEURS_DE_PROJET = "porteurs_de_projet", "porteurs de projet"
    ADHERENTS_CLUB = "adherents_club", "adhérents du club"
    PRESSE = "presse", "presse"
    ELUS = "elus", "élu·es"
    SCOLAIRES = "scolaires", "scolaires (collégiens, lycéens)"


class AttendanceMode(models.TextChoices):
    """schema.org eventAttendanceMode."""

    IN_PERSON = "in_person", "sur place"
    ONLINE = "online", "en ligne"
    MIXED = "mixed", "sur place et en ligne"


class EventStatus(models.TextChoices):
    """schema.org eventStatus: what visitors must know about the event taking place."""

    SCHEDULED = "scheduled", "programmé"
    CANCELLED = "cancelled", "annulé"
    POSTPONED = "postponed", "reporté (nouvelle date à venir)"
    RESCHEDULED = "rescheduled", "déplacé à une nouvelle date"
    MOVED_ONLINE = "moved_online", "passé en ligne"


class Publication(models.TextChoices):
    """Where an event stands in the editorial workflow (see ``essaim.agenda.workflow``)."""

    DRAFT = "draft", "brouillon"
    PROPOSED = "proposed", "proposé, en attente de modération"
    PUBLISHED = "published", "publié"
    REJECTED = "rejected", "refusé"


class RegistrationMode(models.TextChoices):
    NONE = "none", "sans inscription"
    HERE = "here", "inscription sur ce site"
    EXTERNAL = "external", "inscription sur un autre site"


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", "confirmée"
    WAITLISTED = "waitlisted", "sur liste d'attente"
    CANCELLED = "cancelled", "annulée"
