"""Reading uploaded tables (.xlsx, .csv) against declared columns.

A batch is all or nothing: every row is parsed and checked first, every bad row is reported
with its row number, column and reason (in the uploader's language), and nothing is written
unless no row is bad.
"""

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import openpyxl
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from haihe.core.exports import XlsxBook, csv_bytes

MAX_ROWS = 200_000


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise
    parse: Callable[[str], Any] = str
    required: bool = True
    example: str = ""

    def headers(self) -> set[str]:
        names = {self.key.lower()}
        for lang in ("zh-hans", "en"):
            with translation.override(lang):
                names.add(str(self.label).strip().lower())
        return names


@dataclass
class RowError:
    row: int
    column: str
    message: str
    value: str = ""

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "value": self.value,
        }


@dataclass
class ParsedTable:
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


class TableError(ValueError):
    """The file as a whole cannot be read (wrong type, no header, missing columns)."""


def read_raw(data: bytes, filename: str) -> tuple[list[str], Iterable[tuple[int, list[str]]]]:
    """Headers and (row number, cells) of the first sheet; row numbers as the user sees them."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:
            raise TableError(_("无法读取该 Excel 文件：%(error)s") % {"error": exc}) from exc
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise TableError(_("文件是空的。"))

        def cells():
            for number, row in enumerate(rows, start=2):
                yield number, ["" if v is None else _cell_text(v) for v in row]

        return [str(h or "").strip() for h in header], cells()
    if name.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise TableError(_("CSV 文件的编码无法识别（请使用 UTF-8）。"))
        reader = csv.reader(io.StringIO(text))
        header = next(reader, None)
        if header is None:
            raise TableError(_("文件是空的。"))
        return [h.strip() for h in header], ((n, row) for n, row in enumerate(reader, start=2))
    raise TableError(_("只接受 .xlsx 或 .csv 文件。"))


def estimate_rows(data: bytes, filename: str) -> int:
    """How many data rows the file holds, roughly (for the progress bar before parsing)."""
    name = filename.lower()
    if name.endswith(".csv"):
        return max(0, data.count(b"\n") - 1 + (0 if data.endswith(b"\n") else 1))
    if name.endswith(".xlsx"):
        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
            return max(0, (book.worksheets[0].max_row or 1) - 1)
        except Exception:
            return 0
    return 0


def _cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "date") and hasattr(value, "hour"):
        return value.date().isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()


def parse_table(
    columns: list[Column],
    data: bytes,
    filename: str,
    progress: Callable[[int], None] | None = None,
) -> ParsedTable:
    headers, raw_rows = read_raw(data, filename)
    index: dict[str, int] = {}
    lookup = {}
    for column in columns:
        for name in column.headers():
            lookup[name] = column.key
    for position, header in enumerate(headers):
        key = lookup.get(header.strip().lower())
        if key and key not in index:
            index[key] = position
    missing = [c for c in columns if c.required and c.key not in index]
    if missing:
        raise TableError(
            _("缺少必需的列：%(columns)s") % {"columns": "、".join(str(c.label) for c in missing)}
        )
    result = ParsedTable()
    for count, (number, cells) in enumerate(raw_rows, start=1):
        if count > MAX_ROWS:
            raise TableError(_("一次最多导入 %(max)d 行。") % {"max": MAX_ROWS})
        if not any(str(c).strip() for c in cells):
            continue
        parsed: dict[str, Any] = {}
        for column in columns:
            position = index.get(column.key)
            raw = (
                str(cells[position]).strip()
                if position is not None and position < len(cells)
                else ""
            )
            if raw == "":
                if column.required:
                    result.errors.append(RowError(number, str(column.label), _("不能为空。")))
                parsed[column.key] = None
                continue
            try:
                parsed[column.key] = column.parse(raw)
            except ValidationError as exc:
                result.errors.append(
                    RowError(number, str(column.label), " ".join(exc.messages), raw[:100])
                )
        result.rows.append((number, parsed))
        if progress is not None and count % 500 == 0:
            progress(count)
    return result


def template(columns: list[Column], fmt: str) -> bytes:
    """A downloadable template: the header row in the current language, and one example row."""
    header = [str(c.label) + ("" if c.required else _("（选填）")) for c in columns]
    example = [c.example for c in columns]
    if fmt == "csv":
        return csv_bytes([[str(c.label) for c in columns], example])
    book = XlsxBook()
    sheet = book.sheet()
    sheet.append([str(c.label) for c in columns])
    sheet.append(example)
    notes = book.sheet(_("说明"))
    for column, label in zip(columns, header, strict=True):
        notes.append([label, column.example])
    return book.to_bytes()
