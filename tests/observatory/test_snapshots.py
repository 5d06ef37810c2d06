"""Yearly snapshots: an ended year frozen stays true when the data changes; the current year is refused; the daily
command freezes every ended year once."""

import datetime
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from essaim.directory.enums import Status
from essaim.observatory.enums import Origin
from essaim.observatory.figures import find, year_figures
from essaim.observatory.models import Snapshot
from essaim.observatory.services.snapshots import freeze_ended_years, freeze_year
from tests.observatory.factories import EnteredFigureFactory
from tests.observatory.fixtures import YEAR
from tests.territories.factories import TerritoryFactory

pytestmark = pytest.mark.django_db
NEXT_JANUARY = datetime.date(YEAR + 1, 1, 1)


def test_a_frozen_year_stays_true_when_the_data_changes(known):
    EnteredFigureFactory(territory=known.territory, year=YEAR, value=1200, entered_by_name="Claire Dupont")
    frozen = freeze_year(territory=known.territory, year=YEAR, today=NEXT_JANUARY)
    assert len(frozen) == 6
    known.structures[0].status = Status.ARCHIVED
    known.structures[0].save()
    sets = year_figures(known.territory, YEAR)
    figure = find(sets, "directory.establishments")
    assert figure.value == 4  # still the frozen 4, not today's 3
    assert next(s for s in sets if s.code == "directory").origin == Origin.SNAPSHOT
    assert find(sets, "grants.amount_granted").value == 6000.0
    total = find(sets, "observatory.total_employment")
    assert (total.origin, total.entered_by) == (Origin.ENTERED, "Claire Dupont")
    assert (
        find(year_figures(known.territory, YEAR, filters={"family": "association"}), "directory.establishments").value
        == 1
    )
    freeze_year(territory=known.territory, year=YEAR, today=NEXT_JANUARY)  # again: replaced, not added
    assert Snapshot.objects.filter(territory=known.territory, year=YEAR).count() == 6
    assert find(year_figures(known.territory, YEAR), "directory.establishments").value == 3


def test_the_current_and_future_years_are_refused(known):
    with pytest.raises(ValidationError) as error:
        freeze_year(territory=known.territory, year=YEAR, today=datetime.date(YEAR, 12, 31))
    assert "n'est pas terminée" in error.value.messages[0]
    with pytest.raises(ValidationError):
        freeze_year(territory=known.territory, year=YEAR + 1, today=datetime.date(YEAR, 6, 1))
    assert not Snapshot.objects.exists()


def test_freeze_ended_years_is_idempotent(known):
    empty = TerritoryFactory()
    done = freeze_ended_years(today=NEXT_JANUARY, territories=[known.territory, empty])
    assert [(t, year) for t, year, _ in done] == [(known.territory, YEAR - 1), (known.territory, YEAR)]
    assert Snapshot.objects.filter(territory=known.territory).count() == 12
    assert not Snapshot.objects.filter(territory=empty).exists()
    assert freeze_ended_years(today=NEXT_JANUARY, territories=[known.territory, empty]) == []
    assert Snapshot.objects.count() == 12


def test_the_daily_command_freezes_nothing_during_the_year_but_the_ended_years(known):
    out = StringIO()
    call_command("observatory_snapshot", "--territory", known.territory.slug, stdout=out)
    assert f"année {YEAR - 1} figée" in out.getvalue()
    assert set(Snapshot.objects.values_list("year", flat=True)) == {YEAR - 1}
    out = StringIO()
    call_command("observatory_snapshot", "--territory", known.territory.siren, stdout=out)
    assert "Aucune année à figer" in out.getvalue()
    with pytest.raises(CommandError, match="n'est pas terminée"):
        call_command("observatory_snapshot", "--year", str(YEAR), "--territory", known.territory.slug)
    with pytest.raises(CommandError, match="Territoire inconnu"):
        call_command("observatory_snapshot", "--territory", "nulle-part")
