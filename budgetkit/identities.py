"""The sums a table states by its own layout, derived from its printed headers and codes.

Any table — standard or not, in any template — tells by its header which of its columns add
up: under a header group, a column headed 合计 / 小计 / 总计 is the sum of its siblings, and a
sibling group counts with its own 小计 (or the sum of its columns when it has none). Its
科目编码 tell which rows add up: each 类 is the sum of its 款, each 款 of its 项, and the 合计
row of the top-level codes. These identities need no catalog; they are what a reader can
verify a reading with (:mod:`budgetkit.reading`) and what the checks report on
(``within.total_column``, ``within.code_hierarchy``, ``within.total_row``).

Columns that are not parts of a sum are left out: subsets printed as 其中, counts and row
numbers (行次, 人数, 数量 …) and rates (增长率, %, 占比) — the header words of each role are data
(``[common]`` of the catalog, :meth:`budgetkit.catalog.Catalog.header_role`).
"""

from __future__ import annotations

from dataclasses import dataclass, field



def _role(text: str) -> str | None:
    from budgetkit.catalog import load_catalog

    return load_catalog().header_role(text)


@dataclass
class ColumnIdentity:
    """``total`` equals the sum of ``parts`` on every row (column ids of one table and side)."""

    total: str
    parts: list[str]
    path: tuple[str, ...] = ()  # the header group the identity belongs to
    #: Other readings of an ambiguous header: ``其中：基本支出 | 项目支出`` after 小计 is the
    #: breakdown, ``其中：教育收费`` after 事业收入 a subset. The checks keep the reading that
    #: holds on most rows.
    alternatives: list[list[str]] = field(default_factory=list)

    def describe(self, labels: dict[str, str]) -> str:
        return f"「{labels.get(self.total, self.total)}」= " + " + ".join(labels.get(p, p) for p in self.parts)


@dataclass
class _Node:
    text: str
    column: str | None = None
    children: list["_Node"] = field(default_factory=list)

    def child(self, text: str) -> "_Node":
        for node in self.children:
            if node.text == text and node.column is None:
                return node
        node = _Node(text)
        self.children.append(node)
        return node


def _is_total(text: str) -> bool:
    return _role(text) == "total"


def _is_subset(node: _Node) -> bool:
    """其中：教育收费 (one column) is a subset of a sibling; 其中 over 基本支出 | 项目支出 is the breakdown."""
    return _role(node.text) == "subset" and len(node.children) < 2


def _value_columns(node: _Node) -> list[str] | None:
    """The columns whose sum is the node's value: itself, its 小计, or the sum of its children."""
    if node.column is not None:
        return [node.column]
    totals = [c for c in node.children if _is_total(c.text) and c.column is not None]
    if totals:
        return [totals[0].column]
    out: list[str] = []
    for child in node.children:
        if _is_subset(child):
            continue
        sub = _value_columns(child)
        if sub is None:
            return None
        out.extend(sub)
    return out or None


def column_identities(columns: list[tuple[str, tuple[str, ...]]]) -> list[ColumnIdentity]:
    """The column sums a header states.

    Args:
        columns: ``(column_id, header path)`` of each amount column, in printed order (one side
            of a two-sided table).

    Returns:
        One identity per header group holding a total column and at least one other part.

    Examples:
        >>> ids = column_identities([("a", ("合计",)), ("b", ("基本支出", "小计")), ("c", ("基本支出", "人员经费")),
        ...                          ("d", ("基本支出", "公用经费")), ("e", ("项目支出",))])
        >>> [(i.total, i.parts) for i in ids]
        [('a', ['b', 'e']), ('b', ['c', 'd'])]
    """
    root = _Node("")
    for column_id, path in columns:
        if not path or any(_role(p) in ("code", "non_additive") for p in path):
            continue
        node = root
        for text in path[:-1]:
            node = node.child(text)
        node.children.append(_Node(path[-1], column_id))
    out: list[ColumnIdentity] = []

    def visit(node: _Node, path: tuple[str, ...]) -> None:
        totals = [c for c in node.children if _is_total(c.text) and c.column is not None]
        if totals:
            total = totals[0]
            parts: list[str] = []
            ok = True
            for child in node.children:
                if child is total or _is_total(child.text) or _is_subset(child):
                    continue
                sub = _value_columns(child)
                if sub is None:
                    ok = False
                    break
                parts.extend(sub)
            if ok and parts:
                subsets = [c for c in node.children if c is not total and _is_subset(c) and c.column is not None]
                alternatives = []
                if subsets:
                    with_subsets = []
                    for child in node.children:
                        if child is total or _is_total(child.text):
                            continue
                        with_subsets.extend(_value_columns(child) or [])
                    alternatives.append(with_subsets)
                out.append(ColumnIdentity(total.column, parts, path, alternatives))

        for child in node.children:
            if child.column is None:
                visit(child, path + (child.text,))

    visit(root, ())
    return out
