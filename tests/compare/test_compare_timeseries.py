"""Time series: change between comparable periods, with bounds that propagate honestly."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from egov_analysis.compare.adoption import compute_adoption
from egov_analysis.compare.savings import compute_savings
from egov_analysis.compare.timeseries import comparable_figures, compute_timeseries
from egov_analysis.errors import ParameterError

from .conftest import records


def _figures(ind, cpi=None, fx=None, pop=None):
    return comparable_figures(compute_savings(ind, cpi, fx, pop), compute_adoption(ind), ind)


def _years(*pairs):
    """Exact edocs counts for full calendar years: _years((2015, 100), (2017, 121))."""
    return records(*({"value": v, "period_start": f"{y}-01-01", "period_end": f"{y}-12-31"} for y, v in pairs))


@pytest.fixture
def seed_series(seed, cpi, vnd_usd, population):
    return compute_timeseries(comparable_figures(compute_savings(seed, cpi, vnd_usd, population),
                                                 compute_adoption(seed), seed))


def test_bac_giang_2014_to_2015_savings_pair_uses_the_annualised_2015_figure(seed_series):
    r = seed_series[(seed_series["province"] == "Bắc Giang") & (seed_series["measure"] == "annual_real_vnd")].iloc[0]
    assert r["record_ids"] == "002-05;004-02"
    assert (r["year_from"], r["year_to"]) == (2014, 2015)
    real_2014 = 14e9 * 189.7027 / 143.6437
    real_2015 = 20e9 * 189.7027 / 144.5504
    assert r["change"] == pytest.approx(real_2015 - real_2014)


def test_change_between_two_lower_bounds_has_unknown_bound(seed_series):
    r = seed_series[(seed_series["province"] == "Bắc Giang") & (seed_series["measure"] == "annual_real_vnd")].iloc[0]
    assert r["change_bound"] == "approx_unknown"
    assert math.isnan(r["change_low"]) and math.isnan(r["change_high"])
    assert "neither a lower nor an upper bound" in r["notes"]


def test_budget_and_compliance_savings_are_never_paired(seed_series):
    # Cà Mau: budget savings 2016 (trên 7 tỷ), compliance-cost savings 2018 (trên 28 tỷ)
    assert seed_series[seed_series["province"] == "Cà Mau"].empty


def test_cagr_between_calendar_years_by_hand():
    r = compute_timeseries(_figures(_years((2015, 100), (2017, 121)))).iloc[0]
    assert r["years_between"] == pytest.approx(2, abs=0.01)
    assert r["cagr_pct"] == pytest.approx(10, abs=0.01)  # 100 * 1.1^2 = 121
    assert r["change"] == 21 and r["change_per_year"] == pytest.approx(10.5, abs=0.01)


def test_exact_figures_give_an_exact_change():
    r = compute_timeseries(_figures(_years((2015, 100), (2016, 130)))).iloc[0]
    assert r["change_bound"] == "exact"
    assert r["change_low"] == r["change_high"] == 30


def test_from_an_upper_bound_to_a_lower_bound_the_change_is_a_lower_bound():
    df = records({"value": 10, "qualifier": "nearly", "period_start": "2015-01-01", "period_end": "2015-12-31"},
                 {"value": 15, "qualifier": "over", "period_start": "2016-01-01", "period_end": "2016-12-31"})
    r = compute_timeseries(_figures(df)).iloc[0]
    assert r["change_bound"] == "lower" and r["change_low"] == 5 and math.isnan(r["change_high"])


def test_rates_change_in_percentage_points_without_cagr():
    df = records(*({"indicator_id": "edoc_exchange_rate_pct", "unit": "percent", "value": v,
                    "period_start": f"{y}-01-01", "period_end": f"{y}-12-31"} for y, v in ((2015, 60), (2016, 75))))
    r = compute_timeseries(_figures(df)).iloc[0]
    assert r["change"] == 15 and math.isnan(r["cagr_pct"])
    assert "percentage points" in r["assumptions"]


def test_figures_of_different_scope_are_not_paired():
    df = records({"value": 100, "scope": "cấp tỉnh"},
                 {"value": 200, "scope": "cấp huyện", "period_start": "2016-01-01", "period_end": "2016-12-31"})
    assert compute_timeseries(_figures(df)).empty


def test_counts_over_periods_of_different_length_are_not_paired():
    df = records({"value": 100}, {"value": 90, "period_start": "2016-01-01", "period_end": "2016-09-30"})
    assert compute_timeseries(_figures(df)).empty


def test_one_figure_repeated_in_title_and_body_is_one_point():
    df = records({"value": 100, "article_id": "a1"}, {"value": 100, "article_id": "a2"})
    figs = _figures(df)
    assert len(figs) == 1 and figs.iloc[0]["record_ids"] == "r01;r02"


def _savings_2015_and_9_months_2016():
    df = records({"indicator_id": "budget_savings_vnd", "unit": "VND", "value": 10e9},
                 {"indicator_id": "budget_savings_vnd", "unit": "VND", "value": 9e9,
                  "period_start": "2016-01-01", "period_end": "2016-09-30"})
    return comparable_figures(compute_savings(df, None, None, None), compute_adoption(df), df,
                              savings_measures=("annual_nominal_vnd",))


def test_midpoint_time_basis_measures_between_period_middles():
    r = compute_timeseries(_savings_2015_and_9_months_2016()).iloc[0]
    days = (pd.Timestamp("2016-05-16") - pd.Timestamp("2015-07-02")).days  # middles of the two periods
    assert r["years_between"] == pytest.approx(days / 365.25, abs=0.005)
    assert r["value_to"] == pytest.approx(12e9)  # 9 tỷ in 9 months, annualised


def test_end_time_basis_measures_between_period_ends():
    r = compute_timeseries(_savings_2015_and_9_months_2016(), time_basis="end").iloc[0]
    assert r["years_between"] == pytest.approx(0.75, abs=0.005)


def test_unknown_time_basis_is_a_parameter_error():
    with pytest.raises(ParameterError):
        compute_timeseries(_figures(_years((2015, 1), (2016, 2))), time_basis="start")
