"""Reports: load processed data for notebooks, execute notebooks, export self-contained HTML.

The notebooks in ``notebooks/`` are thin: they call :func:`load_processed` and the display
helpers here, and tell the story. :func:`build_reports` executes every notebook for every
document with papermill (parameter ``doc_id``) and exports HTML with nbconvert using the
bundled ``budgetkit`` template (no CDN scripts: a report opens offline), code hidden unless
asked for. Text from a document reaches the page only escaped (DataFrame HTML escapes its
cells, :func:`budgetkit.escaping.escape_md` escapes Markdown, :func:`~budgetkit.escaping.escape_html`
the index), and a page with any script, event handler or ``javascript:`` link is refused
(:func:`budgetkit.escaping.find_active_content`), so a crafted PDF cannot inject markup or script.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from budgetkit.catalog import load_catalog
from budgetkit.escaping import escape_html, escape_md, find_active_content  # noqa: F401 (escape_md: for the notebooks)

NOTEBOOK_DIR = Path("notebooks")
NOTEBOOKS = ["01-tables", "02-figures", "03-reconcile", "04-compare"]
#: Notebooks run only for documents of one kind (extraction.json ``kind``): the execution
#: analysis for final accounts (决算).
NOTEBOOKS_BY_KIND = {"final": ["05-execution"]}
TEMPLATE_DIR = Path(__file__).parent / "templates"


@dataclass
class ProcessedDocument:
    """Everything written for one document under ``data/processed/<doc_id>/``."""

    doc_id: str
    path: Path
    summary: dict[str, Any]
    extraction: dict[str, Any]
    tidy: pd.DataFrame
    narrative: pd.DataFrame
    findings: pd.DataFrame | None = None
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.summary.get("metadata", {}).get("title") or self.doc_id

    def table_meta(self, table_id: str) -> dict[str, Any]:
        return next(t for t in self.summary["tables"] if t["table_id"] == table_id)


def load_processed(doc_id: str, processed_dir: str | Path = "data/processed") -> ProcessedDocument:
    """Load a processed document (tidy data, tables as printed, reports, findings).

    Raises:
        FileNotFoundError: The document was not extracted (run ``budgetkit extract`` first).
    """
    path = Path(processed_dir) / doc_id
    if not (path / "document.json").exists():
        raise FileNotFoundError(f"{path}: not extracted yet — run `budgetkit extract` (or `make data`) first")
    summary = json.loads((path / "document.json").read_text(encoding="utf-8"))
    extraction = json.loads((path / "extraction.json").read_text(encoding="utf-8"))
    tidy = pd.read_parquet(path / "tidy.parquet")
    narrative = pd.read_csv(path / "narrative.csv", dtype=str, keep_default_na=False)
    findings = pd.read_parquet(path / "findings.parquet") if (path / "findings.parquet").exists() else None
    tables = {
        t["table_id"]: pd.read_csv(path / "tables" / f"{t['table_id']}.csv", dtype=str, keep_default_na=False)
        for t in summary["tables"]
    }
    return ProcessedDocument(doc_id, path, summary, extraction, tidy, narrative, findings, tables)


def tables_overview(doc: ProcessedDocument) -> pd.DataFrame:
    """One row per standard table: found or not, title as printed, unit, rows, cells parsed."""
    catalog = load_catalog()
    extraction = {t["table_id"]: t for t in doc.extraction["tables"]}
    rows = []
    for table_id in list(dict.fromkeys(doc.extraction["tables_expected"] + doc.extraction["tables_found"])):
        found = extraction.get(table_id)
        rows.append(
            {
                "表": catalog.table(table_id).title if table_id in catalog.tables else table_id,
                "table_id": table_id,
                "状态": "未找到" if found is None else ("空表（本表无数据）" if found["empty"] else "已提取"),
                "印刷标题": found["title"] if found else "",
                "单位": (found["unit"] or "") if found else "",
                "行数": found["body_rows"] if found else 0,
                "数值单元格": f"{found['numeric_cells_parsed']}/{found['numeric_cells_printed']}" if found else "",
                "位置": found["location"] if found else "",
            }
        )
    return pd.DataFrame(rows)


def table_as_printed(doc: ProcessedDocument, table_id: str) -> pd.DataFrame:
    """The table as printed (header path as column names), with its page/line."""
    frame = doc.tables[table_id].copy()
    for col in ("page", "line"):
        if col in frame and (frame[col] == "").all():
            frame = frame.drop(columns=col)
    return frame


def table_totals(doc: ProcessedDocument, table_id: str) -> pd.DataFrame:
    """The total rows (合计, 总计 …) and 类 rows of a table, amounts as printed and in 元."""
    tidy = doc.tidy[doc.tidy["table_id"] == table_id]
    rows = tidy[(tidy["row_kind"] == "total") | (tidy["code_level"] == "类")]
    rows = rows[rows["amount"].notna()]
    if rows.empty:
        return pd.DataFrame(columns=["行", "项目", "栏目", "印刷值", "单位", "金额（元）"])
    return pd.DataFrame(
        {
            "行": rows["row_number"],
            "项目": rows["code"].fillna("").astype(str).str.cat(rows["item"].fillna(""), sep=" ").str.strip(),
            "栏目": rows["column_label"],
            "印刷值": rows["value_text"],
            "单位": rows["unit"],
            "金额（元）": rows["amount_yuan"].map(lambda d: "" if d is None or pd.isna(d) else f"{d:,.2f}")  # no unit printed: no 元 amount,
        }
    ).reset_index(drop=True)


def show_figure(figure) -> None:
    """Display a figure in a notebook as an embedded PNG (works under any matplotlib backend)."""
    import io

    from IPython.display import Image, display

    from budgetkit.figures import save_figure

    buffer = io.BytesIO()
    save_figure(figure, buffer, fmt="png")
    display(Image(data=buffer.getvalue(), format="png"))
    figure.clear()


def load_claims(doc: ProcessedDocument) -> pd.DataFrame:
    """The narrative's stated numbers (``claims.csv``), text as written, or an empty frame."""
    path = doc.path / "claims.csv"
    if not path.exists():
        return pd.DataFrame(columns=["kind", "subject", "value", "unit", "section", "sentence", "line"])
    return pd.read_csv(path, dtype=str, keep_default_na=False)


SEVERITY_LABELS = {"error": "不一致", "warning": "存疑", "rounding": "舍入差", "info": "一致", "ok": "一致",
                   "not_applicable": "不适用", "not_linked": "未关联"}


def printed_vs_recomputed(doc: ProcessedDocument, table_id: str | None = None, family: str | None = "within_table") -> pd.DataFrame:
    """Each check of a table: the printed number beside the one recomputed from its parts.

    Args:
        doc: The processed document (with ``findings``).
        table_id: Only checks that involve this table (``None``: all).
        family: Only this rule family (``None``: all).
    """
    columns = ["结论", "检查", "印刷值", "重算值", "差", "容差", "单位", "位置"]
    findings = doc.findings
    if findings is None or findings.empty:
        return pd.DataFrame(columns=columns)
    rows = findings
    if family is not None:
        rows = rows[rows["family"] == family]
    if table_id is not None:
        rows = rows[rows["tables"].fillna("").str.split(",").map(lambda ts: table_id in [t.strip() for t in ts])]
    status = rows["status"] if "status" in rows else rows["severity"]
    order = {"error": 0, "warning": 1, "rounding": 2, "info": 3}
    out = pd.DataFrame(
        {
            "结论": [SEVERITY_LABELS.get(s, s) for s in status],
            "检查": rows["message"],
            "印刷值": rows["actual"],
            "重算值": rows["expected"],
            "差": rows["difference"],
            "容差": rows.get("tolerance", ""),
            "单位": rows["unit"],
            "位置": rows["location"],
            "_order": [order.get(s, 9) for s in rows["severity"]],
        }
    )
    return out.sort_values("_order", kind="stable").drop(columns="_order").reset_index(drop=True)


# --- executing and exporting -------------------------------------------------------------


def notebook_source(name: str, notebook_dir: Path = NOTEBOOK_DIR) -> Path:
    return Path(notebook_dir) / f"{name}.py"


def execute_notebook(name: str, doc_id: str, processed_dir: Path, out_html: Path, *, keep_code: bool = False,
                     notebook_dir: Path = NOTEBOOK_DIR, build_dir: Path | None = None) -> dict[str, Any]:
    """Execute one notebook for one document and export it to HTML.

    The jupytext ``.py`` is the source of record; it is converted to ``.ipynb`` in a build
    folder, executed by papermill with ``doc_id`` and ``processed_dir`` injected, then exported.

    Returns:
        ``{"notebook", "doc_id", "ok", "seconds", "error"}``.
    """
    import jupytext
    import papermill

    started = time.perf_counter()
    build_dir = Path(build_dir or out_html.parent / ".build")
    build_dir.mkdir(parents=True, exist_ok=True)
    source = notebook_source(name, notebook_dir)
    notebook = jupytext.read(source)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    unexecuted = build_dir / f"{name}.ipynb"
    executed = build_dir / f"{name}.executed.ipynb"
    jupytext.write(notebook, unexecuted)
    error = None
    try:
        papermill.execute_notebook(
            str(unexecuted), str(executed),
            parameters={"doc_id": doc_id, "processed_dir": str(Path(processed_dir).resolve())},
            cwd=str(Path(notebook_dir).resolve()), kernel_name="python3", progress_bar=False, log_output=False,
        )
    except Exception as exc:  # the notebook's own error is kept in the executed notebook
        error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    if executed.exists():
        try:
            export_html(executed, out_html, keep_code=keep_code, title=f"{doc_id} · {name}")
        except ValueError as exc:  # live content from the document: the page is not written
            error = str(exc)
    return {"notebook": name, "doc_id": doc_id, "ok": error is None, "seconds": round(time.perf_counter() - started, 1), "error": error}


def export_html(ipynb: Path, out_html: Path, *, keep_code: bool = False, title: str | None = None) -> Path:
    """Export an executed notebook to one self-contained HTML file.

    Code cells are hidden unless ``keep_code``; no CDN script; images and the CJK glyphs the
    page uses are embedded (:func:`embed_cjk_font`).
    """
    import nbformat
    from nbconvert import HTMLExporter

    notebook = nbformat.read(ipynb, as_version=4)
    if title:
        notebook.metadata["title"] = title
    exporter = HTMLExporter(template_name="budgetkit", extra_template_basedirs=[str(TEMPLATE_DIR)])
    exporter.exclude_input = not keep_code
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    # nbconvert's sanitiser also escapes our own Markdown; instead, document text only reaches
    # the page through escaped channels (DataFrame HTML escapes cells, escape_md for Markdown).
    exporter.sanitize_html = False
    exporter.embed_images = True
    body, _ = exporter.from_notebook_node(notebook)
    active = find_active_content(body)
    if active:  # document text escaped the escaping: publish nothing rather than a live script
        raise ValueError(f"{out_html}: not written — the page would carry {active[0]} from the document")
    body = embed_cjk_font(body)
    out_html.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_html.with_suffix(".html.tmp")
    tmp.write_text(body, encoding="utf-8")
    os.replace(tmp, out_html)
    return out_html


EMBEDDED_FONT_FAMILY = "budgetkit CJK"


def embed_cjk_font(page: str) -> str:
    """Embed the CJK glyphs a page uses, so it reads right on a machine with no Chinese font.

    The page's own characters are cut out of the bundled Noto Sans CJK SC (SIL Open Font
    License; shipped in the ``mplfonts`` wheel) with fontTools and embedded as a data-URL
    ``@font-face`` — typically 100–250 KB for a report, and no network needed to open it.
    """
    import base64
    import io

    from fontTools import subset
    from fontTools.ttLib import TTFont

    from budgetkit.figures import cjk_font_path

    characters = "".join(sorted({c for c in page if ord(c) > 0x2E7F}))
    if not characters or "</head>" not in page:
        return page
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = TTFont(str(cjk_font_path()), lazy=True)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    style = (
        "<style>/* Noto Sans CJK SC subset, SIL Open Font License 1.1 */\n"
        f'@font-face {{ font-family: "{EMBEDDED_FONT_FAMILY}"; src: url(data:font/otf;base64,{data}) format("opentype"); }}\n'
        f'body, table, .jp-RenderedHTMLCommon {{ font-family: "{EMBEDDED_FONT_FAMILY}", "Noto Sans CJK SC", sans-serif; }}\n'
        "</style>"
    )
    return page.replace("</head>", style + "</head>", 1)


def _task(args: tuple) -> dict[str, Any]:
    name, doc_id, processed, out_html, keep_code, notebook_dir = args
    # Kernels inherit this worker's stderr: send their start/stop chatter to a log file beside
    # the build instead of the user's terminal (a notebook's own error is reported anyway).
    log_dir = out_html.parent / ".build"
    log_dir.mkdir(parents=True, exist_ok=True)
    with open(log_dir / "kernels.log", "ab") as log:
        os.dup2(log.fileno(), 2)
    return execute_notebook(name, doc_id, processed, out_html, keep_code=keep_code, notebook_dir=notebook_dir)


def build_reports(manifest: Path = Path("data/raw/manifest.csv"), processed: Path = Path("data/processed"),
                  reports: Path = Path("reports"), doc_ids: list[str] | None = None, notebooks: list[str] | None = None,
                  keep_code: bool = False, jobs: int = 2, notebook_dir: Path = NOTEBOOK_DIR) -> int:
    """Execute the notebook series for every document and write ``reports/index.html``.

    Returns:
        0 when every notebook ran, 1 otherwise (the index lists what failed).
    """
    from budgetkit.manifest import read_manifest

    from budgetkit.manifest import DocumentSpec

    specs = read_manifest(manifest) if Path(manifest).exists() else []
    # Documents extracted from files in no manifest (`budgetkit extract some.pdf`) get reports too.
    listed = {s.doc_id for s in specs}
    for summary_file in sorted(Path(processed).glob("*/document.json")):
        doc_id = summary_file.parent.name
        if doc_id not in listed and not doc_id.startswith("."):
            summary = json.loads(summary_file.read_text(encoding="utf-8"))
            specs.append(DocumentSpec(doc_id, summary.get("metadata", {}), [Path(f["path"]) for f in summary.get("files", [])]))
    if doc_ids:
        specs = [s for s in specs if s.doc_id in doc_ids]
    kind_names = [n for ns in NOTEBOOKS_BY_KIND.values() for n in ns]
    wanted = notebooks or NOTEBOOKS + kind_names
    names = [n for n in wanted if notebook_source(n, notebook_dir).exists()]
    if not names:
        print(f"budgetkit report: no notebook {', '.join(wanted)} in {Path(notebook_dir).resolve()} — "
              "run it from the project folder", file=sys.stderr)
        return 2
    tasks = []
    for spec in specs:
        if (Path(processed) / spec.doc_id / "document.json").exists():
            own = set(NOTEBOOKS_BY_KIND.get(_kind(Path(processed) / spec.doc_id), []))
            for name in names:
                if name in kind_names and name not in own:
                    continue  # a notebook for another kind of document
                tasks.append((name, spec.doc_id, Path(processed), Path(reports) / spec.doc_id / f"{name}.html", keep_code, Path(notebook_dir)))
    results: list[dict[str, Any]] = []
    started = time.perf_counter()
    # Fresh worker processes (not forks): forking a process that runs a JVM or other threads
    # (a test session, a notebook server) can deadlock.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=max(1, jobs), mp_context=context) as pool:
        futures = [pool.submit(_task, t) for t in tasks]
        for future in as_completed(futures):
            result = future.result()
            results.append(result)
            mark = "ok " if result["ok"] else "ERR"
            print(f"{mark} {result['doc_id']}/{result['notebook']} ({result['seconds']} s){'  ' + result['error'] if result['error'] else ''}", flush=True)
    write_index(specs, Path(processed), Path(reports), names, results)
    print(f"{len(results)} notebooks in {time.perf_counter() - started:.0f} s → {Path(reports) / 'index.html'}")
    return 0 if all(r["ok"] for r in results) else 1


def _kind(doc_dir: Path) -> str:
    """The document kind its extraction report records (``budget`` when not recorded)."""
    path = doc_dir / "extraction.json"
    return (json.loads(path.read_text(encoding="utf-8")).get("kind") or "budget") if path.exists() else "budget"


def document_status(doc_id: str, processed: Path) -> dict[str, Any]:
    """Tables found/expected and errors found for one document, or why it failed."""
    path = Path(processed) / doc_id
    status_file = Path(processed) / "_status" / f"{doc_id}.json"
    if not (path / "extraction.json").exists():
        reason = "not extracted"
        if status_file.exists():
            reason = json.loads(status_file.read_text(encoding="utf-8")).get("error") or reason
        return {"ok": False, "line": f"failed: {reason}"}
    extraction = json.loads((path / "extraction.json").read_text(encoding="utf-8"))
    found = [t for t in extraction["tables_found"]]
    expected = extraction["tables_expected"]
    line = f"{len([t for t in expected if t in found])}/{len(expected)} expected tables found ({len(found)} in all, {len(extraction['tables_empty'])} empty)"
    if (path / "findings.parquet").exists():
        findings = pd.read_parquet(path / "findings.parquet")
        n_errors = int((findings["severity"] == "error").sum()) if "severity" in findings else 0
        line += f"; {n_errors} error(s) found by {len(findings)} checks"
    return {"ok": True, "line": line}


def write_index(specs, processed: Path, reports: Path, names: list[str], results: list[dict[str, Any]]) -> Path:
    """``reports/index.html``: one line per document with its status and links (all text escaped)."""
    by_key = {(r["doc_id"], r["notebook"]): r for r in results}
    rows = []
    for spec in specs:
        status = document_status(spec.doc_id, processed)
        links = []
        for name in names:
            result = by_key.get((spec.doc_id, name))
            if result is None:
                continue
            href = escape_html(f"{spec.doc_id}/{name}.html")
            note = "" if result["ok"] else " ⚠"
            links.append(f'<a href="{href}">{escape_html(name)}</a>{note}')
        rows.append(
            "<tr><td>{title}<br><code>{doc}</code></td><td>{year}</td><td>{status}</td><td>{links}</td></tr>".format(
                title=escape_html(spec.metadata.get("title", "")), doc=escape_html(spec.doc_id),
                year=escape_html(spec.metadata.get("fiscal_year", "")), status=escape_html(status["line"]),
                links=" · ".join(links),
            )
        )
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>budgetkit reports</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; }} td, th {{ border-bottom: 1px solid #ddd; padding: .4em .8em; vertical-align: top; text-align: left; }}
code {{ color: #555; }}
</style></head><body>
<h1>部门预算公开 · budgetkit reports</h1>
<p>{len(specs)} document(s). Built {escape_html(time.strftime('%Y-%m-%d %H:%M'))} with budgetkit.</p>
<table><thead><tr><th>文件</th><th>年度</th><th>状态</th><th>报告</th></tr></thead><tbody>
{''.join(rows)}
</tbody></table></body></html>
"""
    reports.mkdir(parents=True, exist_ok=True)
    out = reports / "index.html"
    out.write_text(embed_cjk_font(page), encoding="utf-8")
    return out


if __name__ == "__main__":  # pragma: no cover
    sys.exit(build_reports())
