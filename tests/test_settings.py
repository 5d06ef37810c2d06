"""Production settings refuse to start unsafe, and `check --deploy` is clean with them."""

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
