"""The figures' demo: the scheme linked to fiche 10, bound indicators, the entered total employment said to be
illustrative, the ended years frozen; twice without change."""

import pytest
from django.utils import timezone

from essaim.accounts.demo import load_demo_accounts
from essaim.agenda.demo import load_demo_agenda
from essaim.directory.demo import load_demo_structures
from essaim.grants.demo import load_demo_grants
from essaim.observatory.demo.figures import load_demo_figures
from essaim.observatory.models import EnteredFigure, Snapshot
from essaim.territories.models import Indicator

pytestmark = pytest.mark.django_db


def test_the_demo_links_binds_enters_and_freezes_idempotently(demo):
    load_demo_accounts(demo)
    load_demo_structures(territories=demo)
    load_demo_agenda(territories=demo)
    scheme = load_demo_grants(territories=demo)
    first = load_demo_figures(territories=demo)
    cabbalr = demo["cabbalr"]
    scheme.refresh_from_db()
    assert scheme.sheet is not None
    assert scheme.sheet.territory == cabbalr
    assert scheme.sheet.title.startswith("Dispositif d'aide")
    bound = Indicator.objects.filter(sheet__territory=cabbalr).exclude(binding="")
    assert sorted(bound.values_list("binding", flat=True)) == [
        "agenda.events",
        "grants.amount_granted",
        "grants.decisions_granted",
        "grants.fte_created",
    ]
    assert all(not indicator.values.exists() for indicator in bound)
    entered = EnteredFigure.objects.filter(territory=cabbalr).order_by("year")
    year = timezone.localdate().year
    assert list(entered.values_list("year", flat=True)) == [year - 3, year - 2, year - 1]
    assert all("fictive" in figure.source for figure in entered)
    frozen = Snapshot.objects.filter(territory=cabbalr)
    assert frozen.filter(year=year - 1).count() == 6
    assert not frozen.filter(year=year).exists()
    counts = (Snapshot.objects.count(), EnteredFigure.objects.count(), Indicator.objects.count())
    stamps = list(Snapshot.objects.order_by("pk").values_list("computed_at", flat=True))
    second = load_demo_figures(territories=demo)
    assert (Snapshot.objects.count(), EnteredFigure.objects.count(), Indicator.objects.count()) == counts
    assert list(Snapshot.objects.order_by("pk").values_list("computed_at", flat=True)) == stamps
    assert first["observatory_frozen_years"] > 0
    assert second["observatory_frozen_years"] == 0
