"""What a report page shows and how: numbers formatted as printed, tables, status labels, evidence.

The notebooks in ``notebooks/`` call these helpers so that every page looks and reads alike:

* :func:`fmt` — any value as a reader should see it: amounts with thousands separators and the
  decimals they were printed with, blanks as blanks, never ``None``/``NaN``/``True``;
* :func:`table_html` / :func:`show` — a DataFrame as an HTML table, every text escaped, status
  ids as the labels of :mod:`budgetkit.status`; ``sortable=True`` lets the reader sort and
  filter it (the page's own script, no network);
* :func:`finding_card` — one error or doubt as a sentence: what the disclosure says, what its
  own numbers give, the arithmetic, where — with the evidence beside it: the part of the PDF
  page around the printed numbers (rendered with pypdfium2, the numbers marked), or the lines
  of a text dump;
* :func:`figure_files` — a chart saved as PNG and SVG with the numbers behind it as CSV.
"""

from __future__ import annotations

import base64
import html
import io
import json
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from budgetkit.status import STATUSES, badge, label, normalise

#: Escape text from a document for HTML (every page's one way to do it).
escape = html.escape

#: Columns whose values are status ids (shown as labels).
STATUS_COLUMNS = {"status", "结论", "rate_status", "核对状态"}


# --------------------------------------------------------------------------- values


def is_missing(value: Any) -> bool:
    """None, NaN, NA, NaT — nothing to show."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def fmt(value: Any, decimals: int | None = None) -> str:
    """A value as text for a page.

    Decimals keep the decimals they carry (``Decimal("12270.45")`` → ``12,270.45``), other numbers
    get thousands separators, blanks are ``""``, booleans 是/否, lists are joined with 、.

    Args:
        value: Anything a frame may hold.
        decimals: Round numbers to this many decimals (half-up) instead.
    """
    if isinstance(value, (list, tuple, set)):
        return "、".join(fmt(v) for v in value if not is_missing(v))
    if isinstance(value, dict):
        return "；".join(f"{k} {fmt(v)}" for k, v in value.items())
    if is_missing(value):
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        if decimals is not None:
            value = value.quantize(Decimal(1).scaleb(-decimals))
        places = max(0, -value.as_tuple().exponent) if value.is_finite() else 0
        return f"{value:,.{places}f}"
    if isinstance(value, int) or (hasattr(value, "dtype") and str(getattr(value, "dtype", "")).startswith("int")):
        return f"{int(value):,}"
    if isinstance(value, float):
        if math.isinf(value):
            return "∞"
        return f"{value:,.{2 if decimals is None else decimals}f}"
    return str(value)


def amount_text(value: Any, unit: str | None = None) -> str:
    """An amount with its unit: ``12,270.45 万元``."""
    text = fmt(value)
    return f"{text} {unit}".strip() if text and unit else text


# --------------------------------------------------------------------------- tables


def _cell_html(column: str, value: Any, status_column: bool = False, decimals: int | None = None) -> str:
    if (status_column or column in STATUS_COLUMNS) and isinstance(value, str) and normalise(value) in STATUSES:
        return badge(value)
    if isinstance(value, RawHTML):
        return value.html
    if _is_year_column(column) and isinstance(value, (int, float)) and not is_missing(value):
        return html.escape(str(int(value)))
    return html.escape(fmt(value, decimals if isinstance(value, (Decimal, float)) else None))


def _is_year_column(column: Any) -> bool:
    return "year" in str(column).lower() or "年度" in str(column)


def _column_decimals(column: Any) -> int | None:
    """Amounts converted to 万元 show 0.01 万元 (the exact values are in the CSV and the workbook)."""
    name = str(column)
    return 2 if name.endswith("_wan") or "万元" in name else None


@dataclass(frozen=True)
class RawHTML:
    """HTML the code wrote itself (a link, a badge) to put in a table cell unescaped."""

    html: str


def link(href: str, text: str) -> RawHTML:
    """A relative link for a table cell (both parts escaped)."""
    return RawHTML(f'<a href="{html.escape(href, quote=True)}">{html.escape(text)}</a>')


_NUMBER_TEXT_RE = re.compile(r"^[-+]?[\d,]*\.?\d+%?$")


def _numeric(series: pd.Series) -> bool:
    """A column of numbers (or of numbers written as text): shown right-aligned."""
    values = [v for v in series if not is_missing(v) and v != ""]
    return bool(values) and all(
        (isinstance(v, (int, float, Decimal)) and not isinstance(v, bool)) or (isinstance(v, str) and _NUMBER_TEXT_RE.match(v))
        for v in values)


#: Columns of long text, given room to read.
WIDE_COLUMNS = {"检查", "说明", "核对说明", "原句", "message"}


#: Headers a reader sees for the columns of budgetkit's frames (the id stays in the cell's tooltip,
#: in the CSV and in the workbook).
COLUMN_LABELS = {
    "code": "科目编码", "name": "科目名称", "class_name": "类", "item": "项目", "item_name": "项目", "subject": "所述科目",
    "section_name": "所在部分", "level": "级次", "status": "状态", "direction": "方向", "page": "页",
    "budget_wan": "预算数（万元）", "final_wan": "决算数（万元）", "difference_wan": "决算 − 预算（万元）",
    "amount_wan": "金额（万元）", "table_final_wan": "表中决算数（万元）", "budget_initial_wan": "年初预算（万元）",
    "budget_adjusted_wan": "调整预算（万元）", "rate_pct": "执行率 %", "rate_initial_pct": "完成年初预算 %",
    "rate_adjusted_pct": "完成调整预算 %", "stated_rate_pct": "所述比率 %", "share_pct": "占比 %", "coverage_pct": "覆盖 %",
    "budget_where": "预算出处", "final_where": "决算出处",
}


def table_html(frame: pd.DataFrame, *, sortable: bool = False, status_column: str | None = None, caption: str | None = None,
               index: bool = False, max_rows: int | None = None) -> str:
    """A DataFrame as an HTML table: escaped, formatted, status ids as labels.

    Args:
        frame: The table.
        sortable: Let the reader sort (click a header) and filter it (a search box and the
            status buttons): the page's own script does it offline; without script the table is
            still complete.
        status_column: The column whose status marks each row (``bk-row-<status>``, for filtering).
        caption: A caption above the table.
        index: Show the index as the first column.
        max_rows: Show at most this many rows (and say how many more there are).
    """
    frame = frame.reset_index() if index else frame
    status_column = status_column or next((c for c in frame.columns if c in STATUS_COLUMNS), None)
    shown = frame if max_rows is None else frame.head(max_rows)
    numeric = {c for c in frame.columns if _numeric(frame[c])}
    statuses = {c for c in frame.columns
                if (values := [v for v in frame[c] if isinstance(v, str) and v]) and all(normalise(v) in STATUSES for v in values)}
    places = {c: _column_decimals(c) for c in frame.columns}
    head = "".join(f'<th{" class=bk-num" if c in numeric else ""} title="{html.escape(str(c))}">'
                   f'{html.escape(COLUMN_LABELS.get(str(c), str(c)))}</th>' for c in frame.columns)
    rows = []
    for record in shown.itertuples(index=False):
        values = dict(zip(frame.columns, record))
        status = normalise(values.get(status_column)) if status_column else None
        css = f' class="bk-row-{status}"' if status in STATUSES else ""
        cells = "".join(f'<td{" class=bk-num" if c in numeric else (" class=bk-wide" if c in WIDE_COLUMNS else "")}>'
                        f"{_cell_html(c, values[c], c in statuses, places[c])}</td>" for c in frame.columns)
        rows.append(f"<tr{css}>{cells}</tr>")
    more = f'<p class="bk-more">… 另有 {len(frame) - len(shown)} 行（完整数据见下载的 CSV / xlsx）</p>' if len(shown) < len(frame) else ""
    classes = "bk-table" + (" bk-sortable" if sortable else "")
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f'<div class="bk-scroll"><table class="{classes}">{cap}<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>{more}'


def show(frame: pd.DataFrame, **kwargs: Any) -> None:
    """Display a frame in a notebook with :func:`table_html`."""
    from IPython.display import HTML, display

    display(HTML(table_html(frame, **kwargs)))


def show_html(text: str) -> None:
    from IPython.display import HTML, display

    display(HTML(text))


def status_legend(statuses: Iterable[str] | None = None) -> str:
    """The status labels with what they mean (all, or the ones given)."""
    wanted = [normalise(s) for s in statuses] if statuses is not None else list(STATUSES)
    items = "".join(f"<li>{badge(s)} {html.escape(STATUSES[s].meaning)}</li>" for s in STATUSES if s in wanted)
    return f'<ul class="bk-legend">{items}</ul>'


def counts_html(findings: pd.DataFrame) -> str:
    """Checks run, and how many ended in each status, as one line of labels."""
    counts = findings["status"].map(normalise).value_counts()
    parts = [f"{badge(s)} {int(counts[s])}" for s in STATUSES if counts.get(s, 0)]
    return f'<p class="bk-counts">共 {len(findings)} 项核对：' + " · ".join(parts) + "</p>"


# --------------------------------------------------------------------------- findings as sentences


def refs_of(finding: dict | pd.Series) -> list[dict]:
    """The numbers a finding rests on (its ``refs``); else the places its ``location`` names."""
    value = finding.get("refs") if hasattr(finding, "get") else None
    refs = []
    if isinstance(value, str) and value:
        try:
            refs = json.loads(value)
        except ValueError:
            refs = []
    if isinstance(refs, list) and refs:
        return refs
    return places_of(str(finding.get("location") or "") if hasattr(finding, "get") else "")


_SEGMENT_RE = re.compile(r"^(?P<file>\S+\.(?:pdf|txt|PDF|TXT))\s*(?P<rest>.*)$")


def places_of(location: str) -> list[dict]:
    """``file title: p.16 (201), line 98 (上年结转) | other …`` as refs (file, page, line, label), no text."""
    refs = []
    for segment in location.split(" | "):
        match = _SEGMENT_RE.match(segment.strip())
        if not match:
            continue
        rest = match.group("rest")
        label = rest.split(":", 1)[0].strip() if ":" in rest else re.sub(r".*\((.*)\)\s*$", r"\1", rest)
        for page, line in re.findall(r"(?:p\.(\d+))?\s*(?:line (\d+))?", rest):
            ref = {"file": match.group("file"), "page": int(page) if page else None, "line": int(line) if line else None,
                   "label": label, "text": None}
            if (page or line) and ref not in refs:
                refs.append(ref)
    return refs


def places_text(refs: list[dict], location: str = "") -> str:
    """Where to look, page and line first: ``js-npc-office-2017.pdf 第28页第13行（情况说明「因公出国（境）费」）；第20页（“三公”经费表）``."""
    parts = []
    for ref in refs:
        where = []
        if ref.get("page"):
            where.append(f"第{ref['page']}页")
        if ref.get("line"):
            where.append(f"第{ref['line']}行")
        if not where:
            continue
        label = str(ref.get("label") or "").split("「")[0].strip() or "?"
        entry = f"{ref.get('file', '')} {''.join(where)}（{label}）".strip()
        if entry not in parts:
            parts.append(entry)
    return "；".join(parts) or location


def arithmetic_text(finding: dict | pd.Series) -> str:
    """``所印 8.75% · 按文件自身数字应为 26.6915% · 差 -17.9415% · 舍入容差 ±0.0112%``."""
    unit = str(finding.get("unit") or "")
    suffix = unit if unit == "%" else (f" {unit}" if unit else "")

    def number(key: str) -> str | None:
        value = finding.get(key)
        return None if is_missing(value) or str(value) == "" else _grouped(str(value))

    parts = []
    for key, name in (("actual", "所印 "), ("expected", "按文件自身数字应为 "), ("difference", "差 "), ("tolerance", "舍入容差 ±")):
        value = number(key)
        if value is not None:
            parts.append(f"{name}{value}{suffix if _NUMBER_TEXT_RE.match(value) else ''}")
    return " · ".join(parts)


def _grouped(text: str) -> str:
    """``13649.07`` → ``13,649.07`` (a number as the findings write it, with separators)."""
    match = re.fullmatch(r"(-?)(\d+)(\.\d+)?", text.replace(",", ""))
    if not match:
        return text
    sign, whole, frac = match.groups()
    return f"{sign}{int(whole):,}{frac or ''}"


def finding_card(finding: dict | pd.Series, *, sources: "Sources | None" = None) -> str:
    """One error or doubt for a reader: the verdict and the sentence, the arithmetic, where, and the evidence."""
    status = normalise(finding.get("status"))
    refs = refs_of(finding)
    where = places_text(refs, str(finding.get("location") or ""))
    evidence = sources.evidence(finding) if sources is not None else ""
    return (
        f'<div class="bk-card bk-card-{status}">'
        f'<p class="bk-card-head">{badge(status)} {html.escape(str(finding.get("message") or ""))}</p>'
        f'<p class="bk-card-numbers">{html.escape(arithmetic_text(finding))}</p>'
        f'<p class="bk-card-where">在哪里：{html.escape(where)} · 规则 <code>{html.escape(str(finding.get("rule_id") or ""))}</code></p>'
        f"{evidence}</div>"
    )


# --------------------------------------------------------------------------- evidence from the source files


class Sources:
    """The source files of a document, to show the evidence of a finding.

    Args:
        files: ``document.json``'s files (``path`` as given when extracted).
        root: The folder relative paths are relative to (where ``budgetkit`` ran).
        recorded: The files' absolute paths where ``budgetkit report`` recorded them.
    """

    @classmethod
    def of(cls, doc, root: str | Path = ".") -> "Sources":
        """The sources of a processed document."""
        return cls(doc.summary.get("files", []), root, doc.folder.source_paths())

    def __init__(self, files: list[dict], root: str | Path = ".", recorded: Iterable[Path] = ()):
        self.root = Path(root)
        self.paths: dict[str, Path] = {}
        known = {Path(p).name: Path(p) for p in recorded}
        for entry in files:
            path = Path(str(entry.get("path", "")))
            for candidate in (known.get(path.name, path), path, self.root / path, self.root / "data" / "raw" / path.name):
                if candidate.is_file():
                    self.paths[path.name] = candidate
                    break
        self._lines: dict[str, list[str]] = {}

    def evidence(self, finding: dict | pd.Series, *, max_pages: int = 3) -> str:
        """The evidence of a finding as HTML: PDF page crops around its numbers, or text-dump lines."""
        refs = [r for r in refs_of(finding) if r.get("file") in self.paths]
        if not refs:
            return ""
        pieces = []
        by_page: dict[tuple[str, int | None], list[dict]] = {}
        for ref in refs:
            by_page.setdefault((ref["file"], ref.get("page")), []).append(ref)
        extra = []
        if str(finding.get("unit")) == "%" and finding.get("actual"):
            extra.append(f"{finding.get('actual')}%")  # the stated share, printed beside the amount
        for (file, page), page_refs in list(by_page.items())[:max_pages]:
            path = self.paths[file]
            if path.suffix.lower() == ".pdf" and page:
                texts = [r.get("text") for r in page_refs if r.get("text")]
                if any(r.get("table_id") is None for r in page_refs):
                    texts += extra
                # A table cell is cut with the headers above it (what the column is).
                above = 170 if all(r.get("table_id") for r in page_refs) else CROP_MARGIN_PT
                image = crop_pdf_page(path, int(page), texts, above_pt=above)
                if image:
                    caption = f"{file} 第{page}页：" + "、".join(dict.fromkeys(str(r.get("label") or "") for r in page_refs))
                    pieces.append(f'<figure class="bk-evidence"><img alt="{html.escape(caption)}" src="data:image/png;base64,{image}">'
                                  f"<figcaption>{html.escape(caption)}</figcaption></figure>")
            elif path.suffix.lower() != ".pdf":
                lines = sorted({int(r["line"]) for r in page_refs if r.get("line")})
                if lines:
                    pieces.append(self._lines_html(file, lines))
        return "".join(pieces)

    def _lines_html(self, file: str, lines: list[int], context: int = 1) -> str:
        text = self._text_lines(file)
        wanted = sorted({n for line in lines for n in range(max(1, line - context), min(len(text), line + context) + 1)})
        rows = []
        previous = None
        for number in wanted:
            if previous is not None and number > previous + 1:
                rows.append('<span class="bk-gap">⋯</span>')
            mark = " bk-hit" if number in lines else ""
            rows.append(f'<span class="bk-line{mark}"><span class="bk-lineno">{number}</span>{html.escape(text[number - 1])}</span>')
            previous = number
        return f'<figure class="bk-evidence"><pre class="bk-lines">{"".join(rows)}</pre><figcaption>{html.escape(file)} 第{"、".join(map(str, lines))}行</figcaption></figure>'

    def _text_lines(self, file: str) -> list[str]:
        if file not in self._lines:
            from budgetkit.sources.text import decode_text

            path = self.paths[file]
            text, _ = decode_text(path.read_bytes(), path)
            self._lines[file] = text.splitlines()
        return self._lines[file]


#: Render scale for evidence crops (2 = 144 dpi).
CROP_SCALE = 2.0
#: How far above and below the marked numbers a crop reaches (points).
CROP_MARGIN_PT = 36


def crop_pdf_page(path: str | Path, page_number: int, texts: list[str], *, window_pt: float = 260,
                  above_pt: float = CROP_MARGIN_PT) -> str | None:
    """The part of a PDF page around printed numbers, the numbers marked, as base64 PNG.

    The numbers are found in the page's text layer (pypdfium2); the crop is the full page width
    from a little above the first number found to a little below the last one within
    ``window_pt`` of it. ``None`` when none of the texts is on the page.
    """
    import pypdfium2 as pdfium
    from PIL import ImageDraw

    pdf = pdfium.PdfDocument(str(path))
    try:
        if not 1 <= page_number <= len(pdf):
            return None
        page = pdf[page_number - 1]
        width, height = page.get_size()
        textpage = page.get_textpage()
        boxes: list[tuple[str, tuple[float, float, float, float]]] = []
        for text in dict.fromkeys(t for t in texts if t):
            searcher = textpage.search(str(text), match_case=False, match_whole_word=False)
            while True:
                found = searcher.get_next()
                if not found:
                    break
                start, count = found
                chars = [textpage.get_charbox(i) for i in range(start, start + count)]
                left, bottom = min(c[0] for c in chars), min(c[1] for c in chars)
                right, top = max(c[2] for c in chars), max(c[3] for c in chars)
                boxes.append((str(text), (left, height - top, right, height - bottom)))  # y from the top
        if not boxes:
            return None
        anchor = boxes[0][1]
        near = [b for _, b in boxes if abs(b[1] - anchor[1]) <= window_pt]
        top = max(0.0, min(b[1] for b in near) - above_pt)
        bottom = min(height, max(b[3] for b in near) + CROP_MARGIN_PT)
        image = page.render(scale=CROP_SCALE).to_pil().convert("RGB")
        draw = ImageDraw.Draw(image, "RGBA")
        for left, y0, right, y1 in near:
            draw.rectangle([left * CROP_SCALE - 3, y0 * CROP_SCALE - 3, right * CROP_SCALE + 3, y1 * CROP_SCALE + 3],
                           fill=(255, 214, 0, 70), outline=(200, 30, 30, 255), width=3)
        image = image.crop((0, int(top * CROP_SCALE), int(width * CROP_SCALE), int(bottom * CROP_SCALE)))
        buffer = io.BytesIO()
        image.convert("P", palette=1, colors=128).save(buffer, format="PNG", optimize=True)  # ADAPTIVE palette
        return base64.b64encode(buffer.getvalue()).decode("ascii")
    finally:
        pdf.close()


# --------------------------------------------------------------------------- figures


def show_figure(figure, data: pd.DataFrame | None = None, out_dir: str | Path | None = None, name: str | None = None) -> None:
    """Display a figure as an embedded PNG and free it; with ``out_dir`` and ``name`` also save it as
    ``figures/<name>.png`` and ``.svg`` with its numbers as ``.csv`` (UTF-8 BOM), linked below it."""
    from IPython.display import HTML, Image, display

    from budgetkit.figures import save_figure

    buffer = io.BytesIO()
    save_figure(figure, buffer, fmt="png")
    png = buffer.getvalue()
    display(Image(data=png, format="png"))
    if out_dir is not None and name:
        display(HTML(_figure_files(figure, png, data, Path(out_dir), name)))
    figure.clear()


def _figure_files(figure, png: bytes, data: pd.DataFrame | None, out_dir: Path, name: str) -> str:
    from budgetkit.figures import save_figure
    from budgetkit.processed import write_csv

    folder = out_dir / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.png").write_bytes(png)
    save_figure(figure, folder / f"{name}.svg")
    links = [("PNG", f"figures/{name}.png"), ("SVG", f"figures/{name}.svg")]
    if data is not None:
        table = data.drop(columns=[c for c in ("cells",) if c in data.columns]).copy()
        for column in table.columns:
            table[column] = table[column].map(lambda v: "" if is_missing(v) else (format(v, "f") if isinstance(v, Decimal) else v))
        write_csv(table, folder / f"{name}.csv")
        links.append(("CSV 数据", f"figures/{name}.csv"))
    return '<p class="bk-downloads">下载此图：' + " · ".join(
        f'<a href="{html.escape(href, quote=True)}">{html.escape(text)}</a>' for text, href in links) + "</p>"


def status_label(status: str | None) -> str:
    """The Chinese label of a status id (:func:`budgetkit.status.label`)."""
    return label(status)


# --------------------------------------------------------------------------- what the notebooks show


def load(doc_id: str, processed_dir: str | Path):
    """The processed document (:func:`budgetkit.processed.load_processed`)."""
    from budgetkit.processed import load_processed

    return load_processed(doc_id, processed_dir)


def header_html(doc, *, page: str = "") -> str:
    """Title and provenance of a document (every field escaped), and its data to download."""
    meta = doc.metadata
    facts = [meta.get("publisher"), meta.get("region"), f"{meta['fiscal_year']} 年度" if meta.get("fiscal_year") else None,
             f"模板 {meta.get('template')}" if meta.get("template") else None]
    files = "、".join(Path(str(f.get("path", ""))).name for f in doc.summary.get("files", []))
    return (f"<h2>{html.escape(doc.title)}</h2>"
            f'<p class="bk-note">{html.escape(" · ".join(str(f) for f in facts if f))} · 文件 {html.escape(files)} · '
            f"<code>{html.escape(doc.doc_id)}</code></p>")


def downloads_html(doc) -> str:
    """Links to the document's workbook and CSVs (copied beside the pages)."""
    links = [(f"{doc.doc_id}.xlsx", "Excel 工作簿（每表一页、tidy、核对）"), ("tidy.csv", "tidy.csv（每个金额一行，UTF-8 BOM）"),
             ("findings.csv", "findings.csv（每项核对一行）")]
    return '<p class="bk-downloads">数据下载：' + " · ".join(
        f'<a href="data/{html.escape(name, quote=True)}">{html.escape(text)}</a>' for name, text in links) + "</p>"


def tables_overview(doc) -> pd.DataFrame:
    """One row per table expected or found: found or not, title as printed, unit, rows, cells, reading."""
    from budgetkit.catalog import load_catalog

    catalog = load_catalog()
    extraction = {t["table_id"]: t for t in doc.extraction["tables"]}
    rows = []
    for table_id in list(dict.fromkeys(doc.extraction["tables_expected"] + doc.extraction["tables_found"])):
        found = extraction.get(table_id)
        reading = (found or {}).get("reading_status")
        rows.append({
            "表": catalog.table(table_id).title if catalog.knows(table_id) else (found or {}).get("title") or table_id,
            "状态": "未找到" if found is None else ("空表（本表无数据）" if found["empty"] else
                                              ("未可靠读取：" + str(found.get("reading_problem") or "") if reading == "unreadable" else "已提取")),
            "印刷标题": found["title"] if found else "",
            "单位": (found["unit"] or "") if found else "",
            "行数": found["body_rows"] if found else 0,
            "数值单元格": f"{found['numeric_cells_parsed']}/{found['numeric_cells_printed']}" if found else "",
            "位置": found["location"] if found else "",
        })
    return pd.DataFrame(rows)


def table_as_printed(doc, table_id: str) -> pd.DataFrame:
    """The table as printed (header path as column names, cells as printed), with its page/line."""
    frame = doc.tables[table_id].copy()
    for column in ("page", "line"):
        if column in frame and (frame[column] == "").all():
            frame = frame.drop(columns=column)
    return frame.rename(columns={"page": "页", "line": "行"})


ROLE_LABELS = {"total": "合计", "group": "小计/上级", "line": "明细", "of_which": "其中"}


def table_totals(doc, table_id: str) -> pd.DataFrame:
    """The total and group rows of a table (合计, 小计, 类 …): amounts as printed and in 元."""
    tidy = doc.tidy[doc.tidy["table_id"] == table_id]
    rows = tidy[tidy["row_role"].isin(["total", "group"]) & tidy["amount"].notna()]
    columns = ["位置", "角色", "项目", "栏目", "印刷值", "单位", "金额（元）"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    return pd.DataFrame({
        "位置": [("" if is_missing(p) else f"第{int(p)}页") + ("" if is_missing(l) else f"第{int(l)}行")
               for p, l in zip(rows["page"], rows["line"])],
        "角色": [ROLE_LABELS.get(r, r) for r in rows["row_role"]],
        "项目": [f"{c if isinstance(c, str) else ''} {i if isinstance(i, str) else ''}".strip() for c, i in zip(rows["code"], rows["item"])],
        "栏目": rows["column_label"].tolist(),
        "印刷值": rows["value_text"].tolist(),
        "单位": rows["unit"].tolist(),
        "金额（元）": [None if is_missing(a) else Decimal(a).quantize(Decimal("0.01")) for a in rows["amount_yuan"]],
    }, columns=columns)


def tidy_preview(doc, rows: int = 12) -> pd.DataFrame:
    """The first rows of the tidy table, the columns a reader needs."""
    columns = ["table_id", "row_number", "row_role", "parent_row", "code", "item", "column_label", "value_text", "unit", "amount_yuan",
               "page", "line"]
    return doc.tidy[[c for c in columns if c in doc.tidy.columns]].head(rows)


def figure_table(data: pd.DataFrame) -> pd.DataFrame:
    """The numbers a figure draws, with the checks' verdict on each (when given)."""
    out = pd.DataFrame({"项目": data["label"], "分组": data["group"], "金额": data["amount_text"], "占比": data["share_text"]})
    if "recomputed" in data.columns:
        out["其下各项合计"] = data["recomputed"]
    for column in ("status", "核对", "说明所述", "核对说明"):
        if column in data.columns:
            out[column] = data[column]
    return out.rename(columns={"status": "结论"})


def findings_table(findings: pd.DataFrame) -> pd.DataFrame:
    """Every check for the sortable table: status, rule, what, the arithmetic, where."""
    from budgetkit.checks.engine import sort_findings

    rows = sort_findings(findings)
    return pd.DataFrame({
        "结论": rows["status"].tolist(),
        "类别": rows["family"].map(FAMILY_LABELS).fillna(rows["family"]).tolist(),
        "检查": rows["message"].tolist(),
        "所印": rows["actual"].map(_grouped_or_blank).tolist(),
        "应为": rows["expected"].map(_grouped_or_blank).tolist(),
        "差": rows["difference"].map(_grouped_or_blank).tolist(),
        "容差": rows["tolerance"].map(_grouped_or_blank).tolist(),
        "单位": rows["unit"].tolist(),
        "位置": [places_text(refs_of(r), str(r.get("location") or "")) for r in rows.to_dict("records")],
        "规则": rows["rule_id"].tolist(),
    })


def _grouped_or_blank(value: Any) -> str:
    return "" if is_missing(value) else _grouped(str(value))


FAMILY_LABELS = {"within_table": "表内", "across_tables": "表间", "narrative": "文字说明", "performance": "绩效目标表"}


def printed_vs_recomputed(doc, table_id: str) -> pd.DataFrame:
    """The checks inside one table: status, identity, printed, recomputed, difference, tolerance."""
    findings = doc.findings
    if findings is None or findings.empty:
        return pd.DataFrame(columns=["结论", "检查", "所印", "应为", "差", "容差", "单位"])
    rows = findings[(findings["family"] == "within_table")
                    & findings["tables"].fillna("").str.split(",").map(lambda ts: table_id in [t.strip() for t in ts])]
    return findings_table(rows).drop(columns=["类别", "位置", "规则"])


def yoy_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A year-over-year frame (:func:`budgetkit.compare.year_over_year`) with its columns named for a reader."""
    names = {"code": "科目编码", "level": "级次", "name": "名称"}
    for column in frame.columns:
        if match := re.fullmatch(r"(\d{4})_wan", str(column)):
            names[column] = f"{match.group(1)}年（万元）"
        elif match := re.fullmatch(r"change_(\d{4})_(\d{4})_(wan|pct)", str(column)):
            names[column] = f"{match.group(1)}→{match.group(2)} 增减" + ("（万元）" if match.group(3) == "wan" else "%")
    return frame.rename(columns=names)


#: The indicators of :func:`budgetkit.compare.indicators`, named for a reader.
INDICATOR_LABELS = {
    "doc_id": "文件", "department": "部门", "fiscal_year": "年度", "level": "层级", "template": "模板", "units": "所印单位",
    "total_wan": "支出合计（万元）", "basic_wan": "基本支出（万元）", "project_wan": "项目支出（万元）",
    "basic_share_pct": "基本支出占比%", "project_share_pct": "项目支出占比%", "personnel_wan": "人员经费（万元）",
    "public_wan": "公用经费（万元）", "personnel_share_pct": "人员经费占基本支出%", "public_share_pct": "公用经费占基本支出%",
    "personnel_source": "人员/公用经费来源", "three_public_wan": "“三公”经费（万元）", "admin_operation_wan": "机关运行经费（万元）",
    "staff": "编制/实有人数", "three_public_per_staff_wan": "人均“三公”经费（万元）", "admin_operation_per_staff_wan": "人均机关运行经费（万元）",
}
