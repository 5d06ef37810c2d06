from django.db import models


class EpciKind(models.TextChoices):
    """Kinds of EPCI in the official geography (column ``epci_type``)."""

    CA = "CA", "communauté d'agglomération"
    CC = "CC", "communauté de communes"
    CU = "CU", "communauté urbaine"
    METRO = "METRO", "métropole"
    MET69 = "MET69", "métropole de Lyon"


class TerritoryKind(models.TextChoices):
    CA = "CA", "communauté d'agglomération"
    CC = "CC", "communauté de communes"
    CU = "CU", "communauté urbaine"
    METRO = "METRO", "métropole"
    PAYS = "PAYS", "pays ou PETR"
    DEPARTEMENT = "DEP", "département"
    REGION = "REG", "région"
    COMMUNE = "COM", "commune"
    OTHER = "AUTRE", "autre groupement"


class PerimeterConfidence(models.TextChoices):
    """How sure we are that a commune belonged to a territory's perimeter."""

    OFFICIAL = "official", "officiel"
    LISTED = "listed", "listé par une source publiée"
    INFERRED = "inferred", "déduit (reconstitution)"


class ContactKind(models.TextChoices):
    ELECTED = "elected", "élu·e"
    STAFF = "staff", "technicien·ne"


class SheetStatus(models.TextChoices):
    PLANNED = "planned", "en projet"
    ONGOING = "ongoing", "en cours"
    DONE = "done", "réalisée"
    ABANDONED = "abandoned", "abandonnée"
