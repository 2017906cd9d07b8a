"""Comparable figures (one long table) and their change over time per province.

:func:`comparable_figures` puts savings, rates, counts and ranks into one long table
with a ``measure``, a ``unit`` and a ``period_basis``; two figures are comparable only
when indicator, measure, unit, scope and period basis are all equal. Rankings, time
series and the 2025 rollup all start from it.

:func:`compute_timeseries` pairs consecutive periods of one province's comparable
figures. Bounds propagate by interval arithmetic: change low = to_low - from_high,
change high = to_high - from_low, so the change between two lower bounds
("hơn 14 tỷ" -> "trên 20 tỷ") has no known bound: ``change_bound`` = ``unknown``.
"""

from __future__ import annotations

import math

import pandas as pd

from ..errors import ParameterError
from .schemas import (FIGURES, TIMESERIES, conform, join_ids, join_text, period_mid, period_months,
                      sort_table, usable_records)

#: Savings measures put into the figures table (columns of the savings table).
SAVINGS_MEASURES = ("annual_real_vnd", "annual_real_per_capita_vnd")
#: Time between two figures: "midpoint" (distance between period middles: a figure for a
#: period is placed at its middle, two calendar-year figures are exactly 1 year apart)
#: or "end" (distance between period ends).
TIME_BASIS = "midpoint"

_SAVINGS_UNITS = {
    "annual_nominal_vnd": "VND/year (current prices)",
    "annual_real_vnd": "VND/year ({base} prices)",
    "annual_real_per_capita_vnd": "VND/person/year ({base} prices)",
    "annual_real_per_user_vnd": "VND/user/year ({base} prices)",
    "annual_real_per_unit_vnd": "VND/unit/year ({base} prices)",
    "annual_nominal_usd": "USD/year (current)",
}
_KEY = ["province", "indicator_id", "measure", "unit", "scope", "period_basis"]

# What a figure is, in words for notes (the ``bound`` column's values).
BOUND_WORDS = {
    "exact": "an exact figure", "approx": "an approximate figure", "lower": "a lower bound", "upper": "an upper bound",
    "approx_lower": "an approximate lower bound", "approx_upper": "an approximate upper bound",
    "range": "a range", "approx_range": "an approximate range", "unknown": "a figure of unknown bound",
    "approx_unknown": "an approximate figure of unknown bound", "vague": "a vague amount",
}


def _lh(measure: str) -> tuple[str, str]:
    stem, unit = measure.rsplit("_", 1)
    return f"{stem}_low_{unit}", f"{stem}_high_{unit}"


# savings assumptions that concern only some measures (matched by their first words)
_ONLY_FOR = {"per person": "per_capita", "per user": "per_user", "per unit": "per_unit",
             "current US dollars": "_usd", "constant ": "_real_"}


def _assumptions_for(measure: str, text: str) -> str:
    keep = [a for a in text.split("; ") if not any(a.startswith(k) and v not in measure for k, v in _ONLY_FOR.items())]
    return "; ".join(keep)


def _count_basis(start: str | float, end: str | float) -> str:
    s = pd.to_datetime(start, errors="coerce") if isinstance(start, str) else pd.NaT
    e = pd.to_datetime(end, errors="coerce") if isinstance(end, str) else pd.NaT
    if pd.isna(s) and pd.isna(e):
        return "no period"
    if pd.isna(s) or pd.isna(e) or s == e:
        return "as of a date"
    return f"{round(period_months(s, e), 1):g} months"


def comparable_figures(
    savings: pd.DataFrame,
    adoption: pd.DataFrame,
    indicators: pd.DataFrame,
    *,
    savings_measures: tuple[str, ...] = SAVINGS_MEASURES,
) -> pd.DataFrame:
    """Savings, rates, plain counts and ranks as one long table of comparable figures.

    * savings: one figure per ``savings_measures`` column (``period_basis`` "per year");
      vague amounts are left out (they have no number).
    * adoption: ``measure`` "rate_pct", ``indicator_id`` = the ``rate_id``.
    * counts without a denominator (not savings, not ``*_pct``): ``measure`` "count",
      ``period_basis`` = the length of the period ("12 months", "as of a date"), because a
      9-month count and a 12-month count are not comparable.
    * ranks: ``measure`` "rank" (lower is better).

    Identical figures (same key, period and numbers, e.g. one figure repeated in a title
    and a body) are merged into one row listing all their ``record_ids``.
    """
    rows: list[dict] = []
    for _, s in savings.iterrows():
        if s["bound"] == "vague" or pd.isna(s["value_stated"]) and pd.isna(s["value_stated_low"]) \
                and pd.isna(s["value_stated_high"]):
            continue
        for m in savings_measures:
            if m not in _SAVINGS_UNITS:
                raise ParameterError(f"unknown savings measure {m!r}", where="savings_measures",
                                     fix=f"use some of {sorted(_SAVINGS_UNITS)}")
            lo, hi = _lh(m)
            per_count = m in ("annual_real_per_user_vnd", "annual_real_per_unit_vnd")
            rows.append(dict(
                record_ids=s["record_ids"] if per_count else s["record_id"], province=s["province"],
                indicator_id=s["indicator_id"], measure=m,
                unit=_SAVINGS_UNITS[m].format(base=s["base_year"]), scope=s["scope"], period_basis="per year",
                period_start=s["period_start"], period_end=s["period_end"], period_year=s["period_year"],
                value=s[m], value_low=s[lo], value_high=s[hi], bound=s["bound"],
                assumptions=_assumptions_for(m, s["assumptions"]), notes=s["notes"]))
    for _, a in adoption.iterrows():
        if a["bound"] == "vague":
            continue
        rows.append(dict(
            record_ids=a["record_ids"], province=a["province"], indicator_id=a["rate_id"], measure="rate_pct",
            unit="percent", scope=a["scope"], period_basis="rate", period_start=a["period_start"],
            period_end=a["period_end"], period_year=a["period_year"], value=a["rate_pct"],
            value_low=a["rate_low_pct"], value_high=a["rate_high_pct"], bound=a["bound"],
            assumptions=a["assumptions"], notes=a["notes"]))
    recs = usable_records(indicators)
    plain = recs[(recs["bound"] != "vague") & (
        ((recs["unit"] == "count") & recs["denominator"].isna() & ~recs["indicator_id"].str.endswith("_pct"))
        | (recs["unit"] == "rank"))]
    for _, r in plain.iterrows():
        is_rank = r["unit"] == "rank"
        rows.append(dict(
            record_ids=r["record_id"], province=r["province"], indicator_id=r["indicator_id"],
            measure="rank" if is_rank else "count", unit=r["unit"], scope=r["scope"],
            period_basis="rank" if is_rank else _count_basis(r["period_start"], r["period_end"]),
            period_start=r["period_start"], period_end=r["period_end"], period_year=r["period_year"],
            value=r["value"], value_low=r["value_low"], value_high=r["value_high"], bound=r["bound"],
            assumptions=(f"rank as stated (of {r['denominator']:g}; lower is better)" if is_rank and pd.notna(
                r["denominator"]) else "rank as stated (lower is better)" if is_rank else "count as stated"),
            notes=""))
    df = conform(rows, FIGURES)
    if df.empty:
        return df
    same = [*_KEY, "period_start", "period_end", "value", "value_low", "value_high", "bound"]
    merged = (df.groupby(same, dropna=False, sort=False)
                .agg(record_ids=("record_ids", join_ids), period_year=("period_year", "first"),
                     assumptions=("assumptions", join_text), notes=("notes", join_text))
                .reset_index())
    out = conform(merged.to_dict("records"), FIGURES)
    return sort_table(out, [*_KEY, "period_start", "period_end", "record_ids"])


def _time_point(start: str | float, end: str | float, basis: str) -> pd.Timestamp:
    s = pd.to_datetime(start) if isinstance(start, str) else pd.NaT
    e = pd.to_datetime(end) if isinstance(end, str) else pd.NaT
    if basis == "end":
        return e if pd.notna(e) else s
    return period_mid(s, e)


def _change_bound(b_from: str, b_to: str, lo: float, hi: float) -> str:
    if b_from == "exact" and b_to == "exact":
        return "exact"
    if {b_from, b_to} <= {"exact", "approx"}:
        return "approx"
    base = "range" if pd.notna(lo) and pd.notna(hi) else "lower" if pd.notna(lo) else \
        "upper" if pd.notna(hi) else "unknown"
    return f"approx_{base}" if "approx" in b_from or "approx" in b_to else base


def _cagr(a: float, b: float, years: float) -> float:
    if pd.isna(a) or pd.isna(b) or a <= 0 or b <= 0 or not years > 0:
        return math.nan
    return ((b / a) ** (1 / years) - 1) * 100


def compute_timeseries(figures: pd.DataFrame, *, time_basis: str = TIME_BASIS) -> pd.DataFrame:
    """Change between consecutive periods of the same province and comparable figure.

    Pairs only figures with equal ``province``, ``indicator_id``, ``measure``, ``unit``,
    ``scope`` and ``period_basis``; figures without a period are left out (they cannot be
    ordered). ``years_between`` follows ``time_basis``. ``cagr_pct`` = (to/from)^(1/years)
    - 1, for positive money and counts only (a rate changes in percentage points, a rank
    in places). Overlapping periods get a change but no per-year rate. Two different
    figures for the same period (see checks) are each paired, with a note.
    """
    if time_basis not in ("midpoint", "end"):
        raise ParameterError(f"time_basis={time_basis!r}", where="time_basis", fix='use "midpoint" or "end"')
    rows: list[dict] = []
    if figures.empty:
        return conform(rows, TIMESERIES)
    f = figures.copy()
    f["t"] = [_time_point(s, e, time_basis) for s, e in zip(f["period_start"], f["period_end"])]
    f = f[f["t"].notna()]
    for _, g in f.groupby(_KEY, dropna=False, sort=True):
        periods = g.groupby(["period_start", "period_end"], dropna=False, sort=False)
        ordered = sorted(((grp["t"].iloc[0], key, grp) for key, grp in periods), key=lambda x: (x[0], str(x[1])))
        for (t1, _, g1), (t2, _, g2) in zip(ordered, ordered[1:]):
            conflict = len(g1) > 1 or len(g2) > 1
            for _, a in g1.iterrows():
                for _, b in g2.iterrows():
                    rows.append(_pair(a, b, t1, t2, time_basis, conflict))
    out = conform(rows, TIMESERIES)
    return sort_table(out, [*_KEY, "period_end_from", "period_end_to", "record_ids"])


def _pair(a: pd.Series, b: pd.Series, t1: pd.Timestamp, t2: pd.Timestamp, time_basis: str, conflict: bool) -> dict:
    notes, assumptions = [], []
    years = (t2 - t1).days / 365.25
    overlap = isinstance(a["period_end"], str) and isinstance(b["period_start"], str) \
        and b["period_start"] <= a["period_end"]
    change = b["value"] - a["value"]
    lo = b["value_low"] - a["value_high"]
    hi = b["value_high"] - a["value_low"]
    bound = _change_bound(a["bound"], b["bound"], lo, hi)
    if bound.endswith("unknown"):
        notes.append(f"from {BOUND_WORDS.get(a['bound'], a['bound'])} to {BOUND_WORDS.get(b['bound'], b['bound'])}: the difference "
                     "is neither a lower nor an upper bound of the true change, bound status unknown")
    assumptions.append("years between = distance between period " + (
        "middles (a figure for a period is placed at its middle)" if time_basis == "midpoint" else "ends"))
    if overlap:
        notes.append("the two periods overlap: not a change over time, no per-year change")
        per_year, cagr, cagr_lo, cagr_hi = (math.nan,) * 4
    else:
        per_year = change / years if years > 0 else math.nan
        if a["unit"] in ("percent", "rank"):
            cagr = cagr_lo = cagr_hi = math.nan
            assumptions.append("change in percentage points" if a["unit"] == "percent"
                               else "change in places (negative = moved up)")
        else:
            cagr = _cagr(a["value"], b["value"], years)
            cagr_lo = _cagr(a["value_high"], b["value_low"], years)
            cagr_hi = _cagr(a["value_low"], b["value_high"], years)
            assumptions.append("annualised change = (to / from)^(1 / years between) - 1")
    if pd.isna(change):
        notes.append("one of the two figures has no number: change left blank")
    if conflict:
        notes.append("several different figures for one of these periods: every combination is shown")
    return {
        "province": a["province"], "indicator_id": a["indicator_id"], "measure": a["measure"], "unit": a["unit"],
        "scope": a["scope"], "period_basis": a["period_basis"],
        "period_start_from": a["period_start"], "period_end_from": a["period_end"],
        "period_start_to": b["period_start"], "period_end_to": b["period_end"],
        "year_from": a["period_year"], "year_to": b["period_year"], "years_between": years,
        "value_from": a["value"], "value_from_low": a["value_low"], "value_from_high": a["value_high"],
        "bound_from": a["bound"], "value_to": b["value"], "value_to_low": b["value_low"],
        "value_to_high": b["value_high"], "bound_to": b["bound"],
        "change": change, "change_low": lo, "change_high": hi, "change_bound": bound,
        "change_per_year": per_year, "cagr_pct": cagr, "cagr_low_pct": cagr_lo, "cagr_high_pct": cagr_hi,
        "record_ids": join_ids([a["record_ids"], b["record_ids"]]),
        "assumptions": join_text([*assumptions, a["assumptions"], b["assumptions"]]),
        "notes": join_text([*notes, a["notes"], b["notes"]]),
    }
