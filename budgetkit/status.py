"""One vocabulary for what budgetkit concluded about a number — the same words on every page.

Every check ends in one of these statuses (:mod:`budgetkit.checks`), and every page that shows a
number beside a verdict — the reconciliation, the figures, the comparisons, the index — shows the
checks' status with the label and colour given here, never a word of its own.

========== ========= ============================================================================
status     label     meaning
========== ========= ============================================================================
error      错误      the printed numbers contradict each other beyond rounding
warning    存疑      they differ, but a definition or a reading could explain it (see the message)
unreadable 无法读取  a table or number could not be read reliably: not a finding about the document
rounding   舍入差    they differ within the rounding of the printed numbers: not an error
ok         相符      the identity holds exactly
info       说明      a comparison given for information (two classifications that need not agree)
unchecked  未核对    a number of the narrative that no table cell holds: stated, not checked
n/a        不适用    the check needs a table this document does not print (or prints empty)
========== ========= ============================================================================

``severity`` groups statuses for counting (``error``, ``warning``, ``unreadable``, ``rounding``,
``info``); ``passed`` says whether a comparison held (an ``unreadable`` one neither held nor
failed: it counts as not passed, and is never shown as an error).
"""

from __future__ import annotations

from dataclasses import dataclass

OK = "ok"
ROUNDING = "rounding"
ERROR = "error"
WARNING = "warning"
UNREADABLE = "unreadable"
INFO = "info"
UNCHECKED = "unchecked"
NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class Status:
    """One status: id, Chinese label, English label, severity, passed, and a colour for pages."""

    id: str
    label: str
    label_en: str
    severity: str
    passed: bool
    colour: str
    meaning: str


#: Every status, most serious first (the order pages sort by).
STATUSES: dict[str, Status] = {
    s.id: s
    for s in (
        Status(ERROR, "错误", "error", "error", False, "#b2182b", "所印数字互相矛盾，超出舍入容差"),
        Status(WARNING, "存疑", "doubt", "warning", False, "#d6604d", "数字不一致，但口径或读法可能解释（见说明）"),
        Status(UNREADABLE, "无法读取", "unreadable", "unreadable", False, "#8c6bb1", "表格或数字未能可靠读取：不作为文件的错误报告"),
        Status(ROUNDING, "舍入差", "rounding", "rounding", True, "#4393c3", "差额在所印数字的舍入范围内，不是错误"),
        Status(OK, "相符", "holds", "info", True, "#1a9850", "恒等式完全成立"),
        Status(INFO, "说明", "note", "info", True, "#737373", "仅供参考的对照（两种分类不必相等）"),
        Status(UNCHECKED, "未核对", "unchecked", "info", True, "#969696", "情况说明中的数字，没有表格单元格与之对应：已列出，未核对"),
        Status(NOT_APPLICABLE, "不适用", "not applicable", "info", True, "#bdbdbd", "本文件未印（或印为空表）该检查所需的表"),
    )
}
#: Display order of each status (0 = most serious).
STATUS_ORDER = {s: i for i, s in enumerate(STATUSES)}
#: Severities, most serious first (counts in summaries and the index).
SEVERITY_ORDER = {"error": 0, "warning": 1, "unreadable": 2, "rounding": 3, "info": 4}
#: Severity written for each status.
SEVERITY = {s.id: s.severity for s in STATUSES.values()}
#: Whether a status counts as passed.
PASSED = {s.id: s.passed for s in STATUSES.values()}
#: Statuses that call for a reader's attention (the short list of a report).
PROBLEMS = (ERROR, WARNING)
#: Names earlier versions wrote for a status.
_FORMER = {"not_linked": UNCHECKED}


def normalise(status: str | None) -> str | None:
    """A status id as written by any version (``not_linked`` → ``unchecked``)."""
    return _FORMER.get(status, status) if status is not None else None


def label(status: str | None) -> str:
    """The Chinese label of a status (``错误``); an unknown id is shown as given."""
    status = normalise(status)
    return STATUSES[status].label if status in STATUSES else str(status or "")


def worst(statuses) -> str | None:
    """The most serious of some statuses (``None`` for none)."""
    known = [normalise(s) for s in statuses if normalise(s) in STATUSES]
    return min(known, key=STATUS_ORDER.__getitem__) if known else None


def badge(status: str | None) -> str:
    """The status as a small coloured HTML label (the same on every page)."""
    import html

    status = normalise(status)
    if status not in STATUSES:
        return html.escape(str(status or ""))
    s = STATUSES[status]
    return (f'<span class="bk-status bk-{s.id}" title="{html.escape(s.meaning)}" '
            f'style="color:#fff;background:{s.colour};border-radius:3px;padding:0 .35em;white-space:nowrap">{s.label}</span>')


def legend_html() -> str:
    """Every status with its label and meaning, as an HTML list (for the top of a page)."""
    import html

    items = "".join(f"<li>{badge(s)} {html.escape(STATUSES[s].meaning)}</li>" for s in STATUSES)
    return f'<ul class="bk-legend" style="list-style:none;padding-left:0">{items}</ul>'
