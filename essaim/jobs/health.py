"""The task queue's check for django-health-check (``/health``): for the health view to list as
``"essaim.jobs.health.TaskQueue"``. It fails when a due task has waited longer than ``max_delay`` (no worker is
running, or it cannot keep up); failed tasks alone do not fail it (they are for the back office, /gestion/taches/).
With the immediate backend there is no queue: always healthy. The message carries counts only, no personal data."""

import dataclasses
from datetime import timedelta

from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable

from essaim.jobs.services import database_backend, queue_counts


@dataclasses.dataclass
class TaskQueue(HealthCheck):
    max_delay: timedelta = timedelta(minutes=10)

    def run(self) -> None:
        if database_backend() is None:
            return
        counts = queue_counts()
        if counts["oldest_due_seconds"] > self.max_delay.total_seconds():
            raise ServiceUnavailable(
                f"{counts['due']} tâche(s) en attente depuis {counts['oldest_due_seconds']} s : "
                "le worker tourne-t-il ?"
            )
