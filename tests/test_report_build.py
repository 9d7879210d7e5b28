"""One PDF in, one report out: `budgetkit report FILE` builds its pages beside the others, and the
next build rebuilds nothing that did not change — and says so. Pages fit together and read clean."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser

import pytest

from budgetkit.cli import main

from conftest import RAW, ROOT, SEED, SEED_ID

PAGES = ["01-tables", "02-figures", "03-reconcile", "04-compare"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The seed reported first, then a PDF from outside any manifest, then everything again."""
    base = tmp_path_factory.mktemp("report")
    outside = base / "downloads" / "my-budget.pdf"
    outside.parent.mkdir()
    shutil.copy(RAW / "js-npc-office-2017.pdf", outside)
    final = base / "downloads" / "university-final.pdf"  # a 决算, known as one by its tables only
    shutil.copy(RAW / "swu-2024-final.pdf", final)
    args = ["--manifest", str(base / "no-manifest.csv"), "--processed", str(base / "processed"), "--out", str(base / "reports"),
            "--jobs", "2"]
    logs = {}
    import contextlib
    import io
    import os

    cwd = os.getcwd()
    os.chdir(ROOT)  # the notebooks are found from the project folder
    try:
        for step, paths in (("seed", [str(SEED)]), ("pdf", [str(outside)]), ("final", [str(final)]), ("again", [])):
            buffer = io.StringIO()
            with contextlib.redirect_stdout(buffer):
                code = main(["report", *paths, *args])
            logs[step] = (code, buffer.getvalue())
            if step == "seed":
                mtimes = {p: p.stat().st_mtime_ns for p in (base / "reports" / SEED_ID).glob("*.html")}
                logs["seed_mtimes"] = mtimes
    finally:
        os.chdir(cwd)
    return base / "reports", logs


def test_one_pdf_in_one_report_out(built):
    reports, logs = built
    code, out = logs["pdf"]
    assert code == 0, out
    assert "extracted my-budget" in out and "extract: 1 extracted" in out
    for name in PAGES:
        assert (reports / "my-budget" / f"{name}.html").exists()
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert "my-budget" in index and SEED_ID in index  # the index still lists every document
    assert (reports / "my-budget" / "data" / "my-budget.xlsx").exists()
    # the seed's pages were not touched
    assert {p: p.stat().st_mtime_ns for p in logs["seed_mtimes"]} == logs["seed_mtimes"]


def test_next_build_rebuilds_nothing_and_says_so(built):
    reports, logs = built
    code, out = logs["again"]
    assert code == 0
    assert "extract: 0 extracted, 3 up to date" in out
    assert "pages: all 14 up to date" in out and "nothing to rebuild" in out


def test_final_accounts_get_the_execution_page_and_budgets_do_not(built):
    reports, logs = built
    code, out = logs["final"]
    assert code == 0, out
    assert "extract: 1 extracted" in out and "pages: 6 to build" in out  # its five pages and the corpus page
    assert (reports / "university-final" / "05-execution.html").exists()
    assert not (reports / "my-budget" / "05-execution.html").exists()
    nav = (reports / "university-final" / "01-tables.html").read_text(encoding="utf-8").split("</nav>")[0]
    assert "01 决算表" in nav and 'href="05-execution.html"' in nav
    budget_nav = (reports / "my-budget" / "01-tables.html").read_text(encoding="utf-8").split("</nav>")[0]
    assert "01 预算表" in budget_nav and "05-execution" not in budget_nav
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert 'href="university-final/05-execution.html"' in index and "my-budget/05-execution" not in index


def test_reconcile_shows_the_three_errors_first_with_page_and_evidence(built):
    reports, _ = built
    page = (reports / "my-budget" / "03-reconcile.html").read_text(encoding="utf-8")
    short_list = page.split("计数 · what was checked")[0]
    cards = [(part.split('"')[0], part) for part in short_list.split('<div class="bk-card bk-card-')[1:]]
    assert [status for status, _ in cards] == ["error", "error", "error"]
    for _, card in cards:
        assert "第28页第13行" in card  # where: the narrative's page and line
        assert "所印" in card and "按文件自身数字应为" in card  # the arithmetic
        assert "data:image/png;base64," in card  # the passage, cut from the PDF page
    assert "8.75%" in cards[0][1] and "26.6915" in cards[0][1]
    assert 'class="bk-table bk-sortable"' in page and "budgetkit: sortable, filterable tables" in page


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.cells: list[str] = []
        self.links: list[str] = []
        self.sources: list[str] = []
        self._cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("td", "th"):
            self._cell = ""
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag in ("img", "script", "link") and (attrs.get("src") or attrs.get("href")):
            self.sources.append(attrs.get("src") or attrs.get("href"))

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append(self._cell.strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def test_every_page_reads_clean_and_links_back(built):
    reports, _ = built
    pages = sorted(reports.glob("*/*.html")) + [reports / "compare.html"]
    assert len(pages) == 14
    for path in pages:
        text = path.read_text(encoding="utf-8")
        parsed = _Page()
        parsed.feed(text)
        raw = [c for c in parsed.cells if c in ("None", "NaN", "nan", "<NA>", "NaT", "True", "False")]
        assert not raw, (path.name, raw[:5])
        assert any(link.endswith("index.html") for link in parsed.links), path
        assert not [s for s in parsed.sources if re.match(r"https?://", s)], path  # nothing from the network
        if path.parent.name != "reports":
            for name in PAGES + (["05-execution"] if path.parent.name == "university-final" else []):
                assert f"{name}.html" in parsed.links  # and to the document's other pages
        # the embedded font reaches every text, code and preformatted blocks included
        assert re.search(r'pre, code[^{]*\{[^}]*"budgetkit CJK"', text), path
    figures = reports / "my-budget" / "figures"
    assert (figures / "three_public_distribution.png").exists() and (figures / "three_public_distribution.svg").exists()
    csv = (figures / "three_public_distribution.csv").read_bytes()
    assert csv.startswith(b"\xef\xbb\xbf") and "公务接待费".encode() in csv
