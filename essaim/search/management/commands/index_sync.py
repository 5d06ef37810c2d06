import logging
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections

from essaim.search.index import IndexBusy
from essaim.search.indexer import index_apply_pending, index_status, outbox_prune

logger = logging.getLogger("essaim.search")


class Command(BaseCommand):
    help = (
        "Applique à l'index local les changements de la file d'indexation qu'il n'a pas encore vus (à lancer sur "
        "chaque nœud web, en boucle avec --loop)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Recommence toutes les --interval secondes.")
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument("--prune", action="store_true", help="Supprime les lignes de plus de 7 jours.")
        parser.add_argument("--status", action="store_true", help="Affiche l'état de l'index et s'arrête.")

    def handle(self, *args, loop, interval, prune, status, **options):
        if status:
            for key, value in index_status().items():
                self.stdout.write(f"{key} : {value}")
            return
        while True:
            try:
                applied = index_apply_pending()
            except IndexBusy as exc:
                if not loop:
                    raise CommandError(f"Index occupé par un autre processus : {exc}") from None
                applied = 0
            except DatabaseError as exc:
                if not loop:
                    raise
                # The primary restarts or fails over: wait for it, with a fresh connection (logged once a try).
                logger.warning("index_sync: database unavailable (%s), trying again.", type(exc).__name__)
                close_old_connections()
                applied = 0
            if applied or not loop:
                self.stdout.write(f"{applied} changement(s) appliqué(s).")
            if prune:
                self.stdout.write(f"{outbox_prune()} ligne(s) anciennes supprimées de la file.")
            if not loop:
                return
            time.sleep(interval)
