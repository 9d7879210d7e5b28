"""Limits per document: a decompression bomb is refused in seconds; real disclosures pass."""

from __future__ import annotations

import time
import zlib
from pathlib import Path

import pytest

from budgetkit.errors import TooLargeError
from budgetkit.limits import MAX_INFLATED_BYTES, check_pdf, check_text

from conftest import RAW


def bomb_pdf(path: Path, inflated_mib: int) -> Path:
    """A one-page PDF whose page content inflates to ``inflated_mib`` MiB (a line of text, then spaces)."""
    compressor = zlib.compressobj(9)
    block = b" " * (1 << 20)
    parts = [compressor.compress(b"BT /F1 12 Tf 72 720 Td (budget) Tj ET\n")]
    parts.extend(compressor.compress(block) for _ in range(inflated_mib))
    parts.append(compressor.flush())
    stream = b"".join(parts)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def test_a_decompression_bomb_is_refused_in_seconds(tmp_path):
    from budgetkit.manifest import spec_for_paths
    from budgetkit.pipeline import process_document

    bomb = bomb_pdf(tmp_path / "bomb.pdf", 3 * MAX_INFLATED_BYTES // 2**20)  # 384 MiB from ~0.4 MB
    assert bomb.stat().st_size < 1024 * 1024
    started = time.perf_counter()
    result = process_document(spec_for_paths([bomb]), tmp_path / "out", backend="pdfplumber")
    assert time.perf_counter() - started < 10
    assert result.error_kind == "too large or suspicious"
    assert result.error.startswith(f"{bomb}: suspicious: a 0.4 MB PDF whose content inflates to more than")


def test_a_small_inflation_passes(tmp_path):
    check_pdf(bomb_pdf(tmp_path / "small.pdf", 2))


@pytest.mark.parametrize("pdf", sorted(RAW.glob("*.pdf")), ids=lambda p: p.name)
def test_real_disclosures_pass(pdf):
    check_pdf(pdf)


def test_a_huge_text_dump_is_refused(tmp_path, monkeypatch):
    import budgetkit.limits

    monkeypatch.setattr(budgetkit.limits, "MAX_TEXT_BYTES", 1000)
    (tmp_path / "big.txt").write_text("预算" * 1000, encoding="utf-8")
    with pytest.raises(TooLargeError, match="big.txt: the file is 0 MB; budgetkit reads text dumps up to 0 MB"):
        check_text(tmp_path / "big.txt")
