"""Module-scoped fixtures that load the whole demo flush the test database when they end; what the migrations seeded
(the sector taxonomy…) must then be put back for the tests that follow on the same worker."""


def restore_seeded(seeded: str) -> None:
    """Flushes the database and puts back the rows ``connection.creation.serialize_db_to_string()`` gave. The rows
    keep their ids: PostgreSQL's sequences, reset by the flush, are set after them, or the next row a later test
    creates (a new sector) takes an id already used."""
    from django.apps import apps
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection

    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    connection.creation.deserialize_db_from_string(seeded)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(sql)
