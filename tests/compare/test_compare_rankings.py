"""Rankings: direction, comparable periods, ties, bounds, national figures."""

from __future__ import annotations

import pandas as pd

from egov_analysis.compare.adoption import compute_adoption
from egov_analysis.compare.rankings import rank_figures
from egov_analysis.compare.savings import compute_savings
from egov_analysis.compare.timeseries import comparable_figures

from .conftest import records


def _figures(ind):
    return comparable_figures(compute_savings(ind, None, None, None), compute_adoption(ind), ind)


def _ranks(df) -> dict:
    ranked = df[df["is_comparable"]]
    return dict(zip(ranked["province"], ranked["rank"]))


def _provinces(**values):
    return records(*({"province": p, "value": v} for p, v in values.items()))


def test_higher_value_ranks_first_by_default():
    assert _ranks(rank_figures(_figures(_provinces(A=10, B=30, C=20)))) == {"B": 1, "C": 2, "A": 3}


def test_rank_indicator_ranks_lowest_first():
    df = records(*({"indicator_id": "ict_index_rank", "unit": "rank", "province": p, "value": v,
                    "denominator": 63.0} for p, v in (("A", 20), ("B", 5))))
    assert _ranks(rank_figures(_figures(df))) == {"B": 1, "A": 2}


def test_catalogue_direction_is_used(catalogue):
    cat = pd.DataFrame({"indicator_id": ["edocs_count"], "higher_is_better": [False]})
    out = rank_figures(_figures(_provinces(A=10, B=30)), cat)
    assert _ranks(out) == {"A": 1, "B": 2} and not out["higher_is_better"].any()


def test_direction_missing_from_catalogue_is_stated_as_assumed():
    out = rank_figures(_figures(_provinces(A=10, B=30)))
    assert out["notes"].str.contains("higher assumed better").all()


def test_figure_of_another_year_is_listed_but_not_ranked():
    df = records({"province": "A", "value": 10}, {"province": "B", "value": 30},
                 {"province": "C", "value": 99, "period_start": "2013-01-01", "period_end": "2013-12-31"})
    out = rank_figures(_figures(df))
    c = out[out["province"] == "C"].iloc[0]
    assert not c["is_comparable"] and pd.isna(c["rank"]) and c["period_year"] == 2013
    assert "not comparable" in c["notes"]
    assert _ranks(out) == {"B": 1, "A": 2} and (out["ranking_year"] == 2015).all()


def test_year_tolerance_ranks_neighbouring_years_together():
    df = records({"province": "A", "value": 10},
                 {"province": "B", "value": 30, "period_start": "2014-01-01", "period_end": "2014-12-31"})
    assert _ranks(rank_figures(_figures(df), year=2015, year_tolerance=1)) == {"B": 1, "A": 2}


def test_ties_share_the_best_rank():
    assert _ranks(rank_figures(_figures(_provinces(A=10, B=10, C=5)))) == {"A": 1, "B": 1, "C": 3}


def test_a_lower_bound_can_hold_any_place_above_its_value():
    df = records({"province": "A", "value": 7, "qualifier": "over"}, {"province": "B", "value": 10})
    a = rank_figures(_figures(df)).set_index("province").loc["A"]
    assert (a["rank"], a["rank_best"], a["rank_worst"]) == (2, 1, 2)


def test_national_figure_is_not_ranked_among_provinces():
    out = rank_figures(_figures(_provinces(A=10, **{"Việt Nam": 1000})))
    assert _ranks(out) == {"A": 1}
    assert "national" in out.set_index("province").loc["Việt Nam", "notes"]


def test_province_with_two_comparable_figures_is_ranked_once():
    df = records({"province": "A", "value": 10, "article_id": "a1"},
                 {"province": "A", "value": 12, "article_id": "a2"}, {"province": "B", "value": 11})
    out = rank_figures(_figures(df))
    assert out["is_comparable"].sum() == 2
    assert "another figure of A is ranked" in " ".join(out["notes"])
