import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric as stdnum_ric
from stdnum.cn import uscc as stdnum_uscc

from haihe.core.identifiers import (
    certificate_level,
    mask_mobile,
    mask_ric,
    validate_certificate_number,
    validate_mobile,
    validate_ric,
    validate_uscc,
)

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def ric_with_check(body: str) -> str:
    return body + stdnum_ric.calc_check_digit(body + "0")


@given(
    birth=st.dates(min_value=datetime.date(1940, 1, 1), max_value=datetime.date(2008, 12, 31)),
    seq=st.integers(0, 999),
    county=st.sampled_from(["120101", "120102", "120103", "120104", "120110", "120113"]),
)
def test_valid_ric_derives_birth_date_and_sex(birth, seq, county):
    number = ric_with_check(f"{county}{birth:%Y%m%d}{seq:03d}")
    facts = validate_ric(number)
    assert facts.birth_date == birth
    assert facts.sex == ("M" if seq % 2 == 1 else "F")
    assert facts.county_code == county


@given(
    birth=st.dates(min_value=datetime.date(1950, 1, 1), max_value=datetime.date(2005, 1, 1)),
    seq=st.integers(0, 999),
    wrong=st.sampled_from("0123456789X"),
)
def test_any_wrong_check_character_is_refused(birth, seq, wrong):
    body = f"120101{birth:%Y%m%d}{seq:03d}"
    if stdnum_ric.calc_check_digit(body + "0") == wrong:
        return
    with pytest.raises(ValidationError) as exc:
        validate_ric(body + wrong)
    assert exc.value.code == "checksum"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "required"),
        ("12010119900307123", "length"),
        ("1201011990030712345", "length"),
        ("12010119900307123A", "format"),
        (ric_with_check("12010119901307123"), "birth_date"),
        (ric_with_check("12010119900230123"), "birth_date"),
        (ric_with_check("99999919900307123"), "county"),
        (ric_with_check("12011620010307123"), "county"),  # Binhai New Area exists from 2009 only
        (ric_with_check("12010130010307123"), "birth_date"),  # in the future
    ],
)
def test_bad_rics_have_precise_reasons(value, code):
    with pytest.raises(ValidationError) as exc:
        validate_ric(value)
    assert exc.value.code == code


def test_ric_is_normalised_lowercase_x_and_spaces():
    body = "12010119900307123"
    number = ric_with_check(body)
    assert validate_ric(f" {number.lower()} ").number == number


@given(
    authority=st.sampled_from(["91", "92", "52", "12", "11"]),
    county=st.sampled_from(["120101", "120116", "110105"]),
    rest=st.text(alphabet=USCC_ALPHABET, min_size=9, max_size=9),
)
def test_valid_uscc_accepted(authority, county, rest):
    body = authority + county + rest
    number = body + stdnum_uscc.calc_check_digit(body)
    assert validate_uscc(number) == number


@given(
    rest=st.text(alphabet=USCC_ALPHABET, min_size=9, max_size=9),
    wrong=st.sampled_from(USCC_ALPHABET),
)
def test_uscc_with_wrong_check_refused(rest, wrong):
    body = "91120101" + rest
    if stdnum_uscc.calc_check_digit(body) == wrong:
        return
    with pytest.raises(ValidationError) as exc:
        validate_uscc(body + wrong)
    assert exc.value.code == "checksum"


@pytest.mark.parametrize("value", ["", "9112010", "91120101MA05K8QX3I", "AB120101MA05K8QX3B"])
def test_bad_uscc_refused(value):
    with pytest.raises(ValidationError):
        validate_uscc(value)


@pytest.mark.parametrize("value", ["13812345678", "+86 138 1234 5678", "0086-19912345678"])
def test_good_mobiles(value):
    assert len(validate_mobile(value)) == 11


@pytest.mark.parametrize("value", ["", "12812345678", "1381234567", "138123456789", "022-23456789"])
def test_bad_mobiles(value):
    with pytest.raises(ValidationError):
        validate_mobile(value)


@given(st.from_regex(r"\A[YS]\d{21}\Z"))
def test_certificate_numbers(number):
    assert validate_certificate_number(number) == number
    assert certificate_level(number) == int(number[15])


@pytest.mark.parametrize(
    "value", ["X123456789012345678901", "Y12345", "Y1234567890123456789012", ""]
)
def test_bad_certificate_numbers(value):
    with pytest.raises(ValidationError):
        validate_certificate_number(value)


def test_masking():
    assert mask_ric("120101199003070017") == "1201**********0017"
    assert mask_mobile("13812345678") == "138****5678"
    assert mask_ric("") == ""
