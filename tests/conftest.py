"""Shared fixtures: the seed disclosure read once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
SEED = RAW / "qinshui-police-2025.txt"
SEED_ID = "qinshui-police-2025"


@pytest.fixture(scope="session")
def seed_document():
    from budgetkit.manifest import read_manifest
    from budgetkit.pipeline import read_spec

    spec = next(s for s in read_manifest(RAW / "manifest.csv") if s.doc_id == SEED_ID)
    return read_spec(spec)


@pytest.fixture(scope="session")
def seed_tidy(seed_document):
    from budgetkit.tidy import tidy_document

    return tidy_document(seed_document)
