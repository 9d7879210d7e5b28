"""The catalog of standard tables: canonical ids, titles, aliases, columns, templates.

The data lives in ``budgetkit/data/catalog.toml``; this module only reads it and answers
questions about it: which standard table does a printed title name, which canonical column
does a header path name, is a row a header row.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from budgetkit.vocabulary import marker_re, strip_label

# A table title ends in 表, maybe with a qualifier: （本年预算）, （不含上年结转）.
_TITLE_END_RE = re.compile(r"表(（[^）]*）)*$")
_YEAR_RE = re.compile(r"^.*?(?:19|20)\d{2}\s*年(?:度)?")
_TRAILING_YEAR_RE = re.compile(r"[（(]\s*(?:19|20)\d{2}\s*年(?:度)?\s*[）)]$")


def clean_text(text: str | None) -> str:
    """A printed cell with the whitespace of wrapped lines removed, otherwise as printed."""
    if text is None:
        return ""
    return re.sub(r"\s+", "", str(text))


@lru_cache(maxsize=1 << 16)
def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text)
    folded = re.sub(r"\s+", "", folded)
    folded = folded.replace('"', "“").replace("”", "“").replace("'", "“").replace("‘", "“").replace("’", "“")
    folded = folded.replace("(", "（").replace(")", "）")
    return folded.replace("“", "")


def fold(text: str | None) -> str:
    """Normalise text for matching: NFKC, no whitespace, Chinese quotes and brackets unified."""
    if text is None:
        return ""
    return _fold(str(text))


@dataclass(frozen=True)
class ColumnSpec:
    """A canonical column of a standard table."""

    id: str
    label: str
    role: str
    aliases: tuple[str, ...]
    side: str | None = None
    under: tuple[str, ...] = ()

    def matches_leaf(self, text: str) -> bool:
        return any(_alias_matches(a, text) for a in self.aliases)

    def matches_under(self, path: list[str]) -> bool:
        if not self.under:
            return True
        return any(_alias_matches(a, p) for a in self.under for p in path)


@dataclass(frozen=True)
class MeasureSpec:
    """A measure a header may print above or below an item (预算数 / 决算数 in a 决算 “三公” table).

    A column under a measure is ``<measure id>_<item column id>`` (``budget_reception``).
    """

    id: str
    label: str
    aliases: tuple[str, ...]

    def matches(self, text: str) -> bool:
        return any(_alias_matches(a, text) for a in self.aliases)


#: Column ids of the second and further panels of a table printed as side-by-side panels
#: (``panel2_code``): the tidy table stacks each panel's rows under the first panel's columns.
PANEL_ID_RE = re.compile(r"^panel(?P<panel>\d+)_(?P<base>.+)$")


@dataclass(frozen=True)
class TableSpec:
    """A standard table: canonical id and title, aliases, columns.

    Attributes:
        kind: ``budget`` (预算) or ``final`` (决算): which kind of disclosure prints the table.
        measures: Measures a header may print around an item (see :class:`MeasureSpec`).
    """

    id: str
    title: str
    aliases: tuple[str, ...]
    columns: tuple[ColumnSpec, ...]
    headers: tuple[str, ...] = ()
    two_sided: bool = False
    kind: str = "budget"
    measures: tuple[MeasureSpec, ...] = ()
    codes: str | None = None  # "function" (2xx 类) or "economic" (3xx 类): what its 科目编码 are
    twin: str | None = None  # the same table by the other classification (a title may not say which)

    def column(self, column_id: str) -> ColumnSpec:
        for col in self.columns:
            if col.id == column_id:
                return col
        raise KeyError(f"{self.id} has no column {column_id!r}")

    def header_vocabulary(self) -> tuple[str, ...]:
        words: list[str] = list(self.headers)
        for col in self.columns:
            words.extend(col.aliases)
            words.extend(col.under)
        for measure in self.measures:
            words.extend(measure.aliases)
        return tuple(words)


@dataclass(frozen=True)
class Template:
    id: str
    description: str
    expected: tuple[str, ...]
    required: tuple[str, ...] = ()
    kind: str = "budget"


@dataclass
class Catalog:
    """All table specs, templates and common vocabulary."""

    tables: dict[str, TableSpec]
    templates: dict[str, Template]
    common_headers: tuple[str, ...] = ()
    total_items: tuple[str, ...] = ()
    header_roles: dict[str, "re.Pattern[str]"] = field(default_factory=dict)
    _alias_index: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        pairs = [(fold(alias), t.id) for t in self.tables.values() for alias in t.aliases]
        # Longest alias first so that a specific title wins over a general one.
        self._alias_index = sorted(pairs, key=lambda p: -len(p[0]))

    def table(self, table_id: str) -> TableSpec:
        """The spec of a table id; a repeated table (``summary~2``) takes its base table's spec,
        a table the catalog does not know (``other-3``) a spec with no known columns."""
        spec = self.tables.get(table_id) or self.tables.get(base_table_id(table_id))
        if spec is not None:
            return spec
        return TableSpec(id=table_id, title=table_id, aliases=(), columns=())

    def knows(self, table_id: str) -> bool:
        """Whether ``table_id`` (or the table it repeats) is a standard table of the catalog."""
        return base_table_id(table_id) in self.tables

    def template(self, template_id: str | None) -> Template:
        return self.templates.get(template_id or "generic", self.templates["generic"])

    def match_title(self, title: str) -> str | None:
        """The canonical table id a printed title names, or ``None``.

        The label (预算公开表1, 表一), anything up to the year (department name, 2025年) and
        quotes are ignored; the longest matching alias wins.

        Examples:
            >>> load_catalog().match_title("表十二2025年项目支出预算表（本年预算）")
            'project_current'
        """
        core = strip_title(title)
        if not core or len(core) > 60 or not _TITLE_END_RE.search(core):
            return None
        # A 绩效目标表 is titled with its project's name, however long: a title ending with the
        # alias (and perhaps its year in brackets) is a title.
        ending = re.sub(r"[（(][^（）()]*[）)]$", "", core)
        for alias, table_id in self._alias_index:
            if alias in core:
                # A title is a title, not a sentence mentioning one.
                if len(core) - len(alias) > 24 and not ending.endswith(alias):
                    continue
                return table_id
        return None

    def header_role(self, text: str) -> str | None:
        """What a header text says its column is: ``total`` (of its siblings), ``subset`` (其中),
        ``code`` (codes or numbering, never an amount), ``non_additive`` (counts, rates), ``name``
        (row labels), ``text`` (remarks) or ``None``."""
        folded = fold(text)
        for role in ("code", "subset", "non_additive", "total", "name", "text"):
            pattern = self.header_roles.get(role)
            if pattern is not None and pattern.search(folded):
                return role
        return None

    def is_total_item(self, text: str) -> bool:
        folded = fold(text)
        return folded in {fold(t) for t in self.total_items}

    def is_row_label_header(self, spec: TableSpec, text: str) -> bool:
        """A first-column cell that can head a header row.

        Only label-column aliases and group headings count, not amount-column aliases: in a
        transposed 三公 table 公务接待费 names a column, in the seed's it names a body row.
        """
        folded = fold(text)
        if not folded:
            return True
        words = list(spec.headers) + list(self.common_headers)
        for col in spec.columns:
            words.extend(col.under)
            if col.role != "amount":
                words.extend(col.aliases)
        return any(_alias_matches(a, folded) for a in words)

    def is_header_text(self, spec: TableSpec, text: str) -> bool:
        folded = fold(text)
        if not folded:
            return True
        return any(_alias_matches(a, folded) for a in spec.header_vocabulary() + self.common_headers)


def strip_numbering(item: str | None) -> str:
    """An item folded for matching, without its list markers.

    ``四、公共安全支出`` → ``公共安全支出``; ``（一）1.工资`` → ``工资``; ``①公务用车购置费`` and
    ``1公务用车购置费`` → ``公务用车购置费``.
    """
    text = fold(item or "")
    previous = None
    while previous != text:  # （一）1.工资: every marker in front
        previous = text
        text = marker_re().sub("", text)
    return re.sub(r"^[①②③④⑤⑥⑦⑧⑨⑩\d]+(?=[\u4e00-\u9fff])", "", text)


def base_table_id(table_id: str) -> str:
    """The catalog id of a table key: ``summary~2`` (a second 收支总表 in one document) → ``summary``."""
    return table_id.split("~", 1)[0]


def strip_title(title: str) -> str:
    """Remove label, department/year prefix and unit from a printed title."""
    core = fold(title)
    core = strip_label(core)
    # A year printed after the title in brackets (…项目绩效目标表（2024 年度）) says nothing of
    # which table it is; a year before it ends the department/year prefix.
    core = _TRAILING_YEAR_RE.sub("", core)
    core = _YEAR_RE.sub("", core, count=1)
    core = re.sub(r"单位[:：].*$", "", core)
    return core


def _alias_matches(alias: str, text: str) -> bool:
    folded = fold(text)
    if alias.startswith("re:"):
        return re.search(alias[3:], folded) is not None
    return fold(alias) == folded


@lru_cache(maxsize=1)
def load_catalog() -> Catalog:
    """Read ``catalog.toml`` once."""
    raw = tomllib.loads(resources.files("budgetkit").joinpath("data/catalog.toml").read_text(encoding="utf-8"))
    tables = {}
    for entry in raw["table"]:
        columns = tuple(
            ColumnSpec(
                id=c["id"],
                label=c["label"],
                role=c["role"],
                aliases=tuple(c.get("aliases", [])),
                side=c.get("side"),
                under=tuple(c.get("under", [])),
            )
            for c in entry["columns"]
        )
        tables[entry["id"]] = TableSpec(
            id=entry["id"],
            title=entry["title"],
            aliases=tuple(entry["aliases"]),
            columns=columns,
            headers=tuple(entry.get("headers", [])),
            two_sided=entry.get("two_sided", False),
            kind=entry.get("kind", "budget"),
            measures=tuple(MeasureSpec(m["id"], m["label"], tuple(m["aliases"])) for m in entry.get("measures", [])),
            codes=entry.get("codes"),
            twin=entry.get("twin"),
        )
    templates = {
        tid: Template(tid, t.get("description", ""), tuple(t.get("expected", [])), tuple(t.get("required", [])), t.get("kind", "budget"))
        for tid, t in raw.get("templates", {}).items()
    }
    common = raw.get("common", {})
    roles = {key: re.compile(common[f"{key}_headers"]) for key in ("total", "subset", "code", "non_additive", "name", "text") if f"{key}_headers" in common}
    return Catalog(tables, templates, tuple(common.get("headers", [])), tuple(common.get("total_items", [])), roles)
