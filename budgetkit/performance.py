"""Parse the 绩效目标表 blocks: the department's 整体支出 table and each 项目支出 table.

The dumps are messy: merged cells shift columns differently in every table, titles repeat,
the 年度 half of the indicator grid moves around, and one table prints the project name on a
line of its own before a 项目名称 row that holds the department code. So nothing here reads a
fixed column: every value is found by the label before it (``实施期资金总额:`` → the next
number) or by what it is (二级指标 names form a closed vocabulary), and every value keeps the
:class:`~budgetkit.model.Location` (line) it was read from.

Money in project tables is in 元 (``项目资金(元)``), in the department table in 万元
(``资金总额(万元)``); both are exact :class:`~decimal.Decimal`.

:func:`stated_arithmetic` reads the sums a project's own text states (``115万元，其中看守所经费
110万元，拘留所经费5万元``; ``小计… 共计300.00万元``; ``7名 … 每月592元``) into
:class:`ArithmeticClaim` objects with the expected and the stated value, for the checks.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from budgetkit.amounts import UNIT_TO_YUAN, try_parse_amount
from budgetkit.model import Location, TextBlock, TextLine

PROJECT_KIND = "项目支出"
DEPARTMENT_KIND = "整体支出"

#: Canonical funding sources of a project table, with the printed labels that name them.
FUNDING_SOURCES: dict[str, tuple[str, ...]] = {
    "合计": ("实施期资金总额", "年度资金总额", "资金总额"),
    "中央财政资金": ("中央财政资金", "中央资金"),
    "省级财政资金": ("省级财政资金", "省级资金"),
    "市县财政资金": ("市县(区)财政资金", "市县（区）财政资金", "市县财政资金", "市级财政资金", "县级财政资金"),
    "单位自筹": ("单位自筹", "单位自筹资金"),
    "其他资金": ("其他资金",),
}
PERIODS = ("实施期", "年度")

_L1_RE = re.compile(r"^(产出指标|效益指标|满意度指标)$")
_L2_RE = re.compile(
    r"^(数量指标|质量指标|时效指标|成本指标|经济效益(?:指标)?|社会效益(?:指标)?|生态效益(?:指标)?|"
    r"可持续(?:发展|性)?(?:影响)?(?:指标)?|服务对象满意度(?:指标)?)$"
)
#: The 一级指标 each 二级指标 belongs to (成本指标 under 产出指标, as in this template family).
L2_TO_L1 = {
    "数量指标": "产出指标",
    "质量指标": "产出指标",
    "时效指标": "产出指标",
    "成本指标": "产出指标",
    "经济效益": "效益指标",
    "社会效益": "效益指标",
    "生态效益": "效益指标",
    "可持续影响": "效益指标",
    "服务对象满意度": "满意度指标",
}
_HEADER_TOKENS = {
    "绩效指标",
    "年度绩效指标",
    "一级指标",
    "二级指标",
    "三级指标",
    "指标值",
    "实施期指标值",
    "年度指标值",
    "实施期目标",
    "年度目标",
}
_TITLE_RE = re.compile(r"绩效目标(?:申报)?表|^\(?（?\s*\(?\d{4}\)?\s*年度\s*\)?）?$")
_DEPT_CODE_RE = re.compile(r"^\s*(?P<code>\d{2,})\s*[-－—–]\s*(?P<name>\S.*)$")
_VALUE_RE = re.compile(
    r"^\s*(?P<cmp>≥|≤|>=|<=|＞＝|＜＝|>|<|＞|＜|=|＝|大于等于|小于等于|不低于|不高于|不少于|不超过|约)?\s*"
    r"(?P<num>\d+(?:[.,]\d+)*)\s*(?P<unit>\S*)\s*$"
)


# --------------------------------------------------------------------------- data


@dataclass
class Field:
    """A labelled text value with the line it was read from."""

    label: str
    text: str
    location: Location


@dataclass
class FundingLine:
    """One amount of a project's 项目资金 grid.

    Attributes:
        period: ``实施期`` or ``年度``.
        source: Canonical source (``合计``, ``中央财政资金``, ``省级财政资金``, ``市县财政资金``,
            ``单位自筹``, ``其他资金``).
        label: The label as printed (``市县(区)财政资金``).
        amount_yuan: Exact amount in 元; ``None`` when the cell is blank.
        text: The amount as printed (``"5,000,000"``).
        location: The line.
    """

    period: str
    source: str
    label: str
    amount_yuan: Decimal | None
    text: str
    location: Location


@dataclass
class Indicator:
    """One 三级指标 with its value.

    Attributes:
        period: ``实施期`` / ``年度`` for project tables, ``年度`` for the department table.
        level1: 一级指标 (产出指标 / 效益指标 / 满意度指标), derived from the 二级指标 when known.
        level2: 二级指标 as printed (数量指标, 社会效益 …), carried down from the row that printed it.
        level3: 三级指标 (the indicator's name); ``None`` when the row printed only a value.
        value_text: 指标值 as printed (``≥1200件``); ``None`` when not printed.
        comparator: ``≥``/``≤``/``>``/``<``/``=``/``约`` or ``None``.
        number: The number in the value, exact, if any.
        unit: The unit after the number (``件``, ``万元``, ``%``), if any.
        location: The line.
    """

    period: str
    level1: str | None
    level2: str | None
    level3: str | None
    value_text: str | None
    location: Location
    comparator: str | None = None
    number: Decimal | None = None
    unit: str | None = None

    @property
    def amount_yuan(self) -> Decimal | None:
        """The value in 元 when its unit is money (``222万元`` → 2220000)."""
        if self.number is None or self.unit is None:
            return None
        unit = self.unit.split("/")[0]
        if unit in UNIT_TO_YUAN and "/" not in self.unit:
            return self.number * UNIT_TO_YUAN[unit]
        return None


@dataclass
class ProjectTarget:
    """A 项目支出绩效目标表.

    Attributes:
        name: 项目名称 (recovered from the line before the 项目名称 row when that row holds a
            department code instead).
        name_location: Where the name was read.
        department: 主管部门 name; ``department_code`` its code (``017``).
        implementing_unit: 实施单位.
        attribute: 项目属性 (``延续性项目(阶段开展)``).
        duration: 项目期 as printed (``4年``); ``duration_years`` as a number.
        funding: Every amount of the 项目资金 grid (实施期 and 年度, by source), in 元.
        texts: Text fields by label (项目概况, 立项依据, 项目设立必要性, 保证项目实施的制度、措施,
            项目实施计划, 总体目标(实施期), 总体目标(年度)).
        indicators: The 绩效指标 grid, both periods.
        location: Where the block starts.
        warnings: What could not be read cleanly (name recovered, extra indicator columns …).
    """

    name: str | None
    name_location: Location | None
    location: Location
    department: str | None = None
    department_code: str | None = None
    department_location: Location | None = None
    implementing_unit: str | None = None
    attribute: str | None = None
    duration: str | None = None
    funding: list[FundingLine] = field(default_factory=list)
    texts: dict[str, Field] = field(default_factory=dict)
    indicators: list[Indicator] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def duration_years(self) -> int | None:
        match = re.search(r"(\d+)\s*年", self.duration or "")
        return int(match.group(1)) if match else None

    def amount_yuan(self, period: str, source: str = "合计") -> Decimal | None:
        """The amount of ``source`` (default the total) in ``period`` (``实施期`` / ``年度``)."""
        for line in self.funding:
            if line.period == period and line.source == source:
                return line.amount_yuan
        return None

    def funding_line(self, period: str, source: str = "合计") -> FundingLine | None:
        for line in self.funding:
            if line.period == period and line.source == source:
                return line
        return None

    @property
    def annual_total_yuan(self) -> Decimal | None:
        """年度资金总额 in 元."""
        return self.amount_yuan("年度")

    @property
    def implementation_total_yuan(self) -> Decimal | None:
        """实施期资金总额 in 元."""
        return self.amount_yuan("实施期")

    @property
    def overview(self) -> str | None:
        """项目概况."""
        f = self.texts.get("项目概况")
        return f.text if f else None


@dataclass
class BudgetLine:
    """One amount of the department table's 年度预算情况 (in 万元).

    Attributes:
        axis: ``来源`` (按资金来源划分) or ``方向`` (按资金方向划分).
        label: Label as printed without ``其中:`` (``一般公共预算资金``, ``基本支出``, ``合计``).
        amount: Exact amount in ``unit``; ``None`` if blank.
        unit: ``万元`` unless the header says otherwise.
        text: The amount as printed.
        location: The line.
    """

    axis: str
    label: str
    amount: Decimal | None
    unit: str
    text: str
    location: Location

    @property
    def amount_yuan(self) -> Decimal | None:
        if self.amount is None:
            return None
        return self.amount * UNIT_TO_YUAN.get(self.unit, Decimal(1))


@dataclass
class DepartmentTarget:
    """The 部门整体支出绩效目标表.

    Attributes:
        department: 部门名称 without code; ``department_code`` its code.
        counts: 内设职能部门数, 所属预算单位数, 核定的人员编制数, 实际在职人员总数, 在编人员数,
            其他人员数 … as ``{label: (number, unit, location)}``.
        budget: 年度预算情况, by source and by direction.
        key_tasks: 年度重点任务 as (核心职能, 重点任务, location).
        texts: 部门职责, 部门战略目标, 年度绩效目标.
        indicators: 年度绩效指标.
    """

    department: str | None
    location: Location
    department_code: str | None = None
    department_location: Location | None = None
    counts: dict[str, tuple[int | None, str, Location]] = field(default_factory=dict)
    budget: list[BudgetLine] = field(default_factory=list)
    key_tasks: list[tuple[str, str, Location]] = field(default_factory=list)
    texts: dict[str, Field] = field(default_factory=dict)
    indicators: list[Indicator] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def budget_amount(self, label: str, axis: str | None = None) -> Decimal | None:
        """The 年度预算 amount for a label (``合计``, ``基本支出``, ``项目支出``, ``一般公共预算资金``)."""
        for line in self.budget:
            if line.label == label and (axis is None or line.axis == axis):
                return line.amount
        return None

    def count(self, label: str) -> int | None:
        for key, (number, _unit, _loc) in self.counts.items():
            if key == label or label in key:
                return number
        return None


@dataclass
class PerformanceTargets:
    """All 绩效目标表 of a document."""

    departments: list[DepartmentTarget] = field(default_factory=list)
    projects: list[ProjectTarget] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class ArithmeticClaim:
    """A sum or product a project's own text states, with expected vs stated value.

    Attributes:
        kind: ``parts_sum`` (parts that should add up to a stated total), ``persons_rate_months``
            (persons × monthly rate × months that should give the project's annual funding),
            ``total_vs_funding`` (a total the text states vs the project's 年度/实施期 funding), or
            ``listed_sum_vs_funding`` (every amount of a list ending in 共计, the 共计 read as the
            last item, vs 年度资金总额 — the other reading of an ambiguous 共计).
        project: Project name.
        field: Which text it was read from (``项目概况`` …).
        description: What is compared, in words.
        parts: The operands as ``(label, value, unit)``.
        expected_yuan: What the operands give (sum, product) or the funding amount, in 元.
        stated_yuan: What the text (or table) states, in 元.
        text: The excerpt of the text.
        location: Line of the text.
        approximate: True when the text says 约/预计 (a loose statement).
        alternatives_yuan: Other values the stated total could legitimately match (the other
            period's funding), in 元.
    """

    kind: str
    project: str | None
    field: str
    description: str
    parts: list[tuple[str, Decimal, str]]
    expected_yuan: Decimal | None
    stated_yuan: Decimal | None
    text: str
    location: Location
    approximate: bool = False
    alternatives_yuan: list[Decimal] = field(default_factory=list)

    @property
    def difference_yuan(self) -> Decimal | None:
        """stated − expected, in 元."""
        if self.expected_yuan is None or self.stated_yuan is None:
            return None
        return self.stated_yuan - self.expected_yuan

    @property
    def consistent(self) -> bool | None:
        """True when stated equals expected (or one of the alternatives) exactly."""
        if self.expected_yuan is None or self.stated_yuan is None:
            return None
        return self.stated_yuan == self.expected_yuan or self.stated_yuan in self.alternatives_yuan


# --------------------------------------------------------------------------- cells


@dataclass
class _Cell:
    col: int
    text: str
    location: Location


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", folded)


def _cells(line: TextLine) -> list[_Cell]:
    return [_Cell(i, c.strip(), line.location) for i, c in enumerate(line.cells) if c.strip()]


def _label_is(cell_text: str, *labels: str) -> bool:
    folded = _fold(cell_text).rstrip(":：")
    return any(folded == _fold(label) or folded == "其中:" + _fold(label) for label in labels)


def _strip_label(text: str) -> str:
    folded = _fold(text).rstrip(":：")
    return re.sub(r"^其中[:：]", "", folded)


def _is_title(text: str) -> bool:
    folded = _fold(text)
    return bool(_TITLE_RE.search(folded)) and len(folded) < 60


def parse_indicator_value(text: str | None) -> tuple[str | None, Decimal | None, str | None]:
    """Split an indicator value into comparator, number and unit.

    Examples:
        >>> parse_indicator_value("≥1200件")
        ('≥', Decimal('1200'), '件')
        >>> parse_indicator_value("提升")
        (None, None, None)
    """
    if not text:
        return None, None, None
    match = _VALUE_RE.match(unicodedata.normalize("NFKC", text).replace("＞＝", ">=").replace("＜＝", "<="))
    if not match:
        return None, None, None
    number = try_parse_amount(match.group("num"))
    cmp_ = match.group("cmp")
    cmp_ = {">=": "≥", "<=": "≤", "大于等于": "≥", "不低于": "≥", "不少于": "≥", "小于等于": "≤", "不高于": "≤", "不超过": "≤"}.get(
        cmp_ or "", cmp_
    )
    return cmp_, number, (match.group("unit") or None)


# --------------------------------------------------------------------------- indicators


def _canonical_l2(text: str) -> str:
    folded = _fold(text)
    folded = re.sub(r"指标$", "", folded) if not folded.endswith(("数量指标", "质量指标", "时效指标", "成本指标")) else folded
    if folded.startswith("可持续"):
        return "可持续影响"
    return folded


def parse_indicator_rows(rows: list[TextLine], periods: tuple[str, ...]) -> tuple[list[Indicator], list[str]]:
    """Read an indicator grid by what each cell is, not where it stands.

    Each row is read left to right: a 一级指标 name sets level 1, a 二级指标 name sets level 2 of
    the current period (a second 二级指标 in the row, or any cell after a complete name/value
    pair, moves to the next period), other cells are the 三级指标 name then its value. Level 1
    and 2 carry down from row to row, per period.

    Args:
        rows: The grid's lines (the header row may be included).
        periods: ``("实施期", "年度")`` for project tables, ``("年度",)`` for the department table.

    Returns:
        The indicators in order, and warnings for cells that fit no period.
    """
    indicators: list[Indicator] = []
    warnings: list[str] = []
    carry_l1: dict[str, str | None] = {p: None for p in periods}
    carry_l2: dict[str, str | None] = {p: None for p in periods}
    for line in rows:
        cells = _cells(line)
        if not cells:
            continue
        p_index = 0
        l3: str | None = None
        value: str | None = None
        l2_set_in_row = False
        extra: list[str] = []

        def flush() -> None:
            nonlocal l3, value
            if p_index < len(periods) and (l3 is not None or value is not None):
                period = periods[p_index]
                cmp_, num, unit = parse_indicator_value(value)
                l1, l2 = carry_l1[period], carry_l2[period]
                if carry_l2[period] is None and p_index > 0:
                    # A later period printed without its 二级指标 column (so far): use the first period's.
                    l1, l2 = carry_l1[periods[0]], carry_l2[periods[0]]
                indicators.append(
                    Indicator(
                        period=period,
                        level1=l1,
                        level2=l2,
                        level3=l3,
                        value_text=value,
                        location=line.location,
                        comparator=cmp_,
                        number=num,
                        unit=unit,
                    )
                )
            l3, value = None, None

        for cell in cells:
            text = cell.text
            folded = _fold(text)
            if folded in _HEADER_TOKENS:
                continue
            if _L1_RE.match(folded):
                for p in periods:
                    carry_l1[p] = folded
                continue
            if _L2_RE.match(folded):
                if l3 is not None or value is not None or l2_set_in_row:
                    flush()
                    p_index += 1
                    l2_set_in_row = False
                if p_index >= len(periods):
                    extra.append(text)
                    continue
                period = periods[p_index]
                carry_l2[period] = _canonical_l2(folded)
                carry_l1[period] = L2_TO_L1.get(carry_l2[period], carry_l1[period])
                l2_set_in_row = True
                continue
            if p_index >= len(periods):
                extra.append(text)
                continue
            if l3 is None:
                l3 = text
            elif value is None:
                value = text
                flush()
                p_index += 1
                l2_set_in_row = False
            else:  # pragma: no cover - flush resets l3/value
                extra.append(text)
        flush()
        if extra:
            # An extra name/value pair that repeats one already read is a duplicate column.
            known = {(i.level3, i.value_text) for i in indicators if i.location == line.location}
            pairs = [c for c in extra if not _L2_RE.match(_fold(c))]
            duplicate = len(pairs) % 2 == 0 and all(
                (pairs[k], pairs[k + 1]) in known for k in range(0, len(pairs), 2)
            )
            if not duplicate:
                warnings.append(f"{line.location}: cells beyond the {'/'.join(periods)} columns: {extra}")
    return indicators, warnings


# --------------------------------------------------------------------------- project tables

_PROJECT_TEXT_LABELS = ("项目概况", "立项依据", "项目设立必要性", "保证项目实施的制度、措施", "项目实施计划")


def _next_text(cells: list[_Cell], idx: int) -> _Cell | None:
    for cell in cells[idx + 1 :]:
        if cell.text:
            return cell
    return None


def parse_project_block(block: TextBlock) -> ProjectTarget:
    """Parse one 项目支出绩效目标表 block by its labels.

    Args:
        block: The block's lines (title lines, blank lines and repeated titles are tolerated).

    Returns:
        The :class:`ProjectTarget`; values that are missing stay ``None`` and are named in
        ``warnings``.
    """
    project = ProjectTarget(name=None, name_location=None, location=block.location)
    lines = [line for line in block.lines if line.text.strip()]
    pre_name: list[TextLine] = []  # single-text lines before the 项目名称 row
    seen_name_row = False
    in_funding = False
    in_indicators = False
    indicator_rows: list[TextLine] = []
    funding_rows: list[TextLine] = []
    for line in lines:
        cells = _cells(line)
        if not cells:
            continue
        first = cells[0].text
        if in_indicators:
            if _label_is(first, "负责人"):
                in_indicators = False
                continue
            indicator_rows.append(line)
            continue
        if _label_is(first, "绩效指标") or (
            not _label_is(first, "项目名称") and any(_label_is(c.text, "一级指标") for c in cells)
        ):
            in_indicators = True
            in_funding = False
            indicator_rows.append(line)
            continue
        if _is_title(first) and len(cells) == 1:
            continue
        if _label_is(first, "项目名称"):
            seen_name_row = True
            value = _next_text(cells, 0)
            if value is not None and not _DEPT_CODE_RE.match(value.text):
                project.name, project.name_location = value.text, value.location
            else:
                candidates = [pl for pl in pre_name if not _is_title(pl.cells[0])]
                if candidates:
                    project.name = candidates[-1].text.replace("\t", "").strip()
                    project.name_location = candidates[-1].location
                    project.warnings.append(
                        f"{line.location}: the 项目名称 cell holds {value.text if value else 'nothing'!r}; "
                        f"name taken from line {candidates[-1].location.line}"
                    )
                elif value is not None:
                    project.name, project.name_location = value.text, value.location
                    project.warnings.append(f"{line.location}: 项目名称 looks like a department code")
            continue
        if not seen_name_row and len(cells) == 1:
            pre_name.append(line)
            continue
        if _label_is(first, "主管部门及代码", "主管部门"):
            value = _next_text(cells, 0)
            if value is not None:
                match = _DEPT_CODE_RE.match(value.text)
                project.department = match.group("name") if match else value.text
                project.department_code = match.group("code") if match else None
                project.department_location = value.location
            for i, cell in enumerate(cells):
                if _label_is(cell.text, "实施单位"):
                    unit = _next_text(cells, i)
                    project.implementing_unit = unit.text if unit else None
            continue
        if _label_is(first, "项目属性"):
            value = _next_text(cells, 0)
            project.attribute = value.text if value else None
            for i, cell in enumerate(cells):
                if _label_is(cell.text, "项目期"):
                    dur = _next_text(cells, i)
                    project.duration = dur.text if dur else None
            continue
        if _fold(first).startswith("项目资金"):
            in_funding = True
            funding_rows.append(line)
            continue
        if in_funding:
            if any(_label_is(c.text, *_all_source_labels()) for c in cells):
                funding_rows.append(line)
                if any(_label_is(c.text, "其他资金") for c in cells):
                    in_funding = False
                continue
            in_funding = False
        label = _strip_label(first)
        for wanted in _PROJECT_TEXT_LABELS:
            if label == _fold(wanted):
                value = _next_text(cells, 0)
                if value is not None:
                    project.texts[wanted] = Field(wanted, value.text, value.location)
                break
        else:
            if label == "总体目标":
                rest = cells[1:]
                if rest:
                    project.texts["总体目标(实施期)"] = Field("总体目标(实施期)", rest[0].text, rest[0].location)
                if len(rest) > 1:
                    project.texts["总体目标(年度)"] = Field("总体目标(年度)", rest[1].text, rest[1].location)
    project.funding = _parse_funding(funding_rows, project.warnings)
    project.indicators, warns = parse_indicator_rows(indicator_rows, PERIODS)
    project.warnings.extend(warns)
    if project.name is None:
        project.warnings.append(f"{block.location}: no 项目名称 found")
    if project.annual_total_yuan is None:
        project.warnings.append(f"{block.location}: no 年度资金总额 found")
    return project


def _all_source_labels() -> tuple[str, ...]:
    return tuple(label for labels in FUNDING_SOURCES.values() for label in labels)


def _source_of(text: str) -> str | None:
    for source, labels in FUNDING_SOURCES.items():
        if _label_is(text, *labels):
            return source
    return None


def _parse_funding(rows: list[TextLine], warnings: list[str]) -> list[FundingLine]:
    """Read the 项目资金 grid: in each row the first label is 实施期, the second 年度."""
    out: list[FundingLine] = []
    for line in rows:
        cells = _cells(line)
        labelled = [(i, c, _source_of(c.text)) for i, c in enumerate(cells)]
        labels = [(i, c, s) for i, c, s in labelled if s is not None]
        for k, (i, cell, source) in enumerate(labels):
            folded = _fold(cell.text)
            if "实施期" in folded:
                period = "实施期"
            elif "年度" in folded:
                period = "年度"
            else:
                period = PERIODS[k] if k < len(PERIODS) else None
            if period is None:
                warnings.append(f"{line.location}: a third funding label {cell.text!r}")
                continue
            end = labels[k + 1][0] if k + 1 < len(labels) else len(cells)
            amount_cell = None
            for j in range(i + 1, end):
                if try_parse_amount(cells[j].text) is not None:
                    amount_cell = cells[j]
                    break
            out.append(
                FundingLine(
                    period=period,
                    source=source,  # type: ignore[arg-type]
                    label=_strip_label(cell.text),
                    amount_yuan=try_parse_amount(amount_cell.text) if amount_cell else None,
                    text=amount_cell.text if amount_cell else "",
                    location=line.location,
                )
            )
    return out


# --------------------------------------------------------------------------- department table

_DEPT_COUNT_LABELS = ("内设职能部门数", "所属预算单位数", "核定的人员编制数", "实际在职人员总数", "在编人员数", "其他人员数")
_DEPT_TEXT_LABELS = ("部门职责", "部门战略目标", "年度绩效目标")


def parse_department_block(block: TextBlock) -> DepartmentTarget:
    """Parse the 部门(单位)整体支出绩效目标表 by its labels.

    Returns:
        The :class:`DepartmentTarget` with counts, 年度预算 by source and direction (万元),
        key tasks, texts and indicators.
    """
    dept = DepartmentTarget(department=None, location=block.location)
    lines = [line for line in block.lines if line.text.strip()]
    section = None
    direction_col: int | None = None
    unit = "万元"
    indicator_rows: list[TextLine] = []
    for line in lines:
        cells = _cells(line)
        if not cells:
            continue
        first = _strip_label(cells[0].text)
        if first in ("年度绩效指标", "绩效指标") or (section == "indicators"):
            section = "indicators"
            indicator_rows.append(line)
            continue
        if first == "年度预算情况" or any(_fold(c.text) == "按资金来源划分" for c in cells):
            section = "budget"
            for c in cells:
                if _fold(c.text) == "按资金方向划分":
                    direction_col = c.col
                m = re.search(r"[（(](亿元|万元|千元|元)[)）]", c.text)
                if m:
                    unit = m.group(1)
            continue
        if first == "年度重点任务":
            section = "tasks"
            continue
        if first in _DEPT_TEXT_LABELS:
            section = None
            value = _next_text(cells, 0)
            if value is not None:
                dept.texts[first] = Field(first, value.text, value.location)
            continue
        for i, cell in enumerate(cells):
            label = _strip_label(cell.text)
            if label == "部门名称" or label == "单位名称":
                value = _next_text(cells, i)
                if value is not None:
                    match = _DEPT_CODE_RE.match(value.text)
                    dept.department = match.group("name") if match else value.text
                    dept.department_code = match.group("code") if match else None
                    dept.department_location = value.location
            elif label in _DEPT_COUNT_LABELS:
                value = _next_text(cells, i)
                if value is not None:
                    m = re.match(r"^\s*(\d+)\s*(\S*)", unicodedata.normalize("NFKC", value.text))
                    dept.counts[label] = (int(m.group(1)) if m else None, (m.group(2) if m else ""), value.location)
        if section == "budget":
            labels = [c for c in cells if try_parse_amount(c.text) is None]
            for c in labels:
                following = [x for x in cells if x.col > c.col]
                amount = following[0] if following and try_parse_amount(following[0].text) is not None else None
                axis = "方向" if direction_col is not None and c.col >= direction_col else "来源"
                dept.budget.append(
                    BudgetLine(
                        axis=axis,
                        label=_strip_label(c.text),
                        amount=try_parse_amount(amount.text) if amount else None,
                        unit=unit,
                        text=amount.text if amount else "",
                        location=line.location,
                    )
                )
        elif section == "tasks":
            texts = [c.text for c in cells]
            if len(texts) >= 2:
                dept.key_tasks.append((texts[0], texts[1], line.location))
            elif texts:
                dept.key_tasks.append((texts[0], "", line.location))
    dept.indicators, warns = parse_indicator_rows(indicator_rows, ("年度",))
    dept.warnings.extend(warns)
    return dept


# --------------------------------------------------------------------------- dispatch


def block_kind(block: TextBlock) -> str:
    """``整体支出`` or ``项目支出``: the block's own kind, else guessed from its labels."""
    if block.kind in (PROJECT_KIND, DEPARTMENT_KIND):
        return block.kind
    text = "\n".join(line.text for line in block.lines)
    if "整体支出" in block.title or "部门名称" in text and "年度预算情况" in text:
        return DEPARTMENT_KIND
    return PROJECT_KIND


def parse_performance_blocks(blocks: list[TextBlock]) -> PerformanceTargets:
    """Parse all 绩效目标表 blocks of a document.

    Args:
        blocks: ``Document.performance_blocks`` (kind ``整体支出`` or ``项目支出``).

    Returns:
        The department table(s) and the project tables, in printed order.
    """
    result = PerformanceTargets()
    for block in blocks:
        if block_kind(block) == DEPARTMENT_KIND:
            result.departments.append(parse_department_block(block))
        else:
            result.projects.append(parse_project_block(block))
    for project in result.projects:
        result.warnings.extend(project.warnings)
    for dept in result.departments:
        result.warnings.extend(dept.warnings)
    return result


# --------------------------------------------------------------------------- stated arithmetic

_AMT = r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)\s*(?P<unit>亿元|万元|千元|元|万)(?![a-zA-Z0-9])"
_AMOUNT_RE = re.compile(_AMT)
_TOTAL_WORD_RE = re.compile(r"(共计|合计|总计|概算总投资|总投资|计划总投资)(?:约|为)?\s*$")


def _yuan(num: str, unit: str) -> Decimal:
    unit = "万元" if unit == "万" else unit
    return Decimal(num.replace(",", "")) * UNIT_TO_YUAN[unit]


def stated_arithmetic(project: ProjectTarget) -> list[ArithmeticClaim]:
    """The sums and products a project's own text states, with expected vs stated values.

    Three kinds are read (money only: counts like ``共368路，其中…`` mix overlapping groups too
    often to be safe):

    * ``parts_sum``: ``X万元，其中A a万元，B b万元`` (parts after 其中 must add up to X), and
      enumerations of amounts ending in ``共计/合计/总计 T万元`` (the amounts before must add up to T).
    * ``total_vs_funding``: a total the text states (共计/合计/总投资 …, or the head of a 其中
      split) vs the project's 年度资金总额 (for a 共计/其中 total) or 实施期资金总额 (for 总投资); the
      other period's funding is kept in ``alternatives_yuan``.
    * ``listed_sum_vs_funding``: for a list ending in 共计 T, the amounts before plus T (T read as
      the last item, as ``5、日常性经费…等,共计300.00万元`` can be) vs 年度资金总额.
    * ``persons_rate_months``: ``N名/人 … 每(人每)月R元`` → N × R × 12 vs 年度资金总额.

    Args:
        project: A parsed project table.

    Returns:
        The claims (consistent ones included: ``claim.consistent`` tells).
    """
    claims: list[ArithmeticClaim] = []
    annual = project.annual_total_yuan
    implementation = project.implementation_total_yuan
    seen_rate: set[tuple[int, Decimal]] = set()
    for label in ("项目概况", "项目实施计划", "总体目标(实施期)", "总体目标(年度)"):
        fld = project.texts.get(label)
        if fld is None:
            continue
        text = unicodedata.normalize("NFKC", fld.text)
        amounts = list(_AMOUNT_RE.finditer(text))
        used_as_total: set[int] = set()
        # 1. X，其中 a，b
        for k, m in enumerate(amounts):
            after = text[m.end() : m.end() + 4]
            if "其中" not in after:
                continue
            parts = []
            for m2 in amounts[k + 1 :]:
                between = text[(parts[-1][3] if parts else m.end()) : m2.start()]
                if re.search(r"[。;；]", between) or (parts and not re.search(r"[,，、]", between)):
                    break
                name = re.split(r"[,，、:：其中]", between)[-1] or between
                parts.append((name.strip(), m2.group("num"), m2.group("unit"), m2.end()))
            if len(parts) >= 2:
                stated = _yuan(m.group("num"), m.group("unit"))
                expected = sum((_yuan(p[1], p[2]) for p in parts), Decimal(0))
                head_name = re.split(r"[,，、:：;；]", text[: m.start()])[-1]
                claims.append(
                    ArithmeticClaim(
                        kind="parts_sum",
                        project=project.name,
                        field=label,
                        description=f"{head_name.strip()}{m.group(0)} = sum of the parts after 其中",
                        parts=[(p[0], Decimal(p[1].replace(",", "")), _unit(p[2])) for p in parts],
                        expected_yuan=expected,
                        stated_yuan=stated,
                        text=text[m.start() - len(head_name) : parts[-1][3]],
                        location=fld.location,
                        approximate=_approx(text, m.start()),
                    )
                )
                used_as_total.add(k)
                if label == "项目概况":
                    claims.append(_vs_funding(project, label, fld, text, m, head_name.strip(), annual, implementation, "年度"))
        # 2. a … b … 共计 T
        for k, m in enumerate(amounts):
            word = _TOTAL_WORD_RE.search(text[max(0, m.start() - 8) : m.start()])
            if not word:
                continue
            investment = "投资" in word.group(1)
            if not investment:
                previous = [p for p in amounts[:k] if not re.search(r"[。]", text[p.end() : m.start()])]
                if len(previous) >= 2:
                    stated = _yuan(m.group("num"), m.group("unit"))
                    expected = sum((_yuan(p.group("num"), p.group("unit")) for p in previous), Decimal(0))
                    claims.append(
                        ArithmeticClaim(
                            kind="parts_sum",
                            project=project.name,
                            field=label,
                            description=f"{word.group(1)}{m.group(0)} = sum of the amounts listed before it",
                            parts=[(_name_before(text, p), Decimal(p.group("num").replace(",", "")), _unit(p.group("unit"))) for p in previous],
                            expected_yuan=expected,
                            stated_yuan=stated,
                            text=text[previous[0].start() : m.end()],
                            location=fld.location,
                            approximate=_approx(text, m.start()),
                        )
                    )
                    if label == "项目概况" and annual is not None:
                        listed = expected + stated
                        claims.append(
                            ArithmeticClaim(
                                kind="listed_sum_vs_funding",
                                project=project.name,
                                field=label,
                                description=(
                                    f"all amounts listed up to {word.group(1)}{m.group(0)} (the total read as the "
                                    "last item) vs 年度资金总额"
                                ),
                                parts=[
                                    (_name_before(text, p), Decimal(p.group("num").replace(",", "")), _unit(p.group("unit")))
                                    for p in previous + [m]
                                ],
                                expected_yuan=annual,
                                stated_yuan=listed,
                                text=text[previous[0].start() : m.end()],
                                location=fld.location,
                                approximate=_approx(text, m.start()),
                            )
                        )
            if label == "项目概况" and k not in used_as_total:
                claims.append(
                    _vs_funding(project, label, fld, text, m, word.group(1), annual, implementation, "实施期" if investment else "年度")
                )
        # 3. N名 … 每月 R元
        for rate in re.finditer(r"每(?:人)?(?:每)?月\s*(\d+(?:\.\d+)?)\s*元|(\d+(?:\.\d+)?)\s*元\s*/\s*人\s*/\s*月", text):
            rate_value = Decimal(rate.group(1) or rate.group(2))
            persons = None
            for pm in re.finditer(r"(\d+)\s*(?:名|人)", text[: rate.start()]):
                persons = pm
            if persons is None:
                continue
            n = Decimal(persons.group(1))
            key = (int(n), rate_value)
            if key in seen_rate:
                continue
            seen_rate.add(key)
            claims.append(
                ArithmeticClaim(
                    kind="persons_rate_months",
                    project=project.name,
                    field=label,
                    description=f"{persons.group(0)} × {rate_value}元/月 × 12个月 = 年度资金总额",
                    parts=[("人数", n, "人"), ("月标准", rate_value, "元"), ("月数", Decimal(12), "月")],
                    expected_yuan=n * rate_value * 12,
                    stated_yuan=annual,
                    text=text[persons.start() : rate.end()],
                    location=fld.location,
                    approximate=_approx(text, rate.start()),
                )
            )
    return claims


def _unit(unit: str) -> str:
    return "万元" if unit == "万" else unit


def _approx(text: str, pos: int) -> bool:
    return bool(re.search(r"约|预计|大约|左右", text[max(0, pos - 12) : pos + 12]))


def _name_before(text: str, match: re.Match[str]) -> str:
    return re.split(r"[,，、:：;；。]", text[: match.start()])[-1].strip()


def _vs_funding(
    project: ProjectTarget,
    label: str,
    fld: Field,
    text: str,
    m: re.Match[str],
    word: str,
    annual: Decimal | None,
    implementation: Decimal | None,
    period: str,
) -> ArithmeticClaim:
    expected = annual if period == "年度" else implementation
    other = implementation if period == "年度" else annual
    return ArithmeticClaim(
        kind="total_vs_funding",
        project=project.name,
        field=label,
        description=f"{word}{m.group(0)} in {label} vs {period}资金总额",
        parts=[],
        expected_yuan=expected,
        stated_yuan=_yuan(m.group("num"), m.group("unit")),
        text=text[max(0, m.start() - 20) : m.end()],
        location=fld.location,
        approximate=_approx(text, m.start()),
        alternatives_yuan=[other] if other is not None else [],
    )


# --------------------------------------------------------------------------- frames


def projects_frame(projects: list[ProjectTarget]):
    """One row a project: name, units, 年度/实施期 totals by source (元), line of the block."""
    import pandas as pd

    rows = []
    for p in projects:
        row = {
            "project": p.name,
            "department": p.department,
            "department_code": p.department_code,
            "implementing_unit": p.implementing_unit,
            "attribute": p.attribute,
            "duration_years": p.duration_years,
            "line": p.location.line,
            "name_line": p.name_location.line if p.name_location else None,
            "file": p.location.file,
        }
        for period in PERIODS:
            for source in FUNDING_SOURCES:
                row[f"{period}_{source}_yuan"] = p.amount_yuan(period, source)
        row["overview"] = p.overview
        row["warnings"] = len(p.warnings)
        rows.append(row)
    return pd.DataFrame(rows)


def funding_frame(projects: list[ProjectTarget]):
    """Long table of every 项目资金 amount: project, period, source, amount_yuan, line."""
    import pandas as pd

    rows = [
        {
            "project": p.name,
            "period": f.period,
            "source": f.source,
            "label": f.label,
            "amount_yuan": f.amount_yuan,
            "text": f.text,
            "file": f.location.file,
            "line": f.location.line,
        }
        for p in projects
        for f in p.funding
    ]
    return pd.DataFrame(rows, columns=["project", "period", "source", "label", "amount_yuan", "text", "file", "line"])


def indicators_frame(targets: PerformanceTargets):
    """Long table of every indicator, department (project = None) and projects."""
    import pandas as pd

    rows = []
    owners: list[tuple[str | None, str, list[Indicator]]] = [(None, DEPARTMENT_KIND, d.indicators) for d in targets.departments]
    owners += [(p.name, PROJECT_KIND, p.indicators) for p in targets.projects]
    for name, kind, indicators in owners:
        for i in indicators:
            rows.append(
                {
                    "kind": kind,
                    "project": name,
                    "period": i.period,
                    "level1": i.level1,
                    "level2": i.level2,
                    "level3": i.level3,
                    "value_text": i.value_text,
                    "comparator": i.comparator,
                    "number": i.number,
                    "unit": i.unit,
                    "file": i.location.file,
                    "line": i.location.line,
                }
            )
    return pd.DataFrame(rows)


def arithmetic_frame(claims: list[ArithmeticClaim]):
    """The arithmetic claims as a DataFrame (expected, stated, difference in 元, line)."""
    import pandas as pd

    return pd.DataFrame(
        [
            {
                "kind": c.kind,
                "project": c.project,
                "field": c.field,
                "description": c.description,
                "expected_yuan": c.expected_yuan,
                "stated_yuan": c.stated_yuan,
                "difference_yuan": c.difference_yuan,
                "consistent": c.consistent,
                "approximate": c.approximate,
                "text": c.text,
                "file": c.location.file,
                "line": c.location.line,
            }
            for c in claims
        ]
    )
