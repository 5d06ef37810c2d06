"""Contract placeholder: every name of the observatory's URL layout answers 501 until its part is built. Deleted
after the merge."""

from django.http import HttpResponse


def pending(request, *args, **kwargs):
    return HttpResponse("À construire.", status=501)
