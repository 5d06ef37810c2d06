from pathlib import Path

from django.core.management.base import BaseCommand

from essaim.grants.opendata import export_opendata as export_subsidies

DATASETS = {
    "subventions": "subventions attribuées, format SCDL Subventions 2.1.1",
}


class Command(BaseCommand):
    help = "Écrit les jeux de données ouverts d'Essaim dans un dossier (un fichier par jeu et par année)."

    def add_arguments(self, parser):
        parser.add_argument("--output", default="var/opendata", help="Dossier de sortie (créé au besoin).")
        parser.add_argument(
            "--dataset", action="append", choices=sorted(DATASETS), help="Jeu à écrire (par défaut : tous)."
        )
        parser.add_argument("--year", type=int, help="Année (par défaut : toutes celles qui ont des données).")

    def handle(self, *args, output, dataset, year, **options):
        directory = Path(output)
        written = []
        for name in dataset or sorted(DATASETS):
            if name == "subventions":
                written += export_subsidies(directory=directory, year=year)
        for path in written:
            self.stdout.write(f"écrit : {path}")
        self.stdout.write(self.style.SUCCESS(f"{len(written)} fichier(s) dans {directory}"))
