from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from essaim.core.audit import access_records_purge, retention_months


class Command(BaseCommand):
    help = (
        "Supprime les traces d'accès aux listes d'inscrits et aux exports plus anciennes que N mois "
        "(ESSAIM_ACCESS_RECORD_RETENTION_MONTHS, 12 par défaut). À lancer chaque jour."
    )

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=None, help="Durée de conservation en mois.")
        parser.add_argument("--dry-run", action="store_true", help="Compte sans rien supprimer.")

    def handle(self, *args, months, dry_run, **options):
        months = retention_months() if months is None else months
        if months < 1:
            raise CommandError("La durée de conservation est d'au moins 1 mois.")
        count = access_records_purge(months=months, dry_run=dry_run)
        if dry_run:
            text = ngettext("%(n)d trace d'accès serait supprimée", "%(n)d traces d'accès seraient supprimées", count)
        else:
            text = ngettext("%(n)d trace d'accès supprimée", "%(n)d traces d'accès supprimées", count)
        self.stdout.write(self.style.SUCCESS(f"{text % {'n': count}} (plus de {months} mois)."))
