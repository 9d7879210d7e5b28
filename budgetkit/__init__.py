"""budgetkit: Chinese department budget disclosures (部门预算公开) as tidy, checked data.

Data flows one way: raw → tables → tidy → checks → figures → reports.

* :mod:`budgetkit.sources` reads a document (text dump or PDF) into :class:`~budgetkit.model.Document`.
* :mod:`budgetkit.catalog` knows the standard tables and their aliases (data in ``catalog.toml``).
* :mod:`budgetkit.tidy` turns each printed table into a long, exact DataFrame.
* :mod:`budgetkit.pipeline` runs a manifest document end to end into ``data/processed/<doc_id>/``.
"""

__version__ = "0.1.0"
