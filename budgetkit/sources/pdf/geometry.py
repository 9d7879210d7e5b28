"""What a PDF page prints, as geometry: every glyph with its box, every ruling line, text lines and words.

All coordinates are PDF points on the page as displayed (rotation applied), ``x`` from the left
edge and ``y`` from the top edge, the convention of tabula and pdfplumber. Glyphs come from
pdfium's text page (one per printed character; spaces and characters pdfium generates are
dropped); ruling lines from the page's path objects (stroked segments, thin filled rectangles,
the edges of filled cell rectangles), followed into form XObjects.
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass

from budgetkit.sources.pdf.settings import DEFAULT_SETTINGS, ReaderSettings

# An amount as tables print it: 1,234.56 / 1234.56 / -0.50 (not 2026, not 201 or 2010301).
AMOUNT_TOKEN_RE = re.compile(r"^[-−]?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+)$")
_SKIP = {0x20, 0x0D, 0x0A, 0x09, 0xA0, 0x3000, 0xFFFE, 0x02, 0x00}


@dataclass(frozen=True, slots=True)
class Glyph:
    """One printed character and its box."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    space_before: bool = False  # pdfium saw a space (printed or generated) before this glyph

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True, slots=True)
class Rule:
    """A ruling line: horizontal (``y0 == y1``) or vertical (``x0 == x1``)."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def horizontal(self) -> bool:
        return self.y0 == self.y1


@dataclass(slots=True)
class Word:
    """Glyphs of one line printed without a wide gap between them."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class PageGeometry:
    """Glyphs and rules of one page."""

    number: int
    width: float
    height: float
    glyphs: list[Glyph]
    rules: list[Rule]


def _display_transform(page, rotation: int):
    """A function from PDF user space to displayed (x right, y down) coordinates."""
    left, bottom, right, top = page.get_cropbox()
    if rotation == 90:
        return lambda x, y: (y - bottom, x - left)
    if rotation == 180:
        return lambda x, y: (right - x, y - bottom)
    if rotation == 270:
        return lambda x, y: (top - y, right - x)
    return lambda x, y: (x - left, top - y)


def page_glyphs(textpage, transform, ink_boxes: dict[int, tuple[float, float, float, float]] | None = None) -> list[Glyph]:
    """Every printed character of a text page with its box, in displayed coordinates.

    The box is pdfium's loose box (the glyph's advance and the font's ascent and descent) where
    it is sane, else the ink box: ink boxes of narrow digits (``1``, ``.``) leave gaps inside a
    number that look like word breaks, and a comma below the baseline would fall off its line.

    Args:
        textpage: The pdfium text page.
        transform: From PDF user space to displayed coordinates.
        ink_boxes: When given, filled with each character's ink box as pdfium gives it, by character
            index, in user space (``textpage.get_charbox(i)``: left, bottom, right, top), for
            the page's line boxes to reuse.
    """
    import pypdfium2.raw as raw

    n = raw.FPDFText_CountChars(textpage)
    left, right, bottom, top = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    loose = raw.FS_RECTF()
    get_box, get_loose, get_unicode = raw.FPDFText_GetCharBox, raw.FPDFText_GetLooseCharBox, raw.FPDFText_GetUnicode
    # The page's text in one call when it maps one character to one index (it does, but for
    # characters outside the BMP): one call less per glyph.
    text = textpage.get_text_range() if n else ""
    codes = [ord(c) for c in text] if len(text) == n else None
    out: list[Glyph] = []
    space = False
    for i in range(n):
        code = codes[i] if codes is not None else get_unicode(textpage, i)
        if code in _SKIP:  # (the characters pdfium generates are spaces and line breaks)
            space = True
            continue
        if not get_box(textpage, i, left, right, bottom, top):
            continue
        x0, x1, y0, y1 = left.value, right.value, bottom.value, top.value
        if ink_boxes is not None:
            ink_boxes[i] = (x0, y0, x1, y1)
        # CJK ideographs fill their em box: their ink box is enough (and a third fewer calls).
        if not 0x4E00 <= code <= 0x9FFF and get_loose(textpage, i, loose):
            ink = y1 - y0
            # The font size is asked only when the loose box is much larger than the ink (a
            # comma, a dot): asking it for every glyph costs a fifth of the page's time.
            size = max(ink, 1.0) if loose.top - loose.bottom <= 2 * ink else max(raw.FPDFText_GetFontSize(textpage, i), ink, 1.0)
            # Loose boxes are the font's advance and its ascent–descent: the same height for
            # every glyph of a line, so a comma below the baseline or a quote above the
            # x-height stays on its line. Taken only when sane (holding the ink box, not
            # wider or taller than two font sizes).
            if loose.right - loose.left <= 2 * size and loose.left <= x0 + 0.5 and loose.right >= x1 - 0.5:
                x0, x1 = loose.left, loose.right
            if loose.top - loose.bottom <= 2 * size and loose.bottom <= y0 + 0.5 and loose.top >= y1 - 0.5:
                y0, y1 = loose.bottom, loose.top
        xa, ya = transform(x0, y0)
        xb, yb = transform(x1, y1)
        out.append(Glyph(chr(code), min(xa, xb), max(xa, xb), min(ya, yb), max(ya, yb), space))
        space = False
    return out


def _multiply(m1: tuple, m2: tuple) -> tuple:
    """Compose two PDF matrices (a, b, c, d, e, f): first ``m1``, then ``m2``."""
    a1, b1, c1, d1, e1, f1 = m1
    a2, b2, c2, d2, e2, f2 = m2
    return (
        a1 * a2 + b1 * c2, a1 * b2 + b1 * d2,
        c1 * a2 + d1 * c2, c1 * b2 + d1 * d2,
        e1 * a2 + f1 * c2 + e2, e1 * b2 + f1 * d2 + f2,
    )


def _object_matrix(obj) -> tuple:
    import pypdfium2.raw as raw

    m = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, m):
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _path_segments(obj, matrix: tuple) -> list[list[tuple[float, float]]]:
    """The straight sub-paths of a path object as point lists in user space (curves dropped)."""
    import pypdfium2.raw as raw

    a, b, c, d, e, f = matrix
    x, y = ctypes.c_float(), ctypes.c_float()
    subpaths: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    start: tuple[float, float] | None = None
    bezier: list[tuple[float, float]] = []  # control points of the cubic being read
    for i in range(raw.FPDFPath_CountSegments(obj)):
        segment = raw.FPDFPath_GetPathSegment(obj, i)
        raw.FPDFPathSegment_GetPoint(segment, x, y)
        point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        kind = raw.FPDFPathSegment_GetType(segment)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            if len(current) > 1:
                subpaths.append(current)
            current, start = [point], point
        elif kind == raw.FPDF_SEGMENT_LINETO:
            current.append(point)
        else:
            # A cubic comes as three points. One whose control points lie on the line between
            # its ends is drawn straight (some producers draw every rule that way): a line.
            bezier.append(point)
            if len(bezier) < 3:
                continue
            origin = current[-1] if current else bezier[0]
            if _straight(origin, bezier):
                current.append(bezier[-1])
            else:  # a real curve: not a ruling line; end the straight run here
                if len(current) > 1:
                    subpaths.append(current)
                current = [bezier[-1]]
            bezier = []
        if raw.FPDFPathSegment_GetClose(segment) and start is not None and current and current[-1] != start:
            current.append(start)
    if len(current) > 1:
        subpaths.append(current)
    return subpaths


def _straight(origin: tuple[float, float], bezier: list[tuple[float, float]], tolerance: float = 0.5) -> bool:
    """Whether a cubic from ``origin`` through ``bezier`` (c1, c2, end) is a horizontal or vertical line."""
    points = [origin, *bezier]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return max(ys) - min(ys) <= tolerance or max(xs) - min(xs) <= tolerance


def page_rules(page, transform, page_area: float, settings: ReaderSettings = DEFAULT_SETTINGS) -> list[Rule]:
    """The ruling lines a page draws, in displayed coordinates, snapped and joined.

    Stroked straight segments that are horizontal or vertical count, and so do filled
    rectangles thin enough to be a line; a filled rectangle larger than that gives its four
    edges (tables drawn as filled cells) unless it is a page background.
    """
    import pypdfium2.raw as raw

    raw_rules: list[Rule] = []
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()

    def visit(handle, parent: tuple, depth: int) -> None:
        kind = raw.FPDFPageObj_GetType(handle)
        if kind != raw.FPDF_PAGEOBJ_PATH and kind != raw.FPDF_PAGEOBJ_FORM:
            return  # text and images draw no rules
        matrix = _multiply(_object_matrix(handle), parent)
        if kind == raw.FPDF_PAGEOBJ_FORM and depth < 8:
            for k in range(raw.FPDFFormObj_CountObjects(handle)):
                visit(raw.FPDFFormObj_GetObject(handle, k), matrix, depth + 1)
            return
        if kind != raw.FPDF_PAGEOBJ_PATH:
            return
        raw.FPDFPath_GetDrawMode(handle, fill_mode, stroke)
        filled = fill_mode.value != 0
        for points in _path_segments(handle, matrix):
            shown = [transform(px, py) for px, py in points]
            xs = [p[0] for p in shown]
            ys = [p[1] for p in shown]
            w, h = max(xs) - min(xs), max(ys) - min(ys)
            if filled and not stroke.value:
                if w <= settings.rule_max_thickness and h >= settings.rule_min_length:
                    raw_rules.append(Rule((min(xs) + max(xs)) / 2, min(ys), (min(xs) + max(xs)) / 2, max(ys)))
                    continue
                if h <= settings.rule_max_thickness and w >= settings.rule_min_length:
                    raw_rules.append(Rule(min(xs), (min(ys) + max(ys)) / 2, max(xs), (min(ys) + max(ys)) / 2))
                    continue
                if w * h > settings.background_max_share * page_area:
                    continue
            for (xa, ya), (xb, yb) in zip(shown, shown[1:]):
                if abs(ya - yb) <= 0.5 and abs(xa - xb) >= settings.rule_min_length:
                    raw_rules.append(Rule(min(xa, xb), (ya + yb) / 2, max(xa, xb), (ya + yb) / 2))
                elif abs(xa - xb) <= 0.5 and abs(ya - yb) >= settings.rule_min_length:
                    raw_rules.append(Rule((xa + xb) / 2, min(ya, yb), (xa + xb) / 2, max(ya, yb)))

    identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    get_object, get_type = raw.FPDFPage_GetObject, raw.FPDFPageObj_GetType
    drawn = (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM)
    for k in range(raw.FPDFPage_CountObjects(page)):
        handle = get_object(page, k)
        if get_type(handle) in drawn:  # (most objects are text: skipped without a call)
            visit(handle, identity, 0)
    return merge_rules(raw_rules, settings)


def merge_rules(rules: list[Rule], settings: ReaderSettings = DEFAULT_SETTINGS) -> list[Rule]:
    """Snap parallel rules closer than ``rule_snap`` to one line and join collinear pieces."""
    out: list[Rule] = []
    for horizontal in (True, False):
        # (position, start, end) along the rule's own axis
        items = sorted(
            ((r.y0, r.x0, r.x1) if horizontal else (r.x0, r.y0, r.y1)) for r in rules if r.horizontal == horizontal
        )
        groups: list[list[tuple[float, float, float]]] = []
        for item in items:
            if groups and item[0] - groups[-1][-1][0] <= settings.rule_snap:
                groups[-1].append(item)
            else:
                groups.append([item])
        for group in groups:
            position = sum(g[0] for g in group) / len(group)
            spans = sorted((g[1], g[2]) for g in group)
            start, end = spans[0]
            for a, b in spans[1:]:
                if a <= end + settings.rule_join:
                    end = max(end, b)
                else:
                    out.append(Rule(start, position, end, position) if horizontal else Rule(position, start, position, end))
                    start, end = a, b
            out.append(Rule(start, position, end, position) if horizontal else Rule(position, start, position, end))
    return out


def read_page_geometry(page, textpage, number: int, settings: ReaderSettings = DEFAULT_SETTINGS,
                       ink_boxes: dict[int, tuple[float, float, float, float]] | None = None) -> PageGeometry:
    """Glyphs and rules of one pdfium page, in displayed coordinates (``ink_boxes``: see :func:`page_glyphs`)."""
    import pypdfium2.raw as raw

    rotation = raw.FPDFPage_GetRotation(page) * 90
    transform = _display_transform(page, rotation)
    width, height = page.get_size()  # as displayed (rotation applied)
    # Only what the page shows: content placed outside the page box is not printed.
    glyphs = [g for g in page_glyphs(textpage, transform, ink_boxes) if 0 <= g.cx <= width and 0 <= g.cy <= height]
    glyphs = _without_overprints(glyphs)
    rules = page_rules(page, transform, width * height, settings)
    return PageGeometry(number, width, height, glyphs, rules)


def _without_overprints(glyphs: list[Glyph], tolerance: float = 1.0) -> list[Glyph]:
    """Drop a glyph printed again on itself, a hair to the side (titles made bold by printing
    each character twice: 预预算算 → 预算)."""
    # Sorted by text and position, a copy stands right after its original (a few other glyphs
    # of the same text may come between: look back a little).
    order = sorted(range(len(glyphs)), key=lambda k: (glyphs[k].text, glyphs[k].top, glyphs[k].x0))
    duplicate = [False] * len(glyphs)
    for n, k in enumerate(order):
        g = glyphs[k]
        for m in range(n - 1, max(-1, n - 6), -1):
            h = glyphs[order[m]]
            if h.text != g.text or g.top - h.top > tolerance:
                break
            if not duplicate[order[m]] and abs(h.x0 - g.x0) <= tolerance:
                duplicate[k] = True
                break
    return [g for k, g in enumerate(glyphs) if not duplicate[k]]


def text_lines(glyphs: list[Glyph], settings: ReaderSettings = DEFAULT_SETTINGS) -> list[list[Glyph]]:
    """Glyphs grouped into visual lines (top to bottom), each sorted left to right."""
    lines: list[list[Glyph]] = []
    tops: list[float] = []
    bottoms: list[float] = []  # vertical extent of each line so far
    share = settings.line_overlap
    for glyph in sorted(glyphs, key=lambda g: (g.top + g.bottom, g.x0)):
        g_top, g_bottom = glyph.top, glyph.bottom
        height = max(g_bottom - g_top, 0.1)
        placed = False
        # Only the last few lines can still receive a glyph (sorted by centre).
        for k in range(len(lines) - 1, max(-1, len(lines) - 4), -1):
            top, bottom = tops[k], bottoms[k]
            overlap = (bottom if bottom < g_bottom else g_bottom) - (top if top > g_top else g_top)
            span = bottom - top
            if overlap >= share * (height if height < span else span):
                lines[k].append(glyph)
                if g_top < top:
                    tops[k] = g_top
                if g_bottom > bottom:
                    bottoms[k] = g_bottom
                placed = True
                break
        if not placed:
            lines.append([glyph])
            tops.append(g_top)
            bottoms.append(g_bottom)
    for line in lines:
        line.sort(key=lambda g: g.x0)
    return lines


def line_words(line: list[Glyph], settings: ReaderSettings = DEFAULT_SETTINGS, cuts: list[float] = ()) -> list[Word]:
    """A visual line cut into words at spaces, at gaps wider than ``word_gap_em`` glyph heights
    and at the ``cuts`` (x positions of vertical rules crossing the line)."""
    words: list[Word] = []
    if not line:
        return words
    heights = sorted(g.height for g in line)
    em = max(heights[len(heights) // 2], 1.0)
    current = [line[0]]
    for glyph in line[1:]:
        prev = current[-1]
        cut = any(prev.cx < x < glyph.cx for x in cuts)
        if cut or glyph.space_before or glyph.x0 - prev.x1 > settings.word_gap_em * em:
            words.append(_word(current))
            current = [glyph]
        else:
            current.append(glyph)
    words.append(_word(current))
    return words


def _word(glyphs: list[Glyph]) -> Word:
    return Word(
        "".join(g.text for g in glyphs),
        glyphs[0].x0,
        max(g.x1 for g in glyphs),
        min(g.top for g in glyphs),
        max(g.bottom for g in glyphs),
    )


def is_amount_token(text: str) -> bool:
    """A word printed as an amount alone (``1,234.56``, ``0.00``), not a code, count or year."""
    return bool(AMOUNT_TOKEN_RE.match(text))
