"""Vietnamese quantities: number format, scales, qualifiers, ranges, ratios and non-quantities.

One behaviour per test; phrases come from the seed articles or read like them.
"""

from __future__ import annotations

import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egov_analysis import config
from egov_analysis.clean import clean_text
from egov_analysis.errors import InputError
from egov_analysis.quantities import KINDS, QUALIFIERS, Quantity, find_quantities, format_number, parse_number, rules

from tests.conftest import SEEDS


def _only(text: str) -> Quantity:
    qs = find_quantities(text)
    assert len(qs) == 1, qs
    return qs[0]


def _at(text: str, number: str) -> Quantity:
    """The expression whose numeric part is ``number``."""
    hits = [q for q in find_quantities(text) if text[q.number_start:q.number_end] == number]
    assert len(hits) == 1, find_quantities(text)
    return hits[0]


# ---- number format -----------------------------------------------------------------------


@pytest.mark.parametrize("s, value", [("7.075", 7075), ("1.924", 1924), ("272.000", 272000), ("1.000.000", 1e6)])
def test_parse_number_reads_dot_as_thousands_separator(s, value):
    assert parse_number(s) == value


@pytest.mark.parametrize("s, value", [("79,1", 79.1), ("1,5", 1.5), ("1.234,5", 1234.5)])
def test_parse_number_reads_comma_as_decimal_mark(s, value):
    assert parse_number(s) == value


def test_parse_number_reads_digits_without_separator():
    assert parse_number("3864") == 3864.0


def test_parse_number_reads_single_dot_with_two_digits_as_english_decimal():
    assert parse_number("99.5") == 99.5


@pytest.mark.parametrize("s", ["", "abc", "1.2.3", "7,075.5", "1..2", "1.2345", "12,", "tỷ"])
def test_parse_number_rejects_garbage(s):
    with pytest.raises(ValueError):
        parse_number(s)


@pytest.mark.parametrize("x, s", [(7075, "7.075"), (272000, "272.000"), (1e9, "1.000.000.000"), (594, "594")])
def test_format_number_groups_thousands_with_dots(x, s):
    assert format_number(x) == s


def test_format_number_uses_decimal_comma():
    assert format_number(79.1) == "79,1"


def test_format_number_pads_to_fixed_decimals():
    assert format_number(1.5, 2) == "1,50" and format_number(1234.567, 1) == "1.234,6"


@given(st.integers(min_value=-10**15, max_value=10**15))
def test_integers_round_trip_through_vietnamese_format(n):
    assert parse_number(format_number(n)) == n


@given(st.integers(min_value=-10**12, max_value=10**12), st.sampled_from([10, 100]))
def test_one_or_two_decimal_floats_round_trip_through_vietnamese_format(n, scale):
    x = n / scale
    assert parse_number(format_number(x)) == x


# ---- amounts, scales and units ------------------------------------------------------------


def test_scale_and_currency_give_vnd_value():
    q = _only("tiết kiệm trên 7 tỷ đồng")
    assert (q.text, q.value, q.unit, q.scale_word, q.kind) == ("trên 7 tỷ đồng", 7e9, "VND", "tỷ", "quantity")


def test_dot_thousands_count():
    q = _at("có 431 đơn vị, với 7.075 người sử dụng", "7.075")
    assert (q.value, q.unit, q.qualifier) == (7075, "count", "exact")


def test_scale_word_on_a_count_keeps_unit_count():
    q = _only("trên 1 triệu văn bản đến")
    assert (q.value, q.unit, q.scale_word, q.qualifier) == (1e6, "count", "triệu", "over")


def test_plain_count():
    assert _only("triển khai 594 chữ ký số").value == 594


def test_each_number_in_a_parenthetical_list_is_found():
    qs = find_quantities("(cấp tỉnh 3.134, cấp huyện 1.924)")
    assert [q.value for q in qs] == [3134, 1924]


def test_count_written_without_thousands_separator():
    q = _only("cung cấp được 3864 dịch vụ công trực tuyến")
    assert (q.value, q.kind) == (3864, "quantity")


def test_decimal_comma_percent():
    q = _only("đạt 79,1% (trong đó")
    assert (q.text, q.value, q.unit) == ("79,1%", 79.1, "percent")


def test_percent_in_words():
    assert _only("tăng 3 phần trăm").unit == "percent"


def test_english_decimal_point_percent():
    assert _only("đạt 99.5%").value == 99.5


def test_nghìn_tỷ_multiplies_scales():
    q = _only("1,5 nghìn tỷ đồng")
    assert (q.value, q.scale_word) == (1.5e12, "nghìn tỷ")


def test_decimal_scale_amount():
    assert _only("1,5 tỷ đồng").value == 1.5e9


def test_currency_glued_to_number():
    q = _only("phí 100.000đ mỗi hồ sơ")
    assert (q.text, q.value, q.unit) == ("100.000đ", 100000, "VND")


def test_money_per_day_inside_the_expression():
    q = _only("tiết kiệm 100 triệu đồng/ngày")
    assert (q.value, q.unit) == (1e8, "VND/day")


def test_per_day_before_the_amount_stays_vnd():
    q = _only("mỗi ngày tiết kiệm được khoảng 100 triệu đồng")
    assert (q.text, q.value, q.unit, q.qualifier) == ("khoảng 100 triệu đồng", 1e8, "VND", "approx")


def test_tỷ_lệ_after_a_year_is_not_a_billion():
    q = _only("Năm 2018 tỷ lệ giải quyết đúng hạn")
    assert (q.kind, q.value, q.scale_word) == ("year", 2018, None)


def test_đồng_chí_is_not_money():
    assert _only("2 đồng chí Phó Chủ tịch").unit == "count"


def test_missing_space_after_the_noun_does_not_break_the_number():
    q = _only("Có 5.058 văn bảnđược ký số")
    assert (q.text, q.value) == ("5.058", 5058)


def test_counted_noun_is_not_part_of_the_expression():
    assert _only("gần 272.000 hồ sơ").text == "gần 272.000"


# ---- qualifiers -> bounds -----------------------------------------------------------------


def test_exact_sets_both_bounds():
    q = _only("tiết kiệm 15 tỷ đồng")
    assert (q.qualifier, q.value_low, q.value_high) == ("exact", 15e9, 15e9)


def test_trên_is_over_with_lower_bound_only():
    q = _only("rất lớn, trên 28 tỷ đồng.")
    assert (q.qualifier, q.value, q.value_low, q.value_high) == ("over", 28e9, 28e9, None)


def test_hơn_is_over():
    q = _only("đã tiếp nhận hơn 23.000 hồ sơ")
    assert (q.text, q.qualifier, q.value_low) == ("hơn 23.000", "over", 23000)


def test_gần_is_nearly_with_upper_bound_only():
    q = _only("xử lý hồ sơ gần 272.000 hồ sơ")
    assert (q.qualifier, q.value, q.value_low, q.value_high) == ("nearly", 272000, None, 272000)


def test_gần_percent_is_nearly():
    q = _only("tỷ lệ giải quyết đúng hạn gần 99%.")
    assert (q.text, q.qualifier, q.value_high, q.unit) == ("gần 99%", "nearly", 99, "percent")


def test_khoảng_is_approx_with_both_bounds():
    q = _only("khoảng 100 triệu đồng")
    assert (q.qualifier, q.value_low, q.value_high) == ("approx", 1e8, 1e8)


def test_ước_đạt_trên_is_approx_over():
    q = _only("tiết kiệm kinh phí ước đạt trên 15 tỷ đồng.")
    assert (q.text, q.qualifier, q.value_low, q.value_high) == ("ước đạt trên 15 tỷ đồng", "approx_over", 15e9, None)


def test_khoảng_gần_is_approx_nearly():
    q = _only("khoảng gần 50 hồ sơ")
    assert (q.qualifier, q.value_low, q.value_high) == ("approx_nearly", None, 50)


def test_verb_before_qualifier_stays_outside_the_expression():
    q = _at("năm 2018 đạt trên 98%;", "98")
    assert (q.text, q.qualifier, q.value_low) == ("trên 98%", "over", 98)


def test_trên_dưới_is_approx_not_over():
    assert _only("trên dưới 100 người").qualifier == "approx"


def test_hơn_nữa_is_not_a_bound():
    assert _only("hơn nữa 5 người").qualifier == "exact"


def test_qualifier_must_touch_the_number_through_spaces_only():
    assert _only("gần, 99%").qualifier == "exact"


def test_trở_lên_after_the_unit_is_over():
    q = _only("từ 5 tỷ đồng trở lên")
    assert (q.text, q.qualifier, q.value_low, q.value_high) == ("5 tỷ đồng trở lên", "over", 5e9, None)


@pytest.mark.parametrize("phrase", ["vài tỷ đồng", "hàng tỷ đồng", "Hàng chục triệu đồng", "nhiều tỷ đồng"])
def test_vague_amount_has_no_number(phrase):
    q = _only(phrase)
    assert (q.qualifier, q.value, q.value_low, q.value_high, q.unit, q.kind) == ("vague", None, None, None, "VND", "quantity")


def test_vague_amount_keeps_its_scale_word():
    assert _only("tiết kiệm hàng chục triệu").scale_word == "chục triệu"


# ---- ranges and ratios --------------------------------------------------------------------


def test_từ_đến_range_has_bounds_and_no_value():
    q = _only("từ 10 đến 15 tỷ đồng")
    assert (q.text, q.value, q.value_low, q.value_high, q.qualifier, q.unit) == (
        "từ 10 đến 15 tỷ đồng", None, 10e9, 15e9, "exact", "VND")


def test_dash_range_of_percents():
    q = _only("giảm 10-15%")
    assert (q.value_low, q.value_high, q.unit) == (10, 15, "percent")


def test_range_shares_the_scale_of_its_upper_end():
    q = _only("10 – 15 triệu")
    assert (q.value_low, q.value_high, q.scale_word) == (1e7, 1.5e7, "triệu")


def test_range_ends_keep_their_own_scales():
    q = _only("từ 500 triệu đến 1 tỷ đồng")
    assert (q.value_low, q.value_high) == (5e8, 1e9)


def test_qualified_range_keeps_its_qualifier():
    q = _only("khoảng 10-15 tỷ đồng")
    assert (q.qualifier, q.value_low, q.value_high) == ("approx", 10e9, 15e9)


def test_đến_without_từ_does_not_join_two_numbers():
    qs = find_quantities("tăng 100 đến 2020")
    assert [(q.text, q.kind) for q in qs] == [("100", "quantity"), ("2020", "year")]


def test_slash_ratio_has_denominator():
    q = _only("Hiện có 16/18 Sở, ngành")
    assert (q.value, q.denominator, q.unit, q.kind) == (16, 18, "count", "quantity")


def test_ratio_of_communes():
    q = _only("139/230 xã, phường, thị trấn")
    assert (q.value, q.denominator) == (139, 230)


def test_ratio_with_small_denominator_before_a_noun():
    q = _only("10/10 huyện, thành phố")
    assert (q.value, q.denominator, q.kind) == (10, 10, "quantity")


def test_ratio_before_a_counted_unit_after_đến_is_a_ratio_not_a_date():
    q = _only("Hệ thống đã kết nối đến 11/11 huyện")
    assert (q.value, q.denominator, q.unit, q.kind) == (11, 11, "count", "quantity")


def test_day_month_after_đến_stays_a_date_before_other_words():
    assert [q.kind for q in find_quantities("Tính đến 30/6 toàn tỉnh có")] == ["date"]


def test_trên_between_numbers_is_a_ratio():
    q = _only("16 trên 18 Sở")
    assert (q.value, q.denominator, q.qualifier) == (16, 18, "exact")


def test_rank_is_a_quantity_with_unit_rank():
    q = _only("tỉnh Bắc Giang xếp thứ hạng 20/63 tỉnh thành.")
    assert (q.kind, q.unit, q.value, q.denominator) == ("quantity", "rank", 20, 63)


def test_ordinal_listed_after_a_rank_is_a_rank():
    q = _at("tỉnh đứng thứ 12/63 và thứ 30/63 về chỉ số", "30/63")
    assert (q.kind, q.unit, q.value, q.denominator) == ("quantity", "rank", 30, 63)


def test_ordinals_listed_together_stay_ordinals():
    assert [q.kind for q in find_quantities("lần thứ 2 và thứ 3")] == ["ordinal", "ordinal"]


# ---- what is not an indicator quantity ----------------------------------------------------


def test_year_after_năm_is_a_year():
    q = _at("hơn 14 tỷ đồng trong năm 2014.", "2014")
    assert (q.kind, q.value) == ("year", 2014)


def test_money_before_a_year_is_still_money():
    q = _at("hơn 14 tỷ đồng trong năm 2014.", "14")
    assert (q.text, q.value, q.qualifier) == ("hơn 14 tỷ đồng", 14e9, "over")


def test_sentence_final_period_is_not_a_thousands_separator():
    q = _only("nhiệm vụ năm 2017.")
    assert (q.text, q.value, q.kind) == ("2017", 2017, "year")


def test_bare_year_before_a_counted_noun_is_a_count():
    assert _only("có 2000 người").kind == "quantity"


def test_bare_year_after_đến_is_a_year():
    assert _only("đến 2020 tỉnh sẽ").kind == "year"


@pytest.mark.parametrize("text", ["ngày 1/3/2017", "ngày 4/11/2015", "ngày 14/10/2015"])
def test_full_date(text):
    q = _only(text)
    assert (q.kind, q.value) == ("date", None)


@pytest.mark.parametrize("text", ["Sáng 12/3, Ban Chỉ đạo", "khai trương vào sáng 12/3;", "Đến 30/6, tỉnh"])
def test_day_month_is_a_date(text):
    assert _only(text).kind == "date"


def test_dateline_gives_time_then_date():
    assert [(q.text, q.kind) for q in find_quantities("06:16, 27/06/2017")] == [("06:16", "time"), ("27/06/2017", "date")]


@pytest.mark.parametrize("text, date", [("Đã đăng vào 12 Th3, 2019 lúc 18:41", "12 Th3, 2019"), ("Th3, 2019", "Th3, 2019")])
def test_month_abbreviation_form_is_a_date(text, date):
    assert find_quantities(text)[0].text == date and find_quantities(text)[0].kind == "date"


def test_months_from_start_of_year_is_one_period():
    q = _only("Riêng 9 tháng đầu năm 2015, tỷ lệ")
    assert (q.text, q.kind, q.value) == ("9 tháng đầu năm 2015", "period", 9)


def test_duration_in_years_is_a_period():
    q = _only("Qua 3 năm thực hiện Đề án")
    assert (q.text, q.kind) == ("3 năm", "period")


def test_year_range_is_a_period():
    q = _only("giai đoạn 2016 – 2018, hạ tầng")
    assert (q.kind, q.value, q.value_low, q.value_high) == ("period", None, 2016, 2018)


def test_roman_quarter_is_a_period():
    q = _only("trong quý III/2017.")
    assert (q.text, q.kind) == ("quý III/2017", "period")


def test_digit_quarter_is_a_period():
    assert _only("quý 3/2017").kind == "period"


@pytest.mark.parametrize("ref", ["36-NQ/TW", "36a/NQ-CP", "19-2017/NQ-CP", "1819/QĐ-TTg", "86/2015/QH13"])
def test_legal_document_number_is_a_reference(ref):
    q = _only(f"thực hiện Nghị quyết số {ref} của")
    assert (q.text, q.kind, q.value) == (ref, "reference", None)


def test_document_number_then_its_date():
    qs = find_quantities("Nghị quyết số 36a/NQ-CP ngày 14/10/2015")
    assert [(q.text, q.kind) for q in qs] == [("36a/NQ-CP", "reference"), ("14/10/2015", "date")]


def test_number_after_số_is_a_reference():
    assert _only("Quyết định số 36 của").kind == "reference"


def test_tổng_số_is_a_count_not_a_reference():
    assert _only("tổng số 150 hồ sơ").kind == "quantity"


def test_number_after_ký_số_is_a_count_not_a_reference():
    q = _only("Các cơ quan đã ký số 120.000 văn bản")
    assert (q.text, q.value, q.kind) == ("120.000", 120000, "quantity")


def test_service_level_list_gives_two_levels():
    qs = find_quantities("dịch vụ công trực tuyến mức độ 3,4 theo danh mục")
    assert [(q.text, q.value, q.kind) for q in qs] == [("3", 3, "level"), ("4", 4, "level")]


def test_service_level_and_conjunction():
    assert [q.kind for q in find_quantities("mức độ 3 và 4")] == ["level", "level"]


def test_stage_is_a_level():
    q = _at("83 dịch vụ đã bước sang giai đoạn 4", "4")
    assert (q.value, q.kind) == (4, "level")


def test_count_before_a_level_stays_a_count():
    qs = find_quantities("3864 dịch vụ công trực tuyến mức độ 2; 151 dịch vụ")
    assert [(q.value, q.kind) for q in qs] == [(3864, "quantity"), (2, "level"), (151, "quantity")]


def test_ordinal():
    assert _only("lần thứ 3").kind == "ordinal"


def test_numbered_list_item_is_an_ordinal():
    qs = find_quantities("1. Về hạ tầng: có 5 huyện\n2) Về nhân lực")
    assert [(q.value, q.kind) for q in qs] == [(1, "ordinal"), (5, "quantity"), (2, "ordinal")]


def test_two_days_of_a_month_is_one_date():
    assert [(q.text, q.kind) for q in find_quantities("Ngày 15-16/5, hội nghị")] == [("15-16/5", "date")]


def test_reversed_dash_pair_after_ngày_is_a_date_not_a_range():
    q = _only("ngày 30-4")
    assert (q.text, q.kind) == ("30-4", "date")


@pytest.mark.parametrize("text", ["COVID-19", "mạng 4G", "H5N1"])
def test_codes_are_not_numbers(text):
    assert find_quantities(text) == []


def test_version_name_is_a_reference():
    assert _only("Cách mạng công nghiệp 4.0").kind == "reference"


# ---- rule tables --------------------------------------------------------------------------


def test_rule_tables_load_with_words_an_analyst_wrote():
    r = rules()
    assert r.multiplier["tỷ"] == 1e9 and r.currency["đồng"] == "VND" and r.before["ước đạt"].meaning == "approx"


def test_unknown_value_in_a_rule_table_names_file_and_line(tmp_path, monkeypatch):
    for name in ("scales.csv", "qualifiers.csv", "non_quantities.csv"):
        shutil.copy(config.RULES_DIR / name, tmp_path / name)
    with open(tmp_path / "qualifiers.csv", "a", encoding="utf-8") as fh:
        fh.write("cỡ,before,aprox,typo for approx\n")
    monkeypatch.setattr(config, "RULES_DIR", tmp_path)
    rules.cache_clear()
    try:
        with pytest.raises(InputError, match=r"qualifiers.csv: unknown values: line \d+: meaning 'aprox'"):
            rules()
    finally:
        monkeypatch.undo()
        rules.cache_clear()


# ---- properties ---------------------------------------------------------------------------

_WORDS = ["tỉnh", "đã", "có", "tiếp nhận", "hồ sơ", "cán bộ", "văn bản", "điện tử", "Cà Mau", "triển khai",
          "được", "xử lý", "doanh nghiệp", "người dân", "phần mềm", "cơ quan", "kết quả", "tiết kiệm"]
_UNITS = [("", 1, "count"), (" tỷ đồng", 1e9, "VND"), (" triệu đồng", 1e6, "VND"), ("%", 1, "percent"),
          (" nghìn", 1e3, "count"), (" VNĐ", 1, "VND")]


@settings(max_examples=300)
@given(
    before=st.lists(st.sampled_from(_WORDS), max_size=4),
    after=st.lists(st.sampled_from(_WORDS), min_size=1, max_size=4),
    n=st.integers(min_value=0, max_value=10**9),
    decimals=st.sampled_from([0, 1, 2]),
    unit=st.sampled_from(_UNITS),
)
def test_number_in_vietnamese_context_is_found_with_its_value(before, after, n, decimals, unit):
    x = n / 10**decimals
    number = format_number(x)
    prefix = " ".join(before) + (" " if before else "")
    text = f"{prefix}{number}{unit[0]} {' '.join(after)}."
    q = _at(text, number)
    assert q.kind == "quantity" and q.unit == unit[2]
    assert q.value == pytest.approx(x * unit[1])
    assert q.start == len(prefix) and q.number_start == len(prefix)


_CHARS = st.sampled_from(list("0123456789.,/-–:% ") + ["\n", "tỷ", "đồng", "trên", "gần", "khoảng", "năm", "mức độ",
                                                       "ngày", "từ", "đến", "Th", "quý", "III", "vài", "số", "NQ",
                                                       "triệu", "hơn", "xã", "a", "G", "tháng"])


@settings(max_examples=400)
@given(st.lists(_CHARS, max_size=40).map("".join))
def test_offsets_always_slice_the_text_in_order(text):
    last = 0
    for q in find_quantities(text):
        assert text[q.start:q.end] == q.text
        assert q.start <= q.number_start < q.number_end <= q.end
        assert q.start >= last
        last = q.end
        assert q.kind in KINDS and q.qualifier in QUALIFIERS


# ---- the five seeds end to end ------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem[:3])
def test_seed_expressions_slice_raw_and_cleaned_text(seed):
    raw = seed.read_text(encoding="utf-8")
    for text in (raw, clean_text(raw).body):
        qs = find_quantities(text)
        assert qs and all(text[q.start:q.end] == q.text for q in qs)
        assert all(a.end <= b.start for a, b in zip(qs, qs[1:]))


def test_seed_ca_mau_money_and_counts():
    text = next(p for p in SEEDS if p.name.startswith("000")).read_text(encoding="utf-8")
    money = [(q.text, q.value, q.qualifier) for q in find_quantities(text) if q.unit == "VND"]
    assert money == [("trên 7 tỷ đồng", 7e9, "over")] * 2 + [("hơn 7 tỷ đồng", 7e9, "over"), ("trên 7 tỷ đồng", 7e9, "over")]
    levels = [q.value for q in find_quantities(text) if q.kind == "level"]
    assert levels == [3, 4, 3]


def test_seed_vnmedia_has_no_quantity_in_its_references_and_dates():
    text = next(p for p in SEEDS if p.name.startswith("004")).read_text(encoding="utf-8")
    amounts = [(q.text, q.qualifier) for q in find_quantities(text) if q.kind == "quantity"]
    assert amounts == [("4", "exact"), ("khoảng 100 triệu đồng", "approx"), ("hơn 14 tỷ đồng", "over"),
                       ("vài tỷ đồng", "vague")]


@pytest.mark.parametrize("text,phone", [
    ("Mọi phản ánh xin gọi (0276) 3822 558.", "(0276) 3822 558"),
    ("Đường dây nóng 0913.456.789 hoạt động 24/7.", "0913.456.789"),
    ("Tổng đài 1900 8198 đã tiếp nhận 1.200 cuộc gọi.", "1900 8198"),
    ("Người dân có thể liên hệ đường dây nóng 0228 3 636 555.", "0228 3 636 555"),
])
def test_a_phone_number_is_one_reference_not_figures(text, phone):
    qs = find_quantities(text)
    assert [(q.text, q.kind) for q in qs if q.text == phone] == [(phone, "reference")]
    assert not any(q.kind == "quantity" and q.start < text.index(phone) + len(phone) and text.index(phone) < q.end for q in qs)


def test_counts_and_years_are_no_phone_numbers():
    qs = find_quantities("Năm 2019 có 1800 hồ sơ, 1.900 văn bản và 100 000 lượt truy cập.")
    assert {q.text: q.kind for q in qs}["1800"] == "quantity" and {q.text: q.kind for q in qs}["1.900"] == "quantity"
