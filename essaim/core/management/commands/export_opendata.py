from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from essaim.directory import exports as directory_exports
from essaim.grants.opendata import export_opendata as export_subsidies

STRUCTURE_FORMATS = {
    "structures-csv": ("structures.csv", directory_exports.export_structures_csv),
    "structures-geojson": ("structures.geojson", directory_exports.export_structures_geojson),
    "structures-jsonld": ("structures.jsonld", directory_exports.export_structures_jsonld),
    "structures-data-inclusion": (
        "structures-data-inclusion.json",
        directory_exports.export_structures_data_inclusion,
    ),
}
DATASETS = [*STRUCTURE_FORMATS, "subventions"]


class Command(BaseCommand):
    help = (
        "Écrit les jeux de données ouverts d'Essaim dans un dossier : l'annuaire des structures publiées (CSV, "
        "GeoJSON, JSON-LD, schéma data·inclusion) et les subventions attribuées (SCDL Subventions 2.1.1, par année)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", default="var/opendata", help="Dossier de sortie (créé au besoin).")
        parser.add_argument("--dataset", action="append", choices=DATASETS, help="Jeu à écrire (défaut : tous).")
        parser.add_argument("--year", type=int, help="Année des subventions (défaut : toutes).")

    def handle(self, *args, output, dataset, year, **options):
        directory = Path(output)
        directory.mkdir(parents=True, exist_ok=True)
        written = []
        for name in dataset or DATASETS:
            if name == "subventions":
                written += [(path, None) for path in export_subsidies(directory=directory, year=year)]
                continue
            filename, export = STRUCTURE_FORMATS[name]
            path = directory / filename
            with path.open("w", encoding="utf-8", newline="") as stream:
                count = export(
                    structures=directory_exports.published_structures(),
                    stream=stream,
                    base_url=settings.ESSAIM_SITE_URL,
                )
            written.append((path, count))
        for path, count in written:
            self.stdout.write(f"écrit : {path}" + (f" ({count} structures)" if count is not None else ""))
        self.stdout.write(self.style.SUCCESS(f"{len(written)} fichier(s) dans {directory}"))
