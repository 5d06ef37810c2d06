from django.core.management.base import BaseCommand

from essaim.club.services.membership import renewals_run


class Command(BaseCommand):
    help = (
        "Adhésions au club : prévient une fois les membres dont l'adhésion se termine dans les 30 jours, et passe "
        "« à renouveler » ceux dont l'adhésion est échue. Sans effet la seconde fois le même jour : à lancer chaque "
        "jour."
    )

    def handle(self, *args, **options):
        result = renewals_run()
        self.stdout.write(
            self.style.SUCCESS(
                f"{result['reminded']} rappel(s) de renouvellement envoyé(s), "
                f"{result['lapsed']} adhésion(s) passée(s) à renouveler."
            )
        )
