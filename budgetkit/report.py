"""Reports: one PDF in, one report out — and ``make report`` rebuilds only what changed.

:func:`build_reports` turns documents into pages in three steps, each skipped where nothing
changed (and it says so):

1. **extract** — every document given (files, folders, manifests) or listed in the manifest
   whose files, metadata or budgetkit's code changed since its ``data/processed/<doc_id>/`` was
   written is extracted and checked again (:mod:`budgetkit.pipeline`, two at a time);
2. **pages** — for every processed document, each notebook of ``notebooks/`` whose inputs
   changed (the document's processed files, the notebook, budgetkit's code and, for
   ``04-compare``, the other years of the same department) is executed on a few reused kernels
   (:mod:`budgetkit.runner`) and exported to ``reports/<doc_id>/<notebook>.html`` — one CJK font
   subset per document, navigation to the index and the document's other pages, its workbook and
   CSVs copied beside it; ``reports/compare.html`` compares every document;
3. **index** — ``reports/index.html`` lists every document processed (manifest or not), with the
   checks' counts in the status vocabulary and what failed, and is rewritten every time.

A document that fails to extract keeps its earlier output and pages; a notebook that fails
leaves a page saying which section could not be built; neither stops the others.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from budgetkit import processed as store
from budgetkit.escaping import escape_html, escape_md  # noqa: F401  (escape_md: for the notebooks)
from budgetkit.processed import ProcessedDocument, load_processed  # noqa: F401  (notebooks import them from here)

NOTEBOOK_DIR = Path("notebooks")
NOTEBOOKS = ["01-tables", "02-figures", "03-reconcile", "04-compare"]
#: The page comparing every document (``reports/compare.html``), from ``notebooks/all-compare.py``.
CORPUS_NOTEBOOK = "all-compare"
CORPUS_PAGE = "compare.html"
#: Notebooks run only for documents of one kind (extraction.json ``kind``): the execution
#: analysis for final accounts (决算).
NOTEBOOKS_BY_KIND = {"final": ["05-execution"]}
PAGE_TITLES = {"01-tables": "01 预算表", "02-figures": "02 图表", "03-reconcile": "03 勾稽核对", "04-compare": "04 比较",
               "05-execution": "05 预算执行"}
#: A page titled otherwise for a document of that kind.
PAGE_TITLES_BY_KIND = {"final": {"01-tables": "01 决算表"}}
#: Files of the processed folder copied beside the pages (``reports/<doc_id>/data/``).
DOWNLOADS = ("workbook", "tidy_csv", "findings_csv")
#: What the build records beside the pages (fingerprints) and the processed data (sources).
PAGES_STAMP = ".build.json"
TEMPLATE_DIR = Path(__file__).parent / "templates"


# --------------------------------------------------------------------------- fingerprints


def _hash(*parts: Any) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(json.dumps(part, sort_keys=True, default=str, ensure_ascii=False).encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()[:20]


def _files_hash(paths: Iterable[Path], base: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path.relative_to(base)).encode("utf-8"))
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:20]


_CODE_VERSION: str | None = None


def code_version() -> str:
    """A fingerprint of budgetkit's code and data (catalog, templates): any change rebuilds."""
    global _CODE_VERSION
    if _CODE_VERSION is None:
        package = Path(__file__).parent
        files = [p for p in package.rglob("*") if p.is_file() and p.suffix in (".py", ".toml", ".j2", ".json") and "__pycache__" not in p.parts]
        _CODE_VERSION = _files_hash(files, package)
    return _CODE_VERSION


def data_version(where: store.DocumentFolder) -> str:
    """A fingerprint of a document's processed files (its workbook and build stamp left out)."""
    files = [p for p in where.files() if p.suffix != ".xlsx" and p != where.sources_json]
    return _files_hash(files, where.root)


def sources_version(spec) -> str:
    """A fingerprint of what a document is extracted from: its files, metadata and budgetkit's code."""
    from budgetkit.manifest import sha256_of

    return _hash(code_version(), spec.doc_id, spec.metadata, [sha256_of(p) for p in spec.files])


# --------------------------------------------------------------------------- documents


@dataclass
class DocEntry:
    """A document of the build: where it comes from and how its extraction went."""

    doc_id: str
    metadata: dict[str, Any]
    spec: Any = None  # a DocumentSpec when its files are known
    extracted: str = "up to date"  # up to date | extracted | failed | no source
    error: str | None = None


def _documents(paths: list[Path], manifest: Path | None, processed_dir: Path) -> tuple[list[DocEntry], set[str]]:
    """Every document of the build (manifest, paths given, processed folders), and the ids given."""
    from budgetkit.manifest import read_manifest

    entries: dict[str, DocEntry] = {}
    if manifest is not None and Path(manifest).exists():
        for spec in read_manifest(manifest):
            entries[spec.doc_id] = DocEntry(spec.doc_id, spec.metadata, spec)
    given: set[str] = set()
    if paths:
        from budgetkit.cli import collect_documents

        for spec in collect_documents(paths):
            entries[spec.doc_id] = DocEntry(spec.doc_id, spec.metadata, spec)
            given.add(spec.doc_id)
    for doc_id in store.processed_ids(processed_dir):
        if doc_id not in entries:
            where = store.folder(processed_dir, doc_id)
            summary = store.load_summary(where)
            spec = _recorded_spec(where, summary)
            entries[doc_id] = DocEntry(doc_id, summary.get("metadata", {}), spec)
    return list(entries.values()), given


def _recorded_spec(where: store.DocumentFolder, summary: dict):
    """The spec a document in no manifest was extracted from (recorded at extraction), if its files are still there."""
    from budgetkit.manifest import DocumentSpec

    stamp = where.sources_json
    if stamp.exists():
        recorded = json.loads(stamp.read_text(encoding="utf-8"))
        files = [Path(p) for p in recorded.get("files", [])]
        if files and all(p.is_file() for p in files):
            return DocumentSpec(where.doc_id, recorded.get("metadata", summary.get("metadata", {})), files,
                                [None] * len(files), ["document"] * len(files))
    return None


def _extract_one(spec, processed_dir: str) -> tuple[str, bool, str | None]:
    from budgetkit.pipeline import process_document

    result = process_document(spec, Path(processed_dir), with_checks=True)
    return spec.doc_id, result.ok, result.error


def extraction_todo(entries: list[DocEntry], processed_dir: Path, *, force: bool, only: set[str] | None) -> list[tuple[DocEntry, str]]:
    """The documents whose sources (files, metadata) or budgetkit's code changed since they were extracted."""
    todo = []
    for entry in entries:
        if entry.spec is None:
            entry.extracted = "no source"  # processed from files no longer at hand: kept as it is
            continue
        if only is not None and entry.doc_id not in only:
            continue
        where = store.folder(processed_dir, entry.doc_id)
        stamp = where.sources_json
        try:
            version = sources_version(entry.spec)
        except OSError as exc:
            entry.extracted, entry.error = "failed", f"{exc}"
            continue
        recorded = json.loads(stamp.read_text(encoding="utf-8")).get("version") if stamp.exists() else None
        if force or recorded != version or not where.exists():
            todo.append((entry, version))
    return todo


def extract(todo: list[tuple[DocEntry, str]], processed_dir: Path, *, jobs: int) -> None:
    """Extract and check documents (``jobs`` at a time); record each one's source fingerprint."""
    if not todo:
        return
    specs = [(entry.spec, str(processed_dir)) for entry, _ in todo]
    results: list = [None] * len(specs)
    if len(todo) > 1 and jobs > 1:
        # Fresh worker processes (not forks): forking a process that runs threads can deadlock.
        try:
            with ProcessPoolExecutor(max_workers=min(jobs, len(todo)), mp_context=multiprocessing.get_context("spawn")) as pool:
                futures = [pool.submit(_extract_one, spec, out) for spec, out in specs]
                for i, future in enumerate(futures):
                    try:
                        results[i] = future.result()
                    except BrokenProcessPool:
                        break
        except BrokenProcessPool:
            pass  # a worker died (out of memory, killed): the documents left are extracted here, one by one
    for i, (spec, out) in enumerate(specs):
        if results[i] is None:
            results[i] = _extract_one(spec, out)
    for (entry, version), (_, ok, error) in zip(todo, results):
        if ok:
            entry.extracted = "extracted"
            where = store.folder(processed_dir, entry.doc_id)
            store.write_json({"version": version, "files": [str(Path(p).resolve()) for p in entry.spec.files],
                                  "metadata": entry.spec.metadata}, where.sources_json)
        else:
            entry.extracted, entry.error = "failed", error


# --------------------------------------------------------------------------- pages


def page_title(name: str, kind: str | None = None) -> str:
    """The short title of a document's page in the nav bar and the index (by the document's kind)."""
    return PAGE_TITLES_BY_KIND.get(kind or "budget", {}).get(name) or PAGE_TITLES.get(name, name)


def notebook_source(name: str, notebook_dir: Path = NOTEBOOK_DIR) -> Path:
    return Path(notebook_dir) / f"{name}.py"


def nav_html(doc_id: str, title: str, current: str, names: list[str], *, index_href: str = "../index.html",
             kind: str | None = None) -> str:
    """The bar on top of a document's pages: back to the index, the document's pages, its data."""
    links = [f'<a href="{escape_html(index_href)}">← 全部文件</a>', f'<span class="bk-doc">{escape_html(title)}</span>']
    for name in names:
        css = ' class="bk-current"' if name == current else ""
        links.append(f'<a{css} href="{escape_html(name)}.html">{escape_html(page_title(name, kind))}</a>')
    links.append(f'<a href="data/{escape_html(doc_id)}.xlsx">xlsx</a>')
    links.append('<a href="data/tidy.csv">tidy.csv</a>')
    links.append(f'<a href="../{CORPUS_PAGE}">全部比较</a>')
    return f'<nav class="bk-nav">{"".join(links)}</nav>'


def corpus_nav_html() -> str:
    return f'<nav class="bk-nav"><a href="index.html">← 全部文件</a><a class="bk-current" href="{CORPUS_PAGE}">全部比较</a></nav>'


@dataclass
class PagePlan:
    """What the page step does: the jobs to run, what is up to date, and the fingerprints."""

    jobs: list = field(default_factory=list)
    up_to_date: int = 0
    stamps: dict[str, dict[str, str]] = field(default_factory=dict)  # doc_id → {notebook: version}
    copies: list[tuple[str, Path]] = field(default_factory=list)


def page_inputs(processed_dir: Path, doc_id: str, notebook: str) -> list[str]:
    """The documents a page of ``doc_id`` reads: the department's other years for 04-compare, the
    same year's budget for a 决算's 05-execution, else the document alone."""
    from budgetkit.compare import same_department
    from budgetkit.execution import same_year_budget

    try:
        if notebook == "04-compare":
            return same_department(processed_dir, doc_id)
        if notebook == "05-execution":
            return [doc_id] + [b for b in [same_year_budget(processed_dir, doc_id)] if b]
    except Exception:  # a folder being written by another run
        pass
    return [doc_id]


def plan_pages(entries: list[DocEntry], processed_dir: Path, reports_dir: Path, names: list[str], *, notebook_dir: Path,
               keep_code: bool, force: bool, only: set[str] | None, root: Path, corpus: bool) -> PagePlan:
    """The notebooks whose inputs changed since their page was written."""
    from budgetkit.runner import Job

    plan = PagePlan()
    versions = {e.doc_id: data_version(store.folder(processed_dir, e.doc_id))
                for e in entries if store.folder(processed_dir, e.doc_id).exists()}
    sources = {name: _files_hash([notebook_source(name, notebook_dir)], Path(notebook_dir)) for name in names + [CORPUS_NOTEBOOK]
               if notebook_source(name, notebook_dir).exists()}
    for entry in entries:
        if entry.doc_id not in versions or (only is not None and entry.doc_id not in only):
            continue
        out_dir = reports_dir / entry.doc_id
        stamp_file = out_dir / PAGES_STAMP
        recorded = json.loads(stamp_file.read_text(encoding="utf-8")) if stamp_file.exists() else {}
        plan.stamps[entry.doc_id] = dict(recorded)
        title = str(entry.metadata.get("title") or entry.doc_id)
        if force or recorded.get("data") != versions[entry.doc_id] or any(not (out_dir / "data" / n).exists() for n in ("tidy.csv",)):
            plan.copies.append((entry.doc_id, out_dir))
            plan.stamps[entry.doc_id]["data"] = versions[entry.doc_id]
        kind = store.load_extraction(store.folder(processed_dir, entry.doc_id)).get("kind")
        pages = document_pages(names, kind)
        for name in pages:
            peers = page_inputs(processed_dir, entry.doc_id, name)
            version = _hash(code_version(), sources.get(name), keep_code, [(p, versions.get(p)) for p in peers])
            out_html = out_dir / f"{name}.html"
            if not force and recorded.get(name) == version and out_html.exists():
                plan.up_to_date += 1
                continue
            parameters = {"doc_id": entry.doc_id, "processed_dir": str(Path(processed_dir).resolve()),
                          "out_dir": str(out_dir.resolve()), "root_dir": str(Path(root).resolve())}
            plan.jobs.append(Job(name, notebook_source(name, notebook_dir), entry.doc_id, parameters, out_html,
                                 f"{title} · {page_title(name, kind)}", nav_html(entry.doc_id, title, name, pages, kind=kind),
                                 keep_code, version))
    if corpus and CORPUS_NOTEBOOK in sources:
        version = _hash(code_version(), sources[CORPUS_NOTEBOOK], keep_code, sorted(versions.items()))
        stamp_file = reports_dir / PAGES_STAMP
        recorded = json.loads(stamp_file.read_text(encoding="utf-8")) if stamp_file.exists() else {}
        plan.stamps[""] = dict(recorded)
        if force or recorded.get(CORPUS_NOTEBOOK) != version or not (reports_dir / CORPUS_PAGE).exists():
            parameters = {"processed_dir": str(Path(processed_dir).resolve()), "out_dir": str(reports_dir.resolve())}
            plan.jobs.append(Job(CORPUS_NOTEBOOK, notebook_source(CORPUS_NOTEBOOK, notebook_dir), None, parameters,
                                 reports_dir / CORPUS_PAGE, "全部文件比较", corpus_nav_html(), keep_code, version))
        else:
            plan.up_to_date += 1
    return plan


def document_pages(names: list[str], kind: str | None) -> list[str]:
    """The notebooks of ``names`` that make a page for a document of this kind (``budget`` when not recorded)."""
    own = set(NOTEBOOKS_BY_KIND.get(kind or "budget", []))
    by_kind = {n for notebooks in NOTEBOOKS_BY_KIND.values() for n in notebooks}
    return [n for n in names if n not in by_kind or n in own]


def _copy_downloads(doc_id: str, out_dir: Path, processed_dir: Path) -> None:
    """The document's workbook and CSVs beside its pages (``reports/<doc_id>/data/``)."""
    where = store.folder(processed_dir, doc_id)
    target = out_dir / "data"
    target.mkdir(parents=True, exist_ok=True)
    for attribute in DOWNLOADS:
        source = getattr(where, attribute)
        if source.exists():
            shutil.copy2(source, target / source.name)


def run_pages(plan: PagePlan, *, jobs: int, notebook_dir: Path, log: Path, progress=None, before=None) -> list[dict[str, Any]]:
    """Execute the planned notebooks on ``jobs`` reused kernels and write their pages (blocking).

    See :func:`_run_pages` for ``before`` (work done while the kernels start) and ``pool``.
    """
    import asyncio

    return asyncio.run(_run_pages(plan, jobs=jobs, notebook_dir=notebook_dir, log=log, progress=progress, before=before))


async def _run_pages(plan: PagePlan | None, *, jobs: int, notebook_dir: Path, log: Path, progress=None, before=None) -> list[dict[str, Any]]:
    """Start the kernels, run ``before()`` meanwhile (in a thread; it may return the plan), execute
    the notebooks, convert each as it finishes, then write every page with one CJK font subset."""
    import asyncio

    from budgetkit.runner import WARM_UP_SOURCE, KernelPool, convert, write_pages

    pool = KernelPool(jobs, Path(notebook_dir).resolve(), log)
    starting = asyncio.create_task(pool.start(WARM_UP_SOURCE))
    try:
        if before is not None:
            planned = await asyncio.to_thread(before)
            plan = planned if planned is not None else plan
        await starting
        bodies: list[tuple[Path, str]] = []
        results: list[dict[str, Any]] = []

        async def on_done(job) -> None:
            results.append(job.result)
            if progress is not None:
                progress(job.result)
            if job.executed is not None:
                bodies.append((job.out_html, await convert(job)))

        if plan is not None and plan.jobs:
            await pool.run(plan.jobs, on_done)
    finally:
        if not starting.done():
            starting.cancel()
        await pool.stop()
    refused = write_pages(bodies)
    for job in plan.jobs if plan is not None else []:
        if job.out_html in refused:
            job.result.update(ok=False, error=refused[job.out_html])
    return results


def export_html(ipynb: Path, out_html: Path, *, keep_code: bool = False, title: str | None = None) -> Path:
    """Export one executed notebook file to a self-contained page (font embedded, the pages' script).

    Raises:
        ValueError: The page would carry active content (a script, an event handler, a
            ``javascript:`` link) from a document; nothing is written.
    """
    import nbformat

    from budgetkit.runner import notebook_html, write_pages

    body = notebook_html(nbformat.read(ipynb, as_version=4), keep_code=keep_code, title=title)
    refused = write_pages([(Path(out_html), body)])
    if refused:
        raise ValueError(refused[Path(out_html)])
    return Path(out_html)


def execute_notebook(name: str, doc_id: str, processed_dir: Path, out_html: Path, *, keep_code: bool = False,
                     notebook_dir: Path = NOTEBOOK_DIR, build_dir: Path | None = None, root_dir: Path | None = None) -> dict[str, Any]:
    """Execute one notebook for one document and export it to HTML (on a kernel of its own).

    Returns:
        ``{"notebook", "doc_id", "ok", "seconds", "error"}``.
    """
    from budgetkit.runner import Job

    out_html = Path(out_html)
    parameters = {"doc_id": doc_id, "processed_dir": str(Path(processed_dir).resolve()), "out_dir": str(out_html.parent.resolve()),
                  "root_dir": str(Path(root_dir or Path.cwd()).resolve())}
    job = Job(name, notebook_source(name, notebook_dir), doc_id, parameters, out_html, f"{doc_id} · {page_title(name)}",
              nav_html(doc_id, doc_id, name, NOTEBOOKS), keep_code)
    log = Path(build_dir or out_html.parent / ".build") / "kernels.log"
    run_pages(PagePlan(jobs=[job]), jobs=1, notebook_dir=notebook_dir, log=log)
    return job.result


def build_reports(paths: Iterable[Path] = (), *, manifest: Path | None = Path("data/raw/manifest.csv"),
                  processed: Path = Path("data/processed"), reports: Path = Path("reports"),
                  doc_ids: list[str] | None = None, notebooks: list[str] | None = None, keep_code: bool = False,
                  jobs: int = 2, force: bool = False, notebook_dir: Path = NOTEBOOK_DIR, root: Path | None = None,
                  stream=None) -> int:
    """Extract what changed, build the pages whose inputs changed, and write the index.

    Args:
        paths: Files, folders or manifests to report on (default: the manifest's documents, and
            every document already processed). Only these documents' pages are built; the index
            still lists every document.
        manifest: The manifest of bundled documents.
        processed: ``data/processed``.
        reports: ``reports``.
        doc_ids: Only these documents.
        notebooks: Only these notebooks.
        keep_code: Show code cells.
        jobs: Documents extracted and notebooks executed in parallel.
        force: Rebuild everything.
        notebook_dir: Where the notebooks are.
        root: The folder relative source paths are relative to (default: the current one).
        stream: Where to say what was done (default: stdout).

    Returns:
        0 when everything asked for was built, 1 when a document or notebook failed, 2 when
        there is nothing to build from.
    """
    import asyncio

    stream = stream or sys.stdout
    started = time.perf_counter()
    processed_dir, reports = Path(processed), Path(reports)
    wanted = notebooks or NOTEBOOKS + [n for ns in NOTEBOOKS_BY_KIND.values() for n in ns]
    names = [n for n in wanted if notebook_source(n, notebook_dir).exists()]
    if not names:
        print(f"budgetkit report: no notebook {', '.join(wanted)} in {Path(notebook_dir).resolve()} — "
              "run it from the project folder", file=sys.stderr)
        return 2
    paths = [Path(p) for p in paths]
    missing = [p for p in paths if not p.exists()]
    if missing:
        print(f"budgetkit report: no such file or folder: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    entries, given = _documents(paths, manifest, processed_dir)
    only = set(doc_ids) if doc_ids else (given if paths else None)
    if paths and not given:
        print("budgetkit report: no documents found in the given paths", file=sys.stderr)
        return 2
    todo = extraction_todo(entries, processed_dir, force=force, only=only)
    corpus = notebooks is None or CORPUS_NOTEBOOK in (notebooks or [])

    def plan() -> PagePlan:
        return plan_pages(entries, processed_dir, reports, names, notebook_dir=notebook_dir, keep_code=keep_code, force=force,
                          only=only, root=root or Path.cwd(), corpus=corpus)

    def progress(result: dict[str, Any]) -> None:
        mark = "ok " if result["ok"] else "ERR"
        where = f"{result['doc_id']}/{result['notebook']}" if result["doc_id"] else result["notebook"]
        print(f"  {mark} {where} ({result['seconds']} s){'  ' + result['error'] if result['error'] else ''}", file=stream, flush=True)

    state: dict[str, Any] = {}

    def extract_then_plan() -> PagePlan:
        extract(todo, processed_dir, jobs=jobs)
        state["extract_seconds"] = time.perf_counter() - started
        _say_extracted(entries, only, state["extract_seconds"], stream)
        state["plan"] = planned = plan()
        for doc_id, out_dir in planned.copies:
            _copy_downloads(doc_id, out_dir, processed_dir)
        if planned.jobs:
            print(f"pages: {len(planned.jobs)} to build, {planned.up_to_date} up to date", file=stream, flush=True)
        return planned

    results: list[dict[str, Any]] = []
    log = reports / ".build" / "kernels.log"
    if todo:
        # The kernels start (and import) while the documents are extracted.
        results = asyncio.run(_run_pages(None, jobs=jobs, notebook_dir=notebook_dir, log=log, progress=progress, before=extract_then_plan))
    else:
        extract_then_plan()
        if state["plan"].jobs:
            results = asyncio.run(_run_pages(state["plan"], jobs=jobs, notebook_dir=notebook_dir, log=log, progress=progress))
    plan_done = state["plan"]
    if plan_done.jobs:
        print(f"pages: {len(results)} built ({time.perf_counter() - started - state['extract_seconds']:.1f} s)", file=stream)
    else:
        print(f"pages: all {plan_done.up_to_date} up to date", file=stream)
    # Record what was built (a page that failed is built again next time).
    for job in plan_done.jobs:
        if job.result.get("ok"):
            plan_done.stamps.setdefault(job.doc_id or "", {})[job.notebook] = job.key
    for doc_id, stamp in plan_done.stamps.items():
        target = reports / doc_id / PAGES_STAMP if doc_id else reports / PAGES_STAMP
        target.parent.mkdir(parents=True, exist_ok=True)
        store.write_json(stamp, target)
    index = write_index(entries, processed_dir, reports, names, results)
    seconds = time.perf_counter() - started
    extracted = [e for e in entries if e.extracted == "extracted"]
    failed = [e for e in entries if e.extracted == "failed"]
    nothing = not extracted and not failed and not plan_done.jobs
    print(f"index: {index} ({len(entries)} documents) — {seconds:.1f} s" + (" — nothing to rebuild, everything up to date" if nothing else ""),
          file=stream)
    return 0 if not failed and all(r["ok"] for r in results) else 1


def _say_extracted(entries: list[DocEntry], only: set[str] | None, seconds: float, stream) -> None:
    extracted = [e for e in entries if e.extracted == "extracted"]
    failed = [e for e in entries if e.extracted == "failed"]
    considered = [e for e in entries if e.spec is not None and (only is None or e.doc_id in only)]
    kept = [e for e in entries if e.extracted == "no source" and (only is None or e.doc_id in only)]
    up = len(considered) - len(extracted) - len(failed)
    print(f"extract: {len(extracted)} extracted, {up} up to date" + (f", {len(failed)} failed" if failed else "")
          + (f", {len(kept)} kept as processed (sources not at hand)" if kept else "") + f" ({seconds:.1f} s)", file=stream)
    for entry in extracted:
        print(f"  extracted {entry.doc_id}", file=stream)
    for entry in failed:
        print(f"  FAILED    {entry.doc_id}: {entry.error} (earlier output kept)", file=stream)


# --------------------------------------------------------------------------- index


def document_status(doc_id: str, processed_dir: Path) -> dict[str, Any]:
    """Tables found/expected, reading and the checks' counts for one document, or why it failed."""
    from budgetkit.status import STATUSES

    where = store.folder(processed_dir, doc_id)
    status_file = store.status_path(processed_dir, doc_id)
    last = json.loads(status_file.read_text(encoding="utf-8")) if status_file.exists() else {}
    if not where.extraction_json.exists():
        reason = last.get("error") or "not extracted"
        return {"ok": False, "line": f"failed: {reason}", "counts": {}, "error": reason}
    extraction = store.load_extraction(where)
    found = extraction["tables_found"]
    expected = extraction["tables_expected"]
    line = f"{len([t for t in expected if t in found])}/{len(expected)} expected tables found ({len(found)} in all, {len(extraction['tables_empty'])} empty)"
    reading = extraction.get("reading") or {}
    if reading.get("applicable") and reading.get("printed"):
        line += f"; {reading['read']:,}/{reading['printed']:,} printed amounts read"
    unreadable = [t for t in extraction.get("tables", []) if t.get("reading_status") == "unreadable"]
    if unreadable:
        line += f"; {len(unreadable)} not read reliably"
    counts: dict[str, int] = {}
    findings = store.load_findings(where)
    if findings is not None:
        counts = {s: int((findings["status"] == s).sum()) for s in STATUSES}
        line += f"; {counts['error']} error(s) found by {len(findings)} checks"
    error = last.get("error") if last and not last.get("ok", True) else None
    return {"ok": True, "line": line, "counts": counts, "error": error, "kind": extraction.get("kind") or "budget"}


def write_index(entries, processed_dir: Path, reports: Path, names: list[str], results: list[dict[str, Any]] | None = None) -> Path:
    """``reports/index.html``: every document with its checks in the status vocabulary, pages and data (all text escaped)."""
    from budgetkit.runner import add_page_script, embed_cjk_font
    from budgetkit.status import badge

    failed_pages = {(r["doc_id"], r["notebook"]) for r in results or [] if not r["ok"]}
    rows = []
    for entry in entries:
        doc_id = entry.doc_id
        metadata = entry.metadata or {}
        status = document_status(doc_id, processed_dir)
        out_dir = Path(reports) / doc_id
        links = []
        for name in document_pages(names, status.get("kind")):
            if not (out_dir / f"{name}.html").exists():
                continue
            note = " ⚠" if (doc_id, name) in failed_pages else ""
            links.append(f'<a href="{escape_html(doc_id)}/{escape_html(name)}.html">'
                         f"{escape_html(page_title(name, status.get('kind')))}</a>{note}")
        data = []
        for file in (f"{doc_id}.xlsx", "tidy.csv", "findings.csv"):
            if (out_dir / "data" / file).exists():
                data.append(f'<a href="{escape_html(doc_id)}/data/{escape_html(file)}">{escape_html(file.rsplit(".", 1)[-1] if file.endswith(".xlsx") else file)}</a>')
        counts = status.get("counts") or {}
        verdicts = " ".join(f"{badge(s)} {n}" for s, n in counts.items() if n and s in ("error", "warning", "unreadable", "unchecked"))
        state = escape_html(status["line"])
        problem = getattr(entry, "error", None) or status.get("error")
        if problem:
            state += f'<br><span class="bk-failed">最近一次提取失败：{escape_html(str(problem))}（显示的是此前的结果）</span>' if status["ok"] else ""
        rows.append(
            "<tr><td>{title}<br><code>{doc}</code></td><td>{year}</td><td>{verdicts}</td><td>{state}</td><td>{links}</td><td>{data}</td></tr>".format(
                title=escape_html(str(metadata.get("title") or doc_id)), doc=escape_html(doc_id),
                year=escape_html(str(metadata.get("fiscal_year") or "")) + ("<br>决算" if status.get("kind") == "final" else ""), verdicts=verdicts or "—", state=state,
                links=" · ".join(links) or "—", data=" · ".join(data) or "—",
            )
        )
    compare = f'<p><a href="{CORPUS_PAGE}">全部文件比较 →</a></p>' if (Path(reports) / CORPUS_PAGE).exists() else ""
    from budgetkit.pages import status_legend

    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>budgetkit reports</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", sans-serif; margin: 2em; font-size: 14px; }}
table {{ border-collapse: collapse; }} td, th {{ border-bottom: 1px solid #ddd; padding: .4em .8em; vertical-align: top; text-align: left; }}
code {{ color: #555; }} .bk-failed {{ color: #a33; }} .bk-legend {{ list-style: none; padding-left: 0; font-size: 13px; }}
</style></head><body>
<h1>部门预算公开 · budgetkit reports</h1>
<p>{len(entries)} 份文件。生成于 {escape_html(time.strftime('%Y-%m-%d %H:%M'))}。每份文件四页：预算表、图表、勾稽核对、比较（决算另有预算执行一页）；数据可下载（xlsx、CSV）。</p>
{compare}
<table><thead><tr><th>文件</th><th>年度</th><th>核对结论</th><th>读取与核对</th><th>报告</th><th>数据</th></tr></thead><tbody>
{''.join(rows)}
</tbody></table>
<h2>结论的含义</h2>
{status_legend()}
</body></html>
"""
    reports.mkdir(parents=True, exist_ok=True)
    out = reports / "index.html"
    from budgetkit.runner import write_page

    from budgetkit.escaping import find_active_content

    active = find_active_content(page)
    if active:  # every document text above is escaped: anything live would be a bug of ours
        raise ValueError(f"{out}: not written — it would carry {active[0]}")
    write_page(add_page_script(embed_cjk_font(page)), out)
    return out


if __name__ == "__main__":  # pragma: no cover
    sys.exit(build_reports())
