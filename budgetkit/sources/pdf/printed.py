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
from budgetkit.sources.pdf.geometry import PageGeometry, Word, is_amount_token, line_words, text_lines
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
    if sum(1 for g in geometry.glyphs if g.text in ".,") < MIN_AMOUNTS_PER_TABLE_PAGE:
        return found  # no decimal point or thousands separator: no amount printed on this page
    verticals = [r for r in geometry.rules if not r.horizontal]
    lines = text_lines(geometry.glyphs, settings)
    cuts_of = [[r.x0 for r in verticals if r.y0 <= _middle(line) <= r.y1] for line in lines]
    split = [line_words(line, settings, cuts) for line, cuts in zip(lines, cuts_of)]
    _join_wrapped_numbers(split, [r for r in geometry.rules if r.horizontal])
    for line, words, cuts in zip(lines, split, cuts_of):
        heights = sorted(g.height for g in line)
        em = max(heights[len(heights) // 2], 1.0)
        for k, word in enumerate(words):
            text = word.text
            if not is_amount_token(text):
                continue
            cx, cy = (word.x0 + word.x1) / 2, word.cy
            in_ruled = any(t.left - 1 <= cx <= t.right + 1 and t.top - 1 <= cy <= t.bottom + 1 for t in ruled)
            # A number inside a sentence (面积 5137.26 平方米 — in a cell of text, or in the
            # narrative) is not a table amount; a rule between two words makes them different cells.
            before = words[k - 1] if k > 0 else None
            after = words[k + 1] if k + 1 < len(words) else None
            if before is not None and not any(before.x1 <= x <= word.x0 for x in cuts) and _SENTENCE_NEIGHBOUR_RE.search(before.text[-1:]) and word.x0 - before.x1 < TABLE_GAP_EM * em:
                continue
            if after is not None and not any(word.x1 <= x <= after.x0 for x in cuts) and _SENTENCE_NEIGHBOUR_RE.search(after.text[:1]) and after.x0 - word.x1 < TABLE_GAP_EM * em:
                continue
            found.append(PrintedAmount(file, geometry.number, text, word.x0, word.top, word.x1, word.bottom, in_ruled))
    if len(found) < MIN_AMOUNTS_PER_TABLE_PAGE:
        return []
    return found


def _middle(line) -> float:
    return (min(g.top for g in line) + max(g.bottom for g in line)) / 2


def _join_wrapped_numbers(lines: list[list[Word]], horizontal: list) -> None:
    """A number wrapped in a narrow cell prints its last digits on the next line (576,171.1 / 1):
    the fragment — a short run of digits right below the number's end, with no rule between
    (a rule would make it the next row's cell) — is joined to it."""
    for k in range(len(lines) - 1):
        for word in lines[k]:
            if not _NUMBERISH_RE.match(word.text) or not is_amount_token(word.text) and not word.text.endswith((".", ",")):
                continue
            height = word.bottom - word.top
            joined = False
            for below in lines[k + 1:k + 4]:  # the next lines down (other cells' lines may come between)
                for fragment in below:
                    if (re.fullmatch(r"\d{1,3}", fragment.text) and 0 <= fragment.top - word.bottom <= 0.8 * height
                            and word.x0 - 1 <= fragment.x0 and fragment.x1 <= word.x1 + 2 * height
                            and not any(word.cy < r.y0 < fragment.cy and r.x0 <= fragment.x0 and r.x1 >= fragment.x1 for r in horizontal)):
                        word.text += fragment.text
                        word.x1 = max(word.x1, fragment.x1)
                        below.remove(fragment)
                        joined = True
                        break
                if joined:
                    break


_NUMBERISH_RE = re.compile(r"^[-−]?[\d,.]+$")
