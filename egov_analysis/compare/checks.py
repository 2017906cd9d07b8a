"""Consistency checks on indicator records: one pass/fail row per check applied.

Checks (the ``check`` column):

* ``parts_sum_to_total``: parts of one dimension (levels of government, or tổ chức /
  cá nhân) add up to the stated total. Parts are the records whose ``part_of`` names the
  total; for records without that link, the figures with a scope and the one without
  (or with a combined scope such as "cấp tỉnh; cấp huyện") of the same article,
  indicator, province, period and unit. 594 = 148 tổ chức + 446 cá nhân. Money and
  counts only.
* ``part_within_total``: a single stated part is not larger than the total.
* ``total_rate_between_parts``: a total percentage lies between its parts' percentages
  (an average of parts cannot leave their range): 79.1% between 71.9% and 87.3%.
* ``online_levels_within_total``: level-3 + level-4 online services <= all online services.
* ``rate_in_range``: a percentage lies in 0..100.
* ``ratio_within_whole``: x of y has 0 <= x <= y (a rank 1 <= x <= y).
* ``same_figure_consistent``: a figure stated more than once (same indicator, province,
  period, scope and unit; across articles too) has the same value every time.
* ``province_known``: the province is in the reference list (only when one is given).

Bounds are compared as intervals: "trên 7 tỷ" and "7.2 tỷ" are consistent.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd

from .adoption import ONLINE_TOTAL
from .schemas import (CHECKS, NATIONAL_NAME, conform, fmt_num, interval, join_ids, scope_dimension, sort_table,
                      usable_records)

#: Relative tolerance when comparing numbers: stated figures are rounded ("5,1 tỷ").
REL_TOL = 0.005
_ADDITIVE = ("count", "VND", "VND/day")
_LEVEL34 = ("online_services_level3_count", "online_services_level4_count")


def _row(check: str, ok: bool, recs: pd.DataFrame | pd.Series, message: str) -> dict:
    first = recs.iloc[0] if isinstance(recs, pd.DataFrame) else recs
    ids = recs["record_id"] if isinstance(recs, pd.DataFrame) else [recs["record_id"]]
    return {"check": check, "status": "pass" if ok else "fail", "indicator_id": first["indicator_id"],
            "province": first["province"], "period_start": first["period_start"],
            "period_end": first["period_end"], "record_ids": join_ids(ids), "message": message}


def _iv(r: pd.Series) -> tuple[float, float]:
    return interval(r["value"], r["value_low"], r["value_high"], r["bound"])


def _le(a: float, b: float, tol: float) -> bool:
    """a <= b allowing a relative tolerance (both may be +-inf)."""
    if math.isinf(a) or math.isinf(b):
        return a <= b
    return a <= b + tol * max(abs(a), abs(b))


def _groups(df: pd.DataFrame, keys: list[str]) -> Iterable[pd.DataFrame]:
    for _, g in df.groupby(keys, dropna=False, sort=True):
        yield g


def run_checks(
    indicators: pd.DataFrame,
    *,
    provinces: Iterable[str] | None = None,
    national_name: str = NATIONAL_NAME,
    rel_tol: float = REL_TOL,
) -> pd.DataFrame:
    """All consistency checks on the non-rejected records (see module docstring).

    ``provinces``: canonical province names (e.g. the population index); when given,
    every province of the records is checked against it.
    """
    recs = usable_records(indicators)
    recs = recs[recs["bound"] != "vague"]
    rows: list[dict] = []
    rows += _parts_vs_total(recs, rel_tol)
    rows += _online_levels(recs, rel_tol)
    rows += _ranges(recs)
    rows += _duplicates(recs, rel_tol)
    if provinces is not None:
        rows += _province_known(recs, set(provinces), national_name)
    out = conform(rows, CHECKS)
    return sort_table(out, ["check", "indicator_id", "province", "period_start", "record_ids"])


def _parts_vs_total(recs: pd.DataFrame, tol: float) -> list[dict]:
    """Parts linked to their total by ``part_of`` (the extraction's breakdown link) first;
    then, for figures without a link, the total is the figure with no scope (or a combined
    scope) among the same article, indicator, province, period and unit."""
    rows = []
    plain = recs[recs["denominator"].isna() & recs["value"].notna()]
    linked = plain["part_of"].notna() if "part_of" in plain else pd.Series(False, index=plain.index)
    done: set[str] = set()
    by_id = plain.set_index("record_id", drop=False)
    for total_id, parts in plain[linked].groupby("part_of", sort=True):
        if total_id not in by_id.index:
            continue  # the total was rejected or has no number
        total = by_id.loc[total_id]
        rows.extend(_check_dimensions(total, by_id.loc[[total_id]], parts[parts["unit"] == total["unit"]], tol))
        done.add(total_id)
    unlinked = plain[~linked]
    keys = ["article_id", "indicator_id", "province", "period_start", "period_end", "unit"]
    # only groups holding both a scoped figure and another one can hold parts and a total
    grouped = unlinked.groupby(keys, dropna=False, sort=False)["scope_key"]
    scoped = grouped.transform(lambda s: (s != "").any() and len(s) > 1)
    for g in _groups(unlinked[scoped.astype(bool)], keys):
        totals = g[g["scope_key"] == ""]
        if totals.empty:
            totals = g[g["scope_key"].str.contains(";")]
        if totals.empty or totals["value"].nunique() > 1 or set(totals["record_id"]) & done:
            continue  # no total, several different totals (same_figure_consistent reports them), or checked
        total = totals.iloc[0]
        parts = g[(g["scope_key"] != "") & ~g["scope_key"].str.contains(";")
                  & (g["scope_key"] != total["scope_key"])]
        rows.extend(_check_dimensions(total, totals, parts, tol))
    return rows


def _check_dimensions(total: pd.Series, totals: pd.DataFrame, parts: pd.DataFrame, tol: float) -> list[dict]:
    """One check per dimension of the parts (levels of government, tổ chức / cá nhân...)."""
    if parts.empty:
        return []
    parts = parts.drop_duplicates(["scope_key", "value"])
    dims = parts["scope_key"].map(lambda s: scope_dimension(s)[0])
    rows = []
    for _, p in parts.groupby(dims, sort=True):
        rows.extend(_check_parts(total, totals, p, tol))
    return rows


def _check_parts(total: pd.Series, totals: pd.DataFrame, parts: pd.DataFrame, tol: float) -> list[dict]:
    involved = pd.concat([totals, parts])
    t_lo, t_hi = _iv(total)
    listing = " + ".join(f"{fmt_num(r['value'])} ({r['scope']})" for _, r in parts.iterrows())
    where = f"total {fmt_num(total['value'])}" + (f" ({total['scope']})" if total["scope_key"] else "")
    if total["unit"] == "percent":
        if len(parts) < 2:
            return []
        lo = min(_iv(r)[0] for _, r in parts.iterrows())
        hi = max(_iv(r)[1] for _, r in parts.iterrows())
        ok = _le(lo, t_hi, tol) and _le(t_lo, hi, tol)
        msg = (f"{where} lies between its parts {fmt_num(lo)}..{fmt_num(hi)}" if ok else
               f"{where} is outside the range of its parts {fmt_num(lo)}..{fmt_num(hi)}: an average of "
               "parts cannot be; check the figures or their scopes")
        return [_row("total_rate_between_parts", ok, involved, msg)]
    if total["unit"] not in _ADDITIVE:
        return []
    ivs = [_iv(r) for _, r in parts.iterrows()]
    p_lo, p_hi = sum(i[0] for i in ivs), sum(i[1] for i in ivs)
    if len(parts) == 1:
        ok = _le(p_lo, t_hi, tol)
        msg = (f"part {listing} is within the {where}" if ok else
               f"part {listing} exceeds the {where}: check the figures or their scopes")
        return [_row("part_within_total", ok, involved, msg)]
    ok = _le(p_lo, t_hi, tol) and _le(t_lo, p_hi, tol)
    psum = sum(parts["value"])
    msg = (f"parts {listing} = {fmt_num(psum)}; {where}: consistent" if ok else
           f"parts {listing} = {fmt_num(psum)} but {where} (difference {fmt_num(psum - total['value'])}): "
           "fix the misread figure, or a scope if these are not parts of that total")
    return [_row("parts_sum_to_total", ok, involved, msg)]


def _online_levels(recs: pd.DataFrame, tol: float) -> list[dict]:
    rows = []
    plain = recs[recs["denominator"].isna() & recs["value"].notna() & (recs["unit"] == "count")]
    plain = plain[plain["indicator_id"].isin([ONLINE_TOTAL, *_LEVEL34])]
    for g in _groups(plain, ["article_id", "province", "period_start", "period_end", "scope_key"]):
        totals = g[g["indicator_id"] == ONLINE_TOTAL]
        levels = g[g["indicator_id"].isin(_LEVEL34)].drop_duplicates(["indicator_id", "value"])
        if totals.empty or levels.empty or totals["value"].nunique() > 1:
            continue
        total = totals.iloc[0]
        lo = sum(_iv(r)[0] for _, r in levels.iterrows())
        ok = _le(lo, _iv(total)[1], tol)
        listing = " + ".join(f"{fmt_num(r['value'])} ({r['indicator_id'].split('_')[2]})" for _, r in levels.iterrows())
        msg = (f"{listing} = {fmt_num(levels['value'].sum())} <= {fmt_num(total['value'])} online services"
               if ok else f"{listing} = {fmt_num(levels['value'].sum())} exceeds the {fmt_num(total['value'])} "
                          "online services stated: one of the figures is misread or counts another thing")
        row = _row("online_levels_within_total", ok, pd.concat([totals, levels]), msg)
        row["indicator_id"] = ONLINE_TOTAL
        rows.append(row)
    return rows


def _ranges(recs: pd.DataFrame) -> list[dict]:
    rows = []
    for _, r in recs[(recs["unit"] == "percent")].iterrows():
        vals = [x for x in (r["value"], r["value_low"], r["value_high"]) if pd.notna(x)]
        ok = all(0 <= x <= 100 for x in vals)
        msg = (f"{fmt_num(r['value'])}% is within 0..100" if ok else
               f"{'/'.join(fmt_num(x) for x in vals)}% is outside 0..100: a misread number or not a percentage")
        rows.append(_row("rate_in_range", ok, r, msg))
    for _, r in recs[recs["denominator"].notna()].iterrows():
        x, y = r["value"], r["denominator"]
        least = 1 if r["unit"] == "rank" else 0
        ok = pd.notna(x) and least <= x <= y
        msg = (f"{fmt_num(x)} of {fmt_num(y)}: within the whole" if ok else
               f"{fmt_num(x)} of {fmt_num(y)}: the part must be between {least} and the whole")
        rows.append(_row("ratio_within_whole", ok, r, msg))
    return rows


def _duplicates(recs: pd.DataFrame, tol: float) -> list[dict]:
    rows = []
    have = recs[recs["value"].notna()]
    for g in _groups(have, ["indicator_id", "province", "period_start", "period_end", "scope_key", "unit"]):
        if len(g) < 2:
            continue
        values = sorted(set(g["value"]))
        denoms = set(g["denominator"].fillna(-1))
        ok = _le(values[-1], values[0], tol) and len(denoms) == 1
        stated = ", ".join(f"{fmt_num(r['value'])}" + (f"/{fmt_num(r['denominator'])}" if pd.notna(r["denominator"])
                                                          else "") + f" in {r['article_id']} ({r['record_id']})"
                           for _, r in g.sort_values("record_id").iterrows())
        msg = (f"stated {len(g)} times with the same value: {stated}" if ok else
               f"stated {len(g)} times with different values: {stated}; keep the right one (curation) "
               "or give them different periods or scopes")
        rows.append(_row("same_figure_consistent", ok, g, msg))
    return rows


def _province_known(recs: pd.DataFrame, known: set[str], national_name: str) -> list[dict]:
    rows = []
    for name, g in recs.groupby(recs["province"].fillna(""), sort=True):
        ok = name in known or name == national_name
        msg = (f"{name} is the national level" if name == national_name else
               f"{name} is a known province" if ok else
               f"province {name!r} is not in the reference list" if name else "record has no province")
        if not ok:
            msg += ": fix the name in the gazetteer or curate the record"
        row = _row("province_known", ok, g, msg)
        row.update(indicator_id=None, period_start=None, period_end=None)
        rows.append(row)
    return rows
