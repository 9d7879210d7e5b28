import pytest

from budgetkit.codes import code_level, join_split_code, normalise_code, parent_code, split_code_and_name


@pytest.mark.parametrize("printed", ["2040201", "204 02 01", "204-02-01", "２０４０２０１", " 2040201 "])
def test_every_printed_form_normalises(printed):
    assert normalise_code(printed) == "2040201"


@pytest.mark.parametrize("printed", ["合计", "20402011", "12", "", None, "一、一般公共预算"])
def test_non_codes(printed):
    assert normalise_code(printed) is None


def test_levels_and_parents():
    assert [code_level(c) for c in ("204", "20402", "2040201")] == ["类", "款", "项"]
    assert parent_code("2040201") == "20402"
    assert parent_code("20402") == "204"
    assert parent_code("204") is None


def test_split_columns_join():
    # Shanghai prints 类 / 款 / 项 in three columns, the 款 and 项 columns holding two digits.
    assert join_split_code("201", "38", "02") == "2013802"
    assert join_split_code("201", "20138", "2013802") == "2013802"
    assert join_split_code("208", "05", None) == "20805"


def test_code_inside_name_cell():
    assert split_code_and_name("2040201 行政运行") == ("2040201", "行政运行")
    assert split_code_and_name("公共安全支出") == (None, "公共安全支出")
