"""The yearly evaluation of a fiche (fiche 1 of seed 002: « l'évaluation des actions et des projets menés d'année en
année et la définition d'axes de progrès »): officers write it (draft), submit it; the territory admin validates it
or sends it back with a comment; a validated evaluation is read-only until the admin reopens it with a reason. An
officer may also enter the year's value of an indicator that is not bound to a computed figure.

Every change is appended to the evaluation's ``history`` (when, who, what, the comment): the evaluation is the
territory's record of what it did, and the elected members vote on it. The permissions are the views' business
(``essaim.observatory.perms``); these functions check the workflow."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from essaim.observatory.enums import EvaluationStatus, SheetProgress
from essaim.observatory.models import SheetEvaluation
from essaim.territories.models import BudgetYear, IndicatorValue

SAVED, SUBMITTED, VALIDATED, SENT_BACK, REOPENED, VALUE_ENTERED = (
    "saved",
    "submitted",
    "validated",
    "sent_back",
    "reopened",
    "value_entered",
)
ACTIONS = {
    SAVED: "enregistrée",
    SUBMITTED: "soumise à validation",
    VALIDATED: "validée",
    SENT_BACK: "renvoyée en rédaction",
    REOPENED: "rouverte",
    VALUE_ENTERED: "valeur d'indicateur saisie",
}


# The workflow: transition name → (from states, to state, French label). No transition happens anywhere else.
TRANSITIONS = {
    SUBMITTED: ((EvaluationStatus.DRAFT,), EvaluationStatus.SUBMITTED, "soumettre à validation"),
    VALIDATED: ((EvaluationStatus.SUBMITTED,), EvaluationStatus.VALIDATED, "valider"),
    SENT_BACK: ((EvaluationStatus.SUBMITTED,), EvaluationStatus.DRAFT, "renvoyer en rédaction"),
    REOPENED: ((EvaluationStatus.VALIDATED,), EvaluationStatus.DRAFT, "rouvrir"),
}
REFUSALS = {
    SUBMITTED: "Seule une évaluation en rédaction peut être soumise.",
    VALIDATED: "Seule une évaluation soumise à validation peut être validée.",
    SENT_BACK: "Seule une évaluation soumise à validation peut être renvoyée en rédaction.",
    REOPENED: "Seule une évaluation validée peut être rouverte.",
}


def _transition(evaluation, name: str, *, user, comment: str = "", now=None) -> None:
    """Moves ``evaluation`` along the transition ``name`` (refused in French from any other state) and logs it."""
    sources, target, _ = TRANSITIONS[name]
    if evaluation.status not in sources:
        raise ValidationError(REFUSALS[name])
    evaluation.status = target
    _log(evaluation, user=user, action=name, comment=comment, now=now)


def first_year(territory) -> int:
    """The first year of the territory's policy that can be evaluated: its first voted ESS budget, its first
    indicator value or its first evaluation, whichever comes first (never before the territory existed); the
    current year when it has none of these."""
    today = timezone.localdate()
    candidates = [
        BudgetYear.objects.filter(territory=territory).order_by("year").values_list("year", flat=True).first(),
        IndicatorValue.objects.filter(indicator__sheet__territory=territory)
        .order_by("year")
        .values_list("year", flat=True)
        .first(),
        SheetEvaluation.objects.filter(sheet__territory=territory)
        .order_by("year")
        .values_list("year", flat=True)
        .first(),
    ]
    years = [year for year in candidates if year is not None and year <= today.year]
    year = min(years) if years else today.year
    if territory.valid_from:
        year = max(year, territory.valid_from.year)
    return min(year, today.year)


def evaluation_years(territory) -> list[int]:
    """The years that can be evaluated, most recent first (the current one is being written)."""
    return list(range(timezone.localdate().year, first_year(territory) - 1, -1))


def _name(user) -> str:
    return (user.get_full_name() if user is not None else "") or ""


def _log(evaluation, *, user, action: str, comment: str = "", now=None) -> None:
    evaluation.history = [
        *(evaluation.history or []),
        {
            "at": (now or timezone.now()).isoformat(timespec="seconds"),
            "by": _name(user),
            "action": action,
            "label": ACTIONS[action],
            "comment": comment,
        },
    ]


def evaluation_of(sheet, year: int) -> SheetEvaluation:
    """The fiche's evaluation of ``year``, or a new one (unsaved, draft) when none was written yet."""
    found = SheetEvaluation.objects.filter(sheet=sheet, year=year).first()
    return found if found is not None else SheetEvaluation(sheet=sheet, year=year)


def _locked(sheet, year: int) -> SheetEvaluation:
    """The fiche's evaluation of ``year``, created as a draft when missing, locked until the transaction ends."""
    evaluation, _ = SheetEvaluation.objects.select_for_update(of=("self",)).get_or_create(sheet=sheet, year=year)
    return evaluation


def _lock(evaluation) -> SheetEvaluation:
    return SheetEvaluation.objects.select_for_update(of=("self",)).get(pk=evaluation.pk)


@transaction.atomic
def evaluation_save(*, sheet, year: int, user, achievements: str, progress_axes: str, progress: str, submit=False):
    """Records what the officer wrote; ``submit`` sends it for validation too (it then needs its achievements and
    its axes de progrès). Only a draft is written: a submitted evaluation waits for the admin, a validated one is
    read-only. Locks the evaluation's row."""
    evaluation = _locked(sheet, year)
    if evaluation.status == EvaluationStatus.VALIDATED:
        raise ValidationError(
            "Cette évaluation est validée : elle ne se modifie plus, sauf si l'administration la rouvre."
        )
    if evaluation.status == EvaluationStatus.SUBMITTED:
        raise ValidationError("Cette évaluation est soumise à validation : attendez la décision de l'administration.")
    if progress not in SheetProgress.values:
        raise ValidationError({"progress": "Choisissez un avancement de la liste."})
    achievements, progress_axes = achievements.strip(), progress_axes.strip()
    if submit:
        errors = {}
        if not achievements:
            errors["achievements"] = "Décrivez ce qui a été réalisé dans l'année avant de soumettre l'évaluation."
        if not progress_axes:
            errors["progress_axes"] = "Donnez au moins un axe de progrès avant de soumettre l'évaluation."
        if errors:
            raise ValidationError(errors)
    now = timezone.now()
    evaluation.achievements = achievements
    evaluation.progress_axes = progress_axes
    evaluation.progress = progress
    evaluation.written_by = user
    evaluation.written_by_name = _name(user)
    _log(evaluation, user=user, action=SAVED, now=now)
    if submit:
        _transition(evaluation, SUBMITTED, user=user, now=now)
        evaluation.submitted_at = now
    evaluation.save()
    return evaluation


@transaction.atomic
def evaluation_validate(*, evaluation, user, comment: str = "") -> SheetEvaluation:
    """The admin validates a submitted evaluation: it enters the report for the elected members. Locks the row."""
    evaluation = _lock(evaluation)
    now = timezone.now()
    _transition(evaluation, VALIDATED, user=user, comment=comment.strip(), now=now)
    evaluation.validated_by = user
    evaluation.validated_by_name = _name(user)
    evaluation.validated_at = now
    evaluation.review_comment = comment.strip()
    evaluation.save()
    return evaluation


@transaction.atomic
def evaluation_send_back(*, evaluation, user, comment: str) -> SheetEvaluation:
    """The admin sends a submitted evaluation back to draft, saying what to change. Locks the row."""
    evaluation = _lock(evaluation)
    if evaluation.status == EvaluationStatus.SUBMITTED and not comment.strip():
        raise ValidationError({"comment": "Dites ce qu'il faut reprendre avant de renvoyer l'évaluation."})
    _transition(evaluation, SENT_BACK, user=user, comment=comment.strip())
    evaluation.submitted_at = None
    evaluation.review_comment = comment.strip()
    evaluation.save()
    return evaluation


@transaction.atomic
def evaluation_reopen(*, evaluation, user, reason: str) -> SheetEvaluation:
    """The admin reopens a validated evaluation (a figure was wrong, the elected members asked for more), with the
    reason: it goes back to draft and leaves the report until validated again. Locks the row."""
    evaluation = _lock(evaluation)
    if evaluation.status == EvaluationStatus.VALIDATED and not reason.strip():
        raise ValidationError({"comment": "Donnez le motif de la réouverture."})
    _transition(evaluation, REOPENED, user=user, comment=reason.strip())
    evaluation.submitted_at = None
    evaluation.validated_at = None
    evaluation.validated_by = None
    evaluation.validated_by_name = ""
    evaluation.review_comment = reason.strip()
    evaluation.save()
    return evaluation


@transaction.atomic
def indicator_value_enter(*, indicator, year: int, value: Decimal, source: str, user) -> IndicatorValue:
    """The year's value of an indicator that Essaim does not compute, entered by an officer (who and when are
    kept). Refused for a bound indicator (its values fill themselves) and while the fiche's evaluation of the year
    is submitted or validated. Locks the year's evaluation."""
    if indicator.binding:
        raise ValidationError("Cet indicateur est calculé par Essaim : sa valeur ne se saisit pas.")
    evaluation = _locked(indicator.sheet, year)
    if evaluation.status != EvaluationStatus.DRAFT:
        raise ValidationError("L'évaluation de l'année n'est plus en rédaction : la valeur ne se modifie plus.")
    if value is None or value < 0:
        raise ValidationError({"value": "Saisissez une valeur positive ou nulle."})
    row, _ = IndicatorValue.objects.update_or_create(
        indicator=indicator,
        year=year,
        defaults={
            "value": value,
            "source": source.strip(),
            "is_fictitious": False,
            "entered_by": user,
            "entered_by_name": _name(user),
        },
    )
    _log(evaluation, user=user, action=VALUE_ENTERED, comment=f"{indicator.name} : {value}")
    evaluation.save()
    return row


def history_rows(evaluation) -> list[dict]:
    """The evaluation's log, most recent first, with its moments as dates."""
    rows = []
    for line in reversed(evaluation.history or []):
        rows.append({**line, "at": datetime.datetime.fromisoformat(line["at"])})
    return rows
