"""TEMPORARY, for the branch of part "manage" only: a stand-in for the motif's booking page (``support:motif``),
which part "bookings" builds. The lead drops this file and its route at merge."""

from django.http import HttpResponse


def motif_placeholder(request, slug, motif):
    return HttpResponse(f"Réservation du motif {motif} ({slug}).", content_type="text/plain; charset=utf-8")
