from django.shortcuts import redirect, render

from essaim.www.context_processors import default_territory
from essaim.www.territories.views import territory_context


def home(request):
    """Public. The default territory's home page; without one, the network directory."""
    territory = default_territory()
    if territory is None:
        return redirect("territories:list")
    context = territory_context(territory)
    return render(request, "pages/home.html", context)


def accessibility(request):
    """Public. The accessibility statement RGAA asks every public body's site to publish."""
    return render(request, "pages/accessibility.html")


def privacy(request):
    """Public. What personal data Essaim keeps, why, for how long, and how to get it erased."""
    return render(request, "pages/privacy.html")
