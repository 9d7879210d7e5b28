"""Document ids: one safe pattern, so an id can name a folder, a file and a corpus partition.

A document id becomes ``<out>/<doc_id>/``, ``<out>/_status/<doc_id>.json``, a temporary folder
``.<doc_id>.…`` beside it and the hive partition ``tidy/doc_id=<doc_id>/``. So an id is:

* letters (any script: ``沁水县公安局`` is fine), digits, ``.``, ``_`` and ``-`` only — no
  ``/``, ``\\``, ``=``, ``%``, spaces, quotes, angle brackets or control characters;
* starting with a letter or digit (never ``.`` or ``-``: no hidden files, no ``..``, no options);
* at most :data:`MAX_ID_BYTES` bytes of UTF-8 (leaves room under the 255-byte file-name limit
  for the prefixes and suffixes budgetkit adds).

Such an id needs no escaping anywhere: not in a path, not in a partition value (pyarrow
URL-decodes ``%41`` and splits at ``=``), not in DuckDB's hive partitioning, not in HTML.

A manifest's ids and ``--doc-id`` must match the pattern (:func:`check_doc_id`); ids made from
file names are cleaned into it (:func:`doc_id_from_name`).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from budgetkit.errors import BudgetkitError

#: Longest id, in bytes of UTF-8 (50 CJK characters, 150 ASCII ones).
MAX_ID_BYTES = 150

#: The one pattern every document id matches.
DOC_ID_PATTERN = re.compile(r"[^\W_](?:[\w.-]*[^\W_])?")


class InvalidDocIdError(BudgetkitError):
    kind = "invalid document id"


def is_safe_doc_id(doc_id: object) -> bool:
    """Whether ``doc_id`` matches :data:`DOC_ID_PATTERN`, is NFC and fits :data:`MAX_ID_BYTES`."""
    if not isinstance(doc_id, str) or not doc_id:
        return False
    return (
        DOC_ID_PATTERN.fullmatch(doc_id) is not None
        and doc_id.isprintable()
        and unicodedata.normalize("NFC", doc_id) == doc_id
        and ".." not in doc_id
        and len(doc_id.encode("utf-8")) <= MAX_ID_BYTES
    )


def check_doc_id(doc_id: object, where: object = "document id") -> str:
    """Return ``doc_id`` if it is safe, else raise.

    Args:
        doc_id: The id to check.
        where: What the error names (the manifest file, ``--doc-id`` …).

    Raises:
        InvalidDocIdError: The id does not match the pattern.
    """
    if not is_safe_doc_id(doc_id):
        raise InvalidDocIdError(
            where,
            f"document id {doc_id!r} is not allowed: use letters, digits, '.', '_' and '-' only, starting and ending "
            f"with a letter or digit, at most {MAX_ID_BYTES} bytes (it names folders and corpus partitions)",
        )
    return doc_id


def doc_id_from_name(name: str) -> str:
    """A safe id made from a file name (its stem): other characters become ``-``.

    A name that had to be cut to fit :data:`MAX_ID_BYTES` ends with a short hash of the whole
    name, so two long names that differ only at the end still get different ids.

    Args:
        name: A file stem such as ``沁水县公安局2025年部门预算`` or ``"><img src=x>``.
    """
    text = unicodedata.normalize("NFC", name)
    cleaned = re.sub(r"[^\w.-]+", "-", text)
    cleaned = re.sub(r"\.{2,}", ".", cleaned)
    cleaned = re.sub(r"-{2,}", "-", cleaned).strip("-._")
    if len(cleaned.encode("utf-8")) > MAX_ID_BYTES:
        digest = hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()[:10]
        room = MAX_ID_BYTES - len(digest) - 1
        cut = cleaned.encode("utf-8")[:room].decode("utf-8", "ignore").rstrip("-._")
        cleaned = f"{cut}-{digest}"
    if not is_safe_doc_id(cleaned):
        cleaned = "doc-" + hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()[:10]
    return cleaned
