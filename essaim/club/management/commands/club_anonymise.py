from django.core.management.base import BaseCommand, CommandError

from essaim.agenda.services import retention_months
from essaim.club.services.meetings import guests_anonymise


class Command(BaseCommand):
    help = (
        "Efface le nom, l'adresse e-mail et la structure des invité·es des rencontres du club terminées depuis plus "
        "de ESSAIM_AGENDA_RETENTION_MONTHS mois (comme les inscriptions de l'agenda). À lancer chaque jour."
    )

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=None, help="Durée de conservation en mois.")
        parser.add_argument("--dry-run", action="store_true", help="Compte sans rien effacer.")

    def handle(self, *args, months, dry_run, **options):
        months = retention_months() if months is None else months
        if months < 0:
            raise CommandError("--months attend un nombre positif ou nul.")
        count = guests_anonymise(months=months, dry_run=dry_run)
        verb = "seraient anonymisé·es" if dry_run else "anonymisé·es"
        self.stdout.write(self.style.SUCCESS(f"{count} invité·e(s) des rencontres du club {verb}."))
