from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from essaim.agenda.recurring import HORIZON_DAYS, series_extend_all


class Command(BaseCommand):
    help = (
        f"Prolonge chaque série de séances récurrentes jusqu'à {HORIZON_DAYS} jours (à lancer chaque jour, par cron "
        "ou un minuteur systemd)."
    )

    def handle(self, *args, **options):
        created = series_extend_all()
        self.stdout.write(
            ngettext(
                "%(n)d séance ajoutée aux séries récurrentes.",
                "%(n)d séances ajoutées aux séries récurrentes.",
                created,
            )
            % {"n": created}
        )
