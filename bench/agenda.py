"""Benchmark of the agenda against a real server (granian, as `make serve` runs it), on SQLite and PostgreSQL.

Targets named by issue 4:
- 500 concurrent registration attempts on a 50-seat session → exactly 50 confirmed, 450 waitlisted, 0 errors, on
  both engines; we report registrations per second;
- the agenda list with 10,000 events: p95 ≤ 50 ms.

For each engine the script creates a temporary database (a SQLite file; a PostgreSQL database created and dropped
on the server given, or on postgres://postgres@127.0.0.1:5432 when reachable), migrates it, loads 10,000 events,
starts granian on a free port with the registration rate limit raised (a settings module written in the temporary
directory: the limiter must not get in the way of the bench), fires the requests over HTTP and stops the server.

Usage: python bench/agenda.py [--database-url URL] [--attempts 500] [--capacity 50] [--events 10000]
       [--requests 200] [--sqlite-only]
"""

import argparse
import concurrent.futures
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LIST_TARGET_P95_MS = 50.0
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
SETTINGS_MODULE = "essaim_bench_agenda_settings"
SETTINGS_SOURCE = """from config.settings import *  # noqa: F403

ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ESSAIM_AGENDA_REGISTRATION_RATE_LIMIT = 0  # 0 = no limit: the bench fires 500 attempts from one address
"""


def percentile(values, q):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- one engine, in a child process -------------------------------------------------------------------------------


def populate(events: int, capacity: int):
    """A territory, a venue, the 50-seat session of the race, and ``events`` published events over a year."""
    import datetime

    from django.utils import timezone

    from essaim.agenda.enums import Audience, EventType, Publication, RegistrationMode
    from essaim.agenda.models import Event, EventAudience, Session, Venue
    from essaim.core.text import fold
    from essaim.territories.models import Commune, Departement, Region, Territory

    region = Region.objects.create(code="32", name="Hauts-de-France")
    departement = Departement.objects.create(code="62", name="Pas-de-Calais", region=region)
    communes = [
        Commune.objects.create(
            insee_code=f"62{n:03d}",
            name=f"Commune {n}",
            departement=departement,
            lat=50.4 + n / 100,
            lon=2.5 + n / 100,
        )
        for n in range(20)
    ]
    territory = Territory.objects.create(slug="bench", name="Territoire du banc d'essai", kind="CA")
    venues = [
        Venue.objects.create(territory=territory, name=f"Salle {n}", commune=c, lat=c.lat, lon=c.lon)
        for n, c in enumerate(communes)
    ]
    now = timezone.now()
    race = Event.objects.create(
        territory=territory,
        title="Atelier très demandé",
        event_type=EventType.ATELIER,
        venue=venues[0],
        publication=Publication.PUBLISHED,
        published_at=now,
        registration_mode=RegistrationMode.HERE,
        waitlist_enabled=True,
    )
    race_session = Session.objects.create(
        event=race,
        start=now + datetime.timedelta(days=3),
        end=now + datetime.timedelta(days=3, hours=2),
        capacity=capacity,
    )
    types = list(EventType.values)
    audiences = list(Audience.values)
    rows = []
    for n in range(events):
        title = f"{EventType(types[n % len(types)]).label.capitalize()} de l'ESS n° {n}"
        rows.append(
            Event(
                territory=territory,
                title=title,
                summary="Un rendez-vous de l'économie sociale et solidaire.",
                event_type=types[n % len(types)],
                venue=venues[n % len(venues)],
                publication=Publication.PUBLISHED,
                published_at=now,
                registration_mode=RegistrationMode.HERE if n % 3 == 0 else RegistrationMode.NONE,
                search_text=fold(title),
            )
        )
    created = Event.objects.bulk_create(rows, batch_size=1000)
    Session.objects.bulk_create(
        [
            Session(
                event=e,
                start=now + datetime.timedelta(hours=6 + (n * 53) % (365 * 24)),
                end=now + datetime.timedelta(hours=8 + (n * 53) % (365 * 24)),
                capacity=30 if n % 3 == 0 else None,
                uid=uuid.uuid4(),
            )
            for n, e in enumerate(created)
        ],
        batch_size=1000,
    )
    EventAudience.objects.bulk_create(
        [EventAudience(event=e, audience=audiences[n % len(audiences)]) for n, e in enumerate(created)],
        batch_size=1000,
    )
    return race, race_session


def request(port, method, path, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Content-Type": "application/json"} if body is not None else {}
    try:
        started = time.perf_counter()
        conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = conn.getresponse()
        payload = response.read()
        return response.status, payload, (time.perf_counter() - started) * 1000
    finally:
        conn.close()


def wait_ready(port, process, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError("granian s'est arrêté au démarrage")
        try:
            if request(port, "GET", "/api/v1/openapi.json")[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("granian ne répond pas")


def run_engine(args):
    """Runs in a child process whose environment names the database and the settings module."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from essaim.agenda.models import Registration

    engine = connection.vendor
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    race, race_session = populate(args.events, args.capacity)
    # Planner statistics, as a database that has been running has them (PostgreSQL's autovacuum gathers them).
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    load_s = time.perf_counter() - started
    connection.close()

    port = free_port()
    from essaim.core.management.commands.serve import granian_argv

    granian = str(Path(sys.executable).with_name("granian"))
    bind = f"127.0.0.1:{port}"
    argv = granian_argv(granian, bind=bind, workers=args.workers, threads=args.threads, access_log=False)
    server = subprocess.Popen(argv, cwd=ROOT, env=os.environ.copy())  # noqa: S603 -- our own granian, from our venv
    loaded = f"{args.events:,} events loaded in {load_s:.1f} s"
    lines = [f"engine: {engine} — {loaded}; granian {args.workers}×{args.threads}"]
    try:
        wait_ready(port, server)
        # 1. The race for the last seats.
        path = f"/api/v1/events/{race.pk}/registrations"

        def attempt(n):
            try:
                status, payload, ms = request(port, "POST", path, {"name": f"P {n}", "email": f"b{n}@bench.example"})
                data = json.loads(payload) if payload else {}
                return status, data.get("status"), ms
            except OSError as exc:
                return 0, repr(exc), 0.0

        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            results = list(pool.map(attempt, range(args.attempts)))
        elapsed = time.perf_counter() - started
        confirmed = sum(1 for status, kind, _ in results if status == 201 and kind == "confirmed")
        waitlisted = sum(1 for status, kind, _ in results if status == 201 and kind == "waitlisted")
        errors = [r for r in results if r[0] != 201]
        db_confirmed = Registration.objects.filter(session=race_session, status="confirmed").count()
        db_waitlisted = Registration.objects.filter(session=race_session, status="waitlisted").count()
        ok = (
            confirmed == args.capacity
            and waitlisted == args.attempts - args.capacity
            and not errors
            and db_confirmed == args.capacity
        )
        latencies = [ms for status, _, ms in results if status == 201]
        lines.append(
            f"registrations: {args.attempts} concurrent attempts ({args.concurrency} at a time) on a "
            f"{args.capacity}-seat session → {confirmed} confirmed, {waitlisted} waitlisted, {len(errors)} errors "
            f"(database: {db_confirmed} confirmed, {db_waitlisted} waitlisted) in {elapsed:.2f} s = "
            f"{args.attempts / elapsed:.0f} registrations/s, p95 {percentile(latencies or [0], 95):.0f} ms — "
            f"target exactly {args.capacity}/{args.attempts - args.capacity}/0: {'OK' if ok else 'FAILED'}"
        )
        if errors:
            lines.append(f"  first errors: {errors[:3]}")
        # 2. The agenda list with 10,000 events.
        for label, url in [
            ("agenda list /agenda/ (page 1)", "/agenda/"),
            (
                "agenda list filtered /agenda/?type=atelier&audience=grand_public",
                "/agenda/?type=atelier&audience=grand_public",
            ),
            ("agenda list page 100 /agenda/?page=100", "/agenda/?page=100"),
            ("API GET /api/v1/events", "/api/v1/events"),
        ]:
            for _ in range(5):
                status = request(port, "GET", url)[0]
                assert status == 200, (url, status)
            timings = [request(port, "GET", url)[2] for _ in range(args.requests)]
            p95 = percentile(timings, 95)
            lines.append(
                f"{label}: p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms over {args.requests} requests "
                f"— target p95 ≤ {LIST_TARGET_P95_MS:.0f} ms: ratio {p95 / LIST_TARGET_P95_MS:.2f} "
                f"({'OK' if p95 <= LIST_TARGET_P95_MS else 'OVER'})"
            )
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    print("\n".join(lines), flush=True)
    return 0 if ok else 1


# --- the parent: one child per engine -----------------------------------------------------------------------------


def postgres_reachable(url):
    try:
        import psycopg

        parts = urlsplit(url)
        psycopg.connect(
            host=parts.hostname,
            port=parts.port or 5432,
            user=parts.username,
            password=parts.password,
            dbname=parts.path.lstrip("/") or "postgres",
            connect_timeout=3,
        ).close()
        return True
    except Exception:  # noqa: BLE001 -- any failure means "not reachable"
        return False


def admin_sql(url, sql):
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(sql)


def child(args, database_url, tmp):
    env = os.environ.copy()
    env.update(
        {
            "DATABASE_URL": database_url,
            "ESSAIM_VAR_DIR": tmp,
            "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
            "PYTHONPATH": os.pathsep.join([tmp, str(ROOT), env.get("PYTHONPATH", "")]),
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "DEBUG": "false",
        }
    )
    command = [sys.executable, __file__, "--engine-run", *sys.argv[1:]]
    return subprocess.run(command, env=env, cwd=ROOT, check=False).returncode  # noqa: S603


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="", help="A PostgreSQL server to use (a temporary database is made)")
    parser.add_argument("--attempts", type=int, default=500)
    parser.add_argument("--capacity", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=100, help="Requests in flight at once")
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--engine-run", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engine_run:
        sys.exit(run_engine(args))

    failures = 0
    with tempfile.TemporaryDirectory(prefix="essaim-bench-agenda-") as tmp:
        Path(tmp, f"{SETTINGS_MODULE}.py").write_text(SETTINGS_SOURCE, encoding="utf-8")
        failures += child(args, f"sqlite:///{tmp}/bench.sqlite3", tmp) != 0
        server_url = args.database_url or DEFAULT_POSTGRES
        if args.sqlite_only:
            pass
        elif postgres_reachable(server_url):
            name = f"essaim_bench_agenda_{uuid.uuid4().hex[:8]}"
            admin_sql(server_url, f'CREATE DATABASE "{name}"')
            try:
                parts = urlsplit(server_url)
                failures += child(args, urlunsplit(parts._replace(path=f"/{name}")), tmp) != 0
            finally:
                admin_sql(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        else:
            print(f"PostgreSQL not reachable at {server_url}: skipped (pass --database-url)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
