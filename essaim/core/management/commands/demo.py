from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from essaim.accounts.demo import DEMO_PASSWORD, load_demo_accounts
from essaim.agenda.demo import load_demo_agenda
from essaim.directory.demo import load_demo_structures
from essaim.grants.demo import load_demo_grants
from essaim.territories.demo import load_demo_territories


class Command(BaseCommand):
    help = "Charge le territoire de démonstration tiré des articles sources et affiche les comptes de démo."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Autorise le chargement en production.")

    def handle(self, *args, force, **options):
        if settings.PRODUCTION and not force:
            raise CommandError("Refus de charger la démo en production (utilisez --force si c'est voulu).")
        call_command("import_geo", stdout=self.stdout)
        territories = load_demo_territories()
        accounts = load_demo_accounts(territories)
        # The demo's registrations and applications go through the real services, which mail people: not here.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            structures = load_demo_structures(territories=territories)
            agenda = load_demo_agenda(territories=territories)
            scheme = load_demo_grants(territories=territories)
        self.stdout.write(self.style.SUCCESS("Démo chargée : " + ", ".join(t.name for t in territories.values())))
        self.stdout.write(
            f"  annuaire : {structures['seeds']} structures des articles, {structures['siae_created']} SIAE importées "
            f"({structures['siae_rejected']} ligne(s) rejetée(s)), {structures['generated']} générées ; "
            f"{structures['in_cabbalr']} établissements publiés dans la CABBALR"
        )
        self.stdout.write(f"  agenda : {agenda['campaign']} ({len(agenda['events'])} événements)")
        self.stdout.write(f"  aides : {scheme} ({scheme.applications.count()} demandes)")
        self.stdout.write("")
        self.stdout.write(f"Comptes de démonstration (mot de passe pour tous : {DEMO_PASSWORD})")
        for email, what in accounts:
            self.stdout.write(f"  {email:<36} {what}")
        self.stdout.write("")
        default = settings.ESSAIM_DEFAULT_TERRITORY or "(aucun : la page d'accueil montre l'annuaire du réseau)"
        self.stdout.write(f"Territoire par défaut (ESSAIM_DEFAULT_TERRITORY) : {default}")
