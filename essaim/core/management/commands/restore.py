from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from essaim.core.backup import BackupError, restore, verify


class Command(BaseCommand):
    help = (
        "Restaure une sauvegarde faite par « essaim backup » : vérifie d'abord toutes les sommes de contrôle, refuse "
        "une instance qui contient déjà des données (sauf --force), puis reconstruit l'index de recherche."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="Dossier essaim-<date> écrit par « essaim backup ».")
        parser.add_argument(
            "--force", action="store_true", help="Remplace les données d'une instance qui n'est pas vide."
        )
        parser.add_argument(
            "--no-reindex",
            action="store_true",
            help="Ne reconstruit pas l'index de recherche (à faire ensuite avec « essaim reindex »).",
        )
        parser.add_argument(
            "--verify-only", action="store_true", help="Vérifie les sommes de contrôle sans rien restaurer."
        )

    def handle(self, *args, directory, force, no_reindex, verify_only, **options):
        try:
            if verify_only:
                manifest = verify(directory)
                self.stdout.write(
                    f"Sauvegarde intacte : {len(manifest['files'])} fichiers, base {manifest['engine']}."
                )
                return
            manifest = restore(directory, force=force, reindex=not no_reindex, log=self.stderr.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"Sauvegarde du {manifest['date']} restaurée : {rows} lignes, {len(manifest['files'])} fichiers."
        )
