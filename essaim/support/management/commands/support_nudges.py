from django.core.management.base import BaseCommand

from essaim.support.nudges import nudges_run


class Command(BaseCommand):
    help = (
        "Relance les partenaires des orientations en attente depuis 9 jours, signale à l'équipe celles en attente "
        "depuis 21 jours (une seule fois chacune) et compte celles abandonnées à 45 jours. À lancer chaque jour."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Compte sans rien envoyer.")

    def handle(self, *args, dry_run, **options):
        counts = nudges_run(dry_run=dry_run)
        prefix = "À envoyer" if dry_run else "Envoyé"
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix} : {counts['reminded']} relance(s) aux partenaires, {counts['escalated']} signalement(s) "
                f"à l'équipe ; {counts['abandoned']} orientation(s) abandonnée(s) (45 jours sans réponse)."
            )
        )
