"""``essaim worker``: runs the tasks enqueued with the database backend (mails, reminders, the daily commands).
Run one beside the web server in production (systemd unit in docs/operations.md); several may run at once."""

import os
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from essaim.jobs.services import database_backend
from essaim.jobs.worker import Worker


class Command(BaseCommand):
    help = (
        "Exécute les tâches de fond mises en file dans la base (courriels, rappels) et lance chaque jour les "
        "commandes quotidiennes. S'arrête proprement sur SIGTERM après la tâche en cours."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue",
            action="append",
            dest="queues",
            default=None,
            help="Ne prend que les tâches de cette file (répétable ; toutes par défaut).",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=float(os.environ.get("ESSAIM_WORKER_INTERVAL", "1")),
            help="Secondes d'attente quand aucune tâche n'est due (1 par défaut).",
        )
        parser.add_argument(
            "--batch", action="store_true", help="S'arrête dès qu'aucune tâche n'est due (pour cron ou un test)."
        )
        parser.add_argument(
            "--no-schedule", action="store_true", help="Ne met pas en file les commandes quotidiennes."
        )
        parser.add_argument("--max-tasks", type=int, default=0, help="S'arrête après ce nombre de tâches.")
        parser.add_argument(
            "--stale-minutes",
            type=int,
            default=60,
            help="Remet en file les tâches « en cours » depuis plus longtemps (worker mort) ; 60 par défaut.",
        )

    def handle(self, *args, queues, interval, batch, no_schedule, max_tasks, stale_minutes, **options):
        if database_backend() is None:
            raise CommandError(
                "La file de tâches n'est pas en base : les tâches s'exécutent déjà à leur mise en file. "
                "Lancez le worker avec ESSAIM_TASKS_BACKEND=database (ou ESSAIM_ENV=production)."
            )
        if interval <= 0 or max_tasks < 0 or stale_minutes <= 0:
            raise CommandError("--interval et --stale-minutes doivent être positifs, --max-tasks positif ou nul.")
        worker = Worker(
            queues=queues,
            interval=interval,
            batch=batch,
            schedule=not no_schedule,
            max_tasks=max_tasks,
            stale_after=timedelta(minutes=stale_minutes),
        )
        self.stdout.write(f"Worker {worker.worker_id} démarré (files : {', '.join(queues or ['toutes'])}).")
        self.stdout.flush()
        processed = worker.run()
        self.stdout.write(f"Worker arrêté après {processed} tâche(s).")
