"""The demo's yearly evaluation: last year's evaluation of every fiche of the CABBALR's policy (the sixteen fiches of
Artois Comm., seed 002, taken over by the CABBALR), written from the seeds — most validated, one submitted, one
still a draft — and the current year started on two fiches. The texts are a demonstration written from the seeds
(the Mois de l'ESS of seed 000, the salon « Faites l'ESS » of seed 001, the club of seed 004), not the
territory's own evaluation. Idempotent: a second run rewrites the same rows."""

import datetime

from django.db import transaction
from django.utils import timezone

from essaim.accounts.models import User
from essaim.observatory.enums import EvaluationStatus, SheetProgress
from essaim.observatory.models import SheetEvaluation
from essaim.territories.models import ActionSheet

OFFICER_EMAIL = "agent@bethune-bruay.example"
ADMIN_EMAIL = "admin@bethune-bruay.example"
SUBMITTED_SHEET = 15  # la monnaie locale: submitted, waiting for the admin
DRAFT_SHEET = 16  # le café citoyen: still being written
CURRENT_YEAR_SHEETS = (1, 10)  # the current year is started on these

# number → (progress, achievements, axes de progrès)
LAST_YEAR = {
    1: (
        SheetProgress.ONGOING,
        "Quatre réunions plénières du comité local d'animation (acteurs de l'ESS, élu·es, partenaires). "
        "Coordination du Mois de l'ESS en novembre : rendez-vous au marché de l'Agora de Bruay-la-Buissière, "
        "quinzaine de l'initiative avec permanences et ateliers de la BGE, rencontre des acteurs à Beuvry.",
        "Associer davantage les habitant·es et les jeunes aux rendez-vous.\n"
        "Suivre chaque année les mêmes indicateurs pour comparer les éditions.",
    ),
    2: (
        SheetProgress.ONGOING,
        "Deux rencontres des structures de services à la personne ; veille partagée sur les appels à projets.",
        "Mieux mesurer la qualité des emplois (temps partiels, qualifications).",
    ),
    3: (
        SheetProgress.DELAYED,
        "Un petit-déjeuner de sensibilisation à la RSE avec le club d'entreprises ; peu d'entreprises présentes.",
        "Passer par les réseaux d'entreprises existants plutôt qu'organiser seuls.",
    ),
    4: (
        SheetProgress.ONGOING,
        "Temps fort sur l'emploi des travailleurs handicapés au Village d'entreprises de Ruitz pendant le Mois de "
        "l'ESS ; taux d'emploi légal respecté dans les services de l'agglomération.",
        "Associer les structures d'insertion par l'activité économique au temps fort.",
    ),
    5: (
        SheetProgress.ACHIEVED,
        "Salon « Faites l'ESS » : consommer, agir et entreprendre autrement, avec des ateliers créatifs ouverts à "
        "tous ; cafés citoyens de découverte de l'ESS à Béthune et Bruay.",
        "Rendre compte du poids de l'ESS (un salarié sur dix) avec les chiffres de l'observatoire.",
    ),
    6: (
        SheetProgress.ACHIEVED,
        "Le portail ESS (Essaim) publie l'annuaire, la carte, l'agenda et les aides ; les structures mettent "
        "elles-mêmes leur fiche à jour.",
        "Faire vérifier leur fiche par les structures les plus anciennes de l'annuaire.",
    ),
    7: (
        SheetProgress.ONGOING,
        "Clauses sociales dans deux marchés de l'agglomération ; une réunion d'information des communes.",
        "Accompagner les communes volontaires dans leurs premiers marchés réservés.",
    ),
    8: (
        SheetProgress.ONGOING,
        "Ateliers de professionnalisation des dirigeant·es associatifs avec les partenaires de l'accompagnement.",
        "Proposer des créneaux en soirée pour les bénévoles.",
    ),
    9: (
        SheetProgress.DELAYED,
        "Présentation de l'écoquartier des Alouettes pendant le Mois de l'ESS ; la programmation du pôle de "
        "coopération économique reste à arrêter avec la ville.",
        "Fixer le calendrier du pôle avec la ville et l'aménageur.",
    ),
    10: (
        SheetProgress.ONGOING,
        "Le dispositif « Entreprendre Autrement » instruit en ligne : demandes, avis de la commission ad hoc, "
        "décisions du Bureau communautaire et paiements suivis dans Essaim, dans la limite des crédits votés.",
        "Raccourcir le délai entre le dépôt et la décision.\nSuivre les emplois créés à deux ans.",
    ),
    11: (
        SheetProgress.ONGOING,
        "Permanences de la coopérative d'activités et d'emploi dans les locaux de l'agglomération.",
        "Mieux orienter les porteur·ses de projet vers le test d'activité.",
    ),
    12: (
        SheetProgress.ONGOING,
        "Appui au développement de deux structures de services à la personne.",
        "Rapprocher cette fiche de la fiche 2, qui suit la même filière.",
    ),
    13: (
        SheetProgress.ACHIEVED,
        "Contribution au Dispositif local d'accompagnement porté par Pas-de-Calais Actif.",
        "Connaître les suites données aux accompagnements du DLA.",
    ),
    14: (
        SheetProgress.ONGOING,
        "Rencontre des acteurs du réemploi ; projet de recyclerie étudié pour l'écoquartier.",
        "Chiffrer les tonnes détournées de l'enfouissement.",
    ),
    15: (
        SheetProgress.ONGOING,
        "Appui à l'association qui prépare la monnaie locale à Béthune : réunions publiques, premiers commerces "
        "intéressés.",
        "Décider du soutien au lancement après l'étude de préfiguration.",
    ),
    16: (
        SheetProgress.NOT_STARTED,
        "Cafés citoyens de découverte de l'ESS organisés pendant le Mois de l'ESS.",
        "",
    ),
}

CURRENT_YEAR = {
    1: (SheetProgress.ONGOING, "Deux réunions du comité local d'animation depuis janvier.", ""),
    10: (SheetProgress.ONGOING, "Premières demandes de l'année déposées en ligne.", ""),
}


def _moment(year: int, month: int, day: int) -> datetime.datetime:
    moment = datetime.datetime(year, month, day, 10, 0, tzinfo=timezone.get_current_timezone())
    return min(moment, timezone.now())


def _line(at, by, action, label, comment=""):
    return {"at": at.isoformat(timespec="seconds"), "by": by, "action": action, "label": label, "comment": comment}


@transaction.atomic
def load_demo_evaluation(*, territories) -> dict:
    """Last year's evaluations of the CABBALR's fiches and the current year's first two; idempotent."""
    cabbalr = next((t for t in territories.values() if t.slug == "bethune-bruay"), None)
    if cabbalr is None:
        return {}
    officer = User.objects.filter(email=OFFICER_EMAIL).first()
    admin = User.objects.filter(email=ADMIN_EMAIL).first()
    officer_name = officer.get_full_name() if officer else ""
    admin_name = admin.get_full_name() if admin else ""
    today = timezone.localdate()
    last = today.year - 1
    sheets = {s.number: s for s in ActionSheet.objects.filter(territory=cabbalr)}
    written = 0
    for number, (progress, achievements, axes) in LAST_YEAR.items():
        sheet = sheets.get(number)
        if sheet is None:
            continue
        saved = _moment(today.year, 1, 8)
        submitted = _moment(today.year, 1, 12)
        validated = _moment(today.year, 1, 20)
        history = [_line(saved, officer_name, "saved", "enregistrée")]
        fields = {
            "achievements": achievements,
            "progress_axes": axes,
            "progress": progress,
            "written_by": officer,
            "written_by_name": officer_name,
            "status": EvaluationStatus.VALIDATED,
            "submitted_at": submitted,
            "validated_by": admin,
            "validated_by_name": admin_name,
            "validated_at": validated,
            "review_comment": "",
        }
        if number == DRAFT_SHEET:
            fields.update(status=EvaluationStatus.DRAFT, submitted_at=None, validated_by=None, validated_at=None)
            fields["validated_by_name"] = ""
        elif number == SUBMITTED_SHEET:
            fields.update(status=EvaluationStatus.SUBMITTED, validated_by=None, validated_at=None)
            fields["validated_by_name"] = ""
            history.append(_line(submitted, officer_name, "submitted", "soumise à validation"))
        else:
            history.append(_line(submitted, officer_name, "submitted", "soumise à validation"))
            history.append(_line(validated, admin_name, "validated", "validée"))
        fields["history"] = history
        SheetEvaluation.objects.update_or_create(sheet=sheet, year=last, defaults=fields)
        written += 1
    for number, (progress, achievements, axes) in CURRENT_YEAR.items():
        sheet = sheets.get(number)
        if sheet is None:
            continue
        saved = _moment(today.year, today.month, 1)
        SheetEvaluation.objects.update_or_create(
            sheet=sheet,
            year=today.year,
            defaults={
                "achievements": achievements,
                "progress_axes": axes,
                "progress": progress,
                "written_by": officer,
                "written_by_name": officer_name,
                "status": EvaluationStatus.DRAFT,
                "submitted_at": None,
                "validated_by": None,
                "validated_by_name": "",
                "validated_at": None,
                "review_comment": "",
                "history": [_line(saved, officer_name, "saved", "enregistrée")],
            },
        )
        written += 1
    return {"evaluations": written}
