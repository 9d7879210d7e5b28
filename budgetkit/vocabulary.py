"""Words as data, read once: the narrative's vocabulary and the printed forms every reader recognises.

The narrative's (``budgetkit/data/narrative.toml``): the words that say what a number of the
情况说明 is — its basis (预算, 执行数, 决算, 年初预算), a completion rate (完成年初预算的…%), an
explanation clause, a standard or threshold; the function-class names and their renames are in
``classification.toml`` (:mod:`budgetkit.classification`). The printed forms
(``budgetkit/data/vocabulary.toml``): table labels (公开表3), parts (第二部分), numbered lines
(一、 / （一）), years. This module only reads them and answers questions about them.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class ClassRename:
    """A function class renamed by the classification of year ``since`` (``former`` → ``current``).

    Read from :file:`classification.toml` (:mod:`budgetkit.classification`), where the class names live.
    """

    code: str
    former: str
    current: str
    since: int | None


@dataclass(frozen=True)
class Basis:
    """What an amount is: ``name`` (``budget``, ``execution`` …), its Chinese label and words."""

    name: str
    zh: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class NarrativeVocabulary:
    """The vocabulary of :file:`narrative.toml`, compiled.

    Attributes:
        function_classes: Current standard name of each 类 code (``"210"`` → ``"卫生健康支出"``), from
            :file:`classification.toml`.
        renames: Former class names and when they changed (same file).
        bases: Basis words in the order they are tried.
        fund_words: Fund names (一般公共预算 …), removed before looking for basis words.
        completion: Matches the words before a completion rate (``完成年初预算的``).
        explanation_clause: Opens a clause that explains or details (amounts in it are not the line's).
        standard_before: Words before a number that make it a standard or threshold.
        standard_after: Words after a number that make it a standard or threshold.
        unchecked_reasons: Code → label of the reasons a claim is not checked.
    """

    function_classes: dict[str, str]
    renames: tuple[ClassRename, ...]
    bases: tuple[Basis, ...]
    fund_words: re.Pattern[str]
    completion: re.Pattern[str]
    explanation_clause: re.Pattern[str]
    standard_before: re.Pattern[str]
    standard_after: re.Pattern[str]
    unchecked_reasons: dict[str, str]

    def basis_of(self, words: str) -> str | None:
        """The basis the words name (the first basis whose pattern they contain), else ``None``.

        Fund names are not basis words: ``一般公共预算拨款收入`` names no basis.
        """
        words = self.fund_words.sub("", words)
        for basis in self.bases:
            if basis.pattern.search(words):
                return basis.name
        return None

    def basis_label(self, name: str | None) -> str:
        return next((b.zh for b in self.bases if b.name == name), name or "")

    def class_name_status(self, code: str, printed: str) -> tuple[str, ClassRename | None]:
        """Whether ``printed`` is the current name of class ``code``, a former one, or neither.

        Names are compared without spaces and without a final 支出 (``一般公共服务（类）`` names
        一般公共服务支出).

        Returns:
            ``("current", None)``, ``("former", rename)`` or ``("other", None)``; ``("unknown",
            None)`` for a code the vocabulary does not list.
        """
        current = self.function_classes.get(code)
        if current is None:
            return "unknown", None
        if same_name(printed, current):
            return "current", None
        for rename in self.renames:
            if rename.code == code and same_name(printed, rename.former):
                return "former", rename
        return "other", None


@lru_cache(maxsize=1 << 14)
def fold_name(name: str) -> str:
    """A 科目 name for comparison: no spaces, quotes or brackets' width, no final 支出."""
    text = re.sub(r"[\s“”\"'‘’]", "", name or "").replace("(", "（").replace(")", "）")
    return re.sub(r"支出$", "", text)


def same_name(a: str, b: str) -> bool:
    """Two printed 科目 names name the same line (see :func:`fold_name`)."""
    return bool(a and b) and fold_name(a) == fold_name(b)


@lru_cache(maxsize=1)
def narrative_vocabulary() -> NarrativeVocabulary:
    """Read ``narrative.toml`` once."""
    from budgetkit.classification import classes

    raw = tomllib.loads(resources.files("budgetkit").joinpath("data/narrative.toml").read_text(encoding="utf-8"))
    functions = classes("function")
    return NarrativeVocabulary(
        function_classes={code: entry.name for code, entry in functions.items()},
        renames=tuple(ClassRename(code, former, entry.name, entry.renamed_in(former))
                      for code, entry in functions.items() for former in entry.former),
        bases=tuple(Basis(b["name"], b["zh"], re.compile(b["pattern"])) for b in raw["basis"]),
        fund_words=re.compile(raw["words"]["fund"]),
        completion=re.compile(raw["completion"]["pattern"]),
        explanation_clause=re.compile(raw["words"]["explanation"]),
        standard_before=re.compile(raw["words"]["standard_before"]),
        standard_after=re.compile(raw["words"]["standard_after"]),
        unchecked_reasons=dict(raw["unchecked_reasons"]),
    )


# --------------------------------------------------------------------------- printed forms
# How disclosures print what every reader must recognise — table labels (公开表3), parts
# (第二部分), numbered lines (一、 / （一）), years — from ``budgetkit/data/vocabulary.toml``, so
# that each is recognised the same way by the readers, the catalog and the checks.

_NUMERALS = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)}


@lru_cache(maxsize=1)
def _forms() -> dict:
    return tomllib.loads(resources.files("budgetkit").joinpath("data/vocabulary.toml").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def _compile(key: str) -> re.Pattern[str]:
    data = _forms()
    label, separator = data["label"]["pattern"], data["label"]["separator"]
    patterns = {
        "label_anywhere": label + separator,
        "label_at_start": "^" + label + separator,
        "label_only": "^" + label + separator + "$",
        "part": data["part"]["pattern"],
        "numbered": data["numbering"]["top"],
        "sub_numbered": data["numbering"]["sub"],
        "marker": data["numbering"]["marker"],
        "year": data["year"]["pattern"],
    }
    return re.compile(patterns[key])


def label_re(where: str = "anywhere") -> re.Pattern[str]:
    """The table-label pattern (with the separator after it): ``anywhere`` in a text, ``at_start``
    of a title, or the ``only`` text."""
    return _compile(f"label_{where}")


def strip_label(text: str) -> str:
    """A title without its leading label: ``表1：收支总表`` → ``收支总表``."""
    return label_re("at_start").sub("", text).strip()


def find_label(text: str) -> str | None:
    """The label printed in a text (spaces removed), or ``None``."""
    match = label_re("anywhere").search(text)
    return re.sub(r"[\s:：、.．]+", "", match.group(0)) if match else None


def part_re() -> re.Pattern[str]:
    """第N部分 and the part's title (groups 1 and 2)."""
    return _compile("part")


def numbered_re() -> re.Pattern[str]:
    """A line numbered at the top level of a list (一、 / 1、)."""
    return _compile("numbered")


def marker_re() -> re.Pattern[str]:
    """Any list marker an item may start with (一、 （一） 1. ①), on folded text."""
    return _compile("marker")


def sub_numbered_re() -> re.Pattern[str]:
    """A line numbered under another (1. / （一）)."""
    return _compile("sub_numbered")


def year_re() -> re.Pattern[str]:
    """A printed year (group 1: the four digits)."""
    return _compile("year")


def chinese_number(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 12 → 12; ``None`` when the text is not a number."""
    if text.isdigit():
        return int(text)
    if text in _NUMERALS:
        return _NUMERALS[text]
    if len(text) == 2 and text[0] == "十" and text[1] in _NUMERALS:
        return 10 + _NUMERALS[text[1]]
    if len(text) == 2 and text[1] == "十" and text[0] in _NUMERALS:
        return 10 * _NUMERALS[text[0]]
    if len(text) == 3 and text[1] == "十" and text[0] in _NUMERALS and text[2] in _NUMERALS:
        return 10 * _NUMERALS[text[0]] + _NUMERALS[text[2]]
    return None


__all__ = [
    "Basis", "ClassRename", "NarrativeVocabulary", "chinese_number", "find_label", "fold_name", "label_re",
    "marker_re", "narrative_vocabulary", "numbered_re", "part_re", "same_name", "strip_label", "sub_numbered_re", "year_re",
]
