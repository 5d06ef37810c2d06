"""GET /health: JSON with the state of the database, the cache, the search index, the task queue and the disk;
200 when all hold, 503 otherwise; public, not rate limited, cheap, without personal data."""

import datetime
import fcntl

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from essaim.core.models import search_outbox_add
from essaim.search import recovery
from essaim.search.index import get_index
from essaim.search.indexer import reindex
from essaim.www import health
from tests.accounts.factories import UserFactory
from tests.directory.factories import StructureFactory

pytestmark = pytest.mark.django_db

DATABASE_BACKEND = "essaim.jobs.backend.DatabaseBackend"


@pytest.fixture(autouse=True)
def _fresh(settings):
    settings.ESSAIM_HEALTH_MIN_FREE_MB = 1  # whatever the test machine's disk holds
    health._index_counts.clear()
    recovery.forget()
    yield
    health._index_counts.clear()


def checks_of(response):
    assert response["Content-Type"] == "application/json"
    return response.json()["checks"]


def test_everything_holds_200_with_each_state_and_no_personal_data(client):
    user = UserFactory(email="personne.privee@exemple.example")
    StructureFactory(name="Garage solidaire")
    StructureFactory(name="Brouillon", pending=True)
    reindex()
    response = client.get("/health")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    checks = body["checks"]
    assert set(checks) == {"database", "replicas", "cache", "search_index", "tasks", "disk"}
    assert checks["replicas"] == {"status": "ok", "replicas": {}}
    assert all(check["status"] == "ok" for check in checks.values())
    assert checks["database"]["vendor"] == connection.vendor
    assert checks["search_index"] == {
        "status": "ok",
        "state": "ready",
        "documents": 1,
        "database": 1,
        "pending": 0,
    }
    assert checks["tasks"] == {"status": "ok", "backend": "immediate"}
    assert checks["disk"]["free_mb"] > 0
    text = response.content.decode()
    assert user.email not in text and "Garage" not in text and str(get_index().path) not in text
    assert "no-cache" in response["Cache-Control"]


def test_it_needs_no_login_and_is_not_rate_limited(client):
    for _ in range(40):
        assert client.get("/health").status_code == 200


def test_a_database_that_does_not_answer_is_503(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection to server at 10.0.0.5 failed: Connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["checks"]["database"] == {
        "status": "error",
        "error": "OperationalError",
        "vendor": connection.vendor,
    }
    assert "10.0.0.5" not in response.content.decode(), "no host or message of an error in the answer"


def test_a_cache_that_loses_what_it_is_given_is_503(client, monkeypatch):
    monkeypatch.setattr(cache, "get", lambda *args, **kwargs: None)
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"]["status"] == "error"


def test_a_cache_that_fails_is_503(client, monkeypatch):
    def fail(*args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(cache, "set", fail)
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == {"status": "error", "error": "ConnectionError"}


def test_the_cache_check_names_the_real_backend(client):
    from django.core.cache import caches

    assert (
        checks_of(client.get("/health"))["cache"]["backend"] == type(caches["default"]).__name__ != "ConnectionProxy"
    )


def test_an_index_out_of_step_with_the_database_is_503(client):
    StructureFactory.create_batch(3)
    reindex()
    with get_index().writer() as writer:
        writer.delete_all_documents()
    response = client.get("/health")
    assert response.status_code == 503
    assert checks_of(response)["search_index"] == {
        "status": "error",
        "state": "out_of_step",
        "documents": 0,
        "database": 3,
        "pending": 0,
    }


def test_changes_waiting_in_the_outbox_are_not_a_fault(client):
    reindex()
    structures = StructureFactory.create_batch(2)
    search_outbox_add(model="directory.structure", ids=[s.pk for s in structures])  # applied after a commit: never
    index = checks_of(client.get("/health"))["search_index"]
    assert index["status"] == "ok" and index["documents"] == 0 and index["database"] == 2 and index["pending"] >= 2


def test_changes_waiting_longer_than_the_limit_say_the_index_lags_with_200(client, settings):
    """Nothing applies this node's outbox (its index_sync stopped): degraded, not 503 (its search still answers)."""
    from django.utils import timezone

    from essaim.core.models import SearchOutbox

    reindex()
    structure = StructureFactory()
    search_outbox_add(model="directory.structure", ids=[structure.pk])
    long_ago = timezone.now() - timezone.timedelta(seconds=settings.ESSAIM_HEALTH_INDEX_MAX_WAIT_S + 5)
    SearchOutbox.objects.update(created_at=long_ago)
    response = client.get("/health")
    index = checks_of(response)["search_index"]
    assert response.status_code == 200 and response.json()["status"] == "degraded"
    assert index["status"] == "degraded" and index["state"] == "behind"
    assert index["oldest_pending_s"] >= settings.ESSAIM_HEALTH_INDEX_MAX_WAIT_S + 5


def test_an_index_being_rebuilt_is_503(client):
    path = get_index().path
    with open(recovery.lock_path(path), "a") as other_process:
        fcntl.flock(other_process, fcntl.LOCK_EX | fcntl.LOCK_NB)
        response = client.get("/health")
    assert response.status_code == 503
    assert checks_of(response)["search_index"] == {"status": "error", "state": "rebuilding"}
    assert client.get("/health").status_code == 200


def test_the_index_counts_are_kept_a_few_seconds(client):
    with CaptureQueriesContext(connection) as first:
        client.get("/health")
    with CaptureQueriesContext(connection) as second:
        client.get("/health")
    assert len(second) == len(first) - 3  # neither the published count nor the outbox count and oldest again


def test_the_database_task_queue_reports_its_counts(client, settings):
    from essaim.jobs.models import Job

    settings.TASKS = {"default": {"BACKEND": DATABASE_BACKEND}}
    Job.objects.create(task_path="essaim.example.task")
    Job.objects.create(task_path="essaim.example.task", status="FAILED")
    Job.objects.create(task_path="essaim.example.task", run_after=timezone.now() + datetime.timedelta(days=1))
    response = client.get("/health")
    assert response.status_code == 200, response.content
    tasks = checks_of(response)["tasks"]
    assert tasks["backend"] == "database" and tasks["pending"] == 2 and tasks["failed"] == 1
    assert tasks["oldest_due_s"] < 60


def test_a_due_task_that_no_worker_took_for_long_is_503(client, settings):
    from essaim.jobs.models import Job

    settings.TASKS = {"default": {"BACKEND": DATABASE_BACKEND}}
    settings.ESSAIM_HEALTH_TASKS_MAX_WAIT_S = 900
    Job.objects.create(task_path="essaim.example.task", enqueued_at=timezone.now() - datetime.timedelta(hours=1))
    response = client.get("/health")
    assert response.status_code == 503
    tasks = checks_of(response)["tasks"]
    assert tasks["status"] == "error" and tasks["oldest_due_s"] >= 3600


def test_a_nearly_full_disk_is_503(client, settings):
    settings.ESSAIM_HEALTH_MIN_FREE_MB = 10**12
    response = client.get("/health")
    assert response.status_code == 503
    assert checks_of(response)["disk"]["status"] == "error"


def test_only_get_is_answered(client):
    assert client.post("/health").status_code == 405
