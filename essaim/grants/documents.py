"""Checks on the documents people join to an application: type read from the content (never from the name or the
browser's word), size limit, and content that cannot carry an attack.

- A PDF is parsed (pikepdf): a file that does not parse, has no page, or carries JavaScript, automatic actions
  (``/OpenAction``, ``/AA``), a launch action, embedded files or an XFA form is refused — an HTML page that starts
  with ``%PDF-`` does not parse.
- A PNG or JPEG image is decoded and encoded again (Pillow): what is stored is the new image, without its metadata
  (EXIF: GPS position, camera) nor anything hidden after the image data.
"""

import io

from django.conf import settings
from django.core.exceptions import ValidationError

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
MAX_PDF_OBJECTS = 500_000  # a walk bound: a 5 MB PDF holds far fewer objects
SIGNATURES = [
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
]
REPRINT = (
    "Par sécurité, il est refusé : imprimez-le en PDF (« Imprimer », puis « Enregistrer au format PDF ») et déposez "
    "la copie obtenue."
)
# What a PDF may not carry: a key anywhere in the file, or a key with a given name as its value.
FORBIDDEN_KEYS = {
    "/JS": "javascript",
    "/JavaScript": "javascript",
    "/OpenAction": "automatic_action",
    "/AA": "automatic_action",
    "/Launch": "launch",
    "/EmbeddedFiles": "embedded_file",
    "/EF": "embedded_file",
    "/XFA": "xfa",
    "/RichMedia": "embedded_file",
}
FORBIDDEN_VALUES = {
    ("/S", "/JavaScript"): "javascript",
    ("/S", "/Launch"): "launch",
    ("/S", "/GoToE"): "embedded_file",
    ("/S", "/RichMediaExecute"): "javascript",
    ("/Subtype", "/FileAttachment"): "embedded_file",
    ("/Subtype", "/RichMedia"): "embedded_file",
    ("/Type", "/EmbeddedFile"): "embedded_file",
}
WHAT = {
    "javascript": "du JavaScript",
    "automatic_action": "une action automatique (à l'ouverture du fichier ou d'une page)",
    "launch": "une commande qui lance un programme",
    "embedded_file": "des fichiers joints",
    "xfa": "un formulaire XFA",
}


def max_document_bytes() -> int:
    return getattr(settings, "ESSAIM_GRANTS_MAX_DOCUMENT_BYTES", MAX_DOCUMENT_BYTES)


def sniff_content_type(upload) -> str:
    """Reads the file and returns its real type, or raises a ``ValidationError`` in French. A PDF is parsed and
    checked; an image is re-encoded in place (``upload`` then holds the clean image, ``upload.size`` its size)."""
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
            if content_type == "application/pdf":
                check_pdf(upload)
            else:
                reencode_image(upload, content_type)
            return content_type
    raise ValidationError(
        "Ce fichier n'est ni un PDF, ni une image PNG ou JPEG (son contenu a été vérifié, pas seulement son nom).",
        code="type",
    )


def check_pdf(upload) -> None:
    """Parses the PDF and refuses it (``ValidationError``) if it does not parse or carries active content."""
    import pikepdf

    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) == 0:
                raise ValidationError("Ce PDF n'a aucune page.", code="pdf_empty")
            found = _forbidden_content(pdf)
    except pikepdf.PasswordError as exc:
        raise ValidationError(
            "Ce PDF est protégé par un mot de passe : déposez-le sans protection.", code="pdf_encrypted"
        ) from exc
    except (pikepdf.PdfError, pikepdf.ForeignObjectError, ValueError, RecursionError) as exc:
        raise ValidationError(
            "Ce fichier se présente comme un PDF mais n'en est pas un lisible (il est peut-être endommagé).",
            code="pdf_broken",
        ) from exc
    if found:
        raise ValidationError(f"Ce PDF contient {WHAT[found]}. {REPRINT}", code=f"pdf_{found}")


def _forbidden_content(pdf) -> str | None:
    """Walks every object reachable from the trailer (each indirect object once) and returns the first kind of
    forbidden content met, or None."""
    import pikepdf

    seen = set()
    stack = [pdf.trailer]
    steps = 0
    while stack:
        obj = stack.pop()
        steps += 1
        if steps > MAX_PDF_OBJECTS:
            raise ValueError("too many objects")
        if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream, pikepdf.Array)) and obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        if isinstance(obj, pikepdf.Array):
            stack.extend(obj)
            continue
        if not isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            continue
        for key in obj.keys():
            if key in FORBIDDEN_KEYS:
                return FORBIDDEN_KEYS[key]
            value = obj.get(key)
            if isinstance(value, pikepdf.Name) and (key, str(value)) in FORBIDDEN_VALUES:
                return FORBIDDEN_VALUES[(key, str(value))]
            stack.append(value)
    return None


def reencode_image(upload, content_type: str) -> None:
    """Decodes the image and writes it back encoded again, in place (``essaim.core.images``): no metadata (EXIF
    GPS, comments) nor trailing bytes remain. Refuses an unreadable image or a decompression bomb."""
    from essaim.core.images import ImageRefused, reencode

    try:
        data = reencode(upload, "JPEG" if content_type == "image/jpeg" else "PNG")
    except ImageRefused as exc:
        raise ValidationError(exc.message, code=exc.code) from exc
    upload.seek(0)
    upload.truncate()
    upload.write(data)
    if hasattr(upload, "flush"):
        upload.flush()
    upload.seek(0)
    upload.size = len(data)
