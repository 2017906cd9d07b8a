"""The comparison step: load indicators + reference data, compute, validate, write.

:func:`compare_all` is the pure core (DataFrames in, DataFrames out);
:func:`run_compare` adds the I/O: it reads ``data/processed/indicators.parquet`` (or
``.csv``) and the reference tables, and writes one CSV per table to ``data/processed``,
deterministically (sorted rows, ``%.15g`` floats, ``\\n`` line ends, UTF-8) and
atomically (every file is written to a temporary file first and only then moved into
place, so a failure leaves the previous outputs untouched).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import config
from ..io import csv_bytes
from ..io import write_tables as io_write_tables
from ..errors import InputError
from ..schemas import INDICATORS, validate
from .adoption import compute_adoption
from .checks import REL_TOL, run_checks
from .rankings import YEAR_TOLERANCE, rank_figures
from .rollup import rollup_2025
from .savings import ANNUALISE_PARTIAL, BASE_YEAR, DAYS_PER_YEAR, compute_savings
from .schemas import NATIONAL_NAME, OUTPUT_SCHEMAS
from .timeseries import SAVINGS_MEASURES, TIME_BASIS, comparable_figures, compute_timeseries

#: Tables written by :func:`run_compare`, in this order (``figures`` is returned, not written).
WRITTEN = ["savings", "adoption", "timeseries", "rankings", "checks", "rollup_2025"]
FLOAT_FORMAT = "%.15g"  # 15 significant digits: whole đồng up to 10^15, no float noise


def compare_all(
    indicators: pd.DataFrame,
    cpi: pd.DataFrame | None,
    vnd_usd: pd.DataFrame | None,
    population: pd.Series | None,
    *,
    catalogue: pd.DataFrame | None = None,
    units_2025: pd.DataFrame | None = None,
    base_year: int = BASE_YEAR,
    days_per_year: float = DAYS_PER_YEAR,
    population_year: int | None = None,
    annualise_partial: bool = ANNUALISE_PARTIAL,
    savings_measures: tuple[str, ...] = SAVINGS_MEASURES,
    time_basis: str = TIME_BASIS,
    rank_year: int | None = None,
    year_tolerance: int = YEAR_TOLERANCE,
    rel_tol: float = REL_TOL,
    national_name: str = NATIONAL_NAME,
) -> dict[str, pd.DataFrame]:
    """Every comparison table from one indicators table (pure; nothing is read or written).

    Returns ``savings``, ``adoption``, ``figures``, ``timeseries``, ``rankings``,
    ``checks`` and, when ``units_2025`` is given, ``rollup_2025``; each validated
    against its schema in :mod:`.schemas`.
    """
    savings = compute_savings(indicators, cpi, vnd_usd, population, base_year=base_year,
                              days_per_year=days_per_year, population_year=population_year,
                              annualise_partial=annualise_partial, national_name=national_name)
    adoption = compute_adoption(indicators)
    figures = comparable_figures(savings, adoption, indicators, savings_measures=savings_measures)
    out = {
        "savings": savings,
        "adoption": adoption,
        "figures": figures,
        "timeseries": compute_timeseries(figures, time_basis=time_basis),
        "rankings": rank_figures(figures, catalogue, year=rank_year, year_tolerance=year_tolerance,
                                 national_name=national_name),
        "checks": run_checks(indicators, provinces=None if population is None else list(population.index),
                             national_name=national_name, rel_tol=rel_tol),
    }
    if units_2025 is not None:
        out["rollup_2025"] = rollup_2025(figures, units_2025, population)
    for name, df in out.items():
        validate(df, OUTPUT_SCHEMAS[name], where=f"compare.{name}")
    return out


def load_indicators(p: config.Paths) -> pd.DataFrame:
    """``indicators.parquet`` (preferred) or ``indicators.csv``, validated."""
    if p.indicators_parquet.exists():
        path, df = p.indicators_parquet, pd.read_parquet(p.indicators_parquet)
    elif p.indicators_csv.exists():
        path = p.indicators_csv
        df = pd.read_csv(path, dtype={c: "str" for c, col in INDICATORS.columns.items() if str(col.dtype) == "str"},
                         encoding="utf-8")
    else:
        raise InputError("no indicators table", where=p.indicators_parquet,
                         fix="run the extraction step first (it writes data/processed/indicators.parquet)")
    for c, col in INDICATORS.columns.items():
        if c in df and str(col.dtype) == "str":
            df[c] = df[c].where(df[c].notna(), None).astype("str")
        elif c in df and str(col.dtype) == "float64":
            df[c] = pd.to_numeric(df[c], errors="coerce").astype(float)
    return validate(df, INDICATORS, where=path)


def write_tables(tables: dict[str, pd.DataFrame], p: config.Paths) -> dict[str, Path]:
    """Write each table to ``p.comparison_csv(name)``, all or nothing (see :func:`io.write_tables`)."""
    outputs = {p.comparison_csv(name): csv_bytes(df, float_format=FLOAT_FORMAT) for name, df in tables.items()}
    io_write_tables(outputs)
    return {name: p.comparison_csv(name) for name in tables}


def run_compare(
    p: config.Paths | str | Path | None = None,
    *,
    base_year: int = BASE_YEAR,
    days_per_year: float = DAYS_PER_YEAR,
    population_year: int | None = None,
    annualise_partial: bool = ANNUALISE_PARTIAL,
    savings_measures: tuple[str, ...] = SAVINGS_MEASURES,
    time_basis: str = TIME_BASIS,
    rank_year: int | None = None,
    year_tolerance: int = YEAR_TOLERANCE,
    rel_tol: float = REL_TOL,
    rollup: bool = True,
    write: bool = True,
) -> dict[str, pd.DataFrame]:
    """Load, compare, validate and (if ``write``) write every comparison table.

    Parameters are those of :func:`compare_all`. Defaults: ``base_year`` 2024,
    ``days_per_year`` 250, ``population_year`` None (the population table's year,
    2024), ``annualise_partial`` True, ``time_basis`` "midpoint", ``rank_year`` None
    (per group the year with most provinces), ``year_tolerance`` 0, ``rel_tol`` 0.005.
    ``rollup``: also roll up to the 34 units of 2025; ``write``: write the CSVs.
    """
    p = p if isinstance(p, config.Paths) else config.paths(p)
    from .. import catalogue, gazetteer, reference  # other steps' loaders; imported here so tests need none

    indicators = load_indicators(p)
    tables = compare_all(
        indicators, reference.load_cpi(p), reference.load_vnd_usd(p), reference.population(p),
        catalogue=catalogue.load_catalogue(p), units_2025=gazetteer.load_units_2025(p) if rollup else None,
        base_year=base_year, days_per_year=days_per_year, population_year=population_year,
        annualise_partial=annualise_partial, savings_measures=savings_measures, time_basis=time_basis,
        rank_year=rank_year, year_tolerance=year_tolerance, rel_tol=rel_tol)
    if write:
        write_tables({k: tables[k] for k in WRITTEN if k in tables}, p)
    return tables
