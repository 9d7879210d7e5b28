"""Narrative rule on performance scores: a 得分率 against the 分值 and 得分 printed beside it.

A 绩效自评 report states each indicator as ``该指标分值 20 分，得分 17.90 分，得分率 89.50%`` (or
``赋分100分，综合得分100分，得分率为100%``). The rate is recomputed as 得分 / 分值 with the rounding
of the printed score propagated (:func:`budgetkit.checks.arithmetic.compare_ratio`):

* ``narrative.score_rate`` — a 得分率 equals the score over the full score printed right before it
  in the same sentence. A rate with no such pair beside it is not looked at.
"""

from __future__ import annotations

import re
from decimal import Decimal

from budgetkit.checks.arithmetic import Quantity, compare_ratio
from budgetkit.checks.engine import Context, Rule, from_ratio, implements
from budgetkit.checks.narrative_rules import about, claim_quantity, claims_of

_NUM = r"\d+(?:\.\d+)?"
#: 分值 N 分，得分 M 分，得分率 R% (the three in one run, nothing else between them but a few words).
SCORE_RE = re.compile(
    rf"(?:分值|赋分|满分|总分)\s*(?:为|是)?\s*(?P<full>{_NUM})\s*分\s*[，,、；;]?\s*[^，,。；;%％\d]{{0,6}}?得分\s*(?:为|是)?\s*"
    rf"(?P<score>{_NUM})\s*分\s*[，,、；;]?\s*得分率\s*(?:为|是|达)?\s*(?P<rate>{_NUM})\s*[%％]")


@implements("narrative.score_rate")
def narrative_score_rate(ctx: Context, rule: Rule):
    claims = claims_of(ctx)
    for claim in claims:
        if claim.kind not in ("percent", "share") or claim.unit not in ("%", "％"):
            continue
        sentence = claim.sentence or ""
        match = next((m for m in SCORE_RE.finditer(sentence) if m.group("rate") == claim.text.rstrip("%％ ").strip()), None)
        if match is None:
            continue
        where = claim_quantity(claim).where
        # scores in a money unit's stead only so the printed digits give their rounding (the units cancel)
        full = Quantity(Decimal(match.group("full")), "元", match.group("full"), "分值", where)
        score = Quantity(Decimal(match.group("score")), "元", match.group("score"), "得分", where)
        outcome = compare_ratio(claim.value, claim.text, score, full)
        if outcome is None:
            continue
        what = f"情况说明 分值 {full.text} 分、得分 {score.text} 分，得分率 {claim.text}：重算 {score.text} / {full.text}"
        yield about(from_ratio(rule, outcome, what, [score, full]), claim)
