"""`make bench`: every benchmark at the scale its issue names, on SQLite and, when one answers, on PostgreSQL.

Each benchmark prints its figures and the ratio against its issue's target. Extra arguments are passed to the
directory benchmark (e.g. `make bench BENCH_ARGS="--count 100000"` for a quicker run); record the figures of a
full run in bench/RESULTS.md with the date, the machine and the command.
"""

import datetime
import os
import platform
import subprocess
import sys
from pathlib import Path

from machine import Machine

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("PG_BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def postgres_database(name):
    """A fresh PostgreSQL database for one benchmark, or None when no server answers."""
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    except Exception as exc:  # noqa: BLE001 -- any failure means: no PostgreSQL to measure
        print(f"PostgreSQL unavailable ({exc.__class__.__name__}): PostgreSQL figures skipped.")
        return None
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def run(script, *args):
    print(f"\n## {script} {' '.join(args)}".rstrip(), flush=True)
    return subprocess.run([sys.executable, str(ROOT / "bench" / script), *args], cwd=ROOT, check=False).returncode


def main():
    now = datetime.datetime.now(datetime.UTC)
    print(f"# Essaim benchmarks — {now:%Y-%m-%d %H:%M} UTC — {Machine().line()}")
    print(f"# Python {platform.python_version()}, command: make bench")
    only = os.environ.get("BENCH_ONLY", "territories,agenda,directory,pages,support,limits,backup").split(",")
    extra = sys.argv[1:]
    failures = 0
    for engine in ("sqlite", "postgresql"):
        url = "" if engine == "sqlite" else postgres_database("essaim_bench")
        if engine == "postgresql" and url is None:
            break
        url_args = ["--database-url", url] if url else []
        if "territories" in only:
            failures += run("territories.py", *url_args) != 0
        if "directory" in only:
            failures += run("directory.py", *url_args, *extra) != 0
        if "pages" in only:  # the event form and the moderation queue at a million structures (issue 14)
            failures += run("pages.py", *url_args) != 0
        if "support" in only:  # free slots of a month, 200 bookings on 20 slots, the board of 20,000 projects (#17)
            for script in ("support_slots.py", "support_bookings.py", "support_board.py"):
                fresh = ["--database-url", postgres_database("essaim_bench_support")] if url else []
                failures += run(script, *fresh) != 0
        if "observatory" in only:  # the observatory page against the territory page, national scale (#19)
            fresh = ["--database-url", postgres_database("essaim_bench_observatory")] if url else []
            failures += run("observatory_page.py", *fresh) != 0
        if "club" in only:  # the pooling board against the directory search, 100 bookings of one van (#18)
            for script in ("club_board.py", "club_items.py"):
                fresh = ["--database-url", postgres_database("essaim_bench_club")] if url else []
                failures += run(script, *fresh) != 0
        if "report" in only:  # the evaluation report PDF against the campaign programme PDF (#19)
            fresh = ["--database-url", postgres_database("essaim_bench_report")] if url else []
            failures += run("observatory_report.py", *fresh) != 0
    if "agenda" in only:
        failures += run("agenda.py") != 0  # runs on SQLite, then on PostgreSQL when it answers
    if "limits" in only:  # registrations under 50 clients, limiter on against off (issue 15), both engines
        failures += run("limits.py") != 0
    if "backup" in only:  # backup and restore, time and peak memory at two sizes (issue 15), on SQLite
        failures += run("backup.py") != 0
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
