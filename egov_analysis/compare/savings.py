"""Cost savings: annual, constant-price, USD, per-capita, per-user and per-unit figures.

Two kinds of savings are never mixed: ``budget_savings_vnd`` (money the state budget did
not spend: paper, post, travel) and ``compliance_cost_savings_vnd`` (money citizens and
firms did not spend on procedures). Each row keeps its ``savings_kind``; nothing in this
module adds rows together.

Every derived number is the stated number times positive factors, so the stated bounds
carry through unchanged in meaning: "trên 7 tỷ" (a lower bound) stays a lower bound with
a blank upper end at every step.
"""

from __future__ import annotations

import math

import pandas as pd

from ..errors import ParameterError
from .schemas import NATIONAL_NAME, SAVINGS, conform, join_ids, join_text, sort_table, usable_records

SAVINGS_KINDS = {"budget_savings_vnd": "budget", "compliance_cost_savings_vnd": "compliance"}

#: Working days in a Vietnamese year: 52 five-day weeks (260 days) minus about 11 public
#: holidays. A per-day saving ("mỗi ngày tiết kiệm ...") comes from offices that work
#: on working days, so calendar days (365) would overstate it by almost half.
DAYS_PER_YEAR = 250
#: Constant prices are expressed in prices of this year: the latest year of
#: ``cpi_vietnam.csv`` and the year of the population figures, so a real per-capita
#: amount uses prices and people of one and the same year.
BASE_YEAR = 2024
#: Year of the population table (GSO average population), used for every period; the
#: ``population_year`` entry of ``population.attrs`` wins when present.
POPULATION_YEAR = 2024
#: A stated period shorter (or longer) than 12 months is scaled linearly to 12 months.
ANNUALISE_PARTIAL = True

# counts a saving can be divided by: indicator id -> output prefix
_DIVISORS = {"doc_system_users_count": "users", "doc_system_units_count": "units"}


def _lookup(table: pd.DataFrame | None, column: str) -> dict[int, float]:
    if table is None or table.empty:
        return {}
    t = table.dropna(subset=["year", column])
    return {int(y): float(v) for y, v in zip(t["year"], t[column])}


def _scale(triple: tuple[float, float, float], factor: float) -> tuple[float, float, float]:
    v, lo, hi = (x * factor if pd.notna(x) and pd.notna(factor) else math.nan for x in triple)
    return v, lo, hi


def _divide(triple: tuple[float, float, float], by: tuple[float, float, float]) -> tuple[float, float, float]:
    """Interval division of positive quantities: low / high-of-divisor, high / low-of-divisor."""
    v, lo, hi = triple
    bv, blo, bhi = by

    def d(a: float, b: float) -> float:
        return a / b if pd.notna(a) and pd.notna(b) and b > 0 else math.nan

    return d(v, bv), d(lo, bhi), d(hi, blo)


def _divisor_table(recs: pd.DataFrame) -> dict[tuple, list[pd.Series]]:
    """(indicator_id, article_id, province, period_year) -> candidate divisor records."""
    out: dict[tuple, list[pd.Series]] = {}
    cand = recs[recs["indicator_id"].isin(_DIVISORS) & (recs["unit"] == "count")
                & recs["denominator"].isna() & recs["value"].notna() & recs["period_year"].notna()]
    for _, r in cand.iterrows():
        out.setdefault((r["indicator_id"], r["article_id"], r["province"], int(r["period_year"])), []).append(r)
    return out


def _pick_divisor(cands: list[pd.Series]) -> tuple[pd.Series | None, str]:
    """The one divisor record to use, preferring the whole-province (scope null) figure."""
    if not cands:
        return None, ""
    whole = [c for c in cands if c["scope_key"] == ""]
    pool = whole or cands
    values = {float(c["value"]) for c in pool}
    if len(values) == 1:
        return pool[0], ""
    return None, "several different counts in the same article and year (" + ", ".join(
        f"{c['record_id']}={c['value']:g}" for c in pool) + "): none used"


def compute_savings(
    indicators: pd.DataFrame,
    cpi: pd.DataFrame | None,
    vnd_usd: pd.DataFrame | None,
    population: pd.Series | None,
    *,
    base_year: int = BASE_YEAR,
    days_per_year: float = DAYS_PER_YEAR,
    population_year: int | None = None,
    annualise_partial: bool = ANNUALISE_PARTIAL,
    national_name: str = NATIONAL_NAME,
) -> pd.DataFrame:
    """One row per savings record (budget or compliance), with every derived figure.

    ``cpi``: columns ``year``, ``cpi_index_2010``; ``vnd_usd``: ``year``, ``vnd_per_usd``
    (blank years allowed); ``population``: average population by canonical province
    name (the national name gets the sum of all provinces).

    Steps, each stated in ``assumptions`` and, when impossible, explained in ``notes``
    (the row is kept with NaN, never dropped):

    1. annual nominal VND: VND/day x ``days_per_year``; a VND amount for N months x 12/N
       (``is_annualised``); no period -> NaN.
    2. constant ``base_year`` prices: x CPI(base_year) / CPI(year of the period's middle).
    3. current USD: annual nominal / the annual-average VND per USD of that year.
    4. per capita: real annual / population of ``population_year`` (default: the
       series' ``attrs["population_year"]``, else 2024), the same population for every
       period; a province not in ``population`` -> NaN with a note (not an error: the
       national figure and names the gazetteer missed must not stop the step;
       ``checks.province_known`` lists unknown names).
    5. per user / per unit: real annual / ``doc_system_users_count`` /
       ``doc_system_units_count`` stated in the same article for the same province and
       year (whole-province figure preferred).

    Example: "ước đạt trên 15 tỷ đồng" for 2015-01-01..2015-09-30 -> annual nominal
    20 tỷ, low 20 tỷ, high NaN, bound ``approx_lower``, ``is_annualised`` True.

    Raises :class:`ParameterError` when ``base_year`` has no CPI or ``days_per_year``
    is not in 1..366.
    """
    if not 1 <= days_per_year <= 366:
        raise ParameterError(f"days_per_year={days_per_year!r} is not a number of days in a year",
                             where="days_per_year", fix="use 250 (working days) or 365 (calendar days)")
    cpi_by_year = _lookup(cpi, "cpi_index_2010")
    if cpi is not None and base_year not in cpi_by_year:
        raise ParameterError(f"base_year={base_year} has no CPI index (years with CPI: "
                             f"{min(cpi_by_year, default='none')}..{max(cpi_by_year, default='none')})",
                             where="base_year", fix="choose a base year inside the CPI table")
    fx_by_year = _lookup(vnd_usd, "vnd_per_usd")
    if population_year is None:
        population_year = (population.attrs.get("population_year") if population is not None else None) \
            or POPULATION_YEAR
    pop = {} if population is None else {str(k): float(v) for k, v in population.dropna().items()}
    if pop and national_name not in pop:
        pop[national_name] = float(sum(pop.values()))

    recs = usable_records(indicators)
    divisors = _divisor_table(recs)
    rows = []
    for _, r in recs[recs["indicator_id"].isin(SAVINGS_KINDS)].iterrows():
        rows.append(_one_row(r, cpi_by_year, fx_by_year, pop, divisors, base_year=base_year,
                             days_per_year=days_per_year, population_year=population_year,
                             annualise_partial=annualise_partial, has_cpi_table=cpi is not None))
    out = conform(rows, SAVINGS)
    return sort_table(out, ["indicator_id", "province", "period_start", "period_end", "scope", "record_ids"])


def _one_row(r, cpi_by_year, fx_by_year, pop, divisors, *, base_year, days_per_year,
             population_year, annualise_partial, has_cpi_table) -> dict:
    assumptions: list[str] = []
    notes: list[str] = []
    ids = [r["record_id"]]
    stated = (r["value"], r["value_low"], r["value_high"])
    if r["qualifier"] == "vague" or all(pd.isna(x) for x in stated):
        notes.append(f"vague amount, no number stated ({r['quote']!r}): kept for the record, nothing computed")

    # 1. annualise
    factor, is_annualised = math.nan, False
    months = r["period_months"]
    if r["unit"] == "VND/day":
        factor, is_annualised = float(days_per_year), True
        assumptions.append(f"a per-day amount x {days_per_year:g} days a year (working days: 52 five-day "
                           "weeks minus about 11 public holidays)")
    elif r["unit"] == "VND":
        if pd.isna(months):
            notes.append("no period stated, so the span the amount covers is unknown: no annual figure")
        elif r["start"] == r["end"]:  # dated at a day ("đến nay đã tiết kiệm ..."): a total to date, not one day's
            notes.append(f"amount as of {r['period_end']} over a span the article does not state: no annual figure")
        elif abs(months - 12) < 0.05:
            factor = 1.0
            assumptions.append("amount for a full 12-month period")
        elif annualise_partial:
            factor, is_annualised = 12 / months, True
            assumptions.append(f"amount for {months:g} months scaled to 12 months (savings assumed to accrue "
                               "evenly through the year, so a bound stays a bound)")
        else:
            notes.append(f"amount for {months:g} months and annualise_partial=False: no annual figure")
    else:
        notes.append(f"unit {r['unit']!r} is not an amount of money: no annual figure")
    annual = _scale(stated, factor)

    # 2. constant prices
    year = r["period_year"]
    cpi_base = cpi_by_year.get(base_year, math.nan)
    cpi_year = cpi_by_year.get(int(year), math.nan) if pd.notna(year) else math.nan
    has_cpi = pd.notna(cpi_year) and pd.notna(cpi_base)
    if pd.isna(year):
        notes.append("no period year: no constant-price or USD value")
    elif not has_cpi_table:
        notes.append("no CPI table given: no constant-price value")
    elif not has_cpi:
        notes.append(f"no CPI for {int(year)}: constant-price values left blank")
    else:
        assumptions.append(f"constant {base_year} prices: x CPI {base_year} / CPI {int(year)} "
                           f"({cpi_base:.4f} / {cpi_year:.4f}, annual-average CPI, 2010 = 100)")
    real = _scale(annual, cpi_base / cpi_year if has_cpi else math.nan)

    # 3. USD
    rate = fx_by_year.get(int(year), math.nan) if pd.notna(year) else math.nan
    has_fx = pd.notna(rate) and rate > 0
    if pd.notna(year) and not has_fx:
        notes.append(f"no VND/USD rate for {int(year)}: USD values left blank")
    elif has_fx:
        assumptions.append(f"current US dollars at the {int(year)} annual-average official rate ({rate:,.2f} VND/USD)")
    usd = _scale(annual, 1 / rate if has_fx else math.nan)

    # 4. per capita
    province = r["province"]
    people = pop.get(province, math.nan) if isinstance(province, str) else math.nan
    has_pop = pd.notna(people) and people > 0
    if has_pop:
        assumptions.append(f"per person: divided by the {population_year} average population of {province} "
                           f"({people:,.0f}), the same population for every period")
    else:
        notes.append(f"province {province!r} is not in the population table: per-capita values left blank")
    per_capita = _divide(real, (people, people, people) if has_pop else (math.nan,) * 3)

    # 5. per user / per unit
    extra: dict[str, float] = {}
    for ind, name in _DIVISORS.items():
        key = (ind, r["article_id"], province, int(year)) if pd.notna(year) else None
        rec, why = _pick_divisor(divisors.get(key, []) if key else [])
        if why:
            notes.append(f"{name}: {why}")
        if rec is None:
            extra[f"{name}_count"] = math.nan
            extra.update(dict(zip([f"annual_real_per_{name[:-1]}_vnd", f"annual_real_per_{name[:-1]}_low_vnd",
                                   f"annual_real_per_{name[:-1]}_high_vnd"], (math.nan,) * 3)))
            continue
        ids.append(rec["record_id"])
        assumptions.append(f"per {name[:-1]}: divided by {rec['value']:g} {name} of the document system "
                           f"stated in the same article ({rec['record_id']})")
        res = _divide(real, (rec["value"], rec["value_low"], rec["value_high"]))
        extra[f"{name}_count"] = rec["value"]
        extra.update(dict(zip([f"annual_real_per_{name[:-1]}_vnd", f"annual_real_per_{name[:-1]}_low_vnd",
                               f"annual_real_per_{name[:-1]}_high_vnd"], res)))

    return {
        "record_id": r["record_id"], "record_ids": join_ids(ids), "article_id": r["article_id"], "province": province,
        "indicator_id": r["indicator_id"], "savings_kind": SAVINGS_KINDS[r["indicator_id"]],
        "scope": r["scope"], "period_start": r["period_start"], "period_end": r["period_end"],
        "period_year": year, "period_months": months, "unit_stated": r["unit"], "qualifier": r["qualifier"],
        "bound": r["bound"], "value_stated": stated[0], "value_stated_low": stated[1], "value_stated_high": stated[2],
        "is_annualised": is_annualised, "annualisation_factor": factor,
        "annual_nominal_vnd": annual[0], "annual_nominal_low_vnd": annual[1], "annual_nominal_high_vnd": annual[2],
        "base_year": base_year, "has_cpi": bool(has_cpi), "cpi_index_period": cpi_year, "cpi_index_base": cpi_base,
        "annual_real_vnd": real[0], "annual_real_low_vnd": real[1], "annual_real_high_vnd": real[2],
        "has_fx_rate": bool(has_fx), "vnd_per_usd": rate,
        "annual_nominal_usd": usd[0], "annual_nominal_low_usd": usd[1], "annual_nominal_high_usd": usd[2],
        "has_population": bool(has_pop), "population": people if has_pop else math.nan,
        "annual_real_per_capita_vnd": per_capita[0], "annual_real_per_capita_low_vnd": per_capita[1],
        "annual_real_per_capita_high_vnd": per_capita[2],
        **extra,
        "assumptions": join_text(assumptions), "notes": join_text(notes),
    }
