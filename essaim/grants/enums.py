from django.db import models


class GrantForm(models.TextChoices):
    """The two forms of the "Entreprendre Autrement" aid (seed 002, fiche 10)."""

    START = "demarrage", "aide au démarrage"
    DEVELOPMENT = "developpement", "aide au développement"


class DevelopmentCase(models.TextChoices):
    """The three cases of the aide au développement."""

    NEW_ACTIVITY = "new_activity", "nouvelle activité au sein d'une structure existante"
    NEW_ESTABLISHMENT = "new_establishment", "essaimage territorial : création d'un nouvel établissement"
    POOLING = "pooling", "projet de mutualisation ou de coopération entre structures de l'ESS"


class ApplicationState(models.TextChoices):
    DRAFT = "draft", "brouillon"
    SUBMITTED = "submitted", "déposée"
    UNDER_REVIEW = "under_review", "en instruction"
    INCOMPLETE = "incomplete", "incomplète : pièces demandées"
    READY_FOR_COMMISSION = "ready_for_commission", "prête pour la commission"
    COMMISSION_REVIEWED = "commission_reviewed", "avis de la commission rendu"
    GRANTED = "granted", "accordée par le Bureau"
    REFUSED = "refused", "refusée par le Bureau"
    AGREEMENT_SIGNED = "agreement_signed", "convention signée"
    IN_PAYMENT = "in_payment", "en paiement"
    CLOSED = "closed", "soldée et clôturée"
    WITHDRAWN = "withdrawn", "retirée par le demandeur"
    NO_FURTHER_ACTION = "no_further_action", "classée sans suite"
    CANCELLED = "cancelled", "subvention annulée"


class Actor(models.TextChoices):
    """Who may fire a transition."""

    APPLICANT = "applicant", "demandeur"
    OFFICER = "officer", "chargé·e de mission"
    SESSION = "session", "séance (commission ou Bureau)"


class Opinion(models.TextChoices):
    FAVOURABLE = "favourable", "favorable"
    UNFAVOURABLE = "unfavourable", "défavorable"
    POSTPONED = "postponed", "ajourné"


class DecisionOutcome(models.TextChoices):
    GRANTED = "granted", "subvention accordée"
    REFUSED = "refused", "refus"


class SessionKind(models.TextChoices):
    COMMISSION = "commission", "commission ad hoc"
    BUREAU = "bureau", "Bureau communautaire"


class PaymentKind(models.TextChoices):
    ADVANCE = "advance", "avance"
    BALANCE = "balance", "solde"


class DocumentKind(models.TextChoices):
    STATUTES = "statutes", "statuts"
    REGISTRATION = "registration", "avis de situation SIRENE ou récépissé de déclaration"
    BANK_DETAILS = "bank_details", "relevé d'identité bancaire"
    IDENTITY = "identity", "pièce d'identité du représentant légal"
    BUDGET = "budget", "budget prévisionnel"
    QUOTES = "quotes", "devis des investissements"
    JOBS_PROOF = "jobs_proof", "justificatif des emplois créés"
    OTHER = "other", "autre pièce"


# Documents a commission member never reads (RGPD minimisation): bank details and identity documents.
PRIVATE_DOCUMENT_KINDS = frozenset({"bank_details", "identity"})


class MovementKind(models.TextChoices):
    """What gives credits back to the year of the decision."""

    RELEASE = "release", "libération du reliquat non versé"
    CANCELLATION = "cancellation", "annulation de la subvention"
    REDUCTION = "reduction", "réduction au solde (emplois créés)"
    RECOVERY = "recovery", "reversement"


class ReminderStep(models.TextChoices):
    SOON = "soon", "échéance proche"
    OVERDUE = "overdue", "échéance dépassée"


class FundingKind(models.TextChoices):
    OWN = "own", "fonds propres"
    PUBLIC = "public", "autre subvention publique"
    LOAN = "loan", "prêt"
    PRIVATE = "private", "financement privé (fondation, mécénat, financement participatif)"
    OTHER = "other", "autre"


class Assessment(models.TextChoices):
    MET = "met", "satisfait"
    PARTLY = "partly", "en partie"
    NOT_MET = "not_met", "non satisfait"


class AccessAction(models.TextChoices):
    VIEW = "view", "consultation"
    CHANGE = "change", "modification"
    DOWNLOAD = "download", "téléchargement d'une pièce"


class NewStructureFamily(models.TextChoices):
    """The legal families a new ESS structure may take (loi n° 2014-856, art. 1)."""

    ASSOCIATION = "association", "association"
    COOPERATIVE = "cooperative", "coopérative (SCOP, SCIC…)"
    MUTUELLE = "mutuelle", "mutuelle"
    FONDATION = "fondation", "fondation"
    COMMERCIAL = "commercial", "société commerciale de l'ESS (ESUS)"
