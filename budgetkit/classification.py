"""The government's budget classifications as data: the 类 of the function and economic classifications.

Read from ``budgetkit/data/classification.toml``. Used where a table prints names without
codes (the 类 rows of a 收支总表 listed by indentation only) and where a name must be checked
against its code (an old name such as 医疗卫生与计划生育支出 for 210).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from budgetkit.catalog import fold, strip_numbering


@dataclass(frozen=True)
class ClassEntry:
    """One 类: its code, current name and former names."""

    code: str
    name: str
    former: tuple[str, ...] = ()
    renamed: tuple[tuple[str, int], ...] = ()  # (former name, first year it was no longer the name)

    def renamed_in(self, former: str) -> int | None:
        """The year ``former`` stopped being this class's name, if the data says."""
        return next((year for name, year in self.renamed if fold(name) == fold(former)), None)


@lru_cache(maxsize=1)
def _load() -> dict[str, dict[str, ClassEntry]]:
    raw = tomllib.loads(resources.files("budgetkit").joinpath("data/classification.toml").read_text(encoding="utf-8"))
    return {
        kind: {str(code): ClassEntry(str(code), entry["name"], tuple(entry.get("former", [])),
                                     tuple((name, int(year)) for name, year in entry.get("renamed", {}).items()))
               for code, entry in entries.items()}
        for kind, entries in raw.items()
    }


def classes(kind: str = "function") -> dict[str, ClassEntry]:
    """The 类 of a classification (``function`` or ``economic``), by code."""
    return _load()[kind]


def class_of_name(name: str | None, kind: str = "function") -> ClassEntry | None:
    """The 类 a printed name is (current or former name; numbering such as 一、 ignored).

    Examples:
        >>> class_of_name("八、社会保障和就业支出").code
        '208'
        >>> class_of_name("医疗卫生与计划生育支出").name
        '卫生健康支出'
        >>> class_of_name("行政运行") is None
        True
    """
    key = strip_numbering(name)
    for entry in classes(kind).values():
        if key == fold(entry.name) or key in {fold(f) for f in entry.former}:
            return entry
    return None
