from django.db import models


class Origin(models.TextChoices):
    """Where a value shown by the observatory comes from: never two of these silently for one figure."""

    LIVE = "live", "calculé à l'instant"
    SNAPSHOT = "snapshot", "figé en fin d'année"
    ENTERED = "entered", "saisi"


class EnteredCode(models.TextChoices):
    """The figures a territory enters because Essaim cannot compute them (its denominators)."""

    TOTAL_EMPLOYMENT = "total_employment", "emploi salarié total du territoire"


class EvaluationStatus(models.TextChoices):
    """A fiche's yearly evaluation: officers write it, submit it, the territory admin validates it (or sends it
    back to draft with a comment)."""

    DRAFT = "draft", "en rédaction"
    SUBMITTED = "submitted", "soumise à validation"
    VALIDATED = "validated", "validée"


class SheetProgress(models.TextChoices):
    """How a fiche's year went, as the evaluation judges it."""

    NOT_STARTED = "not_started", "non engagée"
    ONGOING = "ongoing", "en cours"
    ACHIEVED = "achieved", "réalisée"
    DELAYED = "delayed", "en retard"
    ABANDONED = "abandoned", "abandonnée"
