"""Assembling a document from its pages: titles recognised through the catalog, tables stitched
over pages, the narrative pages collected, and the public reader entry point."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from budgetkit.amounts import looks_like_amount, normalise_unit
from budgetkit.catalog import Catalog, TableSpec, fold, load_catalog
from budgetkit.codes import normalise_code
from budgetkit.errors import NotADisclosureError
from budgetkit.model import Document, Location, RawTable, SourceFile
from budgetkit.sources.pdf.backends import _tables_pdfplumber, _tables_tabula
from budgetkit.sources.pdf.columns import (
    _SPLIT_CODE,
    _atomic_columns,
    _collapse,
    _fallback_columns,
    _grid_row,
    _header_grid,
    _header_paths,
    _is_body_row,
    _is_pre_row,
    _map_columns,
)
from budgetkit.sources.pdf.narrative import _PART_RE, narrative_paragraphs
from budgetkit.sources.pdf.opening import _open_pdfium, _page_texts
from budgetkit.sources.pdf.page import Cell, PageContent, PageTable, _fold_spaces, _lines, _lines_with_boxes

BACKENDS = ("tabula", "pdfplumber")

_LABEL_RE = re.compile(r"((?:部门|预算|单位)?公开\s*(?:表\s*)?(?:\d{1,2}|[一二三四五六七八九十]+)\s*表?|预算公开表\s*\d+|表\s*[一二三四五六七八九十]+)")
_DEPT_RE = re.compile(r"^(?:编制部门|编制单位|部门名称|单位名称|部门|预算单位)\s*[:：]\s*(.*?)\s*(?:(?:金额)?单位\s*[:：].*)?$")
_CN_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


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
