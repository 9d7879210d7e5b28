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
# 绩效目标表 against the project table and the narrative. One row per check, passed ones included.
#
# **Rounding rule.** Every printed amount is rounded to its printed precision (0.01 万元 = 100 元,
# or 1 元). A sum of *n* printed parts may differ from a printed total by up to (*n*+1)/2 × step
# without anything being wrong: such a difference is shown as `舍入差` (rounding), never as an
# error. Percentages are recomputed from the printed amounts and allowed half a unit of their last
# digit plus the propagated rounding. All arithmetic is exact (Decimal), never float.
#
# `错误` = the printed numbers contradict each other beyond rounding; `存疑` = they differ, but a
# definition or reading could explain it (see the message); `未关联` = a narrative number with no
# table cell to hold it against (not an error).

# %% tags=["parameters"]
doc_id = "qinshui-police-2025"
processed_dir = "../data/processed"

# %%
import pandas as pd
from IPython.display import Markdown, display

from budgetkit.checks import read_findings, rules_frame
from budgetkit.checks.present import by_family, problems, severity_counts
from budgetkit.report import escape_md, load_processed

pd.set_option("display.max_colwidth", 200)
doc = load_processed(doc_id, processed_dir)
findings = read_findings(doc.path)
display(Markdown(f"## {escape_md(doc.title)}"))
display(severity_counts(findings))

# %% [markdown]
# ## Errors and doubts first
#
# Each with the arithmetic (应为 = recomputed from the printed parts, 印刷值 = printed, 差, 容差) and
# where to look (file, line, table, row).

# %%
issues = problems(findings)
if issues.empty:
    display(Markdown("No error and no doubt: every identity holds (within rounding)."))
else:
    display(issues)

# %% [markdown]
# ## Every check, by family
#
# Within each family: errors, doubts, rounding differences, then the checks that hold.

# %%
for family, title, frame in by_family(findings):
    display(Markdown(f"### {escape_md(title)} — {len(frame)} checks"))
    display(frame)

# %% [markdown]
# ## Narrative coverage
#
# Every amount and rate the 情况说明 states: how many a rule held against a table cell or against
# other printed numbers, and why the others are not checked.

# %%
from budgetkit.checks.coverage import coverage_tables

coverage_counts, unchecked_claims = coverage_tables(doc.path)
display(coverage_counts)
display(unchecked_claims)

# %% [markdown]
# ## The rules
#
# The catalog the checks above come from: id, family, what it checks, the tables it needs and its
# tolerance (`sum` = (n+1)/2 × step, `same` = one step, `ratio` = half a printed digit + propagated
# rounding, `fuzzy` = names matched with rapidfuzz).

# %%
display(rules_frame())
