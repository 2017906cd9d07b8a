"""Comparison layer: indicator records -> savings, adoption, time series, rankings,
consistency checks and an optional rollup to the 34 provinces of 2025.

Pure functions over DataFrames; only :func:`run_compare` reads and writes files.
Every output row lists the ``record_ids`` it rests on and states its ``assumptions``
and ``notes`` in plain words (conventions in :mod:`.schemas`).
"""

from .adoption import compute_adoption, level_breakdown
from .checks import run_checks
from .rankings import rank_figures
from .rollup import rollup_2025
from .run import compare_all, run_compare, write_tables
from .savings import compute_savings
from .timeseries import comparable_figures, compute_timeseries

__all__ = [
    "comparable_figures", "compare_all", "compute_adoption", "compute_savings", "compute_timeseries",
    "level_breakdown", "rank_figures", "rollup_2025", "run_checks", "run_compare", "write_tables",
]
