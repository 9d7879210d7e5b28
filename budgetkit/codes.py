"""科目编码 (function classification codes): normalise every printed form, find level and parent.

The government function classification has three levels: 类 (3 digits, ``204``), 款 (5, ``20402``)
and 项 (7, ``2040201``). Templates print them as ``2040201``, ``204 02 01``, ``204-02-01`` or
spread over three columns (类 / 款 / 项). Economic classification codes (``301``, ``30101``)
follow the same 3+2 pattern.
"""

from __future__ import annotations

import re
import unicodedata

LEVEL_BY_LENGTH = {3: "类", 5: "款", 7: "项"}
_CODE_RE = re.compile(r"^\d{3}(\d{2}){0,2}$")


def normalise_code(text: str | None) -> str | None:
    """Return the code as plain digits, or ``None`` if the text is not a 科目编码.

    Args:
        text: ``"2040201"``, ``"204 02 01"``, ``"204-02-01"``, ``"２０４"`` …

    Examples:
        >>> normalise_code("204 02 01")
        '2040201'
        >>> normalise_code("合计") is None
        True
    """
    if text is None:
        return None
    folded = unicodedata.normalize("NFKC", str(text)).strip()
    # Separators between 类/款/项; not "." — 770.50 is an amount, not code 77050.
    folded = re.sub(r"[\s\-·]", "", folded)
    if _CODE_RE.match(folded):
        return folded
    return None


def join_split_code(class_code: str | None, section_code: str | None, item_code: str | None) -> str | None:
    """Join a code printed over three columns (类, 款, 项) into one.

    A template that prints only the 款 digits in the 款 column (``02``) gets the 类 prefix from
    the row's own 类 column; a row that repeats the full code in each column is taken as printed.
    """
    parts = [normalise_part(p) for p in (class_code, section_code, item_code)]
    if not parts[0]:
        return None
    code = parts[0]
    for part in parts[1:]:
        if not part:
            break
        code = part if part.startswith(code) and len(part) > len(code) else code + part
    return normalise_code(code)


def normalise_part(text: str | None) -> str:
    if text is None:
        return ""
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", str(text)))


def code_level(code: str | None) -> str | None:
    """类 / 款 / 项 for a normalised code."""
    if code is None:
        return None
    return LEVEL_BY_LENGTH.get(len(code))


def parent_code(code: str | None) -> str | None:
    """The code one level up (``2040201`` → ``20402`` → ``204`` → ``None``)."""
    if code is None or len(code) <= 3:
        return None
    return code[:-2]


def split_code_and_name(text: str) -> tuple[str | None, str]:
    """Split a cell like ``"2040201 行政运行"`` or ``"[2040201]行政运行"`` into code and name."""
    folded = unicodedata.normalize("NFKC", text).strip()
    # The name must not go on with digits: 309001 (a unit code) is not 30900 + "1".
    match = re.match(r"^\[?(\d{3}(?:\s?\d{2}){0,2})\]?\s*(\D.*)$", folded)
    if match and normalise_code(match.group(1)) and match.group(2):
        return normalise_code(match.group(1)), match.group(2).strip()
    return None, text.strip()
