"""The database task queue and its worker: tasks wait for the worker, run once, are retried with backoff, end
failed and logged after their last attempt; the worker stops cleanly on SIGTERM; the daily commands are enqueued
once a day."""

import logging
import signal
import threading
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone

from essaim.jobs import services
from essaim.jobs.enums import JobStatus
from essaim.jobs.models import Job
from essaim.jobs.tasks import DAILY_COMMANDS
from essaim.jobs.worker import Worker
from tests.jobs import sample_tasks

DAILY = len(DAILY_COMMANDS)

pytestmark = pytest.mark.django_db


def run_worker(**kwargs):
    kwargs.setdefault("batch", True)
    kwargs.setdefault("schedule", False)
    return Worker(**kwargs).run()


def test_a_task_enqueued_in_the_database_waits_for_the_worker_which_runs_it_once(database_tasks):
    result = sample_tasks.record.enqueue(21, label="x")
    assert sample_tasks.CALLS == []
    job = Job.objects.get(pk=result.id)
    assert job.status == JobStatus.READY
    assert (job.args, job.kwargs, job.attempts) == ([21], {"label": "x"}, 0)

    assert run_worker() == 1
    assert run_worker() == 0
    assert sample_tasks.CALLS == [(21, "x")]
    result.refresh()
    assert result.status == JobStatus.SUCCESSFUL
    assert result.return_value == 42
    assert result.attempts == 1


def test_the_immediate_backend_of_tests_and_demo_still_runs_a_task_at_once():
    sample_tasks.CALLS.clear()
    result = sample_tasks.record.enqueue(1)
    assert result.status == JobStatus.SUCCESSFUL
    assert sample_tasks.CALLS == [(1, "")]
    assert not Job.objects.exists()
    sample_tasks.CALLS.clear()


def test_a_rolled_back_change_enqueues_nothing(database_tasks):
    with pytest.raises(RuntimeError), transaction.atomic():
        sample_tasks.record.enqueue(1)
        raise RuntimeError
    assert not Job.objects.exists()


def test_a_task_deferred_with_run_after_waits_for_its_time(database_tasks):
    later = timezone.now() + timedelta(hours=1)
    result = sample_tasks.record.using(run_after=later).enqueue(5)
    assert run_worker() == 0
    assert services.job_claim(worker_id="w", now=later) is not None
    assert str(Job.objects.get(status=JobStatus.RUNNING).pk) == result.id


def test_a_failing_task_is_retried_after_1_5_and_25_minutes_then_failed_and_logged(database_tasks, caplog):
    result = sample_tasks.always_fails.enqueue("camille@example.org")
    now = timezone.now()
    delays = []
    caplog.set_level(logging.WARNING, logger="essaim.jobs")
    for attempt in range(1, 5):
        job = services.job_claim(worker_id="w", now=now)
        assert job is not None and job.attempts == attempt
        services.job_run(job=job, now=now)
        job.refresh_from_db()
        if attempt < 4:
            assert job.status == JobStatus.READY
            delay = int((job.run_after - now).total_seconds())
            delays.append(delay)
            assert services.job_claim(worker_id="w", now=now + timedelta(seconds=delay - 1)) is None
            now += timedelta(seconds=delay)
    assert delays == [60, 300, 1500]
    assert job.status == JobStatus.FAILED
    assert job.finished_at == now
    assert len(job.errors) == 4
    assert job.errors[-1]["exception_class_path"] == "builtins.ConnectionRefusedError"
    errors = [r for r in caplog.records if r.levelno == logging.ERROR and r.name == "essaim.jobs"]
    assert len(errors) == 1 and "abandonnée après 4 tentative(s)" in errors[0].getMessage()
    assert errors[0].exc_info[0] is ConnectionRefusedError
    assert services.job_claim(worker_id="w", now=now + timedelta(days=1)) is None
    result.refresh()
    assert result.status == JobStatus.FAILED and len(result.errors) == 4


def test_a_task_that_fails_once_succeeds_at_its_second_attempt(database_tasks):
    sample_tasks.fails_once.enqueue("k")
    now = timezone.now()
    services.job_run(job=services.job_claim(worker_id="w", now=now), now=now)
    job = services.job_run(job=services.job_claim(worker_id="w", now=now + timedelta(minutes=1)))
    assert (job.status, job.attempts, job.return_value, len(job.errors)) == (JobStatus.SUCCESSFUL, 2, "ok", 1)


def test_a_task_whose_code_disappeared_fails_at_once(database_tasks):
    Job.objects.create(task_path="tests.jobs.sample_tasks.gone", max_attempts=4)
    assert run_worker() == 1
    job = Job.objects.get()
    assert (job.status, job.attempts) == (JobStatus.FAILED, 1)
    assert job.errors[0]["exception_class_path"].endswith("ImportError")


def test_sigterm_lets_the_running_task_finish_and_takes_no_other(database_tasks):
    stopping = sample_tasks.asks_to_stop.using(priority=10).enqueue()
    waiting = sample_tasks.record.enqueue(7)
    before = signal.getsignal(signal.SIGTERM)
    assert run_worker(batch=False, interval=0.1) == 1
    assert signal.getsignal(signal.SIGTERM) is before
    assert Job.objects.get(pk=stopping.id).status == JobStatus.SUCCESSFUL
    assert (1, "after-signal") in sample_tasks.CALLS
    assert Job.objects.get(pk=waiting.id).status == JobStatus.READY


def test_a_task_left_running_by_a_dead_worker_goes_back_to_the_queue_as_a_failed_attempt(database_tasks):
    sample_tasks.record.enqueue(3)
    now = timezone.now()
    services.job_claim(worker_id="dead", now=now)
    assert services.jobs_recover_stale(older_than=timedelta(hours=1), now=now + timedelta(minutes=59)) == 0
    assert services.jobs_recover_stale(older_than=timedelta(hours=1), now=now + timedelta(minutes=61)) == 1
    job = Job.objects.get()
    assert (job.status, job.attempts, len(job.errors)) == (JobStatus.READY, 1, 1)


def test_a_claimed_task_is_not_claimed_by_another_worker(database_tasks):
    sample_tasks.record.enqueue(1)
    assert services.job_claim(worker_id="a") is not None
    assert services.job_claim(worker_id="b") is None


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_workers_run_each_task_exactly_once(database_tasks):
    results = [sample_tasks.record.enqueue(n) for n in range(20)]
    errors = []

    def work():
        try:
            run_worker()
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(value for value, _ in sample_tasks.CALLS) == list(range(20))
    assert Job.objects.filter(status=JobStatus.SUCCESSFUL, attempts=1).count() == len(results)


def test_the_daily_commands_are_enqueued_once_a_day_at_the_daily_hour(database_tasks):
    morning = timezone.make_aware(timezone.datetime(2026, 3, 2, 1, 30))
    created = services.daily_schedule(now=morning)
    assert sorted(job.args[0] for job in created) == [
        "anonymise_registrations",
        "club_anonymise",
        "club_digest",
        "club_renewals",
        "extend_recurrences",
        "grants_reminders",
        "news_expire_subscribers",
        "observatory_snapshot",
        "purge_access_records",
        "support_anonymise",
        "support_nudges",
        "support_reminders",
        "support_waitlist",
    ]
    assert {timezone.localtime(job.run_after).hour for job in created} == {3}
    assert services.daily_schedule(now=morning + timedelta(hours=5)) == []
    assert Job.objects.count() == DAILY
    assert len(services.daily_schedule(now=morning + timedelta(days=1))) == DAILY
    assert Job.objects.count() == 2 * DAILY


def test_the_worker_runs_the_daily_commands_when_due(database_tasks, settings):
    # Due at midnight, so that the day's run is due whatever the time the suite runs (between midnight and 3 h,
    # Paris time, a 3 h run would still wait).
    settings.TASKS["default"]["OPTIONS"]["DAILY_HOUR"] = 0
    assert run_worker(schedule=True) == DAILY
    jobs = Job.objects.order_by("args")
    assert [job.status for job in jobs] == [JobStatus.SUCCESSFUL] * DAILY
    assert "inscription" in jobs[0].return_value
    assert run_worker(schedule=True) == 0  # the same day: nothing new


def test_queue_counts_for_the_health_check(database_tasks):
    sample_tasks.record.enqueue(1)
    now = timezone.now()
    sample_tasks.record.using(run_after=now + timedelta(hours=1)).enqueue(2)
    Job.objects.create(task_path="x.y", status=JobStatus.FAILED)
    counts = services.queue_counts(now=now + timedelta(seconds=30))
    assert counts["due"] == 1 and counts["waiting"] == 1 and counts["running"] == 0 and counts["failed"] == 1
    assert counts["oldest_due_seconds"] >= 30


def test_the_worker_command_runs_the_queue_and_refuses_the_immediate_backend(database_tasks, settings):
    sample_tasks.record.enqueue(4)
    call_command("worker", "--batch", "--no-schedule")
    assert sample_tasks.CALLS == [(4, "")]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with pytest.raises(CommandError, match="ESSAIM_TASKS_BACKEND=database"):
        call_command("worker", "--batch")


def test_successful_tasks_are_purged_after_30_days_failed_ones_after_90(database_tasks):
    now = timezone.now()

    def job(status, days):
        return Job.objects.create(task_path="x.y", status=status, finished_at=now - timedelta(days=days)).pk

    kept = {job(JobStatus.SUCCESSFUL, 29), job(JobStatus.FAILED, 89), job(JobStatus.READY, 365)}
    job(JobStatus.SUCCESSFUL, 31)
    job(JobStatus.FAILED, 91)
    assert services.jobs_purge(now=now) == 2
    assert set(Job.objects.values_list("pk", flat=True)) == kept


def test_a_database_that_does_not_answer_is_logged_and_waited_for_not_the_end_of_the_worker(
    database_tasks, monkeypatch, caplog
):
    from django.db import OperationalError

    def down(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(services, "job_claim", down)
    monkeypatch.setattr(services, "daily_schedule", lambda **kwargs: down())
    worker = Worker(batch=True, interval=0.01)
    assert worker.run() == 0
    messages = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert any("commandes quotidiennes attendront" in m for m in messages)
    assert any("le worker réessaiera" in m for m in messages)


def test_two_workers_scheduling_the_same_day_at_once_enqueue_each_command_once(database_tasks, monkeypatch):
    """The unique key holds even when both read "not yet enqueued" before either writes."""
    morning = timezone.make_aware(timezone.datetime(2026, 3, 2, 8, 0))
    assert len(services.daily_schedule(now=morning)) == DAILY
    real_filter = Job.objects.filter

    def blind_filter(*args, **kwargs):  # the other worker's read, made before our rows existed
        return Job.objects.none() if "unique_key__in" in kwargs else real_filter(*args, **kwargs)

    monkeypatch.setattr(Job.objects, "filter", blind_filter)
    assert services.daily_schedule(now=morning) == []
    assert Job.objects.count() == DAILY
