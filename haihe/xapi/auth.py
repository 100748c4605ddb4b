"""Who is calling the LRS: a platform, by its HTTP Basic credential. Nothing else: a browser's
session cookie never authenticates an xAPI call (a page on another site could otherwise make a
signed-in officer's browser read learning records cross-origin); the bureau's and the
platforms' staff read learning records through the supervision pages.

Secrets are 256-bit random strings, kept at rest as HMAC-SHA256 under a server-side pepper. A
slow password hash (Argon2) would protect low-entropy human passwords against offline guessing;
a 256-bit random secret cannot be guessed either way, and a platform authenticates on every
request (hundreds per second), where Argon2's deliberate ~50 ms per check would cap ingestion.
"""

import base64
import binascii
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Q

from haihe.core import clock
from haihe.xapi.errors import XAPIError
from haihe.xapi.models import Credential, PlatformSelection, Statement


def _pepper() -> bytes:
    configured = getattr(settings, "HAIHE_XAPI_PEPPER", "") or settings.SECRET_KEY
    return hashlib.sha256(b"haihe.xapi.credential:" + configured.encode()).digest()


def secret_digest(secret: str) -> str:
    return hmac.new(_pepper(), secret.encode(), hashlib.sha256).hexdigest()


def new_key_and_secret() -> tuple[str, str]:
    return "hx" + secrets.token_hex(10), secrets.token_urlsafe(32)


@dataclass(frozen=True)
class Principal:
    """The caller: a platform, which writes and reads back only its own records."""

    platform_id: int | None = None
    credential_id: int | None = None
    platform_uscc: str = ""

    @property
    def can_write(self) -> bool:
        return self.platform_id is not None

    def statements(self):
        return Statement.objects.filter(platform_id=self.platform_id)


def selection_in_force_q(day) -> Q:
    """A selection in force on `day`: within its period, not revoked, not suspended."""
    return Q(
        revoked_at__isnull=True,
        suspended_at__isnull=True,
        valid_from__lte=day,
        valid_until__gte=day,
    )


# The same condition as selection_in_force_q, in SQL, for the credential lookup below.
SELECTION_IN_FORCE_SQL = (
    "s.revoked_at IS NULL AND s.suspended_at IS NULL AND s.valid_from <= %s AND s.valid_until >= %s"
)

_LOOKUP_SQL = """
SELECT c.id, c.organisation_id, o.uscc, c.secret_digest, c.revoked_at,
       EXISTS (SELECT 1 FROM {selection} s
               WHERE s.organisation_id = c.organisation_id AND {in_force})
FROM {credential} c JOIN {organisation} o ON o.id = c.organisation_id
WHERE c.key = %s
"""


def _lookup(key: str):
    """The credential, its platform and whether the platform is selected today, in one query
    (this runs on every request; the ORM's query building cost more than the query)."""
    from haihe.registry.models import Organisation

    quote = connection.ops.quote_name
    sql = _LOOKUP_SQL.format(
        selection=quote(PlatformSelection._meta.db_table),
        in_force=SELECTION_IN_FORCE_SQL,
        credential=quote(Credential._meta.db_table),
        organisation=quote(Organisation._meta.db_table),
    )
    today = clock.today().isoformat()
    with connection.cursor() as cursor:
        cursor.execute(sql, [today, today, key])
        return cursor.fetchone()


def authenticate(authorization: str) -> Principal:
    """Resolve the Authorization header (HTTP Basic) to a `Principal`."""
    if authorization:
        scheme, _, encoded = authorization.partition(" ")
        if scheme.lower() != "basic":
            raise XAPIError(
                "Authorization", "仅支持 HTTP Basic 认证", "only HTTP Basic", status=401
            )
        try:
            key, sep, secret = base64.b64decode(encoded.strip()).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            key, sep, secret = "", "", ""
        if not sep:
            raise XAPIError(
                "Authorization", "Basic 凭据格式不正确", "malformed Basic credentials", status=401
            )
        credential = _lookup(key)
        if credential is None or not hmac.compare_digest(credential[3], secret_digest(secret)):
            raise XAPIError(
                "Authorization", "密钥或密码错误", "unknown key or wrong secret", status=401
            )
        pk, platform_id, uscc, _digest, revoked_at, selected = credential
        if revoked_at is not None:
            raise XAPIError(
                "Authorization", "该凭据已被吊销", "this credential has been revoked", status=401
            )
        if not selected:
            raise XAPIError(
                "platform",
                "该线上培训平台当前不在入选期内（入选已到期、已暂停或已被撤销），不能提交或读取学习"
                "记录；已存储的记录保留不变",
                "this online training platform is not currently selected (its selection lapsed, "
                "was suspended or was revoked); it may not send or read learning records. "
                "Records already stored are kept",
                status=403,
            )
        return Principal(platform_id=platform_id, credential_id=pk, platform_uscc=uscc)
    raise XAPIError("Authorization", "需要认证", "authentication required", status=401)
