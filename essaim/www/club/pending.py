"""TEMPORARY (contract of the club's parallel build): the view behind the URL names a part has not built yet, so
that every part can reverse every other part's names. Removed when the parts are merged."""

from django.http import Http404


def pending(request, *args, **kwargs):
    raise Http404("Pas encore construit.")
