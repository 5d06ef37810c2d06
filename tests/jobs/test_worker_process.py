"""``essaim worker`` as a service manager runs it: a separate process on the same database, selected by
ESSAIM_TASKS_BACKEND, that runs what the web process enqueued and stops cleanly on SIGTERM."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from essaim.jobs.enums import JobStatus
from essaim.jobs.models import Job
from tests.jobs import sample_tasks

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    """The URL of the test database this process uses, for the worker process to open the same one."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_the_worker_process_runs_enqueued_tasks_then_stops_cleanly_on_sigterm(database_tasks, tmp_path):
    result = sample_tasks.record.enqueue(8, label="web")
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "ESSAIM_TASKS_BACKEND", "ESSAIM_ENV"}},
        "DATABASE_URL": database_url(),
        "ESSAIM_TASKS_BACKEND": "database",
        "ESSAIM_VAR_DIR": str(tmp_path / "var"),
    }
    worker = subprocess.Popen(  # noqa: S603 -- our own interpreter and manage.py
        [sys.executable, "manage.py", "worker", "--interval", "0.2", "--no-schedule"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and Job.objects.get(pk=result.id).status != JobStatus.SUCCESSFUL:
            assert worker.poll() is None, worker.communicate()
            time.sleep(0.2)
        assert Job.objects.get(pk=result.id).return_value == 16
        worker.send_signal(signal.SIGTERM)
        out, err = worker.communicate(timeout=20)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.communicate()
    assert worker.returncode == 0, err
    assert "Worker arrêté après 1 tâche(s)." in out
    assert "Arrêt demandé" in err


@pytest.mark.parametrize(
    "env,backend",
    [
        ({}, "django_tasks.backends.immediate.ImmediateBackend"),
        ({"ESSAIM_ENV": "production"}, "essaim.jobs.backend.DatabaseBackend"),
        ({"ESSAIM_ENV": "production", "ESSAIM_TASKS_BACKEND": "immediate"}, "django_tasks.backends.immediate."),
        ({"ESSAIM_TASKS_BACKEND": "database"}, "essaim.jobs.backend.DatabaseBackend"),
    ],
)
def test_production_queues_tasks_in_the_database_and_development_runs_them_at_once(env, backend, tmp_path):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "ESSAIM_ENV", "DATABASE_URL", "ESSAIM_TASKS_BACKEND", "ALLOWED_HOSTS"}
    }
    production = {"SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "essaim.example"}
    result = subprocess.run(  # noqa: S603 -- our own interpreter and manage.py
        [sys.executable, "-c", "import config.settings as s; print(s.TASKS['default']['BACKEND'])"],
        cwd=ROOT,
        env={**clean, **production, "ESSAIM_VAR_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith(backend)
