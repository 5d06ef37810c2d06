"""The observatory's figures in the demo: the CABBALR's grant scheme linked to its fiche 10 (« Entreprendre
Autrement »), indicators of its fiches bound to computed figures, its total salaried employment entered for the
ended years (an illustrative value: no real figure is shipped with the project), and the ended years frozen.
Idempotent: a second load changes nothing."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from essaim.grants.models import Scheme
from essaim.observatory.enums import EnteredCode
from essaim.observatory.models import EnteredFigure
from essaim.observatory.services.snapshots import freeze_ended_years
from essaim.territories.models import ActionSheet, Indicator

SCHEME_SHEET = 10  # the fiche of the grant scheme, numbered as in Artois Comm.'s policy the CABBALR took over
ENTERED_YEARS = 3
# An order of magnitude for an agglomeration of 280,000 inhabitants, not a measure: said plainly in the source.
TOTAL_EMPLOYMENT = {0: Decimal("74800"), 1: Decimal("75200"), 2: Decimal("75600")}
ENTERED_SOURCE = (
    "Valeur fictive de démonstration (ordre de grandeur, pas une mesure) : à remplacer par l'emploi salarié au "
    "lieu de travail de l'INSEE (Flores)"
)
# (number of the fiche as in Artois Comm.'s policy, name, unit, definition, bound figure)
BOUND_INDICATORS = [
    (
        SCHEME_SHEET,
        "Aides « Entreprendre Autrement » accordées",
        "aides",
        "Décisions d'accord du Bureau dans l'année, calculées par Essaim.",
        "grants.decisions_granted",
    ),
    (
        SCHEME_SHEET,
        "Montants d'aide engagés",
        "€",
        "Somme des aides accordées dans l'année, calculée par Essaim.",
        "grants.amount_granted",
    ),
    (
        SCHEME_SHEET,
        "Emplois créés soutenus",
        "ETP",
        "Emplois à créer des projets aidés dans l'année, calculés par Essaim.",
        "grants.fte_created",
    ),
    (
        1,
        "Rendez-vous publiés dans l'agenda",
        "événements",
        "Événements publiés de l'agenda du territoire ayant une séance dans l'année, calculés par Essaim.",
        "agenda.events",
    ),
]


def _sheet(territory, number):
    return (
        ActionSheet.objects.filter(territory=territory, origin__number=number).first()
        or ActionSheet.objects.filter(territory=territory, number=number).first()
    )


def load_demo_figures(*, territories) -> dict:
    """Loads the figures' demo for the CABBALR (and freezes the ended years of every demo territory)."""
    cabbalr = territories["cabbalr"]
    today = timezone.localdate()
    bound = 0
    with transaction.atomic():
        sheet = _sheet(cabbalr, SCHEME_SHEET)
        if sheet is not None:
            Scheme.objects.filter(territory=cabbalr, sheet__isnull=True).update(sheet=sheet)
        for position, (number, name, unit, description, code) in enumerate(BOUND_INDICATORS, 30):
            target = _sheet(cabbalr, number)
            if target is None:
                continue
            Indicator.objects.get_or_create(
                sheet=target,
                name=name,
                defaults={"unit": unit, "description": description, "binding": code, "position": position},
            )
            bound += 1
        for back, value in TOTAL_EMPLOYMENT.items():
            EnteredFigure.objects.get_or_create(
                territory=cabbalr,
                code=EnteredCode.TOTAL_EMPLOYMENT,
                year=today.year - ENTERED_YEARS + back,
                defaults={"value": value, "source": ENTERED_SOURCE, "entered_by_name": "Démonstration"},
            )
    frozen = freeze_ended_years(today=today, territories=list(territories.values()))
    return {"observatory_bound_indicators": bound, "observatory_frozen_years": len(frozen)}
