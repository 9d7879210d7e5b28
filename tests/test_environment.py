"""environment.yml (conda) and requirements.txt (pip) name the same packages."""

import re

from conftest import ROOT

# conda-forge names that differ from PyPI's
CONDA_TO_PIP = {"python-duckdb": "duckdb", "dask": "dask[distributed]"}
CONDA_ONLY = {"python", "pip", "openjdk", "distributed"}


def names(lines):
    return {re.split(r"[<>=\s]", line.strip(), maxsplit=1)[0].lower() for line in lines if line.strip()}


def test_requirements_and_environment_in_step():
    pip = names(l for l in (ROOT / "requirements.txt").read_text().splitlines() if not l.startswith("#"))
    conda_lines = []
    text = (ROOT / "environment.yml").read_text()
    for line in text.split("dependencies:", 1)[1].splitlines():
        match = re.match(r"^\s+-\s+([A-Za-z0-9_.\[\]-]+)", line)
        if match and not line.strip().startswith("- -"):
            conda_lines.append(match.group(1))
    conda = {CONDA_TO_PIP.get(n.lower(), n.lower()) for n in names(conda_lines)} - CONDA_ONLY
    assert conda == pip


def test_pyproject_dependencies_are_required():
    text = (ROOT / "pyproject.toml").read_text()
    block = text.split("dependencies = [", 1)[1].split("]", 1)[0]
    core = names(re.findall(r'"([^"]+)"', block))
    pip = names(l for l in (ROOT / "requirements.txt").read_text().splitlines() if not l.startswith("#"))
    assert core <= pip
