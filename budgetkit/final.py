"""What the tables and sentences of a 部门决算 (final accounts) mean.

A 决算 prints the same money as a budget, seen after the year: what came in (收入), what was
spent (支出), what was carried in and out (年初 / 年末结转和结余), and — in its “三公” table and
its narrative — what was budgeted against what was spent. This module holds that meaning as
data and small readers shared by the checks (:mod:`budgetkit.checks.final_rules`) and the
execution analysis (:mod:`budgetkit.execution`):

* :data:`SUMMARY_ROLES` — the rows of the two 收支决算总表 (本年收入合计, 年初结转和结余,
  结余分配, 年末结转和结余, 总计) and :func:`summary_layout`, which splits a side of one into
  its lines, its 本年 total, the rows between that total and the 总计, and the 总计;
* :func:`basic_groups` — the 人员经费 and 公用经费 parts of the 基本支出决算表;
* :func:`three_public_cells` — (measure, item) → cell of a “三公” table in any of its three
  layouts (:data:`THREE_PUBLIC_ITEMS`);
* :func:`execution_statements` — the narrative's 决算 sentences: 年初预算为 X 万元，支出决算为
  Y 万元，完成年初预算的 Z%，决算数大于/小于预算数的主要原因…, with their subject.

Amounts are :class:`~decimal.Decimal`; nothing here passes through ``float``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable

from budgetkit.catalog import fold, load_catalog
from budgetkit.model import Location, TextLine
from budgetkit.vocabulary import numbered_re

# --------------------------------------------------------------------------- summary tables

#: Rows of a 收入支出决算总表 / 财政拨款收入支出决算总表 by role: (role, side, pattern on the
#: folded item without its numbering). ``balance_used`` and ``carryover_start`` stand between
#: 本年收入合计 and 总计 on the income side, ``balance_distribution`` and ``carryover_end`` between
#: 本年支出合计 and 总计 on the expense side.
SUMMARY_ROLES: tuple[tuple[str, str, str], ...] = (
    ("current", "income", r"^本年收入合计$|^本年收入小计$"),
    ("current", "expense", r"^本年支出合计$|^本年支出小计$"),
    ("balance_used", "income", r"^使用非财政拨款结余|^用事业基金弥补收支差额|^使用专用结余"),
    ("carryover_start", "income", r"^年初(?:财政拨款)?结转和?结余"),
    ("balance_distribution", "expense", r"^结余分配"),
    ("carryover_end", "expense", r"^年末(?:财政拨款)?结转和?结余"),
    ("grand_total", "income", r"^(?:收入)?总计$|^合计$"),
    ("grand_total", "expense", r"^(?:支出)?总计$|^合计$"),
)
#: A line printed as a part of the line above it (其中：政府性基金预算财政拨款).
OF_WHICH_RE = re.compile(r"^其中[:：]?")
_NUMBERING_RE = numbered_re()  # 一、 / 1、 (budgetkit/data/vocabulary.toml)


def item_key(item: object) -> str:
    """The folded item without its numbering (``一、一般公共服务支出`` → ``一般公共服务支出``)."""
    text = fold(item if isinstance(item, str) else "")
    return _NUMBERING_RE.sub("", text)


def summary_role(item: object, side: str | None) -> str | None:
    """The role of a 收支决算总表 row (``current``, ``carryover_start`` …), or ``None`` for a line."""
    key = item_key(item)
    for role, role_side, pattern in SUMMARY_ROLES:
        if role_side == side and re.search(pattern, key):
            return role
    return None


@dataclass
class SummaryLayout:
    """One side of a 收支决算总表, by printed row number.

    Attributes:
        lines: Rows above the 本年 total that add up to it (top lines; 其中 rows left out).
        of_which: Rows printed as 其中 under a line (not parts of the total).
        current: The 本年收入合计 / 本年支出合计 row.
        between: Rows between the 本年 total and the 总计: ``[(row, [its sub-rows])]`` —
            年初结转和结余 with, in a 财政拨款 table, its 一般公共预算 / 政府性基金 … split.
        grand_total: The 总计 row.
    """

    lines: list[int] = field(default_factory=list)
    of_which: list[int] = field(default_factory=list)
    current: int | None = None
    between: list[tuple[int, list[int]]] = field(default_factory=list)
    grand_total: int | None = None


def summary_layout(rows: Iterable[dict], side: str) -> SummaryLayout:
    """Split one side of a 收支决算总表 (tidy rows of that side, any columns) into its parts."""
    by_number: dict[int, str] = {}
    for row in rows:
        if row.get("side") == side:
            by_number.setdefault(int(row["row_number"]), row.get("item") or "")
    layout = SummaryLayout()
    for number in sorted(by_number):
        item = by_number[number]
        key = item_key(item)
        if not key:
            continue
        role = summary_role(item, side)
        if layout.current is None:
            if role == "current":
                layout.current = number
            elif role is None:
                (layout.of_which if OF_WHICH_RE.match(key) else layout.lines).append(number)
            continue
        if layout.grand_total is not None:
            continue
        if role == "grand_total":
            layout.grand_total = number
        elif role in ("balance_used", "carryover_start", "balance_distribution", "carryover_end"):
            layout.between.append((number, []))
        elif layout.between and not OF_WHICH_RE.match(key):
            layout.between[-1][1].append(number)
        elif layout.between:
            layout.between[-1][1].append(number)
    return layout


# --------------------------------------------------------------------------- 基本支出决算表

#: The economic classes counted as 人员经费 in a 基本支出决算表 whose layout does not say
#: (工资福利支出, 对个人和家庭的补助); every other class is 公用经费.
PERSONNEL_CLASSES = ("301", "303")
PERSONNEL_TOTAL_RE = re.compile(r"^人员经费(?:合计|小计)?$")
PUBLIC_TOTAL_RE = re.compile(r"^(?:日常)?公用经费(?:合计|小计)?$")


@dataclass
class BasicGroups:
    """The 人员经费 and 公用经费 groups of a 基本支出决算表 (row numbers)."""

    personnel_classes: list[int]
    personnel_total: int | None
    public_classes: list[int]
    public_total: int | None


def basic_groups(rows: Iterable[dict]) -> BasicGroups:
    """The two groups of a 基本支出决算表 (stacked panels, see :func:`budgetkit.tidy.unfold_panels`).

    The classes (3-digit economic codes) printed before the 人员经费合计 row are 人员经费, those
    after it 公用经费 — the panels say so; when the table prints no 人员经费合计 row the classes
    of :data:`PERSONNEL_CLASSES` are 人员经费.
    """
    by_number: dict[int, dict] = {}
    for row in rows:
        by_number.setdefault(int(row["row_number"]), row)
    personnel_total = next((n for n, r in sorted(by_number.items()) if PERSONNEL_TOTAL_RE.match(item_key(r.get("item")))), None)
    public_total = next((n for n, r in sorted(by_number.items()) if PUBLIC_TOTAL_RE.match(item_key(r.get("item")))), None)
    classes = [(n, r["code"]) for n, r in sorted(by_number.items()) if isinstance(r.get("code"), str) and len(r["code"]) == 3]
    if personnel_total is not None:
        personnel = [n for n, _ in classes if n < personnel_total]
        public = [n for n, _ in classes if n > personnel_total]
    else:
        personnel = [n for n, c in classes if c in PERSONNEL_CLASSES]
        public = [n for n, c in classes if c not in PERSONNEL_CLASSES]
    return BasicGroups(personnel, personnel_total, public, public_total)


# --------------------------------------------------------------------------- “三公” table

#: The items of a “三公” table: id → (label, pattern a narrative subject names it by).
THREE_PUBLIC_ITEMS: dict[str, tuple[str, str]] = {
    "three_public_total": ("“三公”经费合计", r"三公"),
    "outbound": ("因公出国（境）费", r"因公出国"),
    "vehicle_total": ("公务用车购置及运行维护费", r"公务用?车购置及运行"),
    "vehicle_purchase": ("公务用车购置费", r"公务用?车购置(?:费|支出)?$|购置公务用车|公务用车购置费"),
    "vehicle_operation": ("公务用车运行维护费", r"公务用?车运行(?:维护)?费?"),
    "reception": ("公务接待费", r"公务接待"),
    "meeting": ("会议费", r"会议费"),
    "training": ("培训费", r"培训费"),
}
MEASURES = ("budget", "final")
_MEASURE_COLUMN_RE = re.compile(r"^(?P<measure>budget|final)_(?P<item>.+)$")


def three_public_cells(rows: Iterable[dict]) -> dict[tuple[str, str], dict]:
    """(measure, item) → the tidy row of a 决算 “三公” table, in any of its layouts.

    Columns ``budget_reception`` / ``final_reception`` give the measure themselves; a table printed
    with one row per measure (西安: rows 预算数 and 决算数, item columns) gives it by its row name;
    one printed with a row per item (columns 预算数 / 决算数) gives the item by its row name.
    The first row of each (measure, item) is kept.
    """
    spec = load_catalog().tables["final_three_public"]
    out: dict[tuple[str, str], dict] = {}
    for row in rows:
        column = str(row["column_id"])
        match = _MEASURE_COLUMN_RE.match(column)
        if match:
            key = (match["measure"], match["item"])
        elif column in MEASURES:  # one row per item: 项目 | 预算数 | 决算数
            item = three_public_item(str(row.get("item") or "")) or ("three_public_total" if row.get("row_kind") == "total" else None)
            if item is None:
                continue
            key = (column, item)
        elif column in THREE_PUBLIC_ITEMS:
            item = item_key(row.get("item"))
            measure = next((m.id for m in spec.measures if m.matches(item)), None)
            if measure is None:
                continue
            key = (measure, column)
        else:
            continue
        out.setdefault(key, row)
    return out


def three_public_item(subject: str) -> str | None:
    """The “三公” item a narrative subject names (``公务接待费支出`` → ``reception``), most specific first."""
    text = fold(subject)
    for item in ("vehicle_total", "vehicle_purchase", "vehicle_operation", "outbound", "reception", "meeting", "training"):
        if re.search(THREE_PUBLIC_ITEMS[item][1], text):
            return item
    if re.search(THREE_PUBLIC_ITEMS["three_public_total"][1], text):
        return "three_public_total"
    return None


# --------------------------------------------------------------------------- function classes

_LEVEL_MARK_RE = re.compile(r"（(类|款|项)）")


def class_name(text: object) -> str:
    """A function-class name as the tables print it: ``一般公共服务（类）支出`` → ``一般公共服务支出``."""
    name = _LEVEL_MARK_RE.sub("", fold(text if isinstance(text, str) else ""))
    name = _NUMBERING_RE.sub("", name)
    return re.sub(r"(?:支出)+$", "支出", name)


def code_path(subject: str) -> tuple[str, ...]:
    """The 类 / 款 / 项 names a subject spells out: ``社会保障和就业支出（类）行政事业单位养老支出（款）
    行政单位离退休（项）`` → ``("社会保障和就业支出", "行政事业单位养老支出", "行政单位离退休")``.

    Empty when the subject does not spell a path ending in （项）.
    """
    text = fold(subject)
    marks = list(_LEVEL_MARK_RE.finditer(text))
    if not marks or marks[-1].group(1) != "项":
        return ()
    names, start = [], 0
    for mark in marks:
        names.append(text[start:mark.start()])
        start = mark.end()
    names[0] = re.split(r"[。，；：:]", names[0])[-1]
    names[0] = _NUMBERING_RE.sub("", re.sub(r"^\d+[.．、]?", "", names[0]))
    return tuple(n for n in names if n)


_CODE_IN_SUBJECT_RE = re.compile(r"[（(](\d{3}(?:\d{2}){0,2})[)）]")


def code_in_subject(subject: str) -> str | None:
    """A 科目编码 printed in brackets in the subject (``小学教育（2050202）``)."""
    match = _CODE_IN_SUBJECT_RE.search(unicodedata.normalize("NFKC", subject))
    return match.group(1) if match else None


# --------------------------------------------------------------------------- narrative statements

_NUM = r"\d[\d,，]*(?:[.．]\d+)?"
_UNIT = r"(?:亿元|万元|元)"
_BUDGET_RE = re.compile(
    rf"(?P<word>年初预算数?|全年预算数?|调整预算数?|(?<![决执])预算数?)(?:安排)?(?:为|是|数为)?\s*(?P<num>{_NUM})\s*(?P<unit>{_UNIT})"
)
_FINAL_RE = re.compile(
    rf"(?<!收入)(?<!上年)(?P<word>支出决算数?|决算数|决算|执行数|实际支出)(?:为|是)?\s*(?P<num>{_NUM})\s*(?P<unit>{_UNIT})"
)
_RATE_RE = re.compile(rf"完成(?:年初|全年|调整)?预算(?:数)?的\s*(?P<num>{_NUM})\s*[%％]")
_DIRECTION_RES: tuple[tuple[int, re.Pattern], ...] = (
    (1, re.compile(r"决算数?(?:大于|高于|超过|多于)(?:年初|全年)?预算数?")),
    (-1, re.compile(r"决算数?(?:小于|低于|少于)(?:年初|全年)?预算数?")),
    (0, re.compile(r"决算数?(?:同|与|和)(?:年初|全年)?预算数?(?:持平|一致|相同|相等)|决算数?等于(?:年初|全年)?预算数?")),
)
_DIFFERENCE_RE = re.compile(rf"决算数?较(?:年初|全年)?预算数?(?P<word>增加|减少|节约|超支)\s*(?P<num>{_NUM})\s*(?P<unit>{_UNIT})")
_SPACED_DIGITS_RE = re.compile(r"(?<=[\d.,，．])[ \t]+(?=[\d.,，．])")
_YEAR_BEFORE_RE = re.compile(r"((?:19|20)\d{2})\s*年度?\s*$")
_SENTENCE_END = "。；;！？"


@dataclass
class StatedFigure:
    """A number a statement prints: value, the text as printed, unit and where."""

    value: Decimal
    text: str
    unit: str
    location: Location


@dataclass
class ExecutionStatement:
    """One 决算 sentence of the narrative: budget against actual for one subject.

    Attributes:
        subject: What it is about, as printed (``一般公共服务（类）信访事务（款）行政运行（项）``,
            ``“三公”经费财政拨款支出``).
        budget: 年初预算 (or 全年预算 / 预算) as printed, if stated.
        budget_word: The word naming it (``年初预算``, ``全年预算数``, ``预算``).
        actual: 决算 (or 执行数) as printed.
        rate_pct: 完成（年初）预算的 Z%, if stated.
        direction: What the sentence says of actual against budget: +1 (决算数大于预算数),
            -1 (小于), 0 (持平 / 一致), ``None`` (says nothing).
        direction_text: The words saying it.
        difference: 决算数较预算数减少 D 万元, if stated (signed: 减少 → negative).
        sentence: The text of the statement (from its subject to its last figure).
        location: Where it starts.
    """

    subject: str
    actual: StatedFigure
    budget: StatedFigure | None = None
    budget_word: str = ""
    rate_pct: StatedFigure | None = None
    direction: int | None = None
    direction_text: str = ""
    difference: StatedFigure | None = None
    sentence: str = ""
    location: Location | None = None


def _normalise_line(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return _SPACED_DIGITS_RE.sub("", text)


def _number(text: str) -> Decimal:
    return Decimal(re.sub(r"[,，\s]", "", text).replace("．", "."))


def execution_statements(lines: list[TextLine], fiscal_year: int | None = None) -> list[ExecutionStatement]:
    """The narrative's 决算 statements (budget against actual), in printed order.

    A statement is a 决算 figure (支出决算为 Y 万元 / 决算数为 / 执行数) with, before it in the same
    sentence, a budget figure (年初预算为 X 万元) if printed, and after it a completion rate
    (完成年初预算的 Z%) and what the text says of the difference (决算数大于预算数的主要原因 …)
    up to the next statement. The subject is the sentence's text before the first figure, or the
    sentence before it when that is all the subject there is (``1.一般公共服务（类）…（项）。
    年初预算为…``). A 决算 figure whose year is not ``fiscal_year`` (比 2023 年度决算数为 …) is a
    prior-year figure, not a statement.
    """
    texts = [_normalise_line(line.text) for line in lines]
    joined, starts = "", []
    for text in texts:
        starts.append(len(joined))
        joined += text + "\n"

    def location_at(pos: int) -> Location:
        index = max(i for i, s in enumerate(starts) if s <= pos) if starts else 0
        return lines[index].location if lines else Location("?")

    def figure(match: re.Match, group: str = "num", unit: str | None = None) -> StatedFigure:
        return StatedFigure(_number(match.group(group)), match.group(group), unit or match.group("unit"), location_at(match.start(group)))

    finals = []
    for match in _FINAL_RE.finditer(joined):
        before = joined[max(0, match.start() - 12):match.start()]
        year = _YEAR_BEFORE_RE.search(before)
        if year and fiscal_year and int(year.group(1)) != fiscal_year:
            continue  # 比 2023 年度决算数为 …: the prior year's figure
        if re.search(r"(?:比|较|与|同)\s*(?:上年|上年度|(?:19|20)\d{2}\s*年度?)?\s*$", joined[max(0, match.start() - 10):match.start()]):
            continue
        finals.append(match)
    statements: list[ExecutionStatement] = []
    for k, match in enumerate(finals):
        previous_end = finals[k - 1].end() if k > 0 else 0
        sentence_start = max(previous_end, _last_end(joined, match.start(), _SENTENCE_END + "\n"))
        # the budget figure: the last one before the 决算 figure, in its sentence, after the last statement
        budget = None
        for candidate in _BUDGET_RE.finditer(joined, sentence_start, match.start()):
            budget = candidate
        clause_start = budget.start() if budget is not None else match.start()
        subject_start = max(sentence_start, _last_end(joined, clause_start, _SENTENCE_END + "，,\n"))
        subject = joined[subject_start:clause_start]
        if "其中" in subject:
            subject = subject.split("其中", 1)[1]
        if not _meaningful(subject):
            subject_start = sentence_start
            subject = joined[sentence_start:clause_start]
        subject = _subject_before(joined, sentence_start, previous_end, subject)
        next_start = finals[k + 1].start() if k + 1 < len(finals) else len(joined)
        if k + 1 < len(finals):
            next_budget = None
            next_sentence = max(joined.rfind(ch, 0, finals[k + 1].start()) for ch in _SENTENCE_END + "\n") + 1
            for candidate in _BUDGET_RE.finditer(joined, max(next_sentence, match.end()), finals[k + 1].start()):
                next_budget = candidate
            if next_budget is not None:
                next_start = min(next_start, next_budget.start())
        window = joined[match.end():_statement_end(joined, match.end(), next_start)]
        rate = _RATE_RE.search(window)
        statement = ExecutionStatement(
            subject=re.sub(r"\s+", "", subject).strip(":：，,、"),
            actual=figure(match),
            budget=figure(budget) if budget is not None else None,
            budget_word=budget.group("word") if budget is not None else "",
            location=location_at(subject_start if subject else match.start()),
        )
        if rate is not None and rate.start() < 40:
            statement.rate_pct = StatedFigure(_number(rate.group("num")), rate.group("num"), "%", location_at(match.end() + rate.start()))
        said = [(found.start(), sign, found.group(0)) for sign, pattern in _DIRECTION_RES if (found := pattern.search(window))]
        if said:
            _, statement.direction, statement.direction_text = min(said)
        difference = _DIFFERENCE_RE.search(window)
        if difference is not None:
            sign = -1 if difference.group("word") in ("减少", "节约") else 1
            fig = StatedFigure(_number(difference.group("num")) * sign, difference.group("num"), difference.group("unit"),
                               location_at(match.end() + difference.start()))
            statement.difference = fig
            if statement.direction is None:
                statement.direction, statement.direction_text = sign, difference.group(0)
        end = match.end() + (rate.end() if rate is not None and rate.start() < 40 else 0)
        statement.sentence = re.sub(r"\s+", "", joined[subject_start:end])[:240]
        statements.append(statement)
    return statements


_NEUTRAL_SUBJECT_RE = re.compile(r"^(?:\d{4}年度?|本年度?|全年|其中|具体情况如下|[\s:：，,、]|主要用于[^。]*)*$")


def _last_end(joined: str, pos: int, ends: str) -> int:
    """The position after the last of ``ends`` before ``pos`` (0 when none)."""
    return max(joined.rfind(ch, 0, pos) for ch in ends) + 1


#: Sentences that come between a subject and its figures without naming anything (主要用于：…).
_FILLER_SENTENCE_RE = re.compile(r"^(?:主要用于|主要包括|用于)")


def _subject_before(joined: str, sentence_start: int, floor: int, subject: str) -> str:
    """The subject, taken from the sentences before when the statement's own sentence names none
    (``1.一般公共服务（类）…（项）。主要用于：…。年初预算为…``): up to three sentences back, never
    reaching into the previous statement (``floor``), skipping 主要用于 sentences."""
    if _meaningful(subject):
        return subject
    end = sentence_start - 1
    for _ in range(3):
        if end <= floor:
            break
        start = max(floor, _last_end(joined, end, "。\n"))
        sentence = joined[start:end].strip(" 。\n")
        if _meaningful(sentence) and not _FILLER_SENTENCE_RE.match(sentence):
            return sentence + subject
        end = start - 1
    return subject


def _statement_end(joined: str, start: int, limit: int) -> int:
    """Where what a statement says ends: its sentence, and the next one when it goes on about the
    决算数 (``完成年初预算的 99.68%。决算数小于预算数的主要原因…``); never beyond ``limit``."""
    ends = [i for i in (joined.find(ch, start) for ch in "。\n") if i >= 0]
    end = min(ends) if ends else len(joined)
    rest = joined[end + 1:]
    following = rest.lstrip(" \n")
    if re.match(r"(?:支出)?决算数?(?:大于|小于|高于|低于|超过|少于|同|与|和|等于|较)", following):
        after = end + 1 + (len(rest) - len(following))
        ends = [i for i in (joined.find(ch, after) for ch in "。\n") if i >= 0]
        end = min(ends) if ends else len(joined)
    return min(end, limit)


def _meaningful(subject: str) -> bool:
    """A subject that names something (not only a year, 其中, or nothing)."""
    return bool(subject) and not _NEUTRAL_SUBJECT_RE.match(re.sub(r"\s+", "", subject))


def fiscal_year_of(metadata: dict, titles: Iterable[str] = ()) -> int | None:
    """The fiscal year: the manifest's, else the year most titles name (``2024年度部门决算``)."""
    year = metadata.get("fiscal_year")
    try:
        if year is not None and str(year).strip():
            return int(str(year).strip()[:4])
    except ValueError:
        pass
    counts: dict[int, int] = {}
    for title in titles:
        for found in re.findall(r"((?:19|20)\d{2})\s*年", unicodedata.normalize("NFKC", str(title))):
            counts[int(found)] = counts.get(int(found), 0) + 1
    return max(counts, key=lambda y: (counts[y], y)) if counts else None
