"""Repeated content: a page printed twice, a dump pasted many times — one copy kept, and said."""

from __future__ import annotations

from pathlib import Path


from budgetkit.model import Location
from budgetkit.repeats import _kept

from conftest import RAW, SEED


def test_a_stretch_equal_to_the_one_before_goes_but_equal_rows_inside_stay():
    rows = [("a", "1"), ("b", "2"), ("c", "2"), ("c", "2"), ("d", "3")]
    on_pages = [Location("f", page=p) for p in (1, 1, 1, 1, 2)]
    assert _kept(rows, on_pages) == {0, 1, 2, 3, 4}  # two equal rows on one page: kept
    page_twice = rows[:3] + rows[:3] + [("d", "3")]
    pages = [Location("f", page=p) for p in (1, 1, 1, 2, 2, 2, 3)]
    assert _kept(page_twice, pages) == {0, 1, 2, 6}
    # the same rows on two pages that do not follow each other's whole content are kept
    assert _kept([("a",), ("b",), ("a",)], [Location("f", page=p) for p in (1, 2, 2)]) == {0, 1, 2}


def _wanli_spec(path: Path):
    from budgetkit.manifest import read_manifest

    spec = next(s for s in read_manifest(RAW / "manifest.csv") if s.doc_id == "sh-putuo-wanli-street-2025")
    spec.files, spec.sha256 = [path], [None]
    return spec


def test_a_page_printed_twice_is_read_once_and_reported(tmp_path):
    from pypdf import PdfReader, PdfWriter

    from budgetkit.checks import run_checks
    from budgetkit.pipeline import read_spec
    from budgetkit.reading import reading_measure
    from budgetkit.tidy import tidy_document

    source = RAW / "sh-putuo-wanli-street-2025.pdf"
    writer = PdfWriter()
    for index, page in enumerate(PdfReader(source).pages):
        writer.add_page(page)
        if index == 10:  # page 11 (收入总表, second page) printed again
            writer.add_page(page)
    doubled = tmp_path / "doubled.pdf"
    writer.write(doubled)
    clean = read_spec(_wanli_spec(source))
    document = read_spec(_wanli_spec(doubled))
    assert {t: len(x.body_rows) for t, x in document.tables.items()} == {t: len(x.body_rows) for t, x in clean.tables.items()}
    assert document.repeats == ["2025年部门收入预算总表 (income): 19 repeated row(s) dropped, a copy of rows printed before (doubled.pdf p.12)"]
    findings = run_checks(document, tidy_document(document))
    repeated = findings[findings["rule_id"] == "within.repeated_content"]
    assert list(repeated["status"]) == ["warning"] and "doubled.pdf p.12" in repeated.iloc[0]["message"]
    assert (findings["status"] == "error").sum() == (run_checks(clean, tidy_document(clean))["status"] == "error").sum()
    # The copy's printed amounts go with it: the reading measure is that of the clean file.
    measure, clean_measure = reading_measure(document, tidy_document(document)), reading_measure(clean, tidy_document(clean))
    assert (measure["printed"], measure["read"], measure["complete"]) == (clean_measure["printed"], clean_measure["read"], True)


def test_a_dump_pasted_twenty_times_is_one_document(tmp_path):
    from budgetkit.manifest import spec_for_paths
    from budgetkit.pipeline import read_spec

    once = read_spec(spec_for_paths([SEED]))
    (tmp_path / "pasted.txt").write_text(SEED.read_text(encoding="utf-8") * 20, encoding="utf-8")
    document = read_spec(spec_for_paths([tmp_path / "pasted.txt"]))
    for table_id, table in once.tables.items():
        assert [r for r in document.tables[table_id].body_rows] == table.body_rows, table_id
    assert [l.text for l in document.narrative] == [l.text for l in once.narrative]
    assert len(document.performance_blocks) == len(once.performance_blocks)
    assert any(note.startswith("2025年预算收支总表 (summary): 627 repeated row(s) dropped") for note in document.repeats)
    assert once.repeats == []
