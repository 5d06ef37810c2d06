"""Public images (territory logos, campaign and event images) are re-encoded by the media storage before they are
written: no EXIF GPS position nor hidden payload reaches MEDIA_ROOT, whichever form or admin page uploaded them."""

import io

import pytest
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from essaim.core.images import ImageRefused, reencode
from tests.agenda.factories import CampaignFactory
from tests.images import jpeg_with_gps, png_claiming


def test_an_image_saved_to_the_public_storage_loses_its_exif_and_trailing_bytes(settings):
    name = default_storage.save(
        "territories/logos/logo.jpg", ContentFile(jpeg_with_gps() + b"<?php system($_GET[c]);")
    )
    with default_storage.open(name, "rb") as handle:
        stored = handle.read()
    assert b"SpyCam" not in stored and b"Exif" not in stored and b"<?php" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG" and image.size == (40, 30)


def test_a_campaign_image_uploaded_through_its_field_is_re_encoded(db):
    campaign = CampaignFactory(image=SimpleUploadedFile("affiche.jpg", jpeg_with_gps(), content_type="image/jpeg"))
    with campaign.image.open("rb") as handle:
        assert b"SpyCam" not in handle.read()


def test_an_image_named_png_is_stored_as_a_png_whatever_it_held():
    name = default_storage.save("agenda/events/photo.png", ContentFile(jpeg_with_gps()))
    with default_storage.open(name, "rb") as handle:
        assert handle.read(8) == b"\x89PNG\r\n\x1a\n"


def test_a_decompression_bomb_is_refused_by_the_storage():
    with pytest.raises(SuspiciousFileOperation):
        default_storage.save("territories/logos/bomb.png", ContentFile(png_claiming(20_000, 20_000)))
    with pytest.raises(ImageRefused) as info:
        reencode(io.BytesIO(png_claiming(20_000, 20_000)), "PNG")
    assert info.value.code == "image_too_big" and "40 millions de pixels" in info.value.message


def test_other_files_are_written_as_they_are():
    name = default_storage.save("exports/structures.csv", ContentFile(b"a;b\r\n"))
    with default_storage.open(name, "rb") as handle:
        assert handle.read() == b"a;b\r\n"
