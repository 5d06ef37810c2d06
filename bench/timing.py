"""What the in-process page benchmarks share: a percentile, and the timing of pages taken in turn (each warmed up,
its queries counted, then every page once per round, so that a drift of the machine touches them all alike)."""

import os
import tempfile
import time
from pathlib import Path


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def measure(pairs, runs: int):
    """``pairs``: label → (Django test client, path). Returns (label → milliseconds of each run, label → queries)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = {label: [] for label in pairs}
    queries = {}
    for label, (client, path) in pairs.items():
        for _ in range(3):
            response = client.get(path)
            assert response.status_code == 200, (label, path, response.status_code)
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        queries[label] = len(captured.captured_queries)
    for _ in range(runs):
        for label, (client, path) in pairs.items():
            t = time.perf_counter()
            client.get(path)
            timings[label].append((time.perf_counter() - t) * 1000)
    return timings, queries


def setup_django(*, database_url: str = "", data_dir: str = "", prefix: str = "essaim-bench-", **env) -> str:
    """Points Essaim at a folder of the benchmark's own (its SQLite file there unless ``database_url``; its index;
    ``data_dir`` to keep them for the next run), production-like (no DEBUG), with ``env`` on top, starts Django and
    lets the test client in; returns the folder."""
    tmp = data_dir or tempfile.mkdtemp(prefix=prefix)
    Path(tmp).mkdir(parents=True, exist_ok=True)
    os.environ.update(
        {
            "DATABASE_URL": database_url or f"sqlite:///{tmp}/bench.sqlite3",
            "ESSAIM_VAR_DIR": tmp,
            "ESSAIM_SEARCH_INDEX_DIR": f"{tmp}/index",
            "DEBUG": "false",
            **env,
        }
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    return tmp
