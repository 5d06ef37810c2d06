"""The daily commands, run by ``essaim worker`` once a day (see ``essaim.jobs.services.daily_schedule``)."""

from io import StringIO

from django.core.management import call_command
from django_tasks import task

# Each is idempotent: run twice the same day, the second run finds nothing left to do.
DAILY_COMMANDS = (
    "extend_recurrences",
    "grants_reminders",
    "anonymise_registrations",
    "purge_access_records",
    "support_reminders",
    "support_waitlist",
    "support_nudges",
    "support_anonymise",
    "club_renewals",
    "club_digest",
    "club_anonymise",
    "observatory_snapshot",
    "news_expire_subscribers",
)


@task()
def run_daily_command(name: str) -> str:
    """Runs one of the daily management commands and returns what it printed (kept as the task's result)."""
    if name not in DAILY_COMMANDS:
        raise ValueError(f"Commande quotidienne inconnue : {name!r}.")
    out = StringIO()
    call_command(name, stdout=out)
    return out.getvalue().strip()
