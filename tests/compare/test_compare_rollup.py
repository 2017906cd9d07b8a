"""Rollup to the 34 units of 2025: sums, population-weighted rates, missing parts."""

from __future__ import annotations

import math

import pytest

from egov_analysis.compare.adoption import compute_adoption
from egov_analysis.compare.rollup import rollup_2025
from egov_analysis.compare.savings import compute_savings
from egov_analysis.compare.timeseries import comparable_figures

from .conftest import records


def _roll(df, units_2025, population):
    figs = comparable_figures(compute_savings(df, None, None, None), compute_adoption(df), df)
    return rollup_2025(figs, units_2025, population)


def _row(out, name, indicator_id):
    rows = out[(out["name_2025"] == name) & (out["indicator_id"] == indicator_id)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_counts_of_all_former_provinces_are_summed(units_2025, population):
    df = records({"province": "Cà Mau", "value": 431}, {"province": "Bạc Liêu", "value": 200})
    r = _row(_roll(df, units_2025, population), "Cà Mau", "edocs_count")
    assert r["value"] == 631 and r["is_complete"] and r["method"] == "sum"
    assert r["record_ids"] == "r01;r02"


def test_missing_part_leaves_total_blank_names_it_and_gives_a_lower_bound(units_2025, population):
    df = records({"province": "Cà Mau", "value": 431})
    r = _row(_roll(df, units_2025, population), "Cà Mau", "edocs_count")
    assert math.isnan(r["value"]) and r["value_low"] == 431 and r["bound"] == "lower"
    assert r["missing_parts"] == "Bạc Liêu" and not r["is_complete"]


def test_rates_are_weighted_by_population_when_every_part_has_one(units_2025, population):
    df = records({"province": "Cà Mau", "indicator_id": "edoc_exchange_rate_pct", "unit": "percent", "value": 90},
                 {"province": "Bạc Liêu", "indicator_id": "edoc_exchange_rate_pct", "unit": "percent", "value": 60})
    r = _row(_roll(df, units_2025, population), "Cà Mau", "edoc_exchange_rate_pct")
    expected = (90 * 1_212_000 + 60 * 928_680) / (1_212_000 + 928_680)
    assert r["value"] == pytest.approx(expected) and r["method"] == "population_weighted_mean"


def test_rate_is_blank_when_a_part_is_missing(units_2025, population):
    df = records({"province": "Cần Thơ", "indicator_id": "edoc_exchange_rate_pct", "unit": "percent", "value": 60})
    r = _row(_roll(df, units_2025, population), "Cần Thơ", "edoc_exchange_rate_pct")
    assert math.isnan(r["value"]) and r["missing_parts"] == "Hậu Giang;Sóc Trăng"
    assert "Hậu Giang, Sóc Trăng" in r["notes"]


def test_merged_from_as_a_list_is_accepted(units_2025, population):
    units = units_2025.assign(merged_from=units_2025["merged_from"].str.split(";"))
    df = records({"province": "Cà Mau", "value": 431}, {"province": "Bạc Liêu", "value": 200})
    assert _row(_roll(df, units, population), "Cà Mau", "edocs_count")["value"] == 631


def test_ranks_are_not_rolled_up(units_2025, population):
    df = records({"province": "Cà Mau", "indicator_id": "ict_index_rank", "unit": "rank", "value": 20,
                  "denominator": 63.0})
    assert _roll(df, units_2025, population).empty
