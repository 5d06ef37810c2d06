from django.db import migrations


def seed(apps, schema_editor):
    from essaim.directory.sectors import SECTORS

    Sector = apps.get_model("directory", "Sector")
    for position, (slug, name, description) in enumerate(SECTORS, start=1):
        Sector.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
