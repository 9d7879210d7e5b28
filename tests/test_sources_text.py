"""The text-dump reader on the seed disclosure (沁水县公安局2025年度部门预算公开)."""


import pytest

from budgetkit.errors import EmptyFileError, EncodingError, NotADisclosureError, TruncatedDocumentError
from budgetkit.sources.text import read_text_document

from conftest import SEED

ALL_13 = ["summary", "income", "expenditure", "fiscal_summary", "general_expenditure", "general_basic_economic",
          "fund_income", "fund_expenditure", "state_capital", "three_public", "admin_operation", "project_current",
          "project_carryover"]


def test_all_13_tables_found_in_printed_order(seed_document):
    assert list(seed_document.tables) == ALL_13


def test_four_tables_present_but_empty(seed_document):
    empty = [t for t, table in seed_document.tables.items() if table.empty]
    assert empty == ["fund_income", "fund_expenditure", "state_capital", "project_carryover"]


def test_labels_titles_units(seed_document):
    tables = seed_document.tables
    assert tables["summary"].label == "预算公开表1"
    assert tables["state_capital"].label == "部门公开表9"
    assert tables["three_public"].label == "预算公开表10"
    assert tables["income"].label is None  # printed without a label
    assert tables["general_basic_economic"].title == "2025年一般公共预算安排基本支出分经济科目表（不含上年结转）"
    assert {t.unit for t in tables.values()} == {"万元"}
    assert tables["summary"].department == "沁水县公安局"


def test_rows_keep_line_numbers(seed_document):
    income = seed_document.tables["income"]
    assert income.location.line == 101
    first = income.body_rows[0]
    # Columns named by the one algorithm of every reader: 合计 printed across code and name
    # lands in the name column.
    assert income.columns[:3] == ["code", "name", "total"] and income.columns[8] == "carryover"
    assert first[0] == "" and first[1] == "合计" and first[2] == "12270.45" and first[8] == "76.62"
    assert income.body_locations[0].line == 109
    # The 收支总表 runs over a page break (a blank line) and keeps going.
    summary = seed_document.tables["summary"]
    assert summary.body_rows[-1][:2] == ["收入总计", "12347.07"]
    assert summary.body_locations[-1].line == 99


def test_header_rows_split_from_body(seed_document):
    project = seed_document.tables["project_current"]
    assert len(project.header_rows) == 3  # two header rows and the column numbers 1…7
    assert project.body_rows[0][:2] == ["沁水县公安局", "8316.17"]
    three = seed_document.tables["three_public"]
    assert [r[0] for r in three.body_rows] == ["因公出国（境）费", "公务接待费", "公务用车购置及运行费",
                                              "①公务用车购置费", "②公务用车运行维护费", "合计"]


def test_parts_narrative_and_performance_blocks(seed_document):
    assert sorted(seed_document.parts) == [1, 2, 3, 4]
    lines = [l.text for l in seed_document.narrative]
    assert any(t.startswith("2025年度沁水县公安局预算收入总计12,347.07万元") for t in lines)
    assert all("\t" not in t for t in lines)
    assert seed_document.narrative[0].location.line > 382  # after the 第三部分 heading
    kinds = [b.kind for b in seed_document.performance_blocks]
    assert kinds.count("整体支出") == 1
    assert kinds.count("项目支出") == 16
    first_project = seed_document.performance_blocks[1]
    assert first_project.lines[0].location.line == 510
    assert any("执法办案中心建设项目" in l.text for l in first_project.lines)


def test_gbk_dump_reads_the_same(tmp_path, seed_document):
    gbk = tmp_path / "seed-gbk.txt"
    gbk.write_bytes(SEED.read_text(encoding="utf-8").encode("gb18030"))
    document = read_text_document(gbk, "gbk", {"template": "shanxi-county"})
    assert document.metadata["encoding"] == "gb18030"
    assert document.tables["income"].body_rows == seed_document.tables["income"].body_rows


def test_gbk_dump_with_wrong_encoding_forced(tmp_path):
    gbk = tmp_path / "seed-gbk.txt"
    gbk.write_bytes(SEED.read_text(encoding="utf-8").encode("gbk", errors="replace"))
    with pytest.raises(EncodingError) as info:
        read_text_document(gbk, "gbk", {"template": "shanxi-county"}, encoding="utf-8")
    assert str(gbk) in str(info.value) and "gb18030" in str(info.value)


def test_empty_file(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(EmptyFileError, match="empty.txt: the file is empty"):
        read_text_document(empty, "empty")


def test_text_that_is_not_a_disclosure(tmp_path):
    other = tmp_path / "novel.txt"
    other.write_text("第一章\n\n天下大势，分久必合，合久必分。\n周末七国分争，并入于秦。\n", encoding="utf-8")
    with pytest.raises(NotADisclosureError, match="novel.txt: not a budget disclosure"):
        read_text_document(other, "novel")


def test_truncated_dump(tmp_path):
    lines = SEED.read_text(encoding="utf-8").splitlines()
    cut = tmp_path / "cut.txt"
    cut.write_text("\n".join(lines[:230]), encoding="utf-8")  # stops inside the 基本支出 table
    with pytest.raises(TruncatedDocumentError) as info:
        read_text_document(cut, "cut", {"template": "shanxi-county"})
    message = str(info.value)
    assert "cut.txt" in message and "truncated" in message and "三公" in message
