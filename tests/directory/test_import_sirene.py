"""import_sirene: real stock-file headers, streamed, ESS only, idempotent, and every bad input reported with its
line number while the rest goes in."""

import csv
import gzip
import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command

from essaim.core.models import SearchOutbox
from essaim.directory.enums import EssSource, Status
from essaim.directory.imports.sirene import Projector, import_sirene
from essaim.directory.models import DirectorySettings, ModerationLog, Structure

DATA = Path(__file__).parent / "data"
UL = DATA / "StockUniteLegale_synthetic_62.csv"
ET = DATA / "StockEtablissement_synthetic_62.csv"

pytestmark = pytest.mark.django_db


def rows_of(path):
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        return header, list(reader)


def write(path, header, rows, *, raw_lines=()):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    data = buffer.getvalue().encode("utf-8") + b"".join(raw_lines)
    path.write_bytes(data)
    return path


def test_imports_active_establishments_of_ess_units_with_coordinates(geo_62):
    report = import_sirene(unites_legales=UL, etablissements=ET)
    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    assert report.skipped == {"hors ESS": 1, "unité légale cessée": 1}  # 999900053: ceased, establishment closed
    recyclerie = Structure.objects.get(siret="99990001200017")
    assert recyclerie.status == Status.PUBLISHED and recyclerie.ess_source == EssSource.SIRENE
    assert recyclerie.family == "association" and recyclerie.rna == "W623000001"
    assert recyclerie.commune_id == "62119" and recyclerie.headcount_band == "11"
    assert 50.45 < recyclerie.lat < 50.6 and 2.55 < recyclerie.lon < 2.75  # Lambert-93 → WGS 84, near Béthune
    assert recyclerie.provenance["naf_code"]["source"] == "sirene"
    scop = Structure.objects.get(siret="99990002000010")
    assert list(scop.labels.values_list("label", flat=True)) == ["SCOP"]
    assert ModerationLog.objects.filter(transition="import").count() == 3
    assert SearchOutbox.objects.count() == 3


def test_a_rerun_changes_nothing_and_keeps_what_people_edited(geo_62):
    import_sirene(unites_legales=UL, etablissements=ET)
    structure = Structure.objects.get(siret="99990001200017")
    Structure.objects.filter(pk=structure.pk).update(
        address="Adresse corrigée", provenance={**structure.provenance, "address": {"source": "owner"}}
    )
    before = {s.pk: s.updated_at for s in Structure.objects.all()}
    outbox = SearchOutbox.objects.count()
    report = import_sirene(unites_legales=UL, etablissements=ET)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert {s.pk: s.updated_at for s in Structure.objects.all()} == before
    assert SearchOutbox.objects.count() == outbox
    assert Structure.objects.get(pk=structure.pk).address == "Adresse corrigée"


def test_dry_run_writes_nothing(geo_62):
    report = import_sirene(unites_legales=UL, etablissements=ET, dry_run=True)
    assert report.created == 3
    assert not Structure.objects.exists()


def test_territory_filter_and_review_setting(demo):
    cabbalr = demo["cabbalr"]
    DirectorySettings.objects.create(territory=cabbalr, review_imports=True)
    report = import_sirene(unites_legales=UL, etablissements=ET, territories=[cabbalr.siren])
    assert report.created == 3  # all three fictitious establishments are in the CABBALR
    assert set(Structure.objects.values_list("status", flat=True)) == {Status.PENDING}
    report = import_sirene(unites_legales=UL, etablissements=ET, territories=["200069672"])  # Ternois
    assert report.created == 0 and report.skipped["hors des territoires choisis"] == 3


def test_natural_persons_are_never_imported(geo_62, tmp_path):
    header, rows = rows_of(UL)
    i = header.index
    rows[0][i("categorieJuridiqueUniteLegale")] = "1000"
    rows[0][i("nomUniteLegale")] = "DUPONT"
    report = import_sirene(unites_legales=write(tmp_path / "ul.csv", header, rows), etablissements=ET)
    assert report.created == 2
    assert not Structure.objects.filter(siret="99990001200017").exists()
    assert not Structure.objects.filter(name__icontains="dupont").exists()


def test_a_ceased_legal_unit_is_never_imported_even_when_its_establishment_still_says_active(geo_62, tmp_path):
    header, rows = rows_of(UL)
    rows[0][header.index("etatAdministratifUniteLegale")] = "C"  # the recyclerie's legal unit has ceased
    et_header, et_rows = rows_of(ET)
    recyclerie = next(r for r in et_rows if r[et_header.index("siret")] == "99990001200017")
    assert recyclerie[et_header.index("etatAdministratifEtablissement")] == "A"  # a stale row, as in the stock
    report = import_sirene(unites_legales=write(tmp_path / "ul.csv", header, rows), etablissements=ET)
    assert report.created == 2
    assert report.skipped["unité légale cessée"] == 2  # with the fixture's other ceased unit
    assert not Structure.objects.filter(siret="99990001200017").exists()


def test_an_entry_whose_unit_ceased_or_establishment_closed_since_the_last_import_is_archived(geo_62, tmp_path):
    import_sirene(unites_legales=UL, etablissements=ET)
    header, rows = rows_of(UL)
    rows[0][header.index("etatAdministratifUniteLegale")] = "C"
    et_header, et_rows = rows_of(ET)
    scop = next(r for r in et_rows if r[et_header.index("siret")] == "99990002000010")
    scop[et_header.index("etatAdministratifEtablissement")] = "F"
    ul, et = write(tmp_path / "ul.csv", header, rows), write(tmp_path / "et.csv", et_header, et_rows)

    dry = import_sirene(unites_legales=ul, etablissements=et, dry_run=True)
    assert dry.archived == 2
    assert not Structure.objects.filter(status=Status.ARCHIVED).exists()

    outbox = SearchOutbox.objects.count()
    report = import_sirene(unites_legales=ul, etablissements=et)
    assert report.archived == 2
    assert "2 archivée(s) : fermée(s) ou cessée(s) selon SIRENE" in report.lines()
    archived = Structure.objects.filter(status=Status.ARCHIVED)
    assert set(archived.values_list("siret", flat=True)) == {"99990001200017", "99990002000010"}
    reasons = set(ModerationLog.objects.filter(transition="archive").values_list("reason", flat=True))
    assert reasons == {"SIRENE : unité légale cessée", "SIRENE : établissement fermé"}
    assert SearchOutbox.objects.count() == outbox + 2
    assert import_sirene(unites_legales=ul, etablissements=et).archived == 0  # already archived: nothing to do


def test_every_bad_input_is_reported_with_its_line_and_the_rest_goes_in(geo_62, tmp_path):
    header, rows = rows_of(ET)
    i = header.index
    good = rows[0]

    def variant(**changes):
        row = list(good)
        for name, value in changes.items():
            row[i(name)] = value
        return row

    bad_siret = variant(siret="99990001200018")
    unknown_commune = variant(siret="99990001200025", codeCommuneEtablissement="99999")
    abroad = variant(siret="99990001200033", coordonneeLambertAbscisseEtablissement="9999999")
    giant = variant(siret="99990001200041", libelleVoieEtablissement="X" * 200_000)
    nd = variant(siret="99990001200058", denominationUsuelleEtablissement="[ND]", statutDiffusionEtablissement="P")
    body = [good, bad_siret, unknown_commune, abroad, good, giant, good[:10], nd]  # line 2 … 9
    latin1 = ",".join(variant(siret="99990001200066", libelleVoieEtablissement="ÉGLISE")).encode("latin-1") + b"\n"
    broken = ",".join(variant(siret="99990001200074", libelleVoieEtablissement='"RUE CASSEE')).encode() + b"\n"
    path = write(tmp_path / "et.csv", header, body + rows[1:], raw_lines=[latin1, broken])
    report = import_sirene(unites_legales=UL, etablissements=path)
    reasons = dict(report.rejected)
    assert "SIRET invalide" in reasons[3]
    assert "commune inconnue" in reasons[4]
    assert "en double" in reasons[6] and "ligne 2" in reasons[6]
    assert "champ trop long" in reasons[7]
    assert "colonne(s)" in reasons[8]
    assert "encodage" in reasons[14]
    assert any(line >= 15 and ("colonne" in why or "illisible" in why) for line, why in report.rejected)
    assert (5, "coordonnées hors de France : centre de la commune utilisé") in report.warnings
    created = set(Structure.objects.values_list("siret", flat=True))
    assert created == {"99990001200017", "99990001200033", "99990001200058", "99990002000010", "99990003800012"}
    assert Structure.objects.get(siret="99990001200033").lat == pytest.approx(Structure.objects.get(
        siret="99990001200033").commune.lat)  # fmt: skip
    assert Structure.objects.get(siret="99990001200058").usual_name == ""  # [ND] reads as empty
    again = import_sirene(unites_legales=UL, etablissements=path)
    assert again.created == again.updated == 0 and again.rejected_count == report.rejected_count


@pytest.mark.parametrize("kind", ["gz", "zip"])
def test_compressed_stock_files(geo_62, tmp_path, kind):
    if kind == "gz":
        ul, et = tmp_path / "ul.csv.gz", tmp_path / "et.csv.gz"
        ul.write_bytes(gzip.compress(UL.read_bytes()))
        et.write_bytes(gzip.compress(ET.read_bytes()))
    else:
        ul, et = tmp_path / "ul.zip", tmp_path / "et.zip"
        for archive, source in ((ul, UL), (et, ET)):
            with zipfile.ZipFile(archive, "w") as z:
                z.writestr(source.name, source.read_bytes())
    assert import_sirene(unites_legales=ul, etablissements=et).created == 3


def test_overseas_coordinates_use_their_own_projection():
    lat, lon = Projector().to_wgs84(338000.0, 7650000.0, "97411")  # UTM 40S (EPSG:2975), La Réunion
    assert -21.4 < lat < -20.8 and 55.2 < lon < 55.8  # La Réunion


def test_the_command_prints_the_report(geo_62):
    out = io.StringIO()
    call_command(
        "import_sirene", "--unites-legales", str(UL), "--etablissements", str(ET), "--no-progress", stdout=out
    )
    assert "3 créée(s), 0 mise(s) à jour, 0 inchangée(s)" in out.getvalue()
