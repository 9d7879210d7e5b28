"""Read a budget disclosure printed as PDF (with a text layer) into a :class:`~budgetkit.model.Document`.

Two table backends share everything but the table finder:

* ``"tabula"`` (default): tabula-java's lattice extractor (ruled tables), run in-process
  through jpype. One JVM per Python process; each PDF is opened once and every page is
  extracted in the same call (no per-page JVM or file round trips).
* ``"pdfplumber"``: pdfplumber's ruled-table finder; no Java needed.

Both give, per page, tables as rows of cells with their geometry (left, top, width). Page
text (titles, 单位 lines, label, narrative) comes from pypdfium2. Body cells are placed in
columns by geometry (lattice output shifts cells left after a merged cell), header paths are
read per column and named with canonical column ids from the catalog, 科目编码 printed over
类/款/项 columns are joined, and tables continued over pages are stitched (repeated header
rows dropped, a row split by the page break joined).

Java, tabula and jpype are imported lazily: the text reader works without them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from budgetkit.amounts import looks_like_amount, normalise_unit
from budgetkit.catalog import Catalog, TableSpec, fold, load_catalog
from budgetkit.codes import join_split_code, normalise_code
from budgetkit.errors import (
    CorruptFileError,
    EncryptedPdfError,
    JavaMissingError,
    NotADisclosureError,
    ScannedPdfError,
    UnsupportedFormatError,
)
from budgetkit.model import Document, Location, RawTable, SourceFile, TextLine

BACKENDS = ("tabula", "pdfplumber")

_PART_RE = re.compile(r"^第([一二三四五六七八九十\d]+)部分\s*(.*?)[\s.…·]*\d*$")
_LABEL_RE = re.compile(r"((?:部门|预算|单位)?公开\s*(?:表\s*)?(?:\d{1,2}|[一二三四五六七八九十]+)\s*表?|预算公开表\s*\d+|表\s*[一二三四五六七八九十]+)")
_DEPT_RE = re.compile(r"^(?:编制部门|编制单位|部门名称|单位名称|部门|预算单位)\s*[:：]\s*(.*?)\s*(?:(?:金额)?单位\s*[:：].*)?$")
_SPLIT_CODE = {"类": 0, "款": 1, "项": 2}
_CN_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


# --------------------------------------------------------------------------- page model


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


# --------------------------------------------------------------------------- opening / checks


def _open_pdfium(path: Path):
    import pypdfium2 as pdfium

    if not path.exists():
        raise CorruptFileError(path, "file not found")
    if path.stat().st_size == 0:
        raise CorruptFileError(path, "the file is empty")
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if b"%PDF" not in head:
        raise UnsupportedFormatError(path, "not a PDF file (no %PDF header)")
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message or "security" in message:
            raise EncryptedPdfError(path, "the PDF is encrypted (password protected); decrypt it first, e.g. `qpdf --decrypt in.pdf out.pdf`") from exc
        raise CorruptFileError(path, f"the PDF is truncated or corrupt and cannot be opened ({exc})") from exc


def _page_texts(pdf, path: Path) -> list[tuple[float, float, Any]]:
    """(width, height, textpage) for every page; raise ScannedPdfError without a text layer."""
    pages = []
    chars = 0
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            width, height = page.get_size()
            textpage = page.get_textpage()
            chars += textpage.count_chars()
            pages.append((width, height, textpage))
    except Exception as exc:  # pdfium raises on damaged page trees
        raise CorruptFileError(path, f"the PDF is truncated or corrupt: a page cannot be read ({exc})") from exc
    if not pages:
        raise CorruptFileError(path, "the PDF has no pages")
    if chars == 0:
        raise ScannedPdfError(path, "no text layer — scanned? OCR is not supported")
    return pages


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in re.split(r"[\r\n]+", text or "") if ln.strip()]


def _lines_with_boxes(textpage) -> tuple[list[str], list[LineBox] | None]:
    """The page's text lines (as :func:`_lines`) and, when pdfium maps text to glyphs one to one,
    the box of each line."""
    text = textpage.get_text_range()
    lines = _lines(text)
    if len(text) != textpage.count_chars():
        return lines, None
    boxes: list[LineBox] = []
    texts: list[str] = []
    for match in re.finditer(r"[^\r\n]+", text):
        if not match.group(0).strip():
            continue
        glyphs = [textpage.get_charbox(i) for i in range(match.start(), match.end()) if not text[i].isspace()]
        heights = sorted(top - bottom for _l, bottom, _r, top in glyphs)
        boxes.append(LineBox(min(g[0] for g in glyphs), max(g[2] for g in glyphs), heights[len(heights) // 2]))
        texts.append(match.group(0).strip())
    return (lines, boxes) if texts == lines else (lines, None)


# --------------------------------------------------------------------------- tabula backend

_JVM_LOCK = threading.Lock()
_JAVA: dict[str, Any] = {}


def _java_classes(path: Path) -> dict[str, Any]:
    """Start (once) the JVM tabula-py uses and return the tabula-java classes we call."""
    with _JVM_LOCK:
        if _JAVA:
            return _JAVA
        java_home = os.environ.get("JAVA_HOME")
        if shutil.which("java") is None and not (java_home and Path(java_home, "bin", "java").exists()):
            raise JavaMissingError(
                path,
                "Java is needed for the tabula backend but was not found. Install it "
                "(`apt-get install default-jre` or `conda install openjdk`), or use backend='pdfplumber'.",
            )
        try:
            import jpype  # noqa: F401
            import tabula.io as tio
            from tabula.backend import TabulaVm
        except ImportError as exc:
            raise JavaMissingError(path, f"tabula-py/jpype1 are not installed ({exc}); `pip install tabula-py jpype1` or use backend='pdfplumber'") from exc
        try:
            if tio._tabula_vm is None or not getattr(tio._tabula_vm, "tabula", None):
                # Share the JVM with tabula.read_pdf: one JVM per process.
                # Serial GC and the quick C1 compiler: one short-lived JVM per worker on a
                # small machine spends less on background threads (≈1.7× batch throughput
                # with 2 workers on 2 cores); the results are the same.
                tio._tabula_vm = TabulaVm(
                    java_options=[
                        "-Djava.awt.headless=true", "-Dfile.encoding=UTF8",
                        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    ],
                    silent=True,
                )
            if not getattr(tio._tabula_vm, "tabula", None):
                raise JavaMissingError(path, "jpype could not load tabula-java; install jpype1")
            from java.io import File
            from java.lang import StringBuilder
            from org.apache.pdfbox.pdmodel import PDDocument
            from technology.tabula import ObjectExtractor
            from technology.tabula.extractors import SpreadsheetExtractionAlgorithm
            from technology.tabula.writers import JSONWriter
        except JavaMissingError:
            raise
        except Exception as exc:  # jpype.JVMNotFoundException and friends
            raise JavaMissingError(
                path,
                f"the Java VM could not be started ({exc}); install Java (`apt-get install default-jre` "
                "or `conda install openjdk`) or use backend='pdfplumber'",
            ) from exc
        _JAVA.update(
            File=File, StringBuilder=StringBuilder, PDDocument=PDDocument, ObjectExtractor=ObjectExtractor,
            Spreadsheet=SpreadsheetExtractionAlgorithm, JSONWriter=JSONWriter,
        )
        return _JAVA


def _tables_tabula(path: Path) -> dict[int, list[PageTable]]:
    """All lattice tables of a PDF, by page, in one pass over the document."""
    java = _java_classes(path)
    out: dict[int, list[PageTable]] = {}
    try:
        document = java["PDDocument"].load(java["File"](str(path)))
    except Exception as exc:
        raise CorruptFileError(path, f"tabula could not open the PDF ({exc})") from exc
    try:
        extractor = java["ObjectExtractor"](document)
        algorithm = java["Spreadsheet"]()
        writer = java["JSONWriter"]()
        pages = extractor.extract()
        while pages.hasNext():
            page = pages.next()
            tables = algorithm.extract(page)
            if tables.isEmpty():
                continue
            buffer = java["StringBuilder"]()
            writer.write(buffer, tables)
            number = int(page.getPageNumber())
            for table in json.loads(str(buffer.toString())):
                rows = [
                    [
                        Cell(_clean_cell_text(c["text"]), c["left"], c["top"], c["width"], c["height"])
                        for c in row
                        if c["width"] > 0
                    ]
                    for row in table["data"]
                ]
                rows = [r for r in rows if r]
                if rows:
                    out.setdefault(number, []).append(
                        PageTable(number, table["top"], table["bottom"], table["left"], table["right"], rows)
                    )
    finally:
        document.close()
    return {page: _dedupe(tables) for page, tables in out.items()}


def _dedupe(tables: list[PageTable]) -> list[PageTable]:
    """tabula reports nested rulings twice: keep one table per ruled area and content."""
    kept: list[PageTable] = []
    for table in tables:
        key = (round(table.top), round(table.left), round(table.bottom), round(table.right), len(table.rows))
        if any((round(k.top), round(k.left), round(k.bottom), round(k.right), len(k.rows)) == key for k in kept):
            continue
        kept.append(table)
    return kept


# --------------------------------------------------------------------------- pdfplumber backend


def _tables_pdfplumber(path: Path) -> dict[int, list[PageTable]]:
    import pdfplumber

    out: dict[int, list[PageTable]] = {}
    try:
        pdf = pdfplumber.open(str(path))
    except Exception as exc:
        raise CorruptFileError(path, f"pdfplumber could not open the PDF ({exc})") from exc
    with pdf:
        for number, page in enumerate(pdf.pages, start=1):
            for table in page.find_tables({"vertical_strategy": "lines", "horizontal_strategy": "lines"}):
                texts = table.extract()
                rows: list[list[Cell]] = []
                for row, row_texts in zip(table.rows, texts):
                    cells = []
                    for bbox, text in zip(row.cells, row_texts):
                        if bbox is None:
                            continue
                        x0, top, x1, bottom = bbox
                        cells.append(Cell(_clean_cell_text(text), x0, top, x1 - x0, bottom - top))
                    if cells:
                        rows.append(cells)
                if rows:
                    x0, top, x1, bottom = table.bbox
                    out.setdefault(number, []).append(PageTable(number, top, bottom, x0, x1, rows))
    for tables in out.values():
        tables.sort(key=lambda t: t.top)
    return out


# --------------------------------------------------------------------------- columns


def _atomic_columns(table: PageTable, tolerance: float = 3.0) -> list[float]:
    """The x positions where columns start (left edges of all cells, clustered)."""
    edges = sorted(c.left for row in table.rows for c in row)
    columns: list[float] = []
    for x in edges:
        if not columns or x - columns[-1] > tolerance:
            columns.append(x)
    return columns


def _column_index(columns: list[float], x: float, tolerance: float = 3.0) -> int:
    best = 0
    for i, start in enumerate(columns):
        if start <= x + tolerance:
            best = i
    return best


def _span(columns: list[float], cell: Cell, tolerance: float = 3.0) -> range:
    first = _column_index(columns, cell.left, tolerance)
    last = first
    for i in range(first + 1, len(columns)):
        if columns[i] < cell.right - tolerance:
            last = i
    return range(first, last + 1)


def _grid_row(columns: list[float], row: list[Cell]) -> list[str]:
    grid = [""] * len(columns)
    for cell in row:
        i = _column_index(columns, cell.left)
        grid[i] = (grid[i] + cell.text) if grid[i] else cell.text
    return grid


def _header_grid(columns: list[float], row: list[Cell]) -> list[str]:
    """A header row with a spanning cell's text repeated over the columns it covers."""
    grid = [""] * len(columns)
    for cell in row:
        for i in _span(columns, cell):
            grid[i] = cell.text
    return grid


def _header_paths(columns: list[float], header_rows: list[list[Cell]]) -> tuple[list[list[str]], list[list[int]]]:
    """Header texts above each column, top to bottom, and how many columns each text spans."""
    paths: list[list[str]] = [[] for _ in columns]
    spans: list[list[int]] = [[] for _ in columns]
    for row in header_rows:
        for cell in row:
            text = _fold_spaces(cell.text)
            if not text:
                continue
            covered = _span(columns, cell)
            for i in covered:
                if not paths[i] or paths[i][-1] != text:
                    paths[i].append(text)
                    spans[i].append(len(covered))
    return paths, spans


def _side_of(path: list[str]) -> str | None:
    for text in path:
        f = fold(text)
        if "收入" in f and "支出" not in f:
            return "income"
        if "支出" in f and "收入" not in f and not f.endswith("支出预算"):
            return "expense"
    return None


def _under_depth(spec_col, path: list[str]) -> int:
    """How deep in the header path the column's `under` matches (-1: no `under` given)."""
    if not spec_col.under:
        return -1
    depth = None
    for i, text in enumerate(path):
        if spec_col.matches_under([text]):
            depth = i
    return depth if depth is not None else -2


def _map_columns(spec: TableSpec, header: tuple[list[list[str]], list[list[int]]], body_grid: list[list[str]]) -> list[str | None]:
    """Canonical column id for each atomic column (``code_class``… for split codes)."""
    paths, spans = header
    result: list[str | None] = []
    used: set[str] = set()
    n = len(paths)
    for i, path in enumerate(paths):
        if not path:
            result.append(_unlabelled(spec, result, body_grid, i))
            continue
        leaf = fold(path[-1])
        if leaf in _SPLIT_CODE:
            result.append(("code_class", "code_section", "code_item")[_SPLIT_CODE[leaf]])
            continue
        side = _side_of(path) if spec.two_sided else None
        if spec.two_sided and side is None:
            side = "income" if i < n / 2 else "expense"
        chosen = None
        for level in range(len(path) - 1, -1, -1):
            text = path[level]
            if level < len(path) - 1 and spans[i][level] > 1:
                break  # a group heading over several columns does not name this one
            candidates = []
            for order, col in enumerate(spec.columns):
                if side and col.side and col.side != side:
                    continue
                if not col.matches_leaf(text):
                    continue
                depth = _under_depth(col, path[:level])
                candidates.append((-depth, col.id in used, order, col.id))
            if candidates:
                candidates.sort()
                chosen = candidates[0][3]
                break
        if chosen is None and spec.id in ("income", "expenditure", "general_expenditure", "fund_expenditure", "general_basic_economic"):
            # A header like 功能分类科目编码 over an unlabelled column: look at the body.
            values = [r[i] for r in body_grid if i < len(r) and r[i]]
            if values and sum(1 for v in values if normalise_code(v)) >= len(values) * 0.8:
                chosen = "code"
        if chosen is None:
            chosen = _unlabelled(spec, result, body_grid, i)
        result.append(chosen)
        if chosen:
            used.add(chosen)
    return result


def _unlabelled(spec: TableSpec, result: list[str | None], body_grid: list[list[str]], i: int) -> str | None:
    """An unlabelled text column right of a name column is a second level of item names."""
    if not result or not result[-1]:
        return None
    prev = next((c for c in spec.columns if c.id == result[-1]), None)
    values = [r[i] for r in body_grid if i < len(r) and r[i]]
    if prev is not None and prev.role == "name" and values and not any(looks_like_amount(v) for v in values):
        return prev.id
    return None


def _fallback_columns(spec: TableSpec, body_grid: list[list[str]], ncols: int) -> list[str | None]:
    """When there are no header rows (a continuation page): code / name / amounts in catalog order."""
    result: list[str | None] = [None] * ncols
    amounts = [c.id for c in spec.columns if c.role == "amount"]
    names = [c.id for c in spec.columns if c.role in ("name",)]
    for i in range(ncols):
        values = [r[i] for r in body_grid if r[i]]
        if values and all(normalise_code(v) for v in values) and "code" in [c.id for c in spec.columns]:
            result[i] = "code"
        elif values and sum(looks_like_amount(v) for v in values) >= len(values) * 0.8 and amounts:
            result[i] = amounts.pop(0)
        elif values and names:
            result[i] = names.pop(0)
    return result


def _collapse(ids: list[str | None], grid_rows: list[list[str]], header_grid: list[list[str]] | None = None) -> tuple[list[str], list[list[str]], list[list[str]]]:
    """Body rows with one cell per canonical column: split codes joined, same-id names joined."""
    out_ids: list[str] = []
    plan: list[tuple[str, list[int]]] = []
    for i, cid in enumerate(ids):
        if cid is None:
            continue
        key = "code" if cid.startswith("code_") else cid
        if plan and plan[-1][0] == key:
            plan[-1][1].append(i)
        elif key in out_ids:
            plan[out_ids.index(key)][1].append(i)
        else:
            out_ids.append(key)
            plan.append((key, [i]))
    rows = []
    for grid in grid_rows:
        row = []
        for key, idxs in plan:
            if key == "code" and any(ids[i] and ids[i].startswith("code_") for i in idxs):
                parts = [grid[i] for i in idxs] + ["", "", ""]
                # Spreadsheets exported to PDF drop the leading zero of 款/项 (301 | 2 → 30102).
                parts = [parts[0]] + [p.strip().zfill(2) if re.fullmatch(r"\s*\d\s*", p) else p for p in parts[1:]]
                code = join_split_code(parts[0], parts[1], parts[2])
                row.append(code or "".join(p for p in parts if p))
            elif key == "code":
                raw = "".join(grid[i] for i in idxs)
                row.append(normalise_code(raw) or raw)
            else:
                row.append("".join(grid[i] for i in idxs))
        rows.append(row)
    headers = [[_fold_spaces(h[idxs[0]]) for _key, idxs in plan] for h in (header_grid or [])]
    # A 合计 printed across the code and name columns lands in the code column: move it.
    if "code" in out_ids and "name" in out_ids:
        ci, ni = out_ids.index("code"), out_ids.index("name")
        for row in rows:
            if row[ci] and not normalise_code(row[ci]) and not row[ni]:
                row[ni], row[ci] = row[ci], ""
    return out_ids, rows, headers


# --------------------------------------------------------------------------- header/body split


def _is_body_row(catalog: Catalog, spec: TableSpec, texts: list[str]) -> bool:
    non_empty = [t for t in texts if t]
    if not non_empty:
        return False
    if all(re.fullmatch(r"\d{1,2}", t) for t in non_empty) and len(non_empty) > 2:
        return False  # column numbering 1 2 3 …
    for text in non_empty:
        if looks_like_amount(text) and not catalog.is_header_text(spec, text):
            return True
        if normalise_code(text) and len(text.replace(" ", "")) >= 3:
            return True
        if catalog.is_total_item(_fold_spaces(text)) and all(looks_like_amount(t) for t in non_empty if t != text):
            return True
        if re.match(r"^[一二三四五六七八九十]+、", text):
            return True
    return False


def _is_pre_row(row: list[Cell]) -> bool:
    """A row inside the ruled area that holds the title, label, 部门 or 单位 line."""
    texts = [c.text for c in row if c.text]
    if not texts:
        return False
    joined = "".join(texts)
    return bool(normalise_unit(joined) or re.search(r"^(部门|编制部门|编制单位|部门名称)[:：]", joined) or (len(texts) == 1 and "表" in joined and load_catalog().match_title(texts[0].split("公开")[0]) is not None))


# --------------------------------------------------------------------------- document assembly


@dataclass
class _Pending:
    raw: RawTable
    spec: TableSpec
    ids: list[str] | None
    last_page: int
    atomic_ids: list[str | None] | None = None
    atomic_x: list[float] = field(default_factory=list)


def _title_from_lines(catalog: Catalog, lines: list[str]) -> tuple[str | None, str | None, bool]:
    """(table_id, printed title, titled) from the text printed above a table."""
    best: tuple[int, str, str] | None = None
    for i, line in enumerate(lines):
        texts = [line] + ([line + lines[i + 1]] if i + 1 < len(lines) else [])
        for text in texts:  # a title wrapped over two lines is joined
            clean = _LABEL_RE.sub("", text).strip()
            table_id = catalog.match_title(clean)
            if table_id:
                if best is None or i >= best[0]:
                    best = (i, table_id, clean)
                break
    if best:
        return best[1], best[2], True
    titled = any(
        (re.search(r"(预算表|总表|明细表|情况表|经费表)", fold(line)) and len(fold(line)) < 40) or re.search(r"公开\s*\d+\s*表|公开表", line)
        for line in lines
    )
    return None, None, titled


def _label_from_lines(lines: list[str]) -> str | None:
    for line in lines:
        m = re.search(r"(公开\s*\d+\s*表|公开表\s*[一二三四五六七八九十\d]+|预算公开表\s*\d+)", line)
        if m:
            return re.sub(r"\s+", "", m.group(1))
    return None


def _department_from_lines(lines: list[str]) -> str | None:
    for line in lines:
        m = _DEPT_RE.match(unicodedata.normalize("NFKC", line))
        if m and m.group(1):
            return m.group(1).strip()
    return None


def _unit_from_lines(lines: list[str]) -> str | None:
    for line in lines:
        unit = normalise_unit(line)
        if unit:
            return unit
    return None


def _part_number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if text in _CN_NUM:
        return _CN_NUM[text]
    if text.startswith("十") and len(text) == 2:
        return 10 + _CN_NUM.get(text[1], 0)
    return None


def _read_file(path: Path, backend: str, catalog: Catalog, doc: Document) -> None:
    pdf = _open_pdfium(path)
    try:
        pages = _page_texts(pdf, path)
        page_contents: list[PageContent] = []
        for number, (width, height, textpage) in enumerate(pages, start=1):
            lines, boxes = _lines_with_boxes(textpage)
            page_contents.append(PageContent(number, width, height, lines, line_boxes=boxes))
        tables = _tables_tabula(path) if backend == "tabula" else _tables_pdfplumber(path)
        for content in page_contents:
            content.tables = sorted(tables.get(content.number, []), key=lambda t: t.top)
            textpage = pages[content.number - 1][2]
            previous_bottom = 0.0
            for table in content.tables:
                above = textpage.get_text_bounded(0, content.height - table.top + 1, content.width, content.height - previous_bottom)
                content.text_between.append(_lines(above))
                previous_bottom = table.bottom
            if content.tables:
                content.text_after = _lines(
                    textpage.get_text_bounded(0, 0, content.width, max(0.0, content.height - previous_bottom - 1))
                )
    finally:
        pdf.close()
    _assemble(path, page_contents, catalog, doc)


def _assemble(path: Path, pages: list[PageContent], catalog: Catalog, doc: Document) -> None:
    name = path.name
    pending: _Pending | None = None
    any_budget_words = False

    def finish() -> None:
        nonlocal pending
        if pending is None:
            return
        raw = pending.raw
        raw.empty = not any(any(c for i, c in enumerate(r) if raw.columns is None or not raw.columns[i] in ("code", "name")) for r in raw.body_rows) or not raw.body_rows
        if raw.table_id in doc.tables:
            doc.warnings.append(f"{name}: a second {raw.table_id} table at {raw.location} was ignored")
        else:
            doc.tables[raw.table_id] = raw
        pending = None

    carry: list[str] = []
    carry_page = 0
    narrative_pages: list[PageContent] = []
    for page in pages:
        if any("预算" in line for line in page.text_lines):
            any_budget_words = True
        for line_no, line in enumerate(page.text_lines, start=1):
            m = _PART_RE.match(_fold_spaces(line))
            if m:
                number = _part_number(m.group(1))
                title = m.group(2).strip(" .…·")
                if number and title and number not in doc.parts:
                    doc.parts[number] = title
        used = False  # does a standard table stand on this page?
        for k, (table, above) in enumerate(_split_at_titles(page.tables, page.text_between)):
            if k == 0 and carry:
                above = carry + above
                title_page = carry_page
            else:
                title_page = page.number
            if k == 0:
                carry = []
            rows = list(table.rows)
            # Rows inside the ruled area that carry the title / 部门 / 单位 line.
            inner: list[str] = []
            while rows and _is_pre_row(rows[0]):
                inner.append(" ".join(c.text for c in rows[0] if c.text))
                rows.pop(0)
            lines = above + [ln for t in inner for ln in re.split(r"(?=公开表)|(?=部门[:：])|(?=单位[:：])", t) if ln]
            table_id, title, titled = _title_from_lines(catalog, lines)
            if table_id is None and titled:
                finish()
                continue  # a table that is not one of the standard ones
            if table_id is None:
                if pending is None:
                    continue
                # Continuation of the pending table on a later page (or below on the same page).
                _append_rows(catalog, pending, rows, name, page.number, continuation=True)
                pending.last_page = page.number
                used = True
                continue
            finish()
            used = True
            spec = catalog.table(table_id)
            raw = RawTable(
                table_id=table_id,
                title=title or "",
                location=Location(name, page=title_page),
                label=_label_from_lines(lines),
                unit=_unit_from_lines(lines),
                department=_department_from_lines(lines),
            )
            pending = _Pending(raw, spec, None, page.number)
            _append_rows(catalog, pending, rows, name, page.number, continuation=False)
            if raw.unit is None:
                doc.warnings.append(f"{name} p.{page.number}: no 单位 line for {table_id}")
        # Notes under the last table of the page.
        if pending is not None:
            for line in page.text_after:
                if re.match(r"^(注|说明)\s*[:：]", unicodedata.normalize("NFKC", line)):
                    pending.raw.notes.append(line)
        # A title at the foot of the page belongs to a table on the next page.
        tail = page.text_after if page.tables else []
        if tail:
            tail_id, _t, tail_titled = _title_from_lines(catalog, tail[-4:])
            if tail_id or tail_titled:
                finish()
                carry, carry_page = tail[-4:], page.number
        if not used:
            if not page.tables and pending is not None and page.number > pending.last_page:
                finish()
            narrative_pages.append(page)
    finish()
    doc.narrative.extend(narrative_paragraphs(name, narrative_pages))
    if not any_budget_words and not doc.tables:
        raise NotADisclosureError(path, "no standard budget table title and no 预算 wording found — not a budget disclosure?")


# --------------------------------------------------------------------------- narrative paragraphs

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


def _split_at_titles(tables: list[PageTable], texts: list[list[str]]) -> list[tuple[PageTable, list[str]]]:
    """Split a ruled area holding two tables (title rows in between) into one piece per table."""
    pieces: list[tuple[PageTable, list[str]]] = []
    for table, above in zip(tables, texts):
        current: list[list[Cell]] = []
        current_above = above
        k = 0
        rows = table.rows
        while k < len(rows):
            if any(not _is_pre_row(r) for r in current) and _is_pre_row(rows[k]):
                pieces.append((PageTable(table.page, table.top, table.bottom, table.left, table.right, current), current_above))
                current, current_above = [], []
                while k < len(rows) and _is_pre_row(rows[k]):
                    current_above = current_above + [" ".join(c.text for c in rows[k] if c.text)]
                    k += 1
                continue
            current.append(rows[k])
            k += 1
        if current or not pieces:
            pieces.append((PageTable(table.page, table.top, table.bottom, table.left, table.right, current), current_above))
    return pieces


def _append_rows(catalog: Catalog, pending: _Pending, rows: list[list[Cell]], file: str, page: int, continuation: bool) -> None:
    spec, raw = pending.spec, pending.raw
    table = PageTable(page, 0, 0, 0, 0, rows)
    columns = _atomic_columns(table) if rows else []
    grid = [_grid_row(columns, r) for r in rows]
    start = 0
    if continuation:
        # Only repeated header rows are dropped on a continuation page.
        seen = {fold(t) for r in raw.header_rows for t in r}
        while start < len(grid) and any(grid[start]) and all(not t or fold(t) in seen or fold(t) in _SPLIT_CODE for t in grid[start]) and not _is_body_row(catalog, spec, grid[start]):
            start += 1
    else:
        while start < len(grid) and not _is_body_row(catalog, spec, grid[start]):
            start += 1
    header_rows, body_rows = rows[:start], rows[start:]
    body_grid = grid[start:]
    if header_rows and not (continuation and pending.atomic_ids is not None):
        ids = _map_columns(spec, _header_paths(columns, header_rows), body_grid)
        pending.atomic_ids, pending.atomic_x = ids, columns
    elif pending.atomic_ids is not None:
        # Same columns as on the previous page: match by x position.
        ids = []
        for x in columns:
            near = min(range(len(pending.atomic_x)), key=lambda k: abs(pending.atomic_x[k] - x))
            ids.append(pending.atomic_ids[near] if abs(pending.atomic_x[near] - x) <= 6 else None)
    else:
        ids = _fallback_columns(spec, body_grid, len(columns))
    out_ids, out_rows, out_headers = _collapse(ids, body_grid, [_header_grid(columns, r) for r in header_rows])
    out_headers = [h for h in out_headers if any(h)]
    if not raw.header_rows and out_headers:
        raw.header_rows = out_headers
    # Body cells under no known column: keep a warning, the data must not vanish silently.
    lost = [i for i, cid in enumerate(ids) if cid is None and any(g[i] for g in body_grid)]
    if lost:
        out_ids = out_ids + [f"col{i + 1}" for i in lost]
        for g, row in zip(body_grid, out_rows):
            row.extend(g[i] for i in lost)
    if raw.columns is None:
        raw.columns = out_ids
        pending.ids = out_ids
    elif out_ids != raw.columns:
        # Align by column id.
        aligned = []
        for row in out_rows:
            d = dict(zip(out_ids, row))
            aligned.append([d.get(cid, "") for cid in raw.columns])
        out_rows = aligned
    # A row split by the page break: the first row of a continuation holds only short text
    # fragments (no amount) in cells that continue the previous row's cells.
    if continuation and out_rows and raw.body_rows:
        first = out_rows[0]
        prev = raw.body_rows[-1]
        filled = [i for i, t in enumerate(first) if t]
        if filled and not any(looks_like_amount(first[i]) or normalise_code(first[i]) for i in filled) and all(
            prev[i] and len(first[i]) <= 4 and not catalog.is_total_item(first[i]) for i in filled
        ):
            for i in filled:
                prev[i] = prev[i] + first[i]
            out_rows = out_rows[1:]
            body_rows = body_rows[1:]
    for row, cells in zip(out_rows, body_rows):
        raw.body_rows.append([_fold_spaces(t) if not looks_like_amount(t) else t.strip() for t in row])
        raw.body_locations.append(Location(file, page=page))


# --------------------------------------------------------------------------- public API


def cell_value(table: RawTable, key: str, column_id: str) -> tuple[str, Location] | None:
    """The printed text of one cell, found by its row key and canonical column id.

    ``key`` is a 科目编码 or an item text as printed (spaces ignored); an empty key takes the
    first body row (tables with a single row of amounts, such as the 三公 table).
    """
    if table.columns is None or column_id not in table.columns:
        return None
    j = table.columns.index(column_id)
    target = fold(key)
    for row, location in zip(table.body_rows, table.body_locations):
        texts = [fold(c) for i, c in enumerate(row) if i != j and not looks_like_amount(c) or (table.columns[i] == "code")]
        if not target or target in texts:
            return (row[j] if j < len(row) else ""), location
    return None


def read_pdf_document(paths: list[Path], doc_id: str, metadata: dict, backend: str = "tabula") -> Document:
    """Read one disclosure printed as one or more PDF files.

    Args:
        paths: The files in reading order (e.g. narrative part, then tables part).
        doc_id: The document id.
        metadata: Manifest fields, stored on the document.
        backend: ``"tabula"`` (default; needs Java) or ``"pdfplumber"``.

    Returns:
        The :class:`Document` with its standard tables (stitched over pages), narrative
        lines, parts and warnings.

    Raises:
        ScannedPdfError: A file has no text layer.
        EncryptedPdfError: A file is password protected.
        CorruptFileError: A file is truncated or damaged.
        NotADisclosureError: No standard table title and no 预算 wording in the whole document.
        JavaMissingError: backend="tabula" and Java cannot be started.
    """
    if backend not in BACKENDS:
        raise ValueError(f"unknown PDF backend {backend!r}; choose one of {BACKENDS}")
    paths = [Path(p) for p in paths]
    catalog = load_catalog()
    files = [SourceFile(path=p.name, part=i + 1) for i, p in enumerate(paths)]
    doc = Document(doc_id=doc_id, metadata=dict(metadata), files=files)
    errors = []
    for path in paths:
        try:
            _read_file(path, backend, catalog, doc)
        except NotADisclosureError as exc:
            errors.append(exc)
    if errors and len(errors) == len(paths):
        raise errors[0]
    return doc
