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
one; ``rounding`` when within tolerance; ``error`` beyond. Change rates (``下降5.35%``) are the
same with ``part`` = the change and ``whole`` = the prior-year value implied by it.

Nothing here uses ``float``: all values are :class:`~decimal.Decimal`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from decimal import ROUND_HALF_UP, Decimal, localcontext

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


def _decimals(text: str) -> int:
    candidate = normalise_number_text(text).rstrip("%％")
    return len(candidate.split(".", 1)[1]) if "." in candidate else 0


def round_half_up(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


@dataclass
class RatioOutcome:
    """A printed percentage against the one recomputed from printed amounts."""

    status: str
    stated_pct: Decimal
    recomputed_pct: Decimal
    tolerance_pct: Decimal
    decimals: int

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
        if round_half_up(recomputed, decimals) == stated_pct:
            status = OK
        elif abs(stated_pct - recomputed) <= tolerance:
            status = ROUNDING
        else:
            status = ERROR
    return RatioOutcome(status, stated_pct, recomputed, tolerance, decimals)
