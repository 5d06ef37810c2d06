from django.db import models


class JobStatus(models.TextChoices):
    """The states of a queued task: the same values as ``django_tasks.TaskResultStatus``, with French labels."""

    READY = "READY", "en attente"
    RUNNING = "RUNNING", "en cours"
    FAILED = "FAILED", "échouée"
    SUCCESSFUL = "SUCCESSFUL", "réussie"
