"""``essaim grants_reminders``: mails the beneficiaries whose deadline to justify the balance is close or past, once
per deadline and step. Run it daily (cron, or the worker's periodic task ``send_deadline_reminders``)."""

from django.core.management.base import BaseCommand

from essaim.core.french import count
from essaim.grants.services import reminders_send


class Command(BaseCommand):
    help = "Envoie les rappels d'échéance du solde des subventions (une fois par échéance et par étape)."

    def handle(self, *args, **options):
        sent = reminders_send()
        self.stdout.write(f"{count(sent, 'rappel envoyé', 'rappels envoyés')}.")
