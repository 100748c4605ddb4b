"""Small files of each kind, made in memory: the accepted ones and the ones to refuse."""

import io
import struct
import zipfile
import zlib

import openpyxl


def pdf(text: str = "haihe") -> bytes:
    body = f"1 0 obj << /Type /Catalog >> endobj\n% {text}\n".encode()
    return b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + body + b"trailer << /Root 1 0 R >>\n%%EOF\n"


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def jpeg() -> bytes:
    return (
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
        + b"\xff\xdb\x00\x43\x00"
        + bytes(range(64))
        + b"\xff\xd9"
    )


def xlsx() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["姓名", "签到"])
    book.active.append(["张三", "2020-03-01"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rezip(data: bytes, *, add: dict[str, bytes] | None = None, edit=None) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if edit:
                content = edit(info.filename, content)
            target.writestr(info.filename, content)
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def xlsm() -> bytes:
    """An xlsx with a VBA project (what Excel saves as .xlsm)."""

    def macro_type(name, content):
        if name == "[Content_Types].xml":
            return content.replace(
                b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml"
            ).replace(
                b"</Types>",
                b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
                b"</Types>",
            )
        return content

    return _rezip(xlsx(), add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"}, edit=macro_type)


def xlsx_with_hidden_macros() -> bytes:
    """The VBA project without the content type saying so."""
    return _rezip(xlsx(), add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        target.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def zip_bomb() -> bytes:
    """A workbook with a member that declares 200 times the archive's size (all zeros)."""
    return _rezip(xlsx(), add={"xl/media/zeros.bin": b"\0" * (8 * 1024 * 1024)})


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        target.writestr("readme.txt", "hello")
    return out.getvalue()


def exe() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\0" * 48 + b"PE\0\0"


def elf() -> bytes:
    return b"\x7fELF\x02\x01\x01" + b"\0" * 57


def html() -> bytes:
    return b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def svg() -> bytes:
    return (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
        b"<script>alert(1)</script></svg>"
    )


def script() -> bytes:
    return b"#!/bin/sh\nrm -rf /\n"
