from django.core.management.base import BaseCommand, CommandError

from essaim.directory.imports.sirene import import_sirene


class Command(BaseCommand):
    help = (
        "Importe les établissements actifs des unités légales de l'ESS depuis les fichiers stock SIRENE de l'INSEE "
        "(CSV, .zip ou .gz), lus en flux ; idempotent (mise à jour par SIRET)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unites-legales", required=True, help="StockUniteLegale (CSV, .zip ou .gz)")
        parser.add_argument("--etablissements", required=True, help="StockEtablissement (CSV, .zip ou .gz)")
        parser.add_argument("--territory", nargs="*", default=[], help="SIREN de territoire(s) ou d'EPCI à garder")
        parser.add_argument("--dry-run", action="store_true", help="Tout vérifier sans rien écrire.")
        parser.add_argument("--no-progress", action="store_true", help="Sans barre de progression.")

    def handle(self, *args, unites_legales, etablissements, territory, dry_run, no_progress, **options):
        try:
            report = import_sirene(
                unites_legales=unites_legales,
                etablissements=etablissements,
                territories=territory,
                dry_run=dry_run,
                progress=not no_progress,
                stderr=self.stderr,
            )
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from None
        if dry_run:
            self.stdout.write("Essai à blanc : rien n'a été écrit.")
        for line in report.lines():
            self.stdout.write(line)
