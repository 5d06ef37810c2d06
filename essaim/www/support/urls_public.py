"""URL patterns of this part of the support pages (see urls.py)."""

from essaim.www.support import _temporary_projects

# TEMPORARY (part "projects"): the bookings part's routes this branch links to; dropped at merge.
urlpatterns = [*_temporary_projects.urlpatterns]
