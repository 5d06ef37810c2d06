from django.conf import settings
from django.utils.functional import SimpleLazyObject

from essaim.territories.models import Territory
from essaim.www.backoffice.links import has_backoffice


def default_territory():
    siren = settings.ESSAIM_DEFAULT_TERRITORY
    return Territory.objects.by_key(siren).first() if siren else None


def site(request):
    """What the base layout needs on every page: the site's name, the default territory's branding, and whether the
    menu shows "Gestion" (computed only when a signed-in person's page renders the menu)."""
    return {
        "site": {
            "name": settings.ESSAIM_SITE_NAME,
            "network_name": settings.ESSAIM_NETWORK_NAME,
            "tiles_url": settings.ESSAIM_MAP_TILES_URL,
            "tiles_attribution": settings.ESSAIM_MAP_TILES_ATTRIBUTION,
        },
        "brand": SimpleLazyObject(default_territory),
        "nav": {"backoffice": SimpleLazyObject(lambda: has_backoffice(request.user))},
    }
