"""Uploaded images, decoded and encoded again with Pillow before they are stored: what is kept is the picture alone,
without its metadata (EXIF: GPS position, camera, comments) nor any bytes hidden after the image data, in the format
its name announces. Used by the grant documents (private) and by the public media storage (logos, event images)."""

import io
import warnings

MAX_IMAGE_PIXELS = 40_000_000  # a 40-megapixel photo; more is a decompression bomb, not a scan or a logo
TOO_MANY_PIXELS = "Cette image est trop grande (plus de 40 millions de pixels) : réduisez-la avant de la déposer."
BROKEN = "Cette image est illisible ou endommagée."


class ImageRefused(ValueError):
    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message, self.code = message, code


def reencode(stream, image_format: str) -> bytes:
    """The image read from ``stream``, encoded again as ``image_format`` (``PNG``, ``JPEG`` or ``WEBP``); the EXIF
    orientation is applied to the pixels. Raises :class:`ImageRefused` (French message) for an unreadable image or
    one of more than ``MAX_IMAGE_PIXELS`` pixels (checked before decoding)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    stream.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(stream) as image:
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    raise ImageRefused(TOO_MANY_PIXELS, "image_too_big")
                image.load()
                clean = ImageOps.exif_transpose(image)
                out = io.BytesIO()
                if image_format == "JPEG":
                    if clean.mode not in ("RGB", "L", "CMYK"):
                        clean = clean.convert("RGB")
                    clean.save(out, format="JPEG", quality=90, optimize=True)
                elif image_format == "WEBP":
                    clean.save(out, format="WEBP", quality=90)
                else:
                    clean.save(out, format="PNG", optimize=True)
    except ImageRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRefused(TOO_MANY_PIXELS, "image_too_big") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ImageRefused(BROKEN, "broken_image") from exc
    finally:
        stream.seek(0)
    return out.getvalue()
