"""The table of the shared cache (``CACHE_URL=db://``, the default): created by ``essaim migrate`` so that no extra
command is needed, whichever cache the site uses today (essaim/core/cache.py)."""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

from essaim.core.cache import TABLE


def create_cache_table(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop_cache_table(apps, schema_editor):
    connection = schema_editor.connection
    if TABLE in connection.introspection.table_names():
        schema_editor.execute(f"DROP TABLE {connection.ops.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
