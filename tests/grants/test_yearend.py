"""The officer's year end: the year's tables as CSV and XLSX (opened again here), the one-page PDF for the Bureau,
formula injection made harmless; the deadline reminders, one per deadline and step."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from essaim.grants import services, yearend
from essaim.grants.enums import ApplicationState as S
from essaim.grants.models import Application, DeadlineReminder


@pytest.fixture
def year_end(world):
    """A closed file, a file in payment closed with a release, and a beneficiary named like a formula."""
    closed = world.at(S.CLOSED)
    partial = world.at(S.IN_PAYMENT)
    Application.objects.filter(pk=partial.pk).update(new_structure_name='=HYPERLINK("http://x")')
    services.application_officer_transition(application=partial, by=world.officer, name="close", comment="Arrêt.")
    return closed, partial


def test_the_tables_hold_the_years_files_decisions_payments_and_movements(world, year_end):
    tables = yearend.tables(territory=world.territory, year=2026)
    assert len(tables["dossiers"][1]) == 2
    assert len(tables["decisions"][1]) == 2
    assert len(tables["versements"][1]) == 3
    assert [row[3] for row in tables["mouvements"][1]] == ["libération du reliquat non versé"]
    assert yearend.tables(territory=world.territory, year=2025)["decisions"][1] == []


def test_the_csv_opens_in_a_french_spreadsheet_and_never_runs_a_formula(world, year_end):
    content = yearend.table_csv(territory=world.territory, year=2026, table="dossiers")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][0] == "Référence" and len(rows) == 3
    names = [row[1] for row in rows[1:]]
    assert '\'=HYPERLINK("http://x")' in names
    assert "6000,00" in rows[1]


def test_the_xlsx_has_one_sheet_per_table_with_numbers_and_text_cells_only(world, year_end):
    book = load_workbook(io.BytesIO(yearend.workbook_xlsx(territory=world.territory, year=2026)))
    assert book.sheetnames == ["Dossiers", "Décisions", "Versements", "Mouvements de crédits"]
    files = book["Dossiers"]
    values = [[cell.value for cell in row] for row in files.iter_rows(min_row=2)]
    assert any(v[1] == '\'=HYPERLINK("http://x")' for v in values)
    assert all(cell.data_type != "f" for row in files.iter_rows() for cell in row)
    assert book["Mouvements de crédits"]["E2"].value == 3000.0


def test_the_bureau_summary_is_one_page(world, year_end):
    reader = PdfReader(io.BytesIO(yearend.summary_pdf(territory=world.territory, year=2026)))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "bilan de l'année" in text and "Subventions accordées en 2026" in text and "Ressourcerie" in text


def test_the_exports_are_downloaded_from_the_dashboard_by_the_officers_only(client, world, year_end):
    query = f"?territoire={world.territory.slug}&annee=2026"
    client.force_login(world.officer)
    page = client.get(reverse("grants:dashboard") + "?annee=2026").content.decode()
    assert "(tableur XLSX)" in page and "Versements (CSV)" in page
    response = client.get(reverse("grants:export_csv", args=["versements"]) + query)
    assert (
        response["Content-Disposition"].startswith("attachment;") and "versements" in response["Content-Disposition"]
    )
    assert client.get(reverse("grants:export_xlsx") + query).status_code == 200
    assert client.get(reverse("grants:export_csv", args=["inconnue"]) + query).status_code == 404
    for user in (world.member, world.foreign_officer, world.applicant):
        client.force_login(user)
        assert client.get(reverse("grants:export_xlsx") + query).status_code == 403


def test_reminders_are_sent_once_per_deadline_and_step(world, django_capture_on_commit_callbacks):
    application = world.at(S.IN_PAYMENT)  # deadline 20 March 2028
    soon, late = datetime.date(2028, 2, 1), datetime.date(2028, 4, 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(today=soon) == 1
        assert services.reminders_send(today=soon) == 0
        assert services.reminders_send(today=datetime.date(2027, 1, 1)) == 0
        assert services.reminders_send(today=late) == 1
        assert services.reminders_send(today=late) == 0
    assert DeadlineReminder.objects.filter(application=application).count() == 2
    assert [m.to for m in mail.outbox] == [[world.applicant.email]] * 2
    body = mail.outbox[0].body
    assert "20 mars 2028" in body and "http" in body and application.get_absolute_url() in body
    assert "a expiré le 20 mars 2028" in mail.outbox[1].body


def test_the_reminders_command_says_how_many_it_sent(world):
    out = io.StringIO()
    call_command("grants_reminders", stdout=out)
    assert out.getvalue().strip() == "0\u00a0rappel envoyé."


def test_no_reminder_once_the_balance_is_paid(world):
    application = world.at(S.CLOSED)
    assert application.payments.filter(kind="balance").exists()
    assert services.reminders_send(today=datetime.date(2028, 4, 1)) == 0
    assert Decimal(application.paid_total) == application.granted_amount
