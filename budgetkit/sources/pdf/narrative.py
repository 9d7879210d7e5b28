"""The narrative (情况说明) of a PDF as paragraphs: visual lines wrapped by the page joined again."""

from __future__ import annotations

import re
import unicodedata

from budgetkit.model import Location, TextLine
from budgetkit.vocabulary import part_re
from budgetkit.sources.pdf.page import PageContent, _fold_spaces

_PART_RE = part_re()  # 第N部分 (budgetkit/data/vocabulary.toml)
_FINAL = "。！？!?"
#: Sentence punctuation: a title or a heading has none (a comma between digits is a thousands separator).
_SENTENCE_RE = re.compile(r"[，；]|,(?!\d)|;")
#: A line of a table of contents ends with its page number after leaders (``收支决算总表......... 6``).
_TOC_ENTRY_RE = re.compile(r"(?:[.…·]{3,}|\s{2,})\s*\d{1,3}\s*$")
_PAGE_NUMBER_RE = re.compile(
    r"^[\s\-─—–_·•]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／]\s*(?:共\s*)?\d{1,4}\s*页?)?[\s\-─—–_·•]*$"
)
#: A line that opens a paragraph of its own: 第X部分, 一、, （一）, （1）, 1. / 1、 (not 1.5), 注：.
_OPENER_RE = re.compile(
    r"^\s*(?:第[一二三四五六七八九十\d]+部分|[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]{1,3}\s*[)）]"
    r"|\d{1,2}\s*[、.．](?![0-9０-９])|[（(]?\s*(?:备注|注|说明)\s*[:：])"
)


#: A line that starts with an amount and its unit (``22,262.08万元，占5.1%``): the tail of a sentence whose
#: number did not fit on the line above (a number is never broken, so the line above stops short).
_AMOUNT_HEAD_RE = re.compile(r"^\s*([0-9][0-9,，.]*)\s*(?:万元|亿元|元|万\s*$|%|％)")
#: Opening brackets and quotes: their glyph is inked in the right half of its square, so a line that
#: starts with one measures up to half a character right of the block's edge.
_OPENING = "（(“‘《〈【「"

#: Lines printed smaller than this share of the body size are running headers or footers, not text.
#: (Glyph heights are medians: a line of digits measures ≈ 0.75 of a CJK line of the same size.)
_SMALL_PRINT = 0.65


def _is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER_RE.match(unicodedata.normalize("NFKC", text)))


def _join_text(first: str, second: str) -> str:
    """Join two visual lines of one paragraph: no space between CJK, one between two Latin words."""
    if re.search(r"[A-Za-z]$", first) and re.match(r"[A-Za-z]", second):
        return first + " " + second
    return first + second


def _amount_head_width(text: str, em: float) -> float | None:
    """The width of the amount a line starts with (digits are half a character wide), or None."""
    match = _AMOUNT_HEAD_RE.match(unicodedata.normalize("NFKC", text))
    return 0.55 * em * len(match.group(1)) if match else None


def _median(values: list[float]) -> float:
    values = sorted(values)
    return values[len(values) // 2] if values else 0.0


def narrative_paragraphs(file: str, pages: list[PageContent]) -> list[TextLine]:
    """The narrative as paragraphs: visual lines wrapped by the page width joined again.

    A PDF prints a sentence over several visual lines; read line by line, a subject loses its
    head (``…国有资本经营预`` / ``算拨款支出预算0万元``). A line continues into the next one — on the
    same page, or the first line of the next narrative page, page numbers skipped — when

    * it does not end with sentence-final punctuation (。！？),
    * it runs to the right edge of the text block (a wrapped line; titles and last lines stop short),
      or it stops short but the next line starts with an amount too wide for the room left
      (``…教育（类）支出`` / ``22,262.08万元，占5.1%；…``: a number is never broken over two lines),
    * the next line starts where wrapped lines start: at the left edge of the block (an opening
      bracket half a character right of it) or where the page's wrapped lines start (a block
      indented as a whole); after a sentence (not a title: it has a comma), also where the line
      above starts or left of it (paragraphs open indented or centred, never outdented) — but not
      when the line after it starts further left (then it is a paragraph's indented first line),
    * both are in the body text size (not a title), and
    * the next line does not open a numbered item or heading (一、 （一） 1. 第X部分 注：).

    A number standing alone on its line (``八、``) continues into the next line. The text block's
    edges are measured per page (from the file's pages when a page holds only a few lines). The
    paragraph keeps the location (page and line) of its first line. Pages whose line geometry is
    unknown keep their visual lines.
    """
    def body(page: PageContent) -> list[int]:
        return [i for i, t in enumerate(page.text_lines) if not _is_page_number(t)] if page.line_boxes else []

    measured = [(p, body(p)) for p in pages]
    file_em = max(_median([p.line_boxes[i].height for p, b in measured for i in b]), 1.0)  # the body text size
    full_pages = [(p, b) for p, b in measured if len(b) >= 5]
    file_left = _median([min(p.line_boxes[i].left for i in b) for p, b in full_pages])
    file_right = _median([max(p.line_boxes[i].right for i in b) for p, b in full_pages])

    # Each page's body size and text block edges. The body size of a prose page is its own: table pages
    # read as text (small print) must not set it for the whole file; a running header in small print
    # does not set the block's edges.
    geometry: dict[int, tuple[float, float, float]] = {}
    prose = set()  # pages with lines enough to measure their own edges
    for page, lines in measured:
        if lines:
            boxes = page.line_boxes
            em = max(_median([boxes[i].height for i in lines]), 1.0) if len(lines) >= 5 else file_em
            edges = [i for i in lines if boxes[i].height >= _SMALL_PRINT * em] or lines
            left_edge = min(boxes[i].left for i in edges) if len(lines) >= 5 or not full_pages else file_left
            right_edge = max(boxes[i].right for i in edges) if len(lines) >= 5 or not full_pages else file_right
            geometry[page.number] = (em, left_edge, right_edge)
            if len(lines) >= 5:
                prose.add(page.number)
    # How far right of its page's left edge the next line in the body size starts (on this page or the
    # next one): a paragraph's indented first line is followed by lines starting further left.
    following: dict[tuple[int, int], float | None] = {}
    after: tuple[int, float] | None = None
    for page, lines in reversed(measured):
        if page.number not in geometry:
            after = None
            continue
        em, left_edge, _right = geometry[page.number]
        for i in reversed(lines):
            box = page.line_boxes[i]
            if box.height < _SMALL_PRINT * em:
                continue
            following[(page.number, i)] = (
                after[1] if after and (after[0] == page.number or (after[0] == page.number + 1 and after[0] in prose)) else None
            )
            after = (page.number, box.left - left_edge)

    out: list[TextLine] = []
    previous: TextLine | None = None  # the open paragraph
    may_continue = False  # may the next line continue it (the line above ran to the right edge)?
    short_gap: float | None = None  # the line above stopped short, open: the room it left on the right
    previous_page = None
    previous_alone = False  # does the open paragraph hold only its number (八、)?
    last_left: float | None = None  # where the line above starts
    last_page = None  # the page of the line above
    body_left: float | None = None  # where the open paragraph's wrapped lines start
    em = file_em
    for page, _lines in measured:
        boxes = page.line_boxes
        if page.number in geometry:
            em, left_edge, right_edge = geometry[page.number]
        wrap_lefts: list[float] = []  # where wrapped lines start on this page (a block indented as a whole)
        if previous_page is not None and page.number != previous_page + 1:
            may_continue, short_gap = False, None
        top_of_page = True
        for line_no, text in enumerate(page.text_lines, start=1):
            location = Location(file, page=page.number, line=line_no)
            if _is_page_number(text):
                out.append(TextLine(text, location))
                continue
            box = boxes[line_no - 1] if boxes else None
            if top_of_page and box is not None and box.height < _SMALL_PRINT * em:
                # a running header in small print (苏州市应急管理局 2026 年度部门预算公开) does not end the
                # paragraph the page before left open
                out.append(TextLine(text, location))
                continue
            top_of_page = False
            folded = unicodedata.normalize("NFKC", text)
            body_size = box is not None and box.height <= 1.35 * em
            continues = False
            if (may_continue or short_gap is not None) and body_size and not _OPENER_RE.match(folded):
                # Where a wrapped line starts: at the block's left edge (an opening bracket is inked half a
                # character to the right) or where the page's other wrapped lines start (a block indented
                # as a whole); under a sentence (a title has no comma), also where the line above starts or
                # left of it when that line opens a paragraph indented by a few characters.
                slack = 1.1 * em if folded.lstrip().startswith(tuple(_OPENING)) else 0.6 * em
                same_page = last_left is not None and last_page == page.number
                edges = [left_edge, *wrap_lefts, *([body_left] if body_left is not None else [])]
                at_edge = any(-0.6 * em <= box.left - edge <= slack for edge in edges)
                under_line = same_page and _SENTENCE_RE.search(previous.text) and (
                    -1.1 * em <= box.left - last_left <= slack
                    or (last_left - left_edge <= 4 * em and -0.6 * em <= box.left - left_edge and box.left <= last_left - em)
                )
                # not the indented first line of a paragraph (the line after it starts further left)
                nxt = following.get((page.number, line_no - 1))
                wrapped = (at_edge or under_line) and (nxt is None or nxt > box.left - left_edge - em)
                amount = _amount_head_width(text, em)
                continues = previous_alone or (wrapped and (
                    may_continue or (short_gap is not None and amount is not None and short_gap <= amount + 3 * em)
                ))
            if continues:
                previous.text = _join_text(previous.text, text)
                if not previous_alone:
                    wrap_lefts.append(box.left)
                    body_left = box.left if body_left is None else body_left
            else:
                previous = TextLine(text, location)
                out.append(previous)
                body_left = None
            last_left, last_page = (box.left if box is not None else None), page.number
            head = unicodedata.normalize("NFKC", previous.text).strip()
            previous_alone = bool(_OPENER_RE.fullmatch(head)) and not _PART_RE.match(head)
            ends_open = (
                not previous.text.rstrip().endswith(tuple(_FINAL))
                and not _PART_RE.match(_fold_spaces(previous.text))
                and not _TOC_ENTRY_RE.search(previous.text)
            )
            full = body_size and box.right >= right_edge - 2.5 * em
            may_continue = previous_alone or (ends_open and full)
            # A line in the body size that stops short of the edge, mid-sentence, may still go on with an
            # amount too wide for the room it left (22,262.08万元 does not fit after 教育（类）支出).
            short_gap = right_edge - box.right if ends_open and body_size and not full else None
        previous_page = page.number
        if not boxes:
            may_continue, short_gap, last_left = False, None, None
    return out

