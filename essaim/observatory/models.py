"""The observatory's own rows: yearly snapshots of every capability's figures, the figures a territory enters (its
total employment), and the yearly evaluation of each fiche (fiche 1 of seed 002)."""

from django.conf import settings
from django.db import models

from essaim.core.models import TimeStampedModel
from essaim.observatory.enums import EnteredCode, EvaluationStatus, SheetProgress
from essaim.territories.models import YEAR_VALIDATORS


class Snapshot(TimeStampedModel):
    """One capability's figures for one territory and one year, frozen (``observatory_snapshot``, run by the worker
    each day: it freezes every ended year not frozen yet, so on 1 January; or on demand by an officer) so that the
    evolution over years stays true when data changes later. The current year is never frozen: it is live.

    ``values`` and ``tables`` have the shape of a capability's ``compute`` (``essaim.core.indicators``);
    ``definitions`` keeps the definitions as they were when frozen (code → name, definition, unit, kind, source)."""

    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="snapshots", verbose_name="territoire"
    )
    year = models.PositiveSmallIntegerField("année", validators=YEAR_VALIDATORS)
    capability = models.CharField("capacité", max_length=40)
    values = models.JSONField("valeurs", default=dict, blank=True)
    tables = models.JSONField("tableaux", default=dict, blank=True)
    definitions = models.JSONField("définitions", default=dict, blank=True)
    computed_at = models.DateTimeField("calculé le")
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="figé par",
        help_text="Vide quand la tâche de fin d'année l'a figé.",
    )

    class Meta:
        verbose_name = "instantané annuel"
        verbose_name_plural = "instantanés annuels"
        ordering = ["territory", "-year", "capability"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "year", "capability"], name="snapshot_one_per_year"),
        ]

    def __str__(self):
        return f"{self.territory} — {self.capability} {self.year}"


class EnteredFigure(TimeStampedModel):
    """A figure the territory enters because Essaim cannot compute it (its total salaried employment, from INSEE),
    with its source, who entered it and when. The ESS share of employment divides by it."""

    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="entered_figures", verbose_name="territoire"
    )
    year = models.PositiveSmallIntegerField("année", validators=YEAR_VALIDATORS)
    code = models.CharField("chiffre", max_length=40, choices=EnteredCode.choices)
    value = models.DecimalField("valeur", max_digits=14, decimal_places=2)
    source = models.CharField("source", max_length=300)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="saisi par",
    )
    entered_by_name = models.CharField("saisi par (nom)", max_length=200, blank=True)

    class Meta:
        verbose_name = "chiffre saisi"
        verbose_name_plural = "chiffres saisis"
        ordering = ["territory", "code", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "code", "year"], name="entered_figure_one_per_year"),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="entered_figure_not_negative"),
        ]

    def __str__(self):
        return f"{self.get_code_display()} {self.year} : {self.value}"


class SheetEvaluation(TimeStampedModel):
    """What was done for one fiche in one year, its progress and its *axes de progrès*; the fiche's indicators are
    read against their targets beside it (computed when bound, entered otherwise). Officers write and submit it,
    the territory admin validates it; a validated evaluation is read-only and enters the report for the elected
    members."""

    sheet = models.ForeignKey(
        "territories.ActionSheet", on_delete=models.CASCADE, related_name="evaluations", verbose_name="fiche action"
    )
    year = models.PositiveSmallIntegerField("année", validators=YEAR_VALIDATORS)
    achievements = models.TextField("réalisations de l'année", blank=True)
    progress_axes = models.TextField("axes de progrès", blank=True)
    progress = models.CharField(
        "avancement", max_length=12, choices=SheetProgress.choices, default=SheetProgress.ONGOING
    )
    status = models.CharField(
        "état de l'évaluation", max_length=10, choices=EvaluationStatus.choices, default=EvaluationStatus.DRAFT
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="rédigée par",
    )
    written_by_name = models.CharField("rédigée par (nom)", max_length=200, blank=True)
    submitted_at = models.DateTimeField("soumise le", null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="validée par",
    )
    validated_by_name = models.CharField("validée par (nom)", max_length=200, blank=True)
    validated_at = models.DateTimeField("validée le", null=True, blank=True)
    review_comment = models.TextField("commentaire de validation", blank=True)
    history = models.JSONField(
        "journal",
        default=list,
        blank=True,
        help_text="Chaque changement : quand, qui, quoi (enregistrée, soumise, validée, renvoyée, rouverte), motif.",
    )

    class Meta:
        verbose_name = "évaluation de fiche"
        verbose_name_plural = "évaluations de fiche"
        ordering = ["sheet", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "year"], name="evaluation_one_per_sheet_and_year"),
            models.CheckConstraint(
                condition=~models.Q(status=EvaluationStatus.VALIDATED) | models.Q(validated_at__isnull=False),
                name="evaluation_validated_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.sheet} — évaluation {self.year}"
