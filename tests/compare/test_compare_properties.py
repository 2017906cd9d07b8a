"""Properties that hold for any figure: bounds stay ordered and one-sided, nothing is inf."""

from __future__ import annotations

import calendar
import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egov_analysis.compare.savings import compute_savings

from .conftest import records

QUALIFIERS = ["exact", "over", "nearly", "approx", "approx_over", "approx_nearly"]


# the reference-table fixtures are read-only, so sharing them between examples is safe
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.floats(min_value=1e6, max_value=1e13), qualifier=st.sampled_from(QUALIFIERS),
       months=st.integers(min_value=1, max_value=12), year=st.integers(min_value=2013, max_value=2026),
       per_day=st.booleans())
def test_derived_savings_keep_ordered_one_sided_bounds(value, qualifier, months, year, per_day, cpi, vnd_usd,
                                                       population):
    end = f"{year}-{months:02d}-{calendar.monthrange(year, months)[1]:02d}"
    df = records({"indicator_id": "budget_savings_vnd", "unit": "VND/day" if per_day else "VND", "value": value,
                  "qualifier": qualifier, "period_start": f"{year}-01-01", "period_end": end})
    r = compute_savings(df, cpi, vnd_usd, population).iloc[0]
    for stem in ("annual_nominal", "annual_real", "annual_real_per_capita"):
        v, lo, hi = r[f"{stem}_vnd"], r[f"{stem}_low_vnd"], r[f"{stem}_high_vnd"]
        assert not any(math.isinf(x) for x in (v, lo, hi))
        if not math.isnan(lo):
            assert lo <= v * (1 + 1e-12)
        if not math.isnan(hi):
            assert v <= hi * (1 + 1e-12)
        if qualifier in ("over", "approx_over"):
            assert math.isnan(hi)
        if qualifier in ("nearly", "approx_nearly"):
            assert math.isnan(lo)
