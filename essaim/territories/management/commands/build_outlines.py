from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from essaim.territories.outlines import DATA_FILE
from essaim.territories.outlines.build import build_outlines, write_outlines
from essaim.territories.services import read_communes_file


class Command(BaseCommand):
    help = (
        "Reconstruit le fond de carte livré (essaim/territories/data/outlines.json.gz) à partir des contours "
        "france-geojson (IGN Admin Express COG 2018) : outil de développement, hors ligne."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source", required=True, help="Dossier des fichiers GeoJSON (départements, communes du 62)."
        )
        parser.add_argument("--output", default=str(DATA_FILE), help="Fichier produit (JSON compressé).")

    def handle(self, *args, source, output, **options):
        source = Path(source)
        if not source.is_dir():
            raise CommandError(f"Dossier introuvable : {source}")
        communes_2026 = {row["code_insee"]: row for row in read_communes_file()}
        data = build_outlines(source, communes_2026)
        size = write_outlines(data, Path(output))
        communes = data["communes"]
        self.stdout.write(
            f"{len(data['departements']['features'])} départements, {len(communes['features'])} communes "
            f"({len(communes['merged'])} codes de 2018 fusionnés : "
            + ", ".join(f"{old} → {new}" for old, new in communes["merged"].items())
            + f"), {len(data['departements']['arcs']) + len(communes['arcs'])} arcs ; {size / 1024:.0f} Kio."
        )
