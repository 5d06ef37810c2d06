"""The choices of the support capability: advice slots (*permanences*), bookings, projects and referrals."""

from django.db import models


class Channel(models.TextChoices):
    """How an advice slot is held (RDV Service Public's *lieu / téléphone / visio*)."""

    IN_PERSON = "in_person", "sur place"
    PHONE = "phone", "par téléphone"
    VIDEO = "video", "en visioconférence"


class BookableBy(models.TextChoices):
    """Who may book a motif: anyone from the public page, or only a person holding an invitation (sent by an officer
    or by the partner who referred them)."""

    ANYONE = "anyone", "tout le monde"
    INVITED = "invited", "sur invitation d'un·e chargé·e de mission"
    REFERRED = "referred", "sur orientation d'un partenaire"


class BookingStatus(models.TextChoices):
    """The states of a booking (RDV Service Public's *à venir / vu / absent / excusé / annulé*). A booking in one of
    ``HOLDING`` keeps its slot; the others free it."""

    BOOKED = "booked", "à venir"
    SEEN = "seen", "vu·e"
    NO_SHOW = "no_show", "absent·e sans prévenir"
    EXCUSED = "excused", "annulé par la personne"
    CANCELLED_BY_SERVICE = "cancelled", "annulé par le service"


HOLDING = (BookingStatus.BOOKED, BookingStatus.SEEN, BookingStatus.NO_SHOW)


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", "en attente"
    OFFERED = "offered", "créneau proposé"
    TAKEN = "taken", "créneau pris"
    EXPIRED = "expired", "expirée"
    WITHDRAWN = "withdrawn", "retirée"


class ProjectKind(models.TextChoices):
    """Seed 001: "l'accompagnement des créateurs potentiels … De même, les entreprises déjà implantées sont suivies
    et soutenues dans leurs phases d'évolution"."""

    CREATION = "creation", "création"
    DEVELOPMENT = "development", "développement d'une structure existante"


class Stage(models.TextChoices):
    IDEA = "idea", "idée"
    STUDY = "study", "étude"
    LAUNCH = "launch", "lancement"
    CREATED = "created", "créé"
    DEVELOPING = "developing", "en développement"


class Need(models.TextChoices):
    FINANCING = "financing", "financement"
    LEGAL_FORM = "legal_form", "forme juridique"
    PREMISES = "premises", "locaux"
    RECRUITMENT = "recruitment", "recrutement"
    MARKET = "market", "étude de marché"
    TRAINING = "training", "formation"
    ACTIVITY_TEST = "activity_test", "test d'activité"
    COOPERATION = "cooperation", "coopération, mutualisation"


class ProjectStatus(models.TextChoices):
    OPEN = "open", "en cours"
    CLOSED = "closed", "clos"


class ClosureReason(models.TextChoices):
    CREATED = "created", "structure créée ou projet abouti"
    ABANDONED = "abandoned", "projet abandonné"
    NO_NEWS = "no_news", "sans nouvelles"
    ELSEWHERE = "elsewhere", "accompagné ailleurs"


class PartnerKind(models.TextChoices):
    """Fiches 11–13 of seed 002: the BGE's workshops, the activity test in a CAE, the DLA run by Pas-de-Calais
    Actif; any other structure of the directory may be a partner."""

    BGE = "bge", "BGE (création d'entreprise)"
    CAE = "cae", "coopérative d'activités et d'emploi"
    DLA = "dla", "dispositif local d'accompagnement"
    FINANCE = "finance", "financeur solidaire"
    OTHER = "other", "autre partenaire"


class ReferralStatus(models.TextChoices):
    """Conseillers-Entreprises' statuses of a need routed to a partner."""

    QUO = "quo", "en attente de prise en charge"
    TAKING_CARE = "taking_care", "pris en charge"
    DONE = "done", "clôturé avec aide"
    DONE_NO_HELP = "done_no_help", "clôturé sans aide"
    NOT_REACHABLE = "not_reachable", "injoignable"
    NOT_FOR_ME = "not_for_me", "refusé : pas pour nous"


REFERRAL_CLOSED = (
    ReferralStatus.DONE,
    ReferralStatus.DONE_NO_HELP,
    ReferralStatus.NOT_REACHABLE,
    ReferralStatus.NOT_FOR_ME,
)
