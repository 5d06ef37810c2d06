# ruff: noqa: E501 -- long report lines
"""Benchmark of the free advice slots (issue 17, "Measured"), with the ratio measured in the same run.

Target, on SQLite and on PostgreSQL: 30 advisers, 6 places, 12 months of opening ranges (six months back, six
ahead), 50,000 past bookings: the free slots of a month for the territory through the API
(``GET /api/v1/support/slots``) answer with a p95 within 2× the agenda's list page ``/agenda/`` (10,000 events, as
bench/agenda.py loads them) measured in the same run, in alternation (A, B, A, B…) so that a slower moment of the
machine weighs on both. Both are rendered in-process by Django's test client (the whole middleware stack, DEBUG off).
The number of queries of the slots call is printed: it does not grow with the bookings.

Usage: python bench/support_slots.py [--database-url URL] [--bookings 50000] [--events 10000] [--runs 40]
       (SQLite in a temporary directory by default; with --database-url, a fresh PostgreSQL database)
"""

import argparse
import datetime
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "essaim-bench-support-slots-"
sys.path.insert(0, str(ROOT))

ADVISERS = 30
PLACES = 6
TARGET_RATIO = 2.0


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def populate_support(bookings: int):
    """The territory of the permanences: 30 advisers, 6 places, two motifs, two weekly ranges per adviser over 12
    months, ``bookings`` past bookings and a few hundred to come."""
    from django.utils import timezone

    from essaim.accounts.enums import Role
    from essaim.accounts.models import Membership, User
    from essaim.agenda.models import Venue
    from essaim.support.enums import BookingStatus
    from essaim.support.models import Booking, Motif, OpeningRange
    from essaim.territories.models import Commune, Territory

    territory = Territory.objects.create(slug="bench-permanences", siren="200072460", name="Permanences", kind="CA")
    communes = list(Commune.objects.order_by("insee_code")[:PLACES])
    venues = [
        Venue.objects.create(territory=territory, name=f"Maison des associations {n}", commune=c, lat=c.lat, lon=c.lon)
        for n, c in enumerate(communes)
    ]
    motifs = [
        Motif.objects.create(territory=territory, title="Premier rendez-vous création", slug="premier-rendez-vous",
                             duration_minutes=45, min_delay_hours=0, max_delay_days=200),
        Motif.objects.create(territory=territory, title="Point financement", slug="financement",
                             duration_minutes=60, min_delay_hours=0, max_delay_days=200),
    ]  # fmt: skip
    advisers = User.objects.bulk_create(
        [User(email=f"conseiller{n}@bench.example", full_name=f"Conseiller·ère {n}") for n in range(ADVISERS)]
    )
    Membership.objects.bulk_create([Membership(user=u, territory=territory, role=Role.OFFICER) for u in advisers])
    today = timezone.localdate()
    first = today - datetime.timedelta(days=182)
    until = (today + datetime.timedelta(days=182)).strftime("%Y%m%d")
    days = ["MO", "TU", "WE", "TH", "FR"]
    ranges = []
    for n, adviser in enumerate(advisers):
        for half, (start, end) in enumerate(
            [(datetime.time(9), datetime.time(12)), (datetime.time(14), datetime.time(17))]
        ):
            ranges.append(
                OpeningRange(
                    territory=territory,
                    adviser=adviser,
                    motif=motifs[half],
                    venue=venues[n % PLACES],
                    first_day=first,
                    start_time=start,
                    end_time=end,
                    rule=f"FREQ=WEEKLY;BYDAY={days[n % 5]},{days[(n + 2) % 5]};UNTIL={until}T235959",
                )
            )
    ranges = OpeningRange.objects.bulk_create(ranges)
    # Past bookings over the last year, every day, four per range and day, until ``bookings`` are made.
    rows = []
    now = timezone.now()
    oldest = today - datetime.timedelta(days=365)
    for offset in range(365):
        day = oldest + datetime.timedelta(days=offset)
        for opening in ranges:
            motif = motifs[0] if opening.motif_id == motifs[0].pk else motifs[1]
            for k in range(4):
                start = timezone.make_aware(datetime.datetime.combine(day, opening.start_time)) + k * motif.duration
                if start >= now - datetime.timedelta(days=1) or len(rows) >= bookings:
                    continue
                rows.append(
                    Booking(
                        territory=territory, motif=motif, adviser_id=opening.adviser_id, opening_range=opening,
                        venue_id=opening.venue_id, channel=motif.channel, starts_at=start,
                        ends_at=start + motif.duration, status=BookingStatus.SEEN if k else BookingStatus.NO_SHOW,
                        name=f"Personne {len(rows)}", email=f"p{len(rows)}@bench.example",
                    )
                )  # fmt: skip
        if len(rows) >= bookings:
            break
    # A few hundred bookings to come, so that the month asked has slots taken.
    for n, opening in enumerate(ranges[:40]):
        motif = motifs[0] if opening.motif_id == motifs[0].pk else motifs[1]
        for week in range(1, 5):
            day = today + datetime.timedelta(days=7 * week)
            day -= datetime.timedelta(days=day.weekday())
            start = timezone.make_aware(datetime.datetime.combine(day, opening.start_time)) + (n % 2) * motif.duration
            rows.append(
                Booking(
                    territory=territory, motif=motif, adviser_id=opening.adviser_id, opening_range=opening,
                    venue_id=opening.venue_id, channel=motif.channel, starts_at=start, ends_at=start + motif.duration,
                    name=f"Avenir {n}-{week}", email=f"a{n}-{week}@bench.example",
                )
            )  # fmt: skip
    Booking.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    return territory, Booking.objects.count()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="")
    parser.add_argument("--bookings", type=int, default=50_000)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()

    from timing import setup_django

    setup_django(database_url=args.database_url, prefix=f"{PREFIX}{os.getpid()}-", CACHE_URL="locmem://")
    from agenda import populate as populate_agenda
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from machine import Machine

    call_command("migrate", verbosity=0)
    print(f"## Free advice slots — {connection.vendor}")
    print(Machine().line())
    t = time.perf_counter()
    populate_agenda(args.events, 50)
    territory, count = populate_support(args.bookings)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"  loaded {args.events:,} events, {ADVISERS} advisers, {PLACES} places, {count:,} bookings in {time.perf_counter() - t:.0f} s".replace(
            ",", " "
        )
    )

    today = timezone.localdate()
    month_end = today + datetime.timedelta(days=30)
    slots_path = f"/api/v1/support/slots?territory={territory.siren}&from={today}&to={month_end}"
    pairs = {"agenda list /agenda/": "/agenda/", "API free slots of a month": slots_path}
    client = Client()
    for label, path in pairs.items():
        for _ in range(3):
            response = client.get(path)
            assert response.status_code == 200, (label, response.status_code, response.content[:300])
    found = client.get(slots_path).json()["count"]
    with CaptureQueriesContext(connection) as captured:
        client.get(slots_path)
    slot_queries = len(captured.captured_queries)
    timings = {label: [] for label in pairs}
    for _ in range(args.runs):
        for label, path in pairs.items():
            started = time.perf_counter()
            client.get(path)
            timings[label].append((time.perf_counter() - started) * 1000)
    for label, values in timings.items():
        extra = f", {found} free slots, {slot_queries} queries" if label.startswith("API") else ""
        print(f"  {label}: median {statistics.median(values):.1f} ms, p95 {percentile(values, 95):.1f} ms{extra}")
    ratio = percentile(timings["API free slots of a month"], 95) / percentile(timings["agenda list /agenda/"], 95)
    ok = ratio <= TARGET_RATIO
    print(f"  ratio p95 slots / agenda list: {ratio:.2f}× (target ≤ {TARGET_RATIO:.0f}×) {'ok' if ok else 'MISSED'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    try:
        main()
    finally:
        for folder in Path(tempfile.gettempdir()).glob(f"{PREFIX}{os.getpid()}-*"):  # this run's own folder only
            if folder.is_dir() and folder.stat().st_uid == os.getuid():
                shutil.rmtree(folder, ignore_errors=True)
