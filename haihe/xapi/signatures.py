"""Signed statements (xAPI 1.0.3 Part Two 2.6): the signature attachment must be a JWS (compact
serialisation, RS256/RS384/RS512) whose payload is the statement as it was before the signature
attachment was added. The cryptographic check of the RSA signature itself is optional for an LRS
and is not done (no crypto library is available); the structure and the payload are checked."""

import base64
import binascii

import orjson

from haihe.xapi.errors import XAPIError
from haihe.xapi.keys import comparable
from haihe.xapi.validation import parse_timestamp


def iso(moment) -> str:
    from haihe.xapi.store import iso as store_iso

    return store_iso(moment)


ALGORITHMS = frozenset({"RS256", "RS384", "RS512"})


def _b64(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def check_signature(prepared, part: tuple[str, bytes], attachment: dict) -> None:
    path = "statement.attachments.signature"
    if attachment.get("contentType") != "application/octet-stream":
        raise XAPIError(
            path,
            "签名附件的类型须为 application/octet-stream",
            "the signature's contentType must be application/octet-stream",
        )
    try:
        header_b64, payload_b64, signature_b64 = part[1].decode("ascii").strip().split(".")
        header = orjson.loads(_b64(header_b64))
        payload = orjson.loads(_b64(payload_b64))
        _b64(signature_b64)
    except (ValueError, UnicodeDecodeError, binascii.Error, orjson.JSONDecodeError) as exc:
        raise XAPIError(path, "签名不是有效的 JWS", "the signature is not a valid JWS") from exc
    if not isinstance(header, dict) or header.get("alg") not in ALGORITHMS:
        raise XAPIError(path, "JWS 算法须为 RS256/RS384/RS512", "JWS alg must be RS256/384/512")
    if not isinstance(payload, dict):
        raise XAPIError(path, "JWS 载荷须为语句", "the JWS payload must be a statement")
    original = dict(prepared.payload)
    original["attachments"] = [
        a for a in original.get("attachments", []) if a is not attachment and a != attachment
    ]
    if not original["attachments"]:
        original.pop("attachments")
    signed = dict(payload)
    if isinstance(signed.get("attachments"), list) and not signed["attachments"]:
        signed.pop("attachments")
    try:
        signed_ts = (
            parse_timestamp(signed["timestamp"], "timestamp") if "timestamp" in signed else None
        )
    except XAPIError as exc:
        raise XAPIError(path, "JWS 载荷与语句不一致", "the JWS payload differs") from exc
    if prepared.given_timestamp is None:
        signed_key = None
    else:
        signed_key = iso(signed_ts) if signed_ts else "missing"
    if comparable(signed, signed_key) != comparable(original, prepared.given_timestamp):
        raise XAPIError(
            path, "JWS 载荷与语句不一致", "the JWS payload does not match the statement"
        )
    if "id" in signed and str(signed["id"]).lower() != prepared.statement_id:
        raise XAPIError(path, "JWS 载荷与语句 id 不一致", "the JWS payload has another id")
