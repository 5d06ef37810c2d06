"""URL patterns of this part of the support pages (see urls.py)."""

urlpatterns = []
