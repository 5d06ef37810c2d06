from django.core.management.base import BaseCommand, CommandError

from essaim.support.services.bookings import bookings_anonymise
from essaim.support.services.projects import projects_anonymise, retention_months


class Command(BaseCommand):
    help = (
        "Anonymise les projets accompagnés clos depuis plus de N mois (ESSAIM_SUPPORT_RETENTION_MONTHS, 36 par "
        "défaut) : nom, e-mail et téléphone du porteur, notes, documents (fichiers supprimés) et données personnelles "
        "de ses rendez-vous sont effacés, comme ceux des rendez-vous passés depuis N mois hors projet en cours ; "
        "les chiffres restent justes. À lancer chaque jour."
    )

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=None, help="Durée de conservation en mois.")
        parser.add_argument("--dry-run", action="store_true", help="Compte sans rien effacer.")

    def handle(self, *args, months, dry_run, **options):
        months = retention_months() if months is None else months
        if months < 0:
            raise CommandError("La durée de conservation ne peut pas être négative.")
        count = projects_anonymise(months=months, dry_run=dry_run)
        bookings = bookings_anonymise(months=months, dry_run=dry_run)
        verb = "seraient anonymisés" if dry_run else "anonymisés"
        self.stdout.write(self.style.SUCCESS(f"{count} projet(s) {verb} (clos depuis plus de {months} mois)."))
        self.stdout.write(
            self.style.SUCCESS(
                f"{bookings} rendez-vous {verb} (passés depuis plus de {months} mois, hors projet en cours)."
            )
        )
