"""Benchmark of a search index catching up (issue #20): a web node whose `essaim index_sync` was stopped while
10,000 changes were made to the directory applies them with `index_sync` at ≥ 5,000 changes/s.

For each engine (a temporary SQLite file; a temporary PostgreSQL database when one answers), the script migrates,
imports the geography, generates ``--structures`` structures (50,000) and builds the node's index. Then, with the
node "stopped" (nothing applies the outbox), it makes ``--changes`` changes the way the officers' services do — a
structure renamed, unpublished, published again, each with its outbox row in its transaction — and times
`index_apply_pending()` until the node is in step, then checks that a renamed structure is found by its new name.
The ratio printed is the rate over the 5,000 changes/s target (the target is a rate, not a baseline of the run).

Usage: python bench/index_catchup.py [--structures 50000] [--changes 10000] [--database-url URL] [--sqlite-only]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.agenda import admin_sql, postgres_reachable  # noqa: E402
from bench.machine import cpu_model  # noqa: E402

TARGET = 5000.0
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"

CHILD = r"""
import json, random, sys, time
import django
django.setup()
from django.core.management import call_command
from django.db import transaction
from essaim.core.models import SEARCH_OUTBOX_LISTENERS, search_outbox_add
from essaim.directory.models import Structure
from essaim.search.indexer import index_apply_pending, index_status, reindex
from essaim.search.query import StructureSearch, search_structures

structures, changes = int(sys.argv[1]), int(sys.argv[2])
call_command("migrate", verbosity=0)
call_command("import_geo", verbosity=0)
call_command("generate_structures", count=structures, no_progress=True, verbosity=0)
reindex()
SEARCH_OUTBOX_LISTENERS.clear()  # the node is stopped: nothing applies the outbox after the commits
ids = list(Structure.objects.filter(status="published").values_list("id", flat=True))
rng = random.Random(20)
chosen = rng.sample(ids, min(changes, len(ids)))
started = time.perf_counter()
for number, pk in enumerate(chosen):
    with transaction.atomic():
        kind = number % 4
        if kind == 0:
            Structure.objects.filter(pk=pk).update(name=f"Recyclerie numéro {number} renommée")
        elif kind == 1:
            Structure.objects.filter(pk=pk).update(status="archived")
        else:
            Structure.objects.filter(pk=pk).update(description=f"Présentation revue {number}")
        search_outbox_add(model="directory.structure", ids=[pk])
written = time.perf_counter() - started
pending = index_status()["pending"]
started = time.perf_counter()
applied = index_apply_pending()
seconds = time.perf_counter() - started
status = index_status()
renamed = search_structures(StructureSearch(q="Recyclerie numéro 4 renommée")).ids
print(json.dumps({
    "pending": pending, "applied": applied, "seconds": seconds, "written_s": written,
    "in_step": status["pending"] == 0, "renamed_found": chosen[4] in renamed,
    "documents": status["documents"], "published": Structure.objects.filter(status="published").count(),
}))
"""


def run(label, env, structures, changes):
    with tempfile.TemporaryDirectory(prefix="essaim-catchup-") as tmp:
        env = {**env, "ESSAIM_VAR_DIR": tmp, "ESSAIM_SEARCH_INDEX_DIR": str(Path(tmp) / "index")}
        result = subprocess.run(  # noqa: S603 -- our own interpreter and script
            [sys.executable, "-c", CHILD, str(structures), str(changes)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
    if result.returncode:
        raise SystemExit(f"{label}: {result.stderr[-3000:]}")
    found = json.loads(result.stdout.strip().splitlines()[-1])
    rate = found["applied"] / found["seconds"]
    print(
        f"{label:<11} {found['pending']:>6} changes pending, applied in {found['seconds']:.2f} s: "
        f"{rate:,.0f} changes/s = {rate / TARGET:.2f}× the target of {TARGET:,.0f}/s "
        f"({'met' if rate >= TARGET else 'MISSED'}); in step: {found['in_step']}, "
        f"renamed found: {found['renamed_found']}, index {found['documents']} = published {found['published']}"
    )
    return rate


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--structures", type=int, default=50_000)
    parser.add_argument("--changes", type=int, default=10_000)
    parser.add_argument("--database-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    base = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    base |= {"DJANGO_SETTINGS_MODULE": "config.settings", "ESSAIM_TASKS_BACKEND": "immediate"}
    print(f"Index catch-up, {args.structures:,} structures, {args.changes:,} changes — {cpu_model()}")
    run("SQLite", base, args.structures, args.changes)
    if args.sqlite_only or not postgres_reachable(args.database_url):
        print("PostgreSQL: skipped (not reachable)")
        return
    name = f"essaim_bench_catchup_{os.getpid()}"
    admin_sql(args.database_url, f'CREATE DATABASE "{name}"')
    try:
        url = args.database_url.rsplit("/", 1)[0] + f"/{name}"
        run("PostgreSQL", {**base, "DATABASE_URL": url}, args.structures, args.changes)
    finally:
        admin_sql(args.database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
