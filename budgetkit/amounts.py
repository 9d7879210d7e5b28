"""Exact amounts: parse printed numbers into :class:`~decimal.Decimal` and convert units.

Amounts never pass through ``float``: a check that decides on 0.01 万元 must not be
decided by binary rounding noise.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

#: How many 元 one printed unit is worth.
UNIT_TO_YUAN: dict[str, Decimal] = {
    "元": Decimal(1),
    "万元": Decimal(10000),
    "千元": Decimal(1000),
    "亿元": Decimal(100000000),
}

#: Cells that mean "nothing printed here".
BLANK_MARKS = {"", "-", "—", "——", "－", "–", "/", "无", "空"}

_NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


class AmountParseError(ValueError):
    """A non-blank cell that is not a number."""


@lru_cache(maxsize=1 << 16)  # cells repeat ("0.00", "-", the same totals): fold each text once
def normalise_number_text(text: str) -> str:
    """Fold fullwidth digits and punctuation, drop thousands separators and spaces.

    Args:
        text: The cell as printed, e.g. ``"１２,３４７．０７"`` or ``"12 347.07"``.

    Returns:
        A plain ASCII candidate such as ``"12347.07"``.
    """
    folded = unicodedata.normalize("NFKC", text)
    folded = folded.replace(",", "").replace("，", "").replace(" ", "").replace("\u00a0", "")
    folded = folded.replace("−", "-").replace("－", "-")
    # Accounting negatives: (1.00) → -1.00
    if folded.startswith("(") and folded.endswith(")") and len(folded) > 2:
        folded = "-" + folded[1:-1]
    return folded.strip()


def is_blank(text: str | None) -> bool:
    """True when a cell prints nothing (blank, dash, 无)."""
    if text is None:
        return True
    return _is_blank_text(str(text))


@lru_cache(maxsize=1 << 16)
def _is_blank_text(text: str) -> bool:
    return normalise_number_text(text) in BLANK_MARKS or text.strip() in BLANK_MARKS


def parse_amount(text: str | None) -> Decimal | None:
    """Parse a printed amount exactly.

    Args:
        text: The cell text. Thousands separators, fullwidth digits, surrounding spaces and
            accounting parentheses are accepted.

    Returns:
        The value as a Decimal with the printed number of decimals, or ``None`` for a blank cell.

    Raises:
        AmountParseError: The cell holds something other than a number.
    """
    if text is None:
        return None
    value = _parse_text(str(text))
    if value is _NOT_A_NUMBER:
        raise AmountParseError(f"not a number: {text!r}")
    return value


_NOT_A_NUMBER = object()


@lru_cache(maxsize=1 << 16)  # Decimals are immutable: one parse per distinct cell text
def _parse_text(text: str):
    """:func:`parse_amount` of a text: the Decimal, ``None`` (blank) or ``_NOT_A_NUMBER``."""
    if _is_blank_text(text):
        return None
    candidate = normalise_number_text(text)
    if not _NUMBER_RE.match(candidate):
        return _NOT_A_NUMBER
    try:
        return Decimal(candidate)
    except InvalidOperation:  # pragma: no cover - the regex guards this
        return _NOT_A_NUMBER


def try_parse_amount(text: str | None) -> Decimal | None:
    """Like :func:`parse_amount` but returns ``None`` for text that is not a number."""
    if text is None:
        return None
    value = _parse_text(str(text))
    return None if value is _NOT_A_NUMBER else value


def looks_like_amount(text: str | None) -> bool:
    """True for a non-blank cell that parses as a number."""
    return not is_blank(text) and try_parse_amount(text) is not None


def as_decimal(value: object) -> Decimal | None:
    """Any stored amount back to an exact Decimal: None/NA/NaN → None.

    Decimals pass through; ints convert exactly; text is parsed as printed (a trailing ``%`` is
    dropped); a float (only from a lossy round trip, never produced by budgetkit) goes through
    its shortest repr.
    """
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError("a bool is not an amount")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return None if value != value else Decimal(repr(value))
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return None
    except ImportError:  # pragma: no cover - pandas is a dependency
        pass
    return parse_amount(str(value).replace("%", "").replace("％", ""))


def normalise_unit(text: str | None) -> str | None:
    """Extract the unit from a line like ``单位：万元`` or ``金额单位: 元``.

    Returns:
        ``"万元"``, ``"元"`` … or ``None`` when no unit is named.
    """
    if not text:
        return None
    match = re.search(r"单位\s*[：:]\s*(亿元|万元|千元|元)", unicodedata.normalize("NFKC", text).replace(":", "："))
    if match:
        return match.group(1)
    return None


def to_yuan(amount: Decimal | None, unit: str | None) -> Decimal | None:
    """Convert an amount in ``unit`` to 元, exactly.

    Raises:
        KeyError: The unit is not one of :data:`UNIT_TO_YUAN`.
    """
    if amount is None:
        return None
    if unit is None:
        raise KeyError("no unit given")
    return amount * UNIT_TO_YUAN[unit]


def rounding_step(value_text: str | None, unit: str | None) -> Decimal:
    """The rounding step of a printed number, in 元 (half of it is the maximal rounding error).

    ``"12,347.07"`` in 万元 is printed to 0.01 万元 = 100 元; ``"5000"`` in 元 to 1 元.
    """
    if value_text is None or unit is None:
        return Decimal(0)
    candidate = normalise_number_text(value_text)
    decimals = len(candidate.split(".", 1)[1]) if "." in candidate else 0
    return UNIT_TO_YUAN[unit] / (Decimal(10) ** decimals)
