import csv
from io import StringIO

import pytest
from django.core.management import call_command

from essaim.grants.opendata import SCDL_COLUMNS


@pytest.mark.django_db
def test_export_opendata_writes_the_scdl_subsidies_of_the_demo(tmp_path, demo):
    """`essaim export_opendata` writes one SCDL file per year with the granted subsidies of the demo."""
    from essaim.accounts.demo import load_demo_accounts
    from essaim.grants.demo import load_demo_grants

    load_demo_accounts(demo)
    load_demo_grants(territories=demo)
    out = StringIO()
    call_command("export_opendata", "--output", str(tmp_path), "--dataset", "subventions", stdout=out)
    files = sorted(tmp_path.glob("scdl-subventions-*.csv"))
    assert files, out.getvalue()
    with files[0].open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == list(SCDL_COLUMNS)
    assert len(rows) > 1


@pytest.mark.django_db
def test_export_opendata_writes_every_directory_format(tmp_path):
    """The published structures go out as CSV, GeoJSON, JSON-LD and the data·inclusion schema."""
    import json

    from tests.directory.factories import StructureFactory

    StructureFactory(name="Ressourcerie du Béthunois")
    out = StringIO()
    call_command(
        "export_opendata",
        "--output",
        str(tmp_path),
        "--dataset",
        "structures-csv",
        "--dataset",
        "structures-geojson",
        stdout=out,
    )
    assert "Ressourcerie du Béthunois" in (tmp_path / "structures.csv").read_text(encoding="utf-8-sig")
    geojson = json.loads((tmp_path / "structures.geojson").read_text(encoding="utf-8"))
    assert geojson["type"] == "FeatureCollection" and len(geojson["features"]) == 1
    assert "(1 structures)" in out.getvalue()
