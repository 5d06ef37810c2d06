# The booked units of a shared item know when they were written, as every Essaim model does
# (tests/test_consistency.py); existing rows take the moment of the migration.

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("club", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="itembookingunit",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, default=django.utils.timezone.now, verbose_name="créé le"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="itembookingunit",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, verbose_name="modifié le"),
        ),
    ]
