from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from budgetkit.amounts import AmountParseError, normalise_unit, parse_amount, rounding_step, to_yuan


@pytest.mark.parametrize(
    "text, expected",
    [
        ("12,347.07", Decimal("12347.07")),
        ("12270.45", Decimal("12270.45")),
        ("１２，３４７．０７", Decimal("12347.07")),
        (" 5,000,000 ", Decimal("5000000")),
        ("(1.50)", Decimal("-1.50")),
        ("-76.62", Decimal("-76.62")),
        ("0", Decimal("0")),
    ],
)
def test_parse_amount_forms(text, expected):
    assert parse_amount(text) == expected


@pytest.mark.parametrize("text", ["", "  ", "—", "-", "－", None])
def test_blank_cells_are_none(text):
    assert parse_amount(text) is None


def test_text_is_not_an_amount():
    with pytest.raises(AmountParseError):
        parse_amount("公共安全支出")


def test_units_convert_exactly():
    assert to_yuan(Decimal("12347.07"), "万元") == Decimal("123470700")
    assert to_yuan(Decimal("50160"), "元") == Decimal("50160")
    assert normalise_unit("单位：万元") == "万元"
    assert normalise_unit("金额单位: 元") == "元"
    assert rounding_step("12,347.07", "万元") == Decimal("100")
    assert rounding_step("5000", "元") == Decimal("1")


@given(st.decimals(min_value=-10**12, max_value=10**12, places=2, allow_nan=False, allow_infinity=False))
def test_printed_numbers_round_trip(value):
    printed = f"{value:,.2f}"
    assert parse_amount(printed) == value


@given(st.text())
def test_parse_never_crashes_unexpectedly(text):
    try:
        parse_amount(text)
    except AmountParseError:
        pass


def test_as_decimal_reads_stored_values_back_exactly():
    import pandas as pd

    from budgetkit.amounts import as_decimal

    assert as_decimal(Decimal("12347.07")) == Decimal("12347.07")
    assert as_decimal("12,347.07") == Decimal("12347.07")
    assert as_decimal("93.42%") == Decimal("93.42")
    assert as_decimal(5) == Decimal(5)
    assert as_decimal(None) is None and as_decimal(pd.NA) is None and as_decimal(float("nan")) is None
