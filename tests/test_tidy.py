"""Tidy tables: every amount equals the printed one, exactly, with its provenance."""

from decimal import Decimal

import pytest

from budgetkit.model import Location, RawTable
from budgetkit.tidy import TIDY_COLUMNS, amount_of, map_columns, tidy_table, wide_table


def cell(tidy, table_id, column_id, **where):
    rows = tidy[(tidy.table_id == table_id) & (tidy.column_id == column_id)]
    for key, value in where.items():
        rows = rows[rows[key] == value]
    assert len(rows) == 1, (table_id, column_id, where, len(rows))
    return rows.iloc[0]


def test_schema(seed_tidy):
    assert list(seed_tidy.columns) == TIDY_COLUMNS
    assert set(seed_tidy.unit) == {"万元"}


@pytest.mark.parametrize(
    "table_id, column_id, where, printed",
    [
        ("summary", "income_amount", {"item": "本年收入合计"}, "12270.45"),
        ("summary", "expense_carryover", {"item": "四、公共安全支出"}, "76.62"),
        ("summary", "expense_total", {"item": "支出总计"}, "12347.07"),
        ("income", "carryover", {"code": "2040202"}, "76.62"),
        ("expenditure", "project", {"code": "2040202"}, "1860.56"),
        ("fiscal_summary", "income_amount", {"item": "上年财政拨款结转"}, "76.62"),
        ("general_expenditure", "total", {"code": "208"}, "521.52"),
        ("general_basic_economic", "personnel", {"item": "合计"}, "3175.85"),
        ("general_basic_economic", "public", {"item": "公务用车运行维护费"}, "20.00"),
        ("three_public", "total", {"item": "①公务用车购置费"}, "80.00"),
        ("admin_operation", "total", {"item": "沁水县公安局交通警察大队"}, "12.95"),
        ("project_current", "total", {"item": "沁水县公安局执法办案管理中心附属工程建设项目"}, "400.00"),
    ],
)
def test_amounts_equal_printed(seed_tidy, table_id, column_id, where, printed):
    row = cell(seed_tidy, table_id, column_id, **where)
    assert row.value_text == printed
    assert row.amount == Decimal(printed)
    assert row.amount_yuan == Decimal(printed) * 10000


def test_codes_levels_parents(seed_tidy):
    row = cell(seed_tidy, "income", "total", code="2040219")
    assert (row.code_level, row.parent_code, row["item"], row.amount_yuan) == ("项", "20402", "信息化建设", Decimal("11000000"))
    assert cell(seed_tidy, "expenditure", "total", code="20805").code_level == "款"
    assert cell(seed_tidy, "expenditure", "total", code="221").code_level == "类"


def test_empty_cells_are_kept_blank(seed_tidy):
    row = cell(seed_tidy, "three_public", "total", item="因公出国（境）费")
    assert row.value_text == "" and row.amount is None and row.row_kind == "item"
    row = cell(seed_tidy, "expenditure", "basic", code="2040202")
    assert row.amount is None


def test_total_rows_and_provenance(seed_tidy):
    row = cell(seed_tidy, "general_expenditure", "project", item="合计")
    assert row.row_kind == "total" and row.amount == Decimal("8316.17")
    assert (row.source_file, row.line) == ("qinshui-police-2025.txt", 206)


def test_economic_table_keeps_second_name(seed_tidy):
    rows = seed_tidy[(seed_tidy.table_id == "general_basic_economic") & (seed_tidy.item == "机关事业单位基本养老保险缴费") & (seed_tidy.column_id == "total")]
    assert sorted(zip(rows.detail, rows.value_text)) == [("工资福利支出", "34.02"), ("社会保障缴费", "237.48")]


def test_two_sided_summary_splits_sides(seed_document):
    tidy = tidy_table(seed_document.tables["summary"], "x")
    assert set(tidy.side) == {"income", "expense"}
    income_items = tidy[tidy.side == "income"].item.unique().tolist()
    assert income_items[:5] == ["一、一般公共预算", "二、政府性基金预算", "三、国有资本经营预算", "四、财政专户管理资金", "五、单位资金"]
    # Rows where the income side is blank produce no income cells.
    assert len(tidy[(tidy.side == "income")]) == 8


def test_wrapped_header_cells_map_to_catalog_columns(seed_document):
    ids = [c.id for c in map_columns(seed_document.tables["project_current"])]
    assert ids == ["project", "total", "general_public_budget", "government_fund", "state_capital", "special_account", "unit_funds"]
    ids = [c.id for c in map_columns(seed_document.tables["income"])]
    assert ids[-2:] == ["unit_funds", "carryover"]


def test_wide_table_as_printed(seed_document):
    wide = wide_table(seed_document.tables["expenditure"])
    assert list(wide.columns) == ["page", "line", "项目/科目编码", "项目/科目名称", "2025年预算数/合计", "2025年预算数/基本支出", "2025年预算数/项目支出"]
    assert wide.iloc[0].tolist()[2:] == ["", "合计", "12347.07", "3954.29", "8392.78"]


def test_amount_of_helper(seed_tidy):
    assert amount_of(seed_tidy, "income", "total", code="204") == Decimal("114633600")
    with pytest.raises(LookupError):
        amount_of(seed_tidy, "income", "total")


def test_every_tidy_value_stands_on_its_source_line(seed_tidy):
    """Provenance holds for every cell: the printed text is a cell of the line the tidy row cites."""
    from conftest import SEED

    lines = SEED.read_text(encoding="utf-8").splitlines()
    printed = seed_tidy[seed_tidy.value_text != ""]
    assert len(printed) > 250
    for row in printed.itertuples():
        cells = [c.strip() for c in lines[row.line - 1].split("\t")]
        assert row.value_text in cells, (row.table_id, row.line, row.value_text)
        assert row.amount_yuan == row.amount * 10000


def _xian_project_table(name_header: str) -> RawTable:
    """The first rows of 西安市财政局 2026 表10 (p.38), headers as printed but the name column's."""
    rows = [
        ["合计", "", "224,204,336.00", ""],
        ["116", "西安市财政局", "224,204,336.00", ""],
        ["116001", "西安市财政局", "190,709,936.00", ""],
        ["", "通用项目", "18,640,800.00", ""],
        ["", "财政检查", "1,887,000.00", "开展财政监督检查工作，委托第三方中介机构对重点领域开展专项检查"],
    ]
    return RawTable(
        table_id="project_current", title="部门综合预算专项业务经费支出表", location=Location("t.pdf", page=38), unit="元",
        header_rows=[["单位编码", name_header, "项目金额", "项目简介"]], body_rows=rows,
        body_locations=[Location("t.pdf", page=38)] * len(rows),
    )


@pytest.mark.parametrize("name_header", ["单位（项目）名称", "单位（项目）"])
def test_name_column_chosen_by_header_then_by_text_never_codes_or_remarks(name_header):
    """A header the catalog does not know: 单位（项目）名称 is the name column by its header; printed
    without 名称 it is still the name (the most Chinese outside codes and remarks), not 项目简介 with
    longer text; 单位编码 stays the row's detail, 合计 in the code column names the total row."""
    tidy = tidy_table(_xian_project_table(name_header), "t")
    assert list(tidy["column_id"].unique()) == ["total"]
    assert tidy["item"].tolist() == ["合计", "西安市财政局", "西安市财政局", "通用项目", "财政检查"]
    assert tidy["detail"].tolist()[1:3] == ["116", "116001"]
    assert tidy["row_kind"].iloc[0] == "total"
    assert tidy["code"].isna().all()
    assert tidy.loc[tidy["item"] == "财政检查", "amount_yuan"].iloc[0] == Decimal("1887000.00")
