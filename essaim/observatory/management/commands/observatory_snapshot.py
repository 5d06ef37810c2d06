from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from essaim.observatory.services.snapshots import freeze_ended_years, freeze_year
from essaim.territories.models import Territory


class Command(BaseCommand):
    help = (
        "Fige les chiffres de l'observatoire des années terminées qui ne le sont pas encore (chaque territoire, "
        "chaque année depuis la première année avec des données). Lancée chaque jour : le 1er janvier, elle fige "
        "l'année qui vient de finir. L'année en cours n'est jamais figée."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--year", type=int, default=None, help="Une seule année terminée, figée à nouveau si elle l'était déjà."
        )
        parser.add_argument("--territory", default=None, help="SIREN ou identifiant d'un seul territoire.")

    def handle(self, *args, year=None, territory=None, **options):
        territories = None
        if territory:
            found = Territory.objects.filter(Q(slug=territory) | Q(siren=territory)).first()
            if found is None:
                raise CommandError(f"Territoire inconnu : {territory}.")
            territories = [found]
        if year is not None:
            done = []
            for one in territories if territories is not None else Territory.objects.order_by("pk"):
                try:
                    frozen = freeze_year(territory=one, year=year)
                except ValidationError as exc:
                    raise CommandError(" ".join(exc.messages)) from exc
                done.append((one, year, [s.capability for s in frozen]))
        else:
            done = freeze_ended_years(territories=territories)
        for one, one_year, codes in done:
            self.stdout.write(f"{one.name} : année {one_year} figée ({', '.join(codes)}).")
        if done:
            self.stdout.write(self.style.SUCCESS(f"{len(done)} année(s) figée(s)."))
        else:
            self.stdout.write("Aucune année à figer : les années terminées sont déjà figées.")
