"""The ESS taxonomy of activity sectors: about fifteen themes people look for (stable slugs, French names)."""

SECTORS = [
    (
        "alimentation",
        "Circuits courts et alimentation",
        "AMAP, épiceries solidaires, producteurs locaux, restauration",
    ),
    (
        "reemploi",
        "Réemploi, recyclage et ressourceries",
        "Ressourceries, recycleries, réparation, réemploi des déchets",
    ),
    ("culture", "Culture et patrimoine", "Lieux culturels, spectacle vivant, arts, patrimoine"),
    ("services-personne", "Services à la personne", "Aide à domicile, garde d'enfants, accompagnement des aînés"),
    ("insertion", "Insertion par l'activité économique", "ACI, AI, EI, ETTI : l'emploi des personnes éloignées"),
    ("handicap", "Handicap et travail adapté", "Entreprises adaptées, ESAT, inclusion des personnes handicapées"),
    ("mobilite", "Mobilité", "Garages solidaires, vélo, covoiturage, transport à la demande"),
    ("habitat", "Habitat et logement", "Logement accompagné, habitat participatif, rénovation"),
    ("finance", "Finance solidaire", "Épargne solidaire, microcrédit, monnaies locales"),
    ("education-populaire", "Éducation populaire et jeunesse", "Centres sociaux, animation, formation, citoyenneté"),
    ("environnement", "Environnement et énergie", "Jardins partagés, énergies renouvelables, biodiversité"),
    ("sante", "Santé et action sociale", "Mutuelles, prévention, accueil, solidarité"),
    ("sport", "Sport et loisirs", "Clubs et associations sportives, loisirs, tourisme social"),
    ("numerique", "Numérique et fab labs", "Fab labs, médiation numérique, logiciels libres, impression 3D"),
    ("accompagnement", "Accompagnement et création d'activité", "BGE, CAE, DLA, couveuses, tiers-lieux"),
]
