"""The support pages, under /accompagnement/: the public part (motifs, slots, booking, the link of a booking's mails,
the *quinzaine*, the public figures), the team's and advisers' part (their days and weeks, motifs and ranges, the
board), and the project record. Each part keeps its own patterns."""

from essaim.www.support import urls_manage, urls_projects, urls_public

app_name = "support"

urlpatterns = [*urls_public.urlpatterns, *urls_manage.urlpatterns, *urls_projects.urlpatterns]
