"""The club's pages, under /club/: the public part (the club's page, its members and their skills, the public
offers and needs, the calls, the published practice sheets), the members' space (``<club>/espace/``: meetings and
minutes, the board, shared items, group purchases, joint answers, practice sheets to write) and the facilitators'
part (``<club>/gestion/``). The fixed words come before the ``<club>/`` patterns, so that a club's slug never hides
them; each part keeps its patterns in its own module."""

from essaim.www.club import urls_calls, urls_meetings, urls_membership, urls_pooling

app_name = "club"


def _fixed_first(patterns):
    return sorted(patterns, key=lambda p: str(p.pattern).startswith("<"))


urlpatterns = _fixed_first(
    [*urls_membership.urlpatterns, *urls_meetings.urlpatterns, *urls_pooling.urlpatterns, *urls_calls.urlpatterns]
)
