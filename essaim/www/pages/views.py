import datetime

from django.shortcuts import redirect, render
from django.utils import timezone

from essaim.agenda.models import Campaign, Session
from essaim.www.context_processors import default_territory
from essaim.www.territories.views import territory_context

UPCOMING_DAYS = 45
UPCOMING_CARDS = 6


def home_agenda(territory, now=None):
    """The territory's current or next campaign (a Mois de l'ESS under way comes first) and the sessions of the
    next 45 days, a few of them, in two queries."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    campaign = (
        Campaign.objects.filter(territory=territory, is_published=True, end_date__gte=today)
        .order_by("start_date", "pk")
        .first()
    )
    sessions = list(
        Session.objects.published()
        .filter(event__territory=territory, start__lt=now + datetime.timedelta(days=UPCOMING_DAYS))
        .upcoming(now)
        .for_listing()
        .order_by("start", "pk")[:UPCOMING_CARDS]
    )
    return {"campaign": campaign, "upcoming_sessions": sessions, "upcoming_days": UPCOMING_DAYS, "today": today}


def home(request):
    """Public. The default territory's home page; without one, the network directory."""
    territory = default_territory()
    if territory is None:
        return redirect("territories:list")
    context = territory_context(territory)
    context.update(home_agenda(territory))
    return render(request, "pages/home.html", context)


def accessibility(request):
    """Public. The accessibility statement RGAA asks every public body's site to publish."""
    return render(request, "pages/accessibility.html")


def privacy(request):
    """Public. What personal data Essaim keeps, why, for how long, and how to get it erased."""
    return render(request, "pages/privacy.html")
