"""Benchmark of the booking race (issue 17, "Measured"): 200 concurrent bookings on 20 free slots → exactly 20
confirmed, 180 told the slot was taken, 0 errors, on SQLite (a file database, IMMEDIATE transactions) and on
PostgreSQL.

The bookings go through the service (``essaim.support.services.bookings.booking_create``), each from a thread of
its own with its own database connection, ``--concurrency`` at a time (16 by default: the requests a server of 4
workers × 4 threads, as bench/agenda.py runs granian, has in flight), started together; each attempt asks for one
of the 20 slots with its own e-mail. Bookings per second and the p95 of one attempt are printed.

Usage: python bench/support_bookings.py [--database-url URL] [--attempts 200] [--slots 20] [--concurrency 16]
       (SQLite in a temporary directory by default; with --database-url, a fresh PostgreSQL database)
"""

import argparse
import concurrent.futures
import datetime
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "essaim-bench-support-bookings-"
sys.path.insert(0, str(ROOT))


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def populate(slots: int):
    """A territory, one adviser, one motif of 30 minutes and one range next Tuesday holding exactly ``slots`` slots."""
    from django.utils import timezone

    from essaim.accounts.models import User
    from essaim.agenda.models import Venue
    from essaim.support.models import Motif, OpeningRange
    from essaim.support.slots import slot_id
    from essaim.territories.models import Commune, Departement, Region, Territory

    region = Region.objects.create(code="32", name="Hauts-de-France")
    departement = Departement.objects.create(code="62", name="Pas-de-Calais", region=region)
    commune = Commune.objects.create(insee_code="62119", name="Béthune", departement=departement, lat=50.53, lon=2.64)
    territory = Territory.objects.create(slug="bench-race", name="Permanences", kind="CA")
    venue = Venue.objects.create(territory=territory, name="Maison des associations", commune=commune)
    adviser = User.objects.create(email="conseillere@bench.example", full_name="Conseillère")
    motif = Motif.objects.create(
        territory=territory, title="Premier rendez-vous", slug="premier", duration_minutes=30, min_delay_hours=0
    )
    today = timezone.localdate()
    day = today + datetime.timedelta(days=(1 - today.weekday()) % 7 + 7)
    start = datetime.datetime.combine(day, datetime.time(8))
    end = start + datetime.timedelta(minutes=30 * slots)
    opening = OpeningRange.objects.create(
        territory=territory,
        adviser=adviser,
        motif=motif,
        venue=venue,
        first_day=day,
        start_time=start.time(),
        end_time=end.time(),
        rule="",
    )
    return [slot_id(opening.pk, timezone.make_aware(start + datetime.timedelta(minutes=30 * n))) for n in range(slots)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="")
    parser.add_argument("--attempts", type=int, default=200)
    parser.add_argument("--slots", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-")
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["ESSAIM_VAR_DIR"] = tmp
    os.environ["DEBUG"] = "false"
    os.environ["CACHE_URL"] = "locmem://"
    os.environ["ESSAIM_TASKS_BACKEND"] = "immediate"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from essaim.support.enums import BookingStatus
    from essaim.support.models import Booking
    from essaim.support.services.bookings import BookingRefused, SlotTaken, booking_create

    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    call_command("migrate", verbosity=0)
    from machine import Machine

    print(f"## Booking race — {connection.vendor}")
    print(Machine().line())
    slot_ids = populate(args.slots)
    connection.close()
    barrier = threading.Barrier(min(args.concurrency, args.attempts))

    def attempt(n):
        from django.db import connection as thread_connection

        try:
            if n < barrier.parties:
                barrier.wait(timeout=60)
            started = time.perf_counter()
            try:
                booking_create(
                    slot_id=slot_ids[n % len(slot_ids)],
                    name=f"Personne {n}",
                    email=f"p{n}@bench.example",
                    consent=True,
                )
                outcome = "booked"
            except SlotTaken:
                outcome = "taken"
            except BookingRefused as exc:
                outcome = f"refused: {exc.message}"
            except Exception as exc:  # noqa: BLE001 -- the bench counts every error
                outcome = f"error: {exc!r}"
            return outcome, (time.perf_counter() - started) * 1000
        finally:
            thread_connection.close()

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.concurrency) as pool:
        results = list(pool.map(attempt, range(args.attempts)))
    elapsed = time.perf_counter() - started
    booked = sum(1 for outcome, _ in results if outcome == "booked")
    taken = sum(1 for outcome, _ in results if outcome == "taken")
    errors = [outcome for outcome, _ in results if outcome not in ("booked", "taken")]
    in_database = Booking.objects.filter(status=BookingStatus.BOOKED).count()
    distinct = Booking.objects.values("starts_at").distinct().count()
    ok = booked == args.slots and taken == args.attempts - args.slots and not errors and in_database == args.slots
    print(
        f"  {args.attempts} concurrent bookings ({args.concurrency} at a time) on {args.slots} free slots → {booked} "
        f"confirmed, {taken} told taken, {len(errors)} errors (database: {in_database} bookings on {distinct} "
        f"distinct slots) in {elapsed:.2f} s = {args.attempts / elapsed:.0f} attempts/s, p95 "
        f"{percentile([ms for _, ms in results], 95):.0f} ms — target exactly {args.slots}/"
        f"{args.attempts - args.slots}/0: {'OK' if ok else 'FAILED'}"
    )
    if errors:
        print(f"  first errors: {errors[:3]}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    try:
        main()
    finally:
        for folder in Path(tempfile.gettempdir()).glob(f"{PREFIX}{os.getpid()}-*"):  # this run's own folder only
            if folder.is_dir() and folder.stat().st_uid == os.getuid():
                shutil.rmtree(folder, ignore_errors=True)
