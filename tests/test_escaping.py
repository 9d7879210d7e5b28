"""Escaping document text for HTML and Markdown; finding live content in a page."""

import pytest

from budgetkit.escaping import escape_html, escape_md, find_active_content


def test_escape_html_and_md():
    assert escape_html('"><img src=x onerror=alert(1)>') == "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
    assert escape_md("[x](javascript:alert(1)) <b>*y*</b>") == "\\[x\\](javascript:alert(1)) &lt;b&gt;\\*y\\*&lt;/b&gt;"


@pytest.mark.parametrize(
    "page, found",
    [
        ("<p>ok</p><table><td>&lt;script&gt;</td></table>", []),
        ('<meta charset="utf-8"><p>ok</p>', []),
        ("<p><script>alert(1)</script></p>", ["<script> element"]),
        ('<img src="x" onerror="alert(1)">', ["onerror= handler on <img>"]),
        ('<a href=" JaVaScRiPt:alert(1)">x</a>', ["href=' JaVaScRiPt:alert(1)' on <a>"]),
        ('<svg/onload=alert(1)>', ["onload= handler on <svg>"]),
        ('<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', ["<meta> element"]),
    ],
)
def test_find_active_content(page, found):
    assert find_active_content(page) == found


def test_export_refuses_a_page_with_live_content(tmp_path):
    import nbformat

    from budgetkit.report import export_html

    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": "<img src=x onerror=alert(1)>"})]
    notebook.cells = [cell]
    path = tmp_path / "n.ipynb"
    nbformat.write(notebook, path)
    with pytest.raises(ValueError, match="onerror= handler on <img>"):
        export_html(path, tmp_path / "n.html")
    assert not (tmp_path / "n.html").exists()
