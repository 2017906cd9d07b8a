"""Adoption rates: ratios, stated percentages, online-service maturity mix."""

from __future__ import annotations

import math

import pytest

from egov_analysis.compare.adoption import compute_adoption, level_breakdown

from .conftest import records


def _rate(df, record_ids):
    rows = df[df["record_ids"] == record_ids]
    assert len(rows) == 1
    return rows.iloc[0]


def test_16_of_18_departments_is_88_9_percent(seed):
    r = _rate(compute_adoption(seed), "002-08")
    assert round(r["rate_pct"], 1) == 88.9
    assert r["source"] == "ratio"


def test_139_of_230_communes_is_60_4_percent(seed):
    assert round(_rate(compute_adoption(seed), "002-10")["rate_pct"], 1) == 60.4


def test_can_tho_level3_share_is_101_of_193(seed):
    r = _rate(compute_adoption(seed), "003-01;003-02")
    assert r["rate_id"] == "online_services_level3_share_pct"
    assert r["rate_pct"] == pytest.approx(101 / 193 * 100)  # 52.3%


def test_can_tho_level4_share_is_83_of_193(seed):
    r = _rate(compute_adoption(seed), "003-01;003-03")
    assert round(r["rate_pct"], 1) == 43.0


def test_level_share_without_a_stated_total_is_blank_with_note(seed):
    r = _rate(compute_adoption(seed), "002-06")  # Bắc Giang: 3864 level-2 services, no total
    assert math.isnan(r["rate_pct"])
    assert "no total number of online services" in r["notes"]


def test_ratio_indicator_without_denominator_gives_blank_rate_with_note():
    df = records({"indicator_id": "one_stop_shop_coverage_pct", "value": 16})
    r = compute_adoption(df).iloc[0]
    assert math.isnan(r["rate_pct"])
    assert "no denominator" in r["notes"]


def test_zero_denominator_gives_blank_rate_not_inf():
    # bypasses the indicators schema (which forbids 0) on purpose: the function must not divide
    df = records({"indicator_id": "one_stop_shop_coverage_pct", "value": 3, "denominator": 0.0})
    r = compute_adoption(df).iloc[0]
    assert math.isnan(r["rate_pct"]) and math.isnan(r["rate_high_pct"])
    assert "zero" in r["notes"]


def test_stated_percentage_is_taken_as_the_rate(seed):
    r = _rate(compute_adoption(seed), "003-05")  # 80% được cấp hộp thư điện tử
    assert r["rate_pct"] == 80 and r["source"] == "stated_percent"


def test_upper_bound_percentage_keeps_blank_lower_end(seed):
    r = _rate(compute_adoption(seed), "001-03")  # gần 99%
    assert r["rate_high_pct"] == 99 and math.isnan(r["rate_low_pct"]) and r["bound"] == "upper"


def test_scope_becomes_a_government_level(seed):
    levels = dict(zip(compute_adoption(seed)["record_ids"], compute_adoption(seed)["level"]))
    assert (levels["002-08"], levels["002-09"], levels["002-10"]) == ("department", "district", "commune")


def test_level_breakdown_puts_levels_side_by_side(seed):
    wide = level_breakdown(compute_adoption(seed))
    row = wide[(wide["province"] == "Bắc Giang") & (wide["rate_id"] == "edoc_exchange_rate_pct")].iloc[0]
    assert (row["all"], row["department"], row["district"], row["commune"]) == (79.1, 71.9, 87.3, 78.2)
