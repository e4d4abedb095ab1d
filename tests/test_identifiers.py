"""Identifier rules (pure, no Neo4j)."""

from __future__ import annotations

import datetime as dt

import pytest
from stdnum.cn import ric
from stdnum.cn import uscc as stdnum_uscc

from hub.identifiers import (
    InvalidIdentifier,
    SubjectKind,
    make_id_number,
    make_uscc,
    mask_id_number,
    parse_id_number,
    parse_uscc,
)


@pytest.mark.parametrize(
    ("authority", "category", "division", "kind"),
    [
        ("9", "1", "451031", SubjectKind.ENTERPRISE),
        ("9", "2", "451031", SubjectKind.INDIVIDUAL_BUSINESS),
        ("9", "3", "451031", SubjectKind.COOPERATIVE),
        ("N", "2", "451031", SubjectKind.VILLAGE_COLLECTIVE),  # letter-first authority
        ("1", "2", "451031", SubjectKind.INSTITUTION),
        ("5", "1", "451000", SubjectKind.SOCIAL_ORGANIZATION),
        ("Y", "1", "451031", SubjectKind.OTHER),
        ("9", "1", "451021", SubjectKind.ENTERPRISE),  # legacy 田阳县, valid forever
        ("9", "1", "451023", SubjectKind.ENTERPRISE),  # legacy 平果县
        ("9", "1", "451025", SubjectKind.ENTERPRISE),  # legacy 靖西县
        ("9", "1", "100000", SubjectKind.ENTERPRISE),  # national level
    ],
)
def test_valid_usccs_are_accepted(
    authority: str, category: str, division: str, kind: SubjectKind
) -> None:
    code = make_uscc(authority, category, division, "MA5KY12B3")
    info = parse_uscc(code)
    assert info.uscc == code
    assert info.kind == kind
    assert info.division == division


def test_stdnum_rejects_letter_first_codes_we_accept() -> None:
    code = make_uscc("N", "2", "451031", "MA5KY12B3")
    assert not stdnum_uscc.is_valid(code)
    assert parse_uscc(code).kind == SubjectKind.VILLAGE_COLLECTIVE


def test_lowercase_and_spaces_are_normalised() -> None:
    code = make_uscc("9", "1", "451031", "MA5KY12B3")
    assert parse_uscc(f"  {code.lower()} ").uscc == code


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("91451031MA5KY12B3", "must be 18 characters"),
        ("91451031MA5KY12B300", "must be 18 characters"),
        ("91451031MA5KYI2B3X", "not allowed"),  # I
        ("91451031MA5KYO2B3X", "not allowed"),  # O
        ("91451031MA5KYZ2B3X", "not allowed"),  # Z
        ("91451031MA5KYS2B3X", "not allowed"),  # S
        ("91451031MA5KYV2B3X", "not allowed"),  # V
        ("B1451031MA5KY12B3X", "unknown registration authority"),
        ("94451031MA5KY12B3X", "category '4' does not exist"),
        ("91999999MA5KY12B3X", "not a known division code"),
    ],
)
def test_invalid_usccs_are_rejected_with_a_reason(value: str, reason: str) -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        parse_uscc(value)
    assert reason in caught.value.reason
    assert caught.value.field == "uscc"


def test_wrong_check_character_is_rejected() -> None:
    code = make_uscc("9", "1", "451031", "MA5KY12B3")
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    with pytest.raises(InvalidIdentifier, match="check character"):
        parse_uscc(wrong)


def test_longlin_id_of_adult_born_before_2002_is_valid() -> None:
    number = make_id_number("451031", dt.date(1975, 3, 9), 123)
    assert not ric.is_valid(number)  # python-stdnum's check rejects it
    info = parse_id_number(number)
    assert info.birth_date == dt.date(1975, 3, 9)
    assert info.sex == "M"


@pytest.mark.parametrize("division", ["452631", "451021", "451081", "522301"])
def test_abolished_and_newer_address_codes_are_valid(division: str) -> None:
    parse_id_number(make_id_number(division, dt.date(1960, 1, 1), 42))


def test_x_check_digit() -> None:
    for order in range(1, 999):
        number = make_id_number("451031", dt.date(1990, 1, 1), order)
        if number.endswith("X"):
            assert parse_id_number(number.lower()).id_number == number
            return
    pytest.fail("no X check digit found")


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("45103119800517123", "must be 18 characters"),
        ("45103119800517123A", "17 digits followed by a digit or X"),
        ("4510311980051712３4", "17 digits followed by a digit or X"),  # full-width digit
        ("999999198005171234", "not a known division code"),
    ],
)
def test_invalid_id_numbers_are_rejected(value: str, reason: str) -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        parse_id_number(value)
    assert reason in caught.value.reason


def _digits_free(caught: pytest.ExceptionInfo[InvalidIdentifier], number: str) -> None:
    """The reason says what is wrong without quoting the number's parts (its digits are
    most of a person's ID once the masked form is known)."""
    message = str(caught.value)
    for part in (number[:6], number[6:14], number[6:10], number[10:14], number[14:]):
        assert part not in message, (part, message)


def test_impossible_birth_date_is_rejected() -> None:
    body = "45103119800230123"
    number = body + ric.calc_check_digit(body)
    with pytest.raises(InvalidIdentifier, match=r"birth date .* is not a real date") as caught:
        parse_id_number(number)
    _digits_free(caught, number)


def test_future_birth_date_is_rejected() -> None:
    number = make_id_number("451031", dt.date(2030, 1, 1), 5)
    with pytest.raises(InvalidIdentifier, match=r"birth date .* is in the future") as caught:
        parse_id_number(number, today=dt.date(2026, 11, 26))
    _digits_free(caught, number)
    parse_id_number(number, today=dt.date(2030, 1, 1))


def test_birth_date_before_1890_is_rejected() -> None:
    number = make_id_number("451031", dt.date(1889, 12, 31), 5)
    with pytest.raises(InvalidIdentifier, match="before 1890") as caught:
        parse_id_number(number)
    _digits_free(caught, number)


def test_unknown_address_code_is_not_quoted() -> None:
    number = make_id_number("999999", dt.date(1980, 5, 17), 5)
    with pytest.raises(InvalidIdentifier, match=r"address code .* not a known") as caught:
        parse_id_number(number)
    _digits_free(caught, number)


def test_wrong_check_digit_is_rejected() -> None:
    number = make_id_number("451031", dt.date(1980, 5, 17), 123)
    wrong = number[:17] + ("1" if number[17] != "1" else "2")
    with pytest.raises(InvalidIdentifier, match=r"check character .* does not match") as caught:
        parse_id_number(wrong)
    _digits_free(caught, wrong)
    assert "expected" not in str(caught.value)  # nor the right check character


def test_age_on_a_date() -> None:
    info = parse_id_number(make_id_number("451031", dt.date(2008, 6, 1), 7))
    assert info.age_on(dt.date(2026, 5, 31)) == 17
    assert info.age_on(dt.date(2026, 6, 1)) == 18


def test_mask_keeps_first_and_last_four() -> None:
    assert mask_id_number("451031198005171234") == "4510**********1234"


def test_check_arithmetic_agrees_with_python_stdnum() -> None:
    import random

    from hub.identifiers import USCC_ALPHABET, id_check_char, uscc_check_char

    rng = random.Random(5)
    for _ in range(2000):
        body = "".join(rng.choice(USCC_ALPHABET) for _ in range(17))
        assert uscc_check_char(body) == stdnum_uscc.calc_check_digit(body)
        digits = "".join(rng.choice("0123456789") for _ in range(17))
        # stdnum's calc_check_digit takes the number *with* a check digit and ignores it.
        assert id_check_char(digits) == ric.calc_check_digit(digits + "0")


def test_standard_example_id_number() -> None:
    assert parse_id_number("11010519491231002X").birth_date == dt.date(1949, 12, 31)


@pytest.mark.parametrize("invisible", ["\u202e", "\u2066", "\u200f", "\u200b", "\u200d"])
def test_identifiers_with_invisible_characters_are_refused_by_name(invisible: str) -> None:
    """Issue 22 finding 7: the reason names the character, not only a wrong length."""
    code = make_uscc("9", "1", "451031", "MA5KY12B3")
    for value, parse in (
        (code[:9] + invisible + code[9:], parse_uscc),
        (invisible + "4510311980051712", parse_id_number),
    ):
        with pytest.raises(
            InvalidIdentifier, match=f"invisible character U\\+{ord(invisible):04X}"
        ):
            parse(value)


def test_text_refuses_bidi_controls_and_strips_zero_width_characters() -> None:
    from hub.text import UnsafeText, clean_text

    assert clean_text("隆林\u200b\u200c\u200d\u2060公司") == "隆林公司"
    for control in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c":
        with pytest.raises(UnsafeText, match=f"U\\+{ord(control):04X}"):
            clean_text("隆林" + control + "公司")
