"""Table semantics: row roles that add up in every bundled table, and items found in any layout."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from budgetkit.checks.arithmetic import OK, ROUNDING, Quantity, compare_sum
from budgetkit.semantics import (
    income_sources,
    numbering,
    project_rows,
    row_structure,
    strip_numbering,
    three_public_items,
    three_public_parts,
    unit_names,
)

from conftest import BUNDLED_IDS, SEED_ID


def _quantity(row) -> Quantity:
    text = row["value_text"] if isinstance(row["value_text"], str) else ""
    value = Decimal(0) if row["amount"] is None or pd.isna(row["amount"]) else Decimal(row["amount"])
    return Quantity(value, row["unit"], text if value or text else "", f"{row['table_id']} row {row['row_number']}")


#: Tables the PDF reader does not read whole yet (the issue of the reader, not of the semantics):
#: 江苏 2017's 财政拨款基本支出预算表 arrives in two pieces — 合计 and 301 in one, the rest (with
#: its 科目编码 read as amounts) in ``fiscal_basic_economic~2``, itself marked unreadable.
READER_SPLITS = {("js-npc-office-2017", "fiscal_basic_economic")}


def _identities(tidy: pd.DataFrame, skip=()):
    """Every (what, parts, total) the roles promise: Σ lines = total, and each group = Σ its children."""
    for (table_id, side, column_id), cells in tidy.groupby(["table_id", tidy["side"].fillna(""), "column_id"], sort=False):
        if table_id in skip:
            continue
        totals = cells[cells["row_role"] == "total"]
        if len(totals) == 1 and isinstance(totals.iloc[0]["value_text"], str) and totals.iloc[0]["value_text"]:
            lines = cells[cells["row_role"] == "line"]
            yield f"{table_id} {side} {column_id} Σ lines", [_quantity(r) for _, r in lines.iterrows()], _quantity(totals.iloc[0])
        for _, group in cells[cells["row_role"] == "group"].iterrows():
            if not (isinstance(group["value_text"], str) and group["value_text"]):
                continue  # a subtotal printed blank states nothing to add up to
            kids = cells[(cells["parent_row"] == group["row_number"]) & (cells["row_role"] != "of_which")]
            yield f"{table_id} {side} {column_id} row {group['row_number']} {group['item']}", \
                [_quantity(r) for _, r in kids.iterrows()], _quantity(group)


@pytest.mark.parametrize("doc_id", BUNDLED_IDS)
def test_line_rows_add_up_to_every_printed_total(bundled_tidy, bundled_reading, doc_id):
    """In every table read whole, each column's Σ line = its printed total and every group = Σ its
    children (rounding rule). Tables the reader marks unreadable are left out: their numbers are not the document's."""
    tidy = bundled_tidy[doc_id]
    assert set(tidy["row_role"]) <= {"total", "group", "line", "of_which"}
    unreadable = {t for t, status in bundled_reading[doc_id].items() if status == "unreadable"}
    unreadable |= {t for d, t in READER_SPLITS if d == doc_id}
    assert len(unreadable) <= len(bundled_reading[doc_id]) // 2, unreadable  # most tables are tested
    checked, broken = 0, []
    for what, parts, total in _identities(tidy, unreadable):
        outcome = compare_sum(parts, total)
        checked += 1
        if outcome.status not in (OK, ROUNDING):
            broken.append(f"{what}: printed {outcome.actual}, lines {outcome.expected}")
    assert not broken, broken
    assert checked >= 10  # every bundled document prints at least 10 totals and groups read whole


def test_every_table_with_a_total_row_has_exactly_one_total(bundled_tidy):
    for doc_id, tidy in bundled_tidy.items():
        totals = tidy[tidy["row_role"] == "total"].groupby(["table_id", tidy["side"].fillna(""), "column_id"]).size()
        assert (totals == 1).all(), (doc_id, totals[totals != 1])


def test_seed_project_table_department_units_projects(bundled_tidy):
    projects = project_rows(bundled_tidy[SEED_ID])
    assert projects.loc[projects["entity"] == "department", "name"].tolist() == ["沁水县公安局"]
    assert projects.loc[projects["entity"] == "unit", "name"].tolist() == ["沁水县公安局本级", "沁水县公安局交通警察大队"]
    lines = projects[projects["entity"] == "project"]
    assert len(lines) == 17
    assert sum(lines["amount"], Decimal(0)) == Decimal("8316.17")  # not 3 × 8316.17
    assert lines.groupby("unit_name")["amount"].sum().to_dict() == {
        "沁水县公安局本级": Decimal("6856.23"), "沁水县公安局交通警察大队": Decimal("1459.94")}
    assert unit_names(bundled_tidy[SEED_ID]) == ["沁水县公安局本级", "沁水县公安局交通警察大队"]


def test_seed_summary_subtotals_and_carryover(bundled_tidy):
    summary = bundled_tidy[SEED_ID].query("table_id == 'fiscal_summary' and column_id == 'income_amount'")
    role = dict(zip(summary["row_number"], summary["row_role"]))
    items = dict(zip(summary["row_number"], summary["item"]))
    by_item = {items[n]: role[n] for n in role if items[n] in ("本年收入合计", "上年财政拨款结转", "收入总计")}
    assert by_item == {"本年收入合计": "group", "上年财政拨款结转": "group", "收入总计": "total"}
    # the 一、一般公共预算 under 上年财政拨款结转 is a line of it, not a second 一般公共预算 income
    carry = summary[summary["item"] == "上年财政拨款结转"]["row_number"].iloc[0]
    under = summary[summary["parent_row"] == carry]
    assert under["item"].tolist() == ["一、一般公共预算", "二、政府性基金预算", "三、国有资本经营预算"]


def test_jiangsu_sub_items_and_of_which(bundled_tidy):
    tidy = bundled_tidy["js-npc-office-2019"]
    summary = tidy.query("table_id == 'summary' and side == 'income'").set_index("item")["row_role"]
    assert summary["一、财政拨款"] == "group" and summary["1.一般公共预算"] == "line"
    income = tidy.query("table_id == 'income'").set_index("item")["row_role"]
    assert income["收入总计"] == "total" and income["一般公共预算资金小计"] == "group"
    assert income["其中:动用上年结转和结余资金"] == "of_which"
    # 支出用途 amounts carry their own labels (基本支出 …), not the 功能分类 label of the same line
    uses = tidy.query("table_id == 'summary' and column_id == 'expense_use_amount' and row_role == 'line'")
    assert uses.loc[uses["value_text"] != "", "item"].tolist() == ["一、基本支出", "二、项目支出", "三、单位预留机动经费"]


def test_procurement_lists_nest_by_their_amounts(bundled_tidy):
    """政府采购预算表: category → project → purchase, told by the amounts only."""
    tidy = bundled_tidy["js-npc-office-2017"].query("table_id == 'government_procurement' and column_id == 'total'")
    role = dict(zip(tidy["item"], tidy["row_role"]))
    assert role["三、服务C"] == role["综合管理费"] == role["办公设备购置费"] == "group"
    assert role["建筑物清洁服务"] == role["家具用具"] == "line"
    lines = tidy[tidy["row_role"] == "line"]
    assert sum(Decimal(a) for a in lines["amount"]) == Decimal("2247.85")  # not 3 × 2247.85


def test_income_sources_count_each_amount_once(bundled_tidy):
    sources = income_sources(bundled_tidy["js-npc-office-2019"])
    assert sum((s.amount for s in sources if s.amount is not None), Decimal(0)) == Decimal("18330.37")
    seed = income_sources(bundled_tidy[SEED_ID])
    assert {s.key: s.amount for s in seed if s.amount} == {"general_public_budget": Decimal("12270.45"), "carryover": Decimal("76.62")}


def test_three_public_items_in_both_layouts(bundled_tidy):
    rows = three_public_items(bundled_tidy[SEED_ID])  # one item a row, ①② under 公务用车购置及运行费
    assert {k: i.amount for k, i in rows.items()} == {
        "three_public_total": Decimal("108.00"), "outbound": None, "reception": None, "vehicle_total": Decimal("108.00"),
        "vehicle_purchase": Decimal("80.00"), "vehicle_operation": Decimal("28.00")}
    jiangsu = three_public_items(bundled_tidy["js-npc-office-2017"])  # one row, one column per item
    assert jiangsu["three_public_total"].amount == Decimal("833.60")
    assert jiangsu["table_total"].amount == Decimal("2542.60")  # 合计 counts 会议费、培训费 too
    assert [p.amount for p in three_public_parts(jiangsu)] == [Decimal("222.50"), Decimal("427.50"), Decimal("0"), Decimal("183.60")]
    shanghai = three_public_items(bundled_tidy["sh-putuo-wanli-street-2025"])
    assert shanghai["three_public_total"].amount == Decimal("37.91") and shanghai["admin_operation"].amount == Decimal("464.64")
    assert sum((p.amount for p in three_public_parts(shanghai)), Decimal(0)) == Decimal("37.91")


def test_numbering():
    assert numbering("（二）项目支出")[:2] == ("paren_cn", "二")
    assert numbering("2.政府性基金预算")[:2] == ("num", "2")
    assert numbering("2025年预算")[0] is None  # a year is not a number of a list
    assert strip_numbering("一、（一）1.公共安全支出") == "公共安全支出"


def test_table_the_catalog_does_not_know_is_structured_generically():
    """A flat list under a printed title the catalog does not know: head row, units found by their sums."""
    rows = [("某某局", "900"), ("甲单位", "600"), ("项目一", "100"), ("项目二", "500"), ("乙单位", "300"),
            ("项目三", "120"), ("项目四", "180")]
    tidy = pd.DataFrame({
        "doc_id": "x", "table_id": "某某局专项资金明细表", "row_number": range(1, 8), "side": None, "row_kind": "item",
        "code": None, "item": [r[0] for r in rows], "column_id": "col2", "value_text": [r[1] for r in rows],
    })
    structure = row_structure(tidy)
    assert structure["row_role"].tolist() == ["total", "group", "line", "line", "group", "line", "line"]
    assert structure["parent_row"].tolist() == [pd.NA, 1, 2, 2, 1, 5, 5]


TEMPLATES = Path(__file__).resolve().parent / "fixtures" / "pdf" / "templates"


@pytest.mark.parametrize("name", [
    "hangzhou-justice-2026",  # 类/款/项 by name only (indentation lost); 一、财政拨款 over an unnumbered 一般公共预算
    "huzhou-veterans-2026",  # a department row over its units, no code, no numbering
    "petition-bureau-2024-final", "xian-civil-affairs-2021", "yantai-audit-2026", "zhuhai-public-works-2026",
    "wuxi-hrss-2026",  # units by 部门代码 309 / 309001…, a name column beside it
    "xian-finance-2026",  # department / units / 通用项目 and 专用项目 / categories / projects, amounts only
])
def test_line_rows_add_up_in_other_publishers_templates(name):
    """The same promise on eight other publishers' layouts."""
    from budgetkit.sources import read_document
    from budgetkit.tidy import tidy_document

    tidy = tidy_document(read_document([TEMPLATES / f"{name}.pdf"], name, {}))
    results = [(what, compare_sum(parts, total)) for what, parts, total in _identities(tidy)]
    broken = [f"{what}: printed {o.actual}, lines {o.expected}" for what, o in results if o.status not in (OK, ROUNDING)]
    assert not broken, broken
    assert len(results) >= 25


def test_project_list_nested_by_amounts_alone():
    """西安's 专项业务经费支出表 prints no code and no indentation: department 西安市财政局 over its
    units, each unit over 通用项目 and 专用项目, each over categories over projects. Rows of equal
    amounts are a chain (通用项目 300,000.00 over 办公场所租赁 over 库房租赁) only where the sums
    above need it."""
    from budgetkit.sources import read_document
    from budgetkit.tidy import tidy_document

    tidy = tidy_document(read_document([TEMPLATES / "xian-finance-2026.pdf"], "xian-finance-2026", {}))
    rows = tidy[(tidy["table_id"] == "project_current") & (tidy["column_id"] == "total")].set_index("row_number")

    def children(number: int) -> list[str]:
        return rows[rows["parent_row"] == number]["item"].tolist()

    def number_of(item: str, detail: str | None = None) -> int:
        match = rows[(rows["item"] == item) & ((rows["detail"] == detail) if detail else True)]
        return int(match.index[0])

    bureau = number_of("西安市财政局", "116")
    assert rows.loc[bureau, "row_role"] == "group" and rows.loc[bureau, "parent_row"] == number_of("合计")
    assert children(bureau) == ["西安市财政局", "西安市财政投资评审中心", "西安市罚没公物管理中心", "西安市财政国库支付中心",
                                "西安市财政预算编审中心", "西安市财政干部教育培训中心", "西安市政府债务管理中心"]
    confiscated = number_of("西安市罚没公物管理中心")
    assert children(confiscated) == ["通用项目", "专用项目"]
    general = children(confiscated)
    assert children(number_of("办公场所租赁")) == ["库房租赁"]
    assert rows.loc[number_of("库房租赁"), "row_role"] == "line"
    assert general and rows.loc[number_of("政府投资项目评审"), "row_role"] == "line"
