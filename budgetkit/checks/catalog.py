"""The rule catalog: every reconciliation rule as data (id, family, descriptions, tables, tolerance).

Each entry is implemented by one small function registered under the same id (see
:func:`budgetkit.checks.engine.implements`). Tolerances: ``sum`` — (n+1)/2 × step for n printed
parts against a printed total (see :mod:`budgetkit.checks.arithmetic`); ``same`` — one step for
two printed copies of one quantity; ``ratio`` — half a printed digit plus the propagated
rounding of the amounts; ``exact`` — integers (counts, 元 amounts without decimals); ``fuzzy`` —
names matched with rapidfuzz.
"""

from __future__ import annotations

from budgetkit.checks.engine import Rule

CODE_TABLES = ("income", "expenditure", "general_expenditure", "fund_income", "fund_expenditure")
#: Tables whose rows may carry a code hierarchy: the function-code tables, and the 机关运行经费
#: table where a province (Jiangsu) prints it by economic class (302 商品和服务支出, 30201 办公费 …)
#: instead of by unit.
HIERARCHY_TABLES = CODE_TABLES + ("admin_operation",)

RULES: list[Rule] = [
    # ---------------------------------------------------------------- within a table
    Rule("within.code_hierarchy", "within_table",
         "科目层级：类 = Σ款，款 = Σ项（每个金额列）",
         "Code hierarchy: each 类 equals the sum of its 款, each 款 the sum of its 项 (every amount column)",
         HIERARCHY_TABLES, "sum", needs="any"),
    Rule("within.total_row", "within_table",
         "合计行 = Σ 最高层级科目行（类）",
         "The 合计 row equals the sum of the top-level (类) rows",
         HIERARCHY_TABLES, "sum", needs="any"),
    Rule("within.total_column", "within_table",
         "合计列 = Σ 分列（基本+项目；各资金来源；人员经费+公用经费；当年+结转）",
         "The total column equals the sum of its parts (basic + project; funding sources; personnel + public; current + carried over)",
         ("summary", "income", "expenditure", "fiscal_summary", "general_expenditure", "general_basic_economic",
          "fund_expenditure", "three_public", "admin_operation", "project_current", "project_carryover"), "sum", needs="any"),
    Rule("within.summary_balance", "within_table",
         "收支总表：本年收入合计 = Σ收入项；收入总计 = 本年收入合计 + 上年结转；本年支出合计 = Σ支出功能类；支出总计 = 本年支出合计 + 年终结转；收入总计 = 支出总计",
         "Summary tables: income lines add up to 本年收入合计; + carried over = 收入总计; expense classes add up to 本年支出合计; 收入总计 = 支出总计",
         ("summary", "fiscal_summary"), "sum", needs="any"),
    Rule("within.economic_groups", "within_table",
         "基本支出经济分类：合计 = Σ类（工资福利支出…），类 = Σ款",
         "Basic expenditure by economic classification: total = sum of groups, group = sum of its lines",
         ("general_basic_economic",), "sum"),
    Rule("within.project_units", "within_table",
         "项目支出表：单位行 = Σ其项目；部门行 = Σ单位行（单位名取自机关运行经费表）",
         "Project tables: each unit row equals the sum of its projects; the department row the sum of the units",
         ("project_current",), "sum"),
    Rule("within.admin_units", "within_table",
         "机关运行经费表：部门合计 = Σ单位（按经济分类科目列示时不适用，见 within.code_hierarchy）",
         "Administrative operating costs: 部门合计 equals the sum of the units (not applicable when the rows are economic codes; see within.code_hierarchy)",
         ("admin_operation",), "sum"),
    Rule("within.three_public", "within_table",
         "“三公”：公务用车购置及运行费 = 购置费 + 运行维护费；合计 = 因公出国（境）+ 公务接待 + 公务用车购置及运行费",
         "Three public expenses: vehicles = purchase + operation; total = travel abroad + reception + vehicles",
         ("three_public",), "sum"),
    Rule("within.repeated_content", "within_table",
         "重复内容：同一页、同一表或同一段在文件中重复出现（已只保留一份）",
         "Repeated content: a page, table stretch or block printed more than once in the file (one copy kept)",
         (), "exact", on_fail="warning"),
    # ---------------------------------------------------------------- across tables
    Rule("across.summary_vs_income", "across_tables",
         "收支总表收入各项 = 收入总表合计行（本年收入合计、各来源、上年结转）",
         "Summary income lines equal the 合计 row of the income table (current income, each source, carried over)",
         ("summary", "income"), "same"),
    Rule("across.summary_vs_expenditure", "across_tables",
         "收支总表支出（合计与各功能类，含当年/结转分列）= 支出总表 / 收入总表对应数",
         "Summary expenditure (total and each function class, current/carried-over columns) equals the expenditure and income tables",
         ("summary", "expenditure"), "same"),
    Rule("across.income_vs_expenditure", "across_tables",
         "每个科目：收入总表（本年收入 + 上年结转）= 支出总表合计",
         "Per function code: income (current + carried over) equals expenditure",
         ("income", "expenditure"), "sum"),
    Rule("across.fiscal_vs_tables", "across_tables",
         "财政拨款收支总表 = 一般公共预算支出表 / 收支总表 / 政府性基金表（本年拨款、各功能类、结转）",
         "Fiscal summary agrees with the general-budget, summary and fund tables (current appropriation, classes, carried over)",
         ("fiscal_summary",), "sum"),
    Rule("across.general_vs_expenditure", "across_tables",
         "支出总表基本支出 = 一般公共预算支出表基本支出；项目支出之差 = 上年结转",
         "Basic expenditure equals in the expenditure and general-budget tables; the project difference is the carried-over amount",
         ("expenditure", "general_expenditure"), "sum"),
    Rule("across.basic_total", "across_tables",
         "一般公共预算支出表基本支出 = 基本支出经济分类表合计",
         "General-budget basic expenditure equals the total of the economic-classification table",
         ("general_expenditure", "general_basic_economic"), "same"),
    Rule("across.project_current_total", "across_tables",
         "项目支出表（本年）合计 = 一般公共预算（+政府性基金）项目支出",
         "Project table (current year) total equals general-budget (+ fund) project expenditure",
         ("project_current", "general_expenditure"), "same"),
    Rule("across.carryover_projects", "across_tables",
         "上年结转支出须列于项目支出表（上年结转），且金额相符",
         "Spending carried over from last year must be listed in the carried-over project table, with equal amounts",
         ("project_carryover",), "sum", needs="all"),
    Rule("across.basic_lines_vs_codes", "across_tables",
         "基本支出经济科目（住房公积金、退休费、养老保险、职业年金）与功能科目 2210201 / 2080501 / 2080505 / 2080506 对比",
         "Basic lines (housing fund, pensions, pension insurance, occupational annuity) against function codes 2210201 / 2080501 / 2080505 / 2080506",
         ("general_basic_economic", "general_expenditure"), "sum", on_fail="warning"),
    Rule("across.admin_operation_vs_public", "across_tables",
         "机关运行经费 = 基本支出公用经费（机关运行经费定义）",
         "Administrative operating costs equal basic public expenses (by definition, for administrative units)",
         ("admin_operation", "general_basic_economic"), "same", on_fail="warning"),
    Rule("across.three_public_vehicle_vs_basic", "across_tables",
         "“三公”公务用车运行维护费 ≥ 基本支出公务用车运行维护费",
         "Three-public vehicle operation ≥ the basic-expenditure vehicle operation line",
         ("three_public", "general_basic_economic"), "same"),
    # ---------------------------------------------------------------- narrative
    Rule("narrative.amount", "narrative",
         "情况说明中的金额 = 所复述的表格单元格或公式",
         "Each amount in the narrative equals the table cell or formula it restates",
         (), "same"),
    Rule("narrative.share", "narrative",
         "情况说明中的占比 = 由所印金额重算",
         "Each share in the narrative equals part / whole recomputed from the printed amounts",
         (), "ratio"),
    Rule("narrative.change_rate", "narrative",
         "增减率 = 增减额 / 上年数（上年数 = 本年 ∓ 增减额）",
         "Each change rate equals change / prior year (prior = current ∓ change)",
         (), "ratio"),
    Rule("narrative.sum", "narrative",
         "情况说明内部加总：总额 = Σ其中各项",
         "Totals stated in the narrative equal the sum of the parts it lists",
         (), "sum"),
    Rule("narrative.change_sum", "narrative",
         "情况说明所述增减可加：总额的增减 = Σ各部分的增减（“持平/相同”为 0；层级取自 NARRATIVE_SUMS，如“三公” = 因公出国 + 公务接待 + 公务用车购置及运行费）；未述及全部部分时不适用",
         "Stated changes add up: a total's change against the prior year equals the sum of its parts' stated changes (unchanged = 0; parts from the NARRATIVE_SUMS table); not applicable when a part's change is not stated",
         (), "sum"),
    Rule("narrative.unit_count", "narrative",
         "情况说明所述预算单位数 = 部门整体绩效目标表「所属预算单位数」/ 机关运行经费表、项目支出表列出的单位",
         "Budget-unit counts in the narrative equal the 所属预算单位数 of the department-wide target table and the units the tables list",
         (), "exact"),
    # ---------------------------------------------------------------- performance targets
    Rule("performance.coverage", "performance",
         "项目支出表每一项目有绩效目标表，反之亦然（名称模糊匹配）",
         "Every project line has a performance-target table and vice versa (names matched fuzzily)",
         ("project_current",), "fuzzy"),
    Rule("performance.annual_amount", "performance",
         "绩效目标表年度资金总额（元）= 项目支出表金额（万元 × 10000）",
         "Each target table's annual funding (元) equals its project line (万元 × 10000)",
         ("project_current",), "same"),
    Rule("performance.funding_split", "performance",
         "绩效目标表资金总额 = Σ来源（中央、省级、市县、自筹、其他）",
         "Each target table's funding total equals the sum of its sources",
         (), "exact"),
    Rule("performance.overall", "performance",
         "部门整体支出绩效目标表年度预算 = 一般公共预算支出表合计 / 基本 / 项目",
         "The department-wide target table's budget equals the general-budget totals",
         ("general_expenditure",), "same"),
    Rule("performance.narrative_counts", "performance",
         "情况说明所述绩效目标项目数与金额（含类别）= 由绩效目标表与项目支出表重算",
         "Counts and amounts the narrative states about target tables (and categories) recomputed from the tables",
         (), "same"),
    Rule("performance.stated_arithmetic", "performance",
         "项目文字中的算式（分项合计、人数×标准×月数、总额对资金）",
         "Arithmetic stated inside a project's text (parts to total, persons × rate × months, total vs funding)",
         (), "sum"),
]

RULES_BY_ID = {rule.id: rule for rule in RULES}


def rules_frame():
    """The catalog as a DataFrame (id, family, zh, en, tables, tolerance, on_fail)."""
    import pandas as pd

    return pd.DataFrame(
        [{"rule_id": r.id, "family": r.family, "zh": r.zh, "en": r.en, "tables": ",".join(r.tables), "tolerance": r.tolerance,
          "on_fail": r.on_fail} for r in RULES]
    )
