"""The SCDL Subventions 2.1.1 export: the 16 columns in order, and every value following the schema's rules."""

import csv
import io
import re
import uuid
from decimal import Decimal

from essaim.grants.enums import ApplicationState
from essaim.grants.opendata import SCDL_COLUMNS, export_opendata, scdl_subventions_csv

COLUMNS = (
    "nomAttribuant,idAttribuant,dateConvention,referenceDecision,nomBeneficiaire,idBeneficiaire,rnaBeneficiaire,"
    "objet,montant,nature,conditionsVersement,datesPeriodeVersement,idRAE,notificationUE,pourcentageSubvention,"
    "dispositifAide"
).split(",")
ISO_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
RULES = {
    "nomAttribuant": r".+",
    "idAttribuant": r"\d{14}",
    "dateConvention": ISO_DATE,
    "referenceDecision": r".+",
    "nomBeneficiaire": r".+",
    "idBeneficiaire": r"\d{14}",
    "rnaBeneficiaire": r"(W\d{9})?",
    "objet": r".{1,255}",
    "montant": r"\d+\.\d{2}",
    "nature": r"aide en numéraire",
    "conditionsVersement": r"unique|échelonné",
    "datesPeriodeVersement": rf"{ISO_DATE}(/{ISO_DATE})?",
    "idRAE": r".{0,4}",
    "notificationUE": r"oui|non",
    "pourcentageSubvention": r"(0\.\d{2}|1\.00)",
    "dispositifAide": r".+",
}


def rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_the_columns_are_the_16_of_the_schema_in_order():
    assert SCDL_COLUMNS == COLUMNS


def test_every_granted_subsidy_of_the_year_follows_the_schema_value_rules(world, client):
    closed = world.at(ApplicationState.CLOSED)
    granted = world.at(ApplicationState.GRANTED)
    world.at(ApplicationState.REFUSED)  # not a subsidy: not exported
    world.at(ApplicationState.COMMISSION_REVIEWED)  # not decided: not exported
    response = client.get("/aides/export/scdl-subventions.csv", {"year": 2026})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="scdl-subventions-2026.csv"' in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.splitlines()[0] == ",".join(COLUMNS)
    data = rows(text)
    assert len(data) == 2
    for row in data:
        for column, pattern in RULES.items():
            assert re.fullmatch(pattern, row[column]), (column, row[column])
        assert Decimal("0.01") <= Decimal(row["pourcentageSubvention"]) <= 1
        uuid.UUID(row["dispositifAide"])
    by_reference = {row["referenceDecision"]: row for row in data}
    closed_row = by_reference[closed.decision.deliberation_number]
    assert closed_row["montant"] == "6000.00"
    assert closed_row["idAttribuant"] == world.scheme.attributing_siret
    assert closed_row["idBeneficiaire"] == closed.new_structure_siret
    assert closed_row["dateConvention"] == "2026-03-20"  # the agreement's signature
    assert closed_row["conditionsVersement"] == "échelonné"
    assert closed_row["datesPeriodeVersement"] == "2026-04-01/2026-10-01"  # first and last payment
    granted_row = by_reference[granted.decision.deliberation_number]
    assert granted_row["dateConvention"] == "2026-03-12"  # no agreement yet: the deliberation
    assert granted_row["datesPeriodeVersement"] == "2026-03-12/2028-03-12"  # the period the scheme allows
    assert {row["notificationUE"] for row in data} == {"non"}
    assert {row["nature"] for row in data} == {"aide en numéraire"}


def test_a_single_payment_scheme_exports_unique_and_a_date(world):
    world.scheme.advance_rate = Decimal("0")
    world.scheme.save()
    world.at(ApplicationState.AGREEMENT_SIGNED)
    (row,) = rows(scdl_subventions_csv(year=2026))
    assert row["conditionsVersement"] == "unique"
    assert re.fullmatch(rf"{ISO_DATE}/{ISO_DATE}", row["datesPeriodeVersement"])


def test_another_year_is_empty_but_still_has_its_header(world, client):
    world.at(ApplicationState.GRANTED)
    response = client.get("/aides/export/scdl-subventions.csv", {"year": 2025})
    assert response.content.decode().strip() == ",".join(COLUMNS)


def test_a_bad_year_is_refused(client, db):
    assert client.get("/aides/export/scdl-subventions.csv", {"year": "20x6"}).status_code == 400


def test_the_export_can_be_limited_to_a_territory(world, client):
    world.at(ApplicationState.GRANTED)
    response = client.get(
        "/aides/export/scdl-subventions.csv", {"year": 2026, "territory": world.other_territory.siren}
    )
    assert rows(response.content.decode()) == []


def test_export_opendata_writes_one_file_per_year(world, tmp_path):
    world.at(ApplicationState.GRANTED)
    paths = export_opendata(directory=tmp_path)
    assert [p.name for p in paths] == ["scdl-subventions-2026.csv"]
    assert len(rows(paths[0].read_text(encoding="utf-8"))) == 1


def test_a_cancelled_grant_is_no_longer_published_as_a_subsidy(world, client):
    """An annulation withdraws the subsidy: the open data stops listing it, the other grants of the year stay."""
    from essaim.grants.services.money import application_cancel

    kept = world.at(ApplicationState.GRANTED)
    cancelled = world.at(ApplicationState.GRANTED)
    application_cancel(application=cancelled, by=world.officer, comment="Délibération n° 2026-99 : projet abandonné.")
    data = rows(client.get("/aides/export/scdl-subventions.csv", {"year": 2026}).content.decode("utf-8"))
    assert [row["objet"] for row in data] == [kept.project_title[:255]]
