"""Application documents move to the private storage (ESSAIM_PRIVATE_ROOT, outside MEDIA_ROOT): the files already
under MEDIA_ROOT/grants/private/ are moved there, under the same names, so that no URL can ever reach them. A file
already present at the destination is left where it was (and reported). Reversible."""

import shutil
from pathlib import Path

from django.conf import settings
from django.db import migrations, models

import essaim.core.storage
import essaim.grants.models.applications

PREFIX = Path("grants") / "private"


def _move_tree(source_root: Path, target_root: Path) -> None:
    source = source_root / PREFIX
    if not source.is_dir() or source_root.resolve() == target_root.resolve():
        return
    moved = kept = 0
    for path in sorted(p for p in source.rglob("*") if p.is_file() and not p.is_symlink()):
        target = target_root / path.relative_to(source_root)
        if target.exists():
            kept += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, target)
        moved += 1
    for directory in sorted((p for p in source.rglob("*") if p.is_dir()), reverse=True):
        if not any(directory.iterdir()):
            directory.rmdir()
    if source.is_dir() and not any(source.iterdir()):
        source.rmdir()
    if moved or kept:
        print(f"\n  grants documents: {moved} moved from {source_root} to {target_root}, {kept} left (already there)")


def to_private_root(apps, schema_editor):
    _move_tree(Path(settings.MEDIA_ROOT), Path(settings.ESSAIM_PRIVATE_ROOT))


def to_media_root(apps, schema_editor):
    _move_tree(Path(settings.ESSAIM_PRIVATE_ROOT), Path(settings.MEDIA_ROOT))


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0002_money_dates_siret_deadlines"),
    ]

    operations = [
        migrations.AlterField(
            model_name="applicationdocument",
            name="file",
            field=models.FileField(
                max_length=200,
                storage=essaim.core.storage.private_storage,
                upload_to=essaim.grants.models.applications.document_path,
                verbose_name="fichier",
            ),
        ),
        migrations.RunPython(to_private_root, to_media_root, elidable=False),
    ]
