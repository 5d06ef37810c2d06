import re

from django.conf import settings
from django.core.exceptions import ValidationError

HEX_COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")


def _luminance(hex_color: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_with_white(hex_color: str) -> float:
    """WCAG contrast ratio between the colour and white text (1 to 21)."""
    return 1.05 / (_luminance(hex_color) + 0.05)


def validate_brand_color(value: str) -> None:
    """The brand band carries white text: RGAA asks a contrast of at least 4.5:1."""
    if not HEX_COLOR_RE.match(value or ""):
        raise ValidationError("Indiquez une couleur au format hexadécimal, par exemple #1f4e79.", code="color_format")
    ratio = contrast_with_white(value)
    if ratio < 4.5:
        raise ValidationError(
            "Cette couleur est trop claire : le texte blanc n'y serait pas lisible (contraste %(ratio)s:1, "
            "4,5:1 au moins attendu). Choisissez une teinte plus foncée.",
            code="color_contrast",
            params={"ratio": f"{ratio:.1f}".replace(".", ",")},
        )


def validate_image_size(file) -> None:
    limit = settings.ESSAIM_MAX_IMAGE_BYTES
    if file and file.size > limit:
        raise ValidationError(
            "L'image pèse %(size)s Ko ; %(limit)s Ko au plus.",
            code="image_too_large",
            params={"size": file.size // 1024, "limit": limit // 1024},
        )
