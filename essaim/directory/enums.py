from django.db import models


class Family(models.TextChoices):
    """The ESS families of loi n° 2014-856, art. 1."""

    ASSOCIATION = "association", "association"
    COOPERATIVE = "cooperative", "coopérative"
    MUTUELLE = "mutuelle", "mutuelle"
    FONDATION = "fondation", "fondation"
    COMMERCIAL = "commercial", "société commerciale de l'ESS"
    OTHER = "other", "autre"


class Label(models.TextChoices):
    ACI = "ACI", "atelier et chantier d'insertion (ACI)"
    AI = "AI", "association intermédiaire (AI)"
    EI = "EI", "entreprise d'insertion (EI)"
    ETTI = "ETTI", "entreprise de travail temporaire d'insertion (ETTI)"
    EA = "EA", "entreprise adaptée (EA)"
    ESAT = "ESAT", "établissement et service d'accompagnement par le travail (ESAT)"
    CAE = "CAE", "coopérative d'activité et d'emploi (CAE)"
    SCOP = "SCOP", "société coopérative et participative (SCOP)"
    SCIC = "SCIC", "société coopérative d'intérêt collectif (SCIC)"
    ESUS = "ESUS", "entreprise solidaire d'utilité sociale (ESUS)"
    MISSION = "MISSION", "société à mission"


class HeadcountBand(models.TextChoices):
    """INSEE headcount bands (tranche d'effectifs salariés)."""

    NN = "NN", "non employeuse ou effectif inconnu"
    B00 = "00", "0 salarié"
    B01 = "01", "1 ou 2 salariés"
    B02 = "02", "3 à 5 salariés"
    B03 = "03", "6 à 9 salariés"
    B11 = "11", "10 à 19 salariés"
    B12 = "12", "20 à 49 salariés"
    B21 = "21", "50 à 99 salariés"
    B22 = "22", "100 à 199 salariés"
    B31 = "31", "200 à 249 salariés"
    B32 = "32", "250 à 499 salariés"
    B41 = "41", "500 à 999 salariés"
    B42 = "42", "1 000 à 1 999 salariés"
    B51 = "51", "2 000 à 4 999 salariés"
    B52 = "52", "5 000 à 9 999 salariés"
    B53 = "53", "10 000 salariés et plus"


class Status(models.TextChoices):
    DRAFT = "draft", "brouillon"
    PENDING = "pending", "en attente de modération"
    PUBLISHED = "published", "publiée"
    REJECTED = "rejected", "refusée"
    ARCHIVED = "archived", "archivée"


class EssSource(models.TextChoices):
    """Where a structure's ESS status comes from."""

    SIRENE = "sirene", "indicateur ESS du répertoire SIRENE"
    LEGAL_FORM = "legal_form", "forme juridique de l'ESS"
    IMPORTED_LIST = "imported_list", "liste importée (SIAE, ESUS…)"
    DECLARED = "declared", "déclarée par la structure"
    VERIFIED = "verified", "vérifiée par un·e chargé·e de mission"


class Transition(models.TextChoices):
    """The named moves of a structure's moderation workflow (see ``services.TRANSITIONS``)."""

    SUBMIT = "submit", "soumission à la modération"
    PUBLISH = "publish", "publication"
    REJECT = "reject", "refus"
    ARCHIVE = "archive", "archivage"
    RESTORE = "restore", "republication"
    MERGE = "merge", "fusion avec un doublon"
    IMPORT = "import", "import"


class RequestStatus(models.TextChoices):
    """State of a claim, a proposed change or an error report."""

    PENDING = "pending", "en attente"
    APPROVED = "approved", "acceptée"
    REJECTED = "rejected", "refusée"
    CLOSED = "closed", "traitée"
