"""A disclosure in two files is one document without a manifest; a file of prose only says so;
a 决算 says it is one."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from budgetkit.cli import collect_documents
from budgetkit.model import Document, Location, RawTable
from budgetkit.pipeline import process_document
from budgetkit.sources import document_kind
from budgetkit.sources.pdf.probe import joined_id, pair_parts, probe_pdf

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
PAIR = ["js-npc-office-2019-text.pdf", "js-npc-office-2019-tables.pdf"]


def _folder(tmp_path: Path, names: list[str]) -> Path:
    folder = tmp_path / "loose"  # no manifest here
    folder.mkdir()
    for name in names:
        shutil.copy(RAW / name, folder / name)
    return folder


def test_probe_tells_the_narrative_file_from_the_tables_file():
    text, tables = probe_pdf(RAW / PAIR[0]), probe_pdf(RAW / PAIR[1])
    assert text.narrative_only and not text.tables_only
    assert tables.tables_only and not tables.narrative_only
    assert text.year == tables.year == 2019
    assert text.department == tables.department == "江苏省人大常委会办公厅"
    whole = probe_pdf(RAW / "js-npc-office-2018.pdf")
    assert not whole.narrative_only and not whole.tables_only


def test_a_narrative_and_a_tables_file_are_joined_without_a_manifest(tmp_path, monkeypatch):
    folder = _folder(tmp_path, PAIR + ["js-npc-office-2018.pdf"])
    monkeypatch.chdir(tmp_path)  # no default manifest either
    specs = collect_documents([folder])
    joined = [s for s in specs if len(s.files) == 2]
    assert len(specs) == 2 and len(joined) == 1
    spec = joined[0]
    assert [p.name for p in spec.files] == PAIR  # narrative first, as the manifest orders them
    assert spec.doc_id == "js-npc-office-2019"
    result = process_document(spec, tmp_path / "out")
    assert result.ok
    report = json.loads((result.out_dir / "extraction.json").read_text(encoding="utf-8"))
    assert report["content"] == "tables and narrative"
    assert {"summary", "income", "expenditure", "three_public"} <= set(report["tables_found"])
    assert report["reading"]["read"] == report["reading"]["printed"] > 100


def test_pairing_needs_the_same_year(tmp_path):
    folder = _folder(tmp_path, ["js-npc-office-2019-tables.pdf", "js-npc-office-2018.pdf"])
    assert all(len(group) == 1 for group in pair_parts(sorted(folder.glob("*.pdf"))))


def test_joined_id_is_the_common_start_cut_at_a_separator():
    assert joined_id([Path("js-npc-office-2019-text.pdf"), Path("js-npc-office-2019-tables.pdf")]) == "js-npc-office-2019"
    assert joined_id([Path("附件1情况说明.pdf"), Path("附件2报表.pdf")]) == "附件1情况说明"


def test_a_narrative_only_file_says_so_and_misses_no_table(tmp_path):
    folder = _folder(tmp_path, [PAIR[0]])
    spec = collect_documents([folder / PAIR[0]])[0]
    result = process_document(spec, tmp_path / "out")
    report = json.loads((result.out_dir / "extraction.json").read_text(encoding="utf-8"))
    assert report["content"] == "narrative only"
    assert report["tables_missing"] == []
    from budgetkit.reading import reading_line

    assert "narrative only" in reading_line(spec.doc_id, report)


def _doc(table_ids: list[str], narrative: list[str] = ()) -> Document:
    from budgetkit.model import TextLine

    doc = Document("d", {}, [])
    for t in table_ids:
        doc.tables[t] = RawTable(t, t, Location("f.pdf", page=1))
    doc.narrative = [TextLine(text, Location("f.pdf", page=1, line=i)) for i, text in enumerate(narrative, start=1)]
    return doc


def test_kind_from_the_tables_printed_else_from_the_words():
    assert document_kind(_doc(["final_summary", "final_income", "final_three_public"])) == "final"
    assert document_kind(_doc(["summary", "income", "general_expenditure"])) == "budget"
    assert document_kind(_doc([], ["2024年度部门决算公开", "第二部分 2024年度部门决算表", "一、收入支出决算总体情况说明"])) == "final"
    assert document_kind(_doc([], ["2026年部门预算公开", "第二部分 部门预算表"])) == "budget"
