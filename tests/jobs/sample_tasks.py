"""Module-level tasks for the worker's tests (django-tasks runs only module-level functions)."""

import os
import signal

from django_tasks import task

CALLS = []


@task()
def record(value: int, *, label: str = "") -> int:
    CALLS.append((value, label))
    return value * 2


@task()
def always_fails(email: str) -> None:
    raise ConnectionRefusedError(f"Le serveur de courriel refuse {email}")


@task()
def fails_once(key: str) -> str:
    if key not in {label for _, label in CALLS}:
        CALLS.append((0, key))
        raise TimeoutError("premier essai")
    return "ok"


@task()
def asks_to_stop() -> str:
    """Sends SIGTERM to its own process, as a service manager stopping the worker while this task runs."""
    os.kill(os.getpid(), signal.SIGTERM)
    CALLS.append((1, "after-signal"))
    return "finished"
