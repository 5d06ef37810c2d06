"""import_csv with the shipped SIAE mapping (real file), detection of delimiter and encoding, bad rows; and the
open-data exports (CSV for Excel/LibreOffice, GeoJSON, JSON-LD, data·inclusion validated by its own package)."""

import csv
import io
import json

import pytest
from data_inclusion.schema.v1.structures import Structure as DataInclusionStructure
from django.core.management import call_command

from essaim.directory.demo import SIAE_FILE, SIAE_MAPPING
from essaim.directory.exports import (
    export_structures_csv,
    export_structures_data_inclusion,
    export_structures_geojson,
    export_structures_jsonld,
    published_structures,
)
from essaim.directory.imports.csv_import import MappingError, detect_encoding, import_csv, load_mapping
from essaim.directory.models import Structure
from tests.directory.factories import StructureFactory, StructureLabelFactory

pytestmark = pytest.mark.django_db


def test_the_real_siae_list_of_the_pas_de_calais_goes_in_through_its_mapping(geo_62):
    report = import_csv(path=SIAE_FILE, mapping=load_mapping(SIAE_MAPPING), departement="62")
    assert report.created > 100
    assert report.skipped["hors du département choisi"] > 100
    assert all("commune inconnue" in why for _, why in report.rejected)  # only communes merged since 2019
    structure = Structure.objects.filter(labels__label="ACI").first()
    assert structure.ess_source == "imported_list"
    assert list(structure.sectors.values_list("slug", flat=True)) == ["insertion"]
    assert structure.commune.departement_id == "62"
    assert Structure.objects.filter(labels__label__in=["ACI", "AI"]).exists()
    again = import_csv(path=SIAE_FILE, mapping=load_mapping(SIAE_MAPPING), departement="62")
    assert again.created == again.updated == 0 and again.unchanged == report.created


def test_any_csv_delimiter_and_encoding(geo_62, tmp_path):
    mapping = tmp_path / "m.json"
    mapping.write_text(json.dumps({"columns": {"siret": "Siret", "name": "Nom", "commune_insee": "Insee"}}))
    path = tmp_path / "liste.csv"
    path.write_bytes(
        "Nom\tSiret\tInsee\nCafé associatif\t73282932000074\t62119\nSans commune\t73282932000074\t99999\n"
        "Mauvais\t12345678901234\t62119\n".encode("cp1252")
    )
    assert detect_encoding(path) == "cp1252"
    out = io.StringIO()
    call_command("import_csv", str(path), "--mapping", str(mapping), "--no-progress", stdout=out)
    assert Structure.objects.get().name == "Café associatif"
    text = out.getvalue()
    assert "ligne 3 rejetée : SIRET 73282932000074 en double" in text
    assert "ligne 4 rejetée : SIRET invalide" in text


def test_a_bad_mapping_is_explained(tmp_path):
    mapping = tmp_path / "m.json"
    mapping.write_text(json.dumps({"columns": {"name": "Nom"}}))
    with pytest.raises(MappingError, match="siret"):
        load_mapping(mapping)


@pytest.fixture
def exported(db):
    structure = StructureFactory(
        name="Ressourcerie; « le Grenier »", description="Réemploi\net réparation", phone="03"
    )
    StructureLabelFactory(structure=structure, label="ACI")
    StructureFactory(pending=True)
    return structure


def test_csv_opens_in_excel_and_libreoffice(exported):
    stream = io.StringIO()
    assert export_structures_csv(structures=published_structures(), stream=stream) == 1
    text = stream.getvalue()
    assert text.startswith("\ufeffidentifiant;slug;dénomination")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert len(rows) == 2  # the header and the published structure; the pending one is left out
    assert rows[1][2] == "Ressourcerie; « le Grenier »" and "\r\n" in text
    assert rows[1][10] == "ACI"


def test_geojson_is_rfc_7946(exported):
    stream = io.StringIO()
    export_structures_geojson(structures=published_structures(), stream=stream, base_url="https://essaim.example")
    data = json.loads(stream.getvalue())
    (feature,) = data["features"]  # the pending structure is left out
    assert data["type"] == "FeatureCollection" and feature["type"] == "Feature"
    assert feature["geometry"] == {"type": "Point", "coordinates": [exported.lon, exported.lat]}  # lon first
    assert feature["properties"]["url"].startswith("https://essaim.example/annuaire/")


def test_jsonld_is_schema_org(exported):
    stream = io.StringIO()
    export_structures_jsonld(structures=published_structures(), stream=stream)
    (node,) = json.loads(stream.getvalue())["@graph"]  # the pending structure is left out
    assert node["@type"] == "NGO" and node["name"] == exported.name
    assert node["identifier"][0] == {"@type": "PropertyValue", "propertyID": "SIRET", "value": exported.siret}


def test_data_inclusion_structures_validate_with_their_own_schema(exported):
    stream = io.StringIO()
    export_structures_data_inclusion(structures=published_structures(), stream=stream, base_url="https://e.example")
    (record,) = json.loads(stream.getvalue())  # the pending structure is left out
    assert DataInclusionStructure.model_validate(record).siret == exported.siret
