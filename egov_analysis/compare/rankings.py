"""Rank provinces per comparable figure, only among figures of comparable periods.

A ranking group is one ``indicator_id`` + ``measure`` + ``unit`` + ``scope`` +
``period_basis`` (see :func:`.timeseries.comparable_figures`). Within a group only
figures whose year is within ``year_tolerance`` of the ranking year are ranked; every
other figure is still listed, with its year and ``is_comparable=False`` and a note, so
nothing is silently mixed or dropped.

Because many figures are bounds ("trên 7 tỷ"), each rank comes with ``rank_best`` and
``rank_worst``: the best and worst place the province could hold given the bounds of
all ranked figures (equal to ``rank`` when every figure is exact).
"""

from __future__ import annotations

import pandas as pd

from ..errors import ParameterError
from .schemas import NATIONAL_NAME, RANKINGS, conform, interval, sort_table

#: Figures up to this many years away from the ranking year are ranked together.
YEAR_TOLERANCE = 0
_GROUP = ["indicator_id", "measure", "unit", "scope", "period_basis"]


def _as_bool(x: object) -> bool | None:
    if isinstance(x, bool):
        return x
    if pd.isna(x):
        return None
    s = str(x).strip().casefold()
    if s in ("true", "1", "yes", "y", "t"):
        return True
    if s in ("false", "0", "no", "n", "f"):
        return False
    return None


def direction(indicator_id: str, unit: str, catalogue: pd.DataFrame | None) -> tuple[bool, str]:
    """(higher_is_better, note) for one figure.

    Looks up ``indicator_id`` in the catalogue, then the count it was derived from
    (``x_share_pct`` -> ``x_count``); otherwise a rank is lower-is-better and anything
    else higher-is-better, and the note says the direction was assumed.
    """
    if catalogue is not None and not catalogue.empty and "higher_is_better" in catalogue:
        table = {str(k): _as_bool(v) for k, v in zip(catalogue["indicator_id"], catalogue["higher_is_better"])}
        for key in (indicator_id, indicator_id.removesuffix("_share_pct") + "_count"):
            if table.get(key) is not None:
                return bool(table[key]), ""
    if unit == "rank":
        return False, ""
    return True, f"direction of {indicator_id} not in the catalogue: higher assumed better"


def _ranking_year(g: pd.DataFrame, year: int | None) -> int | None:
    if year is not None:
        return int(year)
    have = g[g["value"].notna() & g["period_year"].notna()]
    if have.empty:
        return None
    per_year = have.groupby("period_year")["province"].nunique()
    best = per_year.max()
    return int(max(y for y, n in per_year.items() if n == best))


def rank_figures(
    figures: pd.DataFrame,
    catalogue: pd.DataFrame | None = None,
    *,
    year: int | None = None,
    year_tolerance: int = YEAR_TOLERANCE,
    national_name: str = NATIONAL_NAME,
) -> pd.DataFrame:
    """One row per figure per ranking group, ranked where comparable.

    ``year``: the ranking year for every group; ``None`` (default) picks, per group, the
    year with the most provinces (ties: the latest). ``catalogue``: ``indicator_id``,
    ``higher_is_better`` (see :func:`direction`). Ties share the best rank (1, 2, 2, 4).
    A province with several comparable figures is ranked once, with the figure closest
    to the ranking year (then the latest period); the national figure is never ranked.
    """
    if year_tolerance < 0:
        raise ParameterError(f"year_tolerance={year_tolerance!r} is negative", where="year_tolerance",
                             fix="use 0 (same year) or a positive number of years")
    rows: list[dict] = []
    for _, g in figures.groupby(_GROUP, dropna=False, sort=True):
        rows.extend(_rank_group(g, catalogue, year, year_tolerance, national_name))
    out = conform(rows, RANKINGS)
    return sort_table(out, [*_GROUP, "ranking_year", "rank", "province", "period_year", "record_ids"])


def _rank_group(g, catalogue, year, tol, national_name) -> list[dict]:
    first = g.iloc[0]
    hib, dir_note = direction(first["indicator_id"], first["unit"], catalogue)
    ry = _ranking_year(g[g["province"] != national_name], year)
    g = g.copy()
    g["gap"] = [int(y) - ry if pd.notna(y) and ry is not None else pd.NA for y in g["period_year"]]
    reason: dict[int, str] = {}
    for i, r in g.iterrows():
        if not isinstance(r["province"], str) or r["province"] == national_name:
            reason[i] = "national figure or no province: not ranked among provinces"
        elif pd.isna(r["value"]):
            reason[i] = "no number: not ranked"
        elif pd.isna(r["period_year"]):
            reason[i] = "no period: not ranked"
        elif abs(r["gap"]) > tol:
            reason[i] = (f"figure for {int(r['period_year'])}, ranking year {ry} "
                         f"(tolerance {tol} year(s)): not comparable, not ranked")
    cand = g[~g.index.isin(reason)].copy()
    if not cand.empty:
        cand["absgap"] = cand["gap"].abs()
        cand = cand.sort_values(["province", "absgap", "period_end", "record_ids"],
                                ascending=[True, True, False, True], na_position="last", kind="mergesort")
        for i, r in cand[cand.duplicated("province", keep="first")].iterrows():
            kept = cand[cand["province"] == r["province"]].iloc[0]
            reason[i] = f"another figure of {r['province']} is ranked ({kept['record_ids']})"
        cand = cand[~cand.duplicated("province", keep="first")]
    n = len(cand)
    iv = {i: interval(r["value"], r["value_low"], r["value_high"], r["bound"]) for i, r in cand.iterrows()}
    rows = []
    for i, r in g.iterrows():
        rank = best = worst = pd.NA
        if i in iv:
            others = [j for j in iv if j != i]
            v = r["value"]
            lo, hi = iv[i]
            if hib:
                rank = 1 + sum(cand.at[j, "value"] > v for j in others)
                best = 1 + sum(iv[j][0] > hi for j in others)
                worst = n - sum(iv[j][1] < lo for j in others)
            else:
                rank = 1 + sum(cand.at[j, "value"] < v for j in others)
                best = 1 + sum(iv[j][1] < lo for j in others)
                worst = n - sum(iv[j][0] > hi for j in others)
        notes = [reason.get(i, ""), dir_note]
        if i in iv and best != worst:
            notes.append(f"bounds allow any place from {best} to {worst}")
        rows.append({
            "indicator_id": r["indicator_id"], "measure": r["measure"], "unit": r["unit"], "scope": r["scope"],
            "period_basis": r["period_basis"], "ranking_year": ry, "province": r["province"],
            "period_year": r["period_year"], "year_gap": r["gap"], "is_comparable": i in iv,
            "higher_is_better": hib, "value": r["value"], "value_low": r["value_low"],
            "value_high": r["value_high"], "bound": r["bound"], "rank": rank, "rank_best": best,
            "rank_worst": worst, "n_ranked": n, "record_ids": r["record_ids"],
            "assumptions": "; ".join(x for x in [
                ("" if ry is None else f"ranked among figures of {ry}" if not tol else f"ranked among figures within {tol} year(s) of {ry}"),
                "higher is better" if hib else "lower is better", r["assumptions"]] if x),
            "notes": "; ".join(x for x in notes if x),
        })
    return rows
