from django.core.management.base import BaseCommand, CommandError

from essaim.directory.generator import generate_structures


class Command(BaseCommand):
    help = (
        "Crée des structures fictives réalistes (is_generated=True) sur toutes les communes, pondérées par la "
        "population, pour la démo et les mesures. Lancez ensuite « essaim reindex »."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--departement", default="", help="Limiter aux communes d'un département")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, count, seed, departement, no_progress, **options):
        from essaim.territories.models import Commune

        communes = Commune.objects.filter(departement_id=departement) if departement else None

        def progress(n, seconds):
            if not no_progress:
                self.stderr.write(f"\r{n:>10} structures ({n / max(seconds, 1e-6):,.0f}/s)", ending="")

        try:
            created = generate_structures(count=count, seed=seed, communes=communes, progress=progress)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if not no_progress:
            self.stderr.write("")
        self.stdout.write(f"{created} structures générées. Lancez « essaim reindex » pour les rendre cherchables.")
