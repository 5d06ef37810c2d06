import time

from django.core.management.base import BaseCommand, CommandError

from essaim.territories.services import COMMUNES_FILE, geo_import, read_communes_file


class Command(BaseCommand):
    help = (
        "Charge la géographie officielle (régions, départements, EPCI, communes) livrée avec Essaim. "
        "Idempotent : relancer ne change rien si les données n'ont pas changé."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            choices=["file", "api"],
            default="file",
            help="file (défaut, hors ligne) ou api (geo.api.gouv.fr, réseau requis).",
        )
        parser.add_argument("--file", default=str(COMMUNES_FILE), help="Fichier des communes (CSV ou CSV.gz).")

    def handle(self, *args, source, file, verbosity, **options):
        started = time.perf_counter()
        if source == "api":
            from essaim.core.clients.geo_api import GeoApiClient, GeoApiError

            try:
                rows = GeoApiClient().commune_rows()
            except GeoApiError as exc:
                raise CommandError(str(exc)) from exc
        else:
            rows = read_communes_file(file)
        try:
            report = geo_import(rows=rows)
        except FileNotFoundError as exc:
            raise CommandError(f"Fichier introuvable : {file}") from exc
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Géographie chargée en {time.perf_counter() - started:.1f} s."))
