"""Limits counted in a shared cache: ``CACHE_URL``, the database cache that ``migrate`` creates and whose counters
are atomic, and two real server processes that refuse exactly as many registrations as one."""

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections

from essaim.core.cache import TABLE, caches_from_url
from essaim.core.management.commands.serve import granian_argv

ROOT = Path(__file__).resolve().parents[2]
CI = os.environ.get("CI") == "true"
DB_CACHE = {"default": caches_from_url("db://")["default"]}


def test_cache_url_chooses_the_backend():
    assert caches_from_url("redis://127.0.0.1:6379/1")["default"]["BACKEND"] == "django_redis.cache.RedisCache"
    assert caches_from_url("")["default"]["BACKEND"] == "essaim.core.cache.DatabaseCache"
    assert caches_from_url("db://")["default"]["LOCATION"] == TABLE
    assert "LocMem" in caches_from_url("locmem://")["default"]["BACKEND"]
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        caches_from_url("memcached://x")


def test_a_redis_that_does_not_answer_reads_as_a_miss_not_an_error(settings, caplog):
    """Port 9 (discard) on the loopback refuses at once: the cache answers None, the limit lets the attempt in."""
    from django.core.cache import caches

    settings.CACHES = {"dead": caches_from_url("redis://127.0.0.1:9/1")["default"]}
    dead = caches["dead"]
    assert dead.get("essaim:x") is None
    assert dead.set("essaim:x", 1) is None
    assert any(record.name.startswith("django_redis") for record in caplog.records)


@pytest.mark.django_db
def test_migrate_creates_the_cache_table():
    assert TABLE in connection.introspection.table_names()


@pytest.mark.django_db
def test_the_database_cache_increments_and_keeps_the_expiry(settings):
    settings.CACHES = DB_CACHE
    cache = caches["default"]
    cache.add("counter", 1, 3600)
    assert cache.incr("counter") == 2
    assert cache.incr("counter", 5) == 7
    assert cache.get("counter") == 7
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT expires FROM {TABLE}")  # noqa: S608
        (expires,) = cursor.fetchone()
    from django.utils import timezone

    expires = expires if not isinstance(expires, str) else timezone.datetime.fromisoformat(expires)
    remaining = expires.replace(tzinfo=None) - timezone.now().replace(tzinfo=None)
    assert remaining.total_seconds() > 3000  # Django's own incr would have reset it to the default 300 s
    with pytest.raises(ValueError):
        cache.incr("missing")


@pytest.mark.django_db
def test_the_database_cache_adds_only_a_missing_or_expired_key(settings):
    settings.CACHES = DB_CACHE
    cache = caches["default"]
    assert cache.add("window", 1, 3600) is True
    assert cache.add("window", 5, 3600) is False
    assert cache.get("window") == 1
    cache.set("old", 1, -1)  # already expired
    assert cache.add("old", 2, 3600) is True
    assert cache.get("old") == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_increments_of_the_database_cache_lose_nothing(settings):
    """Eight threads (eight connections) increment one counter 20 times each: 160, not fewer (Django's database
    cache reads then writes, and two processes would count one attempt where there were two)."""
    settings.CACHES = DB_CACHE
    caches["default"].add("hits", 0, 3600)
    errors = []

    def work():
        try:
            cache = caches["default"]
            for _ in range(20):
                cache.incr("hits")
        except Exception as exc:  # noqa: BLE001 -- reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert caches["default"].get("hits") == 160


# --- two server processes ----------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _redis_url() -> str | None:
    url = os.environ.get("ESSAIM_TEST_REDIS_URL", "redis://127.0.0.1:6379/1")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:  # noqa: BLE001 -- any failure means "no Redis here"
        if CI:
            raise
        return None
    return url


class Servers:
    """``count`` granian processes (one worker each) on one database and one cache."""

    def __init__(self, tmp_path, env, count):
        granian = shutil.which("granian", path=os.path.dirname(sys.executable))
        assert granian, "granian is a dependency (pyproject.toml): make install"
        self.ports, self.processes = [], []
        for n in range(count):
            port = _free_port()
            argv = granian_argv(granian, bind=f"127.0.0.1:{port}", workers=1, threads=4, access_log=False)
            with (tmp_path / f"granian-{n}.log").open("wb") as log:
                process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)  # noqa: S603
            self.ports.append(port)
            self.processes.append(process)
        self.tmp_path = tmp_path
        for port, process in zip(self.ports, self.processes, strict=True):
            self._wait(port, process)

    def _wait(self, port, process):
        deadline = time.monotonic() + 60
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/api/v1/events?limit=1")
                conn.getresponse().read()
                conn.close()
                return
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    logs = "\n".join(p.read_text() for p in self.tmp_path.glob("granian-*.log"))
                    raise AssertionError(logs or "granian did not answer in 60 s") from None
                time.sleep(0.2)

    def register(self, n: int, client: str) -> int:
        """One registration attempt through server ``n % count``, from ``client`` behind the proxy (an event that
        does not exist: 404 while the limit allows, 429 past it)."""
        port = self.ports[n % len(self.ports)]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        body = json.dumps({"name": "Nom", "email": f"r{n}@exemple.example", "consent": True})
        headers = {"Content-Type": "application/json", "X-Forwarded-For": f"10.{n % 250}.0.1, {client}"}
        conn.request("POST", "/api/v1/events/999999/registrations", body, headers)
        status = conn.getresponse().status
        conn.close()
        return status

    def stop(self):
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.wait(timeout=30)


def _database_url() -> str:
    """The test database itself (migrated once for the whole run), as the servers' DATABASE_URL."""
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        return f"sqlite:///{db['NAME']}"
    auth = f"{db['USER']}:{db['PASSWORD']}@" if db["PASSWORD"] else f"{db['USER']}@"
    return f"postgres://{auth}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(params=["db", "redis"])
def server_env(request, tmp_path, transactional_db):
    """The servers' environment: the test database (committed rows only: ``transactional_db``), the database cache
    or Redis, one trusted proxy, 6 registrations a minute."""
    cache_url = "db://"
    if request.param == "redis":
        cache_url = _redis_url()
        if cache_url is None:
            pytest.skip("Redis injoignable sur 127.0.0.1:6379 (obligatoire quand CI=true)")
    connections.close_all()
    return dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=_database_url(),
        CACHE_URL=cache_url,
        ESSAIM_VAR_DIR=str(tmp_path),
        ESSAIM_SEARCH_INDEX_DIR=str(tmp_path / "index"),
        ESSAIM_TRUSTED_PROXIES="1",
        ESSAIM_AGENDA_REGISTRATION_RATE_LIMIT="6",
    )


def test_two_server_processes_refuse_as_many_registrations_as_one(server_env, tmp_path):
    """Registrations alternate between two granian processes: the 7th attempt of one client is refused, exactly as
    with one process (each process used to count on its own: twice the limit)."""
    servers = Servers(tmp_path, server_env, count=2)
    try:
        client = f"198.51.{uuid.uuid4().int % 250}.{os.getpid() % 250}"  # new in a shared Redis
        codes = [servers.register(n, client) for n in range(10)]
        single = [servers.register(2 * n, f"203.0.113.{os.getpid() % 250}") for n in range(10)]  # one process
    finally:
        servers.stop()
    assert codes == [404] * 6 + [429] * 4
    assert single == codes
