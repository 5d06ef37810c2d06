"""Demo news and newsletter.

The Pays du Ternois' items are the dated news list of seed 003 (a list of short items of October and November 2015),
each rewritten as a short item faithful to the seed; an item the seed gives without a date is dated just after the
event it reports (the Camp de l'innovation of 26 November 2015: 30 November; « Panier malin, panier vilain » of 13
November: 17 November; the Pays du Ternois' ESS priority and Plastium, which sit with them: 30 and 27 November).
The CABBALR's items come from the other seeds (the Mois de l'ESS, the salon « Faites l'ESS », the club, the grant
« Entreprendre Autrement ») and are dated in the last weeks. A few confirmed subscribers with ``.example``
addresses and one issue sent through the real path (the demo command mails nothing). Idempotent."""

import datetime

from django.utils import timezone

from essaim.accounts.models import User
from essaim.agenda.models import Event
from essaim.directory.models import Structure
from essaim.news.enums import IssueStatus, NewsStatus
from essaim.news.models import Issue, NewsItem, Subscriber
from essaim.news.services.items import item_save
from essaim.news.services.newsletter import consent_text, issue_queue, issue_save

D = datetime.date

TERNOIS_ITEMS = [
    {
        "slug": "ternois-l-ess-priorite-du-plan-local-de-developpement-economique",
        "title": "L'ESS, une priorité du Plan local de développement économique du Pays du Ternois",
        "published_on": D(2015, 11, 30),
        "summary": "Signé avec la Région, le Plan local de développement économique du Pays du Ternois place "
        "l'économie sociale et solidaire parmi ses priorités : elle pèse plus de 120 emplois sur le territoire.",
        "body": "Le Pays du Ternois compte **104 communes** et **38 500 habitants**, sur un territoire à dominante "
        "rurale. L'économie sociale et solidaire y représente plus de **120 emplois**.\n\n"
        "Une attente existe : en matière de mobilité, de services à la personne et dans d'autres domaines, des "
        "besoins restent à couvrir. Il y a donc de la place pour de nouvelles initiatives.",
        "tags": ["Développement économique"],
    },
    {
        "slug": "ternois-camp-de-l-innovation",
        "title": "Le Camp de l'innovation sensibilise collégiens et lycéens à la création d'entreprise",
        "published_on": D(2015, 11, 30),
        "summary": "Le 26 novembre, le Pays du Ternois a organisé le Camp de l'innovation, dans le cadre de son "
        "Plan local de développement économique.",
        "body": "Organisée le **26 novembre 2015**, l'opération a permis de sensibiliser des collégiens et des "
        "lycéens du territoire à la création d'entreprise.\n\nElle entre dans le cadre du Plan local de "
        "développement économique du Pays du Ternois.",
        "tags": ["Création d'entreprise", "Jeunesse"],
    },
    {
        "slug": "ternois-plastium-pole-plasturgie-et-composites",
        "title": "Plastium, le pôle d'excellence plasturgie et composites, se structure",
        "published_on": D(2015, 11, 27),
        "summary": "Porté par Artois Comm., le pôle d'excellence plasturgie et composites a désormais un nom, "
        "Plastium, et une identité graphique.",
        "body": "Sa vocation : **rassembler et fédérer des entreprises** pour renforcer leur compétitivité et leur "
        "position sur le plan national et international.",
        "tags": ["Industrie"],
    },
    {
        "slug": "ternois-panier-malin-panier-vilain",
        "title": "« Panier malin, panier vilain » à la Maison du projet des Alouettes",
        "published_on": D(2015, 11, 17),
        "summary": "Consommer mieux en achetant à des producteurs locaux et en privilégiant les circuits courts : "
        "c'est le message de l'opération du 13 novembre à Bruay-la-Buissière.",
        "body": "L'opération « Panier malin, panier vilain » s'est tenue le **13 novembre 2015** à la Maison du "
        "projet de l'écoquartier des Alouettes, à Bruay-la-Buissière.\n\nAu programme : acheter aux producteurs "
        "locaux et privilégier les circuits courts.",
        "tags": ["Circuits courts"],
    },
    {
        "slug": "ternois-comptoir-des-produits-regionaux",
        "title": "Le Comptoir des produits régionaux, vitrine des savoir-faire artisanaux",
        "published_on": D(2015, 11, 24),
        "summary": "Jérôme Leroy a rejoint le magasin béthunois il y a quelques mois ; Philippe Lacomblez "
        "sélectionne des personnes qui ont la fibre régionale.",
        "body": "Vitrine des savoir-faire artisanaux du Nord-Pas-de-Calais, le **Comptoir des produits régionaux** "
        "est un concept initié par Philippe Lacomblez.",
        "tags": ["Circuits courts", "Commerce"],
    },
    {
        "slug": "ternois-critt-m2a-vehicules-electriques",
        "title": "Le CRITT M2A vise les essais de véhicules électriques",
        "published_on": D(2015, 11, 10),
        "summary": "Référence mondiale des essais de turbos, le centre d'essais moteurs et acoustiques veut devenir "
        "une référence européenne pour les véhicules électriques.",
        "body": "Centre d'essais moteurs et acoustiques, le **CRITT M2A** est devenu une référence mondiale en "
        "matière de test des turbos ; il est d'ailleurs le plus grand centre de ce type.",
        "tags": ["Industrie"],
    },
    {
        "slug": "ternois-le-mustang-hallicourt",
        "title": "Le Mustang ouvre une salle de restauration de 40 couverts à Hallicourt",
        "published_on": D(2015, 11, 10),
        "summary": "Enseigne bien connue dans le Bruaysis, le bar-brasserie créé par Franck Sénéchal en janvier "
        "2002 agrandit son offre.",
        "body": "Installé dans le centre-ville d'Hallicourt, **Le Mustang** sert une cuisine traditionnelle. Son "
        "fondateur, Franck Sénéchal, a créé une salle de restauration de **40 couverts**.",
        "tags": ["Commerce"],
    },
    {
        "slug": "ternois-a-la-rencontre-des-pepinieres-d-entreprises",
        "title": "À la rencontre des pépinières d'entreprises",
        "published_on": D(2015, 11, 10),
        "summary": "Artois Initiative, qui gère cinq centres d'affaires pour Artois Comm., s'associe pour la "
        "troisième année à l'événement porté par l'ADITEC.",
        "body": "La plate-forme **Artois Initiative** gère cinq centres d'affaires pour le compte d'Artois Comm. "
        "Depuis trois ans, elle s'associe à l'événement « À la rencontre des pépinières d'entreprises », porté "
        "par l'ADITEC.",
        "tags": ["Création d'entreprise"],
    },
    {
        "slug": "ternois-batiment-relais-ecopolis-tincques",
        "title": "Le bâtiment relais d'Ecopolis, à Tincques, affiche complet",
        "published_on": D(2015, 10, 27),
        "summary": "Six mois à peine après le lancement de sa commercialisation, le bâtiment relais du parc "
        "d'activité Ecopolis héberge trois entreprises.",
        "body": "Ça bouge du côté du **parc d'activité Ecopolis de Tincques** : le bâtiment relais réalisé par la "
        "communauté de communes n'a pas tardé à séduire. Il héberge **trois entreprises** et affiche complet.",
        "tags": ["Immobilier d'entreprise"],
    },
    {
        "slug": "ternois-une-quarantaine-de-producteurs-locaux",
        "title": "Une quarantaine de producteurs locaux misent sur les circuits courts",
        "published_on": D(2015, 10, 27),
        "summary": "Le Pays du Ternois compte une quarantaine de producteurs locaux convaincus de l'intérêt des "
        "circuits courts ; il agit dans ce domaine depuis 2013.",
        "body": "Consommer local, promouvoir les circuits courts : ces notions sont dans l'air du temps, et le "
        "Pays du Ternois agit dans ce domaine **depuis 2013**. Il compte une **quarantaine de producteurs "
        "locaux**.",
        "tags": ["Circuits courts"],
    },
]


def _cabbalr_items(today: datetime.date) -> list[dict]:
    return [
        {
            "slug": "cabbalr-le-mois-de-l-ess-revient",
            "title": "Le Mois de l'ESS revient en novembre",
            "published_on": today - datetime.timedelta(days=6),
            "summary": "Conférences, portes ouvertes, ateliers : la Communauté d'agglomération propose tout le mois "
            "de novembre des rendez-vous pour découvrir l'économie sociale et solidaire.",
            "body": "Sur un territoire où l'ESS emploie **un salarié sur dix** et compte plus de **350 "
            "établissements**, le Mois de l'ESS vise à mieux faire connaître ce secteur du grand public, des "
            "institutions et des entreprises.\n\nLe programme complet est dans [l'agenda](/agenda/).",
            "tags": ["Mois de l'ESS"],
            "with_events": True,
        },
        {
            "slug": "cabbalr-salon-faites-l-ess-a-houdain",
            "title": "« Faites l'ESS » : un salon pour consommer, agir et entreprendre autrement",
            "published_on": today - datetime.timedelta(days=21),
            "summary": "Organisé à Houdain par la Communauté d'agglomération, le salon a montré la variété des "
            "entreprises de l'ESS de l'arrondissement de Béthune.",
            "body": "Des producteurs bio adeptes des circuits courts aux ressourceries, en passant par les fab labs "
            "et les structures culturelles, le panorama se veut large.\n\nLes « créative labs » y ont réuni des "
            "habitants pour imaginer des réponses aux besoins du quotidien qui ne sont pas pourvus.",
            "tags": ["Mois de l'ESS", "Créative labs"],
        },
        {
            "slug": "cabbalr-le-club-des-entrepreneurs-de-l-ess-s-etoffe",
            "title": "Le Club des entrepreneurs de l'ESS s'étoffe",
            "published_on": today - datetime.timedelta(days=35),
            "summary": "Parti d'une première rencontre à Beuvry, le club compte désormais 22 membres, qui se "
            "réunissent chaque trimestre.",
            "body": "Une charte a été rédigée et chaque rencontre traite de problématiques communes : recherche de "
            "financements, aide au recrutement… Le club compte **18 membres** l'an dernier, **22** aujourd'hui.\n\n"
            "Ses ambitions : l'échange de bonnes pratiques et la mutualisation de moyens. "
            "[Découvrir le club](/club/).",
            "tags": ["Club des entrepreneurs"],
        },
        {
            "slug": "cabbalr-aide-entreprendre-autrement",
            "title": "L'aide « Entreprendre Autrement » : démarrage et développement",
            "published_on": today - datetime.timedelta(days=50),
            "summary": "2 000 € par emploi créé (4 au plus) et 20 % d'un investissement de 15 000 € au plus : "
            "l'aide soutient les structures de l'ESS qui naissent ou se développent.",
            "body": "Le Bureau communautaire décide au vu de l'avis d'une commission ad hoc, dans la limite des "
            "crédits votés chaque année.\n\n[Simuler votre aide et déposer une demande](/aides/).",
            "tags": ["Aides"],
        },
    ]


SUBSCRIBERS = {
    "ternois": [
        "lettre.ternois@exemple-ess.example",
        "mairie.tincques@commune.example",
        "amap.saint-pol@asso.example",
    ],
    "cabbalr": ["contact@ressourcerie-bruay.example", "lettre@maison-poesie.example"],
}


def _author(email: str):
    return User.objects.filter(email=email).first()


def _load_items(territory, rows, *, author, events=()):
    created = 0
    structures = list(Structure.objects.published().in_territory(territory).order_by("pk")[:1])
    for row in rows:
        if NewsItem.objects.filter(slug=row["slug"]).exists():
            continue
        item = item_save(
            territory=territory,
            by=author,
            data={k: row[k] for k in ("title", "published_on", "summary", "body")},
            new_tags=row["tags"],
            structures=structures if row.get("with_events") else (),
            events=events if row.get("with_events") else (),
            publish=True,
        )
        NewsItem.objects.filter(pk=item.pk).update(slug=row["slug"])
        created += 1
    return created


def load_demo_news(*, territories: dict, today: datetime.date | None = None) -> dict:
    """Loads the demo news and newsletter; returns the counts for the demo's summary."""
    today = today or timezone.localdate()
    ternois, cabbalr = territories["ternois"], territories["cabbalr"]
    events = list(
        Event.objects.published()
        .filter(territory=cabbalr, sessions__end__gte=timezone.now())
        .distinct()
        .order_by("pk")[:3]
    )
    created = _load_items(ternois, TERNOIS_ITEMS, author=_author("agent@ternois.example"))
    created += _load_items(
        cabbalr, _cabbalr_items(today), author=_author("agent@bethune-bruay.example"), events=events
    )
    now = timezone.now()
    for key, addresses in SUBSCRIBERS.items():
        territory = territories[key]
        for email in addresses:
            Subscriber.objects.get_or_create(
                territory=territory,
                email=email,
                defaults={"consent_text": consent_text(territory), "consented_at": now, "confirmed_at": now},
            )
    subject = "La lettre de l'ESS du Pays du Ternois — novembre 2015"
    if not Issue.objects.filter(territory=ternois, subject=subject).exists():
        items = NewsItem.objects.filter(territory=ternois, status=NewsStatus.PUBLISHED).order_by("-published_on")[:4]
        issue = issue_save(
            territory=ternois,
            by=_author("agent@ternois.example"),
            subject=subject,
            introduction="Le Camp de l'innovation, Plastium, les circuits courts : les nouvelles de l'ESS du Pays "
            "du Ternois.",
            items=items,
        )
        issue_queue(issue=issue, by=None)
    return {
        "items": NewsItem.objects.filter(territory__in=[ternois, cabbalr]).count(),
        "created": created,
        "subscribers": Subscriber.objects.confirmed().filter(territory__in=[ternois, cabbalr]).count(),
        "issues_sent": Issue.objects.filter(territory=ternois, status=IssueStatus.SENT).count(),
    }
