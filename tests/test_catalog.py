import pytest

from budgetkit.catalog import load_catalog


@pytest.mark.parametrize(
    "title, table_id",
    [
        ("2025年预算收支总表", "summary"),
        ("上海市普陀区人民政府办公室2025年部门财务收支预算总表", "summary"),
        ("表十二2025年项目支出预算表（本年预算）", "project_current"),
        ("2025年项目支出预算表（上年结转）", "project_carryover"),
        ("2025年财政拨款安排“三公”经费支出预算表", "three_public"),
        ('2025年财政拨款安排"三公"经费支出预算表', "three_public"),
        ("2025年一般公共预算安排基本支出分经济科目表（不含上年结转）", "general_basic_economic"),
        ("2025年财政拨款收支总表", "fiscal_summary"),
        ("预算公开表1 2025年预算收支总表", "summary"),
    ],
)
def test_titles_match_across_templates(title, table_id):
    assert load_catalog().match_title(title) == table_id


@pytest.mark.parametrize("text", ["一般公共预算当年拨款结构图", "三公经费分布图", "第三部分 2025年度部门预算情况说明",
                                  "2025年度沁水县公安局支出预算12347.07万元，其中：基本支出3954.29万元，占32.03%；项目支出8392.78万元。"])
def test_non_titles_do_not_match(text):
    assert load_catalog().match_title(text) is None


def test_every_template_names_known_tables():
    catalog = load_catalog()
    for template in catalog.templates.values():
        assert set(template.expected) <= set(catalog.tables), template.id
        assert set(template.required) <= set(template.expected), template.id


def test_column_ids_unique_per_table():
    for spec in load_catalog().tables.values():
        ids = [c.id for c in spec.columns]
        assert len(ids) == len(set(ids)), spec.id
