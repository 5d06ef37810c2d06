from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from essaim.api.main import api

urlpatterns = [
    path("", include("essaim.www.pages.urls")),
    path("territoires/", include("essaim.www.territories.urls")),
    path("", include("essaim.www.directory.urls")),
    path("", include("essaim.www.agenda.urls")),
    path("", include("essaim.www.grants.urls")),
    path("compte/", include("essaim.www.accounts.urls")),
    path("gestion/", include("essaim.www.backoffice.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "essaim.www.errors.bad_request"
handler403 = "essaim.www.errors.permission_denied"
handler404 = "essaim.www.errors.page_not_found"
handler500 = "essaim.www.errors.server_error"
