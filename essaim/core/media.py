"""The development and demo route of public uploads (``/media/…``: logos, event images). Production serves
``MEDIA_ROOT`` from the web server. Private documents are not under ``MEDIA_ROOT`` at all (``ESSAIM_PRIVATE_ROOT``);
this view also refuses, whatever its spelling (double slashes, ``..``, backslashes, encoded forms, capitals), any
path that would climb out of a folder or name the old private folder ``grants/private/``."""

from django.conf import settings
from django.http import Http404
from django.views.static import serve

PRIVATE_PREFIXES = ("grants/private",)


def public_path(path: str) -> str:
    """The path, normalised (backslashes as slashes, empty and ``.`` segments dropped); ``Http404`` if it has a
    ``..`` segment or falls under a private prefix. Django has already decoded the percent-encoding once."""
    segments = [segment for segment in path.replace("\\", "/").split("/") if segment not in ("", ".")]
    if any(segment == ".." or "\x00" in segment for segment in segments):
        raise Http404("Fichier introuvable.")
    normalised = "/".join(segments)
    folded = normalised.casefold()
    if any(folded == prefix or folded.startswith(prefix + "/") for prefix in PRIVATE_PREFIXES):
        raise Http404("Fichier introuvable.")
    return normalised


def public_media(request, path):
    return serve(request, public_path(path), document_root=settings.MEDIA_ROOT)
