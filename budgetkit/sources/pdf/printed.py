"""The amounts a page prints in its tables, read straight off the text layer — no table reader involved.

This is the reference the reading is measured against (see :mod:`budgetkit.reading`): for each
page, every word that is an amount alone (``2,776.75``, ``0.00``; not a 科目编码, year, count or
page number) and stands in a table — inside a ruled area, or set apart from its neighbours on
the line as table cells are — rather than inside a sentence of the narrative (``收入30,331.26万元``,
``增长 12.5 %``).
"""

from __future__ import annotations

import re

from budgetkit.model import PrintedAmount
from budgetkit.sources.pdf.geometry import PageGeometry, is_amount_token, line_words, text_lines
from budgetkit.sources.pdf.page import PageTable
from budgetkit.sources.pdf.settings import DEFAULT_SETTINGS, ReaderSettings

# A word that reads on from a number in a sentence: 万元, 元, %, 亿, 个, 人 …
_SENTENCE_NEIGHBOUR_RE = re.compile(r"[\u3400-\u9fff%％‰]")
#: An amount on its own line (not in a ruled area) is a table cell only when a gap this wide
#: (in glyph heights) separates it from CJK text on its line.
TABLE_GAP_EM = 1.0
#: A page is a table page when it prints at least this many table amounts.
MIN_AMOUNTS_PER_TABLE_PAGE = 2


def printed_amounts(
    file: str, geometry: PageGeometry, ruled: list[PageTable], settings: ReaderSettings = DEFAULT_SETTINGS
) -> list[PrintedAmount]:
    """The table amounts one page prints (empty when the page holds fewer than two).

    Args:
        file: The file name recorded on each amount.
        geometry: The page's glyphs and rules.
        ruled: The ruled table areas found on the page.
        settings: Reader tolerances.
    """
    found: list[PrintedAmount] = []
    verticals = [r for r in geometry.rules if not r.horizontal]
    for line in text_lines(geometry.glyphs, settings):
        top, bottom = min(g.top for g in line), max(g.bottom for g in line)
        middle = (top + bottom) / 2
        cuts = [r.x0 for r in verticals if r.y0 <= middle <= r.y1]
        words = line_words(line, settings, cuts)
        heights = sorted(g.height for g in line)
        em = max(heights[len(heights) // 2], 1.0)
        for k, word in enumerate(words):
            text = word.text
            if not is_amount_token(text):
                continue
            cx, cy = (word.x0 + word.x1) / 2, word.cy
            in_ruled = any(t.left - 1 <= cx <= t.right + 1 and t.top - 1 <= cy <= t.bottom + 1 for t in ruled)
            if not in_ruled:
                before = words[k - 1] if k > 0 else None
                after = words[k + 1] if k + 1 < len(words) else None
                if before is not None and _SENTENCE_NEIGHBOUR_RE.search(before.text[-1:]) and word.x0 - before.x1 < TABLE_GAP_EM * em:
                    continue
                if after is not None and _SENTENCE_NEIGHBOUR_RE.search(after.text[:1]) and after.x0 - word.x1 < TABLE_GAP_EM * em:
                    continue
            found.append(PrintedAmount(file, geometry.number, text, word.x0, word.top, word.x1, word.bottom, in_ruled))
    if len(found) < MIN_AMOUNTS_PER_TABLE_PAGE:
        return []
    return found
