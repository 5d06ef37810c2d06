"""Every concurrency guard is proven on the engine that runs the suite: its race test passes with the guard and
fails without it.

A guard is a function of essaim/ that locks (``select_for_update``; on SQLite the IMMEDIATE transactions of
config/settings.py do the locking). ``GUARDS`` names the race tests that prove each one; ``NOT_RACED`` says why a
lock has no race test of its own. A new lock (seats of a slot, a shared item, a group purchase…) fails
``test_every_lock_is_a_proven_guard_or_says_why`` until it is listed with its race test.

``test_each_race_test_fails_once_the_guards_are_removed`` runs those race tests again in a pytest of their own with
``ESSAIM_TEST_GUARDS=off`` (tests/conftest.py: ``select_for_update`` does nothing, SQLite transactions begin
DEFERRED; the race tests of ``CONSTRAINT_GUARDS`` drop their constraint) and expects every one of them to fail: a
race test that still passes without its guard proves nothing.
It runs in both suites, so each guard is proven on SQLite and on PostgreSQL."""

import ast
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
AGENDA = "tests/agenda/test_concurrency.py::"
GRANTS = "tests/grants/test_concurrency.py::"
SUPPORT_BOOKINGS = "tests/support/test_booking_race.py::"
PROJECTS = "tests/support/test_referrals_races.py::"
CLUB_MEMBERSHIP = "tests/club/test_membership_race.py::"
CLUB_ANSWERS = "tests/club/test_answers_race.py::"
CLUB_ITEMS = "tests/club/test_item_race.py::"

GUARDS = {
    # Club — membership: the member's row, locked while its people are counted.
    "essaim.club.services.membership.member_person_remove": (
        CLUB_MEMBERSHIP + "test_two_people_removing_each_other_at_once_leave_one",
    ),
    "essaim.agenda.services.registration_create": (
        AGENDA + "test_concurrent_registrations_confirm_exactly_the_capacity_and_queue_the_rest",
        AGENDA + "test_concurrent_registrations_without_waiting_list_refuse_everyone_past_the_capacity",
    ),
    "essaim.agenda.services.registration_cancel": (
        AGENDA + "test_two_cancellations_at_the_same_moment_promote_two_different_people",
    ),
    "essaim.agenda.services.session_save": (
        AGENDA + "test_a_capacity_lowered_while_people_register_never_leaves_more_confirmed_than_seats",
    ),
    "essaim.grants.services.sittings._envelope_for": (
        GRANTS + "test_two_decisions_at_the_same_moment_never_exceed_the_credits",
        GRANTS + "test_credits_lowered_while_a_decision_is_taken_never_leave_the_envelope_overdrawn",
    ),
    "essaim.grants.services.money._envelope_of": (
        GRANTS + "test_two_payments_at_the_same_moment_never_exceed_the_granted_amount",
        GRANTS + "test_two_closings_at_the_same_moment_release_the_unpaid_balance_once",
        GRANTS + "test_a_decision_taken_while_credits_are_released_counts_them",
    ),
    "essaim.grants.services.common._locked": (
        GRANTS + "test_two_payments_at_the_same_moment_never_exceed_the_granted_amount",
    ),
    "essaim.grants.services.money.envelope_save": (
        GRANTS + "test_credits_lowered_while_a_decision_is_taken_never_leave_the_envelope_overdrawn",
    ),
    # The lock of the motif, and the constraint booking_one_per_adviser_slot (dropped by the race test's own fixture
    # when the guards are off: its module's docstring says how).
    "essaim.support.services.bookings._lock_motif": (
        SUPPORT_BOOKINGS + "test_concurrent_bookings_of_the_last_free_slot_confirm_exactly_one",
        SUPPORT_BOOKINGS + "test_one_person_booking_two_slots_of_a_motif_at_once_gets_one",
    ),
    "essaim.support.services.referrals.referral_move": (
        PROJECTS + "test_two_partners_clicks_on_one_referral_at_the_same_moment_log_one_move",
    ),
    "essaim.support.services.projects.survey_answer": (
        PROJECTS + "test_a_survey_answered_twice_at_the_same_moment_keeps_one_answer",
    ),
    "essaim.support.services.projects._locked": (
        PROJECTS + "test_two_stage_changes_at_the_same_moment_log_a_consistent_chain",
    ),
    # club — calls and joint answers
    "essaim.club.services.answers.answer_start_application": (
        CLUB_ANSWERS + "test_a_double_click_on_a_won_answer_opens_one_grant_application",
    ),
}

NOT_RACED = {
    # news — the newsletter's subscriptions
    "essaim.news.services.newsletter.subscription_request": (
        "one address of one territory: the unique news_subscriber_unique makes a second creation at the same moment "
        "fail, and the request then takes the row the other one wrote; no count is shared"
    ),
    "essaim.news.services.newsletter.subscription_confirm": (
        "one subscriber's row: confirming twice at once sets the same date; no count is shared"
    ),
    # observatory — the yearly evaluation of the fiches
    "essaim.observatory.services.evaluation._locked": (
        "one fiche's evaluation of one year (unique evaluation_one_per_sheet_and_year): a second save, submission or "
        "entered value at the same moment finds the new state and is refused by TRANSITIONS; no count is shared"
    ),
    "essaim.observatory.services.evaluation._lock": (
        "one evaluation's state: a second decision at the same moment finds the new state, refused by TRANSITIONS"
    ),
    # club — calls and joint answers
    "essaim.club.services.answers.answer_outcome": (
        "one answer's status: a second outcome at the same moment finds the new status and is refused by TRANSITIONS"
    ),
    "essaim.agenda.services.session_fill_from_waitlist": (
        "the same lock then the same _promote as registration_cancel, whose race test proves them"
    ),
    "essaim.agenda.recurring.series_sync": (
        "serialises two officers' edits of one series; no count is shared: the later edit sees the earlier's sessions"
    ),
    "essaim.agenda.workflow.event_transition": (
        "one event's state: a second transition at the same moment finds the new state and is refused"
    ),
    "essaim.directory.imports.sirene.archive_ceased": "run by the import command, one process at a time",
    "essaim.directory.services._transition": "one entry's moderation state: the second moderator's action is refused",
    "essaim.directory.services.structure_merge": "one administrator's merge of two entries; no count is shared",
    "essaim.directory.services.structure_update": "one entry's fields: the last write wins, each logged",
    "essaim.directory.services.change_approve": "one proposed change: a second decision finds it decided",
    "essaim.directory.services.change_reject": "one proposed change: a second decision finds it decided",
    "essaim.directory.services.claim_approve": "one claim: a second decision finds it decided",
    "essaim.directory.services.claim_reject": "one claim: a second decision finds it decided",
    "essaim.jobs.services.job_claim": (
        "the guard is the conditional UPDATE (still ready, same attempt count), which tests/jobs/test_worker.py "
        "test_two_concurrent_workers_run_each_task_exactly_once proves; skip_locked only spares the wait"
    ),
    "essaim.jobs.services.jobs_recover_stale": "the worker's own loop; a task comes back by a conditional UPDATE",
    "essaim.territories.services.territory_inherit_policy": "one administrator's edit of one territory's policy",
    "essaim.support.services.projects.project_from_booking": (
        "one click on one booking: the second, behind the booking's row lock, finds it linked to its project"
    ),
    "essaim.support.services.projects.projects_anonymise": "run by the daily command, one process at a time",
    "essaim.support.services.referrals.referral_create": (
        "the guard is the partial unique constraint referral_one_open_per_partner (a second open referral to the "
        "same partner is refused in French); the project's lock only orders the checks"
    ),
}


def locking_functions() -> set[str]:
    """``module.function`` (or ``module.Class.method``) of every function of essaim/ that calls select_for_update."""
    found = set()
    for path in sorted(ROOT.joinpath("essaim").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)

        def visit(node, prefix, module=module):
            for child in ast.iter_child_nodes(node):
                if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    calls = [
                        n for n in ast.walk(child) if isinstance(n, ast.Attribute) and n.attr == "select_for_update"
                    ]
                    if calls:
                        found.add(f"{module}.{prefix}{child.name}")
                elif isinstance(child, ast.ClassDef):
                    visit(child, f"{prefix}{child.name}.")

        visit(ast.parse(path.read_text(encoding="utf-8")), "")
    return found


# Guards that are a database constraint with no lock above them: their race tests drop the constraint themselves
# when the guards are off (their module says how), and are proven with the others.
CONSTRAINT_GUARDS = {
    "club.ItemBookingUnit.item_booking_unit_once": (
        CLUB_ITEMS + "test_concurrent_bookings_of_one_van_for_overlapping_periods_confirm_exactly_one",
        CLUB_ITEMS + "test_concurrent_bookings_of_one_room_for_overlapping_hours_confirm_exactly_one",
    ),
}


def race_tests() -> list[str]:
    guards = [*GUARDS.values(), *CONSTRAINT_GUARDS.values()]
    return sorted({test for tests in guards for test in tests})


def test_every_lock_is_a_proven_guard_or_says_why():
    locks = locking_functions()
    assert len(locks) >= 20
    assert sorted(locks - GUARDS.keys() - NOT_RACED.keys()) == [], "a new lock: add it to GUARDS with its race test"
    assert sorted((GUARDS.keys() | NOT_RACED.keys()) - locks) == [], "no longer locks: remove it"
    assert not GUARDS.keys() & NOT_RACED.keys()


def test_every_race_test_named_exists():
    missing = []
    for test in race_tests():
        path, name = test.split("::")
        tree = ast.parse(ROOT.joinpath(path).read_text(encoding="utf-8"))
        if name not in {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}:
            missing.append(test)
    assert missing == []


def _database_url_of_the_run() -> str:
    """The run's own engine, on a database of its own (pytest-django creates test_<name>)."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        return ""
    url = os.environ["DATABASE_URL"]
    return f"{url.rsplit('/', 1)[0]}/{database['NAME']}_guards_{os.getpid()}"


def test_each_race_test_fails_once_the_guards_are_removed(tmp_path):
    report = tmp_path / "report.xml"
    env = {**os.environ, "ESSAIM_TEST_GUARDS": "off"}
    env.pop("PYTEST_XDIST_WORKER", None)
    url = _database_url_of_the_run()
    if url:
        env["DATABASE_URL"] = url
    else:
        env.pop("DATABASE_URL", None)
    command = [sys.executable, "-m", "pytest", "-p", "no:randomly", "-p", "no:xdist", "-q", f"--junitxml={report}"]
    result = subprocess.run(  # noqa: S603
        [*command, *race_tests()], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-3000:]
    cases = ET.parse(report).getroot().iter("testcase")  # noqa: S314 -- the report of our own pytest
    outcomes = {
        f"{case.get('classname').replace('.', '/')}.py::{case.get('name')}": [child.tag for child in case]
        for case in cases
    }
    assert sorted(outcomes) == race_tests()
    still_passing = [test for test, tags in outcomes.items() if not {"failure", "error"} & set(tags)]
    assert still_passing == [], "these race tests pass without their guard: they prove nothing"


@pytest.mark.parametrize("test", race_tests())
def test_each_race_test_commits_for_real_and_says_how_it_is_proven(test):
    """Threads of a test inside the test's own rolled-back transaction would never race: a race test commits
    (``django_db(transaction=True)`` or the ``committed_world`` of the grants). Its module says how it is proven."""
    path, name = test.split("::")
    tree = ast.parse(ROOT.joinpath(path).read_text(encoding="utf-8"))
    assert "test_guards.py" in ast.get_docstring(tree)
    function = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name)
    uses = {ast.unparse(d) for d in function.decorator_list} | {a.arg for a in function.args.args}
    assert {"pytest.mark.django_db(transaction=True)", "committed_world", "transactional_db"} & uses
