from django.db import models
from django.db.models import Q
from django.utils import timezone

from essaim.core.models import TimeStampedModel
from essaim.jobs.enums import JobStatus


class JobQuerySet(models.QuerySet):
    def due(self, now=None):
        """Waiting tasks whose time has come (no ``run_after``, or a ``run_after`` in the past)."""
        now = now or timezone.now()
        return self.filter(status=JobStatus.READY).filter(Q(run_after__isnull=True) | Q(run_after__lte=now))

    def in_claim_order(self):
        """Highest priority first, then the earliest due, then the oldest."""
        return self.order_by("-priority", models.F("run_after").asc(nulls_first=True), "enqueued_at", "pk")

    def failed(self):
        return self.filter(status=JobStatus.FAILED)


class Job(TimeStampedModel):
    """A django-tasks task enqueued with the database backend (``essaim.jobs.backend.DatabaseBackend``), run by
    ``essaim worker``. A task that raises is put back with a later ``run_after`` (exponential backoff) until its
    last attempt, then stays ``FAILED`` for the network admins to see and relaunch (``/gestion/taches/``).

    The row is written in the transaction that enqueues the task: a rolled-back change enqueues nothing.
    """

    task_path = models.CharField("tâche", max_length=255)
    args = models.JSONField("arguments positionnels", default=list)
    kwargs = models.JSONField("arguments nommés", default=dict)
    queue_name = models.CharField("file", max_length=32, default="default")
    priority = models.SmallIntegerField("priorité", default=0)
    backend = models.CharField("moteur", max_length=32, default="default")
    status = models.CharField("état", max_length=10, choices=JobStatus, default=JobStatus.READY, db_index=True)
    run_after = models.DateTimeField("à lancer après", null=True, blank=True)
    enqueued_at = models.DateTimeField("mise en file le", default=timezone.now)
    started_at = models.DateTimeField("commencée le", null=True, blank=True)
    last_attempted_at = models.DateTimeField("dernière tentative le", null=True, blank=True)
    finished_at = models.DateTimeField("terminée le", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    max_attempts = models.PositiveSmallIntegerField("tentatives au plus", default=4)
    errors = models.JSONField("erreurs", default=list, blank=True)
    worker_ids = models.JSONField("processus", default=list, blank=True)
    return_value = models.JSONField("valeur rendue", null=True, blank=True)
    unique_key = models.CharField(
        "clé d'unicité",
        max_length=100,
        null=True,
        blank=True,
        unique=True,
        help_text="Pour les tâches planifiées : une seule tâche par clé (par exemple une par commande et par jour).",
    )

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = "tâche de fond"
        verbose_name_plural = "tâches de fond"
        indexes = [models.Index(fields=["status", "run_after"], name="jobs_job_status_run_after")]
        constraints = [
            models.CheckConstraint(
                condition=Q(attempts__lte=models.F("max_attempts")), name="jobs_job_attempts_lte_max"
            ),
        ]

    def __str__(self):
        return f"{self.task_name} ({self.get_status_display()})"

    @property
    def task_name(self) -> str:
        return self.task_path.rpartition(".")[2]

    @property
    def last_error(self) -> dict:
        return self.errors[-1] if self.errors else {}
