import os
import shutil
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

DEFAULT_THREADS = 4


def granian_argv(granian: str, *, bind: str, workers: int, threads: int, access_log: bool = True) -> list[str]:
    """The command line of the production server: granian (an HTTP server written in Rust) running Django's WSGI
    application in ``workers`` processes of ``threads`` threads each."""
    host, _, port = bind.rpartition(":")
    if not host or not port.isdigit():
        raise CommandError(f"--bind attend hôte:port (par exemple 127.0.0.1:8000), pas « {bind} ».")
    argv = [
        granian,
        "--interface",
        "wsgi",
        "--host",
        host.strip("[]"),
        "--port",
        port,
        "--workers",
        str(workers),
        "--blocking-threads",
        str(threads),
        "--no-ws",
        "--respawn-failed-workers",
        "--workers-kill-timeout",
        "20",
    ]
    if access_log:
        argv.append("--access-log")
    return [*argv, "config.wsgi:application"]


class Command(BaseCommand):
    help = (
        "Sert Essaim en production avec granian (un processus par cœur, plusieurs fils chacun) ; "
        "whitenoise sert les fichiers statiques."
    )

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("ESSAIM_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "0")) or None)
        parser.add_argument("--threads", type=int, default=int(os.environ.get("ESSAIM_THREADS", DEFAULT_THREADS)))
        parser.add_argument("--no-access-log", action="store_true", help="Ne journalise pas chaque requête.")

    def handle(self, *args, bind, workers, threads, no_access_log, **options):
        granian = shutil.which("granian", path=os.path.dirname(sys.executable)) or shutil.which("granian")
        if not granian:
            raise CommandError("granian est introuvable : installez les dépendances (make install).")
        # One process per core: searching releases the GIL, so the threads of a process share its core well.
        # granian parses HTTP in Rust: a request costs Python only Django's own work (docs/operations.md).
        workers = workers or max(2, os.cpu_count() or 1)
        argv = granian_argv(granian, bind=bind, workers=workers, threads=threads, access_log=not no_access_log)
        self.stdout.write(f"Essaim sur http://{bind} ({workers} workers × {threads} threads, DEBUG={settings.DEBUG})")
        self.stdout.flush()
        os.execv(granian, argv)  # noqa: S606 -- replaces this process by granian, arguments are ours
