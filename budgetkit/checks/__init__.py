"""Reconciliation rules: where a disclosure's numbers do not agree with each other.

Four families of rules, for budgets and for final accounts (决算) (:data:`budgetkit.checks.catalog.RULES`): within a table, across tables,
narrative claims against the tables, and the 绩效目标表 against the tables and the narrative.
Each comparison becomes one row of the findings frame (passed ones included), classified with
the explicit rounding rule of :mod:`budgetkit.checks.arithmetic`:

* every printed amount is rounded to its printed precision (0.01 万元 = 100 元, or 1 元);
* a sum of n printed parts against a printed total may differ by at most (n+1)/2 × step
  (Σ half steps) — ``rounding`` (passed, noted) when 0 < |difference| ≤ tolerance, ``error``
  beyond;
* a printed percentage is compared with part / whole × 100 recomputed from the printed amounts,
  allowing half a unit of its last digit plus the propagated rounding of the amounts;
* never float: every value is a Decimal.

Entry points: :func:`run_checks` (document, tidy → findings), :func:`write_findings`,
:func:`read_findings`, :func:`print_check_summary` (exit code 1 if any error).
"""

from budgetkit.checks.engine import (
    FINDING_COLUMNS,
    Context,
    Finding,
    Rule,
    print_check_summary,
    read_findings,
    run_checks,
    summary_counts,
    write_findings,
)
from budgetkit.checks import within_table as _within_table  # noqa: F401  (registers rules)
from budgetkit.checks import across_tables as _across_tables  # noqa: F401
from budgetkit.checks import narrative_rules as _narrative_rules  # noqa: F401
from budgetkit.checks import narrative_changes as _narrative_changes  # noqa: F401
from budgetkit.checks import narrative_periods as _narrative_periods  # noqa: F401
from budgetkit.checks import narrative_accounts as _narrative_accounts  # noqa: F401
from budgetkit.checks import narrative_change_parts as _narrative_change_parts  # noqa: F401
from budgetkit.checks import narrative_scores as _narrative_scores  # noqa: F401
from budgetkit.checks import performance_rules as _performance_rules  # noqa: F401
from budgetkit.checks import final_rules as _final_rules  # noqa: F401
from budgetkit.checks.catalog import RULES, RULES_BY_ID, rules_frame

__all__ = [
    "FINDING_COLUMNS",
    "Context",
    "Finding",
    "RULES",
    "RULES_BY_ID",
    "Rule",
    "print_check_summary",
    "read_findings",
    "rules_frame",
    "run_checks",
    "summary_counts",
    "write_findings",
]
