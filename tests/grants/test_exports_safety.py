"""The grants' spreadsheets never carry a formula: the SCDL open data and every year-end table, CSV and XLSX, with a
beneficiary named like a formula (OWASP "CSV injection"); each year-end download leaves a trace in the audit trail."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from essaim.core import audit
from essaim.core.models import AccessRecord
from essaim.grants import services, yearend
from essaim.grants.enums import ApplicationState as S
from essaim.grants.models import Application
from essaim.grants.opendata import scdl_subventions_csv

FORMULA = '=HYPERLINK("http://x","y")'


@pytest.fixture
def formula_beneficiary(world):
    application = world.at(S.IN_PAYMENT)
    Application.objects.filter(pk=application.pk).update(new_structure_name=FORMULA, project_title="-2+3")
    services.application_officer_transition(application=application, by=world.officer, name="close", comment="@x")
    return application


def test_the_scdl_open_data_never_carries_a_formula(world, formula_beneficiary):
    (row,) = list(csv.DictReader(io.StringIO(scdl_subventions_csv(year=2026))))
    assert row["nomBeneficiaire"] == f"'{FORMULA}" and row["objet"] == "'-2+3"
    assert row["montant"].replace(".", "").isdigit()  # the amount stays a plain number


@pytest.mark.parametrize("table", list(yearend.TABLES))
def test_every_year_end_csv_table_never_carries_a_formula(world, formula_beneficiary, table):
    text = yearend.table_csv(territory=world.territory, year=2026, table=table)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    cells = [cell for row in rows[1:] for cell in row]
    assert f"'{FORMULA}" in cells
    assert FORMULA not in cells and "-2+3" not in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)


def test_no_year_end_xlsx_cell_is_a_formula(world, formula_beneficiary):
    book = load_workbook(io.BytesIO(yearend.workbook_xlsx(territory=world.territory, year=2026)))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    assert sum(cell.value == f"'{FORMULA}" for cell in cells) == 4  # one per sheet
    assert any(cell.data_type == "n" and cell.value for cell in cells)  # amounts are numbers


def test_each_year_end_export_of_the_grants_leaves_a_trace(client, world):
    query = f"?territoire={world.territory.slug}&annee=2026"
    client.force_login(world.officer)
    client.get(reverse("grants:export_csv", args=["versements"]) + query)
    client.get(reverse("grants:export_xlsx") + query)
    client.force_login(world.member)
    assert client.get(reverse("grants:export_xlsx") + query).status_code == 403  # refused: no trace
    records = list(AccessRecord.objects.of(audit.GRANTS_YEAR_END, world.territory.pk).order_by("pk"))
    assert [(r.user, r.detail) for r in records] == [
        (world.officer, "Versements (CSV)"),
        (world.officer, "tableur XLSX"),
    ]
    assert records[0].label == f"Aides de {world.territory.name}, 2026"
