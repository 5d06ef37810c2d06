"""tools/mutation_report.py: the score docs/testing.md records is computed as it says."""

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

spec = importlib.util.spec_from_file_location("mutation_report", ROOT / "tools" / "mutation_report.py")
report = sys.modules.setdefault("mutation_report", importlib.util.module_from_spec(spec))
spec.loader.exec_module(report)


@pytest.mark.parametrize(
    ("key", "function"),
    [
        ("essaim.grants.rules.x_compute__mutmut_12", "compute"),
        ("essaim.grants.services.money.x__envelope_of__mutmut_3", "_envelope_of"),
        ("essaim.agenda.services.xǁSessionAvailabilityǁseats_left__mutmut_1", "SessionAvailability.seats_left"),
    ],
)
def test_a_mutant_name_gives_its_function(key, function):
    assert report.function_of(key) == function


def test_the_score_counts_equivalents_out_no_tests_as_survivors_and_timeouts_as_killed(tmp_path, monkeypatch):
    module = "essaim/grants/services/money.py"
    codes = {
        "essaim.grants.services.money.x_payment_record__mutmut_1": 1,  # killed
        "essaim.grants.services.money.x_payment_record__mutmut_2": 36,  # timeout: killed
        "essaim.grants.services.money.x_payment_record__mutmut_3": 0,  # survived
        "essaim.grants.services.money.x_payment_record__mutmut_4": 33,  # no tests: a survivor
        "essaim.grants.services.money.x_payment_record__mutmut_5": 0,  # judged equivalent
        "essaim.grants.services.money.x_payment_record__mutmut_6": 0,  # a lock clause, blind on SQLite
        "essaim.grants.services.money.x_siret_problem__mutmut_1": 0,  # out of scope
    }
    (tmp_path / "essaim/grants/services").mkdir(parents=True)
    (tmp_path / f"{module}.meta").write_text(json.dumps({"exit_code_by_key": codes}))
    equivalents = tmp_path / "equivalents.toml"
    equivalents.write_text(
        '[equivalent]\n"essaim.grants.services.money.x_payment_record__mutmut_5" = "why"\n'
        '[lock_clause]\n"essaim.grants.services.money.x_payment_record__mutmut_6" = "why"\n'
    )
    monkeypatch.setattr(report, "MUTANTS", tmp_path)
    monkeypatch.setattr(report, "EQUIVALENTS", equivalents)
    monkeypatch.setattr(report, "SCOPE", {module: ("payment_record", "recovery_record")})

    (score,) = report.scores()

    assert (len(score.killed), len(score.survived), len(score.equivalent), len(score.lock_clauses)) == (2, 2, 1, 1)
    assert score.total == 6
    assert score.ratio == 0.5
    assert score.missing == ["recovery_record"]  # in scope, but no mutant of it: --check fails
    assert "| `essaim/grants/services/money.py` (2 fonctions) | 6 | 2 (1) | 1 | 1 | 2 | 0 | 50,0 % |" in report.table(
        [score]
    )
    assert report.main(["--check"]) == 1
