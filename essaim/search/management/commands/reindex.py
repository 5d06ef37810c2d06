import time

from django.core.management.base import BaseCommand

from essaim.search.index import drop_index
from essaim.search.indexer import reindex


class Command(BaseCommand):
    help = "Reconstruit l'index de recherche à partir de la base de données (l'index est jetable)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--drop", action="store_true", help="Supprime le dossier de l'index avant (schéma changé)."
        )
        parser.add_argument("--batch-size", type=int, default=20000)
        parser.add_argument(
            "--threads",
            type=int,
            default=0,
            help="Fils d'indexation (0 : un par cœur). 1 donne un index d'un seul segment, plus rapide à interroger.",
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, drop, batch_size, threads, no_progress, **options):
        if drop:
            drop_index()
        started = time.monotonic()

        def progress(n, seconds):
            if not no_progress:
                self.stderr.write(f"\r{n:>10} structures indexées ({n / max(seconds, 1e-6):,.0f}/s)", ending="")

        total = reindex(batch_size=batch_size, progress=progress, threads=threads)
        if not no_progress:
            self.stderr.write("")
        self.stdout.write(f"{total} structures indexées en {time.monotonic() - started:.1f} s.")
