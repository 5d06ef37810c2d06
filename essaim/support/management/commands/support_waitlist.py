from django.core.management.base import BaseCommand

from essaim.support.services.bookings import waitlist_expire


class Command(BaseCommand):
    help = (
        "Clôt les propositions de créneau plus tôt que personne n'a prises à temps et propose chaque créneau à la "
        "personne suivante de la liste d'attente. Chaque offre est close à son échéance par une tâche ; cette "
        "commande quotidienne rattrape les autres."
    )

    def handle(self, *args, **options):
        count = waitlist_expire()
        self.stdout.write(self.style.SUCCESS(f"{count} proposition(s) expirée(s), passée(s) à la suite."))
