"""The task queue's health check: a queue whose due tasks wait too long (no worker) is unavailable."""

from datetime import timedelta

import pytest
from django.utils import timezone
from health_check.exceptions import ServiceUnavailable

from essaim.jobs.enums import JobStatus
from essaim.jobs.health import TaskQueue
from essaim.jobs.models import Job
from tests.jobs import sample_tasks

pytestmark = pytest.mark.django_db


def test_the_queue_is_healthy_while_due_tasks_are_fresh_and_despite_failed_ones(database_tasks):
    sample_tasks.record.enqueue(1)
    Job.objects.create(task_path="x.y", status=JobStatus.FAILED)
    TaskQueue().run()


def test_a_due_task_waiting_beyond_the_delay_makes_the_queue_unavailable(database_tasks):
    result = sample_tasks.record.enqueue(1)
    Job.objects.filter(pk=result.id).update(enqueued_at=timezone.now() - timedelta(minutes=11))
    with pytest.raises(ServiceUnavailable, match="1 tâche"):
        TaskQueue().run()


def test_the_immediate_backend_has_no_queue_to_check():
    Job.objects.create(task_path="x.y", enqueued_at=timezone.now() - timedelta(days=1))
    TaskQueue().run()
