"""Signed statements (xAPI 1.0.3 Part Two 2.6): the signature attachment must be a JWS (compact
serialisation, RS256/RS384/RS512) whose payload is the statement as it was before the signature
attachment was added.

What is verified:
- the attachment's contentType (application/octet-stream) and the JWS structure;
- the algorithm (RS256, RS384 or RS512 only);
- the payload: the same statement (xAPI comparison rules) as the one sent, without the
  signature attachment;
- when the JWS header carries an ``x5c`` certificate chain: the RSA signature over
  ``header.payload`` with the public key of the first certificate (PKCS#1 v1.5 with SHA-256/384/512
  as the algorithm says), and that each further certificate in the chain signed the one before it.
  Trust anchors, validity periods and revocation are not checked (the spec leaves trust to the
  LRS; a chain is only evidence of who signed).
Without ``x5c`` the spec gives the LRS no key to check against, so only the points above are
checked."""

import base64
import binascii
import itertools

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


_HASHES = {"RS256": "SHA256", "RS384": "SHA384", "RS512": "SHA512"}


def _verify_x5c(header: dict, signing_input: bytes, signature: bytes, path: str) -> None:
    """Check the RSA signature with the key of the first x5c certificate, and the chain."""
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    chain = header.get("x5c")
    if not isinstance(chain, list) or not chain or not all(isinstance(c, str) for c in chain):
        raise XAPIError(path, "x5c 须为证书数组", "x5c must be an array of certificates")
    try:
        certificates = [x509.load_der_x509_certificate(base64.b64decode(c)) for c in chain]
    except (ValueError, binascii.Error) as exc:
        raise XAPIError(path, "x5c 证书无法解析", "an x5c certificate cannot be read") from exc
    key = certificates[0].public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise XAPIError(path, "x5c 证书须为 RSA 公钥", "the x5c certificate must hold an RSA key")
    algorithm = getattr(hashes, _HASHES[header["alg"]])()
    try:
        key.verify(signature, signing_input, padding.PKCS1v15(), algorithm)
    except InvalidSignature as exc:
        raise XAPIError(
            path, "JWS 签名与 x5c 证书不符", "the JWS signature does not verify with x5c"
        ) from exc
    for child, issuer in itertools.pairwise(certificates):
        try:
            child.verify_directly_issued_by(issuer)
        except (ValueError, TypeError, InvalidSignature) as exc:
            raise XAPIError(
                path,
                "x5c 证书链不连贯",
                "the x5c chain is broken (a certificate is not signed by the next one)",
            ) from exc


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
        signature = _b64(signature_b64)
    except (ValueError, UnicodeDecodeError, binascii.Error, orjson.JSONDecodeError) as exc:
        raise XAPIError(path, "签名不是有效的 JWS", "the signature is not a valid JWS") from exc
    if not isinstance(header, dict) or header.get("alg") not in ALGORITHMS:
        raise XAPIError(path, "JWS 算法须为 RS256/RS384/RS512", "JWS alg must be RS256/384/512")
    if not isinstance(payload, dict):
        raise XAPIError(path, "JWS 载荷须为语句", "the JWS payload must be a statement")
    if "x5c" in header:
        _verify_x5c(header, f"{header_b64}.{payload_b64}".encode("ascii"), signature, path)
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
