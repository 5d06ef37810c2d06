"""The database backend of django-tasks for production: ``enqueue`` writes a :class:`~essaim.jobs.models.Job` row,
``essaim worker`` runs it later in another process.

django-tasks 0.12 ships only the immediate and dummy backends (its database backend moved to a separate package);
this one keeps django-tasks' API (``Task.enqueue``, ``TaskResult``, ``get_result``, its signals) so the tasks of the
apps do not know which backend runs them. Options (``TASKS["default"]["OPTIONS"]``):

- ``MAX_ATTEMPTS`` (4): a task that raises is tried again until it has been tried this many times;
- ``BACKOFF_SECONDS`` (60) and ``BACKOFF_FACTOR`` (5): the delay before the n-th retry is
  ``BACKOFF_SECONDS * BACKOFF_FACTOR ** (n - 1)``: 1 min, 5 min, 25 min.
"""

from django.db import transaction
from django.utils.module_loading import import_string
from django_tasks import TaskResult, TaskResultStatus
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import TaskError
from django_tasks.exceptions import TaskResultDoesNotExist
from django_tasks.signals import task_enqueued
from django_tasks.utils import normalize_json

DEFAULT_MAX_ATTEMPTS = 4
DEFAULT_BACKOFF_SECONDS = 60
DEFAULT_BACKOFF_FACTOR = 5


class DatabaseBackend(BaseTaskBackend):
    supports_defer = True
    supports_get_result = True
    supports_priority = True

    def __init__(self, alias: str, params: dict) -> None:
        super().__init__(alias, params)
        self.max_attempts = int(self.options.get("MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))
        self.backoff_seconds = int(self.options.get("BACKOFF_SECONDS", DEFAULT_BACKOFF_SECONDS))
        self.backoff_factor = int(self.options.get("BACKOFF_FACTOR", DEFAULT_BACKOFF_FACTOR))

    def retry_delay(self, attempts: int) -> int:
        """Seconds to wait after the ``attempts``-th failed attempt before the next one."""
        return self.backoff_seconds * self.backoff_factor ** max(attempts - 1, 0)

    def enqueue(self, task, args, kwargs, *, unique_key: str | None = None) -> TaskResult:
        from essaim.jobs.models import Job

        self.validate_task(task)
        job = Job.objects.create(
            task_path=task.module_path,
            args=normalize_json(list(args)),
            kwargs=normalize_json(dict(kwargs)),
            queue_name=task.queue_name,
            priority=task.priority,
            backend=self.alias,
            run_after=task.run_after,
            max_attempts=self.max_attempts,
            unique_key=unique_key,
        )
        result = job_to_result(job, task=task)
        transaction.on_commit(lambda: task_enqueued.send(type(self), task_result=result))
        return result

    def get_result(self, result_id: str) -> TaskResult:
        from essaim.jobs.models import Job

        job = Job.objects.filter(pk=int(result_id)).first() if str(result_id).isdigit() else None
        if job is None or job.backend != self.alias:
            raise TaskResultDoesNotExist(result_id)
        return job_to_result(job)

    def check(self, **kwargs):
        from django.apps import apps
        from django.core import checks

        if not apps.is_installed("essaim.jobs"):
            yield checks.Error("La file de tâches en base demande l'application « essaim.jobs » dans INSTALLED_APPS.")


def job_task(job):
    """The ``Task`` object of a row (its module-level ``@task`` function), or ImportError."""
    return import_string(job.task_path)


def job_to_result(job, *, task=None) -> TaskResult:
    """The row seen through django-tasks' ``TaskResult``."""
    result = TaskResult(
        task=task or job_task(job),
        id=str(job.pk),
        status=TaskResultStatus(job.status),
        enqueued_at=job.enqueued_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
        last_attempted_at=job.last_attempted_at,
        args=job.args,
        kwargs=job.kwargs,
        backend=job.backend,
        errors=[
            TaskError(exception_class_path=e["exception_class_path"], traceback=e["traceback"]) for e in job.errors
        ],
        worker_ids=list(job.worker_ids),
    )
    object.__setattr__(result, "_return_value", job.return_value)
    return result
