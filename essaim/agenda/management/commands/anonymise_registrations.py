from django.core.management.base import BaseCommand, CommandError

from essaim.agenda.services import anonymisation_cutoff, registrations_anonymise, retention_months


class Command(BaseCommand):
    help = (
        "Anonymise les inscriptions aux séances terminées depuis plus de N mois (ESSAIM_AGENDA_RETENTION_MONTHS, "
        "12 par défaut) : nom, e-mail, téléphone et réponses sont effacés ; les comptes restent justes. "
        "À lancer chaque jour (cron ou minuteur systemd)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=None, help="Durée de conservation en mois.")
        parser.add_argument("--dry-run", action="store_true", help="Compte sans rien effacer.")

    def handle(self, *args, months, dry_run, **options):
        months = retention_months() if months is None else months
        if months < 0:
            raise CommandError("La durée de conservation ne peut pas être négative.")
        cutoff = anonymisation_cutoff(months)
        count = registrations_anonymise(months=months, dry_run=dry_run)
        verb = "seraient anonymisées" if dry_run else "anonymisées"
        self.stdout.write(
            self.style.SUCCESS(f"{count} inscription(s) {verb} (séances terminées avant le {cutoff:%d/%m/%Y}).")
        )
