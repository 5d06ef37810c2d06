from django.core.management.base import BaseCommand

from essaim.news.services.newsletter import confirm_days, subscribers_expire


class Command(BaseCommand):
    help = (
        "Supprime les adresses abonnées à une lettre d'information qui n'ont pas confirmé leur abonnement dans le "
        "délai (ESSAIM_NEWSLETTER_CONFIRM_DAYS, 7 jours par défaut). À lancer chaque jour."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Compte sans rien supprimer.")

    def handle(self, *args, dry_run, **options):
        count = subscribers_expire(dry_run=dry_run)
        verb = "seraient supprimées" if dry_run else "supprimées"
        self.stdout.write(self.style.SUCCESS(f"{count} adresse(s) non confirmée(s) en {confirm_days()} jours {verb}."))
