"""What an uploaded file is, judged by its content, never by its name.

`sniff(fileobj)` reads the file's first bytes (puremagic for the signature) and checks its
structure: a PDF starts with ``%PDF-``, a PNG with its 8-byte signature and an IHDR chunk, a JPEG
with an SOI marker; an xlsx is a zip whose members include ``[Content_Types].xml`` and
``xl/workbook.xml``, with no macros (``vbaProject.bin``, a macro-enabled content type), no
encrypted or absolute/parent-relative members, and an uncompressed size that a spreadsheet would
have (a zip bomb declares far more than it holds). Everything else is refused: executables,
HTML, SVG, scripts, other office documents (a .docx renamed .xlsx), other archives.

`sanitise_name(name)` makes the uploader's file name fit for display only (it never reaches the
storage: files are stored under a random name with no extension). `name_matches(name, type)`:
a name's extension, when it has one, must be one of the detected type's.
"""

import unicodedata
import zipfile
from dataclasses import dataclass

import puremagic
from django.utils.translation import gettext_lazy as _

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class FileType:
    media_type: str
    label: object
    extensions: tuple[str, ...]
    inline: bool  # may a browser show it in the page (images only; see views.download)


TYPES: dict[str, FileType] = {
    PDF: FileType(PDF, _("PDF 文档"), (".pdf",), inline=False),
    PNG: FileType(PNG, _("PNG 图片"), (".png",), inline=True),
    JPEG: FileType(JPEG, _("JPEG 图片"), (".jpg", ".jpeg", ".jpe", ".jfif"), inline=True),
    XLSX: FileType(XLSX, _("Excel 工作簿（xlsx）"), (".xlsx",), inline=False),
}
MEDIA_TYPES = tuple(TYPES)  # every type the platform can recognise (a CHECK constraint)

HEAD_BYTES = 8192
# An xlsx: at most this many members, and its members may declare at most this many times the
# archive's size uncompressed, and this many bytes in all (real workbooks compress 5-20x).
ZIP_MAX_MEMBERS = 10_000
ZIP_MAX_RATIO = 100
ZIP_MAX_UNCOMPRESSED = 512 * 1024 * 1024
MACRO_CONTENT_TYPES = (b"macroenabled", b"vbaproject", b"application/vnd.ms-office.vba")

NAME_MAX = 120
# control characters and the bidirectional overrides that make "exe.pdf" look like "fdp.exe"
_INVISIBLE = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F)}


class Refused(ValueError):
    """The file is not one the platform accepts; the message says why (translated)."""


def _puremagic_says(head: bytes) -> set[str]:
    try:
        return {m.mime_type for m in puremagic.magic_string(head) if m.mime_type}
    except (puremagic.PureError, ValueError):
        return set()


def _what_it_looks_like(head: bytes) -> str:
    """A few words for a refused file (what it seems to be), for the refusal's message."""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if (
        head.startswith(b"MZ")
        or head.startswith(b"\x7fELF")
        or head[:4]
        in (
            b"\xcf\xfa\xed\xfe",
            b"\xfe\xed\xfa\xcf",
            b"\xca\xfe\xba\xbe",
        )
    ):
        return str(_("可执行程序"))
    if stripped.startswith((b"<svg", b"<?xml")) and b"<svg" in stripped[:4096]:
        return str(_("SVG 图形"))
    if stripped.startswith((b"<!doctype html", b"<html", b"<script", b"<head", b"<body")):
        return str(_("网页（HTML）"))
    if stripped.startswith(b"#!"):
        return str(_("脚本"))
    if head.startswith(b"PK\x03\x04"):
        return str(_("压缩包或其他 Office 文档"))
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return str(_("旧版 Office 文档（xls/doc）"))
    return ""


def _check_png(head: bytes) -> None:
    if len(head) < 33 or head[12:16] != b"IHDR":
        raise Refused(_("PNG 图片不完整或已损坏。"))


def _check_jpeg(head: bytes) -> None:
    if len(head) < 4 or head[3] < 0xC0:
        raise Refused(_("JPEG 图片不完整或已损坏。"))


def _check_xlsx(fileobj, size: int) -> None:
    """A macro-free Office Open XML workbook of a sensible size, or Refused."""
    fileobj.seek(0)
    try:
        archive = zipfile.ZipFile(fileobj)
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise Refused(_("xlsx 文件已损坏，无法读取。")) from exc
    if len(members) > ZIP_MAX_MEMBERS:
        raise Refused(_("xlsx 文件包含的部件过多。"))
    names = {m.filename for m in members}
    lowered = {name.lower() for name in names}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise Refused(_("文件是压缩包或其他 Office 文档，不是 Excel 工作簿（xlsx）。"))
    if any("vbaproject" in name or "vbadata" in name for name in lowered):
        raise Refused(_("工作簿包含宏（xlsm），不予接收；请另存为不含宏的 xlsx。"))
    declared = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise Refused(_("工作簿已加密，不予接收。"))
        name = member.filename.replace("\\", "/")
        if name.startswith("/") or ".." in name.split("/"):
            raise Refused(_("xlsx 文件的部件路径不合法。"))
        declared += member.file_size
    if declared > ZIP_MAX_UNCOMPRESSED or declared > ZIP_MAX_RATIO * max(size, 1):
        raise Refused(_("xlsx 文件解压后的大小异常（疑似压缩炸弹），不予接收。"))
    try:
        info = archive.getinfo("[Content_Types].xml")
        if info.file_size > 1024 * 1024:
            raise Refused(_("xlsx 文件已损坏，无法读取。"))
        content_types = archive.read(info).lower()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise Refused(_("xlsx 文件已损坏，无法读取。")) from exc
    if any(marker in content_types for marker in MACRO_CONTENT_TYPES):
        raise Refused(_("工作簿包含宏（xlsm），不予接收；请另存为不含宏的 xlsx。"))
    if b"spreadsheetml.sheet.main+xml" not in content_types:
        raise Refused(_("文件是压缩包或其他 Office 文档，不是 Excel 工作簿（xlsx）。"))


def sniff(fileobj, size: int) -> FileType:
    """The type of the file's content (one of TYPES), or Refused with the reason. `fileobj` is
    seekable and left at its start."""
    fileobj.seek(0)
    head = fileobj.read(HEAD_BYTES)
    fileobj.seek(0)
    magic = _puremagic_says(head)
    if head.startswith(b"%PDF-") and PDF in magic:
        return TYPES[PDF]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        _check_png(head)
        return TYPES[PNG]
    if head.startswith(b"\xff\xd8\xff") and JPEG in magic:
        _check_jpeg(head)
        return TYPES[JPEG]
    if head.startswith(b"PK\x03\x04"):
        _check_xlsx(fileobj, size)
        fileobj.seek(0)
        return TYPES[XLSX]
    looks = _what_it_looks_like(head)
    if looks:
        raise Refused(
            _("不接受此类文件（文件内容为%(what)s）；只接受 PDF、PNG、JPEG 图片和 xlsx 工作簿。")
            % {"what": looks}
        )
    raise Refused(_("无法识别文件内容；只接受 PDF、PNG、JPEG 图片和 xlsx 工作簿。"))


def sanitise_name(name: str) -> str:
    """The uploader's file name for display: its last path part, NFC, without control or
    bidirectional-override characters, at most NAME_MAX characters (the extension kept)."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        ch
        for ch in name
        if ch not in _INVISIBLE and unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co")
    )
    name = " ".join(name.split()).strip(" .")
    if len(name) > NAME_MAX:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            name = stem[: NAME_MAX - len(ext) - 1].rstrip() + "." + ext
        else:
            name = name[:NAME_MAX]
    return name or "file"


def extension_of(name: str) -> str:
    """'.pdf' for 'a.b.PDF'; '' for a name without one."""
    stem, dot, ext = name.rpartition(".")
    return f".{ext.lower()}" if dot and stem and ext else ""


def name_matches(name: str, kind: FileType) -> bool:
    """A name without an extension matches anything; one with an extension must name the
    detected type."""
    ext = extension_of(name)
    return not ext or ext in kind.extensions
