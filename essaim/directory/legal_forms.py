"""INSEE legal-form codes (catégories juridiques, niveau III) that make a legal unit part of the ESS family.

Source: INSEE, « Catégories juridiques » — nomenclature niveau III (https://www.insee.fr/fr/information/2028129),
the table SIRENE's ``categorieJuridiqueUniteLegale`` uses. Loi n° 2014-856 du 31 juillet 2014, art. 1er, lists
the ESS families: associations, fondations, mutuelles (code de la mutualité and sociétés d'assurance mutuelle),
coopératives; commercial companies join the ESS through the ESS flag of SIRENE or the ESUS agreement, never
through their legal form alone.
"""

from essaim.directory.enums import Family

ASSOCIATIONS = {
    "9210": "Association non déclarée",
    "9220": "Association déclarée",
    "9221": "Association déclarée d'insertion par l'économique",
    "9222": "Association intermédiaire",
    "9223": "Groupement d'employeurs",
    "9224": "Association d'avocats à responsabilité professionnelle individuelle",
    "9230": "Association déclarée, reconnue d'utilité publique",
    "9240": "Congrégation",
    "9260": "Association de droit local (Bas-Rhin, Haut-Rhin et Moselle)",
}
FONDATIONS = {"9300": "Fondation"}
MUTUELLES = {
    "8210": "Mutuelle",
    "8250": "Assurance mutuelle agricole",
    "8290": "Autre organisme mutualiste",
    "6411": "Société d'assurance à forme mutuelle",
}
COOPERATIVES = {
    "5443": "SARL coopérative de construction",
    "5451": "SARL coopérative de consommation",
    "5453": "SARL coopérative artisanale",
    "5454": "SARL coopérative d'intérêt maritime",
    "5455": "SARL coopérative de transport",
    "5458": "SARL coopérative ouvrière de production (SCOP)",
    "5459": "SARL union de sociétés coopératives",
    "5460": "Autre SARL coopérative",
    "5543": "SA coopérative de construction à conseil d'administration",
    "5547": "SA coopérative de production de HLM à conseil d'administration",
    "5551": "SA coopérative de consommation à conseil d'administration",
    "5552": "SA coopérative de commerçants-détaillants à conseil d'administration",
    "5553": "SA coopérative artisanale à conseil d'administration",
    "5554": "SA coopérative (d'intérêt) maritime à conseil d'administration",
    "5555": "SA coopérative de transport à conseil d'administration",
    "5558": "SA coopérative ouvrière de production (SCOP) à conseil d'administration",
    "5559": "SA union de sociétés coopératives à conseil d'administration",
    "5560": "Autre SA coopérative à conseil d'administration",
    "5643": "SA coopérative de construction à directoire",
    "5647": "SA coopérative de production de HLM à directoire",
    "5651": "SA coopérative de consommation à directoire",
    "5652": "SA coopérative de commerçants-détaillants à directoire",
    "5653": "SA coopérative artisanale à directoire",
    "5654": "SA coopérative d'intérêt maritime à directoire",
    "5655": "SA coopérative de transport à directoire",
    "5658": "SA coopérative ouvrière de production (SCOP) à directoire",
    "5659": "SA union de sociétés coopératives à directoire",
    "5660": "Autre SA coopérative à directoire",
    "6316": "Coopérative d'utilisation de matériel agricole en commun (CUMA)",
    "6317": "Société coopérative agricole",
    "6318": "Union de sociétés coopératives agricoles",
}
SCOP_CODES = {"5458", "5558", "5658"}

FAMILY_BY_CODE = (
    {code: Family.ASSOCIATION for code in ASSOCIATIONS}
    | {code: Family.FONDATION for code in FONDATIONS}
    | {code: Family.MUTUELLE for code in MUTUELLES}
    | {code: Family.COOPERATIVE for code in COOPERATIVES}
)
LABELS = ASSOCIATIONS | FONDATIONS | MUTUELLES | COOPERATIVES


def family_for(legal_form: str) -> str | None:
    """The ESS family a legal form implies, or None when the form alone does not make a unit ESS."""
    return FAMILY_BY_CODE.get((legal_form or "").strip())


def is_ess_legal_form(legal_form: str) -> bool:
    return family_for(legal_form) is not None


def legal_form_label(legal_form: str) -> str:
    return LABELS.get((legal_form or "").strip(), "")
