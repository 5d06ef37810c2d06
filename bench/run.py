"""`make bench`: every benchmark, on SQLite and, when one answers, on PostgreSQL. Prints figures and ratios."""

import datetime
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("PG_BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_BENCH_DB = "essaim_bench"


def postgres_url():
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB}")
            conn.execute(f"CREATE DATABASE {PG_BENCH_DB}")
    except Exception as exc:  # noqa: BLE001 -- any failure means: no PostgreSQL to measure
        print(f"PostgreSQL unavailable ({exc.__class__.__name__}): PostgreSQL figures skipped.")
        return None
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + PG_BENCH_DB


def main():
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if "model name" in line), "?")
    now = datetime.datetime.now(datetime.UTC)
    print(f"# Essaim benchmarks — {now:%Y-%m-%d %H:%M} UTC — {os.cpu_count()} cores, {cpu}")
    print(f"# Python {platform.python_version()}, command: make bench\n")
    urls = [""]
    pg = postgres_url()
    if pg:
        urls.append(pg)
    for url in urls:
        args = [sys.executable, str(ROOT / "bench" / "territories.py")] + (["--database-url", url] if url else [])
        subprocess.run(args, check=True, cwd=ROOT)  # noqa: S603
        print()


if __name__ == "__main__":
    main()
