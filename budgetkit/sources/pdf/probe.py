"""A quick look at a PDF before reading it: whose disclosure, which year, tables or narrative.

Departments often publish one disclosure as two files — the narrative (情况说明, 附件1) and the
tables (报表, 附件2). :func:`pair_parts` finds such pairs among files that no manifest groups,
from what each file prints: a file of prose only and a file of tables only, of the same
department and year, are one document (narrative first).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from budgetkit.vocabulary import year_re

_DEPT_RE = re.compile(r"^(?:部门|部门名称|单位名称|编制部门|编制单位|预算单位|部门（单位）)\s*[:：]\s*([^\s:：]{2,40})")
_AMOUNT_RE = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+)$")
#: A page of a table prints at least this many lines holding two amounts or more.
_TABULAR_LINES = 3
_SENTENCE_RE = re.compile(r"[\u4e00-\u9fff][^。]{20,}。")
_TITLE_PAGE_RE = re.compile(r"^(.{2,40}?)\s*(?:(?:19|20)\d{2}\s*年度?)\s*部门(?:预算|决算)")


@dataclass
class FileProbe:
    """What a PDF file is, at a glance.

    Attributes:
        path: The file.
        department: The department its pages name (部门：…), if any.
        year: The first year it names (2019 in 2019年度部门预算公开), if any.
        table_pages: Pages printing at least three lines of two amounts or more.
        prose_pages: Pages that print sentences (the narrative).
    """

    path: Path
    department: str | None
    year: int | None
    table_pages: int
    prose_pages: int

    @property
    def narrative_only(self) -> bool:
        return self.prose_pages > 0 and self.table_pages == 0

    @property
    def tables_only(self) -> bool:
        return self.table_pages > 0 and self.prose_pages <= 1


def probe_pdf(path: Path) -> FileProbe | None:
    """Look at a PDF's text layer (no table reading); ``None`` when it cannot be opened."""
    try:
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(str(path))
    except Exception:  # the reader will say why, in one line, when it reads the file
        return None
    department = year = None
    table_pages = prose_pages = 0
    try:
        for index in range(len(pdf)):
            text = unicodedata.normalize("NFKC", pdf[index].get_textpage().get_text_range())
            lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
            tabular = sum(1 for ln in lines if sum(1 for w in ln.split() if _AMOUNT_RE.match(w)) >= 2)
            if tabular >= _TABULAR_LINES:
                table_pages += 1
            if len(_SENTENCE_RE.findall(text.replace("\n", "").replace("\r", ""))) >= 2:
                prose_pages += 1
            for ln in lines:
                if year is None and (m := year_re().search(ln)):
                    year = int(m.group(1))
                if department is None and (m := _DEPT_RE.match(ln.replace(" ", ""))) and not m.group(1).startswith(("单位", "金额")):
                    department = re.sub(r"(?:金额)?单位[:：]?.*$", "", m.group(1)) or None
            if index == 0 and department is None:
                joined = "".join(lines[:4]).replace(" ", "")
                if m := _TITLE_PAGE_RE.match(joined):
                    department = m.group(1).lstrip("0123456789-—─ ")
            if table_pages and prose_pages > 1 and department and year:
                break  # both kinds of page: a whole disclosure, no need to look further
    finally:
        pdf.close()
    return FileProbe(Path(path), department, year, table_pages, prose_pages)


def _same_department(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a in b or b in a


def pair_parts(paths: list[Path]) -> list[list[Path]]:
    """Group PDF files of one folder into documents: a narrative-only file and a tables-only
    file of the same department and year become one document (narrative first); every other
    file stands alone. Files keep their order otherwise."""
    probes = {p: probe_pdf(p) for p in paths if p.suffix.lower() == ".pdf"}
    groups: list[list[Path]] = []
    used: set[Path] = set()
    for path in paths:
        if path in used:
            continue
        probe = probes.get(path)
        partner = None
        if probe is not None and (probe.narrative_only or probe.tables_only):
            for other in paths:
                o = probes.get(other)
                if other is path or other in used or o is None or other.parent != path.parent:
                    continue
                complementary = (probe.narrative_only and o.tables_only) or (probe.tables_only and o.narrative_only)
                same_year = probe.year is None or o.year is None or probe.year == o.year
                if complementary and same_year and _same_department(probe.department, o.department):
                    partner = other
                    break
        if partner is None:
            groups.append([path])
            used.add(path)
            continue
        narrative, tables = (path, partner) if probe.narrative_only else (partner, path)
        groups.append([narrative, tables])
        used.update({path, partner})
    return groups


def joined_id(paths: list[Path]) -> str:
    """An id for a document of several files: the common start of their names
    (``js-npc-office-2019-text`` + ``js-npc-office-2019-tables`` → ``js-npc-office-2019``)."""
    stems = [p.stem for p in paths]
    prefix = stems[0]
    for stem in stems[1:]:
        while not stem.startswith(prefix):
            prefix = prefix[:-1]
    if any(len(stem) > len(prefix) and stem[len(prefix)] not in "-_ （(" for stem in stems):
        prefix = re.sub(r"[^\-_ （(]*$", "", prefix)  # back to a separator: -t of -text/-tables is not a word
    prefix = re.sub(r"[\s_\-（(附件]+$", "", prefix)
    return prefix if len(prefix) >= 3 else stems[0]
