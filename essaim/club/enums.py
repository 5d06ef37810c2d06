"""The choices of the club: membership, meetings, pooling (*mutualisation*), calls for projects and joint answers,
good practices. Stable values, French labels."""

from django.db import models


class ClubStatus(models.TextChoices):
    """Seed 004: the club was born informal and "va se structurer … en association"."""

    INFORMAL = "informal", "groupement informel"
    ASSOCIATION = "association", "association (loi 1901)"


class BureauRole(models.TextChoices):
    PRESIDENT = "president", "président·e"
    VICE_PRESIDENT = "vice_president", "vice-président·e"
    TREASURER = "treasurer", "trésorier·ère"
    SECRETARY = "secretary", "secrétaire"


class MemberStatus(models.TextChoices):
    """A structure's place in the club. ``CANDIDATE`` waits for a facilitator; ``ACTIVE`` until ``expires_on``, then
    ``LAPSED`` (not renewed); ``LEFT`` by its own choice; ``REFUSED`` by a facilitator."""

    CANDIDATE = "candidate", "candidature en attente"
    ACTIVE = "active", "membre"
    LAPSED = "lapsed", "adhésion à renouveler"
    LEFT = "left", "a quitté le club"
    REFUSED = "refused", "candidature refusée"


class ClubRole(models.TextChoices):
    """A person's role in a club, beyond being a person of a member structure (who is a plain member). The
    territory's officers and admin are the club's admins by right; an officer may also be named facilitator."""

    FACILITATOR = "facilitator", "animateur·rice"
    ADMIN = "admin", "administrateur·rice du club"


class ListingKind(models.TextChoices):
    OFFER = "offer", "offre"
    NEED = "need", "besoin"


class ListingCategory(models.TextChoices):
    """Seed 004: "la mutualisation de moyens"."""

    PREMISES = "premises", "locaux"
    ROOM = "room", "salle de réunion"
    EQUIPMENT = "equipment", "matériel"
    VEHICLE = "vehicle", "véhicule"
    SKILL = "skill", "compétence"
    SHARED_STAFF = "shared_staff", "temps de salarié partagé"
    GROUP_PURCHASE = "group_purchase", "achat groupé"
    OTHER = "other", "autre"


class ListingStatus(models.TextChoices):
    OPEN = "open", "ouverte"
    MATCHED = "matched", "pourvue"
    CLOSED = "closed", "close"


class BookingUnit(models.TextChoices):
    """The grain of a shared item's bookings: one row per unit booked, unique per item, is the database constraint
    that makes two overlapping bookings of one item impossible on SQLite and PostgreSQL alike."""

    HOUR = "hour", "à l'heure"
    DAY = "day", "à la journée"


class ItemBookingStatus(models.TextChoices):
    CONFIRMED = "confirmed", "confirmée"
    CANCELLED = "cancelled", "annulée"


class PurchaseStatus(models.TextChoices):
    OPEN = "open", "ouvert aux participations"
    CLOSED = "closed", "clos"
    CANCELLED = "cancelled", "annulé"


class AnswerStatus(models.TextChoices):
    """A joint answer to a call for projects (*réponse en consortium*)."""

    PREPARING = "preparing", "en préparation"
    SUBMITTED = "submitted", "déposée"
    WON = "won", "retenue"
    LOST = "lost", "non retenue"
    ABANDONED = "abandoned", "abandonnée"


class PartnerStatus(models.TextChoices):
    INVITED = "invited", "invité"
    ACCEPTED = "accepted", "partenaire"
    DECLINED = "declined", "a décliné"


class PracticeStatus(models.TextChoices):
    """A practice sheet is written by a member, reviewed by a facilitator, then published (or sent back)."""

    DRAFT = "draft", "brouillon"
    SUBMITTED = "submitted", "à relire"
    PUBLISHED = "published", "publiée"
    RETURNED = "returned", "renvoyée pour corrections"
