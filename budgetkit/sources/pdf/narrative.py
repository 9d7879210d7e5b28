"""The narrative (情况说明) of a PDF as paragraphs: visual lines wrapped by the page joined again."""

from __future__ import annotations

import re
import unicodedata

from budgetkit.model import Location, TextLine
from budgetkit.sources.pdf.page import PageContent, _fold_spaces

_PART_RE = re.compile(r"^第([一二三四五六七八九十\d]+)部分\s*(.*?)[\s.…·]*\d*$")
_FINAL = "。！？!?"
_PAGE_NUMBER_RE = re.compile(
    r"^[\s\-─—–_·•]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／]\s*(?:共\s*)?\d{1,4}\s*页?)?[\s\-─—–_·•]*$"
)
#: A line that opens a paragraph of its own: 第X部分, 一、, （一）, （1）, 1. / 1、 (not 1.5), 注：.
_OPENER_RE = re.compile(
    r"^\s*(?:第[一二三四五六七八九十\d]+部分|[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]{1,3}\s*[)）]"
    r"|\d{1,2}\s*[、.．](?![0-9０-９])|(?:注|说明)\s*[:：])"
)


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
    * the next line starts at the left edge of the block (paragraphs open indented or centred),
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

    out: list[TextLine] = []
    previous: TextLine | None = None  # the open paragraph
    may_continue = False  # may the next line continue it?
    previous_page = None
    previous_alone = False  # does the open paragraph hold only its number (八、)?
    em = file_em
    for page, lines in measured:
        boxes = page.line_boxes
        if lines:
            # The body size of a prose page is its own: table pages read as text (small print) must not
            # set it for the whole file; a running header in small print does not set the block's edges.
            em = max(_median([boxes[i].height for i in lines]), 1.0) if len(lines) >= 5 else file_em
            edges = [i for i in lines if boxes[i].height >= _SMALL_PRINT * em] or lines
            left_edge = min(boxes[i].left for i in edges) if len(lines) >= 5 or not full_pages else file_left
            right_edge = max(boxes[i].right for i in edges) if len(lines) >= 5 or not full_pages else file_right
        if previous_page is not None and page.number != previous_page + 1:
            may_continue = False
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
            if (
                may_continue
                and body_size
                and (previous_alone or abs(box.left - left_edge) <= 0.6 * em)
                and not _OPENER_RE.match(folded)
            ):
                previous.text = _join_text(previous.text, text)
            else:
                previous = TextLine(text, location)
                out.append(previous)
            head = unicodedata.normalize("NFKC", previous.text).strip()
            previous_alone = bool(_OPENER_RE.fullmatch(head)) and not _PART_RE.match(head)
            ends_open = not previous.text.rstrip().endswith(tuple(_FINAL))
            full = body_size and box.right >= right_edge - 2.5 * em
            may_continue = previous_alone or (ends_open and full and not _PART_RE.match(_fold_spaces(previous.text)))
        previous_page = page.number
        if not boxes:
            may_continue = False
    return out

