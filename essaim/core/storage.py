"""Where uploads live.

Public uploads (logos, event and campaign images) go to ``MEDIA_ROOT`` through :class:`PublicMediaStorage`, which
re-encodes every image before writing it (no EXIF GPS position, no hidden payload).

Private uploads live in the ``private`` storage, a folder outside ``MEDIA_ROOT`` (``ESSAIM_PRIVATE_ROOT``,
``var/private`` by default) that no URL serves — neither the development media route nor the production web
server, which serves ``MEDIA_ROOT`` only. A private file is read only by a view that checks who may read it
(e.g. a grant application's documents), through the storage's ``open``; it has no public address."""

import os
from pathlib import Path

from django.conf import settings
from django.core import checks
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages

IMAGE_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP"}


class ReencodeImagesMixin:
    """Every image (by its name: PNG, JPEG, WebP) is decoded and encoded again before it is written; an image that
    cannot be (a decompression bomb the form let through) is refused as a suspicious operation (400). Mix it into
    any storage of public uploads, e.g. an S3 bucket shared by several web nodes (docs/operations.md)::

        class S3PublicMedia(ReencodeImagesMixin, storages.backends.s3.S3Storage): ...
    """

    def _save(self, name, content):
        image_format = IMAGE_FORMATS.get(Path(name).suffix.lower())
        if image_format:
            from essaim.core.images import ImageRefused, reencode

            try:
                content = ContentFile(reencode(content, image_format))
            except ImageRefused as exc:
                raise SuspiciousFileOperation(f"Image refused ({exc.code}): {name}") from exc
        return super()._save(name, content)


class PublicMediaStorage(ReencodeImagesMixin, FileSystemStorage):
    """``MEDIA_ROOT``, images re-encoded: the default storage of public uploads."""


class PrivateStorage(FileSystemStorage):
    """A file system storage rooted at ``ESSAIM_PRIVATE_ROOT`` (read at each use, so that tests and instances may
    change it), without URLs."""

    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.ESSAIM_PRIVATE_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("A private file has no public URL: serve it from a view that checks who may read it.")


def private_storage():
    """The storage of private files (``STORAGES["private"]``), for ``FileField(storage=private_storage)``."""
    return storages["private"]


EXTENSIONS = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}


def private_file_name(folder: str, content_type: str) -> str:
    """A name nobody can guess for a file of the private storage, under ``folder``, its extension from its checked
    type (the name the person gave is kept in the database only). The ``upload_to`` functions of the models call
    it."""
    import secrets

    extension = EXTENSIONS.get(content_type, "bin")
    return f"{folder}/{secrets.token_hex(2)}/{secrets.token_urlsafe(24)}.{extension}"


def private_root() -> Path:
    return Path(settings.ESSAIM_PRIVATE_ROOT)


@checks.register(checks.Tags.security)
def check_private_root(app_configs=None, **kwargs):
    """The private root must not be inside a folder that a route or the web server serves, nor contain one."""
    private = Path(settings.ESSAIM_PRIVATE_ROOT).resolve()
    errors = []
    for name in ("MEDIA_ROOT", "STATIC_ROOT"):
        served = getattr(settings, name, None)
        if not served:
            continue
        served = Path(served).resolve()
        if private == served or private.is_relative_to(served) or served.is_relative_to(private):
            errors.append(
                checks.Error(
                    f"ESSAIM_PRIVATE_ROOT ({private}) overlaps {name} ({served}): private documents would be served.",
                    hint="Set ESSAIM_PRIVATE_ROOT to a folder outside MEDIA_ROOT and STATIC_ROOT.",
                    id="essaim.E101",
                )
            )
    return errors


@checks.register(checks.Tags.security)
def check_public_storage(app_configs=None, **kwargs):
    """Another storage of public uploads (``ESSAIM_STORAGES``) must still re-encode images."""
    from django.utils.module_loading import import_string

    backend = settings.STORAGES["default"]["BACKEND"]
    try:
        reencodes = issubclass(import_string(backend), ReencodeImagesMixin)
    except ImportError:
        return [checks.Error(f"STORAGES['default'] : {backend} cannot be imported.", id="essaim.E103")]
    if reencodes:
        return []
    return [
        checks.Warning(
            f"STORAGES['default'] ({backend}) does not re-encode uploaded images: their EXIF data (GPS position) "
            "would be published.",
            hint="Mix essaim.core.storage.ReencodeImagesMixin into it.",
            id="essaim.W102",
        )
    ]
