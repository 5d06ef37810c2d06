"""Artois Comm.'s policy as the RTES members' directory described it on 25 August 2014 (seed 002): its two axes,
sixteen action sheets and the first values of its evaluation (seeds 000 and 004). Faithful: nothing is invented
here (see ``docs/demo.md``)."""

from essaim.territories.enums import SheetStatus

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
