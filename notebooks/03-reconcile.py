# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 03 · 勾稽核对 — where the disclosure's numbers do not agree with each other
#
# Every rule of `budgetkit.checks` was run on this disclosure: identities inside a table, the same
# quantity across tables, each number of the 情况说明 against the cell it restates, and the
# 绩效目标表 against the project table and the narrative. First the few things a reader should
# look at — each with the arithmetic, where it stands and the printed page itself — then the
# counts, then every check in a table you can sort and filter.
#
# **Rounding rule.** Every printed amount is rounded to its printed precision (0.01 万元 = 100 元,
# or 1 元). A sum of *n* printed parts may differ from a printed total by up to (*n*+1)/2 × step
# without anything being wrong: such a difference is `舍入差`, never an error. Percentages are
# recomputed from the printed amounts within half a unit of their last digit plus the propagated
# rounding. All arithmetic is exact (Decimal), never float.

# %% tags=["parameters"]
doc_id = "qinshui-police-2025"
processed_dir = "../data/processed"
out_dir = "../reports/qinshui-police-2025"
root_dir = ".."

# %%
from budgetkit import pages
from budgetkit.checks import rules_frame

doc = pages.load(doc_id, processed_dir)
findings = doc.findings
sources = pages.Sources.of(doc, root_dir)
pages.show_html(pages.header_html(doc) + pages.counts_html(findings))

# %% [markdown]
# ## 需要注意 · errors and doubts
#
# Each as a sentence: what the disclosure prints, what its own numbers give, the difference and
# the rounding allowed, where to look — and the printed page around the numbers (marked), or the
# lines of a text dump.

# %%
from budgetkit.checks.coverage import coverage_tables, format_coverage, read_coverage

coverage, _ = read_coverage(doc.path)
problems = findings[findings["status"].isin(["error", "warning"])]
if problems.empty:
    unchecked_n = (coverage or {}).get("unchecked", 0)
    pages.show_html("<p>没有错误，也没有存疑之处：核对到的恒等式都成立（舍入差除外）。"
                    + (f"但情况说明中有 {unchecked_n} 个金额或比率没有核对，列在下面。" if unchecked_n else "")
                    + "</p>")
else:
    from budgetkit.checks.engine import sort_findings

    cards = [pages.finding_card(row, sources=sources) for row in sort_findings(problems).to_dict("records")]
    pages.show_html(f"<p>{len(problems)} 处（错误在前，存疑在后）：</p>" + "".join(cards))

# %% [markdown]
# ## 计数 · what was checked
#
# How many checks ran and how they ended; the numbers of the narrative that no table holds are
# listed (they were stated, not checked); comparisons on tables that could not be read reliably
# are listed apart — they say nothing about the document.

# %%
counts = findings["status"].value_counts()
pages.show_html(
    "<ul>"
    f"<li>核对 {len(findings)} 项：相符 {int(counts.get('ok', 0))}，舍入差 {int(counts.get('rounding', 0))}，"
    f"错误 {int(counts.get('error', 0))}，存疑 {int(counts.get('warning', 0))}，说明 {int(counts.get('info', 0))}，"
    f"不适用 {int(counts.get('not_applicable', 0))}。</li>"
    f"<li>{pages.escape(format_coverage(coverage)) if coverage else '情况说明：没有读到金额或比率'}。</li>"
    f"<li>无法读取：{int(counts.get('unreadable', 0))} 项核对落在未能可靠读取的表上，不作错误报告。</li>"
    "</ul>" + pages.status_legend())
coverage_counts, unchecked = coverage_tables(doc.path)
if not unchecked.empty:
    pages.show_html(f"<details class='bk-list'><summary>未核对的 {len(unchecked)} 个金额和比率（及原因）</summary>"
                    + pages.table_html(unchecked, sortable=True) + "</details>")
unreadable = findings[findings["status"] == "unreadable"]
if not unreadable.empty:
    pages.show_html(f"<details class='bk-list'><summary>无法读取的 {len(unreadable)} 项</summary>"
                    + pages.table_html(pages.findings_table(unreadable)) + "</details>")

# %% [markdown]
# ## 全部核对 · every check
#
# Click a column header to sort; type to filter; the buttons show one status only.

# %%
pages.show(pages.findings_table(findings), sortable=True)

# %% [markdown]
# ## The rules
#
# The catalog the checks above come from: id, family, what it checks, the tables it needs and its
# tolerance (`sum` = (n+1)/2 × step, `same` = one step, `ratio` = half a printed digit + propagated
# rounding, `fuzzy` = names matched with rapidfuzz).

# %%
pages.show_html("<details class='bk-list'><summary>规则目录</summary>" + pages.table_html(rules_frame()) + "</details>")
