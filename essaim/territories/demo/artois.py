"""The demo territories, taken faithfully from the seed articles (see ``docs/demo.md`` for each source).

- Artois Comm. as the RTES members' directory described it on 25 August 2014 (seed 002), with its 65 communes
  until 2016 (reconstructed perimeter) and its Mois de l'ESS figures (seed 000) and club (seed 004);
- its successor since 2017, the CA de Béthune-Bruay, Artois-Lys Romane (seed 001), the default territory;
- the Pays du Ternois (seed 003) on the communes of the CC du Ternois.

Idempotent: running it again updates the same records.
"""

import datetime
from decimal import Decimal

from django.db import transaction

from essaim.territories.enums import ContactKind, SheetStatus, TerritoryKind
from essaim.territories.models import (
    ActionSheet,
    BudgetYear,
    CoFunding,
    Contact,
    Epci,
    Indicator,
    IndicatorValue,
    KeyFigure,
    PolicyAxis,
    Territory,
)
from essaim.territories.services import (
    DATA_DIR,
    read_perimeter_file,
    territory_set_perimeter,
    territory_set_perimeter_from_epci,
)

RTES_2014 = "RTES, annuaire des adhérents, fiche du 25 août 2014"
SEED_MOIS_ESS_2014 = "Article « Un mois de novembre plutôt chargé… » (Mois de l'ESS 2014)"
SEED_CLUB = "Article « Se connaître, s'entraider et travailler ensemble » (Club des entrepreneurs de l'ESS)"
SEED_SALON = 'Article « Premier salon "Faites l\'ESS" à Houdain »'
SEED_TERNOIS = "Article sur le Plan local de développement économique du Pays du Ternois (2015)"

ARTOIS_AXES = [
    (
        1,
        "Artois Comm. construit les synergies pour une culture commune de l'ESS sur son territoire",
        [
            "Construire un langage commun et des synergies autour de l'entreprendre, consommer et vivre autrement",
            "Soutenir la structuration des acteurs de l'ESS et les reconnaître comme une composante d'économie "
            "plurielle",
        ],
    ),
    (
        2,
        "Artois Comm. diffuse un modèle économique pluriel créateur d'emploi et porteur d'innovation",
        [
            "Accompagner à la création et au développement d'activité",
            "Soutenir la mutualisation, la coopération pour maintenir les activités et les développer",
        ],
    ),
]

SAP_OBJECTIVES = [
    "Lisibilité – Mise en réseau – Veille",
    "Développement et diversification des activités SAP",
    "Qualité des emplois et des activités",
    "Innovation sociale et technologique",
]

# (number, axis, title, summary, objectives, status)
ARTOIS_SHEETS = [
    (
        1,
        1,
        "Animation du comité local d'animation",
        "",
        [
            "Animer un réseau d'acteurs relevant du champ de l'économie sociale et solidaire qui souhaite s'investir "
            "dans une démarche de développement de ce champ sur le territoire",
            "Mobiliser l'ensemble des acteurs du territoire (élus, partenaires institutionnels, associations, "
            "acteurs économiques, habitants jeunes ou moins jeunes) par des animations, de la sensibilisation, des "
            "expositions, l'organisation d'événements",
            "Coordonner les actions ou les projets menés dans le champ de l'économie sociale et solidaire sur le "
            "territoire d'Artois Comm., par souci d'efficacité et de lisibilité",
            "Évaluer les actions et les projets menés d'année en année et définir des axes de progrès",
        ],
        SheetStatus.ONGOING,
    ),
    (
        2,
        1,
        "L'animation des acteurs des services à la personne",
        "Filière économique des services à la personne.",
        SAP_OBJECTIVES,
        SheetStatus.ONGOING,
    ),
    (
        3,
        1,
        "La responsabilité sociétale des entreprises",
        "« La responsabilité sociétale des entreprises est l'intégration volontaire par les entreprises de "
        "préoccupations sociales et environnementales dans leurs activités commerciales et leurs relations avec "
        "leurs parties prenantes, au-delà de ce que leur imposent la loi et les réglementations. » (Commission "
        "européenne, 2001)",
        [
            "Sensibiliser les entreprises du territoire pour favoriser une économie plus respectueuse de l'homme et "
            "de l'environnement"
        ],
        SheetStatus.ONGOING,
    ),
    (
        4,
        1,
        "Favoriser l'intégration économique des plus fragilisés",
        "Concernant l'emploi.",
        [
            "Mener une réflexion au sein même d'Artois Comm., pour satisfaire les obligations de la loi, sur "
            "l'embauche de personnes reconnues handicapées correspondant au minimum à 6 % de l'effectif total (si "
            "effectif > 20 agents à temps plein)",
            "Faciliter l'insertion professionnelle des demandeurs d'emploi travailleurs handicapés (DETH)",
            "Qualifier les services d'aide à domicile pour faciliter le maintien à domicile des personnes "
            "handicapées et soutenir les activités innovantes",
        ],
        SheetStatus.ONGOING,
    ),
    (
        5,
        1,
        "Sensibilisation à l'économie sociale et solidaire",
        "Au regard du poids économique qu'elle représente et de la diversité de ses acteurs et des projets.",
        ["Faire connaître et reconnaître l'ESS, la rendre visible et lisible"],
        SheetStatus.ONGOING,
    ),
    (
        6,
        1,
        "Le portail ESS",
        "",
        [
            "Se reconnaître",
            "Susciter l'économie locale",
            "Rendre lisibles les acteurs et les activités",
            "Identifier des pratiques",
            "Échanger sur les expériences",
        ],
        SheetStatus.ONGOING,
    ),
    (
        7,
        1,
        "Les achats publics responsables",
        "",
        [
            "Développer la politique d'achat public responsable menée à l'interne de la collectivité",
            "Sensibiliser les communes intéressées",
        ],
        SheetStatus.ONGOING,
    ),
    (
        8,
        1,
        "Professionnaliser les dirigeants associatifs",
        "",
        [
            "Soutenir le tissu associatif local dans sa recherche de création ou de structuration de son activité",
            "Accompagner les associations à la professionnalisation des dirigeants, des salariés et des bénévoles",
        ],
        SheetStatus.ONGOING,
    ),
    (
        9,
        2,
        "Préfiguration d'un pôle de coopération économique",
        "Ce projet économique vise, à travers un projet d'aménagement urbain de l'éco-quartier, à concevoir des "
        "activités et des emplois répondant aux besoins d'emplois locaux employeurs/employés et à contribuer à "
        "l'attractivité du territoire : services aux entreprises (incubateur, espace de co-working, conciergerie, "
        "restauration, vitrine…), commerces et services aux habitants (café citoyen, point AMAP, université "
        "populaire, mobilité, services à la personne, espace info énergie, recyclerie/ressourcerie…), et des pôles "
        "Savoirs, BTP, culture et sports.",
        [
            "Symboliser le renouveau tant sur l'histoire du site que sur l'évolution de la valeur travail : des "
            "houillères à l'industrie plastique et de l'industrie plastique à l'économie sociale et solidaire",
            "Valoriser l'initiative individuelle et collective avec une approche différente du travail, de nouveaux "
            "débouchés, de l'innovation sociale et technologique",
            "Créer une dynamique économique porteuse d'activité et d'emploi sous le signe de la coopération entre "
            "acteurs économiques vecteur d'attractivité",
        ],
        SheetStatus.ONGOING,
    ),
    (
        10,
        2,
        "Dispositif d'aide « Entreprendre Autrement » en Artois Comm.",
        "Artois Comm. intervient sous forme de subvention attribuée au porteur de projet : 2 000 € par ETP créé, "
        "dans la limite d'un effectif maximum de 4 emplois, et 20 % d'un investissement maximum de 15 000 €. Le "
        "Bureau communautaire se prononce au vu de l'avis émis par une commission ad hoc composée des "
        "vice-présidents en charge du développement économique, après instruction des dossiers déposés. Les "
        "subventions sont attribuées dans la limite des crédits affectés chaque année lors du vote du budget.",
        [
            "Une aide au démarrage : attribuer une aide pour une nouvelle structure de l'économie sociale et "
            "solidaire",
            "Une aide au développement : création d'une nouvelle activité au sein d'une structure existante, "
            "essaimage territorial de l'activité par la création d'un nouvel établissement, projet de mutualisation "
            "ou de coopération entre structures ESS",
        ],
        SheetStatus.ONGOING,
    ),
    (
        11,
        2,
        "Tester son activité ESS",
        "Une coopérative d'activités et d'emploi (CAE) rassemble des personnes désireuses de créer leur propre "
        "activité et qui, pour y parvenir, choisissent de le faire ensemble. Chaque entrepreneur-salarié perçoit un "
        "salaire à hauteur du chiffre d'affaires qu'il apporte et participe aux charges communes en reversant 10 % "
        "de ce dernier à la CAE.",
        [
            "Accueillir de nouveaux porteurs (ou équipes de porteurs) de projet dans l'antenne de la CAE sur le "
            "territoire",
            "Les épauler dans la mise sur pied de leur activité et leur offrir un cadre stimulant",
            "Faire devenir entrepreneurs-salariés ceux pour qui le test s'avère concluant, dès leur premier chiffre "
            "d'affaires",
        ],
        SheetStatus.ONGOING,
    ),
    (
        12,
        2,
        "Soutenir la création et le développement d'activité dans le champ des services à la personne",
        "Filière économique des services à la personne.",
        SAP_OBJECTIVES,
        SheetStatus.ONGOING,
    ),
    (
        13,
        2,
        "Accompagner au développement et à la reprise d'activité",
        "",
        [
            "Soutenir les structures existantes dans leur développement ou leur pérennisation à travers la "
            "contribution financière de la collectivité au Dispositif local d'accompagnement (DLA) porté par "
            "Pas-de-Calais Actif"
        ],
        SheetStatus.ONGOING,
    ),
    (
        14,
        2,
        "Accompagner à la filière économique du réemploi",
        "",
        ["Faire émerger des actions socialement innovantes en matière de réemploi de déchets"],
        SheetStatus.ONGOING,
    ),
    (
        15,
        2,
        "La monnaie locale",
        "",
        [
            "Préfigurer le lancement d'une monnaie locale sur la commune de Béthune",
            "Accompagner l'APES (Acteurs pour une économie solidaire)",
        ],
        SheetStatus.PLANNED,
    ),
    (
        16,
        2,
        "Le Café Citoyen",
        "Ce café proposerait des consommations bio et équitables (et éventuellement de la petite restauration sans "
        "cuisson) ainsi que des animations : tables rondes, conférences, ciné-débats, cafés littéraires, ateliers…",
        [
            "Créer un café citoyen sur les deux communes centre d'Artois Comm. (Béthune et Bruay), ouvert une à "
            "plusieurs soirées par semaine",
            "L'accueillir dans les locaux de l'Effet déco et idéalement dans la maison du projet de l'éco-quartier "
            "des Alouettes",
        ],
        SheetStatus.ONGOING,
    ),
]

# (sheet number, indicator, unit, definition, [(year, value, source)])
ARTOIS_INDICATORS = [
    (
        1,
        "Éditions consécutives du Mois de l'ESS",
        "éditions",
        "Nombre d'années consécutives où Artois Comm. organise le Mois de l'ESS en novembre.",
        [(2014, 7, SEED_MOIS_ESS_2014)],
    ),
    (
        1,
        "Structures présentes à la première rencontre des acteurs de l'ESS",
        "structures",
        "Structures ayant répondu à l'invitation de la Maison de la poésie à Beuvry, point de départ du Club.",
        [(2015, 40, SEED_CLUB)],
    ),
    (
        1,
        "Membres du Club des entrepreneurs de l'ESS",
        "membres",
        "Structures membres du Club des entrepreneurs de l'ESS, réuni à un rythme trimestriel.",
        [(2016, 18, SEED_CLUB)],
    ),
    (
        5,
        "Part de l'ESS dans les actifs du territoire",
        "%",
        "Part des actifs du territoire travaillant dans une structure de l'ESS.",
        [(2014, 10, SEED_MOIS_ESS_2014)],
    ),
    (
        16,
        "Cafés citoyens tenus pendant le Mois de l'ESS",
        "cafés",
        "À Béthune (L'Effet déco) et à Bruay-la-Buissière (Maison de l'écoquartier des Alouettes).",
        [(2014, 2, SEED_MOIS_ESS_2014)],
    ),
]


def _territory(slug: str, **fields) -> Territory:
    territory = Territory.objects.filter(slug=slug).first() or Territory(slug=slug)
    for name, value in fields.items():
        setattr(territory, name, value)
    territory.full_clean(exclude=["logo"])
    territory.save()
    return territory


def _policy(territory, axes, sheets, indicators):
    axis_by_number = {}
    for number, title, objectives in axes:
        axis_by_number[number], _ = PolicyAxis.objects.update_or_create(
            territory=territory, number=number, defaults={"title": title, "objectives": objectives}
        )
    sheet_by_number = {}
    for number, axis, title, summary, objectives, status in sheets:
        sheet_by_number[number], _ = ActionSheet.objects.update_or_create(
            territory=territory,
            number=number,
            defaults={
                "axis": axis_by_number[axis],
                "title": title,
                "summary": summary,
                "objectives": objectives,
                "status": status,
            },
        )
    for position, (sheet, name, unit, description, values) in enumerate(indicators):
        indicator, _ = Indicator.objects.update_or_create(
            sheet=sheet_by_number[sheet],
            name=name,
            defaults={"unit": unit, "description": description, "position": position},
        )
        for year, value, source in values:
            IndicatorValue.objects.update_or_create(
                indicator=indicator, year=year, defaults={"value": Decimal(value), "source": source}
            )


def _key_figures(territory, figures):
    for position, (label, value, unit, year, source) in enumerate(figures):
        KeyFigure.objects.update_or_create(
            territory=territory,
            label=label,
            defaults={"value": Decimal(value), "unit": unit, "year": year, "source": source, "position": position},
        )


@transaction.atomic
def load_demo_territories() -> dict[str, Territory]:
    cabbalr = _territory(
        "bethune-bruay",
        siren="200072460",
        name="Béthune-Bruay, Artois-Lys Romane",
        official_name="Communauté d'agglomération de Béthune-Bruay, Artois-Lys Romane",
        kind=TerritoryKind.CA,
        epci=Epci.objects.get(pk="200072460"),
        valid_from=datetime.date(2017, 1, 1),
        description=(
            "Née le 1er janvier 2017 de la fusion d'Artois Comm., d'Artois-Lys et d'Artois-Flandres, la "
            "communauté d'agglomération a fait de l'économie sociale et solidaire un axe de développement majeur. "
            "Son service de développement économique est doté d'une cellule ESS qui accompagne de façon "
            "personnalisée les créateurs et suit les entreprises déjà implantées dans leurs phases d'évolution."
        ),
        policy_summary=(
            "L'ESS emploie un salarié sur dix sur le territoire et reste le domaine qui génère le plus de créations "
            "d'emplois depuis quelques années. Le Mois de l'ESS présente et promeut le secteur par de multiples "
            "rendez-vous ; le salon « Faites l'ESS » présente les dispositifs en faveur des porteurs de projet : "
            "formations, financements spécifiques, accompagnement personnalisé."
        ),
        policy_goals=["Consommer autrement", "Agir autrement", "Entreprendre autrement"],
        color="#0b5394",
        is_network_member=True,
        source_note=f"{SEED_SALON} ; géographie officielle 2026 (100 communes).",
    )
    territory_set_perimeter_from_epci(territory=cabbalr, epci=cabbalr.epci)
    _key_figures(
        cabbalr,
        [
            ("Part des salariés du territoire employés dans l'ESS", 10, "%", 2017, SEED_SALON),
            ("Acteurs fédérés au sein du Club des entrepreneurs ESS", 22, "acteurs", 2017, SEED_SALON),
        ],
    )

    artois = _territory(
        "artois-comm",
        siren=None,
        name="Artois Comm.",
        official_name="Communauté d'agglomération de l'Artois",
        kind=TerritoryKind.CA,
        epci=None,
        valid_until=datetime.date(2016, 12, 31),
        successor=cabbalr,
        description=(
            "Communauté d'agglomération de Béthune, Bruay-la-Buissière et Nœux-les-Mines. Elle a fait de "
            "l'économie sociale et solidaire l'un de ses chevaux de bataille au titre de sa compétence "
            "développement économique, avec un portail ESS et, chaque novembre, le Mois de l'ESS. Renseignements : "
            "direction du développement économique et emploi, 03 21 61 49 04."
        ),
        address="119 rue du Conseil de l'Europe",
        postcode="62700",
        city="Bruay-la-Buissière",
        phone="03 21 61 49 00",
        website="http://www.artoiscomm.fr",
        policy_summary="L'ESS en Artois Comm. est identifiée comme levier d'attractivité.",
        policy_goals=[
            "Développer l'économie sociale et solidaire pourvoyeuse d'emplois",
            "Rendre l'économie locale plus humaine, plus solidaire",
            "Favoriser la coopération entre acteurs économiques pluriels pour dynamiser le développement économique",
        ],
        declared_population=235000,
        declared_population_year=2014,
        declared_communes_count=65,
        color="#1f4e79",
        is_network_member=True,
        source_note=(
            f"{RTES_2014} ; {SEED_MOIS_ESS_2014} ; {SEED_CLUB}. Périmètre de 65 communes reconstitué (58 communes "
            "listées en 2002, 7 déduites autour de Nœux-les-Mines). Le SIREN n'est pas connu avec certitude : il "
            "est laissé vide."
        ),
    )
    territory_set_perimeter(
        territory=artois, entries=read_perimeter_file(DATA_DIR / "artois_comm_2016_65_communes_reconstructed.csv")
    )
    Contact.objects.update_or_create(
        territory=artois,
        full_name="Gérard Delahaye",
        defaults={
            "kind": ContactKind.ELECTED,
            "title": "Vice-Président en charge de l'Emploi et de l'Économie sociale et solidaire",
            "phone": "03 21 61 49 00",
            "position": 1,
        },
    )
    Contact.objects.update_or_create(
        territory=artois,
        full_name="Valérie Morel",
        defaults={
            "kind": ContactKind.STAFF,
            "service": "Direction du Développement Économique",
            "function": "Directrice création d'activités et emploi",
            "email": "valerie.morel@artoiscomm.fr",
            "phone": "03 21 61 49 00",
            "position": 1,
        },
    )
    budget, _ = BudgetYear.objects.update_or_create(
        territory=artois,
        year=2014,
        defaults={"amount": Decimal("201600"), "fte": Decimal("3"), "source": RTES_2014},
    )
    CoFunding.objects.update_or_create(
        budget=budget, funder="Conseil régional Nord-Pas de Calais", defaults={"amount": Decimal("60460")}
    )
    _policy(artois, ARTOIS_AXES, ARTOIS_SHEETS, ARTOIS_INDICATORS)
    _key_figures(
        artois,
        [
            ("Établissements de l'ESS recensés", 350, "établissements", 2014, SEED_MOIS_ESS_2014),
            ("Part des actifs du territoire dans l'ESS", 10, "%", 2014, SEED_MOIS_ESS_2014),
            ("Membres du Club des entrepreneurs de l'ESS", 18, "membres", 2016, SEED_CLUB),
        ],
    )

    ternois = _territory(
        "ternois",
        siren="200069672",
        name="Pays du Ternois",
        official_name="Communauté de communes du Ternois",
        kind=TerritoryKind.CC,
        epci=Epci.objects.get(pk="200069672"),
        description=(
            "Territoire à dominante rurale de 104 communes et 38 500 habitants (chiffres de 2015). Que ce soit en "
            "termes de mobilité ou de services à la personne, des besoins existent et, en conséquence, il y a de la "
            "place pour les initiatives. Le périmètre affiché est celui de la communauté de communes du Ternois "
            "dans la géographie officielle 2026."
        ),
        policy_summary=(
            "Au sein de son Plan local de développement économique, signé avec la Région, le Pays du Ternois a "
            "inscrit l'économie sociale et solidaire au rayon des priorités."
        ),
        policy_goals=[
            "Répondre aux besoins du territoire en mobilité et en services à la personne",
            "Sensibiliser les jeunes à la création d'entreprise",
            "Consommer local en promouvant les circuits courts",
        ],
        declared_population=38500,
        declared_population_year=2015,
        declared_communes_count=104,
        color="#2e6b30",
        is_network_member=True,
        source_note=f"{SEED_TERNOIS} ; géographie officielle 2026 (CC du Ternois, 103 communes).",
    )
    territory_set_perimeter_from_epci(territory=ternois, epci=ternois.epci)
    _policy(
        ternois,
        [
            (
                1,
                "L'ESS, priorité du Plan local de développement économique",
                [
                    "Faire émerger des initiatives là où des besoins existent (mobilité, services à la personne)",
                ],
            )
        ],
        [
            (
                1,
                1,
                "Camp de l'innovation",
                "Opération du Plan local de développement économique organisée le 26 novembre 2015.",
                ["Sensibiliser des collégiens et lycéens à la création d'entreprise"],
                SheetStatus.DONE,
            ),
            (
                2,
                1,
                "Circuits courts et producteurs locaux",
                "Le Pays du Ternois agit depuis 2013 pour consommer local et promouvoir les circuits courts.",
                ["Promouvoir les circuits courts", "Fédérer les producteurs locaux"],
                SheetStatus.ONGOING,
            ),
        ],
        [
            (
                2,
                "Producteurs locaux engagés dans les circuits courts",
                "producteurs",
                "Producteurs locaux convaincus de l'intérêt des circuits courts.",
                [(2015, 40, SEED_TERNOIS)],
            ),
        ],
    )
    _key_figures(ternois, [("Emplois dans l'ESS", 120, "emplois", 2015, SEED_TERNOIS)])
    return {"cabbalr": cabbalr, "artois": artois, "ternois": ternois}
