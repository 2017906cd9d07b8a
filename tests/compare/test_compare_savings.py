"""Savings: annualisation, constant prices, USD, per capita / user / unit, bounds."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from egov_analysis.compare.savings import compute_savings
from egov_analysis.errors import ParameterError

from .conftest import records

TY = 1e9  # tỷ đồng
TRIEU = 1e6  # triệu đồng


def _one(df: pd.DataFrame, record_id: str) -> pd.Series:
    rows = df[df["record_id"] == record_id]
    assert len(rows) == 1
    return rows.iloc[0]


@pytest.fixture
def seed_savings(seed, cpi, vnd_usd, population):
    return compute_savings(seed, cpi, vnd_usd, population)


def test_bac_giang_15_ty_for_9_months_annualises_to_20_ty_lower_bound(seed_savings):
    r = _one(seed_savings, "002-05")
    assert r["is_annualised"]
    assert r["annual_nominal_vnd"] == pytest.approx(20 * TY)
    assert r["annual_nominal_low_vnd"] == pytest.approx(20 * TY)
    assert math.isnan(r["annual_nominal_high_vnd"])
    assert r["bound"] == "approx_lower"


def test_full_year_amount_is_not_annualised(seed_savings):
    r = _one(seed_savings, "004-02")  # hơn 14 tỷ đồng trong năm 2014
    assert not r["is_annualised"]
    assert r["annualisation_factor"] == 1
    assert r["annual_nominal_vnd"] == 14 * TY


def test_ha_noi_100_trieu_a_day_is_25_ty_a_year_approx(seed_savings):
    r = _one(seed_savings, "004-01")
    assert r["is_annualised"]
    assert r["annual_nominal_vnd"] == pytest.approx(25 * TY)  # 100 triệu x 250 working days
    assert r["bound"] == "approx"
    assert "250 days" in r["assumptions"]


def test_days_per_year_is_a_parameter(seed, cpi, vnd_usd, population):
    out = compute_savings(seed, cpi, vnd_usd, population, days_per_year=365)
    assert _one(out, "004-01")["annual_nominal_vnd"] == pytest.approx(36.5 * TY)


def test_impossible_days_per_year_is_a_parameter_error(seed, cpi, vnd_usd, population):
    with pytest.raises(ParameterError, match="days_per_year"):
        compute_savings(seed, cpi, vnd_usd, population, days_per_year=0)


def test_constant_prices_scale_by_cpi_of_base_year_over_cpi_of_period_year(seed_savings):
    r = _one(seed_savings, "004-02")  # 14 tỷ in 2014 -> 2024 prices: x 189.7027 / 143.6437
    assert r["annual_real_vnd"] == pytest.approx(14 * TY * 189.7027 / 143.6437)
    assert r["annual_real_vnd"] == pytest.approx(18.489 * TY, rel=1e-4)


def test_base_year_equal_to_period_year_leaves_amount_unchanged(seed, cpi, vnd_usd, population):
    out = compute_savings(seed, cpi, vnd_usd, population, base_year=2015)
    assert _one(out, "002-05")["annual_real_vnd"] == pytest.approx(20 * TY)


def test_period_without_cpi_keeps_row_with_blank_real_value_and_note(cpi, vnd_usd, population):
    df = records({"indicator_id": "budget_savings_vnd", "unit": "VND", "value": 5 * TY,
                  "period_start": "2025-01-01", "period_end": "2025-12-31"})
    r = compute_savings(df, cpi, vnd_usd, population).iloc[0]
    assert r["annual_nominal_vnd"] == 5 * TY
    assert math.isnan(r["annual_real_vnd"]) and not r["has_cpi"]
    assert "no CPI for 2025" in r["notes"]


def test_base_year_without_cpi_is_a_parameter_error(seed, cpi, vnd_usd, population):
    with pytest.raises(ParameterError, match="base_year"):
        compute_savings(seed, cpi, vnd_usd, population, base_year=1990)


def test_usd_uses_the_annual_average_rate_of_the_period_year(seed_savings):
    r = _one(seed_savings, "004-02")
    assert r["annual_nominal_usd"] == pytest.approx(14 * TY / 21148.00)


def test_year_without_exchange_rate_gives_blank_usd_with_note(cpi, vnd_usd, population):
    df = records({"indicator_id": "budget_savings_vnd", "unit": "VND", "value": 5 * TY,
                  "period_start": "2024-01-01", "period_end": "2024-12-31"})
    r = compute_savings(df, cpi, vnd_usd, population).iloc[0]
    assert math.isnan(r["annual_nominal_usd"]) and not r["has_fx_rate"]
    assert "no VND/USD rate for 2024" in r["notes"]


def test_per_capita_divides_real_amount_by_reference_year_population(seed_savings):
    r = _one(seed_savings, "004-02")
    assert r["annual_real_per_capita_vnd"] == pytest.approx(14 * TY * 189.7027 / 143.6437 / 1_962_600)
    assert "2024 average population" in r["assumptions"]


def test_unknown_province_gets_blank_per_capita_with_note(cpi, vnd_usd, population):
    df = records({"indicator_id": "budget_savings_vnd", "unit": "VND", "value": 5 * TY, "province": "Atlantis"})
    r = compute_savings(df, cpi, vnd_usd, population).iloc[0]
    assert math.isnan(r["annual_real_per_capita_vnd"]) and not r["has_population"]
    assert "'Atlantis' is not in the population table" in r["notes"]
    assert r["annual_real_vnd"] > 0  # everything else is still computed


def test_per_user_and_per_unit_use_counts_of_the_same_article(seed_savings):
    r = _one(seed_savings, "000-01")  # Cà Mau 2016: trên 7 tỷ, 7.075 users, 431 units
    real = 7 * TY * 189.7027 / 148.4073
    assert r["annual_real_per_user_vnd"] == pytest.approx(real / 7075)
    assert r["annual_real_per_unit_vnd"] == pytest.approx(real / 431)
    assert r["record_ids"] == "000-01;000-02;000-03"


def test_counts_from_another_article_are_not_used_per_user(cpi, vnd_usd, population):
    df = records({"indicator_id": "budget_savings_vnd", "unit": "VND", "value": 5 * TY, "article_id": "a1"},
                 {"indicator_id": "doc_system_users_count", "value": 1000, "article_id": "a2"})
    r = compute_savings(df, cpi, vnd_usd, population).iloc[0]
    assert math.isnan(r["annual_real_per_user_vnd"])
    assert r["record_ids"] == "r01"


def test_vague_amount_is_kept_with_blank_numbers_and_a_note(seed_savings):
    r = _one(seed_savings, "004-03")  # vài tỷ đồng
    assert r["bound"] == "vague"
    numbers = [c for c in seed_savings.columns if c.startswith("annual_")]
    assert all(math.isnan(r[c]) for c in numbers)
    assert "vague amount" in r["notes"]


def test_lower_bound_keeps_a_blank_upper_end_in_every_derived_number(seed_savings):
    r = _one(seed_savings, "000-01")  # trên 7 tỷ
    highs = [c for c in seed_savings.columns if c.endswith("_high_vnd") or c.endswith("_high_usd")]
    assert highs and all(math.isnan(r[c]) for c in highs)
    lows = [c.replace("_high_", "_low_") for c in highs]
    assert all(r[c] > 0 for c in lows)


def test_amount_without_period_gets_no_annual_figure(cpi, vnd_usd, population):
    df = records({"indicator_id": "budget_savings_vnd", "unit": "VND", "value": 5 * TY,
                  "period_start": None, "period_end": None})
    r = compute_savings(df, cpi, vnd_usd, population).iloc[0]
    assert math.isnan(r["annual_nominal_vnd"])
    assert "no period stated" in r["notes"]


def test_amount_dated_at_a_day_is_not_scaled_from_one_day(cpi, vnd_usd, population):
    """A saving "as of" a date ("đến nay đã tiết kiệm 5 tỷ") covers an unstated span: scaling it as
    one day's amount would multiply it by 365."""
    df = records({"indicator_id": "budget_savings_vnd", "unit": "VND", "value": 5 * TY,
                  "period_start": "2017-06-27", "period_end": "2017-06-27"})
    r = compute_savings(df, cpi, vnd_usd, population).iloc[0]
    assert math.isnan(r["annual_nominal_vnd"]) and not r["is_annualised"]
    assert "as of 2017-06-27" in r["notes"] and "scaled" not in r["assumptions"]


def test_budget_and_compliance_savings_keep_their_own_kind(seed_savings):
    kinds = dict(zip(seed_savings["record_id"], seed_savings["savings_kind"]))
    assert kinds["001-04"] == "compliance"
    assert kinds["000-01"] == "budget"
    assert len(seed_savings) == 7  # one row per savings record: nothing added together


def test_rejected_records_are_left_out(cpi, vnd_usd, population):
    df = records({"indicator_id": "budget_savings_vnd", "unit": "VND", "value": 5 * TY, "status": "rejected"})
    assert compute_savings(df, cpi, vnd_usd, population).empty
