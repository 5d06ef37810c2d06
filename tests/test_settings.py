"""Production settings refuse to start unsafe, and `check --deploy` is clean with them."""

import json
import os
import subprocess
import sys

import pytest

PYTHON = sys.executable
GOOD_SECRET = "x" * 30 + "-production-secret-for-the-test-only-" + "y" * 10


def run(args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ESSAIM_ENV", "DATABASE_URL"}}
    return subprocess.run(  # noqa: S603 -- our own interpreter and manage.py
        [PYTHON, "manage.py", *args], capture_output=True, text=True, env={**clean, **env}, timeout=120
    )


@pytest.mark.parametrize(
    "env,message",
    [
        ({"ESSAIM_ENV": "production", "SECRET_KEY": GOOD_SECRET, "DEBUG": "1"}, "DEBUG est activé"),
        ({"ESSAIM_ENV": "production"}, "SECRET_KEY manquante"),
        ({"ESSAIM_ENV": "production", "SECRET_KEY": "court"}, "SECRET_KEY manquante ou trop courte"),
    ],
)
def test_production_refuses_to_start_unsafe(env, message):
    result = run(["check"], **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_check_deploy_is_clean_in_production():
    result = run(
        ["check", "--deploy", "--fail-level", "WARNING"],
        ESSAIM_ENV="production",
        SECRET_KEY=GOOD_SECRET,
        ALLOWED_HOSTS="essaim.example",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_the_console_script_runs_django_commands():
    result = subprocess.run(  # noqa: S603
        [PYTHON, "-m", "essaim.cli", "help", "import_geo"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0
    assert "géographie officielle" in result.stdout


def settings_of(code, **env):
    """Runs ``code`` with Django's settings loaded from ``env``; returns what it printed."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "ESSAIM_STORAGES"}}
    script = f"import django, json; django.setup(); from django.conf import settings; {code}"
    return subprocess.run(  # noqa: S603 -- our own interpreter
        [PYTHON, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
    )


def test_replica_urls_become_aliases_mirroring_the_primary_with_the_router():
    result = settings_of(
        "print(json.dumps([sorted(settings.DATABASES), settings.DATABASE_ROUTERS, "
        "settings.DATABASES['replica_2']['OPTIONS'], settings.DATABASES['replica_2']['TEST'], "
        "settings.DATABASES['replica_2']['PORT']]))",
        DATABASE_URL="postgres://essaim@db1:5432/essaim",
        DATABASE_REPLICA_URLS="postgres://essaim@db2:5432/essaim, postgres://essaim@db3:5433/essaim",
        ESSAIM_REPLICA_CONNECT_TIMEOUT_S="3",
    )
    assert result.returncode == 0, result.stderr
    aliases, routers, options, test, port = json.loads(result.stdout)
    assert aliases == ["default", "replica_1", "replica_2"]
    assert routers == ["essaim.core.replicas.ReplicaRouter"]
    assert options == {"connect_timeout": 3} and test["MIRROR"] == "default" and port == 5433


def test_without_replicas_there_is_no_router():
    result = settings_of("print(json.dumps([sorted(settings.DATABASES), settings.DATABASE_ROUTERS]))")
    assert json.loads(result.stdout) == [["default"], []]


def test_a_replica_of_sqlite_is_refused():
    result = settings_of("print(1)", DATABASE_REPLICA_URLS="postgres://essaim@db2:5432/essaim")
    assert result.returncode != 0
    assert "des répliques PostgreSQL d'un primaire PostgreSQL" in result.stderr


def test_storages_are_chosen_by_environment_and_the_public_one_must_reencode_images():
    moved = json.dumps({"private": {"BACKEND": "essaim.core.storage.PrivateStorage", "OPTIONS": {"location": "/x"}}})
    result = settings_of("print(json.dumps(settings.STORAGES['private']))", ESSAIM_STORAGES=moved)
    assert json.loads(result.stdout) == json.loads(moved)["private"]
    plain = json.dumps({"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}})
    checked = run(["check", "--fail-level", "WARNING"], ESSAIM_STORAGES=plain)
    assert checked.returncode != 0 and "essaim.W102" in checked.stderr
    unknown = settings_of("print(1)", ESSAIM_STORAGES=json.dumps({"cloud": {"BACKEND": "x"}}))
    assert unknown.returncode != 0 and "« cloud » n'est pas un stockage connu" in unknown.stderr
