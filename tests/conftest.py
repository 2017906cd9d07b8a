"""Shared fixtures: a throw-away copy of the project data so tests never touch the checkout."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from egov_analysis import config

REPO = Path(__file__).resolve().parents[1]
SEEDS = sorted((REPO / "data" / "raw" / "articles").glob("*.txt"))
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def project(tmp_path) -> config.Paths:
    """A project root in tmp_path with the shipped raw corpus, reference and curation data."""
    for sub in ("data/raw", "data/external", "data/curation"):
        src = REPO / sub
        if src.exists():
            shutil.copytree(src, tmp_path / sub)
    (tmp_path / "data" / "processed").mkdir(parents=True, exist_ok=True)
    (tmp_path / "reports").mkdir(exist_ok=True)
    if (REPO / "notebooks").exists():
        shutil.copytree(REPO / "notebooks", tmp_path / "notebooks")
    return config.paths(tmp_path)


@pytest.fixture
def empty_project(tmp_path) -> config.Paths:
    """A project root with an empty corpus (sources.csv header only)."""
    (tmp_path / "data" / "raw" / "articles").mkdir(parents=True)
    shutil.copy(REPO / "data" / "raw" / "sources.csv", tmp_path / "data" / "raw" / "sources.csv")
    lines = (tmp_path / "data" / "raw" / "sources.csv").read_text(encoding="utf-8").splitlines()
    (tmp_path / "data" / "raw" / "sources.csv").write_text(lines[0] + "\n", encoding="utf-8")
    if (REPO / "data" / "external").exists():
        shutil.copytree(REPO / "data" / "external", tmp_path / "data" / "external")
    return config.paths(tmp_path)


REFERENCE_FILES = ["provinces.csv", "provinces_2025.csv", "cpi_vietnam.csv", "vnd_usd.csv"]


@pytest.fixture
def reference_project(tmp_path) -> config.Paths:
    """A throwaway project root holding only copies of the shipped reference tables."""
    p = config.paths(tmp_path)
    p.external.mkdir(parents=True)
    for name in REFERENCE_FILES:
        shutil.copy(config.paths().external / name, p.external / name)
    return p


def write_overrides(p: config.Paths, rows: list[dict]) -> None:
    """data/curation/overrides.csv with these rows (columns not given are blank)."""
    import csv

    from egov_analysis.curate import COLUMNS

    with open(p.overrides_csv, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({c: r.get(c, "") for c in COLUMNS})
