"""Identifiers the platform accepts from outside: validated, normalised, masked.

Resident Identity Card numbers (RIC) and Unified Social Credit Codes (USCC) are checked by
python-stdnum (checksum, birth date, county of birth against its bundled table). Messages are
in the user's language.
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric as stdnum_ric
from stdnum.cn import uscc as stdnum_uscc

from haihe.core import clock

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
CERTIFICATE_RE = re.compile(r"^[YS]\d{21}$")
OLD_CERTIFICATE_RE = re.compile(r"^\d{16}$")


@dataclass(frozen=True)
class RicFacts:
    number: str
    birth_date: datetime.date
    sex: str  # "M" or "F"
    county_code: str


def normalise_ric(value: str) -> str:
    return stdnum_ric.compact(str(value or "")).upper()


def validate_ric(value: str) -> RicFacts:
    """Validate a RIC and derive what it encodes; raise ValidationError with the reason."""
    number = normalise_ric(value)
    if not number:
        raise ValidationError(_("居民身份证号码不能为空。"), code="required")
    if len(number) != 18:
        raise ValidationError(_("居民身份证号码应为 18 位。"), code="length")
    if not re.fullmatch(r"\d{17}[\dX]", number):
        raise ValidationError(_("居民身份证号码只能由数字组成，最后一位可以是 X。"), code="format")
    try:
        stdnum_ric.get_birth_date(number)
    except stdnum_errors.ValidationError as exc:
        raise ValidationError(_("居民身份证号码中的出生日期无效。"), code="birth_date") from exc
    if stdnum_ric.get_birth_date(number) > clock.today():
        raise ValidationError(_("居民身份证号码中的出生日期在未来。"), code="birth_date")
    try:
        stdnum_ric.get_birth_place(number)
    except stdnum_errors.ValidationError as exc:
        raise ValidationError(
            _("居民身份证号码中的出生地行政区划代码无效。"), code="county"
        ) from exc
    if stdnum_ric.calc_check_digit(number) != number[-1]:
        raise ValidationError(_("居民身份证号码校验位错误。"), code="checksum")
    birth = stdnum_ric.get_birth_date(number)
    sex = "M" if int(number[16]) % 2 == 1 else "F"
    return RicFacts(number=number, birth_date=birth, sex=sex, county_code=number[:6])


def normalise_uscc(value: str) -> str:
    return stdnum_uscc.compact(str(value or "")).upper()


def validate_uscc(value: str) -> str:
    number = normalise_uscc(value)
    if not number:
        raise ValidationError(_("统一社会信用代码不能为空。"), code="required")
    if len(number) != 18:
        raise ValidationError(_("统一社会信用代码应为 18 位。"), code="length")
    try:
        return stdnum_uscc.validate(number)
    except stdnum_errors.InvalidChecksum as exc:
        raise ValidationError(_("统一社会信用代码校验位错误。"), code="checksum") from exc
    except stdnum_errors.ValidationError as exc:
        raise ValidationError(_("统一社会信用代码格式无效。"), code="format") from exc


def normalise_mobile(value: str) -> str:
    digits = re.sub(r"[\s-]", "", str(value or ""))
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    return digits


def validate_mobile(value: str) -> str:
    number = normalise_mobile(value)
    if not MOBILE_RE.fullmatch(number):
        raise ValidationError(
            _("手机号码应为 11 位中国大陆手机号码（以 13–19 开头）。"), code="mobile"
        )
    return number


def validate_certificate_number(value: str) -> str:
    """A skill-level certificate number: Y or S, then 21 digits (or an old 16-digit one)."""
    number = str(value or "").strip().upper()
    if CERTIFICATE_RE.fullmatch(number) or OLD_CERTIFICATE_RE.fullmatch(number):
        return number
    raise ValidationError(
        _("证书编号应为 22 位（Y 或 S 加 21 位数字），或旧版 16 位数字。"),
        code="certificate",
    )


def certificate_level(number: str) -> int | None:
    """The skill level (1-5) encoded at position 16 of a 22-character certificate number."""
    if CERTIFICATE_RE.fullmatch(number):
        return int(number[15])
    return None


def mask_ric(value: str) -> str:
    """1201**********0017: the first four and last four characters stay visible."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_mobile(value: str) -> str:
    """138****1234."""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
