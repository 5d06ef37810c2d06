from django.core.management.base import BaseCommand, CommandError

from essaim.directory.imports.csv_import import MappingError, import_csv, load_mapping


class Command(BaseCommand):
    help = (
        "Importe un fichier CSV quelconque dans l'annuaire selon un fichier de correspondance JSON (séparateur et "
        "encodage détectés) ; idempotent (mise à jour par SIRET)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--mapping", required=True, help="Correspondance JSON (voir essaim/directory/mappings/)")
        parser.add_argument("--departement", default="", help="Ne garder que ce département (62…)")
        parser.add_argument("--dry-run", action="store_true", help="Tout vérifier sans rien écrire.")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, file, mapping, departement, dry_run, no_progress, **options):
        try:
            report = import_csv(
                path=file,
                mapping=load_mapping(mapping),
                departement=departement,
                dry_run=dry_run,
                progress=not no_progress,
                stderr=self.stderr,
            )
        except (OSError, MappingError) as exc:
            raise CommandError(str(exc)) from None
        if dry_run:
            self.stdout.write("Essai à blanc : rien n'a été écrit.")
        for line in report.lines():
            self.stdout.write(line)
