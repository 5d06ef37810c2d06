"""The one CSV writer and the XLSX cells: a text a spreadsheet would run as a formula is made text (OWASP "CSV
injection"), numbers stay numbers; and every CSV export of the agenda and the directory goes through it."""

import csv
import datetime
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from essaim.agenda.report import campaign_report, report_csv
from essaim.agenda.services import registration_create
from essaim.core.spreadsheet import csv_cell, csv_dict_writer, csv_writer, safe_text, xlsx_append
from essaim.directory.exports import export_structures_csv
from essaim.directory.models import Structure
from tests.accounts.factories import MembershipFactory
from tests.agenda.factories import CampaignFactory, EventFactory, SessionFactory
from tests.directory.factories import StructureFactory

FORMULA = '=HYPERLINK("http://x","y")'


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", "\n"])
def test_a_text_starting_like_a_formula_gets_an_apostrophe(start):
    assert safe_text(f"{start}1+1") == f"'{start}1+1"
    assert csv_cell(f"{start}SUM(A1)") == f"'{start}SUM(A1)"


@pytest.mark.parametrize("text", ["Léa", "06 00 00 00 00", "a=b", "", "2026-03-12", "x-y"])
def test_an_ordinary_text_is_left_alone(text):
    assert csv_cell(text) == text


def test_numbers_stay_numbers_negative_ones_included_and_only_text_is_escaped():
    assert csv_cell(-12) == "-12"
    assert csv_cell(Decimal("-1500.50"), decimal_comma=True) == "-1500,50"
    assert csv_cell(-0.5) == "-0.5"
    assert csv_cell("-12") == "'-12"  # a text that looks like a number is still a text
    assert csv_cell(True) == "oui" and csv_cell(None) == ""
    assert csv_cell(datetime.date(2026, 3, 1)) == "01/03/2026"
    assert csv_cell(["=a", "b"]) == "'=a|b"


def test_the_writers_escape_every_cell_they_write():
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow([FORMULA, 3, Decimal("-2.50")])
    assert out.getvalue() == '\ufeff"\'=HYPERLINK(""http://x"",""y"")";3;-2.50\r\n'
    out = io.StringIO()
    writer = csv_dict_writer(out, fieldnames=["a", "b"])
    writer.writeheader()
    writer.writerow({"a": "@SUM(1)", "b": 1})
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [["a", "b"], ["'@SUM(1)", "1"]]


def test_an_xlsx_text_cell_is_never_a_formula_and_a_number_stays_a_number():
    book = Workbook()
    xlsx_append(book.active, [FORMULA, Decimal("-3.20"), "plain", 4])
    out = io.BytesIO()
    book.save(out)
    row = next(load_workbook(io.BytesIO(out.getvalue())).active.iter_rows())
    assert [cell.data_type for cell in row] == ["s", "n", "s", "n"]
    assert [cell.value for cell in row] == [f"'{FORMULA}", -3.2, "plain", 4]


def _rows(text, delimiter=";"):
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter))


def test_the_registrants_csv_never_carries_a_formula(client, db):
    session = SessionFactory(event=EventFactory(questions=["Régime ?"]), capacity=3)
    registration_create(
        session=session,
        name=FORMULA,
        email="x@exemple.example",
        phone="+33 6 00 00 00 00",
        answers={"Régime ?": "@cmd"},
    )
    client.force_login(MembershipFactory(territory=session.event.territory).user)
    response = client.get(reverse("agenda:registrants_csv", args=[session.event.territory.slug, session.pk]))
    (header, row) = _rows(response.content.decode("utf-8"))
    assert row[0] == f"'{FORMULA}" and row[2] == "'+33 6 00 00 00 00" and row[-1] == "'@cmd"


def test_the_campaign_report_csv_never_carries_a_formula(db):
    campaign = CampaignFactory(name=FORMULA)
    SessionFactory(event=EventFactory(territory=campaign.territory, campaign=campaign, other_organisers="-Collectif"))
    rows = _rows(report_csv(campaign_report(campaign=campaign)))
    assert rows[1][:2] == ["Total", f"'{FORMULA}"]
    assert rows[1][2] == "1"  # a count stays a number
    assert ["Organisateur", "'-Collectif"] in [row[:2] for row in rows]


def test_the_directory_csv_never_carries_a_formula(db):
    StructureFactory(name=FORMULA, address="+cmd|' /C calc'!A0", lat=-21.1, lon=55.5)
    stream = io.StringIO()
    export_structures_csv(structures=Structure.objects.published(), stream=stream)
    (header, row) = _rows(stream.getvalue())
    assert row[2] == f"'{FORMULA}"
    assert "'+cmd|' /C calc'!A0" in row
    assert "-21.1" in row  # a negative coordinate is a number, not escaped


def test_no_module_writes_csv_but_the_shared_writer():
    """A new export written with the csv module directly would skip the formula escaping: only
    essaim/core/spreadsheet.py may call csv.writer or csv.DictWriter."""
    root = Path(__file__).resolve().parents[2] / "essaim"
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path.name != "spreadsheet.py" and re.search(r"csv\.(writer|DictWriter)\(", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
