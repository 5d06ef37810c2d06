"""What the demo adds to the CABBALR, Artois Comm.'s successor, so that the default territory looks alive today: its
ESS unit's contacts, its ESS budgets of the last four years and recent values of the evaluation (fiche 1).

Everything here is **fictitious** and marked so in the data (``is_fictitious``): the seeds give none of it. Amounts
and values are functions of the year, never of the day the demo runs: a year's figure is the same whenever the demo
is loaded, and a new year only adds its own row (see ``docs/demo.md``).
"""

from decimal import Decimal

from essaim.territories.enums import ContactKind

SEED_SALON = 'Article « Premier salon "Faites l\'ESS" à Houdain »'
FICTITIOUS_SOURCE = "Donnée fictive de démonstration"
BUDGET_YEARS = 4  # the last four years, the current one included
INDICATOR_YEARS = 4  # the last four complete years

# (kind, full name, title, service, function, e-mail, phone): fictitious people. Phone numbers are in the range
# that the ARCEP keeps for fiction (03 53 01 xx xx), e-mails on a reserved ``.example`` domain.
CABBALR_CONTACTS = [
    (
        ContactKind.ELECTED,
        "Martine Caron",
        "Vice-présidente en charge de l'économie sociale et solidaire et de l'emploi",
        "",
        "",
        "",
        "03 53 01 49 00",
    ),
    (
        ContactKind.STAFF,
        "Nathalie Delattre",
        "",
        "Direction du développement économique, cellule ESS",
        "Responsable de la cellule ESS",
        "nathalie.delattre@bethune-bruay.example",
        "03 53 01 49 10",
    ),
    (
        ContactKind.STAFF,
        "Sophie Lemaire",
        "",
        "Direction du développement économique, cellule ESS",
        "Chargée de mission ESS : porteurs de projet, aide « Entreprendre Autrement », Mois de l'ESS",
        "sophie.lemaire@bethune-bruay.example",
        "03 53 01 49 11",
    ),
    (
        ContactKind.STAFF,
        "Julien Fontaine",
        "",
        "Direction du développement économique, cellule ESS",
        "Chargé de mission ESS : club des entrepreneurs, réseau des acteurs, achats responsables",
        "julien.fontaine@bethune-bruay.example",
        "03 53 01 49 12",
    ),
]
# The first three are also demo accounts (``essaim/accounts/demo.py``): the élue, the territory admin who leads
# the ESS unit, and its officer.


def budget_for(year: int) -> dict:
    """The CABBALR's fictitious ESS budget of ``year``: about Artois Comm.'s 2014 budget (201,600 €, 3 FTE) grown
    with a perimeter of 100 communes, co-funded by the Région and the Département."""
    cofundings = [("Région Hauts-de-France", Decimal(58_000 + 1_000 * (year - 2020)))]
    if year % 2 == 0:
        cofundings.append(("Département du Pas-de-Calais", Decimal(12_000)))
    return {
        "amount": Decimal(236_000 + 6_400 * (year - 2020)),
        "fte": Decimal("4") if year < 2024 else Decimal("4.5"),
        "comment": "Montant fictif de démonstration.",
        "cofundings": cofundings,
    }


# (sheet number, indicator, unit, definition or None for an inherited one, value of a year, sourced values)
CABBALR_INDICATORS = [
    (
        1,
        "Éditions consécutives du Mois de l'ESS",
        "éditions",
        None,
        lambda year: year - 2007,  # the 7th in 2014 (seed 000), supposed uninterrupted since
        [],
    ),
    (
        1,
        "Membres du Club des entrepreneurs de l'ESS",
        "membres",
        None,
        lambda year: 22 + (year - 2017) * 3 // 2,
        [(2017, 22, SEED_SALON)],  # "22 acteurs se sont fédérés au sein d'un club des entrepreneurs ESS"
    ),
    (
        1,
        "Réunions du comité local d'animation",
        "réunions",
        "Réunions plénières du comité local d'animation dans l'année (acteurs de l'ESS, élus, partenaires).",
        lambda year: 3 if year % 3 == 0 else 4,
        [],
    ),
    (
        1,
        "Structures organisatrices d'un rendez-vous du Mois de l'ESS",
        "structures",
        "Structures de l'ESS qui ont organisé au moins un rendez-vous du Mois de l'ESS sur le territoire.",
        lambda year: 18 + 2 * (year - 2020),
        [],
    ),
    (
        5,
        "Part de l'ESS dans les actifs du territoire",
        "%",
        None,
        None,
        [(2017, 10, SEED_SALON)],  # "Ce secteur d'activité emploie un salarié sur dix sur ce territoire"
    ),
]
