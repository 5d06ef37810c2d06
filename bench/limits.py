"""Benchmark of the abuse limits (issue #15 §2): the throughput of registrations under a 50-client load with the
shared cache and the trusted-proxy limiter ON, against the same run with the limiter OFF. Target: ON / OFF ≥ 0.9.

For each engine the script creates a temporary database (a SQLite file; a PostgreSQL database created and dropped on
the server given, or on postgres://postgres@127.0.0.1:5432 when reachable), migrates it, creates one published event
whose session has no seat limit, and starts one granian server per configuration, on the same database:

- OFF: no limit (``ESSAIM_AGENDA_REGISTRATION_RATE_LIMIT=0``), the process's memory as cache, no proxy;
- ON (database cache): ``CACHE_URL=db://`` (the default), ``ESSAIM_TRUSTED_PROXIES=1``, a limit high enough never
  to refuse; each of the 50 clients comes through the proxy with its own address (``X-Forwarded-For``);
- ON (Redis): the same with ``CACHE_URL=redis://…`` when a Redis answers (``--redis-url``).

Rounds alternate between the configurations (OFF, ON, ON Redis, OFF, ON…), each round ``--per-round``
registrations by 50 concurrent clients, so that a machine whose speed drifts weighs on all of them alike; the
throughput of a configuration is its registrations over its time, summed over its rounds.

Usage: python bench/limits.py [--database-url URL] [--redis-url URL] [--clients 50] [--rounds 6]
       [--per-round 300] [--workers 2] [--threads 8] [--sqlite-only]
"""

import argparse
import collections
import concurrent.futures
import http.client
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.agenda import admin_sql, free_port, percentile, postgres_reachable  # noqa: E402
from bench.machine import cpu_model, reference_ms  # noqa: E402

TARGET = 0.9
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS = "redis://127.0.0.1:6379/1"


def redis_reachable(url):
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        return True
    except Exception:  # noqa: BLE001 -- any failure means "not reachable"
        return False


def setup_database(env) -> int:
    """Migrates the database and creates the event; returns its id (runs in a child process)."""
    code = (
        "import django, datetime; django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0)\n"
        "from django.utils import timezone\n"
        "from essaim.agenda.enums import EventType, Publication, RegistrationMode\n"
        "from essaim.agenda.models import Event, Session\n"
        "from essaim.territories.models import Territory\n"
        "t = Territory.objects.create(slug='bench', name='Banc des limites', kind='CA')\n"
        "now = timezone.now()\n"
        "e = Event.objects.create(territory=t, title='Forum', event_type=EventType.ATELIER,"
        " publication=Publication.PUBLISHED, published_at=now, registration_mode=RegistrationMode.HERE)\n"
        "Session.objects.create(event=e, start=now + datetime.timedelta(days=3),"
        " end=now + datetime.timedelta(days=3, hours=2), capacity=None)\n"
        "print(e.pk)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True, capture_output=True, text=True)  # noqa: S603
    return int(out.stdout.strip().splitlines()[-1])


def post(port, path, body, headers):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        started = time.perf_counter()
        conn.request("POST", path, body=json.dumps(body), headers={"Content-Type": "application/json", **headers})
        response = conn.getresponse()
        response.read()
        return response.status, (time.perf_counter() - started) * 1000
    except OSError:
        return 0, 0.0
    finally:
        conn.close()


def wait_ready(port, process, timeout=90):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError("granian s'est arrêté au démarrage")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/v1/openapi.json")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("granian ne répond pas")


class Config:
    def __init__(self, label, env, proxied):
        self.label, self.env, self.proxied = label, env, proxied
        self.count = self.errors = 0
        self.statuses = collections.Counter()
        self.seconds = 0.0
        self.latencies = []

    def start(self, args):
        from essaim.core.management.commands.serve import granian_argv

        self.port = free_port()
        granian = str(Path(sys.executable).with_name("granian"))
        argv = granian_argv(
            granian, bind=f"127.0.0.1:{self.port}", workers=args.workers, threads=args.threads, access_log=False
        )
        self.log = Path(self.env["ESSAIM_VAR_DIR"], f"granian-{self.port}.log").open("wb")
        self.server = subprocess.Popen(argv, cwd=ROOT, env=self.env, stdout=self.log, stderr=self.log)  # noqa: S603
        wait_ready(self.port, self.server)

    def stop(self):
        self.server.terminate()
        try:
            self.server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.server.kill()
        self.log.close()

    def round(self, args, event_id, round_no):
        path = f"/api/v1/events/{event_id}/registrations"
        tag = uuid.uuid4().hex[:6]

        def attempt(n):
            client = n % args.clients
            headers = {"X-Forwarded-For": f"10.66.{n % 250}.1, 198.51.{client // 250}.{client % 250 + 1}"}
            body = {"name": f"P {n}", "email": f"{tag}-{n}@bench.example", "consent": True}
            return post(self.port, path, body, headers if self.proxied else {})

        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.clients) as pool:
            results = list(pool.map(attempt, range(args.per_round)))
        elapsed = time.perf_counter() - started
        if round_no > 0:  # the first round of each configuration warms it up
            self.seconds += elapsed
            self.count += sum(1 for status, _ in results if status == 201)
            self.errors += sum(1 for status, _ in results if status != 201)
            self.statuses.update(status for status, _ in results if status != 201)
            self.latencies += [ms for status, ms in results if status == 201]

    @property
    def throughput(self):
        return self.count / self.seconds if self.seconds else 0.0


def run_engine(label, database_url, args, tmp):
    base = os.environ.copy()
    base.update(
        {
            "DATABASE_URL": database_url,
            "ESSAIM_VAR_DIR": tmp,
            "ESSAIM_SEARCH_INDEX_DIR": str(Path(tmp) / "index"),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "DEBUG": "false",
            "ESSAIM_HTTPS": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
        }
    )
    event_id = setup_database(base)
    off = {
        **base,
        "CACHE_URL": "locmem://",
        "ESSAIM_AGENDA_REGISTRATION_RATE_LIMIT": "0",
        "ESSAIM_TRUSTED_PROXIES": "",
    }
    on = {**base, "ESSAIM_TRUSTED_PROXIES": "1", "ESSAIM_AGENDA_REGISTRATION_RATE_LIMIT": "1000000"}
    configs = [
        Config("limiter OFF (no limit, process memory)", off, proxied=False),
        Config("limiter ON, database cache (db://)", {**on, "CACHE_URL": "db://"}, proxied=True),
    ]
    redis_url = args.redis_url or DEFAULT_REDIS
    if not args.no_redis and redis_reachable(redis_url):
        configs.append(
            Config(f"limiter ON, Redis ({urlsplit(redis_url).path or '/0'})", {**on, "CACHE_URL": redis_url}, True)
        )
    lines = [f"engine: {label}; granian {args.workers}×{args.threads}; {args.clients} clients"]
    try:
        for config in configs:
            config.start(args)
        for round_no in range(args.rounds + 1):
            for config in configs:
                config.round(args, event_id, round_no)
    finally:
        for config in configs:
            if hasattr(config, "server"):
                config.stop()
    reference = configs[0].throughput
    ok = True
    for config in configs:
        ratio = config.throughput / reference if reference else 0.0
        line = (
            f"  {config.label}: {config.count} registrations in {config.seconds:.1f} s = {config.throughput:.1f}/s, "
            f"p50 {percentile(config.latencies or [0], 50):.0f} ms, "
            f"p95 {percentile(config.latencies or [0], 95):.0f} ms, "
            f"{config.errors} not registered"
            + (
                f" ({', '.join(f'{n}× {status}' for status, n in sorted(config.statuses.items()))})"
                if config.errors
                else ""
            )
        )
        if config is not configs[0]:
            verdict = "OK" if ratio >= TARGET else "UNDER"
            line += f" — ON / OFF = {ratio:.2f} (target ≥ {TARGET}: {verdict})"
            ok = ok and ratio >= TARGET and not config.statuses[429]
        lines.append(line)
    print("\n".join(lines), flush=True)
    return ok


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="", help="A PostgreSQL server to use (a temporary database is made)")
    parser.add_argument("--redis-url", default="", help=f"Redis for the third configuration (default {DEFAULT_REDIS})")
    parser.add_argument("--no-redis", action="store_true")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=6, help="Measured rounds per configuration (after a warm-up)")
    parser.add_argument("--per-round", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--postgres-only", action="store_true")
    args = parser.parse_args()

    print(f"machine: {cpu_model()}, {os.cpu_count()} cores; reference loop {reference_ms():.0f} ms", flush=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="essaim-bench-limits-") as tmp:
        if not args.postgres_only:
            results.append(run_engine("SQLite", f"sqlite:///{tmp}/bench.sqlite3", args, tmp))
        server_url = args.database_url or DEFAULT_POSTGRES
        if args.sqlite_only:
            pass
        elif postgres_reachable(server_url):
            name = f"essaim_bench_limits_{uuid.uuid4().hex[:8]}"
            admin_sql(server_url, f'CREATE DATABASE "{name}"')
            try:
                parts = urlsplit(server_url)
                results.append(run_engine("PostgreSQL", urlunsplit(parts._replace(path=f"/{name}")), args, tmp))
            finally:
                admin_sql(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        else:
            print(f"PostgreSQL not reachable at {server_url}: skipped (pass --database-url)")
    print(f"reference loop after the runs: {reference_ms():.0f} ms", flush=True)
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
