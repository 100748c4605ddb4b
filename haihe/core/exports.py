"""Tables that people download (CSV, xlsx): a spreadsheet opens them as data, never as formulas.

Every CSV and xlsx export of the platform writes its cells through here (OWASP, "CSV
injection"): a text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return — also
after leading whitespace — is prefixed with an apostrophe, so that Excel, LibreOffice and
WPS show it as text and never evaluate it. Numbers a caller deliberately keeps numeric (int,
Decimal: amounts, counts) are written as numbers. In xlsx every other value is a string cell
(data type "s", never "f"), whatever it starts with.

    response, writer = csv_download("people.csv")   # haihe.core.pagination: writes through here
    writer.writerow([person.name, ...])

    book = XlsxBook()
    sheet = book.sheet("ZF20201015001", numbers={4: "0.00"})
    sheet.append([payee, uscc, bank, account, amount, reference])
    data = book.to_bytes()
"""

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# What makes a spreadsheet read a cell as a formula (OWASP CSV-injection guidance).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def neutralise(value: Any) -> str:
    """The text of a cell that no spreadsheet evaluates: an apostrophe before a formula trigger,
    at the start or after leading whitespace."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_TRIGGERS) or text.lstrip().startswith(FORMULA_TRIGGERS):
        return QUOTE + text
    return text


def _is_number(value: Any) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


def csv_cell(value: Any) -> Any:
    """A CSV cell: numbers as they are (a number is never a formula), dates in ISO form,
    everything else neutralised text."""
    if _is_number(value):
        return value
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return value.isoformat()
    return neutralise(value)


class CsvWriter:
    """`csv.writer` whose every cell goes through `csv_cell`."""

    def __init__(self, stream, **fmtparams):
        self._writer = csv.writer(stream, **fmtparams)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_bytes(rows: Iterable[Iterable[Any]]) -> bytes:
    """A whole CSV file, UTF-8 with a BOM (so that Excel reads Chinese)."""
    buffer = io.StringIO()
    CsvWriter(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


class XlsxSheet:
    def __init__(self, worksheet, numbers: dict[int, str]):
        self._sheet = worksheet
        self._numbers = numbers
        self._row = 0

    def append(self, row: Sequence[Any]) -> None:
        """One row: the columns named in `numbers` hold numbers (an int or a Decimal, with the
        column's number format); every other value is a neutralised string cell."""
        self._row += 1
        for index, value in enumerate(row):
            cell = self._sheet.cell(row=self._row, column=index + 1)
            if index in self._numbers and _is_number(value):
                cell.value = value
                cell.number_format = self._numbers[index]
                continue
            text = ILLEGAL_CHARACTERS_RE.sub("", neutralise(csv_cell(value)))
            cell.value = text
            cell.data_type = "s"  # never "f" (formula) nor "e" (an error code such as #N/A)
            cell.number_format = "@"  # stays text when someone edits the cell


class XlsxBook:
    """An xlsx workbook of string cells (and the numbers a caller keeps numeric)."""

    def __init__(self):
        self._book = openpyxl.Workbook()
        self._used_first = False

    def sheet(self, title: str | None = None, *, numbers: dict[int, str] | None = None):
        """A new sheet; `numbers` maps a column index (from 0) to its number format."""
        if self._used_first:
            worksheet = self._book.create_sheet()
        else:
            worksheet = self._book.active
            self._used_first = True
        if title:
            worksheet.title = str(title)[:31]
        return XlsxSheet(worksheet, numbers or {})

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self._book.save(buffer)
        return buffer.getvalue()
