# ruff: noqa: E501 -- long report lines
"""Benchmark of `essaim backup` and `essaim restore` (issue 15 §4): time and peak memory at two sizes or more.

A source instance gets N generated structures (`generate_structures`, over all French communes) and D small
documents (2–30 KB each) in its private root, then `essaim backup` and `essaim restore` run as a sysadmin runs
them, each in its own process, the restore into a new empty database and empty folders. Peak memory is the
maximum resident set of the command's process and of the children it waited for (`pg_dump`, `pg_restore`), read
with `os.wait4`. The restore is measured without the search index's rebuild (`--no-reindex`), then `essaim
reindex` alone: the index's rebuild has its own memory budget (docs/operations.md, "Search index").

Target: memory flat with the size (streamed), restore/backup time ratio reported.

Usage: python bench/backup.py [--database-url URL --restore-database-url URL2] [--counts 100000,300000]
       [--documents 10000] [--data-dir DIR]
Each count adds structures to the previous one (the source is kept in --data-dir, so the next run reuses it).
"""

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def measured(command, env):
    """Runs ``command`` under an intermediate Python that reports the peak RSS of its child (os.wait4)."""
    code = (
        "import os, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "p = subprocess.Popen(sys.argv[1:], stdout=open(os.environ['BENCH_OUT'], 'w'), stderr=open(os.environ['BENCH_ERR'], 'w'))\n"
        "_, status, usage = os.wait4(p.pid, 0)\n"
        "print(time.perf_counter() - t, usage.ru_maxrss, os.waitstatus_to_exitcode(status))\n"
    )
    with tempfile.TemporaryDirectory() as tmp:
        env = {**env, "BENCH_OUT": f"{tmp}/out", "BENCH_ERR": f"{tmp}/err"}
        result = subprocess.run(  # noqa: S603
            [sys.executable, "-c", code, sys.executable, "-m", "essaim.cli", *command],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        seconds, maxrss_kb, returncode = result.stdout.split()
        out, err = Path(f"{tmp}/out").read_text(), Path(f"{tmp}/err").read_text()
    if int(returncode):
        sys.exit(f"essaim {' '.join(command)} failed:\n{out}\n{err}")
    return float(seconds), int(maxrss_kb) / 1024, out, err


def n(value) -> str:
    """A count with thin spaces between thousands, as the other benchmarks print them."""
    return f"{value:,}".replace(",", " ")


def write_documents(root: Path, count: int) -> int:
    """``count`` small files (2–30 KB) in the private root, as uploaded documents are; returns their bytes."""
    rng = random.Random(15)  # noqa: S311 -- reproducible sizes, not secrets
    total = 0
    existing = sum(1 for _ in root.rglob("*.pdf")) if root.exists() else 0
    for i in range(existing, count):
        folder = root / "grants" / f"{i % 256:02x}"
        folder.mkdir(parents=True, exist_ok=True)
        size = rng.randint(2_000, 30_000)
        (folder / f"document-{i:05d}.pdf").write_bytes(b"%PDF-1.4\n" + os.urandom(size))
    for path in root.rglob("*.pdf"):
        total += path.stat().st_size
    return total


def drop_target(url: str, tmp: Path):
    shutil.rmtree(tmp / "target", ignore_errors=True)
    if url.startswith("postgres"):
        import psycopg

        base, name = url.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="")
    parser.add_argument("--restore-database-url", default="")
    parser.add_argument("--counts", default="100000,300000")
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--data-dir", default="")
    args = parser.parse_args()
    if bool(args.database_url) != bool(args.restore_database_url):
        sys.exit("--database-url and --restore-database-url go together (two databases of the same engine).")

    tmp = Path(args.data_dir or tempfile.mkdtemp(prefix="essaim-bench-backup-"))
    source, target = tmp / "source", tmp / "target"
    source.mkdir(parents=True, exist_ok=True)
    base_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "LOG_LEVEL": "WARNING"}
    source_env = {
        **base_env,
        "DATABASE_URL": args.database_url or f"sqlite:///{source}/essaim.sqlite3",
        "ESSAIM_VAR_DIR": str(source),
        "MEDIA_ROOT": str(source / "media"),
        "ESSAIM_PRIVATE_ROOT": str(source / "private"),
        "ESSAIM_SEARCH_INDEX_DIR": str(source / "index"),
    }
    target_env = {
        **base_env,
        "DATABASE_URL": args.restore_database_url or f"sqlite:///{target}/essaim.sqlite3",
        "ESSAIM_VAR_DIR": str(target),
        "MEDIA_ROOT": str(target / "media"),
        "ESSAIM_PRIVATE_ROOT": str(target / "private"),
        "ESSAIM_SEARCH_INDEX_DIR": str(target / "index"),
    }
    os.environ.update(source_env)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from machine import Machine

    from essaim.directory.generator import generate_structures
    from essaim.directory.models import Structure
    from essaim.territories.services import geo_import, read_communes_file

    machine = Machine()
    engine = connection.vendor
    print(f"## Backup and restore — {engine}, {n(args.documents)} documents")
    print(machine.line())
    call_command("migrate", verbosity=0)
    geo_import(rows=read_communes_file())
    document_bytes = write_documents(source / "private", args.documents)
    print(f"documents: {n(args.documents)} files, {document_bytes / 1e6:.1f} MB")

    rows = []
    for count in [int(c) for c in args.counts.split(",")]:
        existing = Structure.objects.filter(is_generated=True).count()
        if existing < count:
            t = time.perf_counter()
            generate_structures(count=count - existing, seed=count, batch_size=10000)
            print(f"generate_structures: {n(count - existing)} rows in {time.perf_counter() - t:.1f} s")
        connection.close()
        backups = tmp / "backups"
        shutil.rmtree(backups, ignore_errors=True)
        backup_s, backup_mb, out, backup_err = measured(["backup", "--output", str(backups)], source_env)
        path = Path(out.strip().splitlines()[-1])
        size_mb = sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6
        drop_target(target_env["DATABASE_URL"], tmp)
        restore_s, restore_mb, _, err = measured(["restore", "--no-reindex", str(path)], target_env)
        reindex_s, reindex_mb, _, _ = measured(["reindex", "--no-progress"], target_env)
        print(
            f"N = {n(count)}: backup {backup_s:.1f} s, {backup_mb:.0f} MB peak, {size_mb:.0f} MB written; "
            f"restore {restore_s:.1f} s, {restore_mb:.0f} MB peak; reindex {reindex_s:.1f} s, {reindex_mb:.0f} MB peak; "
            f"restore/backup {restore_s / backup_s:.2f}×, with the reindex {(restore_s + reindex_s) / backup_s:.2f}×"
        )
        print("  backup phases: " + " ".join(line.strip() for line in backup_err.splitlines() if line.strip()))
        print("  restore phases: " + " ".join(line.strip() for line in err.splitlines() if line.strip()))
        rows.append((count, backup_s, backup_mb, restore_s, restore_mb, reindex_s, reindex_mb))
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        print(
            f"memory from N = {n(first[0])} to {n(last[0])} ({last[0] / first[0]:.0f}× the rows): backup "
            f"{first[2]:.0f} → {last[2]:.0f} MB, restore {first[4]:.0f} → {last[4]:.0f} MB (flat: ≤ 1.2× expected)"
        )
    print(machine.steal_line())


if __name__ == "__main__":
    main()
