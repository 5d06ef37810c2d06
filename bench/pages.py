# ruff: noqa: E501 -- long report lines
"""Benchmark of pages that must not grow with the directory (issue 14 §7), with ratios measured in the same run.

Targets, on SQLite and on PostgreSQL, with 1,000,000 generated structures on top of the demo:
- the event form (organisers and partners through the autocomplete) renders within 2× the event's public page;
- the directory's moderation queue as the network admin renders within 2× the same queue as one territory's
  officer;
- the structure suggestions of the autocomplete (``/api/v1/structures/suggest``) answer in a few milliseconds.

Each page is rendered in-process by Django's test client (the whole middleware stack and templates, DEBUG off),
warmed up, then measured in alternation (A, B, A, B…) so that a slower moment of the machine weighs on both.

Usage: python bench/pages.py [--database-url URL] [--count 1000000] [--data-dir DIR] [--runs 30]
       --count 0 measures the demo as `make demo` loads it. With --data-dir, the demo, the generated structures and
       the index are kept there and reused by the next run with the same --count.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CABBALR = "200072460"
OFFICER = "agent@bethune-bruay.example"
NETWORK_ADMIN = "reseau@essaim.example"
PREFIXES = ["ma", "mai", "maison", "ass", "asso", "jardin", "cafe", "ressourc", "bge", "apic", "epicerie sol",
            "compagnie th", "club", "centre social", "amap", "velo", "foyer rural", "mutuelle", "creche", "atelier"]  # fmt: skip


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def prepare(count: int):
    """The demo, ``count`` generated structures (reused when already there), pending entries across France for
    the moderation queue, and the index."""
    from django.core.management import call_command
    from django.db import connection

    from essaim.directory.enums import Status
    from essaim.directory.generator import generate_structures
    from essaim.directory.models import Structure
    from essaim.search.index import get_index
    from essaim.search.indexer import reindex

    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    if not Structure.objects.filter(slug="apic").exists():
        call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115 -- the demo's long listing is not wanted
        print(f"essaim demo: {time.perf_counter() - t:.0f} s")
    generated = Structure.objects.filter(is_generated=True, status=Status.PUBLISHED).count()
    if count and generated < count:
        t = time.perf_counter()
        generate_structures(count=count - generated, seed=7, batch_size=10000)
        print(f"generate_structures: {count - generated:,} rows in {time.perf_counter() - t:.0f} s".replace(",", " "))
    if count and not Structure.objects.filter(is_generated=True, status=Status.PENDING).exists():
        generate_structures(count=300, seed=11, status=Status.PENDING)  # waiting for moderation, all over France
    # The planner's statistics, as a database in service has them (PostgreSQL's autovacuum, SQLite's PRAGMA
    # optimize): without them, SQLite reads a million rows through the index on status for the stale entries.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    published = Structure.objects.published().count()
    if get_index().searcher().num_docs != published:
        t = time.perf_counter()
        reindex()
        print(f"reindex: {published:,} structures in {time.perf_counter() - t:.0f} s".replace(",", " "))
    print(f"structures: {Structure.objects.count():,}, published {published:,}".replace(",", " "))


def bench_event(territory):
    """A published event of the territory with two organisers and a partner (the form shows them as chips)."""
    from essaim.agenda.models import Event
    from essaim.directory.models import Structure

    event = Event.objects.published().filter(territory=territory, sessions__isnull=False).order_by("pk").first()
    chosen = list(Structure.objects.published().in_territory(territory).order_by("pk")[:3])
    event.organisers.set(chosen[:2])
    event.partners.set(chosen[2:])
    return event


def measure(pairs, runs: int):
    """``pairs``: label → (client, path). Every path is warmed up, then measured in alternation."""
    from django.db import connection, reset_queries
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
        reset_queries()
    for _ in range(runs):
        for label, (client, path) in pairs.items():
            t = time.perf_counter()
            client.get(path)
            timings[label].append((time.perf_counter() - t) * 1000)
    return timings, queries


def line(label, ms, queries):
    return f"  {label}: median {statistics.median(ms):.1f} ms, p95 {percentile(ms, 95):.1f} ms, {queries} queries"


def ratio(name, slow, fast, target=2.0):
    value = statistics.median(slow) / statistics.median(fast)
    verdict = "ok" if value <= target else "MISSED"
    print(f"  ratio {name}: {value:.2f}× (target ≤ {target:.0f}×) {verdict}")
    return value <= target


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="")
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--data-dir", default="", help="keep the database and the index here, reused next time")
    args = parser.parse_args()

    from timing import setup_django

    setup_django(
        database_url=args.database_url,
        data_dir=args.data_dir,
        prefix="essaim-bench-pages-",
        ESSAIM_DEFAULT_TERRITORY=CABBALR,
    )
    from django.db import connection
    from django.test import Client
    from machine import Machine

    from essaim.accounts.models import User
    from essaim.territories.models import Territory

    machine = Machine()
    print(f"## Pages at scale — {connection.vendor}, demo + {args.count:,} generated structures".replace(",", " "))
    print(machine.line())
    prepare(args.count)
    territory = Territory.objects.get(siren=CABBALR)
    event = bench_event(territory)

    public, officer, network = Client(), Client(), Client()
    officer.force_login(User.objects.get(email=OFFICER))
    network.force_login(User.objects.get(email=NETWORK_ADMIN))
    ok = True

    print("Event form (organisers and partners through the autocomplete) against the event's public page:")
    pairs = {
        "event page (public)": (public, f"/agenda/evenements/{event.pk}/"),
        "event form (officer)": (officer, f"/agenda/gestion/{territory.slug}/evenements/{event.pk}/modifier/"),
    }
    timings, queries = measure(pairs, args.runs)
    for label in pairs:
        print(line(label, timings[label], queries[label]))
    ok &= ratio("event form / event page", timings["event form (officer)"], timings["event page (public)"])

    print("Moderation queue, the network admin (every territory) against one territory's officer:")
    pairs = {
        "queue (officer of the CABBALR)": (officer, "/annuaire/moderation/"),
        "queue (network admin)": (network, "/annuaire/moderation/"),
    }
    timings, queries = measure(pairs, args.runs)
    for label in pairs:
        print(line(label, timings[label], queries[label]))
    ok &= ratio("network admin / officer", timings["queue (network admin)"], timings["queue (officer of the CABBALR)"])

    print(f"Suggestions of the autocomplete ({len(PREFIXES)} texts typed, each measured {max(1, args.runs // 10)}×):")
    for scope in (f"&territory={CABBALR}", ""):
        ms, counts = [], []
        for prefix in PREFIXES:
            path = f"/api/v1/structures/suggest?q={prefix}{scope}"
            counts.append(public.get(path).json()["count"])
            for _ in range(max(1, args.runs // 10)):
                t = time.perf_counter()
                public.get(path)
                ms.append((time.perf_counter() - t) * 1000)
        where = "in the CABBALR" if scope else "in the whole directory"
        print(f"  suggest {where}: median {statistics.median(ms):.1f} ms, p95 {percentile(ms, 95):.1f} ms, "
              f"max {max(ms):.1f} ms; {statistics.mean(counts):.0f} suggestions on average")  # fmt: skip
    print(machine.steal_line())
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
