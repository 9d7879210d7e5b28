"""The manifest (``data/raw/manifest.csv``): the list of documents and their files.

One row per file; rows sharing a ``doc_id`` are the files of one document, read in ``part``
order (the Jiangsu 2019 disclosure is a narrative file and a tables file). Each row records the
provenance (title, publisher, region, level, fiscal year, origin) and the file's sha256, which
is checked before the file is read: ``data/raw`` is never written by code.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from budgetkit.errors import BudgetkitError, ChecksumError, NotARegularFileError
from budgetkit.ids import InvalidDocIdError, check_doc_id, doc_id_from_name

MANIFEST_COLUMNS = [
    "doc_id", "part", "role", "file", "title", "publisher", "region", "level",
    "fiscal_year", "kind", "template", "origin", "sha256",
]
METADATA_FIELDS = ["title", "publisher", "region", "level", "fiscal_year", "kind", "template", "origin"]


@dataclass
class DocumentSpec:
    """One document of the manifest: its id, metadata and files (in reading order)."""

    doc_id: str
    metadata: dict[str, Any]
    files: list[Path]
    sha256: list[str | None] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    #: Why this document cannot be processed at all (an unsafe id in its manifest), else ``None``.
    problem: BudgetkitError | None = None

    def verify(self) -> list[str]:
        """Check every file exists and matches its recorded sha256 (when one is recorded).

        Returns:
            The sha256 of each file, in reading order (hashed once, here).

        Raises:
            BudgetkitError: A file is missing.
            ChecksumError: A file's content differs from the manifest.
        """
        if self.problem is not None:
            raise self.problem
        hashes = []
        for path, expected in zip(self.files, self.sha256 or [None] * len(self.files)):
            actual = sha256_of(path)
            if expected and actual != expected:
                raise ChecksumError(
                    path, f"sha256 is {actual}, the manifest records {expected}: the raw file was changed or replaced"
                )
            hashes.append(actual)
        return hashes


def check_regular_file(path: Path) -> None:
    """Raise unless ``path`` is a regular file (after symlinks): a FIFO, a device such as
    ``/dev/zero`` or a link loop would hang or fail the reader.

    Raises:
        NotARegularFileError: It is something else, or cannot be looked at.
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise BudgetkitError(path, "file not found" if os.path.lexists(path) is False else "a link to nothing (file not found)") from None
    except OSError as exc:  # ELOOP, ENAMETOOLONG, EACCES …
        raise NotARegularFileError(path, f"cannot be read ({exc.strerror or exc})") from None
    if not stat.S_ISREG(mode):
        raise NotARegularFileError(path, "not a regular file (a folder, FIFO, socket or device): skipped")


def sha256_of(path: Path) -> str:
    """The sha256 of a regular file (anything else raises :class:`NotARegularFileError`, never hangs)."""
    check_regular_file(path)
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_manifest(path: Path) -> list[DocumentSpec]:
    """Read a manifest CSV into documents, files grouped by ``doc_id`` and ordered by ``part``.

    Args:
        path: ``manifest.csv``; file names are relative to its folder.
    """
    path = Path(path)
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    documents: dict[str, DocumentSpec] = {}
    for row in sorted(rows, key=lambda r: (str(r.get("doc_id")), int(r.get("part") or 1) if str(r.get("part") or "1").isdigit() else 1)):
        spec = documents.get(row["doc_id"])
        if spec is None:
            metadata = {k: row.get(k, "") for k in METADATA_FIELDS}
            metadata["fiscal_year"] = int(row["fiscal_year"]) if str(row.get("fiscal_year", "")).isdigit() else row.get("fiscal_year")
            problem = None
            try:
                doc_id = check_doc_id(row["doc_id"], path)
            except InvalidDocIdError as exc:  # processed under a safe name, as a failure
                doc_id, problem = doc_id_from_name(str(row["doc_id"] or "")), exc
            spec = documents[row["doc_id"]] = DocumentSpec(doc_id, metadata, [], problem=problem)
        if spec.files:
            # A document in several files: its title is the first file's, without the part
            # it names (江苏…2019年度部门预算公开（文字部分） → …部门预算公开).
            spec.metadata["title"] = re.sub(r"[（(][^（()）]*部分[)）]$", "", spec.metadata["title"])
        spec.files.append(path.parent / row["file"])
        spec.sha256.append(row.get("sha256") or None)
        spec.roles.append(row.get("role") or "document")
    order = [r["doc_id"] for r in rows]
    return [documents[key] for key in sorted(documents, key=order.index)]


def spec_for_paths(paths: list[Path], doc_id: str | None = None, manifests: list[DocumentSpec] | None = None) -> DocumentSpec:
    """A document spec for files given on the command line.

    A file listed in a manifest takes that document's id and metadata; any other file gets an
    id made from its file stem (:func:`budgetkit.ids.doc_id_from_name`), or ``doc_id`` when
    given (it must be a safe id).
    """
    paths = [Path(p) for p in paths]
    for spec in manifests or []:
        resolved = {p.resolve() for p in spec.files}
        if paths and all(p.resolve() in resolved for p in paths) and doc_id in (None, spec.doc_id):
            return spec
    metadata = {k: "" for k in METADATA_FIELDS}
    metadata["template"] = "generic"
    metadata["title"] = paths[0].stem
    doc_id = check_doc_id(doc_id, "--doc-id") if doc_id else doc_id_from_name(paths[0].stem)
    return DocumentSpec(doc_id, metadata, paths, [None] * len(paths), ["document"] * len(paths))
