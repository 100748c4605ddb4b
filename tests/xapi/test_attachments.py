"""Attachments (multipart/mixed, SHA-2 checked) and signed statements."""

import base64
import hashlib
import uuid

import orjson
import pytest

from haihe.xapi.models import Attachment, Statement
from tests.xapi.conftest import statement

pytestmark = pytest.mark.django_db

CERT = b"face-check photo bytes \x00\x01\x02"


def attachment_meta(content: bytes, **overrides) -> dict:
    meta = {
        "usageType": "https://haihe.tj.gov.cn/xapi/attachments/face-photo",
        "display": {"zh-CN": "人脸核验照片"},
        "contentType": "image/jpeg",
        "length": len(content),
        "sha2": hashlib.sha256(content).hexdigest(),
    }
    meta.update(overrides)
    return meta


def multipart(statements, parts, boundary="xapi-boundary-1") -> tuple[bytes, str]:
    chunks = [
        b"--"
        + boundary.encode()
        + b"\r\nContent-Type: application/json\r\n\r\n"
        + orjson.dumps(statements)
    ]
    for headers, content in parts:
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        chunks.append(b"--" + boundary.encode() + b"\r\n" + head.encode() + b"\r\n" + content)
    body = b"\r\n".join(chunks) + b"\r\n--" + boundary.encode() + b"--\r\n"
    return body, f'multipart/mixed; boundary="{boundary}"'


def part(content: bytes, sha2: str | None = None, ctype="image/jpeg") -> tuple[dict, bytes]:
    return (
        {
            "Content-Type": ctype,
            "Content-Transfer-Encoding": "binary",
            "X-Experience-API-Hash": sha2 or hashlib.sha256(content).hexdigest(),
        },
        content,
    )


def test_attachment_stored_and_returned(lrs):
    data = statement(attachments=[attachment_meta(CERT)])
    body, ctype = multipart(data, [part(CERT)])
    response = lrs.post_raw("statements", body, content_type=ctype)
    assert response.status_code == 200, response.content
    assert bytes(Attachment.objects.get().content) == CERT
    got = lrs.get("statements", {"statementId": data["id"], "attachments": "true"})
    assert got["Content-Type"].startswith("multipart/mixed")
    assert CERT in got.content
    assert hashlib.sha256(CERT).hexdigest().encode() in got.content
    listed = lrs.get("statements", {"attachments": "true"})
    assert CERT in listed.content


def test_wrong_hash_is_refused(lrs):
    data = statement(attachments=[attachment_meta(CERT)])
    body, ctype = multipart(data, [part(CERT + b"tampered", sha2=hashlib.sha256(CERT).hexdigest())])
    response = lrs.post_raw("statements", body, content_type=ctype)
    assert response.status_code == 400
    assert "hash" in response.json()["message_en"]
    assert not Statement.objects.exists()


def test_missing_part_and_undeclared_part_are_refused(lrs):
    data = statement(attachments=[attachment_meta(CERT)])
    assert lrs.statements(data).status_code == 400
    body, ctype = multipart(statement(), [part(CERT)])
    assert lrs.post_raw("statements", body, content_type=ctype).status_code == 400
    no_hash = ({"Content-Type": "image/jpeg"}, CERT)
    body, ctype = multipart(data, [no_hash])
    assert lrs.post_raw("statements", body, content_type=ctype).status_code == 400
    assert not Statement.objects.exists()


def test_file_url_attachment_needs_no_part(lrs):
    meta = attachment_meta(CERT, fileUrl="https://platform-a.example/photos/1.jpg")
    assert lrs.statements(statement(attachments=[meta])).status_code == 200


def test_malformed_multipart_is_400(lrs):
    assert lrs.post_raw("statements", b"junk", content_type="multipart/mixed").status_code == 400
    body, ctype = multipart(statement(), [])
    assert (
        lrs.post_raw(
            "statements", body.replace(b"application/json", b"text/plain"), content_type=ctype
        ).status_code
        == 400
    )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def signed(statement_data: dict, *, payload: dict | None = None, alg="RS256") -> tuple:
    jws = ".".join(
        [
            _b64(orjson.dumps({"alg": alg})),
            _b64(orjson.dumps(payload if payload is not None else statement_data)),
            _b64(b"signature-bytes"),
        ]
    ).encode()
    meta = attachment_meta(
        jws,
        usageType="http://adlnet.gov/expapi/attachments/signature",
        contentType="application/octet-stream",
    )
    return {**statement_data, "attachments": [meta]}, part(jws, ctype="application/octet-stream")


def test_signed_statement_accepted(lrs):
    original = statement()
    data, signature = signed(original)
    body, ctype = multipart(data, [signature])
    assert lrs.post_raw("statements", body, content_type=ctype).status_code == 200


@pytest.mark.parametrize(
    "kwargs",
    [
        {"payload": {"actor": {"mbox": "mailto:someone@else.example"}}},
        {"alg": "none"},
    ],
)
def test_bad_signature_refused(lrs, kwargs):
    original = statement()
    data, signature = signed(original, **kwargs)
    body, ctype = multipart(data, [signature])
    response = lrs.post_raw("statements", body, content_type=ctype)
    assert response.status_code == 400


def test_signature_that_is_not_jws_refused(lrs):
    original = statement(id=str(uuid.uuid4()))
    junk = b"not a jws"
    meta = attachment_meta(
        junk,
        usageType="http://adlnet.gov/expapi/attachments/signature",
        contentType="application/octet-stream",
    )
    body, ctype = multipart(
        {**original, "attachments": [meta]}, [part(junk, ctype="application/octet-stream")]
    )
    assert lrs.post_raw("statements", body, content_type=ctype).status_code == 400
