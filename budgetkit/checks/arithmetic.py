"""Exact comparisons with an explicit rounding allowance — the only place a check decides.

The rounding rule
-----------------
Every printed amount is the true amount rounded to its printed precision: ``12,347.07`` in 万元
is printed to 0.01 万元 = 100 元 (``step``), ``5000`` in 元 to 1 元. A printed value is therefore
at most ``step / 2`` away from the true value (a blank cell prints nothing: exact 0, no error).

*Sums.* When a printed total is compared with the sum of ``n`` printed parts, each of the
``n + 1`` printed numbers may be off by half its step, so the difference may reach
``Σ step_i / 2`` without any figure being wrong — ``(n + 1) / 2 × step`` when all share one step.
A comparison is classified

* ``ok`` when the difference is exactly 0,
* ``rounding`` (passed, but noted) when ``0 < |difference| ≤ tolerance``,
* ``error`` when ``|difference| > tolerance``.

Two printed copies of the same quantity are a sum of one part: tolerance ``step``.

*Percentages.* A percentage printed to ``d`` decimals (``99.09%``) is compared with the value
recomputed from the printed amounts, ``part / whole × 100``, exactly. Tolerance: half a unit of
the last printed digit (``0.5 × 10^-d``) plus the rounding of the amounts propagated through the
ratio, ``(δpart / whole + part × δwhole / whole²) × 100`` with ``δ`` = half the step of each
amount. ``ok`` when the recomputed value rounded half-up to ``d`` decimals equals the printed
one; ``rounding`` when within tolerance, or when the printed value is the recomputed one cut
(truncated) to ``d`` decimals, rounded twice (1.5494 → 1.55 → 1.6), or computed to a whole
percent and printed with zeros after it (4.0% for 4.48%) — a publisher who rounds that way has
made no error in the data; ``error`` beyond. Change rates (``下降5.35%``) are the same with ``part`` = the
change and ``whole`` = the prior-year value implied by it, or (:func:`compare_rate`) recomputed
from the two printed amounts, ``(current − base) / base × 100``.

Nothing here uses ``float``: all values are :class:`~decimal.Decimal`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, localcontext

from budgetkit.amounts import UNIT_TO_YUAN, normalise_number_text, rounding_step

from budgetkit.status import (  # noqa: F401  (the one status vocabulary, re-exported for the rules)
    ERROR,
    INFO,
    NOT_APPLICABLE,
    OK,
    PASSED,
    ROUNDING,
    SEVERITY,
    UNCHECKED,
    UNREADABLE,
    WARNING,
)

#: A narrative number no table cell holds (the former name of :data:`UNCHECKED`).
NOT_LINKED = UNCHECKED


@dataclass(frozen=True)
class Quantity:
    """A printed number with where it stands.

    Attributes:
        value: The number in ``unit`` (0 for a blank cell).
        unit: ``万元``/``元``/… or ``%``.
        text: As printed (``""`` for blank — exact zero).
        label: What it is, for messages (``支出总表 2040202 一般行政管理事务 「合计」``).
        where: Where to look (``qinshui-police-2025.txt line 138``, ``x.pdf p.28 line 13``).
        table_id: The table it is from, or ``None`` (narrative, performance tables).
        cell: ``(table_id, row_number, column_id)`` of a table cell, so a page can show the
            verdict beside the number it draws.
    """

    value: Decimal
    unit: str | None
    text: str = ""
    label: str = ""
    where: str = ""
    table_id: str | None = None
    cell: tuple[str, int, str] | None = None

    @cached_property  # computed once per quantity (a quantity is immutable)
    def yuan(self) -> Decimal:
        """The value in 元 (money units only)."""
        return self.value * UNIT_TO_YUAN[self.unit] if self.unit in UNIT_TO_YUAN else self.value

    @cached_property
    def half_step_yuan(self) -> Decimal:
        """Half the rounding step in 元 (0 for a blank or a value given exactly)."""
        if not self.text or self.unit not in UNIT_TO_YUAN:
            return Decimal(0)
        return rounding_step(self.text, self.unit) / 2

    def short(self) -> str:
        shown = self.text or format_amount(self.value)
        return f"{self.label}={shown}"


@dataclass(frozen=True)
class SumQuantity(Quantity):
    """A sum of printed quantities: it carries the rounding of all its parts (Σ half steps)."""

    parts_half_step_yuan: Decimal = Decimal(0)

    @property
    def half_step_yuan(self) -> Decimal:  # type: ignore[override]
        return self.parts_half_step_yuan


def summed(parts: list[Quantity], label: str, where: str = "") -> SumQuantity:
    """``Σ parts`` in the first part's unit, with the parts' rounding (for a whole no cell prints)."""
    unit = parts[0].unit
    total_yuan = sum((p.yuan for p in parts), Decimal(0))
    value = total_yuan / UNIT_TO_YUAN[unit] if unit in UNIT_TO_YUAN else total_yuan
    return SumQuantity(value, unit, format_amount(value), label, where, None,
                       parts_half_step_yuan=sum((p.half_step_yuan for p in parts), Decimal(0)))


def exact(value: Decimal, unit: str | None, label: str = "", where: str = "") -> Quantity:
    """A value known exactly (computed, or a constant): no rounding allowance."""
    return Quantity(value, unit, "", label, where)


@dataclass
class Outcome:
    """The result of one comparison, in 元 internally and in a display unit for the findings."""

    status: str
    expected_yuan: Decimal
    actual_yuan: Decimal
    tolerance_yuan: Decimal
    unit: str
    quantities: list[Quantity] = field(default_factory=list)

    @property
    def difference_yuan(self) -> Decimal:
        return self.actual_yuan - self.expected_yuan

    def shown(self, value_yuan: Decimal) -> str:
        return format_amount(value_yuan / UNIT_TO_YUAN[self.unit]) if self.unit in UNIT_TO_YUAN else format_amount(value_yuan)

    @property
    def expected(self) -> str:
        return self.shown(self.expected_yuan)

    @property
    def actual(self) -> str:
        return self.shown(self.actual_yuan)

    @property
    def difference(self) -> str:
        return self.shown(self.difference_yuan)

    @property
    def tolerance(self) -> str:
        return self.shown(self.tolerance_yuan)


def format_amount(value: Decimal) -> str:
    """A Decimal as a plain string without exponent and without trailing zeros beyond 2 decimals."""
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    text = format(value.normalize(), "f")
    if "." in text and len(text.split(".")[1]) < 2:
        text = format(value.quantize(Decimal("0.01")), "f")
    return text


def display_unit(quantities: list[Quantity]) -> str:
    """The common unit of the quantities, or 元 when they differ."""
    units = {q.unit for q in quantities if q.unit in UNIT_TO_YUAN}
    return units.pop() if len(units) == 1 else "元"


def classify(difference: Decimal, tolerance: Decimal) -> str:
    """``ok`` / ``rounding`` / ``error`` for a difference and its allowance (both exact)."""
    if difference == 0:
        return OK
    return ROUNDING if abs(difference) <= tolerance else ERROR


def compare_sum(parts: list[Quantity], total: Quantity, signs: list[int] | None = None) -> Outcome:
    """Compare a printed total with the (signed) sum of printed parts.

    Args:
        parts: The parts as printed.
        total: The printed total.
        signs: +1/-1 per part (default all +1).

    Returns:
        The outcome: expected = Σ parts, actual = total, tolerance = Σ half steps of all.
    """
    signs = signs or [1] * len(parts)
    expected = sum((s * p.yuan for s, p in zip(signs, parts)), Decimal(0))
    tolerance = sum((q.half_step_yuan for q in parts + [total]), Decimal(0))
    status = classify(total.yuan - expected, tolerance)
    return Outcome(status, expected, total.yuan, tolerance, display_unit(parts + [total]), parts + [total])


def compare_same(a: Quantity, b: Quantity) -> Outcome:
    """Two printed copies of one quantity (``b`` is the one held against ``a``)."""
    return compare_sum([a], b)


def compare_restated(cell: Quantity, restated: Quantity) -> Outcome:
    """A table cell against a copy printed at a coarser step (a narrative's 万元 for a table's 元).

    As :func:`compare_same`, except that a difference of at most one step of the coarser of the two
    is ``rounding``: a narrative total is often the sum of its rounded parts (53,598.71 + 16,778.16 =
    70,376.87 万元 for a table's 703,768,605.80 元), one unit off in its last digit without any
    error in the data.
    """
    outcome = compare_same(cell, restated)
    if outcome.status != ERROR or cell.half_step_yuan == restated.half_step_yuan:
        return outcome
    step = 2 * max(cell.half_step_yuan, restated.half_step_yuan)
    if abs(outcome.difference_yuan) <= step:
        outcome.status, outcome.tolerance_yuan = ROUNDING, step
    return outcome


def _decimals(text: str) -> int:
    candidate = normalise_number_text(text).rstrip("%％")
    return len(candidate.split(".", 1)[1]) if "." in candidate else 0


def round_half_up(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def truncate(value: Decimal, decimals: int) -> Decimal:
    """``value`` cut (toward zero) to ``decimals`` decimals: what a publisher who truncates prints."""
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_DOWN)


def _ratio_status(stated: Decimal, recomputed: Decimal, decimals: int, tolerance: Decimal) -> tuple[str, str]:
    """``(status, why)``: ``why`` says how a rate beyond the tolerance was printed when it is still rounding."""
    if round_half_up(recomputed, decimals) == stated:
        return OK, ""
    if abs(stated - recomputed) <= tolerance:
        return ROUNDING, ""
    if truncate(recomputed, decimals) == stated:
        return ROUNDING, f"所印为重算值截去（非四舍五入）至 {decimals} 位小数"
    # 1.5494% printed 1.6%: rounded twice (to 1.55, then to 1.6)
    if round_half_up(round_half_up(recomputed, decimals + 1), decimals) == stated:
        return ROUNDING, "所印为重算值两次舍入（先到多一位小数）"
    # 4.0% / 4.00% for 4.48%: computed to a whole percent (rounded or cut), printed with zeros after it
    if decimals and stated == stated.to_integral_value() and stated in (round_half_up(recomputed, 0), truncate(recomputed, 0)):
        return ROUNDING, "所印只算到整数百分比（小数位补零）"
    return ERROR, ""


@dataclass
class RatioOutcome:
    """A printed percentage against the one recomputed from printed amounts."""

    status: str
    stated_pct: Decimal
    recomputed_pct: Decimal
    tolerance_pct: Decimal
    decimals: int
    why: str = ""  # how a ``rounding`` beyond the tolerance was printed (cut, rounded twice, whole percent)

    @property
    def expected(self) -> str:
        return format(round_half_up(self.recomputed_pct, max(self.decimals, 2) + 2), "f")

    @property
    def actual(self) -> str:
        return format(self.stated_pct, "f")

    @property
    def difference(self) -> str:
        return format(round_half_up(self.stated_pct - self.recomputed_pct, max(self.decimals, 2) + 2), "f")

    @property
    def tolerance(self) -> str:
        return format(round_half_up(self.tolerance_pct, max(self.decimals, 2) + 2), "f")


def compare_ratio(stated_pct: Decimal, stated_text: str, part: Quantity, whole: Quantity) -> RatioOutcome | None:
    """Compare a printed percentage with ``part / whole × 100`` recomputed from printed amounts.

    Returns:
        ``None`` when the whole is zero (no ratio to recompute).
    """
    if whole.yuan == 0:
        return None
    decimals = _decimals(stated_text)
    with localcontext() as ctx:
        ctx.prec = 40
        recomputed = part.yuan / whole.yuan * 100
        propagated = (part.half_step_yuan / abs(whole.yuan) + abs(part.yuan) * whole.half_step_yuan / (whole.yuan**2)) * 100
        tolerance = Decimal(5).scaleb(-(decimals + 1)) + propagated
        status, why = _ratio_status(stated_pct, recomputed, decimals, tolerance)
    return RatioOutcome(status, stated_pct, recomputed, tolerance, decimals, why)


def compare_rate(stated_pct: Decimal, stated_text: str, current: Quantity, base: Quantity, sign: int) -> RatioOutcome | None:
    """Compare a printed change rate with ``sign × (current − base) / base × 100`` from two printed amounts.

    ``sign`` is +1 for an increase (增加/增长), −1 for a decrease (减少/下降): the printed rate is
    unsigned, so a rate printed with the wrong direction is recomputed negative and fails. The
    allowance is half a unit of the rate's last printed digit plus the rounding of both amounts
    propagated through ``current / base`` (a truncated rate is ``rounding``, as in
    :func:`compare_ratio`).

    Returns:
        ``None`` when the base is zero (no rate to recompute).
    """
    if base.yuan == 0:
        return None
    decimals = _decimals(stated_text)
    with localcontext() as ctx:
        ctx.prec = 40
        recomputed = sign * (current.yuan - base.yuan) / base.yuan * 100
        propagated = (current.half_step_yuan / abs(base.yuan) + abs(current.yuan) * base.half_step_yuan / (base.yuan**2)) * 100
        tolerance = Decimal(5).scaleb(-(decimals + 1)) + propagated
        status, why = _ratio_status(stated_pct, recomputed, decimals, tolerance)
    return RatioOutcome(status, stated_pct, recomputed, tolerance, decimals, why)
