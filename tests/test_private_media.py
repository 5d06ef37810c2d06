"""Private documents are served only by the view that checks rights, whatever the path: they live outside
MEDIA_ROOT (ESSAIM_PRIVATE_ROOT), the media route refuses any spelling of a climb or of the old private folder, and
the migration moves the files an older version left under MEDIA_ROOT/grants/private/."""

import importlib
from pathlib import Path

import pytest

from essaim.core.storage import check_private_root

SECRET = b"%PDF-1.4 RIB IBAN FR76 secret"
NAME = "grants/private/ab/Xk2sQ9.pdf"
PATHS = [
    f"/media/{NAME}",
    f"/media//{NAME}",
    f"/media///{NAME}",
    "/media/grants//private/ab/Xk2sQ9.pdf",
    "/media/grants/x/../private/ab/Xk2sQ9.pdf",
    "/media/grants/./private/ab/Xk2sQ9.pdf",
    "/media/grants/x/%2e%2e/private/ab/Xk2sQ9.pdf",
    "/media/grants/x/%2E%2E/private/ab/Xk2sQ9.pdf",
    "/media/grants%2fprivate/ab/Xk2sQ9.pdf",
    "/media/grants%2Fprivate%2Fab%2FXk2sQ9.pdf",
    "/media/grants\\private\\ab\\Xk2sQ9.pdf",
    "/media/grants%5cprivate%5cab%5cXk2sQ9.pdf",
    "/media/GRANTS/Private/ab/Xk2sQ9.pdf",
    "/media/%2fgrants/private/ab/Xk2sQ9.pdf",
    "/media/../private/grants/private/ab/Xk2sQ9.pdf",
    "/media/%2e%2e/private/grants/private/ab/Xk2sQ9.pdf",
    "/media/..%2fprivate/grants/private/ab/Xk2sQ9.pdf",
    "/media/..\\private\\grants\\private\\ab\\Xk2sQ9.pdf",
    "/media/logos/%2e%2e/%2e%2e/private/grants/private/ab/Xk2sQ9.pdf",
]


@pytest.fixture
def files(settings):
    """A public logo, a private document where it now lives, and a leftover copy where older versions kept it."""
    media, private = Path(settings.MEDIA_ROOT), Path(settings.ESSAIM_PRIVATE_ROOT)
    for root in (media, private):
        (root / NAME).parent.mkdir(parents=True)
        (root / NAME).write_bytes(SECRET)
    (media / "logos").mkdir()
    (media / "logos" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\nlogo")
    return media, private


def test_a_public_upload_is_still_served(client, files):
    response = client.get("/media/logos/logo.png")
    assert response.status_code == 200 and b"".join(response.streaming_content).endswith(b"logo")


@pytest.mark.parametrize("path", PATHS)
def test_no_spelling_of_a_private_path_is_served_without_a_login(client, files, path):
    response = client.get(path)
    assert response.status_code in (400, 404), path
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"IBAN" not in body


def test_the_private_root_is_outside_media_root_and_has_no_url(settings):
    from essaim.core.storage import private_storage

    storage = private_storage()
    assert Path(storage.location) == Path(settings.ESSAIM_PRIVATE_ROOT).resolve()
    assert not Path(storage.location).is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    with pytest.raises(ValueError, match="no public URL"):
        storage.url(NAME)


def test_a_private_root_inside_media_root_fails_the_system_check(settings, tmp_path):
    assert check_private_root() == []
    settings.ESSAIM_PRIVATE_ROOT = Path(settings.MEDIA_ROOT) / "private"
    (error,) = check_private_root()
    assert error.id == "essaim.E101"


def test_the_migration_moves_documents_left_under_media_root_and_back(settings, files):
    media, private = files
    (private / NAME).unlink()
    (media / "grants" / "private" / "cd").mkdir()
    (media / "grants" / "private" / "cd" / "other.png").write_bytes(b"png")
    migration = importlib.import_module("essaim.grants.migrations.0003_private_documents_storage")
    migration.to_private_root(None, None)
    assert (private / NAME).read_bytes() == SECRET
    assert (private / "grants" / "private" / "cd" / "other.png").read_bytes() == b"png"
    assert not (media / "grants" / "private").exists()
    assert (media / "logos" / "logo.png").exists()  # public files stay
    migration.to_media_root(None, None)
    assert (media / NAME).read_bytes() == SECRET and not (private / NAME).exists()


def test_the_migration_never_overwrites_a_file_already_in_the_private_root(settings, files):
    media, private = files
    (private / NAME).write_bytes(b"newer")
    importlib.import_module("essaim.grants.migrations.0003_private_documents_storage").to_private_root(None, None)
    assert (private / NAME).read_bytes() == b"newer" and (media / NAME).read_bytes() == SECRET
