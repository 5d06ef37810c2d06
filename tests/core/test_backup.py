"""`essaim backup` and `essaim restore` end to end, on the engine of the run (SQLite, or PostgreSQL with
DATABASE_URL): a source instance with the demo of every app and files in the public and the private roots, backed
up, restored into a new empty database and empty folders; every row of every table and every file identical, the
search index rebuilt. The instances run in subprocesses, as a sysadmin runs the commands, on their own databases
(not the test database)."""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from essaim.core import backup as backup_module

ROOT = Path(__file__).resolve().parents[2]
ENGINE = "postgresql" if settings.DATABASES["default"]["ENGINE"].endswith("postgresql") else "sqlite"
PG_TOOLS_MISSING = ENGINE == "postgresql" and not (shutil.which("pg_dump") and shutil.which("pg_restore"))

# A structure the demo publishes, looked up through the rebuilt index after the restore.
SEARCH_CHECK = """
from essaim.directory.models import Structure
from essaim.search.indexer import index_status
from essaim.search.params import parse_search
from essaim.search.query import search_structures
structure = Structure.objects.published().order_by("pk").first()
result = search_structures(parse_search({"q": structure.name}).search)
print(structure.pk in result.ids, index_status()["documents"], Structure.objects.published().count())
"""


def _pg_admin():
    import psycopg

    db = settings.DATABASES["default"]
    return psycopg.connect(
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


def _pg_url(name):
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{name}"


class Instance:
    """One Essaim instance of its own: database, var folder, media and private roots, search index."""

    def __init__(self, base: Path, name: str):
        self.base = base / name
        self.var = self.base / "var"
        self.media = self.base / "media"
        self.private = self.base / "private"
        settings_dir = self.base / "settings"
        settings_dir.mkdir(parents=True)
        module = f"backup_settings_{uuid.uuid4().hex[:8]}"
        (settings_dir / f"{module}.py").write_text(
            textwrap.dedent(
                f"""\
                from config.settings import *  # noqa: F403
                MEDIA_ROOT = {str(self.media)!r}
                ESSAIM_PRIVATE_ROOT = {str(self.private)!r}
                """
            )
        )
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": module,
            "PYTHONPATH": os.pathsep.join([str(settings_dir), str(ROOT)]),
            "ESSAIM_VAR_DIR": str(self.var),
            "ESSAIM_SEARCH_INDEX_DIR": str(self.var / "index"),
            "ESSAIM_TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        }
        self.env.pop("MEDIA_ROOT", None)
        if ENGINE == "postgresql":
            self.database = f"essaim_backup_{name}_{uuid.uuid4().hex[:8]}"
            with _pg_admin() as admin:
                admin.execute(f'CREATE DATABASE "{self.database}"')
            self.env["DATABASE_URL"] = _pg_url(self.database)
        else:
            self.database = self.var / "essaim.sqlite3"
            self.env["DATABASE_URL"] = f"sqlite:///{self.database}"

    def essaim(self, *args, check=True):
        result = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "essaim.cli", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if check and result.returncode:
            raise AssertionError(f"essaim {' '.join(args)} a échoué :\n{result.stdout}\n{result.stderr}")
        return result

    def table_dumps(self) -> dict[str, list[tuple]]:
        """Every row of every table, ordered by all its columns."""
        if ENGINE == "postgresql":
            import psycopg

            with psycopg.connect(self.env["DATABASE_URL"]) as db:
                tables = [
                    name
                    for (name,) in db.execute(
                        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
                    )
                ]
                return {t: _ordered(db, t) for t in tables}
        db = sqlite3.connect(self.database)
        try:
            tables = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
            return {t: _ordered(db, t) for t in tables}
        finally:
            db.close()

    def files(self) -> dict[str, str]:
        return {
            f"{name}/{path.relative_to(root).as_posix()}": hashlib.sha256(path.read_bytes()).hexdigest()
            for name, root in (("media", self.media), ("private", self.private))
            for path in sorted(root.rglob("*"))
            if path.is_file()
        }

    def drop(self):
        if ENGINE == "postgresql":
            with _pg_admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')


def _ordered(db, table):
    columns = len(db.execute(f'SELECT * FROM "{table}" LIMIT 0').description)  # noqa: S608
    order = ", ".join(str(i) for i in range(1, columns + 1))
    return db.execute(f'SELECT * FROM "{table}" ORDER BY {order}').fetchall()  # noqa: S608


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """The demo (every app) in a migrated instance, plus files in both roots, and a backup of it."""
    if PG_TOOLS_MISSING and os.environ.get("CI") != "true":  # in CI, the round trip fails loudly instead
        pytest.skip("pg_dump et pg_restore absents du PATH : aller-retour sur PostgreSQL non testé")
    base = tmp_path_factory.mktemp("backup")
    instance = Instance(base, "source")
    try:
        instance.essaim("migrate", "--verbosity", "0")
        instance.essaim("demo")
        (instance.private / "grants" / "ab").mkdir(parents=True)
        (instance.private / "grants" / "ab" / "devis.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 40)
        (instance.media / "structures" / "logos").mkdir(parents=True)
        (instance.media / "structures" / "logos" / "logo é.png").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(5000))
        output = base / "backups"
        result = instance.essaim("backup", "--output", str(output))
        instance.backup = Path(result.stdout.strip().splitlines()[-1])
        yield instance
    finally:
        instance.drop()


@pytest.fixture
def target(tmp_path):
    instance = Instance(tmp_path, "target")
    yield instance
    instance.drop()


def _copy_of(backup: Path, tmp_path: Path) -> Path:
    copy = tmp_path / backup.name
    shutil.copytree(backup, copy)
    return copy


def test_backup_holds_the_database_every_file_and_a_manifest_sha256sum_can_check(source):
    """The manifest names the engine, the migrations, the row count of every table and the size and checksum of
    every file, public and private; SHA256SUMS checks with the standard tool."""
    manifest = json.loads((source.backup / "manifest.json").read_text())
    assert manifest["engine"] == ENGINE
    assert manifest["tables"]["directory_structure"] > 100
    assert manifest["tables"]["grants_applicationdocument"] > 0
    assert ["directory", "0001_initial"] in manifest["migrations"]
    saved = {f"{f['root']}/{f['path']}": f["sha256"] for f in manifest["files"]}
    assert saved == source.files()
    assert "private/grants/ab/devis.pdf" in saved
    # The demo's documents (in the private root, or under media/grants/private/ before it existed) and ours.
    assert len([name for name in saved if "/grants/" in name]) >= manifest["tables"]["grants_applicationdocument"] + 1
    assert not list(source.backup.parent.glob(".*partial"))
    if shutil.which("sha256sum"):
        check = subprocess.run(["sha256sum", "--check", "--quiet", "SHA256SUMS"], cwd=source.backup, check=False)  # noqa: S607
        assert check.returncode == 0


def test_restore_into_an_empty_instance_gives_back_every_row_every_file_and_the_search_index(source, target):
    """Round trip: a new empty database and empty folders get every row of every table (ids included) and every
    file byte for byte, and the search finds a structure."""
    result = target.essaim("restore", str(source.backup))
    assert "restaurée" in result.stdout
    source_tables, target_tables = source.table_dumps(), target.table_dumps()
    assert sorted(target_tables) == sorted(source_tables)
    different = [t for t in source_tables if source_tables[t] != target_tables[t]]
    assert different == []
    assert target.files() == source.files()
    found, documents, published = target.essaim("shell", "-c", SEARCH_CHECK).stdout.split()[-3:]
    assert found == "True"
    assert int(documents) == int(published) > 0
    if ENGINE == "postgresql":  # sequences go on after the restored ids: a new row does not collide
        created = target.essaim(
            "shell", "-c", "from essaim.accounts.models import User; print(User.objects.create(email='n@x.fr').pk)"
        )
        assert int(created.stdout.split()[-1]) > max(row[0] for row in source_tables["accounts_user"])


def _flip_a_byte(path: Path):
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("victim", ["files/private/grants/ab/devis.pdf", "database", "manifest.json", "SHA256SUMS"])
def test_a_changed_byte_anywhere_is_found_by_the_verification(source, tmp_path, victim):
    """A flipped byte in a private document, in the database dump, in the manifest or in the checksums."""
    copy = _copy_of(source.backup, tmp_path)
    if victim == "database":
        victim = json.loads((copy / "manifest.json").read_text())["database"]["path"]
    _flip_a_byte(copy / victim)
    with pytest.raises(backup_module.BackupError, match="(?i)somme de contrôle"):
        backup_module.verify(copy)


def test_a_file_added_or_removed_is_found_by_the_verification(source, tmp_path):
    extra = _copy_of(source.backup, tmp_path / "extra")
    (extra / "files" / "private" / "intrus.pdf").write_bytes(b"%PDF-")
    with pytest.raises(backup_module.BackupError, match="hors du manifeste"):
        backup_module.verify(extra)
    missing = _copy_of(source.backup, tmp_path / "missing")
    (missing / "files" / "private" / "grants" / "ab" / "devis.pdf").unlink()
    with pytest.raises(backup_module.BackupError, match="manquant"):
        backup_module.verify(missing)


def test_restore_of_a_corrupted_backup_is_refused_before_touching_the_instance(source, target, tmp_path):
    copy = _copy_of(source.backup, tmp_path)
    _flip_a_byte(copy / "files" / "private" / "grants" / "ab" / "devis.pdf")
    result = target.essaim("restore", str(copy), check=False)
    assert result.returncode != 0
    assert "Somme de contrôle différente : files/private/grants/ab/devis.pdf" in result.stderr
    assert "restauration refusée" in result.stderr
    assert target.files() == {}
    assert target.table_dumps() == {}  # not one table written


def test_restore_refuses_an_instance_with_data_unless_forced(source, target):
    """A migrated instance is empty (the seeded sectors do not count); one user makes it non-empty: refused,
    then accepted with --force."""
    target.essaim("migrate", "--verbosity", "0")
    target.essaim("shell", "-c", "from essaim.accounts.models import User; User.objects.create(email='a@x.fr')")
    refused = target.essaim("restore", str(source.backup), check=False)
    assert refused.returncode != 0
    assert "n'est pas vide (accounts_user)" in refused.stderr
    target.essaim("restore", "--force", str(source.backup))
    assert target.table_dumps()["accounts_user"] == source.table_dumps()["accounts_user"]


def test_restore_refuses_files_in_the_target_roots_unless_forced(source, target):
    target.private.mkdir(parents=True)
    (target.private / "reste.pdf").write_bytes(b"%PDF-")
    refused = target.essaim("restore", str(source.backup), check=False)
    assert refused.returncode != 0
    assert "fichiers de « private »" in refused.stderr


@pytest.mark.django_db
def test_a_freshly_migrated_instance_counts_as_empty():
    """Only the tables the migrations seed may hold rows in an empty instance (a new seed must be listed)."""
    assert backup_module.occupied_tables() == []


def test_storage_roots_read_at_run_time(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "m"
    settings.ESSAIM_PRIVATE_ROOT = tmp_path / "p"
    assert backup_module.storage_roots() == {"media": tmp_path / "m", "private": tmp_path / "p"}
    del settings.ESSAIM_PRIVATE_ROOT
    settings.STORAGES = {**settings.STORAGES, "private": {"OPTIONS": {"location": str(tmp_path / "q")}}}
    assert backup_module.storage_roots()["private"] == tmp_path / "q"


def test_a_root_inside_another_is_saved_once(tmp_path):
    (tmp_path / "m" / "grants" / "private").mkdir(parents=True)
    (tmp_path / "m" / "logo.png").write_bytes(b"a")
    (tmp_path / "m" / "grants" / "private" / "doc.pdf").write_bytes(b"b")
    roots = {"media": tmp_path / "m", "private": tmp_path / "m" / "grants" / "private"}
    listed = [(root, relative) for root, relative, _ in backup_module._root_files(roots)]
    assert listed == [("media", "logo.png"), ("private", "doc.pdf")]


def test_backup_refuses_an_output_inside_the_saved_files(settings, tmp_path):
    """A backup written into the media folder would back itself up."""
    settings.MEDIA_ROOT = tmp_path / "media"
    with pytest.raises(backup_module.BackupError, match="ne peut pas être dans les fichiers sauvegardés"):
        backup_module.backup(tmp_path / "media" / "sauvegardes")
    assert not (tmp_path / "media" / "sauvegardes").exists()
