"""The observatory's downloads: each table as CSV and JSON, the key figures (``chiffres-cles``), the year's
open-data package (a CSV per table, ``indicateurs.csv``, ``datapackage.json`` whose every resource's fields match
its CSV header, ``LICENCE.txt``), unknown codes and years answered with a 404."""

import csv
import io
import json
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.observatory import pages_fixtures
from tests.observatory.factories import SnapshotFactory
from tests.observatory.pages_fixtures import YEAR

pytestmark = pytest.mark.django_db
registry, territory = pages_fixtures.registry, pages_fixtures.territory


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8"))))


def download(client, name, territory, code, **params):
    return client.get(reverse(f"observatory:{name}", args=[territory.slug, code]), params)


def test_table_as_csv(client, territory):
    response = download(client, "table_csv", territory, "directory.by_family")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="bethune-bruay-directory-by-family-{YEAR}.csv"'
    # the label « =coopérative » cannot become a formula in a spreadsheet
    assert csv_rows(response.content) == [
        ["cle", "libelle", "valeur"],
        ["association", "association", "3"],
        ["cooperative", "'=coopérative", "4"],
    ]


def test_table_as_json(client, territory):
    response = download(client, "table_json", territory, "directory.by_commune")
    assert response.status_code == 200
    data = response.json()
    assert data["code"] == "directory.by_commune"
    assert data["annee"] == YEAR
    assert data["territoire"] == territory.siren
    assert data["origine"] == "live"
    assert [f["name"] for f in data["schema"]["fields"]] == ["cle", "libelle", "valeur"]
    assert data["data"] == [
        {"cle": "62001", "libelle": "Ablain-Saint-Nazaire", "valeur": 3},
        {"cle": "62002", "libelle": "Ablainzevelle", "valeur": 4},
    ]


def test_key_figures_as_csv(client, territory):
    response = download(client, "table_csv", territory, "chiffres-cles")
    rows = csv_rows(response.content)
    assert rows[0] == [
        "code",
        "capacite",
        "nom",
        "annee",
        "valeur",
        "unite",
        "definition",
        "source",
        "origine",
        "calcule_le",
    ]
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code["directory.establishments"][1:8] == [
        "directory",
        "Établissements de l'ESS",
        str(YEAR),
        "7",
        "structures",
        "Établissements publiés dans l'annuaire.",
        "Annuaire d'essai : structures publiées.",
    ]
    assert by_code["directory.jobs_estimated"][4] == "42.5"
    assert "support.bookings_total" in by_code
    assert "directory.by_family" not in by_code  # tables have their own files


def test_a_frozen_year_downloads_its_snapshot(client, territory):
    SnapshotFactory(
        territory=territory,
        year=YEAR - 1,
        capability="directory",
        values={"establishments": 6},
        tables={"by_family": [{"key": "mutuelle", "label": "mutuelle", "value": 6}]},
        definitions={
            "establishments": {"name": "Établissements", "definition": "Figés.", "unit": "structures"},
            "by_family": {"name": "Par famille", "definition": "Figés.", "unit": "structures", "kind": "table"},
        },
    )
    response = download(client, "table_csv", territory, "directory.by_family", annee=str(YEAR - 1))
    assert csv_rows(response.content)[1:] == [["mutuelle", "mutuelle", "6"]]
    data = download(client, "table_json", territory, "directory.by_family", annee=str(YEAR - 1)).json()
    assert data["origine"] == "snapshot"


@pytest.mark.parametrize(
    ("code", "params"),
    [
        ("directory.nothing", {}),
        ("directory.establishments", {}),  # a value, not a table
        ("inconnu.by_family", {}),
        ("directory.by_family", {"annee": "1995"}),
        ("directory.by_family", {"annee": "abc"}),
    ],
)
def test_unknown_tables_and_years_are_404(client, territory, code, params):
    assert download(client, "table_csv", territory, code, **params).status_code == 404
    assert download(client, "table_json", territory, code, **params).status_code == 404


def test_open_data_package(client, territory):
    response = client.get(reverse("observatory:package", args=[territory.slug, YEAR]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    today = timezone.localdate()
    assert response["Content-Disposition"] == (
        f'attachment; filename="observatoire-bethune-bruay-{YEAR}-{today:%Y-%m-%d}.zip"'
    )
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {"datapackage.json", "LICENCE.txt", "indicateurs.csv", "directory-by-family.csv"} <= names
    assert "directory-by-commune.csv" in names
    package = json.loads(archive.read("datapackage.json"))
    assert package["name"] == f"essaim-observatoire-bethune-bruay-{YEAR}"
    assert package["created"] == today.isoformat()
    assert package["licenses"] == [
        {
            "name": "etalab-2.0",
            "title": "Licence Ouverte / Open Licence version 2.0",
            "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
        }
    ]
    # one resource per CSV file, and every resource's fields match its CSV header, each field typed and described
    csv_files = sorted(n for n in names if n.endswith(".csv"))
    resources = package["resources"]
    assert sorted(r["path"] for r in resources) == csv_files
    assert len(resources) == len(csv_files)
    for resource in resources:
        header = csv_rows(archive.read(resource["path"]))[0]
        fields = resource["schema"]["fields"]
        assert [f["name"] for f in fields] == header
        assert all(f["type"] in {"string", "integer", "number", "datetime"} and f["title"] for f in fields)
        assert resource["profile"] == "tabular-data-resource"
    assert len({r["name"] for r in package["resources"]}) == len(package["resources"])
    licence = archive.read("LICENCE.txt").decode()
    assert "Licence Ouverte / Open Licence version 2.0" in licence
    assert "Béthune-Bruay" in licence
    rows = csv_rows(archive.read("indicateurs.csv"))
    assert ["directory.establishments", "directory", "Établissements de l'ESS", str(YEAR), "7"] == rows[1][:5]


def test_package_of_a_year_without_figures_is_404(client, territory):
    assert client.get(reverse("observatory:package", args=[territory.slug, 1995])).status_code == 404
