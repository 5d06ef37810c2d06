import pytest

from tests.jobs import sample_tasks

DATABASE_BACKEND = "essaim.jobs.backend.DatabaseBackend"


@pytest.fixture
def database_tasks(settings):
    """The production configuration of the queue: tasks written in the database, run by the worker."""
    settings.TASKS = {
        "default": {
            "BACKEND": DATABASE_BACKEND,
            "OPTIONS": {"MAX_ATTEMPTS": 4, "BACKOFF_SECONDS": 60, "BACKOFF_FACTOR": 5, "DAILY_HOUR": 3},
        }
    }
    sample_tasks.CALLS.clear()
    yield
    sample_tasks.CALLS.clear()
