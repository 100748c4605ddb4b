"""Detection by content: each accepted type, each refusal, and display names."""

import io

import pytest

from haihe.evidence.files import (
    JPEG,
    PDF,
    PNG,
    XLSX,
    Refused,
    extension_of,
    name_matches,
    sanitise_name,
    sniff,
)
from tests.evidence import samples


def _sniff(data: bytes):
    return sniff(io.BytesIO(data), len(data))


@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        (samples.pdf(), PDF),
        (samples.png(), PNG),
        (samples.jpeg(), JPEG),
        (samples.xlsx(), XLSX),
    ],
    ids=["pdf", "png", "jpeg", "xlsx"],
)
def test_each_accepted_type_is_recognised_by_its_content(data, media_type):
    assert _sniff(data).media_type == media_type


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (samples.exe(), "可执行程序"),
        (samples.elf(), "可执行程序"),
        (samples.html(), "HTML"),
        (samples.svg(), "SVG"),
        (samples.script(), "脚本"),
        (samples.xlsm(), "宏"),
        (samples.xlsx_with_hidden_macros(), "宏"),
        (samples.docx(), "不是 Excel 工作簿"),
        (samples.plain_zip(), "不是 Excel 工作簿"),
        (samples.zip_bomb(), "压缩炸弹"),
        (b"PK\x03\x04broken", "已损坏"),
        (b"\x89PNG\r\n\x1a\n", "PNG 图片不完整"),
        (b"just some text", "无法识别"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "旧版 Office"),
    ],
    ids=[
        "exe",
        "elf",
        "html",
        "svg",
        "script",
        "xlsm",
        "hidden-vba",
        "docx",
        "zip",
        "zip-bomb",
        "broken-zip",
        "truncated-png",
        "text",
        "xls",
    ],
)
def test_everything_else_is_refused_with_the_reason(data, words):
    with pytest.raises(Refused) as refused:
        _sniff(data)
    assert words in str(refused.value)


def test_the_name_never_decides_the_type():
    """An executable named .pdf is still an executable; a PDF named .exe is still a PDF (and
    the service refuses the mismatch)."""
    with pytest.raises(Refused):
        _sniff(samples.exe())
    kind = _sniff(samples.pdf())
    assert kind.media_type == PDF
    assert not name_matches("报告.exe", kind)
    assert name_matches("报告.PDF", kind) and name_matches("报告", kind)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\签到表.xlsx", "签到表.xlsx"),
        ("invoice\u202egpj.exe", "invoicegpj.exe"),
        ("a\x00b\nc.pdf", "abc.pdf"),
        ("   ", "file"),
        ("...", "file"),
        ("名" * 200 + ".pdf", "名" * 116 + ".pdf"),
    ],
)
def test_names_are_sanitised_for_display(raw, shown):
    assert sanitise_name(raw) == shown
    assert len(sanitise_name(raw)) <= 120


def test_extension_of():
    assert extension_of("a.b.PDF") == ".pdf"
    assert extension_of("README") == ""
    assert extension_of(".bashrc") == ""
