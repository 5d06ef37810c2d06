"""The one way Essaim writes spreadsheets (CSV and XLSX cells): text never becomes a formula.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, for some, a tab or a carriage return)
as a formula: a registrant named ``=HYPERLINK("http://x","y")`` would put a link, or worse, in the officer's
spreadsheet (OWASP "CSV injection"). Every text cell that starts so is prefixed with an apostrophe, which the
spreadsheet shows as text. Numbers written as numbers (``int``, ``Decimal``, ``float``) stay numbers, negative ones
included: only text is escaped. Every CSV export goes through :func:`csv_writer` (or :func:`csv_dict_writer`).
"""

import csv
import datetime
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
BOM = "\ufeff"


def safe_text(value) -> str:
    """A text a spreadsheet never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _number_text(value, decimal_comma: bool) -> str:
    if isinstance(value, Decimal):
        text = format(value, "f")
    else:
        text = str(value)
    return text.replace(".", ",") if decimal_comma else text


def csv_cell(value, *, decimal_comma: bool = False, date_format: str = "%d/%m/%Y") -> str:
    """One value as the text of a CSV cell: numbers as numbers, dates in ``date_format``, booleans as oui/non,
    lists joined with ``|``, every text made safe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, (int, float, Decimal)):
        return _number_text(value, decimal_comma)
    if isinstance(value, datetime.datetime):
        return value.strftime(f"{date_format} %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime(date_format)
    if isinstance(value, (list, tuple)):
        return safe_text("|".join(str(item) for item in value))
    return safe_text(value)


class SafeCsvWriter:
    """``csv.writer`` whose every cell goes through :func:`csv_cell`."""

    def __init__(self, stream, *, decimal_comma: bool = False, date_format: str = "%d/%m/%Y", **options):
        self._writer = csv.writer(stream, **options)
        self._cell = {"decimal_comma": decimal_comma, "date_format": date_format}

    def writerow(self, row):
        return self._writer.writerow([csv_cell(value, **self._cell) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


class SafeCsvDictWriter(SafeCsvWriter):
    """``csv.DictWriter`` whose every cell goes through :func:`csv_cell`."""

    def __init__(self, stream, *, fieldnames, **options):
        super().__init__(stream, **options)
        self.fieldnames = list(fieldnames)

    def writeheader(self):
        return self.writerow(self.fieldnames)

    def writerow(self, row):
        if isinstance(row, dict):
            row = [row.get(name, "") for name in self.fieldnames]
        return super().writerow(row)


def csv_writer(
    stream, *, delimiter: str = ";", bom: bool = True, lineterminator: str = "\r\n", **options
) -> SafeCsvWriter:
    """A CSV writer for French spreadsheets by default (semicolons, CRLF, a BOM written first so that Excel reads
    UTF-8); ``decimal_comma=True`` writes decimals with a comma."""
    if bom:
        stream.write(BOM)
    return SafeCsvWriter(stream, delimiter=delimiter, lineterminator=lineterminator, **options)


def csv_dict_writer(
    stream, *, fieldnames, delimiter: str = ",", bom: bool = False, lineterminator: str = "\r\n", **options
) -> SafeCsvDictWriter:
    """A CSV writer of dicts (comma-separated, no BOM by default: the open-data formats)."""
    if bom:
        stream.write(BOM)
    return SafeCsvDictWriter(
        stream, fieldnames=fieldnames, delimiter=delimiter, lineterminator=lineterminator, **options
    )


def xlsx_value(value):
    """A value for an openpyxl cell: Decimal as float (a number), text made safe; see :func:`xlsx_append`."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        return safe_text(value)
    return value


def xlsx_append(sheet, values) -> None:
    """Appends a row to an openpyxl sheet; a text cell is always typed as text (openpyxl types a string that starts
    with ``=`` as a formula, and a spreadsheet would run it)."""
    sheet.append([xlsx_value(value) for value in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
