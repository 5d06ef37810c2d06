from django.core.management.base import BaseCommand

from essaim.support.services.bookings import reminders_send


class Command(BaseCommand):
    help = (
        "Envoie le rappel des rendez-vous des prochaines 48 heures qui ne l'ont pas encore reçu (réservés par un "
        "autre chemin, ou dont la tâche programmée n'a pas tourné). Sans effet sur un rendez-vous déjà rappelé, "
        "déplacé ou annulé : à lancer chaque jour (ou plus souvent)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Compte sans rien envoyer.")

    def handle(self, *args, dry_run, **options):
        count = reminders_send(dry_run=dry_run)
        verb = "seraient envoyés" if dry_run else "envoyés"
        self.stdout.write(self.style.SUCCESS(f"{count} rappel(s) de rendez-vous {verb}."))
