import pytest

from essaim.territories.models import Commune, Departement, Epci, Region
from essaim.territories.services import geo_import, read_communes_file


@pytest.mark.django_db
def test_import_geo_loads_all_of_france_and_is_idempotent(django_capture_on_commit_callbacks):
    """The shipped geography gives every current commune, EPCI, département and région; a re-run changes nothing."""
    first = geo_import(rows=read_communes_file())
    assert Commune.objects.count() == 34969
    assert Epci.objects.count() == 1255
    assert Departement.objects.count() == 109
    assert Region.objects.count() == 26
    assert first.counts["communes"]["created"] == 34969

    second = geo_import(rows=read_communes_file())
    assert second.counts["communes"] == {"unchanged": 34969}
    assert second.counts["EPCI"] == {"unchanged": 1255}

    bethune = Commune.objects.select_related("epci", "departement__region").get(insee_code="62119")
    assert bethune.name == "Béthune"
    assert bethune.epci.siren == "200072460"
    assert bethune.departement.region.name == "Hauts-de-France"
    assert "62400" in bethune.postcode_list
    assert bethune.population > 20000


@pytest.mark.django_db
def test_import_geo_updates_a_changed_commune_and_reports_bad_rows():
    """A changed population is updated in place; a row without INSEE code is rejected with its line number."""
    rows = [r for r in read_communes_file() if r["code_insee"] in {"62119", "62178"}]
    geo_import(rows=rows)
    changed = [dict(rows[0], population="1"), rows[1], dict(rows[1], code_insee="")]
    report = geo_import(rows=changed)
    assert report.counts["communes"] == {"updated": 1, "unchanged": 1}
    assert report.rejected == [(4, "code INSEE, département ou région manquant")]
    assert "ligne 4 rejetée" in "\n".join(report.lines())
    assert Commune.objects.get(insee_code=rows[0]["code_insee"]).population == 1


@pytest.mark.django_db
def test_import_geo_command_prints_a_report(tmp_path):
    from io import StringIO

    from django.core.management import call_command

    sample = tmp_path / "communes.csv"
    lines = []
    for i, row in enumerate(read_communes_file()):
        if i == 0:
            lines.append(",".join(row.keys()))
        if row["departement"] == "62":
            lines.append(",".join(f'"{v}"' for v in row.values()))
    sample.write_text("\n".join(lines), encoding="utf-8")
    out = StringIO()
    call_command("import_geo", "--file", str(sample), stdout=out)
    assert "communes : 887 créé(s)" in out.getvalue()  # the Pas-de-Calais alone
    assert "EPCI : 20 créé(s)" in out.getvalue()


@pytest.mark.django_db
def test_import_geo_command_fails_clearly_on_a_missing_file():
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Fichier introuvable"):
        call_command("import_geo", "--file", "/nonexistent/communes.csv")
