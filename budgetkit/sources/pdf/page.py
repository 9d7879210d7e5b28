"""The page model shared by every table backend: cells, tables and text lines with geometry."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field


@dataclass
class Cell:
    text: str
    left: float
    top: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.left + self.width


@dataclass
class PageTable:
    """A ruled table found on a page: rows of cells with geometry (placeholders removed)."""

    page: int
    top: float
    bottom: float
    left: float
    right: float
    rows: list[list[Cell]]


@dataclass(frozen=True)
class LineBox:
    """Where a visual text line stands on its page (PDF points; ``height``: median glyph height)."""

    left: float
    right: float
    height: float


@dataclass
class PageContent:
    number: int
    width: float
    height: float
    text_lines: list[str]
    tables: list[PageTable] = field(default_factory=list)
    line_boxes: list[LineBox] | None = None  # geometry of each text line (None: not known)
    text_between: list[list[str]] = field(default_factory=list)  # text above each table
    text_after: list[str] = field(default_factory=list)  # text below the last table
    narrative_lines: list[tuple[str, LineBox]] = field(default_factory=list)  # prose outside the tables

    def narrative_only(self) -> "PageContent":
        """This page with only its prose outside the tables (a page mixing text and a table)."""
        return PageContent(
            self.number, self.width, self.height,
            [t for t, _b in self.narrative_lines], line_boxes=[b for _t, b in self.narrative_lines],
        )


def _clean_cell_text(text: str | None) -> str:
    """Join a wrapped cell: line breaks inside a cell are dropped (Chinese wraps mid-word)."""
    if not text:
        return ""
    parts = [p.strip() for p in re.split(r"[\r\n]+", str(text))]
    joined = ""
    for part in parts:
        if not part:
            continue
        # Keep a space between two Latin/digit fragments, none between CJK fragments.
        if joined and re.match(r"[A-Za-z0-9]", part) and re.search(r"[A-Za-z0-9]$", joined):
            joined += " "
        joined += part
    return joined


def _fold_spaces(text: str) -> str:
    """Drop spaces printed between CJK characters (``当 年 收 入`` → ``当年收入``)."""
    text = unicodedata.normalize("NFKC", text).strip() if text else ""
    return re.sub(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])", "", text)



def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in re.split(r"[\r\n]+", text or "") if ln.strip()]


def _lines_with_boxes(textpage, ink_boxes: dict[int, tuple[float, float, float, float]] | None = None) -> tuple[list[str], list[LineBox] | None]:
    """The page's text lines (as :func:`_lines`) and, when pdfium maps text to glyphs one to one,
    the box of each line.

    ``ink_boxes``: the characters' ink boxes already asked of pdfium, by index
    (:func:`~budgetkit.sources.pdf.geometry.page_glyphs`); only the others are asked again.
    """
    ink_boxes = ink_boxes or {}
    text = textpage.get_text_range()
    lines = _lines(text)
    if len(text) != textpage.count_chars():
        return lines, None
    boxes: list[LineBox] = []
    texts: list[str] = []
    for match in re.finditer(r"[^\r\n]+", text):
        if not match.group(0).strip():
            continue
        glyphs = [ink_boxes.get(i) or textpage.get_charbox(i) for i in range(match.start(), match.end()) if not text[i].isspace()]
        heights = sorted(top - bottom for _l, bottom, _r, top in glyphs)
        boxes.append(LineBox(min(g[0] for g in glyphs), max(g[2] for g in glyphs), heights[len(heights) // 2]))
        texts.append(match.group(0).strip())
    return (lines, boxes) if texts == lines else (lines, None)

