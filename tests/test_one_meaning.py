"""One meaning per number: checks, figures and comparisons run on the same tidy table and agree."""

from __future__ import annotations

from decimal import Decimal

import pytest

from budgetkit import compare, figures, semantics
from budgetkit.amounts import UNIT_TO_YUAN
from budgetkit.checks.engine import Context
from budgetkit.checks.narrative_rules import three_public_whole
from budgetkit.checks.within_table import project_structure
from budgetkit.status import STATUSES
from budgetkit.verdicts import Verdicts

from conftest import BUNDLED_IDS, SEED_ID


@pytest.fixture(scope="module")
def checked(bundled_findings):
    return bundled_findings


@pytest.mark.parametrize("doc_id", BUNDLED_IDS)
def test_every_consumer_reads_the_same_three_public_total(bundled_documents, bundled_tidy, checked, doc_id):
    tidy, findings = bundled_tidy[doc_id], checked[doc_id]
    whole, _ = three_public_whole(Context(bundled_documents[doc_id], tidy))  # the checks' “三公”经费
    figure = figures.figure_data(tidy, "three_public_distribution", findings=findings)  # the figure's
    in_compare = compare.totals(tidy)["“三公”经费"]  # the comparison's (元)
    if "three_public" not in set(tidy["table_id"]):  # a university's budget, a 决算: no budget “三公” table
        assert whole is None and figure is None and in_compare is None
        return
    assert whole is not None and figure is not None
    assert figure.attrs["total_printed"] == whole.value
    assert in_compare == whole.value * UNIT_TO_YUAN[whole.unit]
    # the verdicts beside the figure are the checks' statuses, in the one vocabulary
    assert set(figure["status"].dropna()) <= set(findings["status"]) <= set(STATUSES)
    identity = findings[(findings["rule_id"] == "within.three_public") & findings["message"].str.contains("因公出国")]
    assert len(identity) >= 1 and set(identity["status"]) <= {"ok", "rounding"}


def test_units_and_projects_are_the_same_everywhere(bundled_documents, bundled_tidy, checked):
    tidy = bundled_tidy[SEED_ID]
    head, groups = project_structure(Context(bundled_documents[SEED_ID], tidy))
    in_checks = [tidy.query("table_id == 'project_current' and row_number == @u")["item"].iloc[0] for u, _ in groups if u is not None]
    in_figure = list(figures.figure_data(tidy, "projects_by_unit")["label"])
    in_compare = compare.unit_names(compare.Doc(SEED_ID, {}, tidy))
    assert in_checks == in_figure == in_compare == ["沁水县公安局本级", "沁水县公安局交通警察大队"]
    projects = figures.figure_data(tidy, "projects_by_amount")
    lines = semantics.lines(tidy, "project_current", "total")
    assert len(projects) == len(lines) == sum(len(members) for _, members in groups) == 17


def test_a_stated_rate_has_one_verdict(bundled_documents, bundled_tidy, checked):
    """compare shows the check's verdict on the 机关运行经费 rate (wrong base), not a recomputation of its own."""
    doc = compare.Doc(SEED_ID, bundled_documents[SEED_ID].metadata, bundled_tidy[SEED_ID], bundled_documents[SEED_ID].narrative,
                      checked[SEED_ID])
    changes = compare.stated_changes(doc).set_index("subject")
    assert changes.loc["机关运行经费", "rate_status"] == "error"
    assert "recomputed_rate_pct" not in changes.columns
    rate = checked[SEED_ID].query("rule_id == 'narrative.change_rate' and status == 'error'")
    assert "机关运行经费" in rate["message"].iloc[0]


def test_verdicts_reach_a_cell_through_the_narrative(bundled_tidy, checked):
    """Jiangsu 2017 p.28 states 三公 shares on the wrong base: the 三公 subtotal cell carries those errors."""
    tidy = bundled_tidy["js-npc-office-2017"]
    item = semantics.three_public_items(tidy)["three_public_total"]
    verdict = Verdicts(checked["js-npc-office-2017"]).of([item.cell])
    assert verdict.status == "error" and verdict.label == "错误"
    assert sum(f["rule_id"] == "narrative.share" and f["status"] == "error" for f in verdict.findings) == 3
    assert Decimal(item.value_text) == Decimal("833.60")
