"""The observatory's pages, under /observatoire/: the public figures of a territory with their charts, tables,
map and downloads (``urls_public``); the yearly evaluation of the fiches and the report for the elected members
(``urls_evaluation``); the team's part (entered figures, snapshots: ``urls_manage``). The fixed words come before
the public ``<slug>/`` patterns."""

from essaim.www.observatory import urls_evaluation, urls_manage, urls_public

app_name = "observatory"

urlpatterns = [*urls_manage.urlpatterns, *urls_evaluation.urlpatterns, *urls_public.urlpatterns]
