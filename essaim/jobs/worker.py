"""The loop of ``essaim worker``: take a due task, run it, again; when none is due, enqueue the day's scheduled
commands and sleep a little. SIGTERM or SIGINT asks it to stop: it finishes the task in hand, takes no other, and
returns (a second signal stops it at once; the task then goes back to the queue)."""

import logging
import signal
import threading
import time
from datetime import timedelta

from django.db import DatabaseError, close_old_connections, connection
from django_tasks.utils import get_random_id

from essaim.jobs import services

logger = logging.getLogger("essaim.jobs")

SCHEDULE_EVERY_SECONDS = 60


def _close_old_connections():
    """Like Django between two requests: drops a broken or too old connection before the next task (never inside
    a transaction, as when a test runs the worker)."""
    if not connection.in_atomic_block:
        close_old_connections()


class Worker:
    def __init__(
        self,
        *,
        queues=None,
        interval: float = 1.0,
        batch: bool = False,
        schedule: bool = True,
        max_tasks: int = 0,
        stale_after: timedelta = timedelta(hours=1),
    ):
        self.queues = list(queues or [])
        self.interval = interval
        self.batch = batch
        self.schedule = schedule
        self.max_tasks = max_tasks
        self.stale_after = stale_after
        self.worker_id = get_random_id()
        self.stopping = False
        self.processed = 0
        self._scheduled_at = None

    def request_stop(self, signum=None, frame=None):
        if self.stopping:  # second signal: stop now
            raise KeyboardInterrupt
        self.stopping = True
        logger.warning("Arrêt demandé : le worker termine la tâche en cours puis s'arrête.")

    def run(self) -> int:
        """Runs tasks until asked to stop (or, with ``batch``, until none is due). Returns how many it ran."""
        previous = self._install_signals()
        try:
            services.jobs_recover_stale(older_than=self.stale_after)
            while not self.stopping:
                if self.schedule and self._schedule_due():
                    self._schedule()
                if not self._run_one():
                    if self.batch:
                        break
                    self._sleep(self.interval)
                if self.max_tasks and self.processed >= self.max_tasks:
                    break
        finally:
            self._restore_signals(previous)
            _close_old_connections()
        return self.processed

    def _schedule_due(self) -> bool:
        return self._scheduled_at is None or time.monotonic() - self._scheduled_at >= SCHEDULE_EVERY_SECONDS

    def _schedule(self) -> None:
        self._scheduled_at = time.monotonic()
        try:
            if services.daily_schedule():  # the first call of the day
                services.jobs_purge()
        except DatabaseError:
            logger.exception("La base de données ne répond pas : les commandes quotidiennes attendront.")

    def _run_one(self) -> bool:
        """Takes and runs one due task; False when none is due. A database that does not answer is logged and
        waited for, never the end of the worker."""
        _close_old_connections()
        try:
            job = services.job_claim(worker_id=self.worker_id, queues=self.queues)
        except DatabaseError:
            logger.exception("La base de données ne répond pas : le worker réessaiera.")
            self._sleep(max(self.interval, 5))
            return False
        if job is None:
            return False
        services.job_run(job=job)
        self.processed += 1
        return True

    def _sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < end:
            time.sleep(min(0.2, end - time.monotonic()))

    def _install_signals(self):
        if threading.current_thread() is not threading.main_thread():
            return None
        return {sig: signal.signal(sig, self.request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}

    def _restore_signals(self, previous) -> None:
        for sig, handler in (previous or {}).items():
            signal.signal(sig, handler)
