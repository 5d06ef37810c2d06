"""Checks on the documents people join to an application: type read from the content (never from the name or the
browser's word), size limit."""

from django.conf import settings
from django.core.exceptions import ValidationError

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
SIGNATURES = [
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
]


def max_document_bytes() -> int:
    return getattr(settings, "ESSAIM_GRANTS_MAX_DOCUMENT_BYTES", MAX_DOCUMENT_BYTES)


def sniff_content_type(upload) -> str:
    """Reads the first bytes of the file and returns its real type, or raises a ``ValidationError`` in French."""
    size = upload.size
    limit = max_document_bytes()
    if size == 0:
        raise ValidationError("Le fichier est vide.", code="empty")
    if size > limit:
        raise ValidationError(
            f"Le fichier pèse {size / 1_048_576:.1f} Mo : la limite est de {limit / 1_048_576:.0f} Mo.".replace(
                ".", ","
            ),
            code="too_big",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            if content_type != "application/pdf":
                _check_image(upload)
            return content_type
    raise ValidationError(
        "Ce fichier n'est ni un PDF, ni une image PNG ou JPEG (son contenu a été vérifié, pas seulement son nom).",
        code="type",
    )


def _check_image(upload):
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(upload) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ValidationError("Cette image est illisible ou endommagée.", code="broken_image") from exc
    finally:
        upload.seek(0)
