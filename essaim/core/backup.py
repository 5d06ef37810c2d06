"""Backups that restore: the database and every uploaded file, with a manifest and checksums (docs/operations.md,
"Backup and restore").

A backup is one folder, ``essaim-<UTC date>``, written under a temporary name and renamed when complete:

- ``database.sqlite3`` (SQLite's online backup API, page by page: safe while the site runs) or ``database.pgdump``
  (``pg_dump --format=custom`` on the snapshot where the rows were counted; dbbackup's connector settings give
  its connection arguments);
- ``files/<root>/<path>``: every file of each storage root (``media``: ``MEDIA_ROOT``; ``private``:
  ``ESSAIM_PRIVATE_ROOT`` or the location of a ``private`` storage, when the settings have one);
- ``manifest.json``: format version, date, engine, Essaim version, applied migrations, row count of every table,
  size and SHA-256 of every file;
- ``SHA256SUMS``: the same checksums, manifest included, in the format ``sha256sum -c`` reads.

Everything is streamed (files copied by chunks, the database page by page or by ``pg_dump``): memory does not grow
with the size of the instance. ``restore`` checks every checksum before it touches anything, refuses an instance
that holds data unless forced, restores, checks the row counts against the manifest, brings the schema up to the
code's migrations, and rebuilds the search index.

django-dbbackup's own commands are not used: its SQLite connectors hold the whole dump in memory (a ``BytesIO``,
an unbounded ``SpooledTemporaryFile``) and overwrite the database file under a live WAL journal, and it backs up
one media root without a manifest of the files.
"""

import datetime
import hashlib
import io
import json
import os
import shlex
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, connections

import essaim

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
FILES = "files"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
CHUNK = 1024 * 1024
# Tables the migrations fill on a new instance (the sector taxonomy): rows there do not make an instance non-empty.
SEEDED_TABLES = frozenset({"directory_sector"})


class BackupError(Exception):
    """A backup that cannot be written, or one that must not be restored: the message is for the operator."""


# Storage roots ----------------------------------------------------------------------------------------------


def storage_roots() -> dict[str, Path]:
    """The folders of uploaded files, by name, read from the settings at run time. A root inside another one is
    saved once, under its own name (the other's walk skips it)."""
    roots = {"media": Path(settings.MEDIA_ROOT)}
    private = getattr(settings, "ESSAIM_PRIVATE_ROOT", None)
    if not private:
        private = (getattr(settings, "STORAGES", {}).get("private") or {}).get("OPTIONS", {}).get("location")
    if private:
        roots["private"] = Path(private)
    return roots


def _walk(root: Path, skip: set[Path]):
    """Every regular file under ``root`` (relative POSIX path, absolute path), sorted, without the ``skip``
    folders; symbolic links are not followed."""
    if not root.is_dir():
        return
    for directory, dirnames, filenames in os.walk(root):
        here = Path(directory)
        dirnames[:] = sorted(d for d in dirnames if (here / d).resolve() not in skip and not (here / d).is_symlink())
        for name in sorted(filenames):
            path = here / name
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(root).as_posix(), path


def _root_files(roots: dict[str, Path]):
    resolved = {name: root.resolve() for name, root in roots.items()}
    for name, root in resolved.items():
        skip = {other for other_name, other in resolved.items() if other_name != name and other.is_relative_to(root)}
        for relative, path in _walk(root, skip):
            yield name, relative, path


def _copy(source: Path, target: Path) -> tuple[int, str]:
    """Copies by chunks and returns the size and SHA-256 of what was copied."""
    digest = hashlib.sha256()
    size = 0
    target.parent.mkdir(parents=True, exist_ok=True)
    with source.open("rb") as src, target.open("wb") as dst:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            dst.write(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def _digest(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


# Database ---------------------------------------------------------------------------------------------------


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(f"Moteur de base de données non pris en charge par la sauvegarde : {vendor}.")
    return vendor


def _sqlite_path() -> Path:
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        raise BackupError("Une base SQLite en mémoire ne se sauvegarde pas.")
    return Path(name)


def _quote(table: str) -> str:
    return '"' + table.replace('"', '""') + '"'


def _sqlite_tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    return [name for (name,) in rows]


def _counts(cursor_execute, tables) -> dict[str, int]:
    return {table: cursor_execute(f"SELECT COUNT(*) FROM {_quote(table)}") for table in tables}  # noqa: S608


def _migrations_of(rows) -> list[list[str]]:
    return sorted([app, name] for app, name in rows)


def _backup_sqlite(target: Path) -> tuple[dict[str, int], list[list[str]]]:
    """SQLite's online backup from a connection of its own (without the site's page cache and memory map, so the
    process stays small), then the counts read from the copy: the copy is one consistent state."""
    source = sqlite3.connect(f"{_sqlite_path().resolve().as_uri()}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        # All pages in one step: one read transaction, which WAL lets writers go on beside (a stepped copy restarts
        # each time another connection writes).
        source.backup(copy)
    finally:
        source.close()
    try:
        copy.execute("PRAGMA journal_mode=DELETE")  # the copy is one self-contained file, without a WAL beside it
        tables = _sqlite_tables(copy)
        counts = _counts(lambda sql: copy.execute(sql).fetchone()[0], tables)
        migrations = _migrations_of(copy.execute("SELECT app, name FROM django_migrations")) if tables else []
    finally:
        copy.close()
    return counts, migrations


def _pg_connection_args() -> tuple[list[str], dict[str, str]]:
    """The ``--dbname`` argument and libpq environment of the command-line tools, as django-dbbackup builds them
    from the database settings (TLS options, password)."""
    from dbbackup.db.base import get_connector
    from dbbackup.db.postgresql import parse_postgres_settings

    cmd_part, env = parse_postgres_settings(get_connector(connection.alias))
    return shlex.split(cmd_part), {**os.environ, **{k: str(v) for k, v in env.items()}}


def _pg_tables(cursor) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    return [name for (name,) in cursor.fetchall()]


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)  # noqa: S603
    if result.returncode:
        message = result.stderr.decode(errors="replace").strip()[-2000:]
        raise BackupError(f"{command[0]} a échoué (code {result.returncode}) : {message}")


def _backup_postgresql(target: Path) -> tuple[dict[str, int], list[list[str]]]:
    """``pg_dump`` reads the snapshot where the rows were counted (exported from a repeatable-read transaction
    held open meanwhile): the manifest describes exactly the dump."""
    dbname, env = _pg_connection_args()
    connection.ensure_connection()
    raw = connection.connection
    previous = raw.autocommit
    raw.autocommit = False
    try:
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            tables = _pg_tables(cursor)

            def count(sql):
                cursor.execute(sql)
                return cursor.fetchone()[0]

            counts = _counts(count, tables)
            migrations = []
            if "django_migrations" in tables:
                cursor.execute("SELECT app, name FROM django_migrations")
                migrations = _migrations_of(cursor.fetchall())
            _run(
                ["pg_dump", *dbname, "--format=custom", f"--snapshot={snapshot}", "--no-owner", "--no-privileges",
                 f"--file={target}"],
                env,
            )  # fmt: skip
        raw.rollback()
    finally:
        raw.autocommit = previous
    return counts, migrations


# Backup -----------------------------------------------------------------------------------------------------


def backup(output: Path, *, log=None) -> Path:
    """Writes a complete backup in a new folder under ``output`` and returns its path. Nothing is left under the
    final name unless the backup is complete."""
    log = log or (lambda message: None)
    engine = _engine()
    output = Path(output)
    for name, root in storage_roots().items():
        if output.resolve().is_relative_to(root.resolve()):
            raise BackupError(f"Le dossier de sauvegarde ne peut pas être dans les fichiers sauvegardés ({name}).")
    output.mkdir(parents=True, exist_ok=True)
    now = datetime.datetime.now(datetime.UTC)
    final = output / f"essaim-{now:%Y%m%dT%H%M%SZ}"
    if final.exists():
        raise BackupError(f"{final} existe déjà.")
    partial = output / f".{final.name}.partial"
    if partial.exists():
        shutil.rmtree(partial)
    partial.mkdir()
    try:
        started = time.monotonic()
        database_file = DATABASE_FILES[engine]
        counts, migrations = (_backup_sqlite if engine == "sqlite" else _backup_postgresql)(partial / database_file)
        size, digest = _digest(partial / database_file)
        log(f"Base de données : {sum(counts.values())} lignes, {size} octets en {time.monotonic() - started:.1f} s.")
        started = time.monotonic()
        files = []
        for root, relative, path in _root_files(storage_roots()):
            file_size, file_digest = _copy(path, partial / FILES / root / relative)
            files.append({"root": root, "path": relative, "size": file_size, "sha256": file_digest})
        log(f"Fichiers : {len(files)}, {sum(f['size'] for f in files)} octets en {time.monotonic() - started:.1f} s.")
        manifest = {
            "format": "essaim-backup",
            "version": FORMAT_VERSION,
            "date": now.isoformat(timespec="seconds"),
            "engine": engine,
            "essaim_version": essaim.__version__,
            "migrations": migrations,
            "tables": counts,
            "database": {"path": database_file, "size": size, "sha256": digest},
            "files": files,
        }
        with (partial / MANIFEST).open("w", encoding="utf-8") as file:
            json.dump(manifest, file, ensure_ascii=False, indent=1)
        with (partial / SUMS).open("w", encoding="utf-8") as sums:
            sums.write(f"{_digest(partial / MANIFEST)[1]}  {MANIFEST}\n")
            sums.write(f"{digest}  {database_file}\n")
            for entry in files:
                sums.write(f"{entry['sha256']}  {FILES}/{entry['root']}/{entry['path']}\n")
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return final


# Verify -----------------------------------------------------------------------------------------------------


def _inside(base: Path, relative: str) -> Path:
    path = (base / relative).resolve()
    if not path.is_relative_to(base.resolve()) or relative.startswith("/"):
        raise BackupError(f"Chemin refusé dans la sauvegarde : {relative}")
    return path


def verify(directory: Path) -> dict:
    """Checks every checksum of a backup and returns its manifest; raises ``BackupError`` at the first
    difference (a changed byte, a missing or an extra file)."""
    directory = Path(directory)
    sums_path, manifest_path = directory / SUMS, directory / MANIFEST
    if not sums_path.is_file() or not manifest_path.is_file():
        raise BackupError(f"{directory} n'est pas une sauvegarde d'Essaim ({MANIFEST} ou {SUMS} manquant).")
    expected = {}
    for line in sums_path.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        expected[name] = digest
    if expected.get(MANIFEST) != _digest(manifest_path)[1]:
        raise BackupError(f"Somme de contrôle différente : {MANIFEST}. Sauvegarde altérée, restauration refusée.")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if manifest.get("format") != "essaim-backup" or manifest.get("version") != FORMAT_VERSION:
        raise BackupError(f"Format de sauvegarde inconnu : {manifest.get('format')} {manifest.get('version')}.")
    entries = [(manifest["database"]["path"], manifest["database"])]
    entries += [(f"{FILES}/{f['root']}/{f['path']}", f) for f in manifest["files"]]
    listed = {MANIFEST, SUMS}
    for name, entry in entries:
        path = _inside(directory, name)
        listed.add(name)
        if expected.get(name) != entry["sha256"]:
            raise BackupError(f"{name} : somme de contrôle absente de {SUMS} ou différente du manifeste.")
        if not path.is_file():
            raise BackupError(f"Fichier manquant dans la sauvegarde : {name}.")
        size, digest = _digest(path)
        if (size, digest) != (entry["size"], entry["sha256"]):
            raise BackupError(f"Somme de contrôle différente : {name}. Sauvegarde altérée, restauration refusée.")
    extra = sorted(
        path.relative_to(directory).as_posix()
        for path in directory.rglob("*")
        if path.is_file() and path.relative_to(directory).as_posix() not in listed
    )
    if extra or set(expected) - listed:
        raise BackupError(f"Fichiers hors du manifeste : {', '.join((extra or sorted(set(expected) - listed))[:5])}.")
    return manifest


# Restore ----------------------------------------------------------------------------------------------------


def essaim_tables() -> list[str]:
    """The tables of Essaim's own apps (not Django's sessions, permissions or content types)."""
    return sorted(
        {
            model._meta.db_table
            for config in apps.get_app_configs()
            if config.name.startswith("essaim.")
            for model in config.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
    )


def occupied_tables() -> list[str]:
    """The tables of Essaim's apps that hold rows, beside what the migrations seed: an empty instance has none."""
    existing = set(connection.introspection.table_names())
    occupied = []
    with connection.cursor() as cursor:
        for table in essaim_tables():
            if table in existing and table not in SEEDED_TABLES:
                cursor.execute(f"SELECT 1 FROM {_quote(table)} LIMIT 1")  # noqa: S608
                if cursor.fetchone():
                    occupied.append(table)
    return occupied


def occupied_roots() -> list[str]:
    return [name for name, root in storage_roots().items() if next(_walk(root, set()), None)]


def _code_migrations() -> set[tuple[str, str]]:
    from django.db.migrations.loader import MigrationLoader

    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def _restore_sqlite(source: Path) -> None:
    """Copies the backup into the configured database through SQLite's backup API: one transaction of the
    target, so that a running process never sees a half-restored file, and its WAL journal stays consistent."""
    target = _sqlite_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    connections.close_all()
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    dst = sqlite3.connect(target, timeout=60)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def _restore_postgresql(source: Path) -> None:
    """Drops the tables of the target's schema (those of another version of Essaim included), then
    ``pg_restore`` in one transaction: ids, sequences, constraints and indexes come back as they were."""
    dbname, env = _pg_connection_args()
    with connection.cursor() as cursor:
        tables = _pg_tables(cursor)
        if tables:
            cursor.execute("DROP TABLE " + ", ".join(_quote(t) for t in tables) + " CASCADE")
    connections.close_all()
    _run(
        ["pg_restore", *dbname, "--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges",
         str(source)],
        env,
    )  # fmt: skip


def _check_counts(manifest: dict) -> None:
    if connection.vendor == "sqlite":
        # A connection of its own: the site's (64 MB page cache, memory map) would grow with the database it scans.
        db = sqlite3.connect(f"{_sqlite_path().resolve().as_uri()}?mode=ro", uri=True)
        try:
            tables = set(_sqlite_tables(db))
            counts = _counts(lambda sql: db.execute(sql).fetchone()[0], [t for t in manifest["tables"] if t in tables])
        finally:
            db.close()
    else:
        with connection.cursor() as cursor:
            tables = set(_pg_tables(cursor))

            def count(sql):
                cursor.execute(sql)
                return cursor.fetchone()[0]

            counts = _counts(count, [t for t in manifest["tables"] if t in tables])
    differences = [t for t, n in manifest["tables"].items() if counts.get(t) != n]
    if differences:
        raise BackupError(f"Après restauration, nombre de lignes différent du manifeste : {', '.join(differences)}.")


def restore(directory: Path, *, force: bool = False, reindex: bool = True, log=None) -> dict:
    """Restores a verified backup into this instance, which must be empty (no row in Essaim's tables beside the
    seeded ones, no uploaded file) unless ``force``. Returns the manifest."""
    from django.core.management import call_command

    log = log or (lambda message: None)
    directory = Path(directory)
    started = time.monotonic()
    manifest = verify(directory)
    log(f"Sommes de contrôle vérifiées ({len(manifest['files']) + 1} fichiers) en {time.monotonic() - started:.1f} s.")
    engine = _engine()
    if manifest["engine"] != engine:
        raise BackupError(
            f"Sauvegarde faite sur {manifest['engine']}, instance sur {engine} : restaurez sur le même moteur."
        )
    unknown = {tuple(m) for m in manifest["migrations"]} - _code_migrations()
    if unknown:
        names = ", ".join(f"{app}.{name}" for app, name in sorted(unknown)[:5])
        raise BackupError(f"Sauvegarde d'une version plus récente d'Essaim (migrations inconnues : {names}).")
    if not force:
        tables, roots = occupied_tables(), occupied_roots()
        if tables or roots:
            what = ", ".join(tables[:5] + [f"fichiers de « {r} »" for r in roots])
            raise BackupError(f"L'instance n'est pas vide ({what}) : restauration refusée sans --force.")

    started = time.monotonic()
    source = directory / manifest["database"]["path"]
    (_restore_sqlite if engine == "sqlite" else _restore_postgresql)(source)
    _check_counts(manifest)
    log(f"Base de données restaurée en {time.monotonic() - started:.1f} s.")

    started = time.monotonic()
    roots = storage_roots()
    for entry in manifest["files"]:
        root = roots.get(entry["root"])
        if root is None:
            raise BackupError(f"Racine de fichiers « {entry['root']} » absente des réglages de cette instance.")
        target = _inside(root, entry["path"])
        temporary = target.with_name(f".{target.name}.restoring")
        size, digest = _copy(directory / FILES / entry["root"] / entry["path"], temporary)
        if (size, digest) != (entry["size"], entry["sha256"]):
            temporary.unlink()
            raise BackupError(f"Fichier modifié pendant la restauration : {entry['root']}/{entry['path']}.")
        temporary.replace(target)
    log(f"Fichiers restaurés : {len(manifest['files'])} en {time.monotonic() - started:.1f} s.")

    if _code_migrations() - {tuple(m) for m in manifest["migrations"]}:
        call_command("migrate", interactive=False, verbosity=0)
        log("Schéma mis à jour vers la version du code (migrate).")
    if reindex:  # through the command: core does not import the search app (docs/architecture.md)
        out = io.StringIO()
        call_command("reindex", drop=True, no_progress=True, stdout=out)
        log(f"Index de recherche reconstruit : {out.getvalue().strip()}")
    return manifest
