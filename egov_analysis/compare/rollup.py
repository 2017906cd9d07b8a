"""Optional rollup of comparable figures to the 34 provincial units of 1 July 2025.

For each 2025 unit and each comparable figure (indicator, measure, unit, scope, period
basis) and year in which at least one former province has a number:

* money and counts are summed. With a part missing the total is unknown: ``value`` is
  NaN and ``value_low`` is the sum of the parts that have data, a lower bound because
  these quantities are never negative.
* rates and per-capita amounts are averaged weighted by population, only where every
  part has data; otherwise NaN.

Former provinces are matched by ``period_year`` (a 2016 figure of Cà Mau goes with a
2016 figure of Bạc Liêu even if their exact dates differ). ``is_complete``,
``parts_with_data`` and ``missing_parts`` say which former provinces the row rests on. Ranks and per-user / per-unit amounts are not rolled up. Figures of
provinces that are in no ``merged_from`` list (the national figure, an unknown name)
are left out; :func:`.checks.run_checks` reports unknown names.
"""

from __future__ import annotations

import pandas as pd

from .schemas import ROLLUP, conform, join_ids, join_text, sort_table

_WEIGHTED = {"rate_pct", "annual_real_per_capita_vnd"}
_SUMMED_SKIP = {"rank", "annual_real_per_user_vnd", "annual_real_per_unit_vnd"}
_GROUP = ["indicator_id", "measure", "unit", "scope", "period_basis", "period_year"]


def _method(measure: str) -> str | None:
    if measure in _WEIGHTED:
        return "population_weighted_mean"
    if measure in _SUMMED_SKIP:
        return None
    return "sum"


def _combined_bound(bounds: list[str], lo: float, hi: float) -> str:
    if all(b == "exact" for b in bounds):
        return "exact"
    if set(bounds) <= {"exact", "approx"}:
        return "approx"
    base = "range" if pd.notna(lo) and pd.notna(hi) else "lower" if pd.notna(lo) else \
        "upper" if pd.notna(hi) else "unknown"
    return f"approx_{base}" if any(b.startswith("approx") for b in bounds) else base


def rollup_2025(figures: pd.DataFrame, units_2025: pd.DataFrame, population: pd.Series | None) -> pd.DataFrame:
    """Figures of the 63 former provinces rolled up to the 34 units of 2025.

    ``units_2025``: ``name_2025``, ``code_2025``, ``merged_from`` (former province names:
    a list as :func:`egov_analysis.gazetteer.load_units_2025` gives, or ";"-joined text).
    ``population``: former-province population, used as weights. A former province
    with several figures in one group uses the one with the latest period (then the
    smallest record id), with a note.
    """
    new_of: dict[str, tuple[str, str, list[str]]] = {}
    for _, u in units_2025.iterrows():
        cell = u["merged_from"]
        names = cell.split(";") if isinstance(cell, str) else list(cell)
        parts = [str(p).strip() for p in names if str(p).strip()]
        for p in parts:
            new_of[p] = (str(u["name_2025"]), str(u["code_2025"]), parts)
    pop = {} if population is None else {str(k): float(v) for k, v in population.dropna().items()}
    rollable = figures["measure"].map(lambda m: _method(m) is not None).astype(bool)
    f = figures[figures["province"].isin(new_of) & rollable].copy()
    f["name_2025"] = f["province"].map(lambda p: new_of[p][0])
    rows = []
    for (name, *key), g in f.groupby(["name_2025", *_GROUP], dropna=False, sort=True):
        _, code, parts = new_of[g["province"].iloc[0]]
        rows.append(_roll(name, code, parts, dict(zip(_GROUP, key)), g, pop))
    out = conform(rows, ROLLUP)
    return sort_table(out, ["name_2025", *_GROUP, "record_ids"])


def _roll(name: str, code: str, parts: list[str], key: dict, g: pd.DataFrame, pop: dict) -> dict:
    method = _method(key["measure"])
    notes, chosen = [], {}
    for p, gp in g.groupby("province", sort=True):
        gp = gp.sort_values(["period_end", "record_ids"], ascending=[False, True], na_position="last")
        chosen[p] = gp.iloc[0]
        if gp["value"].nunique() > 1:
            notes.append(f"{p} has {len(gp)} figures; used {gp.iloc[0]['record_ids']}")
    have = [p for p in parts if p in chosen and pd.notna(chosen[p]["value"])]
    missing = [p for p in parts if p not in have]
    for p in missing:
        if p in chosen:
            notes.append(f"{p} has a figure but no number for this measure ({chosen[p]['notes'] or 'see its record'})")
    complete = not missing
    used = [chosen[p] for p in have]
    weights = [pop.get(p, float("nan")) for p in parts]
    total_pop = sum(weights) if all(pd.notna(w) for w in weights) else float("nan")
    value = low = high = float("nan")
    if method == "sum":
        assumptions = "sum of the former provinces' figures"
        lows = [r["value_low"] for r in used]
        if complete:
            value = sum(r["value"] for r in used)
            low = sum(lows) if all(pd.notna(x) for x in lows) else float("nan")
            highs = [r["value_high"] for r in used]
            high = sum(highs) if all(pd.notna(x) for x in highs) else float("nan")
        else:
            low = sum(lows) if used and all(pd.notna(x) for x in lows) else float("nan")
            notes.append(f"no figure for {', '.join(missing)}: total unknown; the sum of the parts with data "
                         "is a lower bound")
    else:
        assumptions = "population-weighted mean of the former provinces' figures (population of the reference year)"
        if not complete:
            notes.append(f"no figure for {', '.join(missing)}: a weighted rate needs every part, left blank")
        elif pd.isna(total_pop) or total_pop <= 0:
            notes.append("population missing for a former province: weighted rate left blank")
        else:
            w = {p: pop[p] for p in parts}
            value = sum(chosen[p]["value"] * w[p] for p in parts) / total_pop
            lows = [chosen[p]["value_low"] for p in parts]
            highs = [chosen[p]["value_high"] for p in parts]
            if all(pd.notna(x) for x in lows):
                low = sum(chosen[p]["value_low"] * w[p] for p in parts) / total_pop
            if all(pd.notna(x) for x in highs):
                high = sum(chosen[p]["value_high"] * w[p] for p in parts) / total_pop
    bounds = [r["bound"] for r in used] or ["unknown"]
    bound = _combined_bound(bounds, low, high) if complete else (
        ("approx_lower" if any(b.startswith("approx") for b in bounds) else "lower")
        if pd.notna(low) else "unknown")
    return {
        "name_2025": name, "code_2025": code, **key, "method": method, "value": value, "value_low": low,
        "value_high": high, "bound": bound, "is_complete": complete, "parts": ";".join(parts),
        "parts_with_data": ";".join(have), "missing_parts": ";".join(missing), "population": total_pop,
        "record_ids": join_ids(r["record_ids"] for r in chosen.values()),
        "assumptions": join_text([assumptions, *(r["assumptions"] for r in used)]),
        "notes": join_text(notes),
    }
