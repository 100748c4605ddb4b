"""Fixes found by running the ADL LRS conformance test suite (xAPI 1.0.3) against the LRS."""

import base64
import datetime
import uuid
from urllib.parse import urlencode

import orjson
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

from tests.xapi.conftest import statement
from tests.xapi.test_attachments import attachment_meta, multipart, part

pytestmark = pytest.mark.django_db

CATEGORY = {"objectType": "Activity", "id": "http://example.com/category/1"}


def _get(lrs, statement_id, **params):
    response = lrs.get("statements", {"statementId": statement_id, **params})
    assert response.status_code == 200, response.content
    return orjson.loads(response.content)


# ----- 2.4.6.2: ContextActivities are returned as arrays ----------------------------------------


def test_single_context_activity_is_returned_as_array(lrs):
    data = statement(context={"contextActivities": {"category": CATEGORY, "parent": [CATEGORY]}})
    assert lrs.statements(data).status_code == 200
    stored = _get(lrs, data["id"])
    assert stored["context"]["contextActivities"] == {"category": [CATEGORY], "parent": [CATEGORY]}


def test_single_context_activity_in_substatement_is_returned_as_array(lrs):
    sub = {
        "objectType": "SubStatement",
        "actor": {"mbox": "mailto:sub@example.com"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/reported"},
        "object": {"id": "http://example.com/a"},
        "context": {"contextActivities": {"other": CATEGORY}},
    }
    data = statement(object=sub, context={"registration": str(uuid.uuid4())})
    assert lrs.statements(data).status_code == 200
    stored = _get(lrs, data["id"])
    assert stored["object"]["context"]["contextActivities"]["other"] == [CATEGORY]


def test_resending_the_same_statement_with_single_context_activity_is_accepted(lrs):
    data = statement(context={"contextActivities": {"category": CATEGORY}})
    assert lrs.statements(data).status_code == 200
    assert lrs.statements(data).status_code == 200


# ----- 2.4.9: a Group authority is only the 3-legged OAuth pair ---------------------------------


def test_identified_group_authority_is_refused(lrs):
    authority = {
        "objectType": "Group",
        "name": "xAPI Group",
        "mbox": "mailto:xapigroup@example.com",
        "member": [
            {"name": "agentA", "mbox": "mailto:agentA@example.com"},
            {"name": "agentB", "mbox": "mailto:agentB@example.com"},
        ],
    }
    assert lrs.statements(statement(authority=authority)).status_code == 400


def test_anonymous_group_authority_of_two_agents_is_accepted(lrs):
    authority = {
        "objectType": "Group",
        "member": [
            {"account": {"homePage": "http://example.com/apps", "name": "app"}},
            {"mbox": "mailto:user@example.com"},
        ],
    }
    assert lrs.statements(statement(authority=authority)).status_code == 200


# ----- format=ids -------------------------------------------------------------------------------


def test_ids_format_keeps_only_the_activity_id_and_the_group_object_type(lrs):
    group = {"objectType": "Group", "name": "G", "mbox": "mailto:group@example.com"}
    data = statement(actor=group)
    assert lrs.statements(data).status_code == 200
    stored = _get(lrs, data["id"], format="ids")
    assert stored["object"] == {"id": data["object"]["id"]}
    assert stored["actor"] == {"objectType": "Group", "mbox": "mailto:group@example.com"}


# ----- 1.3: alternate request syntax ------------------------------------------------------------


def test_alternate_syntax_form_header_contradicting_the_real_header_is_refused(lrs):
    data = statement()
    form = urlencode(
        {
            "statementId": data["id"],
            "X-Experience-API-Version": "0.8",
            "content": orjson.dumps(data).decode(),
        }
    )
    response = lrs.post_raw(
        "statements",
        form.encode(),
        params="?method=PUT",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400


def test_alternate_syntax_form_header_agreeing_with_the_real_header_is_accepted(lrs):
    data = statement()
    form = urlencode(
        {
            "statementId": data["id"],
            "X-Experience-API-Version": "1.0.3",
            "content": orjson.dumps(data).decode(),
        }
    )
    response = lrs.post_raw(
        "statements",
        form.encode(),
        params="?method=PUT",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 204, response.content


# ----- 2.6: JWS signatures verified against an x5c certificate chain ----------------------------


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _certificate(subject: str, key, issuer_name: str, issuer_key):
    now = datetime.datetime.now(datetime.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer_name)]))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(issuer_key, hashes.SHA256())
    )


@pytest.fixture(scope="module")
def keys():
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    leaf_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca = _certificate("CA", ca_key, "CA", ca_key)
    leaf = _certificate("signer", leaf_key, "CA", ca_key)
    stray = _certificate("stray", other_key, "stray", other_key)
    der = lambda cert: base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()  # noqa: E731
    return {"leaf_key": leaf_key, "leaf": der(leaf), "ca": der(ca), "stray": der(stray)}


def _signed(data: dict, key, chain: list[str], alg="RS256", tamper=False) -> tuple:
    header = _b64url(orjson.dumps({"alg": alg, "x5c": chain}))
    payload = _b64url(orjson.dumps(data))
    algorithm = {"RS256": hashes.SHA256(), "RS384": hashes.SHA384(), "RS512": hashes.SHA512()}
    signature = key.sign(f"{header}.{payload}".encode(), padding.PKCS1v15(), algorithm[alg])
    if tamper:
        signature = bytes([signature[0] ^ 1]) + signature[1:]
    jws = f"{header}.{payload}.{_b64url(signature)}".encode()
    meta = attachment_meta(
        jws,
        usageType="http://adlnet.gov/expapi/attachments/signature",
        contentType="application/octet-stream",
    )
    return {**data, "attachments": [meta]}, part(jws, ctype="application/octet-stream")


def _post_signed(lrs, data, signature):
    body, ctype = multipart(data, [signature])
    return lrs.post_raw("statements", body, content_type=ctype)


@pytest.mark.parametrize("alg", ["RS256", "RS384", "RS512"])
def test_signature_verified_with_x5c_is_accepted(lrs, keys, alg):
    data, signature = _signed(statement(), keys["leaf_key"], [keys["leaf"], keys["ca"]], alg)
    assert _post_signed(lrs, data, signature).status_code == 200


def test_signature_that_does_not_verify_with_x5c_is_refused(lrs, keys):
    data, signature = _signed(statement(), keys["leaf_key"], [keys["leaf"]], tamper=True)
    response = _post_signed(lrs, data, signature)
    assert response.status_code == 400
    assert b"x5c" in response.content


def test_signature_checked_against_the_wrong_certificate_is_refused(lrs, keys):
    data, signature = _signed(statement(), keys["leaf_key"], [keys["stray"]])
    assert _post_signed(lrs, data, signature).status_code == 400


def test_broken_x5c_chain_is_refused(lrs, keys):
    data, signature = _signed(statement(), keys["leaf_key"], [keys["leaf"], keys["stray"]])
    assert _post_signed(lrs, data, signature).status_code == 400


def test_unreadable_x5c_is_refused(lrs, keys):
    data, signature = _signed(statement(), keys["leaf_key"], ["bm90IGEgY2VydA=="])
    assert _post_signed(lrs, data, signature).status_code == 400


# ----- 2.2 / 4.2: RFC 5646 forbids a repeated extension singleton or variant ----------------------


@pytest.mark.parametrize("tag", ["ar-a-aaa-b-bbb-a-ccc", "zh-z-aaa-z-bbb-c-ccc", "de-1901-1901"])
def test_language_tag_with_repeated_singleton_or_variant_is_rejected(lrs, tag):
    data = statement(
        object={
            "objectType": "Activity",
            "id": "http://example.com/activity/lang",
            "definition": {"name": {"en-US": "example", tag: "example"}},
        }
    )
    assert lrs.statements(data).status_code == 400


@pytest.mark.parametrize(
    "tag", ["sr-Latn-RS", "zh-Hans-CN", "de-a-aaa-b-bbb", "en-x-a-a", "de-1901-1996"]
)
def test_language_tag_without_repeats_is_accepted(lrs, tag):
    data = statement(
        object={
            "objectType": "Activity",
            "id": "http://example.com/activity/lang",
            "definition": {"name": {tag: "example"}},
        }
    )
    assert lrs.statements(data).status_code == 200, lrs.statements(data).content
