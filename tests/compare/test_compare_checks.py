"""Consistency checks: parts vs totals, level counts, ranges, repeated figures, provinces."""

from __future__ import annotations

import pandas as pd
import pytest

from egov_analysis.compare.checks import run_checks

from .conftest import records


def _status(df, check, record_ids):
    rows = df[(df["check"] == check) & (df["record_ids"] == record_ids)]
    assert len(rows) == 1, df[["check", "record_ids", "status"]]
    return rows.iloc[0]["status"]


@pytest.fixture
def seed_checks(seed):
    return run_checks(seed)


def test_148_organisations_plus_446_individuals_equal_594_certificates(seed_checks):
    assert _status(seed_checks, "parts_sum_to_total", "000-05;000-06;000-07") == "pass"


def test_3134_province_plus_1924_district_equal_5058_signed_documents(seed_checks):
    assert _status(seed_checks, "parts_sum_to_total", "000-08;000-09;000-10") == "pass"


def test_a_broken_total_fails_and_says_by_how_much(seed):
    broken = seed.copy()
    broken.loc[broken["record_id"] == "000-08", ["value", "value_low", "value_high"]] = 5100.0
    out = run_checks(broken)
    row = out[(out["check"] == "parts_sum_to_total") & (out["record_ids"] == "000-08;000-09;000-10")].iloc[0]
    assert row["status"] == "fail"
    assert "difference -42" in row["message"]


def test_parts_are_found_by_scope_when_the_extraction_gave_no_link():
    df = records({"value": 594, "scope": None}, {"value": 148, "scope": "tổ chức"},
                 {"value": 446, "scope": "cá nhân"})
    assert _status(run_checks(df), "parts_sum_to_total", "r01;r02;r03") == "pass"


def test_parts_of_different_dimensions_are_checked_separately():
    df = records({"value": 100}, {"value": 60, "scope": "cấp tỉnh"}, {"value": 40, "scope": "cấp huyện"},
                 {"value": 70, "scope": "tổ chức"}, {"value": 30, "scope": "cá nhân"})
    out = run_checks(df)
    assert _status(out, "parts_sum_to_total", "r01;r02;r03") == "pass"
    assert _status(out, "parts_sum_to_total", "r01;r04;r05") == "pass"


def test_lower_bound_total_is_consistent_with_a_larger_sum_of_parts():
    df = records({"value": 500, "qualifier": "over"}, {"value": 300, "scope": "cấp tỉnh"},
                 {"value": 250, "scope": "cấp huyện"})
    assert _status(run_checks(df), "parts_sum_to_total", "r01;r02;r03") == "pass"


def test_total_percentage_between_its_level_percentages_passes(seed_checks):
    assert _status(seed_checks, "total_rate_between_parts", "002-01;002-02;002-03;002-04") == "pass"


def test_level3_plus_level4_within_all_online_services_passes(seed_checks):
    assert _status(seed_checks, "online_levels_within_total", "003-01;003-02;003-03") == "pass"


def test_level3_plus_level4_above_all_online_services_fails():
    df = records({"indicator_id": "online_services_total_count", "value": 193},
                 {"indicator_id": "online_services_level3_count", "value": 150},
                 {"indicator_id": "online_services_level4_count", "value": 83})
    assert _status(run_checks(df), "online_levels_within_total", "r01;r02;r03") == "fail"


def test_percentage_above_100_fails():
    df = records({"indicator_id": "edoc_exchange_rate_pct", "unit": "percent", "value": 791})
    assert _status(run_checks(df), "rate_in_range", "r01") == "fail"


def test_part_larger_than_its_whole_fails():
    df = records({"indicator_id": "one_stop_shop_coverage_pct", "value": 19, "denominator": 18.0})
    assert _status(run_checks(df), "ratio_within_whole", "r01") == "fail"


def test_same_figure_with_different_values_in_two_articles_fails():
    df = records({"value": 100, "article_id": "a1"}, {"value": 120, "article_id": "a2"})
    out = run_checks(df)
    assert _status(out, "same_figure_consistent", "r01;r02") == "fail"
    assert "a1" in out.iloc[0]["message"] and "a2" in out.iloc[0]["message"]


def test_same_figure_stated_twice_with_one_value_passes(seed_checks):
    assert _status(seed_checks, "same_figure_consistent", "000-01;000-04") == "pass"


def test_unknown_province_fails_when_a_province_list_is_given(seed):
    out = run_checks(records({"province": "Atlantis"}), provinces=["Cà Mau"])
    assert _status(out, "province_known", "r01") == "fail"


def test_every_check_row_names_its_records(seed_checks):
    assert (seed_checks["record_ids"].str.len() > 0).all()
    assert set(seed_checks["status"]) == {"pass"}
    assert isinstance(seed_checks, pd.DataFrame)
