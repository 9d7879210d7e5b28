"""Read a budget disclosure printed as PDF (with a text layer) into a :class:`~budgetkit.model.Document`.

Two table backends share everything but the table finder:

* ``"tabula"`` (default): tabula-java's lattice extractor (ruled tables), run in-process
  through jpype. One JVM per Python process; each PDF is opened once and every page is
  extracted in the same call (no per-page JVM or file round trips).
* ``"pdfplumber"``: pdfplumber's ruled-table finder; no Java needed.

Both give, per page, tables as rows of cells with their geometry (left, top, width). Page
text (titles, 单位 lines, label, narrative) comes from pypdfium2. Body cells are placed in
columns by geometry (lattice output shifts cells left after a merged cell), header paths are
read per column and named with canonical column ids from the catalog, 科目编码 printed over
类/款/项 columns are joined, and tables continued over pages are stitched (repeated header
rows dropped, a row split by the page break joined).

Java, tabula and jpype are imported lazily: the text reader works without them.
"""

from budgetkit.sources.pdf.assembly import BACKENDS, cell_value, read_pdf_document
from budgetkit.sources.pdf.narrative import narrative_paragraphs

__all__ = ["BACKENDS", "cell_value", "narrative_paragraphs", "read_pdf_document"]
