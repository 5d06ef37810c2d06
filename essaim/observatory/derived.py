"""The observatory's own figures, derived from another capability and a figure the territory enters: the ESS share
of employment = the directory's estimated jobs / the territory's total salaried employment (``EnteredFigure``,
code ``total_employment``) of the same year. Registered last (``ObservatoryConfig.ready()``)."""

from essaim.core.indicators import Definition, rate
from essaim.directory.indicators import directory_indicators
from essaim.observatory.enums import EnteredCode
from essaim.observatory.models import EnteredFigure

CAPABILITY = "observatory"

DEFINITIONS = [
    Definition(
        "total_employment",
        "Emploi salarié total du territoire",
        "Emploi salarié de tous les secteurs au lieu de travail, saisi par l'équipe du territoire avec sa source "
        "(INSEE) : Essaim ne peut pas le calculer. Vide quand rien n'a été saisi pour l'année.",
        "emplois",
        source="Saisi par l'équipe du territoire (source indiquée avec la valeur)",
    ),
    Definition(
        "ess_employment_share",
        "Part de l'ESS dans l'emploi",
        "Emplois estimés de l'ESS (annuaire, milieux des tranches d'effectif) divisés par l'emploi salarié total "
        "saisi pour la même année, en pourcentage. Vide, faute de dénominateur, quand l'emploi total de l'année "
        "n'a pas été saisi. Une estimation : l'annuaire est un état présent.",
        "%",
        source="Annuaire d'Essaim (emplois estimés) et emploi salarié total saisi par le territoire",
    ),
]


def observatory_indicators(*, territory, year: int | None = None, family=None, sector=None) -> list[dict]:
    """One dict per year of the directory's figures (or only ``year``), with the entered total employment and the
    share; the entered value carries who entered it and when (``entered``)."""
    entered = {
        e.year: e
        for e in EnteredFigure.objects.filter(territory=territory, code=EnteredCode.TOTAL_EMPLOYMENT).only(
            "year", "value", "source", "entered_by_name", "updated_at"
        )
    }
    result = []
    for entry in directory_indicators(territory=territory, year=year, family=family, sector=sector):
        figure = entered.get(entry["year"])
        jobs = entry["values"]["jobs_estimated"]
        total = figure.value if figure is not None else None
        result.append(
            {
                "year": entry["year"],
                "values": {
                    "total_employment": total,
                    "ess_employment_share": rate(jobs, float(total)) if total else None,
                },
                "tables": {},
                "entered": {
                    "total_employment": {
                        "by": figure.entered_by_name,
                        "at": figure.updated_at.isoformat(),
                        "source": figure.source,
                    }
                }
                if figure is not None
                else {},
            }
        )
    return result
