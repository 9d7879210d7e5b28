"""Execute report notebooks on a few long-lived kernels and export them as self-contained HTML.

Starting a kernel and importing pandas, matplotlib and budgetkit into it costs 2–3 s; the
notebooks themselves take about a second. :class:`KernelPool` starts ``jobs`` kernels once and
runs every notebook of a build on them, a fresh namespace each time (``%reset`` and the display
options put back), parameters injected as papermill does. Export (:func:`export_html`) uses the
bundled nbconvert template (no CDN), hides code unless asked, puts the navigation on the page and
embeds the CJK glyphs the pages of a document use (one font subset per document and build).
"""

from __future__ import annotations

import asyncio
import html
import io
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TEMPLATE_DIR = Path(__file__).parent / "templates"
EMBEDDED_FONT_FAMILY = "budgetkit CJK"

#: Run once in each kernel while the documents are being extracted: what every notebook imports.
WARM_UP_SOURCE = (
    "import matplotlib; matplotlib.use('Agg')\n"
    "import pandas, matplotlib.pyplot, IPython.display\n"
    "import budgetkit.pages, budgetkit.figures, budgetkit.compare, budgetkit.checks, budgetkit.verdicts\n"
    "budgetkit.figures.use_cjk_font()\n"
)
#: Run before every notebook on a reused kernel: a fresh namespace, default display options.
RESET_SOURCE = (
    "get_ipython().run_line_magic('reset', '-f')\n"
    "import matplotlib.pyplot as _plt; _plt.close('all')\n"
    "import pandas as _pd; _pd.reset_option('^display'); del _pd, _plt\n"
)
RESET_TAG = "budgetkit-reset"


@dataclass
class Job:
    """One notebook to run for one document (or for all: ``doc_id`` ``None``)."""

    notebook: str
    source: Path
    doc_id: str | None
    parameters: dict[str, Any]
    out_html: Path
    title: str
    nav: str = ""
    keep_code: bool = False
    key: str = ""  # what the build records (the page's fingerprint)
    result: dict[str, Any] = field(default_factory=dict)
    executed: Any = None


def load_notebook(source: Path):
    """A jupytext ``py:percent`` notebook as an nbformat notebook with a python3 kernelspec."""
    import jupytext

    notebook = jupytext.read(source)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.metadata.setdefault("language_info", {"name": "python"})
    notebook.metadata["papermill"] = {}
    for cell in notebook.cells:  # papermill looks for the parameters cell by tag
        cell.metadata["tags"] = cell.metadata.get("tags", [])
    return notebook


def parameterize(notebook, parameters: dict[str, Any]):
    """A copy of ``notebook`` with its ``parameters`` cell followed by the injected values (as papermill)."""
    import copy

    from papermill.parameterize import parameterize_notebook

    return parameterize_notebook(copy.deepcopy(notebook), parameters, report_mode=False)


class KernelPool:
    """``size`` python3 kernels started once, each running one notebook at a time.

    Args:
        size: How many kernels (notebooks run in parallel).
        cwd: The kernels' working folder (the notebooks').
        log: Where the kernels' own output goes (a file).
    """

    def __init__(self, size: int, cwd: Path, log: Path):
        self.size = max(1, size)
        self.cwd = Path(cwd)
        self.log = Path(log)
        self._kernels: list[tuple[Any, Any]] = []

    async def start(self, warm_up: str | None = None) -> None:
        """Start the kernels (and run ``warm_up`` in each: the imports every notebook needs)."""
        from jupyter_client.manager import AsyncKernelManager

        self.log.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log, "ab")
        env = {**os.environ, "MPLBACKEND": "Agg", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}

        async def one():
            manager = AsyncKernelManager(kernel_name="python3")
            await manager.start_kernel(cwd=str(self.cwd), env=env, stdout=self._log, stderr=self._log,
                                       extra_arguments=["--HistoryManager.enabled=False"])
            client = manager.client()
            client.start_channels()
            await client.wait_for_ready(timeout=120)
            if warm_up:
                await client.execute_interactive(warm_up, store_history=False, timeout=300, output_hook=lambda _msg: None)
            return manager, client

        self._kernels = list(await asyncio.gather(*(one() for _ in range(self.size))))

    async def stop(self) -> None:
        for manager, client in self._kernels:
            try:
                client.stop_channels()
                await manager.shutdown_kernel(now=True)
            except Exception:  # a kernel that died already
                pass
        self._kernels = []
        if getattr(self, "_log", None):
            self._log.close()

    async def run(self, jobs: list[Job], on_done=None) -> None:
        """Run every job on the kernels; ``on_done(job)`` after each (in the event loop's thread)."""
        queue: asyncio.Queue[Job] = asyncio.Queue()
        for job in jobs:
            queue.put_nowait(job)

        async def worker(slot: int) -> None:
            manager, client = self._kernels[slot]
            while True:
                try:
                    job = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                await self._execute(job, manager, client)
                if on_done is not None:
                    await on_done(job)

        await asyncio.gather(*(worker(i) for i in range(len(self._kernels))))

    async def _execute(self, job: Job, manager, client) -> None:
        import nbformat
        from nbclient import NotebookClient
        from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

        started = time.perf_counter()
        notebook = parameterize(_source_cache(job.source), job.parameters)
        reset = nbformat.v4.new_code_cell(RESET_SOURCE, metadata={"tags": [RESET_TAG]})
        notebook.cells.insert(0, reset)
        runner = NotebookClient(notebook, km=manager, kernel_name="python3", timeout=600, allow_errors=False,
                                record_timing=False, shutdown_kernel="immediate")
        runner.kc = client
        error = None
        try:
            await runner.async_execute(cleanup_kc=False)
        except (CellExecutionError, CellTimeoutError) as exc:
            error = _first_line(exc)
        except DeadKernelError as exc:  # pragma: no cover - a kernel killed under us
            error = f"kernel died: {_first_line(exc)}"
        notebook.cells = [c for c in notebook.cells if RESET_TAG not in c.get("metadata", {}).get("tags", [])]
        job.executed = notebook
        job.result = {"notebook": job.notebook, "doc_id": job.doc_id, "ok": error is None, "error": error,
                      "seconds": round(time.perf_counter() - started, 1)}


_SOURCES: dict[Path, Any] = {}


def _source_cache(source: Path):
    """Each notebook source read (and converted from py:percent) once per build."""
    if source not in _SOURCES:
        _SOURCES[source] = load_notebook(source)
    return _SOURCES[source]


_ANSI_RE = re.compile(r"\x1b\[[0-9;]*m")


def _first_line(exc: BaseException) -> str:
    text = _ANSI_RE.sub("", str(exc)).strip()
    # nbclient puts the cell source first and the error last: keep the error line.
    lines = [l for l in text.splitlines() if l.strip()]
    tail = next((l for l in reversed(lines) if re.match(r"^\w+(Error|Exception|Exit)\b", l.strip())), lines[-1] if lines else "")
    return f"{type(exc).__name__}: {tail.strip()}"[:300]


def run_jobs(jobs: list[Job], *, size: int, cwd: Path, log: Path, on_done=None) -> None:
    """Run notebook jobs on ``size`` reused kernels (blocking)."""

    async def main() -> None:
        pool = KernelPool(min(size, max(1, len(jobs))), cwd, log)
        await pool.start()
        try:
            await pool.run(jobs, on_done)
        finally:
            await pool.stop()

    if jobs:
        asyncio.run(main())


_EXPORT_LOCK = None


async def convert(job: Job) -> str:
    """An executed job as a page body (no font yet), in a thread: the kernels keep running meanwhile."""
    import threading

    global _EXPORT_LOCK
    if _EXPORT_LOCK is None:
        _EXPORT_LOCK = threading.Lock()

    def work() -> str:
        with _EXPORT_LOCK:  # one nbconvert exporter, not shared across threads at once
            return notebook_html(job.executed, keep_code=job.keep_code, title=job.title, nav=job.nav)

    return await asyncio.to_thread(work)


def write_pages(pages: list[tuple[Path, str]]) -> dict[Path, str]:
    """Write page bodies with one embedded CJK font subset for all of them and the pages' own script.

    Each body is checked for active content first (:func:`budgetkit.escaping.find_active_content`):
    anything live there came from a document, and such a page is not written.

    Args:
        pages: ``(path, body)`` of each page.

    Returns:
        The pages refused, with why.
    """
    refused: dict[Path, str] = {}
    clean = []
    for path, body in pages:
        active = active_content(body)
        if active:  # document text escaped the escaping: publish nothing rather than a live script
            refused[path] = f"{path}: not written — the page would carry {active[0]} from the document"
        else:
            clean.append((path, body))
    style = font_face_css(cjk_characters(*(body for _, body in clean)))
    for path, body in clean:
        page = body.replace("</head>", style + "</head>", 1) if style else body
        write_page(add_page_script(page), path)
    return refused


# --------------------------------------------------------------------------- export


_EXPORTER = None


def _exporter(keep_code: bool):
    from nbconvert import HTMLExporter

    global _EXPORTER
    if _EXPORTER is None:
        _EXPORTER = HTMLExporter(template_name="budgetkit", extra_template_basedirs=[str(TEMPLATE_DIR)])
        _EXPORTER.exclude_input_prompt = True
        _EXPORTER.exclude_output_prompt = True
        # nbconvert's sanitiser also escapes our own Markdown; instead, document text only reaches
        # the page through escaped channels (pages.table_html escapes cells, escape_md Markdown).
        _EXPORTER.sanitize_html = False
        _EXPORTER.embed_images = True
    _EXPORTER.exclude_input = not keep_code
    return _EXPORTER


def _clean_errors(notebook) -> None:
    """A cell that failed shows one line saying so, not a traceback, to the reader."""
    import nbformat

    for cell in notebook.cells:
        outputs = cell.get("outputs", [])
        for i, output in enumerate(outputs):
            if output.get("output_type") == "error":
                what = f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"[:200]
                outputs[i] = nbformat.v4.new_output("display_data", data={"text/html": (
                    f'<div class="bk-failed">⚠ 本节未能生成（{html.escape(what)}）。其余各节不受影响；'
                    "构建日志见 <code>budgetkit report</code> 的输出。</div>")})


def notebook_html(notebook, *, keep_code: bool = False, title: str | None = None, nav: str = "") -> str:
    """An executed notebook as HTML (no font yet): template, navigation, errors cleaned."""
    if title:
        notebook.metadata["title"] = title
    _clean_errors(notebook)
    body, _ = _exporter(keep_code).from_notebook_node(notebook)
    if nav:
        body = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + nav, body, count=1)
    return body


#: The pages' own script: sort a ``table.bk-sortable`` by a column (click its header), filter its
#: rows by text and by status. Offline, no library; the tables are complete without it.
PAGE_SCRIPT = r"""<script>/* budgetkit: sortable, filterable tables */
(function () {
  function text(cell) { return (cell && cell.textContent || "").trim(); }
  function number(s) { var t = s.replace(/[,\s%]/g, ""); return /^-?\d+(\.\d+)?$/.test(t) ? parseFloat(t) : null; }
  document.querySelectorAll("table.bk-sortable").forEach(function (table) {
    var body = table.tBodies[0]; if (!body) return;
    var rows = Array.prototype.slice.call(body.rows);
    var bar = document.createElement("div"); bar.className = "bk-filter";
    var input = document.createElement("input"); input.type = "search"; input.placeholder = "筛选（任意文字）…";
    bar.appendChild(input);
    var statuses = [], active = null;
    rows.forEach(function (r) { var m = /bk-row-(\w+)/.exec(r.className); if (m && statuses.indexOf(m[1]) < 0) statuses.push(m[1]); });
    var count = document.createElement("span"); count.style.marginLeft = "1em";
    function apply() {
      var q = input.value.trim().toLowerCase(), shown = 0;
      rows.forEach(function (r) {
        var ok = (!q || r.textContent.toLowerCase().indexOf(q) >= 0) && (!active || r.classList.contains("bk-row-" + active));
        r.style.display = ok ? "" : "none"; if (ok) shown++;
      });
      count.textContent = shown + " / " + rows.length + " 行";
    }
    statuses.forEach(function (s) {
      var b = document.createElement("button"); var label = table.querySelector("tr.bk-row-" + s + " .bk-status");
      b.textContent = label ? label.textContent : s; b.type = "button";
      b.onclick = function () { active = active === s ? null : s;
        bar.querySelectorAll("button").forEach(function (x) { x.classList.remove("bk-on"); }); if (active) b.classList.add("bk-on"); apply(); };
      bar.appendChild(b);
    });
    bar.appendChild(count); input.oninput = apply;
    table.parentNode.insertBefore(bar, table); apply();
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      th.onclick = function () {
        var dir = th.getAttribute("data-sort") === "asc" ? "desc" : "asc";
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (x) { x.removeAttribute("data-sort"); });
        th.setAttribute("data-sort", dir);
        rows.sort(function (a, b) {
          var x = text(a.cells[i]), y = text(b.cells[i]), nx = number(x), ny = number(y), c;
          c = (nx !== null && ny !== null) ? nx - ny : x.localeCompare(y, "zh");
          return dir === "asc" ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      };
    });
  });
})();
</script>"""


def add_page_script(page: str) -> str:
    """The pages' own script, added after the page was checked for active content from documents
    (the one script a budgetkit page carries; its text is :data:`PAGE_SCRIPT`)."""
    if "table class=\"bk-table bk-sortable\"" not in page or "</body>" not in page:
        return page
    return page.replace("</body>", PAGE_SCRIPT + "</body>", 1)


def write_page(text: str, out_html: Path) -> Path:
    """Write a page atomically."""
    out_html.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_html.with_suffix(".html.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, out_html)
    return out_html


def cjk_characters(*pages: str) -> str:
    """The CJK (and other non-Latin) characters some pages use, sorted."""
    used: set[str] = set()
    for page in pages:
        used.update(page)  # the distinct characters first (in C), then the few tests in Python
    return "".join(sorted(c for c in used if ord(c) > 0x2E7F))


#: What could make a page live; a page with none of it needs no full parse. The two ``<meta>`` tags
#: the template writes are taken out before looking.
_MAYBE_ACTIVE_RE = re.compile(
    r"<\s*(?:script|iframe|object|embed|applet|frameset|frame|base|meta)\b|\son[a-z]+\s*=|javascript:|vbscript:|data:text/html",
    re.IGNORECASE)
_TEMPLATE_META = ('<meta charset="utf-8"/>', '<meta content="width=device-width, initial-scale=1.0" name="viewport"/>')


def active_content(body: str) -> list[str]:
    """:func:`budgetkit.escaping.find_active_content` of a page body, with a fast path for the
    usual page that holds nothing that could be live (a regex over the text instead of a full parse)."""
    from budgetkit.escaping import find_active_content

    scanned = body
    for meta in _TEMPLATE_META:
        scanned = scanned.replace(meta, "")
    if not _MAYBE_ACTIVE_RE.search(scanned):
        return []
    return find_active_content(body)


def font_face_css(characters: str) -> str:
    """A ``<style>`` embedding the Noto Sans CJK SC glyphs of ``characters`` (SIL OFL), for every
    text of the page — prose, tables, code and preformatted blocks alike."""
    import base64

    from fontTools import subset
    from fontTools.ttLib import TTFont

    from budgetkit.figures import cjk_font_path

    if not characters:
        return ""
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.layout_features = []  # horizontal Chinese needs no ligatures or vertical forms
    font = TTFont(str(cjk_font_path()), lazy=True, recalcBBoxes=False)  # the full font's metrics are fine
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    family = f'"{EMBEDDED_FONT_FAMILY}"'
    return (
        "<style>/* Noto Sans CJK SC subset, SIL Open Font License 1.1 */\n"
        f"@font-face {{ font-family: {family}; src: url(data:font/otf;base64,{data}) format(\"opentype\"); }}\n"
        f"body, table, .jp-RenderedHTMLCommon, figcaption, caption {{ font-family: {family}, \"Noto Sans CJK SC\", sans-serif; }}\n"
        f"pre, code, kbd, samp, tt, .jp-OutputArea-output pre, .jp-RenderedText pre {{ font-family: \"DejaVu Sans Mono\", "
        f"\"Liberation Mono\", Menlo, Consolas, {family}, monospace; }}\n"
        "</style>"
    )


def embed_cjk_font(page: str, characters: str | None = None) -> str:
    """Embed the CJK glyphs a page uses (or ``characters``), so it reads right with no Chinese font."""
    characters = cjk_characters(page) if characters is None else characters
    if not characters or "</head>" not in page:
        return page
    return page.replace("</head>", font_face_css(characters) + "</head>", 1)
