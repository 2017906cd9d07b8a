"""Shared conventions of the comparison layer and pandera schemas of its outputs.

Conventions every comparison table follows:

* ``record_ids``: the ``record_id`` of every indicator record a row was computed from,
  sorted and joined with ``";"`` (see :func:`join_ids`).
* ``assumptions``: every assumption applied to the row, in plain words, ``"; "``-joined.
* ``notes``: why a number is blank (NaN) or what to be careful about; ``""`` if nothing.
* ``bound``: what a number is. ``exact``; ``approx`` (a rounded figure, "khoảng");
  ``lower`` / ``upper`` (stated as "trên/hơn" / "gần": the true value is above / below);
  ``approx_lower`` / ``approx_upper`` ("ước đạt trên"); ``range`` (both ends known);
  ``unknown`` (the ends of an interval are not known, e.g. a difference of two lower
  bounds); ``vague`` (no number, "vài tỷ đồng").
  Every derived number keeps ``_low``/``_high`` columns: NaN means "no bound on that side".
* No column ever holds ``inf``: a division by zero or by a missing number is NaN, and
  ``notes`` says why.

Rejected records (``status == "rejected"``) never enter the comparison layer.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd
import pandera.pandas as pa

NATIONAL_NAME = "Việt Nam"

# qualifier (indicators table) -> bound (comparison tables)
QUALIFIER_BOUND = {
    "exact": "exact",
    "over": "lower",
    "nearly": "upper",
    "approx": "approx",
    "approx_over": "approx_lower",
    "approx_nearly": "approx_upper",
    "vague": "vague",
}
BOUNDS = [
    "exact", "approx", "lower", "upper", "approx_lower", "approx_upper",
    "range", "approx_range", "unknown", "approx_unknown", "vague",
]

# Scope strings as the extraction writes them -> (dimension, level). Parts of a total are
# only compared within one dimension: "tổ chức"+"cá nhân" split a total one way, levels
# of government another way. Keys are compared case-folded.
SCOPE_TABLE = {
    "cấp tỉnh": ("level", "province"),
    "cấp sở": ("level", "department"),
    "sở-ngành": ("level", "department"),
    "sở, ngành": ("level", "department"),
    "cấp huyện": ("level", "district"),
    "cấp xã": ("level", "commune"),
    "tổ chức": ("holder", "organisation"),
    "cá nhân": ("holder", "individual"),
    # the provincial public-service centre is inside the provincial level: its own dimension,
    # so it is only checked against the total, never summed with the levels
    "trung tâm hành chính công": ("centre", "service_centre"),
}


def scope_parts(scope: object) -> list[str]:
    """The single scopes inside a scope string: ``"cấp tỉnh; cấp huyện"`` -> two parts."""
    if not isinstance(scope, str) or not scope.strip():
        return []
    return [s.strip() for s in scope.split(";") if s.strip()]


def scope_dimension(scope: object) -> tuple[str, str]:
    """(dimension, level) of one scope string; unknown strings -> ``("other", scope)``.

    >>> scope_dimension("cấp xã")
    ('level', 'commune')
    """
    if not isinstance(scope, str) or not scope.strip():
        return ("all", "all")
    parts = scope_parts(scope)
    found = [SCOPE_TABLE.get(p.casefold(), ("other", p)) for p in parts]
    dims = {d for d, _ in found}
    dim = dims.pop() if len(dims) == 1 else "mixed"
    return (dim, ";".join(level for _, level in found))


def join_ids(ids: Iterable[object]) -> str:
    """Sorted, de-duplicated record ids joined with ``";"``.

    >>> join_ids(["r2", "r1;r3", "r2"])
    'r1;r2;r3'
    """
    out: set[str] = set()
    for i in ids:
        if isinstance(i, str):
            out.update(x for x in i.split(";") if x)
    return ";".join(sorted(out))


def join_text(parts: Iterable[object]) -> str:
    """Non-empty texts, first occurrence order, joined with ``"; "``."""
    seen: list[str] = []
    for p in parts:
        if isinstance(p, str):
            for piece in p.split("; "):
                if piece and piece not in seen:
                    seen.append(piece)
    return "; ".join(seen)


def nan_if_inf(x: float) -> float:
    """``x`` as a float, with inf / -inf / None turned into NaN."""
    try:
        x = float(x)
    except (TypeError, ValueError):
        return math.nan
    return x if math.isfinite(x) else math.nan


def period_months(start: pd.Timestamp, end: pd.Timestamp) -> float:
    """Length of a period in months: whole calendar months when the period runs from a
    first to a last day of a month (2015-01-01..2015-09-30 -> 9), else days / 30.436875.
    NaN when either end is missing.
    """
    if pd.isna(start) or pd.isna(end):
        return math.nan
    if start.day == 1 and end.is_month_end:
        return float((end.year - start.year) * 12 + end.month - start.month + 1)
    return ((end - start).days + 1) / (365.2425 / 12)


def period_mid(start: pd.Timestamp, end: pd.Timestamp) -> pd.Timestamp:
    """Middle of a period (a point when only one end is known); NaT if none is."""
    if pd.isna(start) and pd.isna(end):
        return pd.NaT
    if pd.isna(start):
        return end
    if pd.isna(end):
        return start
    return start + (end - start) / 2


def _to_date(s: pd.Series) -> pd.Series:
    return pd.to_datetime(s, format="%Y-%m-%d", errors="coerce")


def usable_records(indicators: pd.DataFrame) -> pd.DataFrame:
    """Records the comparison layer computes with, plus parsed helper columns.

    Drops ``status == "rejected"``; adds ``start``/``end``/``mid`` (Timestamps),
    ``period_year`` (year of the period's middle, nullable Int64), ``period_months``,
    ``scope_key`` (scope with NaN as ``""``, for grouping) and ``bound``; fills the
    bounds the qualifier implies (exact: low = high = value; over: low = value;
    nearly: high = value). Input is not modified.
    """
    df = indicators.loc[indicators["status"] != "rejected"].copy()
    df["start"] = _to_date(df["period_start"])
    df["end"] = _to_date(df["period_end"])
    df["mid"] = [period_mid(s, e) for s, e in zip(df["start"], df["end"])]
    df["mid"] = pd.to_datetime(df["mid"])
    df["period_year"] = df["mid"].dt.year.astype("Int64")
    df["period_months"] = [period_months(s, e) for s, e in zip(df["start"], df["end"])]
    df["scope_key"] = df["scope"].fillna("").astype(str)
    df["bound"] = df["qualifier"].map(QUALIFIER_BOUND).fillna("unknown")
    for col in ("value", "value_low", "value_high", "denominator"):
        df[col] = pd.to_numeric(df[col], errors="coerce").astype(float)
    q = df["qualifier"]
    low_is_value = q.isin(["exact", "over", "approx_over"])
    high_is_value = q.isin(["exact", "nearly", "approx_nearly"])
    df.loc[low_is_value & df["value_low"].isna(), "value_low"] = df["value"]
    df.loc[high_is_value & df["value_high"].isna(), "value_high"] = df["value"]
    return df.reset_index(drop=True)


def interval(value: float, low: float, high: float, bound: str) -> tuple[float, float]:
    """Closed interval a figure stands for, with -inf/inf for an open side.

    Used only to reason about order (ranks, checks): an ``approx`` or ``exact`` figure
    without stated ends is treated as the point ``value``.
    """
    lo = low if pd.notna(low) else (-math.inf if bound in ("upper", "approx_upper") or pd.isna(value) else value)
    hi = high if pd.notna(high) else (math.inf if bound in ("lower", "approx_lower") or pd.isna(value) else value)
    if bound in ("unknown", "approx_unknown", "vague"):
        lo, hi = (-math.inf, math.inf) if pd.isna(low) and pd.isna(high) else (lo, hi)
    return float(lo), float(hi)


def sort_table(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Rows sorted by ``keys`` (NaN last), index reset: the order outputs are written in."""
    return df.sort_values(keys, na_position="last", kind="mergesort").reset_index(drop=True)


# ---------------------------------------------------------------------------
# pandera schemas of the outputs

def _no_inf(df: pd.DataFrame) -> bool:
    num = df.select_dtypes(include="number")
    return not np.isinf(num.to_numpy(dtype=float, na_value=np.nan)).any()


_COMMON_CHECKS = [pa.Check(_no_inf, error="no inf in any numeric column")]
_IDS = pa.Column(str, pa.Check.str_matches(r"^[^;]+(;[^;]+)*$"))
_TEXT = pa.Column(str)
_BOUND = pa.Column(str, pa.Check.isin(BOUNDS))
_F = pa.Column(float, nullable=True)
_YEAR = pa.Column("Int64", nullable=True)
_DATE = pa.Column(str, nullable=True, checks=pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}$"))
_OSTR = pa.Column(str, nullable=True)


def _schema(name: str, columns: dict, **kw) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(columns, checks=_COMMON_CHECKS, strict=True, ordered=True, name=name, **kw)


SAVINGS = _schema("savings", {
    "record_id": pa.Column(str), "record_ids": _IDS, "article_id": pa.Column(str), "province": _OSTR,
    "indicator_id": pa.Column(str, pa.Check.isin(["budget_savings_vnd", "compliance_cost_savings_vnd"])),
    "savings_kind": pa.Column(str, pa.Check.isin(["budget", "compliance"])),
    "scope": _OSTR, "period_start": _DATE, "period_end": _DATE, "period_year": _YEAR,
    "period_months": _F, "unit_stated": pa.Column(str), "qualifier": pa.Column(str), "bound": _BOUND,
    "value_stated": _F, "value_stated_low": _F, "value_stated_high": _F,
    "is_annualised": pa.Column(bool), "annualisation_factor": _F,
    "annual_nominal_vnd": _F, "annual_nominal_low_vnd": _F, "annual_nominal_high_vnd": _F,
    "base_year": pa.Column("int64"), "has_cpi": pa.Column(bool), "cpi_index_period": _F, "cpi_index_base": _F,
    "annual_real_vnd": _F, "annual_real_low_vnd": _F, "annual_real_high_vnd": _F,
    "has_fx_rate": pa.Column(bool), "vnd_per_usd": _F,
    "annual_nominal_usd": _F, "annual_nominal_low_usd": _F, "annual_nominal_high_usd": _F,
    "has_population": pa.Column(bool), "population": _F,
    "annual_real_per_capita_vnd": _F, "annual_real_per_capita_low_vnd": _F, "annual_real_per_capita_high_vnd": _F,
    "users_count": _F, "annual_real_per_user_vnd": _F, "annual_real_per_user_low_vnd": _F,
    "annual_real_per_user_high_vnd": _F,
    "units_count": _F, "annual_real_per_unit_vnd": _F, "annual_real_per_unit_low_vnd": _F,
    "annual_real_per_unit_high_vnd": _F,
    "assumptions": _TEXT, "notes": _TEXT,
})

ADOPTION = _schema("adoption", {
    "record_ids": _IDS, "article_id": pa.Column(str), "province": _OSTR,
    "rate_id": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9_]+_pct$")), "indicator_id": pa.Column(str),
    "scope": _OSTR, "level": pa.Column(str), "period_start": _DATE, "period_end": _DATE, "period_year": _YEAR,
    "source": pa.Column(str, pa.Check.isin(["stated_percent", "ratio", "share_of_total"])),
    "numerator": _F, "denominator": _F,
    "rate_pct": _F, "rate_low_pct": _F, "rate_high_pct": _F,
    "qualifier": pa.Column(str), "bound": _BOUND, "assumptions": _TEXT, "notes": _TEXT,
})

FIGURES = _schema("figures", {
    "record_ids": _IDS, "province": _OSTR, "indicator_id": pa.Column(str), "measure": pa.Column(str),
    "unit": pa.Column(str), "scope": _OSTR, "period_basis": pa.Column(str),
    "period_start": _DATE, "period_end": _DATE, "period_year": _YEAR,
    "value": _F, "value_low": _F, "value_high": _F, "bound": _BOUND,
    "assumptions": _TEXT, "notes": _TEXT,
})

TIMESERIES = _schema("timeseries", {
    "province": _OSTR, "indicator_id": pa.Column(str), "measure": pa.Column(str), "unit": pa.Column(str),
    "scope": _OSTR, "period_basis": pa.Column(str),
    "period_start_from": _DATE, "period_end_from": _DATE, "period_start_to": _DATE, "period_end_to": _DATE,
    "year_from": _YEAR, "year_to": _YEAR, "years_between": _F,
    "value_from": _F, "value_from_low": _F, "value_from_high": _F, "bound_from": _BOUND,
    "value_to": _F, "value_to_low": _F, "value_to_high": _F, "bound_to": _BOUND,
    "change": _F, "change_low": _F, "change_high": _F, "change_bound": _BOUND,
    "change_per_year": _F, "cagr_pct": _F, "cagr_low_pct": _F, "cagr_high_pct": _F,
    "record_ids": _IDS, "assumptions": _TEXT, "notes": _TEXT,
})

RANKINGS = _schema("rankings", {
    "indicator_id": pa.Column(str), "measure": pa.Column(str), "unit": pa.Column(str), "scope": _OSTR,
    "period_basis": pa.Column(str), "ranking_year": _YEAR, "province": _OSTR, "period_year": _YEAR,
    "year_gap": _YEAR, "is_comparable": pa.Column(bool), "higher_is_better": pa.Column(bool),
    "value": _F, "value_low": _F, "value_high": _F, "bound": _BOUND,
    "rank": _YEAR, "rank_best": _YEAR, "rank_worst": _YEAR, "n_ranked": pa.Column("int64"),
    "record_ids": _IDS, "assumptions": _TEXT, "notes": _TEXT,
})

CHECKS = _schema("checks", {
    "check": pa.Column(str), "status": pa.Column(str, pa.Check.isin(["pass", "fail"])),
    "indicator_id": _OSTR, "province": _OSTR, "period_start": _DATE, "period_end": _DATE,
    "record_ids": _IDS, "message": _TEXT,
})

ROLLUP = _schema("rollup_2025", {
    "name_2025": pa.Column(str), "code_2025": pa.Column(str), "indicator_id": pa.Column(str),
    "measure": pa.Column(str), "unit": pa.Column(str), "scope": _OSTR, "period_basis": pa.Column(str),
    "period_year": _YEAR, "method": pa.Column(str, pa.Check.isin(["sum", "population_weighted_mean"])),
    "value": _F, "value_low": _F, "value_high": _F, "bound": _BOUND,
    "is_complete": pa.Column(bool), "parts": pa.Column(str), "parts_with_data": pa.Column(str),
    "missing_parts": pa.Column(str), "population": _F,
    "record_ids": _IDS, "assumptions": _TEXT, "notes": _TEXT,
})

OUTPUT_SCHEMAS = {
    "savings": SAVINGS, "adoption": ADOPTION, "figures": FIGURES, "timeseries": TIMESERIES,
    "rankings": RANKINGS, "checks": CHECKS, "rollup_2025": ROLLUP,
}


def empty_frame(schema: pa.DataFrameSchema) -> pd.DataFrame:
    """A zero-row frame with the schema's columns and dtypes."""
    cols = {}
    for name, col in schema.columns.items():
        dtype = str(col.dtype)
        cols[name] = pd.Series([], dtype="str" if dtype in ("str", "string") else dtype)
    return pd.DataFrame(cols)


def conform(rows: list[dict], schema: pa.DataFrameSchema) -> pd.DataFrame:
    """Rows (dicts) -> a frame with exactly the schema's columns, in order, with its dtypes."""
    if not rows:
        return empty_frame(schema)
    df = pd.DataFrame(rows)
    out = {}
    for name, col in schema.columns.items():
        s = df[name] if name in df else pd.Series([None] * len(df))
        dtype = str(col.dtype)
        if dtype == "float64":
            s = pd.to_numeric(s, errors="coerce").astype(float).map(nan_if_inf)
        elif dtype in ("Int64", "int64"):
            s = pd.to_numeric(s, errors="coerce").round().astype(dtype)
        elif dtype == "bool":
            s = s.astype(bool)
        else:
            s = s.astype("str") if not col.nullable else s.where(s.notna(), None).astype("str")
        out[name] = s.reset_index(drop=True)
    return pd.DataFrame(out)


def fmt_num(x: float) -> str:
    """A number for messages: whole numbers with thousands separators, else 4 significant
    digits; NaN as ``"?"``.

    >>> fmt_num(5058.0), fmt_num(88.8889), fmt_num(float("nan"))
    ('5,058', '88.89', '?')
    """
    if pd.isna(x):
        return "?"
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    if float(x).is_integer():
        return f"{x:,.0f}"
    return f"{x:,.4g}"
