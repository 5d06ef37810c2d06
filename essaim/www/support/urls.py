"""The support pages, under /accompagnement/: the team's and advisers' part (``gestion/``: their days and weeks,
motifs, ranges, absences, partners), the project record (``suivi/``), and the public part (the territory's
permanences, the booking, the link of a booking's mails, the *quinzaine*, the public figures). The fixed words come
before the public ``<territory>/`` patterns, so that a territory's slug never hides them."""

from essaim.www.support import urls_manage, urls_projects, urls_public

app_name = "support"

urlpatterns = [*urls_manage.urlpatterns, *urls_projects.urlpatterns, *urls_public.urlpatterns]
