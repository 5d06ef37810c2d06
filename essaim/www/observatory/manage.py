"""The team's part of the observatory (``/observatoire/<slug>/gestion/``): the figures the territory enters (its
total salaried employment, the denominator of the ESS share of employment) with their source, who and when; the
snapshots of each ended year, and « figer l'année » on demand. The territory's officers and admin only
(``can_manage_figures``); everybody else gets 404."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from essaim.observatory import perms
from essaim.observatory.enums import EnteredCode
from essaim.observatory.figures import available_years
from essaim.observatory.models import EnteredFigure, Snapshot
from essaim.observatory.services.entered import enter_figure
from essaim.observatory.services.snapshots import freeze_year
from essaim.territories.models import YEAR_VALIDATORS, Territory
from essaim.www.forms import EssaimForm


class TotalEmploymentForm(EssaimForm):
    year = forms.IntegerField(label="Année", validators=YEAR_VALIDATORS)
    value = forms.DecimalField(
        label="Emploi salarié total du territoire",
        min_value=1,
        max_digits=12,
        decimal_places=0,
        help_text="Emplois salariés de tous les secteurs au lieu de travail (INSEE, Flores), en nombre.",
    )
    source = forms.CharField(
        label="Source",
        max_length=300,
        help_text="Par exemple « INSEE, Flores 2023, emploi salarié au 31 décembre ».",
    )


class FreezeForm(EssaimForm):
    year = forms.IntegerField(label="Année", validators=YEAR_VALIDATORS)


def _territory(request, slug) -> Territory:
    territory = get_object_or_404(Territory, slug=slug)
    if not perms.can_manage_figures(request.user, territory):
        raise Http404("Page réservée à l'équipe du territoire.")
    return territory


def _context(territory, **kwargs) -> dict:
    today = timezone.localdate().year
    snapshots = {}
    for snapshot in Snapshot.objects.filter(territory=territory).select_related("frozen_by").order_by("-year"):
        snapshots.setdefault(snapshot.year, []).append(snapshot)
    years = sorted({*(y for y in available_years(territory) if y < today), *snapshots}, reverse=True)
    return {
        "territory": territory,
        "entered": EnteredFigure.objects.filter(territory=territory).order_by("code", "-year"),
        "years": [(year, snapshots.get(year, [])) for year in years],
        "current_year": today,
        "form": kwargs.pop("form", None) or TotalEmploymentForm(initial={"year": today - 1}),
        **kwargs,
    }


@login_required
def manage(request, slug):
    """The entered figures, the form to enter one, the snapshots per year with « figer l'année »."""
    territory = _territory(request, slug)
    return render(request, "observatory/manage.html", _context(territory))


@login_required
def entered(request, slug):
    """Enters (or replaces) one year's total employment; errors keep what was typed."""
    territory = _territory(request, slug)
    if request.method == "POST":
        form = TotalEmploymentForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            enter_figure(
                territory=territory,
                year=data["year"],
                value=data["value"],
                source=data["source"],
                by=request.user,
                code=EnteredCode.TOTAL_EMPLOYMENT,
            )
            messages.success(request, f"Emploi salarié total {data['year']} enregistré.")
            return redirect(reverse("observatory:manage", args=[territory.slug]))
    else:
        form = TotalEmploymentForm(initial={"year": timezone.localdate().year - 1})
    return render(request, "observatory/manage_entered.html", {"territory": territory, "form": form})


@login_required
@require_POST
def freeze(request, slug):
    """Freezes (again) every figure of one ended year; the current year is refused."""
    territory = _territory(request, slug)
    form = FreezeForm(request.POST)
    if form.is_valid():
        year = form.cleaned_data["year"]
        try:
            freeze_year(territory=territory, year=year, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Les chiffres de {year} sont figés.")
    else:
        messages.error(request, "Indiquez une année valide à figer.")
    return redirect(reverse("observatory:manage", args=[territory.slug]))
