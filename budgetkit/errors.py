"""Errors raised for bad input. Each names the file and says why, in words a user can act on."""

from __future__ import annotations

from pathlib import Path


class BudgetkitError(Exception):
    """Base class: a document could not be processed.

    Args:
        path: The file (or document id) the problem is in.
        reason: A plain sentence saying what is wrong and, where possible, what to do.
    """

    kind = "error"

    def __init__(self, path: str | Path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class EmptyFileError(BudgetkitError):
    kind = "empty file"


class EncodingError(BudgetkitError):
    kind = "encoding"


class NotADisclosureError(BudgetkitError):
    kind = "not a budget disclosure"


class TruncatedDocumentError(BudgetkitError):
    kind = "truncated or incomplete"


class MissingTableError(BudgetkitError):
    kind = "missing table"


class ChecksumError(BudgetkitError):
    kind = "checksum mismatch"


class ScannedPdfError(BudgetkitError):
    kind = "scanned PDF"


class EncryptedPdfError(BudgetkitError):
    kind = "encrypted PDF"


class CorruptFileError(BudgetkitError):
    kind = "corrupt file"


class JavaMissingError(BudgetkitError):
    kind = "java missing"


class UnsupportedFormatError(BudgetkitError):
    kind = "unsupported format"


class NotARegularFileError(BudgetkitError):
    kind = "not a regular file"


class TooLargeError(BudgetkitError):
    kind = "too large or suspicious"


class OutputError(BudgetkitError):
    """The output folder cannot be written (full disk, read-only, no permission, name too long)."""

    kind = "cannot write output"


class IdConflictError(BudgetkitError):
    kind = "id conflict"
