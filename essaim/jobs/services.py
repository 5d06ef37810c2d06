"""The worker's side of the database task queue: take the next due task, run it, retry it with backoff or mark it
failed; relaunch a failed task; enqueue the daily commands once a day; count the queue (for the health check).

Every change of a task's state goes through these functions (``essaim worker`` and the back office call them)."""

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, Min, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_tasks import TaskContext, task_backends
from django_tasks.signals import task_finished, task_started
from django_tasks.utils import get_exception_traceback, get_module_path, normalize_json

from essaim.jobs.backend import (
    DEFAULT_BACKOFF_FACTOR,
    DEFAULT_BACKOFF_SECONDS,
    DatabaseBackend,
    job_task,
    job_to_result,
)
from essaim.jobs.enums import JobStatus
from essaim.jobs.models import Job

logger = logging.getLogger("essaim.jobs")

KEPT_ERRORS = 5  # the tracebacks of the last attempts kept on the row (the logs have them all)
DEFAULT_DAILY_HOUR = 3
KEEP_SUCCESSFUL = timedelta(days=30)
KEEP_FAILED = timedelta(days=90)


def database_backend(alias: str = "default") -> DatabaseBackend | None:
    """The configured backend when it is the database one, else None (the immediate backend of tests and demo)."""
    backend = task_backends[alias]
    return backend if isinstance(backend, DatabaseBackend) else None


def _retry_delay(job: Job) -> int:
    backend = database_backend(job.backend) if job.backend in task_backends.settings else None
    if backend is not None:
        return backend.retry_delay(job.attempts)
    return DEFAULT_BACKOFF_SECONDS * DEFAULT_BACKOFF_FACTOR ** max(job.attempts - 1, 0)


def job_claim(*, worker_id: str, queues=None, now=None) -> Job | None:
    """Takes the next due task and marks it running (one more attempt), or returns None when none is due.

    Locks the row: ``select_for_update(skip_locked=True)`` on PostgreSQL, so two workers never take the same task
    and neither waits for the other; SQLite ignores it (one writer at a time) and the conditional update below
    (still ``READY``, same attempt count) lets only one worker win."""
    now = now or timezone.now()
    due = Job.objects.due(now)
    if queues:
        due = due.filter(queue_name__in=queues)
    if not due.exists():  # a read first: an idle worker never takes SQLite's write lock from the web
        return None
    with transaction.atomic():
        job = due.in_claim_order().select_for_update(skip_locked=True, of=("self",)).first()
        if job is None:
            return None
        job.status = JobStatus.RUNNING
        job.started_at = job.started_at or now
        job.last_attempted_at = now
        job.worker_ids = [*job.worker_ids, worker_id]
        won = Job.objects.filter(pk=job.pk, status=JobStatus.READY, attempts=job.attempts).update(
            status=job.status,
            started_at=job.started_at,
            last_attempted_at=now,
            worker_ids=job.worker_ids,
            attempts=job.attempts + 1,
            updated_at=now,
        )
        if not won:
            return None
        job.attempts += 1
    return job


def job_run(*, job: Job, now=None) -> Job:
    """Runs a claimed task outside any transaction (the task opens its own) and records the outcome: success, a
    retry after a growing delay, or — after its last attempt — failure, logged as an error."""
    try:
        task = job_task(job)
    except ImportError as exc:  # the code changed since the task was enqueued: no attempt can succeed
        return _record_failure(job, exc, now=now, final=True)
    result = job_to_result(job, task=task)
    task_started.send(type(task.get_backend()), task_result=result)
    try:
        if task.takes_context:
            value = task.call(TaskContext(task_result=result), *job.args, **job.kwargs)
        else:
            value = task.call(*job.args, **job.kwargs)
        value = normalize_json(value)
    except KeyboardInterrupt:
        _record_interruption(job)
        raise
    except (Exception, SystemExit) as exc:  # SystemExit: a command's sys.exit() fails the task, not the worker
        return _record_failure(job, exc, now=now)
    job.status = JobStatus.SUCCESSFUL
    job.finished_at = now or timezone.now()
    job.return_value = value
    job.save(update_fields=["status", "finished_at", "return_value", "updated_at"])
    task_finished.send(type(task.get_backend()), task_result=job_to_result(job, task=task))
    return job


def _record_failure(job: Job, exc: BaseException, *, now=None, final: bool = False) -> Job:
    now = now or timezone.now()
    error = {"exception_class_path": get_module_path(type(exc)), "traceback": get_exception_traceback(exc)}
    job.errors = [*job.errors, error][-KEPT_ERRORS:]
    if not final and job.attempts < job.max_attempts:
        delay = _retry_delay(job)
        job.status = JobStatus.READY
        job.run_after = now + timedelta(seconds=delay)
        logger.warning(
            "Tâche %s (n° %s) en échec à la tentative %d sur %d (%s) : nouvel essai dans %d s.",
            job.task_path,
            job.pk,
            job.attempts,
            job.max_attempts,
            error["exception_class_path"],
            delay,
        )
    else:
        job.status = JobStatus.FAILED
        job.finished_at = now
        logger.error(
            "Tâche %s (n° %s) abandonnée après %d tentative(s).",
            job.task_path,
            job.pk,
            job.attempts,
            exc_info=(type(exc), exc, exc.__traceback__),
        )
    job.save(update_fields=["status", "run_after", "finished_at", "errors", "updated_at"])
    return job


def _record_interruption(job: Job) -> None:
    """The worker was stopped hard in the middle of the task: it goes back to the queue, the attempt not counted."""
    Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
        status=JobStatus.READY, attempts=max(job.attempts - 1, 0), updated_at=timezone.now()
    )


def jobs_recover_stale(*, older_than: timedelta, now=None) -> int:
    """Tasks left running by a worker that died (killed, machine restarted) longer ago than ``older_than`` go back
    to the queue; their interrupted attempt counts, so a task that kills its worker ends failed, not in a loop."""
    now = now or timezone.now()
    recovered = 0
    stale = Job.objects.filter(status=JobStatus.RUNNING, last_attempted_at__lt=now - older_than)
    for job in stale:
        error = RuntimeError("Le processus qui exécutait la tâche s'est arrêté avant la fin.")
        with transaction.atomic():
            if Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).select_for_update(of=("self",)).exists():
                _record_failure(job, error, now=now)
                recovered += 1
    return recovered


def job_relaunch(*, job: Job, by) -> bool:
    """A network admin puts a failed task back in the queue for a new series of attempts (after fixing its cause:
    a mail server, a missing record). Returns False when the task is no longer failed."""
    relaunched = Job.objects.filter(pk=job.pk, status=JobStatus.FAILED).update(
        status=JobStatus.READY, attempts=0, run_after=None, finished_at=None, updated_at=timezone.now()
    )
    if relaunched:
        logger.info("Tâche %s (n° %s) relancée par l'utilisateur n° %s.", job.task_path, job.pk, by.pk)
    return bool(relaunched)


def daily_schedule(*, now=None) -> list[Job]:
    """Enqueues today's run of each daily command (``essaim.jobs.tasks.DAILY_COMMANDS``) at the daily hour
    (``TASKS["default"]["OPTIONS"]["DAILY_HOUR"]``, 3 h by default, local time), once: each row carries the unique
    key ``daily:<command>:<date>``, so however many workers call this and however often, a day has one run of each
    command. Started after the hour, the day's run is due at once. Returns the rows it created."""
    from essaim.jobs.tasks import DAILY_COMMANDS, run_daily_command

    backend = database_backend()
    if backend is None:
        return []
    local = timezone.localtime(now or timezone.now())
    hour = int(backend.options.get("DAILY_HOUR", DEFAULT_DAILY_HOUR))
    run_after = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    keys = {f"daily:{name}:{local.date().isoformat()}": name for name in DAILY_COMMANDS}
    existing = set(Job.objects.filter(unique_key__in=keys).values_list("unique_key", flat=True))
    created = []
    for key, name in keys.items():
        if key in existing:
            continue
        try:
            with transaction.atomic():
                result = backend.enqueue(run_daily_command.using(run_after=run_after), [name], {}, unique_key=key)
        except IntegrityError:  # another worker enqueued it between our read and our write
            continue
        created.append(Job.objects.get(pk=result.id))
    return created


def jobs_purge(*, now=None) -> int:
    """Deletes the rows of tasks that succeeded more than 30 days ago, or failed more than 90 days ago: their
    arguments may hold personal data (a mail's recipients and body), kept no longer than needed to see and relaunch
    a failure."""
    now = now or timezone.now()
    deleted, _ = Job.objects.filter(
        Q(status=JobStatus.SUCCESSFUL, finished_at__lt=now - KEEP_SUCCESSFUL)
        | Q(status=JobStatus.FAILED, finished_at__lt=now - KEEP_FAILED)
    ).delete()
    return deleted


def queue_counts(*, now=None) -> dict:
    """What the health check and the back office show of the queue, in one query: tasks due and not yet taken,
    waiting for a later time (retries, scheduled runs), running, failed; the age in seconds of the oldest due
    task (0 when none)."""
    now = now or timezone.now()
    due = Q(status=JobStatus.READY) & (Q(run_after__isnull=True) | Q(run_after__lte=now))
    counts = Job.objects.aggregate(
        due=Count("pk", filter=due),
        waiting=Count("pk", filter=Q(status=JobStatus.READY, run_after__gt=now)),
        running=Count("pk", filter=Q(status=JobStatus.RUNNING)),
        failed=Count("pk", filter=Q(status=JobStatus.FAILED)),
        oldest_due=Min(Coalesce("run_after", "enqueued_at"), filter=due),
    )
    oldest = counts.pop("oldest_due")
    counts["oldest_due_seconds"] = int((now - oldest).total_seconds()) if oldest else 0
    return counts
