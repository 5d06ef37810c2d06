from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from essaim.api.main import api
from essaim.core.media import public_media
from essaim.www.health import health

urlpatterns = [
    path("api/v1/", api.urls),  # first: the busiest prefix, resolved without trying the pages' patterns
    path("", include("essaim.www.pages.urls")),
    path("territoires/", include("essaim.www.territories.urls")),
    path("", include("essaim.www.directory.urls")),
    path("", include("essaim.www.agenda.urls")),
    path("", include("essaim.www.grants.urls")),
    path("accompagnement/", include("essaim.www.support.urls")),
    path("club/", include("essaim.www.club.urls")),
    path("observatoire/", include("essaim.www.observatory.urls")),
    path("actualites/", include("essaim.www.news.urls")),
    path("compte/", include("essaim.www.accounts.urls")),
    path("compte/", include("essaim.www.accounts.allauth_urls")),  # allauth's own names, same views
    path("gestion/", include("essaim.www.backoffice.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("health", health, name="health"),  # public JSON for monitors (essaim/www/health.py)
]

if settings.DEBUG or not settings.PRODUCTION:
    # Public uploads (logos, images) in development and in the demo (DEBUG off). Private documents live outside
    # MEDIA_ROOT (ESSAIM_PRIVATE_ROOT): no route serves them, only the views that check who may read them.
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", public_media, name="media")]

handler400 = "essaim.www.errors.bad_request"
handler403 = "essaim.www.errors.permission_denied"
handler404 = "essaim.www.errors.page_not_found"
handler500 = "essaim.www.errors.server_error"
handler429 = "essaim.www.accounts.views.too_many_requests"  # allauth's rate limits
