"""The mutation score of the code that handles money, seats and rights, module by module (`make mutation`).

mutmut (``[tool.mutmut]`` in ``pyproject.toml``) keeps each mutant's result under ``mutants/``; this script reads
them, keeps the functions in scope (the whole module, or for the service modules only the functions that move
credits or seats), sets aside the mutants judged equivalent (``tools/mutation_equivalents.toml``, each with why)
and prints the table that ``docs/testing.md`` records:

    score = killed / (mutants in scope - equivalent)

A mutant without a covering test ("no tests") counts as a survivor; a timeout counts as killed (the mutant made
the code loop). ``--check`` fails below the goal or when a mutant in scope was not run; ``--write`` replaces the
table and the list of equivalents between their markers in ``docs/testing.md``; ``--survivors`` lists the mutants
left to kill.
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = ROOT / "mutants"
EQUIVALENTS = ROOT / "tools" / "mutation_equivalents.toml"
DOC = ROOT / "docs" / "testing.md"
GOAL = 0.85

# Module -> the functions in scope (None: every function of the module). A method is "Class.method".
SCOPE: dict[str, tuple[str, ...] | None] = {
    "essaim/grants/rules.py": None,
    "essaim/grants/workflow.py": None,
    "essaim/grants/perms.py": None,
    "essaim/agenda/perms.py": None,
    "essaim/territories/perms.py": None,
    "essaim/core/identifiers.py": None,
    "essaim/grants/services/money.py": (
        "advance_suggestion",
        "revised_amount",
        "balance_suggestion",
        "balance_justify",
        "_envelope_of",
        "_movement",
        "payment_record",
        "application_close",
        "application_cancel",
        "recovery_record",
        "envelope_save",
    ),
    "essaim/grants/services/sittings.py": ("_envelope_for", "session_record_decisions", "decision_record"),
    "essaim/agenda/services.py": (
        "session_availability",
        "registration_closed_reason",
        "registration_create",
        "_promote",
        "registration_cancel",
        "session_fill_from_waitlist",
        "session_save",
    ),
}

TIMEOUTS = {24, -24, 36, 152, 255}  # SIGXCPU: the mutant made the tests run far longer than measured
KILLED = {1, 3, 37, -9, -11} | TIMEOUTS  # failed tests, timeouts, caught by the type check
SURVIVED = {0, 5, 33}  # the tests passed, or no test covers the mutated function


def function_of(key: str) -> str:
    """``essaim.agenda.services.xǁSessionAvailabilityǁseats_left__mutmut_3`` -> ``SessionAvailability.seats_left``."""
    name = re.sub(r"__mutmut_\d+$", "", key.rsplit(".", 1)[-1])
    return name.removeprefix("x").strip("ǁ").replace("ǁ", ".") if "ǁ" in name else name.removeprefix("x_")


@dataclass
class Score:
    module: str
    killed: list[str] = field(default_factory=list)
    timeouts: list[str] = field(default_factory=list)  # also in killed
    survived: list[str] = field(default_factory=list)
    equivalent: list[str] = field(default_factory=list)
    lock_clauses: list[str] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)
    functions: set[str] = field(default_factory=set)
    missing: list[str] = field(default_factory=list)  # in scope, but mutmut made no mutant of them

    @property
    def total(self) -> int:
        return (
            len(self.killed) + len(self.survived) + len(self.equivalent) + len(self.lock_clauses) + len(self.unchecked)
        )

    @property
    def ratio(self) -> float:
        """Of the mutants measured (equivalents and lock clauses aside); --check also fails on any not measured."""
        counted = len(self.killed) + len(self.survived)
        return len(self.killed) / counted if counted else 0.0


SET_ASIDE = {
    "equivalent": "Equivalent: the same behaviour for every input the code can receive",
    "lock_clause": (
        "A lock clause (``select_for_update`` and its ``of``): SQLite ignores it, so no SQLite test can see it; the "
        "race tests prove each lock on PostgreSQL (tests/test_guards.py)"
    ),
}


def equivalents() -> dict[str, tuple[str, str]]:
    """Mutant -> (its table in the file: equivalent or lock_clause, why)."""
    if not EQUIVALENTS.exists():
        return {}
    data = tomllib.loads(EQUIVALENTS.read_text())
    return {key: (table, why) for table in SET_ASIDE for key, why in data.get(table, {}).items()}


def scores() -> list[Score]:
    judged = equivalents()
    result = []
    for module, functions in SCOPE.items():
        score = Score(module)
        meta = MUTANTS / f"{module}.meta"
        codes = json.loads(meta.read_text())["exit_code_by_key"] if meta.exists() else {}
        for key, code in sorted(codes.items()):
            function = function_of(key)
            if functions is not None and function not in functions:
                continue
            score.functions.add(function)
            if key in judged:
                (score.equivalent if judged[key][0] == "equivalent" else score.lock_clauses).append(key)
            elif code in KILLED:
                score.killed.append(key)
                if code in TIMEOUTS:
                    score.timeouts.append(key)
            elif code in SURVIVED:
                score.survived.append(key)
            else:
                score.unchecked.append(key)
        score.missing = sorted(set(functions or ()) - score.functions)
        result.append(score)
    return result


def globs() -> list[str]:
    """mutmut's names of the mutants in scope: ``essaim.grants.rules.*``, ``essaim.agenda.services.x__promote__*``."""
    names = []
    for module, functions in SCOPE.items():
        dotted = module.removesuffix(".py").replace("/", ".")
        names += [f"{dotted}.*"] if functions is None else [f"{dotted}.x_{f}__mutmut_*" for f in functions]
    return names


def table(rows: list[Score]) -> str:
    lines = [
        f"Mesuré le {datetime.datetime.now(datetime.UTC).date():%Y-%m-%d} (`make mutation`, SQLite).",
        "",
        "| Module | Mutants | Tués (dont délai dépassé) | Équivalents | Clauses de verrou | Survivants | Non mesurés "
        "| Score |",
        "|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for s in rows:
        scope = "" if SCOPE[s.module] is None else f" ({len(SCOPE[s.module])} fonctions)"
        percent = f"{s.ratio * 100:.1f}".replace(".", ",")
        lines.append(
            f"| `{s.module}`{scope} | {s.total} | {len(s.killed)} ({len(s.timeouts)}) | {len(s.equivalent)} "
            f"| {len(s.lock_clauses)} | {len(s.survived)} | {len(s.unchecked)} | {percent} % |"
        )
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help=f"fail below {GOAL:.0%} or when a mutant was not run")
    parser.add_argument("--write", action="store_true", help="write the table into docs/testing.md")
    parser.add_argument("--survivors", action="store_true", help="list the mutants left to kill")
    parser.add_argument("--globs", action="store_true", help="print the mutmut names of the functions in scope")
    args = parser.parse_args(argv)
    if args.globs:
        print(" ".join(globs()))
        return 0
    if not MUTANTS.exists():
        sys.exit("Aucun résultat : lancez d'abord `make mutation`.")
    rows = scores()
    text = table(rows)
    print(text)
    if args.survivors:
        for s in rows:
            for key in s.survived + s.unchecked:
                print(key)
    if args.write:
        judged = equivalents()
        listed = "\n\n".join(
            f"{title}:\n\n"
            + "\n".join(f"- `{key}`: {why}" for key, (table, why) in sorted(judged.items()) if table == name)
            for name, title in SET_ASIDE.items()
        )
        doc = DOC.read_text()
        for marker, content in (("mutation", text), ("equivalents", listed)):
            start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
            before, rest = doc.split(start, 1)
            _, after = rest.split(end, 1)
            doc = f"{before}{start}\n{content}\n{end}{after}"
        DOC.write_text(doc)
    for s in rows:
        if s.missing:
            print(f"{s.module} : aucun mutant pour {', '.join(s.missing)}", file=sys.stderr)
    stale = set(equivalents()) - {key for s in rows for key in s.equivalent + s.lock_clauses}
    if stale:
        print(f"Équivalents qui ne sont plus des mutants du périmètre : {', '.join(sorted(stale))}", file=sys.stderr)
    if args.check:
        failing = [s.module for s in rows if s.ratio < GOAL or s.unchecked or s.missing]
        if failing or stale:
            print(f"Sous l'objectif de {GOAL:.0%} ou non mesurés : {', '.join(failing)}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
