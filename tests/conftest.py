"""The test harness: warnings are errors, no network, undefined template variables fail, same suite on SQLite
and PostgreSQL (chosen by DATABASE_URL)."""

import hashlib
import os
import sqlite3
import tempfile
from pathlib import Path

import pytest
from django.conf import settings


class InvalidTemplateVariable(str):
    """Makes ``{{ undefined }}`` fail a test instead of rendering an empty string (les-emplois does the same)."""

    def __mod__(self, other):
        raise AssertionError(f"Variable de gabarit indéfinie : {other!r}")


def pytest_configure(config):
    settings.TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = InvalidTemplateVariable("%s")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ESSAIM_DEFAULT_TERRITORY = ""
    settings.ESSAIM_MAP_TILES_URL = ""
    # A fast cache of the process; the shared ones (database, Redis) are tested in tests/core/test_limits*.py.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"}}
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3" and not database["TEST"].get("NAME"):
        # A file, not memory: tests with real concurrency open several connections to the same database. One
        # file per run (pid), so that two runs in one checkout never share it.
        database["TEST"]["NAME"] = str(Path(tempfile.gettempdir()) / f"essaim-test-{os.getpid()}.sqlite3")
    if os.environ.get("ESSAIM_TEST_GUARDS") == "off":
        remove_concurrency_guards(database)


def remove_concurrency_guards(database):
    """For tests/test_guards.py only, which runs the race tests in a process of their own with
    ESSAIM_TEST_GUARDS=off: each engine's guard removed (``select_for_update`` does nothing on PostgreSQL, SQLite's
    transactions begin DEFERRED instead of IMMEDIATE), every race test must fail."""
    from django.db.models.query import QuerySet

    QuerySet.select_for_update = lambda self, *args, **kwargs: self._chain()
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database["OPTIONS"]["transaction_mode"] = "DEFERRED"


def pytest_report_header(config):
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return f"essaim: database engine {engine} (DATABASE_URL {'set' if os.environ.get('DATABASE_URL') else 'unset'})"


def pytest_sessionstart(session):
    """A PostgreSQL that was asked for (DATABASE_URL) but cannot be reached fails the run loudly, never skips."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return
    import psycopg

    db = settings.DATABASES["default"]
    try:
        psycopg.connect(
            host=db["HOST"] or None,
            port=db["PORT"] or None,
            user=db["USER"],
            password=db["PASSWORD"] or None,
            dbname="postgres",
            connect_timeout=5,
        ).close()
    except psycopg.OperationalError as exc:
        pytest.exit(f"PostgreSQL demandé par DATABASE_URL mais injoignable : {exc}", returncode=3)


if "MUTANT_UNDER_TEST" in os.environ and settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":

    @pytest.fixture(scope="session")
    def django_db_setup(request, django_test_environment, django_db_blocker):
        """Under mutmut (``make mutation``) every mutant runs in a pytest session of its own: instead of migrating a
        new SQLite test database each time (seconds of CPU, more than most mutants' tests), the first session
        keeps a migrated copy (keyed by the migrations and Django's version) and the others start from it."""
        import django
        from django.test.utils import setup_databases
        from pytest_django.fixtures import _get_databases_for_setup

        root = Path(__file__).resolve().parent.parent
        migrations = sorted(root.joinpath("essaim").glob("*/migrations/*.py"))
        key = hashlib.sha256(django.get_version().encode())
        for migration in migrations:
            key.update(migration.read_bytes())
        template = Path(tempfile.gettempdir()) / f"essaim-mutmut-{key.hexdigest()[:16]}.sqlite3"
        name = settings.DATABASES["default"]["TEST"]["NAME"]
        if template.exists():
            with sqlite3.connect(template) as source, sqlite3.connect(name) as target:
                source.backup(target)
        aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
        with django_db_blocker.unblock():
            setup_databases(
                verbosity=0,
                interactive=False,
                aliases=aliases,
                serialized_aliases=serialized_aliases,
                keepdb=template.exists(),
            )
        if not template.exists():
            partial = template.with_suffix(f".{os.getpid()}.partial")
            with sqlite3.connect(name) as source, sqlite3.connect(partial) as target:
                source.backup(target)
            partial.replace(template)
        yield
        for leftover in (name, f"{name}-wal", f"{name}-shm"):
            Path(leftover).unlink(missing_ok=True)


@pytest.fixture(autouse=True)
def _media_root_and_index(request, tmp_path):
    """Uploads and the search index of a test live in its own temporary folder (except on the browser tests'
    ``demo_site``, whose module-wide demo has its own)."""
    if "demo_site" in request.fixturenames:
        return
    settings = request.getfixturevalue("settings")
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ESSAIM_PRIVATE_ROOT = tmp_path / "private"
    settings.ESSAIM_SEARCH_INDEX_DIR = tmp_path / "index"


@pytest.fixture(autouse=True)
def _clear_caches():
    from django.core.cache import cache

    from essaim.search.params import FACET_NAMES
    from essaim.territories import lookup

    cache.clear()
    FACET_NAMES.clear()
    lookup.forget()
    yield
    cache.clear()


@pytest.fixture
def geo_62(db):
    """The real official geography of the Pas-de-Calais (887 communes) and of the demo EPCI (the CC du Ternois
    has one commune in the Somme), loaded from the shipped file."""
    from essaim.territories.services import geo_import, read_communes_file

    demo_epcis = {"200072460", "200069672"}
    return geo_import(
        rows=(r for r in read_communes_file() if r["departement"] == "62" or r["epci_siren"] in demo_epcis)
    )


@pytest.fixture
def demo(geo_62):
    """The demo territories of the seeds (Artois Comm., the CABBALR, the Pays du Ternois)."""
    from essaim.territories.demo import load_demo_territories

    return load_demo_territories()
