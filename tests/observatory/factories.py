"""Factories of the observatory (shared by every test module of tests/observatory)."""

import factory
from django.utils import timezone

from essaim.observatory.enums import EnteredCode, EvaluationStatus
from essaim.observatory.models import EnteredFigure, SheetEvaluation, Snapshot
from tests.territories.factories import TerritoryFactory


class SnapshotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Snapshot

    territory = factory.SubFactory(TerritoryFactory)
    year = 2024
    capability = "support"
    values = factory.LazyFunction(dict)
    tables = factory.LazyFunction(dict)
    definitions = factory.LazyFunction(dict)
    computed_at = factory.LazyFunction(timezone.now)


class EnteredFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnteredFigure

    territory = factory.SubFactory(TerritoryFactory)
    year = 2024
    code = EnteredCode.TOTAL_EMPLOYMENT
    value = 40000
    source = "INSEE, Flores 2024 (emploi salarié au lieu de travail)"


class SheetEvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SheetEvaluation

    sheet = factory.SubFactory("tests.territories.factories.ActionSheetFactory")
    year = 2025
    achievements = "Douze événements du Mois de l'ESS, deux nouvelles permanences."
    progress_axes = "Mieux toucher les quartiers prioritaires."
    status = EvaluationStatus.DRAFT
