from django.core.management.base import BaseCommand

from essaim.club.services.pooling import digests_send


class Command(BaseCommand):
    help = (
        "Envoie à chaque personne abonnée à des catégories du tableau de mutualisation d'un club, au plus une fois "
        "par semaine, les annonces publiées dans ces catégories depuis son dernier récapitulatif (rien de nouveau : "
        "pas de message). À lancer chaque jour."
    )

    def handle(self, *args, **options):
        count = digests_send()
        self.stdout.write(self.style.SUCCESS(f"{count} récapitulatif(s) envoyé(s)."))
