"""budgetkit's own table finder: ruled tables rebuilt from the page's rules and glyph boxes.

A ruled table is a set of horizontal and vertical rules that meet. Their positions cut the
table into atomic cells; where the rule between two atomic cells is missing they form one
merged cell. Every glyph then goes to the cell its centre falls in — so a rule crossing a
number never cuts a digit off, a merged header never shifts the cells after it, and a cell
keeps its whole text. Tables come out in the :class:`~budgetkit.sources.pdf.page.PageTable`
form the other backends give, so one assembly serves them all.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from pathlib import Path

from budgetkit.sources.pdf.geometry import Glyph, PageGeometry, Rule, read_page_geometry, text_lines
from budgetkit.sources.pdf.page import Cell, PageTable
from budgetkit.sources.pdf.settings import DEFAULT_SETTINGS, ReaderSettings


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _components(rules: list[Rule], settings: ReaderSettings) -> list[list[Rule]]:
    """Groups of rules that meet (one ruled table each)."""
    horizontal = [r for r in rules if r.horizontal]
    vertical = sorted((r for r in rules if not r.horizontal), key=lambda r: r.x0)
    xs = [v.x0 for v in vertical]
    nh = len(horizontal)
    uf = _UnionFind(nh + len(vertical))
    tol = settings.rule_touch
    for i, h in enumerate(horizontal):
        lo = bisect_right(xs, h.x0 - tol - 1e-9)
        hi = bisect_right(xs, h.x1 + tol)
        for k in range(lo, hi):
            v = vertical[k]
            if v.y0 - tol <= h.y0 <= v.y1 + tol:
                uf.union(i, nh + k)
    groups: dict[int, list[Rule]] = {}
    for i, rule in enumerate(horizontal + vertical):
        groups.setdefault(uf.find(i), []).append(rule)
    return list(groups.values())


def _cluster(values: list[float], tolerance: float) -> list[float]:
    out: list[float] = []
    for value in sorted(values):
        if out and value - out[-1] <= tolerance:
            continue
        out.append(value)
    return out


def _coverage(intervals: list[tuple[float, float]], start: float, end: float) -> float:
    """Share of [start, end] covered by the (possibly overlapping) intervals."""
    if end <= start:
        return 1.0
    covered = 0.0
    cursor = start
    for a, b in sorted(intervals):
        a, b = max(a, cursor), min(b, end)
        if b > a:
            covered += b - a
            cursor = b
    return covered / (end - start)


def _by_position(rules: list[Rule], positions: list[float], horizontal: bool, tolerance: float) -> list[list[tuple[float, float]]]:
    """For each grid line position, the intervals rules cover along it."""
    out: list[list[tuple[float, float]]] = [[] for _ in positions]
    for rule in rules:
        at = rule.y0 if horizontal else rule.x0
        k = min(range(len(positions)), key=lambda i: abs(positions[i] - at))
        if abs(positions[k] - at) <= tolerance:
            out[k].append((rule.x0, rule.x1) if horizontal else (rule.y0, rule.y1))
    return out


def _cell_text(glyphs: list[Glyph], settings: ReaderSettings) -> str:
    """The text of one cell: its lines top to bottom, a space where a line has a wide gap."""
    parts: list[str] = []
    if not glyphs:
        return ""
    top, bottom = min(g.top for g in glyphs), max(g.bottom for g in glyphs)
    if bottom - top <= 1.5 * max(g.height for g in glyphs):
        lines = [sorted(glyphs, key=lambda g: g.x0)]  # one line of text (most cells): no grouping needed
    else:
        lines = text_lines(glyphs, settings)
    for line in lines:
        heights = sorted(g.height for g in line)
        em = max(heights[len(heights) // 2], 1.0)
        text = line[0].text
        for prev, glyph in zip(line, line[1:]):
            if glyph.space_before or glyph.x0 - prev.x1 > settings.word_gap_em * em:
                text += " "
            text += glyph.text
        parts.append(text)
    if len(parts) > 1 and all(_NUMBER_PART_RE.match(p) for p in parts):
        return "".join(parts)  # a number wrapped in a narrow cell (576,171.1 / 1)
    joined = ""
    for part in parts:
        # Chinese wraps mid-word: no space between lines, except between two Latin/digit runs.
        if joined and part[:1].isascii() and part[:1].isalnum() and joined[-1:].isascii() and joined[-1:].isalnum():
            joined += " "
        joined += part
    return joined


_NUMBER_PART_RE = re.compile(r"^[-−]?[\d,.]+$")


def grid_tables(geometry: PageGeometry, settings: ReaderSettings = DEFAULT_SETTINGS) -> list[PageTable]:
    """The ruled tables of one page, top to bottom, with every glyph placed in its cell."""
    tables: list[PageTable] = []
    used: set[int] = set()
    for group in _components(geometry.rules, settings):
        horizontal = [r for r in group if r.horizontal]
        vertical = [r for r in group if not r.horizontal]
        if len(horizontal) < settings.min_table_rules or len(vertical) < settings.min_table_rules:
            continue
        left = min(min(r.x0 for r in horizontal), min(r.x0 for r in vertical))
        right = max(max(r.x1 for r in horizontal), max(r.x0 for r in vertical))
        top = min(min(r.y0 for r in vertical), min(r.y0 for r in horizontal))
        bottom = max(max(r.y1 for r in vertical), max(r.y0 for r in horizontal))
        xs = _cluster([r.x0 for r in vertical] + [left, right], settings.rule_snap)
        ys = _cluster([r.y0 for r in horizontal] + [top, bottom], settings.rule_snap)
        if len(xs) < 2 or len(ys) < 2:
            continue
        ncol, nrow = len(xs) - 1, len(ys) - 1
        v_at = _by_position(vertical, xs, False, settings.rule_snap)
        h_at = _by_position(horizontal, ys, True, settings.rule_snap)
        uf = _UnionFind(nrow * ncol)
        for i in range(nrow):
            for j in range(ncol):
                # No rule between two atomic cells: one merged cell.
                if j + 1 < ncol and _coverage(v_at[j + 1], ys[i], ys[i + 1]) < settings.border_coverage:
                    uf.union(i * ncol + j, i * ncol + j + 1)
                if i + 1 < nrow and _coverage(h_at[i + 1], xs[j], xs[j + 1]) < settings.border_coverage:
                    uf.union(i * ncol + j, (i + 1) * ncol + j)
        members: dict[int, list[int]] = {}
        for k in range(nrow * ncol):
            members.setdefault(uf.find(k), []).append(k)
        content: dict[int, list[Glyph]] = {}
        for index, glyph in enumerate(geometry.glyphs):
            if index in used:
                continue
            cx, cy = glyph.cx, glyph.cy
            if not (xs[0] <= cx <= xs[-1] and ys[0] <= cy <= ys[-1]):
                continue
            j = min(bisect_right(xs, cx) - 1, ncol - 1)
            i = min(bisect_right(ys, cy) - 1, nrow - 1)
            content.setdefault(uf.find(i * ncol + j), []).append(glyph)
            used.add(index)
        rows: dict[int, list[Cell]] = {}
        for root, cells in members.items():
            i0 = min(k // ncol for k in cells)
            i1 = max(k // ncol for k in cells)
            j0 = min(k % ncol for k in cells)
            j1 = max(k % ncol for k in cells)
            text = _cell_text(content.get(root, []), settings)
            rows.setdefault(i0, []).append(Cell(text, xs[j0], ys[i0], xs[j1 + 1] - xs[j0], ys[i1 + 1] - ys[i0]))
        ordered = [sorted(rows[i], key=lambda c: c.left) for i in sorted(rows)]
        # Rows that hold no text at all are ruling artefacts (blank filler rows keep their cells).
        ordered = [r for r in ordered if r]
        if ordered:
            tables.append(PageTable(geometry.number, ys[0], ys[-1], xs[0], xs[-1], ordered))
    tables.sort(key=lambda t: (t.top, t.left))
    return tables


def tables_grid(path: Path, settings: ReaderSettings = DEFAULT_SETTINGS) -> dict[int, list[PageTable]]:
    """All ruled tables of a PDF, by page number."""
    import pypdfium2 as pdfium

    out: dict[int, list[PageTable]] = {}
    pdf = pdfium.PdfDocument(str(path))
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            geometry = read_page_geometry(page, page.get_textpage(), index + 1, settings)
            tables = grid_tables(geometry, settings)
            if tables:
                out[index + 1] = tables
    finally:
        pdf.close()
    return out
