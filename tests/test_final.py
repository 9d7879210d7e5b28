"""Final accounts (部门决算): catalog, kind, panels and measures, the 决算 checks, execution analysis.

Excerpts of four 决算 templates (tests/fixtures/pdf/final-*.pdf, pages cut with pypdf from
../shared/data/wild) and the bundled 西南大学 2024 budget + final accounts (data/raw). Expected
cells in tests/fixtures/pdf/expected/final_cells.csv were read off the rendered pages by hand;
the errors asserted here were checked in the PDFs (page and arithmetic in the test).
"""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from budgetkit.catalog import load_catalog
from budgetkit.final import class_name, code_path, execution_statements, three_public_cells, three_public_item
from budgetkit.kinds import amount_measure, declared_kind, template_for
from budgetkit.model import Location, RawTable, TextLine
from budgetkit.tidy import map_columns, tidy_table, unfold_panels

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "pdf"
RAW = ROOT / "data" / "raw"


def lines(*texts: str) -> list[TextLine]:
    return [TextLine(t, Location("n.txt", line=i + 1)) for i, t in enumerate(texts)]


# --------------------------------------------------------------------------- catalog and kind


@pytest.mark.parametrize("title, table_id", [
    ("表 1： 高等学校收支决算总表", "final_summary"),
    ("收入支出决算总表", "final_summary"),
    ("财政拨款收入支出决算总表", "final_fiscal_summary"),
    ("表 4： 高等学校财政拨款支出决算表", "final_fiscal_expenditure"),
    ("一般公共预算财政拨款基本支出决算表", "final_general_basic"),
    ("财政拨款“三公”经费及会议费、 培训费支出决算表", "final_three_public"),
    ("一般公共预算财政拨款 三公 经费支出决算表", "final_three_public"),
    ("国有资本经营预算财政拨款收入支出决算表", "final_state_capital"),
    ("西南大学支出预算表", "expenditure"),
    ("西南大学收入预算表", "income"),
    ("西南大学财政拨款支出预算表", "fiscal_expenditure"),
])
def test_final_titles(title, table_id):
    assert load_catalog().match_title(title) == table_id


def test_declared_kind():
    assert declared_kind("final") == "final" and declared_kind("决算") == "final"
    assert declared_kind("budget (unit)") == "budget" and declared_kind("") is None and declared_kind(None) is None


def test_template_of_a_final():
    assert template_for({}, "final", ["表 1：高等学校收支决算总表"]).id == "final-university"
    assert template_for({"template": "shanghai-district"}, "final", ["收入支出决算总表"]).id == "final"
    assert template_for({"template": "shanghai-district"}, "budget").id == "shanghai-district"
    assert len(template_for({}, "final").expected) == 9


def test_amount_measure():
    assert amount_measure("final_three_public", "budget_reception") == "budget"
    assert amount_measure("final_three_public", "final_reception") == "final"
    assert amount_measure("final_fund", "carryover_end") == "carryover_end"
    assert amount_measure("final_expenditure~2", "total") == "final"
    assert amount_measure("expenditure", "total") == "budget"
    assert amount_measure("other-3", "col4") is None


# --------------------------------------------------------------------------- panels and measures (tidy)


def test_side_by_side_panels_are_stacked():
    """中央 template 基本支出决算表: three panels; 公用经费合计 printed over the second and third."""
    table = RawTable(
        table_id="final_general_basic", title="一般公共预算财政拨款基本支出决算表", location=Location("t.pdf", page=1), unit="万元",
        body_rows=[
            ["301", "工资福利支出", "6,982.75", "302", "商品和服务支出", "2,239.41", "307", "债务利息及费用支出", ""],
            ["30101", "基本工资", "1,857.40", "30201", "办公费", "83.92", "310", "资本性支出", "27.24"],
            ["人员经费合计", "", "7,967.72", "公用经费合计", "", "", "", "", "2,266.65"],
        ],
        body_locations=[Location("t.pdf", page=1)] * 3,
        columns=["code", "name", "final_actual", "panel2_code", "panel2_name", "panel2_final_actual", "panel3_code", "panel3_name",
                 "panel3_final_actual"],
    )
    columns = map_columns(table)
    rows, locations, stacked = unfold_panels(table, columns)
    assert [c.id for c in stacked] == ["code", "name", "final_actual"]
    assert [r[0] or r[1] for r in rows] == ["301", "30101", "人员经费合计", "302", "30201", "公用经费合计", "307", "310"]
    assert rows[5] == ["公用经费合计", "", "2,266.65"]
    tidy = tidy_table(table, "t")
    assert list(tidy["column_id"].unique()) == ["final_actual"]
    public = tidy[tidy["item"] == "公用经费合计"]
    assert list(public["value_text"]) == ["2,266.65"]
    assert list(tidy[tidy["code"] == "310"]["value_text"]) == ["27.24"]


@pytest.mark.parametrize("header, expected", [
    # measure over item (中央, 佛山): 预算数 / 公务用车购置及运行维护费 / 小计 / 3
    ([["预算数", "", "", "", "", "", "决算数", "", "", "", "", ""],
      ["合计", "因公出国（境）费", "公务用车购置及运行维护费", "", "", "公务接待费"] * 2,
      ["", "", "小计", "公务用车购置费", "公务用车运行维护费", ""] * 2],
     ["budget_three_public_total", "budget_outbound", "budget_vehicle_total", "budget_vehicle_purchase", "budget_vehicle_operation",
      "budget_reception", "final_three_public_total", "final_outbound", "final_vehicle_total", "final_vehicle_purchase",
      "final_vehicle_operation", "final_reception"]),
    # item over measure (上海): 财政拨款三公经费 / 合计 / 预算数
    ([["财政拨款“三公”经费"] + [""] * 5,
      ["合计", "", "公务用车购置及运行维护费", "", "", ""],
      ["", "", "小计", "", "公务用车购置费", ""],
      ["预算数", "决算数", "预算数", "决算数", "预算数", "决算数"]],
     ["budget_three_public_total", "final_three_public_total", "budget_vehicle_total", "final_vehicle_total",
      "budget_vehicle_purchase", "final_vehicle_purchase"]),
])
def test_three_public_measure_columns(header, expected):
    table = RawTable(table_id="final_three_public", title="财政拨款“三公”经费支出决算表", location=Location("t.pdf", page=1),
                     header_rows=header, body_rows=[["1.00"] * len(expected)])
    assert [m.id for m in map_columns(table)] == expected


# --------------------------------------------------------------------------- narrative statements


def test_execution_statements_of_numbered_items():
    found = execution_statements(lines(
        "国家信访局 2024 年度财政拨款支出年初预算为 15068.55 万元，支出决算为 13733.8 万元，完成年初预算的 91.14%。其中：",
        "6.教育（类）进修及培训（款）培训支出（项）。年初预算为 180.61 万元，支出决算为 180.03 万元，完成年初预算的 99.68%。",
        "决算数小于预算数的主要原因相关工作未按计划开展。",
        "11.卫生健康支出（类）行政事业单位医疗（款）行政单位医疗（项）。年初预算为 0 万元，支出决算为 497.53 万元。决算数大于预算数的主要原因是调剂。",
    ), 2024)
    assert [(s.budget.value, s.actual.value, s.rate_pct.value if s.rate_pct else None, s.direction) for s in found] == [
        (Decimal("15068.55"), Decimal("13733.8"), Decimal("91.14"), None),
        (Decimal("180.61"), Decimal("180.03"), Decimal("99.68"), -1),  # the reason stands in the next sentence
        (Decimal("0"), Decimal("497.53"), None, 1),
    ]
    assert code_path(found[1].subject) == ("教育", "进修及培训", "培训支出")


def test_execution_statements_spaced_digits_and_lists():
    found = execution_statements(lines(
        "2.教育支出（类）普通教育（款）学前教育（项）。年初预算 9 9 9 . 8 3万元，支出决算 1 , 1 8 2 . 5 9万元，完成年初预算的118.28%。",
        "“三公”经费财政拨款支出年初预算为 2.85 万元，支出决算为 0.39 万元，完成预算的 13.68%，其中：因公出国（境）费决算为 0.00 万元，完成预算的 0.00%；公务接待费支出决算为 0.39 万元，完成预算的 13.68%。",
        "1.小学教育（2050202），2024 年度决算数为 8,627.17万元，比 2023 年度决算数增长 8.24%。",
    ), 2024)
    first = found[0]
    assert (first.budget.value, first.actual.value, first.rate_pct.value) == (Decimal("999.83"), Decimal("1182.59"), Decimal("118.28"))
    three = found[1:4]
    assert [three_public_item(s.subject) for s in three] == ["three_public_total", "outbound", "reception"]
    assert three[1].budget is None and three[2].budget is None  # items' budgets are in the table, not the sentence
    assert found[4].actual.value == Decimal("8627.17") and len(found) == 5  # 比 2023 年度决算数 is no statement


def test_class_names():
    assert class_name("一般公共服务（类）支出") == "一般公共服务支出"
    assert class_name("卫生健康支出（类）支出") == "卫生健康支出"
    assert class_name("二十、粮油物资储备支出") == "粮油物资储备支出"


# --------------------------------------------------------------------------- real excerpts


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The four excerpts extracted and checked once (grid reader, no Java)."""
    from budgetkit.manifest import DocumentSpec
    from budgetkit.pipeline import process_document

    out = tmp_path_factory.mktemp("final")
    results = {}
    for pdf in sorted(FIXTURES.glob("final-*.pdf")):
        result = process_document(DocumentSpec(doc_id=pdf.stem, metadata={}, files=[pdf]), out)
        assert result.ok, result.error
        results[pdf.name] = result.out_dir
    return results


def _findings(out_dir: Path) -> pd.DataFrame:
    return pd.read_csv(out_dir / "findings.csv", dtype=str, keep_default_na=False)


def test_excerpts_are_final_and_read_in_full(extracted):
    for name, out_dir in extracted.items():
        report = json.loads((out_dir / "extraction.json").read_text(encoding="utf-8"))
        assert report["kind"] == "final", name
        assert report["reading"]["read"] == report["reading"]["printed"] > 50, name
        assert json.loads((out_dir / "document.json").read_text(encoding="utf-8"))["kind"] == "final"


def test_hand_read_cells(extracted):
    with open(FIXTURES / "expected" / "final_cells.csv", encoding="utf-8") as handle:
        expected = list(csv.DictReader(handle))
    assert len(expected) >= 40
    for cell in expected:
        tidy = pd.read_parquet(extracted[cell["fixture"]] / "tidy.parquet")
        rows = tidy[(tidy["table_id"] == cell["table_id"]) & (tidy["column_id"] == cell["column_id"])]
        if cell["code"]:
            rows = rows[rows["code"] == cell["code"]]
        elif cell["item"]:
            rows = rows[rows["item"] == cell["item"]]
        assert len(rows) == 1, cell
        assert rows.iloc[0]["value_text"] == cell["value_text"], cell
        assert int(rows.iloc[0]["page"]) == int(cell["page"]), cell


def test_petition_excerpt_identities_hold(extracted):
    findings = _findings(extracted["final-petition-2024.pdf"])
    final = findings[findings["rule_id"].str.contains("final")]
    assert not final["status"].isin(["error", "unreadable"]).any()
    groups = final[final["rule_id"] == "within.final_basic_groups"]
    assert list(groups["status"]) == ["ok", "ok"]  # 7967.72 = 6982.75 + 984.97; 2266.65 = 2239.41 + 27.24
    assert list(final[final["rule_id"] == "across.final_general_vs_basic"]["status"]) == ["ok"]  # 10234.37
    # 5757.63 / 5717.32 = 100.705 %: a rate whose two amounts the sentence prints is narrative.stated_rate's …
    rate = findings[findings["message"].str.contains("完成年初预算的100.71%", regex=False)]
    assert list(rate[["rule_id", "status"]].itertuples(index=False, name=None)) == [("narrative.stated_rate", "ok")]
    # … and its direction (决算数大于预算数) and its 决算 against the table's 行政运行 row are this rule's
    said = final[final["message"].str.contains("行政运行") & final["message"].str.contains("决算数大于预算数")]
    assert list(said["status"]) == ["ok"]
    row = final[final["message"].str.contains("决算 5757.63万元 = 一般公共预算财政拨款支出决算表 2014001 行政运行", regex=False)]
    assert list(row["status"]) == ["ok"]
    three = final[final["message"].str.contains("完成预算的 15.63%")]
    assert list(three["status"]) == ["ok"] and "预算 30.00" in three.iloc[0]["message"]  # budget from the table: 4.69 / 30.00


def test_putuo_excerpt_reports_the_narratives_basic_expenditure(extracted):
    """p.24 says 一般公共预算财政拨款基本支出 5377.64 万元，其中：人员经费 4896.98 万元; the tables (pp.14–16) print
    5364.75 (= 754.75 + 236.64 + 1572.70 + 2339.58 + 461.08) and 人员经费合计 4884.09 — 12.89 万元 less.
    5377.64 is the 支出决算表's basic expenditure of all money, not of the 一般公共预算."""
    findings = _findings(extracted["final-putuo-planning-2024.pdf"])
    errors = findings[findings["status"] == "error"]
    assert sorted(errors["actual"]) == ["4896.98", "5377.64"]
    assert set(errors["expected"]) == {"4884.09", "5364.75"} and set(errors["difference"]) == {"12.89"}
    truncated = findings[findings["message"].str.contains("95.45%")]
    assert list(truncated["status"]) == ["rounding"]  # 9746.50 / 10210.34 = 95.4572 %: cut, not rounded, as published


def test_xian_excerpt_reports_the_copied_rate(extracted):
    """p.46: 二期扩建项目 全年预算数21143.98万元，执行数21143.98万元，完成预算的35% (100 %: the 35 % of item 53)."""
    findings = _findings(extracted["final-xian-health-2022.pdf"])
    errors = findings[findings["status"] == "error"]
    assert list(errors["rule_id"]) == ["narrative.stated_rate"]  # the sentence prints both amounts: reported once
    assert errors.iloc[0]["actual"] == "35" and "21143.98" in errors.iloc[0]["message"]
    three = findings[findings["rule_id"] == "within.final_three_public"]
    assert list(three["status"]) == ["ok"] * 4  # 593.46 = 0 + 591.60 + 1.86; 591.60 = 136.48 + 455.12 …
    # p.21: 预算593.46万元，支出决算587.55万元 … 决算数较预算数减少5.91万元 — against the table (p.161) and itself
    final = findings[findings["rule_id"] == "narrative.final_execution"]
    said = final[final["message"].str.contains("“三公”经费支出」决算 587.55万元 = “三公”经费支出决算表", regex=False)]
    assert list(said["status"]) == ["ok"]
    difference = final[final["message"].str.contains("决算数较预算数减少 5.91万元 = 决算 − 预算", regex=False)]
    assert list(difference["status"]) == ["ok"]


def test_foshan_excerpt_panels_over_four_pages(extracted):
    tidy = pd.read_parquet(extracted["final-foshan-rail-2019.pdf"] / "tidy.parquet")
    basic = tidy[tidy["table_id"] == "final_general_basic"]
    assert sorted(basic["page"].unique().tolist()) == [4, 5, 6, 7]
    findings = _findings(extracted["final-foshan-rail-2019.pdf"])
    groups = findings[findings["rule_id"] == "within.final_basic_groups"]
    assert list(groups["status"]) == ["ok", "ok"]  # 649.20; 97.19
    assert not findings["status"].isin(["error", "unreadable"]).any()


def test_three_public_cells_in_each_layout(extracted):
    xian = pd.read_parquet(extracted["final-xian-health-2022.pdf"] / "tidy.parquet")
    cells = three_public_cells(xian[xian["table_id"] == "final_three_public"].to_dict("records"))
    assert cells[("budget", "reception")]["value_text"] == "1.86" and cells[("final", "reception")]["value_text"] == "0.11"
    petition = pd.read_parquet(extracted["final-petition-2024.pdf"] / "tidy.parquet")
    cells = three_public_cells(petition[petition["table_id"] == "final_three_public"].to_dict("records"))
    assert cells[("budget", "outbound")]["value_text"] == "30.00" and cells[("final", "outbound")]["value_text"] == "4.69"


# --------------------------------------------------------------------------- 西南大学 2024: budget against final accounts


@pytest.fixture(scope="module")
def swu(tmp_path_factory):
    from budgetkit.manifest import read_manifest
    from budgetkit.pipeline import process_document

    out = tmp_path_factory.mktemp("swu")
    for spec in read_manifest(RAW / "manifest.csv"):
        if spec.doc_id in ("swu-2024-budget", "swu-2024-final"):
            assert process_document(spec, out).ok
    return out


def test_swu_kinds_and_tables(swu):
    final = json.loads((swu / "swu-2024-final" / "extraction.json").read_text(encoding="utf-8"))
    budget = json.loads((swu / "swu-2024-budget" / "extraction.json").read_text(encoding="utf-8"))
    assert (final["kind"], final["template"], final["tables_missing"]) == ("final", "final-university", [])
    assert budget["kind"] == "budget" and {"expenditure", "fiscal_expenditure"} <= set(budget["tables_found"])


def test_swu_budget_against_final_accounts(swu):
    """Budget p.10 支出预算表 against 决算 pp.12–13 支出决算表, and p.11 against pp.14–15, read by hand."""
    from budgetkit import execution
    from budgetkit.compare import load_doc

    assert execution.same_year_budget(swu, "swu-2024-final") == "swu-2024-budget"
    final, budget = load_doc(swu, "swu-2024-final"), load_doc(swu, "swu-2024-budget")
    pairs = execution.matched_tables(budget, final)
    assert [(b, f) for b, f, _ in pairs] == [("expenditure", "final_expenditure"), ("fiscal_expenditure", "final_fiscal_expenditure")]
    all_money = execution.budget_vs_final(budget, final, "expenditure", "final_expenditure").set_index("name", drop=False)
    total = all_money[all_money["level"] == "合计"].iloc[0]
    assert (total["budget_wan"], total["final_wan"], total["rate_pct"]) == (Decimal("486554.95"), Decimal("481483.46"), Decimal("98.96"))
    by_code = all_money.set_index("code")
    assert (by_code.loc["205", "budget_wan"], by_code.loc["205", "final_wan"], by_code.loc["205", "rate_pct"]) == (
        Decimal("452738.18"), Decimal("448061.80"), Decimal("98.97"))
    assert (by_code.loc["2080506", "rate_pct"], by_code.loc["2080506", "status"]) == (Decimal("100.57"), "超支")  # 5533.56 / 5502.38
    assert (by_code.loc["2059802", "status"], by_code.loc["2059802", "final_wan"]) == ("只在决算", Decimal("6304.68"))
    fiscal = execution.budget_vs_final(budget, final, "fiscal_expenditure", "final_fiscal_expenditure").set_index("code")
    assert (fiscal.loc["205", "budget_wan"], fiscal.loc["205", "final_wan"], fiscal.loc["205", "rate_pct"]) == (
        Decimal("220139.76"), Decimal("241982.59"), Decimal("109.92"))


def test_swu_structure_and_checks(swu):
    from budgetkit import execution
    from budgetkit.compare import load_doc

    final = load_doc(swu, "swu-2024-final")
    income = execution.income_structure(final.tidy).set_index("name")
    assert income.loc["财政拨款收入", "share_pct"] == Decimal("58.61")  # 279818.00 / 477447.73, as the narrative prints
    findings = pd.read_csv(swu / "swu-2024-final" / "findings.csv", dtype=str, keep_default_na=False)
    final_rules = findings[findings["rule_id"].str.contains("final")]
    assert not final_rules["status"].isin(["error", "unreadable"]).any()
    # the narrative calls 本年收入合计 “收入总计”: a wording to flag, not an arithmetic error
    wording = final_rules[(final_rules["status"] == "warning") & final_rules["message"].str.contains("收入总计")]
    assert len(wording) == 2 and all("本年收入合计 477,447.73" in m for m in wording["message"])


def test_corpus_and_fiscal_data_package_carry_kind(swu, tmp_path):
    from budgetkit.corpus import corpus_from_processed, fiscal_rows

    documents = corpus_from_processed(swu, tmp_path / "corpus").set_index("doc_id")
    assert documents.loc["swu-2024-final", "kind"] == "final" and documents.loc["swu-2024-budget", "kind"] == "budget"
    rows = fiscal_rows(tmp_path / "corpus")
    final_rows = rows[rows["table_id"] == "final_expenditure"]
    assert set(final_rows["kind"]) == {"final"} and set(final_rows["measure"]) == {"final"}
    assert set(rows[rows["table_id"] == "expenditure"]["measure"]) == {"budget"}
    assert "205" in set(final_rows["function_class"])


def test_three_public_one_row_per_item():
    """An older layout: 项目 | 预算数 | 决算数, one row per item."""
    table = RawTable(table_id="final_three_public", title="“三公”经费支出决算表", location=Location("t.txt", line=1), unit="万元",
                     header_rows=[["项目", "预算数", "决算数"]],
                     body_rows=[["合计", "12.00", "10.50"], ["因公出国（境）费", "2.00", "0.00"], ["公务用车购置及运行费", "8.00", "8.20"],
                                ["其中：公务用车购置费", "0.00", "0.00"], ["公务用车运行维护费", "8.00", "8.20"], ["公务接待费", "2.00", "2.30"]],
                     body_locations=[Location("t.txt", line=i + 2) for i in range(6)])
    assert [m.id for m in map_columns(table)] == ["item", "budget", "final"]
    cells = three_public_cells(tidy_table(table, "t").to_dict("records"))
    assert cells[("budget", "three_public_total")]["value_text"] == "12.00"
    assert cells[("final", "vehicle_total")]["value_text"] == "8.20"
    assert cells[("budget", "vehicle_purchase")]["value_text"] == "0.00"
    assert cells[("final", "reception")]["value_text"] == "2.30"


def test_summary_with_budget_columns():
    """Older 收入支出决算总表: 年初预算数 | 全年预算数 | 决算数 on each side."""
    table = RawTable(table_id="final_summary", title="收入支出决算总表", location=Location("t.txt", line=1), unit="万元",
                     header_rows=[["收入", "", "", "", "支出", "", "", ""],
                                  ["项目", "年初预算数", "全年预算数", "决算数", "项目", "年初预算数", "全年预算数", "决算数"]],
                     body_rows=[["一、一般公共预算财政拨款收入", "10.00", "12.00", "11.00", "一、一般公共服务支出", "10.00", "12.00", "11.00"]])
    assert [m.id for m in map_columns(table)] == ["income_item", "income_budget_initial", "income_budget_adjusted", "income_amount",
                                                 "expense_item", "expense_budget_initial", "expense_budget_adjusted", "expense_amount"]


# --------------------------------------------------------------------------- planted errors


def _planted(name: str, table_id: str = "", old: str = "", new: str = "", narrative: tuple[str, str] | None = None) -> pd.DataFrame:
    """Findings of an excerpt with one printed number changed (in a table, or in the narrative)."""
    from budgetkit.checks import run_checks
    from budgetkit.sources import read_document
    from budgetkit.tidy import tidy_document

    doc = read_document([FIXTURES / name], name.removesuffix(".pdf"), {})
    if table_id:
        table = doc.tables[table_id]
        hits = [(r, c) for r, row in enumerate(table.body_rows) for c, cell in enumerate(row) if cell.strip() == old]
        assert len(hits) == 1, hits
        r, c = hits[0]
        table.body_rows[r][c] = new
    if narrative:
        line = next(line for line in doc.narrative if narrative[0] in line.text)
        line.text = line.text.replace(narrative[0], narrative[1])
    return run_checks(doc, tidy_document(doc))


def test_planted_table_errors_are_found():
    # 人员经费合计 7,967.72 printed as 7,976.72: the group sum and basic = 人员 + 公用 both fail by 9.00
    findings = _planted("final-petition-2024.pdf", "final_general_basic", "7,967.72", "7,976.72")
    errors = findings[findings["status"] == "error"]
    # … and the narrative (人员经费 7967.72) no longer restates the table
    assert set(errors["rule_id"]) == {"within.final_basic_groups", "across.final_general_vs_basic", "narrative.final_amount"}
    assert {d.lstrip("-") for d in errors["difference"]} == {"9"}  # 万元
    # 三公 决算 公务接待费 0.90 printed as 0.09: the 决算 合计 no longer adds up
    findings = _planted("final-petition-2024.pdf", "final_three_public", "0.90", "0.09")
    errors = findings[(findings["status"] == "error") & (findings["rule_id"] == "within.final_three_public")]
    assert len(errors) == 1 and "决算数" in errors.iloc[0]["message"]


def test_planted_narrative_errors_are_found():
    # a completion rate with two digits swapped, and a direction turned round
    findings = _planted("final-petition-2024.pdf", narrative=("完成年初预算的 100.71%", "完成年初预算的 100.17%"))
    errors = findings[findings["status"] == "error"]
    assert list(errors["actual"]) == ["100.17"]
    findings = _planted("final-petition-2024.pdf", narrative=("0.8%。决算数小于预算数", "0.8%。决算数大于预算数"))
    errors = findings[findings["status"] == "error"]
    assert len(errors) == 1 and "与所印两数相反" in errors.iloc[0]["message"]  # 4.7 against 590.53
