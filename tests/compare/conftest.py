"""Fixtures of the comparison-layer tests: tiny reference tables and a record builder.

``seed_indicators.csv`` holds the figures of the five seed articles as the extraction is
expected to write them; the small tables next to it are subsets of data/external.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from egov_analysis.schemas import INDICATORS, validate

FIXTURES = Path(__file__).resolve().parent / "fixtures"
_STR = [c for c, col in INDICATORS.columns.items() if str(col.dtype) == "str"]


def read_indicators(path: Path) -> pd.DataFrame:
    """A fixture CSV as a validated indicators table."""
    df = pd.read_csv(path, dtype={c: "str" for c in _STR}, encoding="utf-8")
    for c in ("value", "value_low", "value_high", "denominator"):
        df[c] = df[c].astype(float)
    return validate(df, INDICATORS, where=str(path))


def records(*rows: dict) -> pd.DataFrame:
    """An indicators table from a few dicts; unspecified columns get neutral defaults.

    ``value`` fills ``value_low``/``value_high`` for exact figures unless given.
    """
    out = []
    for i, r in enumerate(rows):
        q = r.get("qualifier", "exact")
        v = r.get("value", float("nan"))
        base = {
            "record_id": f"r{i + 1:02d}", "article_id": "a1", "indicator_id": "edocs_count",
            "province": "Bắc Giang", "period_start": "2015-01-01", "period_end": "2015-12-31",
            "scope": None, "value": v,
            "value_low": v if q in ("exact", "over", "approx_over") else float("nan"),
            "value_high": v if q in ("exact", "nearly", "approx_nearly") else float("nan"),
            "denominator": float("nan"), "unit": "count", "qualifier": q, "quote": "trích dẫn",
            "quote_start": 0, "quote_end": 10, "value_text": "trích dẫn", "value_start": 0, "value_end": 10,
            "part_of": None, "status": "extracted", "note": None,
        }
        base.update(r)
        for c, col in INDICATORS.columns.items():  # columns added to the schema later: neutral values
            base.setdefault(c, None if col.nullable else (0 if "int" in str(col.dtype) else "x"))
        out.append(base)
    df = pd.DataFrame(out, columns=list(INDICATORS.columns))
    for c in ("value", "value_low", "value_high", "denominator"):
        df[c] = df[c].astype(float)
    for c in _STR:
        df[c] = df[c].where(df[c].notna(), None).astype("str")
    return df


@pytest.fixture
def seed() -> pd.DataFrame:
    return read_indicators(FIXTURES / "seed_indicators.csv")


@pytest.fixture
def cpi() -> pd.DataFrame:
    return pd.read_csv(FIXTURES / "cpi.csv")


@pytest.fixture
def vnd_usd() -> pd.DataFrame:
    return pd.read_csv(FIXTURES / "vnd_usd.csv")


@pytest.fixture
def population() -> pd.Series:
    s = pd.read_csv(FIXTURES / "population.csv").set_index("province")["population"].astype(float)
    s.attrs["population_year"] = 2024
    return s


@pytest.fixture
def units_2025() -> pd.DataFrame:
    return pd.read_csv(FIXTURES / "units_2025.csv", dtype=str)


@pytest.fixture
def catalogue() -> pd.DataFrame:
    return pd.DataFrame({"indicator_id": ["ict_index_rank", "budget_savings_vnd"], "higher_is_better": [False, True]})
