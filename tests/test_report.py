"""Reports: the notebooks run top to bottom on the seed; HTML is offline, code hidden, text escaped."""

import re
import shutil

import pytest

from budgetkit.cli import main
from budgetkit.report import escape_md, execute_notebook, write_index
from budgetkit.manifest import read_manifest

from conftest import RAW, ROOT, SEED, SEED_ID

NOTEBOOKS = ROOT / "notebooks"


@pytest.fixture(scope="module")
def processed(tmp_path_factory):
    out = tmp_path_factory.mktemp("processed")
    assert main(["extract", str(SEED), "--out", str(out)]) == 0
    return out


@pytest.mark.parametrize("name", ["01-tables", "02-figures", "03-reconcile", "04-compare"])
def test_notebook_runs_on_the_seed(processed, tmp_path, name):
    if not (NOTEBOOKS / f"{name}.py").exists():
        pytest.skip(f"{name} not written yet")
    html_path = tmp_path / f"{name}.html"
    result = execute_notebook(name, SEED_ID, processed, html_path, notebook_dir=NOTEBOOKS, build_dir=tmp_path / "build")
    assert result["ok"], result["error"]
    page = html_path.read_text(encoding="utf-8")
    assert "沁水县公安局" in page
    # Self-contained: no script, stylesheet or font fetched from the network.
    assert not re.search(r"""(src|href)=["']https?://""", page)
    assert "<script src=" not in page
    # Code is hidden by default.
    assert "jp-InputArea" not in page or "import pandas" not in page
    if name == "01-tables":
        assert "沁水县公安局2025年度部门预算公开" in page
        assert "12270.45" in page and "本表无数据" in page
    if name == "02-figures":
        assert "93.42%" in page and "4.25%" in page and "2.33%" in page
        assert page.count("data:image/png;base64") >= 6
    if name == "03-reconcile":
        assert "3.98" in page and "747.42" in page  # 机关运行经费 rate on the wrong base, with its arithmetic
    if name == "04-compare":
        assert "13044.34" in page or "13,044.34" in page  # prior-year 收入总计 implied by 减少697.27


def test_keep_code_flag_shows_code(processed, tmp_path):
    html_path = tmp_path / "01.html"
    result = execute_notebook("01-tables", SEED_ID, processed, html_path, keep_code=True, notebook_dir=NOTEBOOKS, build_dir=tmp_path / "b")
    assert result["ok"]
    assert "tables_overview" in html_path.read_text(encoding="utf-8")


def test_crafted_document_text_cannot_inject_markup(tmp_path):
    """A title in a crafted document must reach the page as text, not markup."""
    crafted = SEED.read_text(encoding="utf-8").replace(
        "遗属生活补助\t5.02", "<script>alert(1)</script>遗属生活补助\t5.02", 1
    ).replace("工程运维服务费\t411.00", "<img src=x onerror=alert(2)>\t411.00", 1)
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "crafted.txt").write_text(crafted, encoding="utf-8")
    out = tmp_path / "processed"
    assert main(["extract", str(raw / "crafted.txt"), "--out", str(out), "--no-checks"]) == 0
    html_path = tmp_path / "crafted.html"
    result = execute_notebook("01-tables", "crafted", out, html_path, notebook_dir=NOTEBOOKS, build_dir=tmp_path / "b")
    assert result["ok"], result["error"]
    page = html_path.read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page


def test_escape_md():
    assert escape_md("<b>x</b> *y*") == "&lt;b&gt;x&lt;/b&gt; \\*y\\*"


def test_index_escapes_and_lists_every_document(processed, tmp_path):
    specs = read_manifest(RAW / "manifest.csv")
    specs[0].metadata["title"] = "<script>bad()</script>" + specs[0].metadata["title"]
    index = write_index(specs, processed, tmp_path, ["01-tables"], [{"doc_id": SEED_ID, "notebook": "01-tables", "ok": True}])
    page = index.read_text(encoding="utf-8")
    assert "<script>bad()" not in page
    assert page.count("<tr>") == len(specs) + 1  # header row + one per document
    assert "13/13 expected tables found" in page
    assert "failed: not extracted" in page  # documents that were not processed say so


def test_pages_embed_the_cjk_glyphs_they_use(processed, tmp_path):
    """A report reads right on a machine with no Chinese font: the glyphs travel with the page."""
    import base64
    import io

    from fontTools.ttLib import TTFont

    html_path = tmp_path / "01.html"
    assert execute_notebook("01-tables", SEED_ID, processed, html_path, notebook_dir=NOTEBOOKS, build_dir=tmp_path / "b")["ok"]
    page = html_path.read_text(encoding="utf-8")
    match = re.search(r"url\(data:font/otf;base64,([A-Za-z0-9+/=]+)\)", page)
    assert match, "no embedded font"
    font = TTFont(io.BytesIO(base64.b64decode(match.group(1))))
    covered = set(map(chr, font.getBestCmap()))
    used = {c for c in page if ord(c) > 0x2E7F}
    assert "沁" in used and used <= covered


def test_report_covers_documents_in_no_manifest(tmp_path, monkeypatch):
    """`budgetkit extract some.txt` then `budgetkit report` reports on it too."""
    monkeypatch.chdir(ROOT)
    out = tmp_path / "processed"
    copy = tmp_path / "some-dump.txt"
    shutil.copy(SEED, copy)
    assert main(["extract", str(copy), "--out", str(out), "--no-checks"]) == 0
    reports = tmp_path / "reports"
    code = main(["report", "--manifest", str(tmp_path / "none.csv"), "--processed", str(out), "--out", str(reports),
                 "--notebook", "01-tables", "--jobs", "1"])
    assert code == 0
    assert (reports / "some-dump" / "01-tables.html").exists()
    assert "some-dump" in (reports / "index.html").read_text(encoding="utf-8")


# Payloads as a hostile publisher or file namer would write them, one per field.
PAYLOADS = {
    "title": '"><img src=x onerror=alert(1)>',
    "publisher": "<script>alert(2)</script>",
    "region": "[click](javascript:alert(3))",
    "kind": "<svg onload=alert(4)>",
    "origin": "<iframe src=javascript:alert(6)>",
    "file": '"><img src=x onerror=alert(5)>',
    "cell": "<img src=y onerror=alert(7)>",
    "narrative": "<a href='javascript:alert(8)'>x</a>",
}


class _LiveContent(__import__("html.parser").parser.HTMLParser):
    """Every element or attribute of a page that could run script (the test's own parser)."""

    def __init__(self):
        super().__init__()
        self.live, self.text = [], []

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "iframe", "object", "embed", "svg"}:
            self.live.append(tag)
        for name, value in attrs:
            if name.startswith("on") or "javascript:" in (value or "").replace(" ", "").lower():
                self.live.append(f"{tag} {name}={value}")

    def handle_data(self, data):
        self.text.append(data)


def test_payloads_in_every_field_stay_text_on_every_page(tmp_path):
    """Manifest columns, file name, table cells and narrative carry script; every page shows it as text."""
    from budgetkit.report import build_reports

    raw = tmp_path / "raw"
    raw.mkdir()
    text = SEED.read_text(encoding="utf-8")
    text = text.replace("沁水县公安局交通警察大队\t1459.94", PAYLOADS["cell"] + "\t1459.94", 1)
    text = text.replace("2025年度沁水县公安局预算收入总计", PAYLOADS["narrative"] + "2025年度沁水县公安局预算收入总计", 1)
    file_name = PAYLOADS["file"] + ".txt"
    (raw / file_name).write_text(text, encoding="utf-8")
    fields = {"doc_id": "hostile", "part": "1", "role": "document", "file": file_name, "title": PAYLOADS["title"],
              "publisher": PAYLOADS["publisher"], "region": PAYLOADS["region"], "level": "county", "fiscal_year": "2025",
              "kind": PAYLOADS["kind"], "template": "shanxi-county", "origin": PAYLOADS["origin"], "sha256": ""}
    import csv

    with open(raw / "manifest.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(fields))
        writer.writeheader()
        writer.writerow(fields)
    processed, reports = tmp_path / "processed", tmp_path / "reports"
    assert main(["extract", str(raw / "manifest.csv"), "--out", str(processed)]) == 0
    assert build_reports(manifest=raw / "manifest.csv", processed=processed, reports=reports, jobs=2, notebook_dir=NOTEBOOKS) == 0
    pages = sorted(reports.rglob("*.html"))
    assert [p.relative_to(reports).as_posix() for p in pages] == [
        "compare.html", "hostile/01-tables.html", "hostile/02-figures.html", "hostile/03-reconcile.html", "hostile/04-compare.html",
        "index.html"]
    from budgetkit.runner import PAGE_SCRIPT

    shown = ""
    for page in pages:
        parser = _LiveContent()
        # The one script a page may carry is budgetkit's own (sorting tables), added after the check.
        parser.feed(page.read_text(encoding="utf-8").replace(PAGE_SCRIPT, ""))
        assert parser.live == [], f"{page.name}: {parser.live}"
        shown += "".join(parser.text)
    # The payloads reached the pages — as the text they are made of.
    def bare(text):  # the checks fold spaces out of names; the Markdown escapes are backslashes
        return "".join(text.split()).replace("\\", "")

    # (The narrative's sentences are not shown whole on today's pages; they are checked for live content above.)
    for field in ("title", "publisher", "file", "cell"):
        assert bare(PAYLOADS[field]) in bare(shown), field
