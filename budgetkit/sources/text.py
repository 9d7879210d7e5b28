"""Reader for text dumps of a disclosure: one table row a line, cells separated by tabs.

The seed (沁水县公安局2025年度部门预算公开) comes in this form. The dump keeps the order of the
PDF: a table of contents, 第一部分 概况, 第二部分 the standard tables (label such as 预算公开表1,
title, 部门名称 and 单位 lines, header rows, body rows, ``注：本表无数据`` for an empty table),
第三部分 the narrative with the 绩效目标表 blocks, 第四部分 名词解释.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from budgetkit.amounts import normalise_unit
from budgetkit.catalog import Catalog, fold, load_catalog
from budgetkit.errors import (
    EmptyFileError,
    EncodingError,
    MissingTableError,
    NotADisclosureError,
    TruncatedDocumentError,
)
from budgetkit.limits import check_text
from budgetkit.model import Document, Location, RawTable, SourceFile, TextBlock, TextLine
from budgetkit.sources.columns import name_columns
from budgetkit.vocabulary import chinese_number, label_re, part_re
from budgetkit.sources.layout import split_header_body

_PART_RE = part_re()  # 第N部分 (budgetkit/data/vocabulary.toml)
_TOC_RE = re.compile(r"(\.{3,}|…{2,}|\t\s*\d+\s*$)")
_DOT_LEADER_RE = re.compile(r"(\.{4,}|…{2,})")
_LABEL_RE = label_re("only")
_BLOCK_TITLE_RE = re.compile(r"绩效目标(申报)?表$")
_YEAR_LINE_RE = re.compile(r"^[(（]?\d{4}[)）]?年度?[)）]?$")


def decode_text(data: bytes, path: Path, encoding: str | None = None) -> tuple[str, str]:
    """Decode a dump: UTF-8 (with or without BOM) first, then GB18030 (a superset of GBK).

    Args:
        data: The file's bytes.
        path: For error messages.
        encoding: Force an encoding instead of guessing.

    Returns:
        The text and the encoding used.

    Raises:
        EmptyFileError: The file has no content.
        EncodingError: The bytes are not valid in the forced encoding, or in neither guess.
    """
    if not data.strip():
        raise EmptyFileError(path, "the file is empty")
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            hint = _guess_hint(data)
            raise EncodingError(path, f"cannot be decoded as {encoding} ({exc}){hint}") from exc
    for candidate in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(candidate), candidate
        except UnicodeDecodeError:
            continue
    raise EncodingError(path, "is neither UTF-8 nor GB18030/GBK text; pass the right encoding with --encoding")


def _guess_hint(data: bytes) -> str:
    for candidate in ("utf-8-sig", "gb18030"):
        try:
            data.decode(candidate)
            return f"; it decodes as {candidate} — drop --encoding to let budgetkit detect it, or pass --encoding {candidate}"
        except UnicodeDecodeError:
            continue
    return ""


def _numeral(text: str) -> int:
    return chinese_number(text) or 0


def _is_toc(text: str) -> bool:
    return bool(_TOC_RE.search(text))


class _TableBuilder:
    def __init__(self, table_id: str, title: str, location: Location, label: str | None):
        self.table = RawTable(table_id=table_id, title=title, location=location, label=label)
        self.rows: list[TextLine] = []


def read_text_document(
    paths: list[Path] | Path,
    doc_id: str,
    metadata: dict[str, Any] | None = None,
    encoding: str | None = None,
    catalog: Catalog | None = None,
) -> Document:
    """Read a text dump (or several, in order) into a :class:`Document`.

    Args:
        paths: The dump file(s) of one document.
        doc_id: Document id.
        metadata: Manifest fields; ``template`` names the tables the document must print.
        encoding: Force an encoding (default: detect UTF-8, then GB18030/GBK).
        catalog: The table catalog (default: the bundled one).

    Raises:
        EmptyFileError, EncodingError: The bytes cannot be read as text.
        NotADisclosureError: No standard table title is found.
        TruncatedDocumentError: Required tables are missing and the text stops before the
            narrative (the file was cut).
        MissingTableError: Required tables are missing from a complete-looking document.
    """
    catalog = catalog or load_catalog()
    metadata = dict(metadata or {})
    paths = [Path(paths)] if isinstance(paths, (str, Path)) else [Path(p) for p in paths]
    document = Document(doc_id=doc_id, metadata=metadata, files=[])
    for index, path in enumerate(paths, start=1):
        check_text(path)
        text, used = decode_text(path.read_bytes(), path, encoding)
        document.files.append(SourceFile(path=path.name, role="document", part=index))
        document.metadata.setdefault("encoding", used)
        _parse_lines(document, path.name, text.splitlines(), catalog)
    _validate(document, paths, catalog)
    return document


def _parse_lines(document: Document, file_name: str, raw_lines: list[str], catalog: Catalog) -> None:
    lines = [TextLine(line.rstrip("\r\n").rstrip(" "), Location(file_name, line=i)) for i, line in enumerate(raw_lines, start=1)]
    part = 0
    in_toc = False
    pending_label: str | None = None
    current: _TableBuilder | None = None
    block: TextBlock | None = None
    other: TextBlock | None = None
    loose: list[TextLine] = []

    def close_table() -> None:
        nonlocal current
        if current is not None:
            _finish_table(document, current, catalog)
            current = None

    def close_blocks() -> None:
        nonlocal block, other
        if block is not None:
            document.performance_blocks.append(block)
            block = None
        if other is not None:
            document.other_blocks.append(other)
            other = None

    for line in lines:
        text = line.text
        stripped = text.strip()
        has_tabs = "\t" in text
        if not stripped:
            continue
        if stripped in {"目 录", "目录", "目  录"}:
            in_toc = True
            continue
        heading = _PART_RE.match(stripped) if not has_tabs or _is_toc(stripped) else None
        if heading:
            if _is_toc(stripped):
                _note_toc_entry(document, stripped, catalog)
                continue
            in_toc = False
            close_table()
            close_blocks()
            part = _numeral(heading.group(1))
            document.parts[part] = stripped
            continue
        if in_toc or _DOT_LEADER_RE.search(stripped):
            _note_toc_entry(document, stripped, catalog)
            continue
        if current is not None:
            if has_tabs:
                if stripped.startswith(("注：", "注:")):
                    _add_note(current.table, stripped)
                else:
                    current.rows.append(line)
                continue
            if stripped.startswith(("注：", "注:")):
                _add_note(current.table, stripped)
                continue
            unit = normalise_unit(stripped)
            if unit and current.table.unit is None and not current.rows:
                current.table.unit = unit
                continue
            if re.match(r"^(部门|单位)名称\s*[：:]", stripped) and not current.rows:
                current.table.department = re.split(r"[：:]", stripped, maxsplit=1)[1].strip()
                continue
            close_table()
        # Not inside a table.
        if not has_tabs and _LABEL_RE.match(fold(stripped)):
            pending_label = stripped
            continue
        table_id = catalog.match_title(stripped) if not has_tabs else None
        if table_id and part in (0, 2) and not _BLOCK_TITLE_RE.search(fold(stripped)):
            close_blocks()
            current = _TableBuilder(table_id, stripped, line.location, pending_label)
            pending_label = None
            continue
        pending_label = None
        if not has_tabs and _BLOCK_TITLE_RE.search(fold(stripped)):
            close_blocks()
            kind = "整体支出" if "整体" in stripped else "项目支出"
            block = TextBlock(kind=kind, title=stripped, lines=[])
            continue
        if block is not None:
            if has_tabs or _YEAR_LINE_RE.match(fold(stripped)):
                block.lines.append(line)
                continue
            close_blocks()
        if has_tabs:
            if other is None:
                other = TextBlock(kind="other", title="", lines=[])
            other.lines.append(line)
            continue
        if other is not None:
            close_blocks()
        if part == 3:
            document.narrative.append(line)
        elif part == 0:
            loose.append(line)
    close_table()
    close_blocks()
    if not document.parts:
        # No 第N部分 headings: every prose line may restate numbers.
        document.narrative.extend(loose)


def _note_toc_entry(document: Document, text: str, catalog: Catalog) -> None:
    """Remember what the table of contents announces: parts and standard tables."""
    entry = re.sub(r"(\.{3,}|…{2,}).*$", "", text.split("\t")[0]).strip()
    toc = document.metadata.setdefault("toc", {"parts": [], "tables": []})
    heading = _PART_RE.match(entry)
    if heading:
        toc["parts"].append(_numeral(heading.group(1)))
        return
    table_id = catalog.match_title(entry)
    if table_id and table_id not in toc["tables"]:
        toc["tables"].append(table_id)


def _add_note(table: RawTable, text: str) -> None:
    table.notes.append(text)
    if "无数据" in text or "无此项" in text or "本表为空" in text:
        table.empty = True


#: Column ids of the tables being read (keyed by table object), so that a continuation is named
#: like its first part.
_COLUMNS: dict[int, dict] = {}


def _finish_table(document: Document, builder: _TableBuilder, catalog: Catalog) -> None:
    table = builder.table
    spec = catalog.table(table.table_id)
    rows = [line.cells for line in builder.rows]
    header_rows, body_rows, body_index = split_header_body(rows, spec, catalog)
    existing = document.tables.get(table.table_id)
    continuation = existing is not None and fold(existing.title) == fold(table.title)
    n_columns = max((len(r) for r in body_rows + header_rows), default=0)
    # The columns are named by the one algorithm every reader uses (budgetkit.sources.columns).
    state = _COLUMNS.setdefault(id(existing) if continuation else id(table), {"ids": None, "carry": {}})
    if n_columns:
        table.columns, body_rows, named_headers, state["ids"] = name_columns(
            spec, header_rows, body_rows, n_columns, state["ids"] if continuation else None, state["carry"]
        )
        header_rows = [h for h in named_headers if any(h)] or header_rows
    table.header_rows = header_rows
    table.body_rows = body_rows
    table.body_locations = [builder.rows[i].location for i in body_index]
    if not body_rows:
        table.empty = True
    if existing is not None:
        if continuation:
            # The same title again: a continuation printed with its title repeated.
            existing.body_rows.extend(table.body_rows)
            existing.body_locations.extend(table.body_locations)
            existing.empty = existing.empty and table.empty
            return
        document.warnings.append(
            f"{table.location}: a second table matches {table.table_id} ({table.title!r}); kept the first ({existing.title!r})"
        )
        return
    document.tables[table.table_id] = table


def _validate(document: Document, paths: list[Path], catalog: Catalog) -> None:
    where = ", ".join(str(p) for p in paths)
    if not document.tables:
        raise NotADisclosureError(
            where,
            "not a budget disclosure: no standard budget table (预算收支总表, 收入总表, 支出总表 …) was found"
            + ("" if document.metadata.get("encoding", "utf-8").startswith("utf") else f" (read as {document.metadata['encoding']})"),
        )
    template = catalog.template(document.metadata.get("template"))
    toc = document.metadata.get("toc") or {"parts": [], "tables": []}
    # A table the template requires, or that the document's own table of contents announces.
    announced = list(template.required) + [t for t in toc["tables"] if t not in template.required]
    missing = [t for t in announced if t not in document.tables]
    missing_parts = [p for p in toc["parts"] if p not in document.parts]
    if missing_parts and not missing:
        raise TruncatedDocumentError(
            where, f"the table of contents announces 第{'、'.join(map(str, missing_parts))}部分 but the text stops before — is the file truncated?"
        )
    if not missing:
        return
    names = "、".join(f"{catalog.table(t).title} ({t})" for t in missing)
    last = list(document.tables.values())[-1]
    if (3 not in document.parts and document.parts) or missing_parts:
        raise TruncatedDocumentError(
            where,
            f"the text stops after {last.title} ({last.location}) without the 情况说明; missing table(s): {names} — is the file truncated?",
        )
    raise MissingTableError(where, f"missing table(s): {names}")
