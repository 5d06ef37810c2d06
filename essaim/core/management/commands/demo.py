import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings
from django.utils.translation import ngettext

from essaim.accounts.demo import DEMO_PASSWORD, load_demo_accounts
from essaim.agenda.demo import load_demo_agenda
from essaim.club.demo import load_demo_club
from essaim.directory.demo import load_demo_structures
from essaim.grants.demo import load_demo_grants
from essaim.news.demo import load_demo_news
from essaim.observatory.demo import load_demo_observatory
from essaim.support.demo import load_demo_support
from essaim.territories.demo import load_demo_territories


def _count(n, singular, plural):
    return ngettext(singular, plural, n) % {"n": n}


class Command(BaseCommand):
    help = (
        "Charge la démonstration tirée des articles sources (territoires, annuaire réel, agenda, aides) et affiche "
        "les comptes de démo. Idempotent : la relancer ne change rien."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Autorise le chargement en production.")
        parser.add_argument(
            "--with-generated",
            type=int,
            default=0,
            metavar="N",
            help="Ajoute N structures générées (fictives, signalées comme telles) sur les communes de la CABBALR ; "
            "aucune par défaut : l'annuaire ne montre que des structures réelles.",
        )

    def handle(self, *args, force, with_generated, **options):
        if settings.PRODUCTION and not force:
            raise CommandError("Refus de charger la démo en production (utilisez --force si c'est voulu).")
        if with_generated < 0:
            raise CommandError("--with-generated attend un nombre positif ou nul.")
        started = time.monotonic()
        call_command("import_geo", stdout=self.stdout)
        territories = load_demo_territories()
        accounts = load_demo_accounts(territories)
        # The demo's registrations and applications go through the real services, which mail people: not here.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            structures = load_demo_structures(territories=territories, with_generated=with_generated)
            agenda = load_demo_agenda(territories=territories)
            scheme = load_demo_grants(territories=territories)
            support = load_demo_support(territories=territories)
            accounts += support["accounts"]
            club = load_demo_club(territories=territories)
            accounts += club["accounts"]
            news = load_demo_news(territories=territories)
            load_demo_observatory(territories=territories)  # last: it reads every capability's data
        self._summary(territories, structures, agenda, scheme, time.monotonic() - started)
        self.stdout.write(
            f"  accompagnement : {support['period']} ; "
            f"{_count(support['projects'], '%(n)s projet suivi', '%(n)s projets suivis')}, "
            f"{_count(support['bookings'], '%(n)s rendez-vous', '%(n)s rendez-vous')} de permanence"
        )
        self.stdout.write(
            f"  club : {club['club'].name}, "
            f"{_count(club['members'], '%(n)s structure membre', '%(n)s structures membres')}, "
            f"{_count(club['meetings'], '%(n)s rencontre', '%(n)s rencontres')}, "
            f"{_count(club['listings'], '%(n)s offre ou besoin', '%(n)s offres et besoins')}, "
            f"{_count(club['answers'], '%(n)s réponse commune', '%(n)s réponses communes')}, "
            f"{_count(club['practices'], '%(n)s fiche pratique', '%(n)s fiches pratiques')}"
        )
        self.stdout.write(
            f"  actualités : {_count(news['items'], '%(n)s actualité', '%(n)s actualités')}, "
            f"{_count(news['subscribers'], '%(n)s adresse abonnée', '%(n)s adresses abonnées')} à la lettre"
        )
        self.stdout.write("")
        self.stdout.write(f"Comptes de démonstration (mot de passe pour tous : {DEMO_PASSWORD})")
        roles = {}  # one line per account, its roles joined (an account may act in several capabilities)
        for email, what in accounts:
            roles.setdefault(email, []).append(what)
        for email, whats in roles.items():
            self.stdout.write(f"  {email:<36} {' ; '.join(whats)}")
        self.stdout.write("")
        default = settings.ESSAIM_DEFAULT_TERRITORY or "(aucun : la page d'accueil montre l'annuaire du réseau)"
        self.stdout.write(f"Territoire par défaut (ESSAIM_DEFAULT_TERRITORY) : {default}")

    def _summary(self, territories, structures, agenda, scheme, seconds):
        cabbalr = territories["cabbalr"]
        self.stdout.write(
            self.style.SUCCESS(f"Démo chargée en {seconds:.1f} s : " + ", ".join(t.name for t in territories.values()))
        )
        sheets = cabbalr.sheets.filter(inherited_from__isnull=False).count()
        budgets = list(cabbalr.budgets.order_by("year").values_list("year", flat=True))
        years = f"{budgets[0]} à {budgets[-1]}" if budgets else "aucun"
        self.stdout.write(
            f"  territoires : {cabbalr.name} reprend la politique d'Artois Comm. "
            f"({_count(sheets, '%(n)s fiche reprise', '%(n)s fiches reprises')}), budgets ESS {years}, "
            f"{_count(cabbalr.contacts.count(), '%(n)s contact', '%(n)s contacts')} (fictifs)"
        )
        siae = structures["siae_created"] + structures["siae_updated"] + structures["siae_unchanged"]
        generated = structures["generated"]
        self.stdout.write(
            "  annuaire : "
            f"{_count(structures['seeds'], '%(n)s structure des articles', '%(n)s structures des articles')}, "
            f"{_count(siae, '%(n)s SIAE de la liste officielle', '%(n)s SIAE de la liste officielle')} "
            f"({_count(structures['siae_created'], '%(n)s ajoutée', '%(n)s ajoutées')} à ce chargement), "
            f"{_count(generated, '%(n)s générée', '%(n)s générées')} ; "
            f"{_count(structures['in_cabbalr'], '%(n)s établissement publié', '%(n)s établissements publiés')} "
            f"dans la CABBALR, dont {_count(structures['real_in_cabbalr'], '%(n)s réel', '%(n)s réels')}"
        )
        for line, reason in structures["siae_rejections"]:
            self.stdout.write(f"    liste des SIAE, ligne {line} rejetée : {reason}")
        self.stdout.write(f"  agenda : {agenda['campaign']} ({len(agenda['events'])} événements)")
        self.stdout.write(f"  aides : {scheme} ({scheme.applications.count()} demandes)")
