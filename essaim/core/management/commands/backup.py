from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from essaim.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Sauvegarde la base de données et tous les fichiers déposés (publics et privés) dans un nouveau dossier "
        "essaim-<date> sous --output, avec un manifeste et les sommes de contrôle SHA-256 (docs/operations.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, type=Path, help="Dossier où écrire la sauvegarde.")

    def handle(self, *args, output, **options):
        try:
            path = backup(output, log=self.stderr.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(path))
