"""Report building blocks: number formats per language, bounds as ranges, escaping, labels."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from egov_analysis.errors import ParameterError
from egov_analysis.report import fmt
from egov_analysis.report.display import table
from egov_analysis.report.i18n import t

NAN = math.nan


@pytest.mark.parametrize("x,lang,out", [(7075, "vi", "7.075"), (7075, "en", "7,075"), (79.1, "vi", "79,1"), (79.1, "en", "79.1")])
def test_numbers_follow_the_reader_convention(x, lang, out):
    assert fmt.number(x, lang) == out


def test_lower_bound_shows_as_at_least():
    assert fmt.value(7e9, 7e9, NAN, "VND", "vi") == "≥\u00a07 tỷ đồng"


def test_upper_bound_shows_as_at_most():
    assert fmt.value(99, NAN, 99, "percent", "en") == "≤\u00a099%"


def test_range_shows_both_ends():
    assert fmt.value(NAN, 5e9, 7e9, "VND", "en") == "5 bn VND – 7 bn VND"


def test_ratio_shows_numerator_over_denominator():
    assert fmt.value(139, 139, 139, "count", "vi", denominator=230) == "139/230"


def test_approximate_and_per_day_money():
    assert fmt.value(1e8, 1e8, 1e8, "VND/day", "vi", qualifier="approx") == "≈\u00a0100 triệu đồng/ngày"


def test_periods_read_naturally():
    assert fmt.period("2015-01-01", "2015-09-30", "vi") == "1/2015–9/2015"
    assert fmt.period("2016-01-01", "2016-12-31", "en") == "2016"
    assert fmt.period("2017-03-01", "2017-03-01", "vi") == "tại 1/3/2017"
    assert fmt.period(None, "2017-03-01", "en") == "cumulative to 2017-03-01"


def test_table_cells_are_escaped():
    html = table(pd.DataFrame({"quote": ["<script>alert(1)</script> & co"]})).html
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html


def test_labels_exist_in_both_languages_and_unknown_language_is_refused():
    assert t("sources", "vi") == "Nguồn" and t("sources", "en") == "Sources"
    with pytest.raises(ParameterError, match="lang"):
        t("sources", "fr")


def test_comparison_phrases_are_localized_for_vietnamese_and_kept_for_english():
    from egov_analysis.report.i18n import localize

    text = "amount for 9 months scaled to 12 months (savings assumed to accrue evenly through the year, so a bound stays a bound)"
    assert localize(text, "vi").startswith("số liệu 9 tháng quy đổi ra 12 tháng")
    assert localize(text, "en") == text
    assert localize("an unknown phrase", "vi") == "an unknown phrase"


def test_numbers_in_vietnamese_notes_use_vietnamese_grouping_but_quotes_stay_as_written():
    from egov_analysis.report.i18n import localize

    text = "parts 3,134 (cấp tỉnh) + 1,924 (cấp huyện) = 5,058; total 5,058: consistent"
    assert localize(text, "vi") == "các phần 3.134 (cấp tỉnh) + 1.924 (cấp huyện) = 5.058; tổng 5.058: khớp"
    assert localize(text, "en") == text
    quoted = "vague amount, no number stated ('tiết kiệm 1.500 tỷ đồng, 79,1%'): kept for the record, nothing computed"
    assert "'tiết kiệm 1.500 tỷ đồng, 79,1%'" in localize(quoted, "vi")
    assert localize("CPI 189.7027 / 143.6437, 2010 = 100", "vi").startswith("CPI 189,7027 / 143,6437, 2010 = 100")


def test_a_figure_stated_twice_shows_once():
    html = table(pd.DataFrame({"Giá trị": ["≥\u00a07 tỷ đồng", "≥\u00a07 tỷ đồng", "5 tỷ đồng"], "Kỳ": ["2016", "2016", "2017"]}))
    assert str(html).count("≥\u00a07 tỷ đồng") == 1 and str(html).count("<tr>") == 3  # header + two rows


def test_an_approximate_bound_keeps_its_sign():
    assert fmt.value(7e9, 7e9, NAN, "VND", "vi", bound="approx_lower") == "≈\u00a0≥\u00a07 tỷ đồng"
    assert fmt.value(16, 16, 16, "count", "vi", denominator=18, bound="approx") == "16/18"
