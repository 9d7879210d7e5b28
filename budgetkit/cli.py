"""Command line: ``budgetkit extract | check | report | batch``.

Run ``budgetkit COMMAND --help`` for each command's options.
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
from pathlib import Path

from budgetkit.errors import BudgetkitError
from budgetkit.ids import doc_id_from_name
from budgetkit.manifest import DocumentSpec, read_manifest, spec_for_paths
from budgetkit.pipeline import DocumentResult, is_fatal_output_error, prepare_output, process_document
from budgetkit.reading import reading_line

DEFAULT_MANIFEST = Path("data/raw/manifest.csv")
DEFAULT_OUT = Path("data/processed")
READABLE = {".pdf", ".txt"}


def collect_documents(paths: list[Path], *, join: bool = False, doc_id: str | None = None) -> list[DocumentSpec]:
    """Turn command-line paths into documents.

    A path may be a manifest CSV (all its documents), a folder (its manifest if it has one,
    else every regular PDF/text file in it: FIFOs, devices, link loops and sub-folders are
    passed over), or a file. A file listed in a manifest (the default ``data/raw/manifest.csv``
    or one beside it) takes that document's id and metadata, and a document of several files is
    read whole. Other files become one document each, id made from the file name
    (:func:`budgetkit.ids.doc_id_from_name`), unless ``join`` makes all given files one document.
    Two different files that would get the same id (``A/report.txt``, ``B/report.txt``) are
    told apart by their folder (``A-report``, ``B-report``): no document is dropped.

    Raises:
        budgetkit.ids.InvalidDocIdError: ``doc_id`` is not a safe id.
    """
    manifests: list[DocumentSpec] = []
    seen_manifests: set[Path] = set()

    def load(manifest: Path) -> list[DocumentSpec]:
        manifest = manifest.resolve()
        if manifest in seen_manifests:
            return [s for s in manifests if s.files and s.files[0].resolve().parent == manifest.parent]
        seen_manifests.add(manifest)
        specs = read_manifest(manifest)
        manifests.extend(specs)
        return specs

    if DEFAULT_MANIFEST.exists():
        load(DEFAULT_MANIFEST)
    files: list[Path] = []
    documents: list[DocumentSpec] = []
    for path in paths:
        path = Path(path)
        if path.is_file() and path.suffix.lower() == ".csv":
            documents.extend(load(path))
        elif path.is_dir():
            if (path / "manifest.csv").is_file():
                documents.extend(load(path / "manifest.csv"))
            else:
                files.extend(sorted(p for p in path.iterdir() if p.suffix.lower() in READABLE and _is_regular(p)))
        else:
            if (path.parent / "manifest.csv").is_file():
                load(path.parent / "manifest.csv")
            files.append(path)
    if join and files:
        documents.append(spec_for_paths(files, doc_id or None))
        return _unique(documents)
    from_files: list[DocumentSpec] = []
    loose: list[Path] = []
    for file in files:
        owner = next((s for s in manifests if _same_file(file, s.files)), None)
        if owner is not None:
            documents.append(owner)
        else:
            loose.append(file)
    # Files no manifest groups: a narrative file and a tables file of one department and year
    # are one document (the probe reads what each prints).
    from budgetkit.sources.pdf.probe import joined_id, pair_parts

    groups = pair_parts(loose)
    for group in groups:
        if len(group) > 1:
            spec = spec_for_paths(group, doc_id if len(groups) == 1 else doc_id_from_name(joined_id(group)))
            print(f"joined  {' + '.join(p.name for p in group)} → one document ({spec.doc_id}): narrative and tables of one disclosure",
                  file=sys.stderr)
        else:
            spec = spec_for_paths(group, doc_id if len(loose) == 1 else None)
        documents.append(spec)
        from_files.append(spec)
    _tell_apart(documents, from_files)
    return _unique(documents)


def _is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:  # a link loop, a dangling link
        return False


def _same_file(file: Path, files: list[Path]) -> bool:
    try:
        return file.resolve() in {p.resolve() for p in files}
    except (OSError, RuntimeError):  # a link loop cannot be any manifest's file
        return False


def _tell_apart(documents: list[DocumentSpec], from_files: list[DocumentSpec]) -> None:
    """Give different files that got the same id distinct ids (folder name first, then a number)."""
    def key(spec: DocumentSpec) -> tuple:
        return tuple(str(p.absolute()) for p in spec.files)

    owners: dict[str, set[tuple]] = {}
    for spec in documents:
        owners.setdefault(spec.doc_id, set()).add(key(spec))
    clashing = [s for s in from_files if len(owners[s.doc_id]) > 1]
    taken = {s.doc_id for s in documents if s not in clashing}
    for spec in clashing:
        folder = spec.files[0].absolute().parent.name
        base = doc_id_from_name(f"{folder}-{spec.doc_id}") if folder else spec.doc_id
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = doc_id_from_name(f"{base}-{n}"), n + 1
        taken.add(candidate)
        spec.doc_id = candidate


def _unique(documents: list[DocumentSpec]) -> list[DocumentSpec]:
    seen: set[str] = set()
    unique = []
    for doc in documents:
        if doc.doc_id not in seen:
            seen.add(doc.doc_id)
            unique.append(doc)
    return unique


def print_results(results: list[DocumentResult], stream=None) -> int:
    """Print one line per document and the failures; return the exit code."""
    stream = stream or sys.stdout
    for result in results:
        if result.ok:
            print(f"{reading_line(result.doc_id, result.summary)} → {result.out_dir}", file=stream)
        else:
            print(f"FAILED  {result.doc_id}: {result.error}", file=stream)
    failures = [r for r in results if not r.ok]
    if failures:
        print(f"\n{len(failures)} of {len(results)} document(s) failed:", file=stream)
        for r in failures:
            print(f"  - {r.doc_id} [{r.error_kind}] {r.error}", file=stream)
    return 1 if failures else 0


def _documents_and_output(args: argparse.Namespace) -> list[DocumentSpec] | int:
    """The documents of the command line and a writable ``--out``, or an exit code (one line said why)."""
    try:
        documents = collect_documents(args.paths, join=args.join, doc_id=args.doc_id)
    except BudgetkitError as exc:
        print(f"budgetkit {args.command}: {exc}", file=sys.stderr)
        return 2
    if not documents:
        print(f"budgetkit {args.command}: no documents found in the given paths", file=sys.stderr)
        return 2
    try:
        prepare_output(args.out)
    except BudgetkitError as exc:
        print(f"budgetkit {args.command}: {exc}", file=sys.stderr)
        return 3
    return documents


def _process_all(documents: list[DocumentSpec], out: Path, **options) -> list[DocumentResult]:
    """Process documents one after the other; stop early when the output cannot take more (disk full)."""
    results = []
    for document in documents:
        result = process_document(document, out, **options)
        results.append(result)
        if not result.ok and is_fatal_output_error(result.error):
            print(f"budgetkit: stopped — {result.error}; {len(documents) - len(results)} document(s) not attempted", file=sys.stderr)
            break
    return results


def cmd_extract(args: argparse.Namespace) -> int:
    documents = _documents_and_output(args)
    if isinstance(documents, int):
        return documents
    options = {"encoding": args.encoding, "backend": args.backend}
    results = _process_all(documents, args.out, with_checks=not args.no_checks, **options)
    return print_results(results)


def cmd_check(args: argparse.Namespace) -> int:
    from budgetkit.checks import print_check_summary
    from budgetkit.processed import DocumentFolder, check_folder

    # A processed folder (data/processed/<doc_id>) is checked again from its files, without the PDF.
    folders = [DocumentFolder(p) for p in args.paths if Path(p).is_dir() and DocumentFolder(p).exists()]
    code = 0
    for where in folders:
        check_folder(where)
        code = max(code, print_check_summary(where.root))
    sources = [p for p in args.paths if not (Path(p).is_dir() and DocumentFolder(p).exists())]
    if not sources:
        return code
    args.paths = sources
    documents = _documents_and_output(args)
    if isinstance(documents, int):
        return documents
    results = _process_all(documents, args.out, with_checks=True, encoding=args.encoding, backend=args.backend)
    for result in results:
        if result.ok:
            code = max(code, print_check_summary(result.out_dir))
    return max(code, print_results([r for r in results if not r.ok]) if any(not r.ok for r in results) else 0)


def cmd_report(args: argparse.Namespace) -> int:
    from budgetkit.report import build_reports

    return build_reports(
        args.paths, manifest=args.manifest, processed=args.processed, reports=args.out, doc_ids=args.doc_id or None,
        notebooks=args.notebook or None, keep_code=args.keep_code, jobs=args.jobs, force=args.force,
    )


def cmd_batch(args: argparse.Namespace) -> int:
    from budgetkit.batch import run_batch

    return run_batch(args.paths, out=args.out, workers=args.workers, scheduler=args.scheduler, force=args.force)


def cmd_export(args: argparse.Namespace) -> int:
    from budgetkit.corpus import export_fiscal_data_package

    path = export_fiscal_data_package(args.corpus, args.out)
    print(f"Fiscal Data Package → {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="budgetkit", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    def reader_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("paths", nargs="+", type=Path, help="PDF or text files, folders, or manifest CSV files (check: also processed folders)")
        p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder; writes OUT/<doc_id>/ (default: %(default)s)")
        p.add_argument("--join", action="store_true", help="treat all given files as the parts of one document")
        p.add_argument("--doc-id", help="document id for files in no manifest (default: the file name)")
        p.add_argument("--encoding", help="text encoding of .txt dumps (default: detect UTF-8, then GB18030/GBK)")
        p.add_argument("--backend", default="grid", choices=["grid", "tabula", "pdfplumber"], help="PDF table reader (default: %(default)s, budgetkit's own from rules and glyph boxes)")

    p = sub.add_parser("extract", help="extract and tidy documents into OUT/<doc_id>/", description="Extract the tables of budget disclosures, tidy them and write OUT/<doc_id>/ (tidy.parquet, tidy.csv, tables/*.csv, document.json, extraction.json, findings).")
    reader_options(p)
    p.add_argument("--no-checks", action="store_true", help="skip the reconciliation rules")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("check", help="extract and reconcile; print a summary and the errors", description="Run every reconciliation rule on documents; print a summary and each error with where to look. Exit 1 if any error was found. A processed folder (data/processed/<doc_id>) is checked again from its files, without reading the PDF.")
    reader_options(p)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("report", help="extract what changed and build the HTML reports (one PDF in, one report out)",
                       description="Build self-contained HTML reports: OUT/<doc_id>/01-tables … 04-compare.html and OUT/index.html. "
                                   "Given files or folders, extract and check those documents (no manifest needed) and build their "
                                   "pages; the index still lists every document. Without paths, every document of the manifest and "
                                   "every document already processed. Only what changed is rebuilt (sources, notebooks or budgetkit's "
                                   "code), and it says so.")
    p.add_argument("paths", nargs="*", type=Path, help="PDF or text files, folders or manifest CSVs to report on (default: the manifest)")
    p.add_argument("--manifest", type=Path, default=DEFAULT_MANIFEST, help="manifest of documents (default: %(default)s)")
    p.add_argument("--processed", type=Path, default=DEFAULT_OUT, help="processed data folder (default: %(default)s)")
    p.add_argument("--out", type=Path, default=Path("reports"), help="reports folder (default: %(default)s)")
    p.add_argument("--doc-id", action="append", help="only this document (repeatable)")
    p.add_argument("--notebook", action="append", help="only this notebook, e.g. 01-tables (repeatable)")
    p.add_argument("--keep-code", action="store_true", help="show code cells in the HTML (hidden by default)")
    p.add_argument("--jobs", type=int, default=2, help="documents extracted and notebooks executed in parallel (default: %(default)s)")
    p.add_argument("--force", action="store_true", help="rebuild everything, changed or not")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("batch", help="extract, tidy and check many documents in parallel (resumable)", description="Process every document in the given folders on all cores; skip documents already processed (same sha256); record failures.")
    p.add_argument("paths", nargs="+", type=Path, help="folders, files or manifest CSV files")
    p.add_argument("--out", type=Path, default=Path("data/corpus"), help="corpus folder (default: %(default)s)")
    p.add_argument("--workers", type=int, default=None, help="worker processes (default: all cores)")
    p.add_argument("--scheduler", help="address of a Dask scheduler (default: a local cluster)")
    p.add_argument("--force", action="store_true", help="reprocess documents already done")
    p.set_defaults(func=cmd_batch)

    p = sub.add_parser("export", help="export a corpus as a Fiscal Data Package (datapackage.json + CSV)", description="Export a corpus built by `budgetkit batch` as an OpenSpending Fiscal Data Package: datapackage.json with measures and dimensions, beside CSV and Parquet.")
    p.add_argument("corpus", type=Path, nargs="?", default=Path("data/corpus"), help="corpus folder (default: %(default)s)")
    p.add_argument("--out", type=Path, default=Path("data/corpus/fiscal-data-package"), help="output folder (default: %(default)s)")
    p.set_defaults(func=cmd_export)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:
        # The reader went away (`budgetkit check … | head`): stop quietly, as other tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
