"""Assembling a document from its pages: titles recognised through the catalog, tables stitched
over pages, the narrative pages collected, and the public reader entry point."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from budgetkit.amounts import looks_like_amount, normalise_unit
from budgetkit.catalog import Catalog, TableSpec, fold, load_catalog, strip_title
from budgetkit.codes import normalise_code
from budgetkit.errors import NotADisclosureError
from budgetkit.model import Document, Location, RawTable, Region, SourceFile
from budgetkit.sources.pdf.backends import _tables_pdfplumber, _tables_tabula
from budgetkit.sources.layout import is_numbering_row
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
from budgetkit.sources.pdf.geometry import PageGeometry, line_words, read_page_geometry, text_lines
from budgetkit.sources.pdf.grid import grid_tables
from budgetkit.sources.pdf.narrative import _PART_RE, narrative_paragraphs
from budgetkit.vocabulary import chinese_number, find_label, label_re
from budgetkit.sources.pdf.opening import _open_pdfium, _page_texts
from budgetkit.sources.pdf.page import Cell, LineBox, PageContent, PageTable, _fold_spaces, _lines_with_boxes
from budgetkit.sources.pdf.printed import printed_amounts
from budgetkit.sources.pdf.settings import DEFAULT_SETTINGS, ReaderSettings

BACKENDS = ("grid", "tabula", "pdfplumber")

_DEPT_RE = re.compile(r"^(?:编制部门|编制单位|部门名称|单位名称|部门|预算单位)\s*[:：]\s*(.*?)\s*(?:(?:金额)?单位\s*[:：].*)?$")


@dataclass
class _Pending:
    raw: RawTable
    spec: TableSpec
    ids: list[str] | None
    last_page: int
    atomic_ids: list[str | None] | None = None
    atomic_x: list[float] = field(default_factory=list)
    header_words: set[str] = field(default_factory=set)
    code_carry: dict = field(default_factory=dict)  # last 类/款 of a split code (see _collapse)


_TITLE_LINE_RE = re.compile(r"表(（[^）]{0,20}）|\([^)]{0,20}\))*$")


_QUALIFIER_RE = re.compile(r"^[（(][^）)]{2,40}[)）]$")


def _strip_qualifier_noise(title: str) -> str:
    """（按支出经济分类科目-不含上年结转） → （按支出经济分类科目）: what the catalog's titles print."""
    title = re.sub(r"[-－—]\s*不含上年结转", "", fold(title))
    return re.sub(r"（(?!按)(支出(?:功能|经济)分类科目)）", r"（按\1）", title)


def _is_title_line(line: str) -> bool:
    """Does a line read as a table title (…表, …表（按功能分类科目）), not a sentence?"""
    folded = fold(line)
    if not folded or len(folded) > 60 or "。" in folded or "，" in folded:
        return False
    core = label_re("at_start").sub("", folded)
    return bool(core) and bool(_TITLE_LINE_RE.search(core)) and not re.fullmatch(r"[\d一二三四五六七八九十]*表", core)


def _title_from_lines(catalog: Catalog, lines: list[str]) -> tuple[str | None, str | None, bool]:
    """(table_id, printed title, titled) from the text printed above a table.

    The catalog names the table when a line (or two adjacent lines: a wrapped title) matches
    one of its titles; the last such line wins (it stands closest to the table). A line that
    reads as a title but names no standard table gives ``(None, title, True)``: a table the
    catalog does not know, kept under its printed title. A label alone (公开表3, 表01) also
    makes the table titled.
    """
    best: tuple[int, str, str] | None = None
    for i, line in enumerate(lines):
        texts = [line] + ([line + lines[i + 1]] if i + 1 < len(lines) else [])
        for text in texts:  # a title wrapped over two lines is joined
            clean = label_re().sub("", text).strip()
            table_id = catalog.match_title(clean)
            if table_id:
                if best is None or i >= best[0]:
                    best = (i, table_id, clean)
                break
    if best:
        i, table_id, title = best
        # A qualifier printed on the next line is part of the title: （按支出经济分类科目-不含上年结转）
        # tells one 一般公共预算支出明细表 from the other.
        if i + 1 < len(lines) and _QUALIFIER_RE.match(fold(lines[i + 1])) and fold(lines[i + 1]) not in fold(title):
            title = title + lines[i + 1].strip()
            table_id = catalog.match_title(_strip_qualifier_noise(title)) or table_id
        return table_id, title, True
    titles = [label_re().sub("", line).strip() for line in lines if _is_title_line(line)]
    if titles:
        return None, titles[-1], True
    labelled = any(label_re("only").fullmatch(fold(line)) for line in lines)
    return None, None, labelled


def _label_from_lines(lines: list[str]) -> str | None:
    """The table's label (公开表3, 公开 03 表, 表01 …) from the short lines of its title block."""
    for line in lines:
        if len(fold(line)) <= 40 and (label := find_label(line)):
            return label
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
    return chinese_number(text)


def _read_file(path: Path, backend: str, catalog: Catalog, doc: Document, settings: ReaderSettings = DEFAULT_SETTINGS,
               table_pages: set[int] | None = None) -> None:
    pdf = _open_pdfium(path)
    try:
        pages = _page_texts(pdf, path)
        page_contents: list[PageContent] = []
        geometries: list[PageGeometry] = []
        ruled: dict[int, list[PageTable]] = {}
        for number, (page, textpage) in enumerate(pages, start=1):
            if table_pages is not None and number not in table_pages:
                # A second reading of a few tables: the other pages are not looked at again.
                width, height = page.get_size()
                geometries.append(PageGeometry(number, width, height, [], []))
                page_contents.append(PageContent(number, width, height, []))
                ruled[number] = []
                continue
            ink_boxes: dict[int, tuple[float, float, float, float]] = {}  # each glyph's box asked of pdfium once
            geometry = read_page_geometry(page, textpage, number, settings, ink_boxes)
            lines, boxes = _lines_with_boxes(textpage, ink_boxes)
            geometries.append(geometry)
            page_contents.append(PageContent(number, geometry.width, geometry.height, lines, line_boxes=boxes))
            ruled[number] = grid_tables(geometry, settings)
            doc.printed_amounts.extend(printed_amounts(path.name, geometry, ruled[number], settings))
    finally:
        pdf.close()
    if backend == "grid":
        tables = {n: t for n, t in ruled.items() if t}
    else:
        tables = {"tabula": _tables_tabula, "pdfplumber": _tables_pdfplumber}[backend](path, table_pages)
    for content, geometry in zip(page_contents, geometries):
        content.tables = sorted(tables.get(content.number, []), key=lambda t: t.top)
        if not content.tables:
            continue
        lines = [(min(g.top for g in line), max(g.bottom for g in line), line) for line in text_lines(geometry.glyphs, settings)]
        previous_bottom = 0.0
        for table in content.tables:
            content.text_between.append(_band_text(lines, previous_bottom, table.top, settings))
            previous_bottom = table.bottom
        content.text_after = _band_text(lines, previous_bottom, geometry.height + 1, settings)
        content.narrative_lines = _prose_outside(lines, content.tables, settings)
    toc = table_of_contents(page_contents, catalog)
    if toc is not None and "toc" not in doc.metadata:
        doc.metadata["toc"] = toc
    _assemble(path, page_contents, catalog, doc)


#: A line of prose has at least this many CJK characters (titles, units and headers have fewer).
_PROSE_MIN_CJK = 12


def _prose_outside(lines: list[tuple[float, float, list]], tables: list[PageTable], settings: ReaderSettings) -> list[tuple[str, LineBox]]:
    """The prose of a page that also prints a table: lines outside every table area, kept only
    when at least one of them is a sentence (page headers, titles and 单位 lines alone are not)."""
    out: list[tuple[str, LineBox]] = []
    for top, bottom, glyphs in lines:
        middle = (top + bottom) / 2
        if any(t.top - 1 <= middle <= t.bottom + 1 and t.left - 1 <= glyphs[0].x0 <= t.right + 1 for t in tables):
            continue
        text = " ".join(w.text for w in line_words(glyphs, settings)).strip()
        heights = sorted(g.height for g in glyphs)
        out.append((text, LineBox(min(g.x0 for g in glyphs), max(g.x1 for g in glyphs), heights[len(heights) // 2])))
    if not any(len(re.findall(r"[\u4e00-\u9fff]", t)) >= _PROSE_MIN_CJK and not _is_title_line(t) for t, _b in out):
        return []
    return out


def _band_text(lines: list[tuple[float, float, list]], top: float, bottom: float, settings: ReaderSettings) -> list[str]:
    """The text lines standing between ``top`` and ``bottom`` (by their middle), words spaced."""
    out = []
    for line_top, line_bottom, glyphs in lines:
        middle = (line_top + line_bottom) / 2
        if top - 0.5 <= middle <= bottom + 0.5:
            text = " ".join(w.text for w in line_words(glyphs, settings)).strip()
            if text:
                out.append(text)
    return out


def _same_title(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and strip_title(a) == strip_title(b)


def _new_key(doc: Document, table_id: str | None, counters: dict[str, int]) -> str:
    """A unique key for a table: its catalog id (``summary``), a repeat (``summary~2``), or
    ``other-N`` for a table the catalog does not know."""
    if table_id is None:
        counters["other"] = counters.get("other", 0) + 1
        return f"other-{counters['other']}"
    if table_id not in doc.tables:
        return table_id
    n = 2
    while f"{table_id}~{n}" in doc.tables:
        n += 1
    return f"{table_id}~{n}"


def _columns_match(pending: _Pending, rows: list[list[Cell]], tolerance: float = DEFAULT_SETTINGS.continuation_column_shift) -> bool:
    """Does a table piece without a title continue the pending table (same column edges)?"""
    if not rows or not pending.atomic_x:
        return False
    columns = _atomic_columns(PageTable(0, 0, 0, 0, 0, rows))
    if len(columns) != len(pending.atomic_x):
        return False
    return all(abs(a - b) <= tolerance for a, b in zip(columns, pending.atomic_x))


def _twin_by_codes(catalog: Catalog, raw: RawTable) -> str | None:
    """The twin table id when the codes a table prints belong to the other classification.

    一般公共预算基本支出明细表 is by function in one template and by economic class in another:
    its 科目编码 (2xx 类 or 3xx 类) decide.
    """
    spec = catalog.table(raw.table_id)
    if not spec.codes or not spec.twin or raw.columns is None or not raw.body_rows:
        return None
    # The code column: the one the catalog named, else the column whose cells are most often codes.
    width = len(raw.columns)
    counts = [sum(1 for r in raw.body_rows if j < len(r) and normalise_code(r[j])) for j in range(width)]
    j = raw.columns.index("code") if "code" in raw.columns else max(range(width), key=lambda k: counts[k], default=0)
    firsts = [c[0] for c in (normalise_code(r[j]) for r in raw.body_rows if j < len(r)) if c]
    if len(firsts) < 3:
        return None
    printed = "function" if firsts.count("2") > len(firsts) / 2 else "economic" if firsts.count("3") > len(firsts) / 2 else None
    return spec.twin if printed and printed != spec.codes else None


def _made_of(text: str, words: set[str]) -> bool:
    """Whether ``text`` is two or more of ``words`` run together (cells merged on this page)."""
    if not text:
        return False
    for w in words:
        if len(w) >= 2 and text.startswith(w) and (text[len(w):] in words or _made_of(text[len(w):], words)):
            return True
    return False


def _leading_header_words(catalog: Catalog, spec: TableSpec, rows: list[list[Cell]]) -> set[str]:
    """The folded texts of a piece's header rows (the rows above its first body row)."""
    words: set[str] = set()
    for row in rows:
        texts = [c.text for c in row if c.text.strip()]
        if _is_body_row(catalog, spec, texts) or is_numbering_row(texts):
            break
        words.update(fold(t) for t in texts)
    return words


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / max(len(a), 1)


def _is_text_box(rows: list[list[Cell]]) -> bool:
    """A ruled area holding prose, not a table: no row has two cells with text, nothing amount-like."""
    filled = [[c for c in r if c.text.strip()] for r in rows]
    return all(len(r) <= 1 for r in filled) and not any(looks_like_amount(c.text) for r in filled for c in r)


def _assemble(path: Path, pages: list[PageContent], catalog: Catalog, doc: Document) -> None:
    """Turn the tables found on each page into the document's tables and narrative.

    Every table found is kept: a standard table under its catalog id, a table the catalog does
    not know under ``other-N`` with its printed title. A piece of table continues the one
    before it when it repeats that table's title (templates that print the title on every
    page) or, without a title, when its columns stand where that table's did.
    """
    name = path.name
    pending: _Pending | None = None
    any_budget_words = False
    counters: dict[str, int] = {}

    def finish() -> None:
        nonlocal pending
        if pending is None:
            return
        raw = pending.raw
        raw.empty = not any(any(c for i, c in enumerate(r) if raw.columns is None or raw.columns[i] not in ("code", "name")) for r in raw.body_rows) or not raw.body_rows
        twin = _twin_by_codes(catalog, raw)
        if twin is not None:
            raw.table_id = _new_key(doc, twin, counters)
        doc.tables[raw.table_id] = raw
        pending = None

    carry: list[str] = []
    carry_page = 0
    narrative_pages: list[PageContent] = []
    for page in pages:
        if any("预算" in line or "决算" in line for line in page.text_lines):
            any_budget_words = True
        for line in page.text_lines:
            m = _PART_RE.match(_fold_spaces(line))
            if m:
                number = _part_number(m.group(1))
                title = m.group(2).strip(" .…·")
                if number and title and number not in doc.parts:
                    doc.parts[number] = title
        used = False  # does a table stand on this page?
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
            lines = above[-6:] + [ln for t in inner for ln in re.split(r"(?=公开表)|(?=部门[:：])|(?=单位[:：])", t) if ln]
            table_id, title, titled = _title_from_lines(catalog, lines)
            label = _label_from_lines(lines)
            if not titled and table_id is None and _is_text_box(rows) and not (pending is not None and page.number == pending.last_page + 1):
                continue  # a frame around prose, not a table
            used = True
            if pending is not None:
                repeated = titled and (
                    (title and _same_title(title, pending.raw.title) and (label is None or label == pending.raw.label))
                    or (not title and label is not None and label == pending.raw.label)
                )
                # A piece at the top of the page after the table's last page, with no prose
                # above it (only a running page header), is that table's next page.
                next_page = k == 0 and page.number == pending.last_page + 1 and not any(
                    len(re.findall(r"[\u4e00-\u9fff]", line)) >= _PROSE_MIN_CJK and "预算公开" not in line and "决算公开" not in line for line in above
                )
                # A piece printing its own header continues the table only when it repeats
                # that table's header (a different header is a different table).
                head = _leading_header_words(catalog, pending.spec, rows)
                # (Fragments of a row split by the page break are not a header: a different
                # table prints different header words *and* has different columns.)
                # (A table the catalog gives no columns — a 绩效目标表, a table it does not know —
                # has no header to repeat: its first rows are body rows.)
                printed_header = bool(pending.spec.columns) and sum(
                    1 for w in head if catalog.is_header_text(pending.spec, w) or w in pending.header_words) >= 3
                same_columns = _columns_match(pending, rows)
                other_table = printed_header and _overlap(head, pending.header_words) < DEFAULT_SETTINGS.other_header_share and not same_columns
                same_header = printed_header and _overlap(head, pending.header_words) >= DEFAULT_SETTINGS.repeated_header_share
                # A piece right below the table on the same page, with no line of text between
                # (one table drawn as two ruled areas), is more of it.
                adjacent = k > 0 and not above and page.number == pending.last_page
                if repeated or (not titled and not other_table and (same_header or next_page or adjacent or same_columns)):
                    _append_rows(catalog, pending, rows, name, page.number, continuation=True)
                    pending.last_page = page.number
                    continue
            finish()
            key = _new_key(doc, table_id, counters)
            spec = catalog.table(key)
            raw = RawTable(
                table_id=key,
                title=title or label or "",
                location=Location(name, page=title_page),
                label=label,
                unit=_unit_from_lines(lines),
                department=_department_from_lines(lines),
            )
            pending = _Pending(raw, spec, None, page.number)
            pending.header_words = _leading_header_words(catalog, spec, rows)
            _append_rows(catalog, pending, rows, name, page.number, continuation=False)
            if raw.unit is None and catalog.knows(key):
                doc.warnings.append(f"{name} p.{page.number}: no 单位 line for {key}")
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
        elif page.narrative_lines:
            narrative_pages.append(page.narrative_only())
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
    cells = [c for r in rows for c in r]
    if cells:
        raw.regions.append(Region(page, min(c.left for c in cells), min(c.top for c in cells), max(c.right for c in cells), max(c.top + c.height for c in cells)))
    raw.file = raw.file or file
    table = PageTable(page, 0, 0, 0, 0, rows)
    columns = _atomic_columns(table) if rows else []
    grid = [_grid_row(columns, r) for r in rows]
    start = 0
    if continuation:
        # Only repeated header rows are dropped on a continuation page.
        seen = {fold(t) for r in raw.header_rows for t in r if t} | pending.header_words

        def repeated(texts: list[str]) -> bool:
            # Header cells may merge differently on each page (部门经济科目编码政府经济科目编码):
            # a row of no amounts whose texts are mostly header words (or made of them) repeats it.
            known = [t for t in texts if t and (fold(t) in seen or fold(t) in _SPLIT_CODE or _made_of(fold(t), seen))]
            filled = [t for t in texts if t]
            return bool(filled) and len(known) >= 0.6 * len(filled) and not any(looks_like_amount(t) for t in filled)

        while start < len(grid) and any(grid[start]) and repeated(grid[start]) and not _is_body_row(catalog, spec, grid[start]):
            start += 1
    else:
        while start < len(grid) and not _is_body_row(catalog, spec, grid[start]):
            start += 1
    header_rows, body_rows = rows[:start], rows[start:]
    body_grid = grid[start:]
    # A row numbering the columns (栏次 ** 1 2 3 …) names no column and holds no amount.
    header_rows = [r for r in header_rows if not is_numbering_row([c.text for c in r])]
    kept = [k for k, g in enumerate(body_grid) if not is_numbering_row(g)]
    body_rows, body_grid = [body_rows[k] for k in kept], [body_grid[k] for k in kept]
    header_grid = [_header_grid(columns, r) for r in header_rows]

    def positional(ids: list[str | None]) -> list[str | None]:
        # A column the catalog cannot name keeps its place under a positional id: its cells
        # must neither vanish nor move (an empty spacer column without a header is dropped).
        # A positional id is never one another column of this page already has (two columns
        # under one id would be joined into one cell).
        out: list[str | None] = []
        used = {cid for cid in ids if cid is not None}
        for i, cid in enumerate(ids):
            if cid is None and (any(g[i] for g in body_grid) or any(h[i] for h in header_grid)):
                cid = f"col{i + 1}"
                while cid in used:
                    cid += "′"
                used.add(cid)
            out.append(cid)
        return out

    if header_rows:
        # The page prints the header (the first page, or a repeated header): name its columns.
        ids = positional(_map_columns(spec, _header_paths(columns, header_rows), body_grid))
        pending.atomic_ids, pending.atomic_x = ids, columns
    elif pending.atomic_x:
        # Same columns as on the previous page: match by x position (templates shift a column
        # by a few points from page to page: the nearest edge within a third of a column width).
        ids = []
        widths = [b - a for a, b in zip(pending.atomic_x, pending.atomic_x[1:])] or [30.0]
        tolerance = max(DEFAULT_SETTINGS.continuation_column_shift, min(widths) / 3)
        taken: set[int] = set()
        for x in columns:
            near = min(range(len(pending.atomic_x)), key=lambda k: abs(pending.atomic_x[k] - x))
            # One printed column per column of the first page: two columns here never merge into one.
            if abs(pending.atomic_x[near] - x) <= tolerance and near not in taken:
                taken.add(near)
                ids.append(pending.atomic_ids[near])
            else:
                ids.append(None)
        ids = positional(ids)
    else:
        ids = positional(_fallback_columns(spec, body_grid, len(columns)))
        if columns:
            pending.atomic_ids, pending.atomic_x = ids, columns
    out_ids, out_rows, out_headers = _collapse(ids, body_grid, header_grid, pending.code_carry)
    out_headers = [h for h in out_headers if any(h)]
    if not raw.header_rows and out_headers:
        raw.header_rows = out_headers
    if raw.columns is None:
        raw.columns = out_ids
        pending.ids = out_ids
    elif out_ids != raw.columns:
        # Align by column id; a column first seen on this page is added (earlier rows blank there).
        for cid in out_ids:
            if cid not in raw.columns:
                raw.columns.append(cid)
                for row in raw.body_rows:
                    row.append("")
                for row in raw.header_rows:
                    row.append("")
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
    for row, _cells in zip(out_rows, body_rows):
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


def read_pdf_document(paths: list[Path], doc_id: str, metadata: dict, backend: str = "grid",
                      pages: dict[str, set[int]] | None = None) -> Document:
    """Read one disclosure printed as one or more PDF files.

    Args:
        paths: The files in reading order (e.g. narrative part, then tables part).
        doc_id: The document id.
        metadata: Manifest fields, stored on the document.
        backend: ``"grid"`` (default, budgetkit's own), ``"tabula"`` (needs Java) or ``"pdfplumber"``.
        pages: For the other backends: the pages to look for tables on, by file name (a second
            reading of a few tables need not read the whole document again).

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
            _read_file(path, backend, catalog, doc, table_pages=None if pages is None else pages.get(path.name, set()))
        except NotADisclosureError as exc:
            errors.append(exc)
    if errors and len(errors) == len(paths):
        raise errors[0]
    return doc


_TOC_HEAD_RE = re.compile(r"^目\s*录$")
_TOC_SPLIT_RE = re.compile(r"[.…·．]{3,}\s*\d*|\s{2,}\d{1,3}(?=\s|$)")
_TOC_NUMBER_RE = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[、.．])\s*")


def table_of_contents(pages: list[PageContent], catalog: Catalog) -> dict | None:
    """The tables a document's table of contents (目录) lists, with catalog ids where known.

    The 目录 is looked for on the first pages; its entries (one a line, or several a line
    between dot leaders) that read as a table title are kept: ``tables`` the catalog ids,
    ``titles`` every listed table title as printed. ``None`` when there is no 目录.
    """
    for index, page in enumerate(pages[:6]):
        if not any(_TOC_HEAD_RE.match(_fold_spaces(line)) for line in page.text_lines):
            continue
        lines = list(page.text_lines)
        if index + 1 < len(pages) and not pages[index + 1].tables and sum(bool(_TOC_SPLIT_RE.search(t)) for t in pages[index + 1].text_lines) >= 3:
            lines += pages[index + 1].text_lines  # a 目录 over two pages
        toc: dict = {"parts": [], "tables": [], "titles": []}
        for line in lines:
            for entry in _TOC_SPLIT_RE.split(line):
                entry = _TOC_NUMBER_RE.sub("", entry.strip()).strip(" .…·")
                if not entry or _TOC_HEAD_RE.match(_fold_spaces(entry)):
                    continue
                part = _PART_RE.match(_fold_spaces(entry))
                if part:
                    number = _part_number(part.group(1))
                    if number and number not in toc["parts"]:
                        toc["parts"].append(number)
                    continue
                table_id = catalog.match_title(entry)
                if table_id is None and not _is_title_line(entry):
                    continue
                toc["titles"].append(entry)
                if table_id and table_id not in toc["tables"]:
                    toc["tables"].append(table_id)
        return toc if toc["titles"] else None
    return None
