"""Indicator extraction: rule behaviours on small sentences, the seeds end to end, curation."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from egov_analysis.catalogue import load_catalogue
from egov_analysis.cli import cli
from egov_analysis.evaluate import read_gold, score
from egov_analysis.extract.stream import _init, extract_one
from egov_analysis.gazetteer import Gazetteer
from egov_analysis.pipeline import run_clean, run_extract
from tests.conftest import REPO

GOLD = REPO / "tests" / "extract" / "gold_seeds.csv"


@pytest.fixture(scope="module")
def extract():
    kinds = dict(zip(*load_catalogue()[["indicator_id", "kind"]].T.values))
    _init(Gazetteer.load(), kinds)

    def run(body: str, title: str = "Tin tức", reference_date: str | None = "2018-06-30") -> list[dict]:
        return extract_one({"article_id": "t", "title": title, "body": body, "reference_date": reference_date})

    return run


def _one(records, value):
    found = [r for r in records if r["value"] == value]
    assert len(found) == 1, records
    return found[0]


def test_budget_savings_with_over_qualifier_is_a_lower_bound(extract):
    r = _one(extract("Năm 2016, tỉnh Cà Mau đã tiết kiệm cho ngân sách hơn 7 tỷ đồng."), 7e9)
    assert (r["indicator_id"], r["unit"], r["qualifier"], r["value_low"], r["province"]) == ("budget_savings_vnd", "VND", "over", 7e9, "Cà Mau")
    assert (r["period_start"], r["period_end"]) == ("2016-01-01", "2016-12-31")


def test_compliance_savings_are_not_budget_savings(extract):
    r = _one(extract("Năm 2018, giảm chi phí tuân thủ thủ tục hành chính cho người dân, doanh nghiệp trên 28 tỷ đồng."), 28e9)
    assert r["indicator_id"] == "compliance_cost_savings_vnd"


def test_first_months_period_is_a_partial_year(extract):
    r = _one(extract("Riêng 9 tháng đầu năm 2015, tỷ lệ văn bản điện tử đạt 79,1%."), 79.1)
    assert (r["indicator_id"], r["period_start"], r["period_end"]) == ("edoc_exchange_rate_pct", "2015-01-01", "2015-09-30")


def test_as_of_stock_takes_the_reference_date(extract):
    r = _one(extract("Đến nay có 431 đơn vị, với 7.075 người sử dụng phần mềm quản lý văn bản."), 431)
    assert (r["indicator_id"], r["period_start"], r["period_end"]) == ("doc_system_units_count", "2018-06-30", "2018-06-30")


def test_ratio_keeps_numerator_and_denominator_with_scope(extract):
    r = _one(extract("Hiện có 139/230 xã, phường, thị trấn đã triển khai một cửa điện tử."), 139)
    assert (r["indicator_id"], r["denominator"], r["unit"], r["scope"]) == ("one_stop_shop_coverage_pct", 230, "count", "cấp xã")


def test_rank_has_unit_rank(extract):
    r = _one(extract("Trong xếp hạng mức độ ứng dụng CNTT năm 2015, tỉnh Bắc Giang xếp thứ hạng 20/63 tỉnh thành."), 20)
    assert (r["indicator_id"], r["unit"], r["denominator"]) == ("ict_index_rank", "rank", 63)


def test_breakdown_in_parentheses_inherits_the_total_and_links_to_it(extract):
    records = extract("Có 5.058 văn bản được ký số (cấp tỉnh 3.134, cấp huyện 1.924).")
    total, prov, dist = (_one(records, v) for v in (5058, 3134, 1924))
    assert {prov["indicator_id"], dist["indicator_id"]} == {total["indicator_id"]} == {"digitally_signed_documents_count"}
    assert prov["part_of"] == dist["part_of"] == total["record_id"]
    assert (prov["scope"], dist["scope"]) == ("cấp tỉnh", "cấp huyện")


def test_each_figure_goes_to_the_province_its_clause_names(extract):
    body = "Thành phố Hà Nội mỗi ngày tiết kiệm khoảng 100 triệu đồng; tỉnh Bắc Giang tiết kiệm hơn 14 tỷ đồng trong năm 2014."
    records = extract(body, title="Phó Thủ tướng chỉ đạo")
    hn, bg = _one(records, 1e8), _one(records, 14e9)
    assert (hn["province"], hn["unit"], hn["qualifier"]) == ("Hà Nội", "VND/day", "approx")
    assert (bg["province"], bg["period_start"]) == ("Bắc Giang", "2014-01-01")
    assert hn["period_start"] != "2014-01-01"


def test_national_figure_is_attributed_to_viet_nam_not_the_article_province(extract):
    records = extract("Các cuộc họp quy mô quốc gia qua mạng tiết kiệm vài tỷ đồng.", title="Cà Mau đẩy mạnh CNTT")
    r = records[0]
    assert (r["province"], r["qualifier"], r["value"]) == ("Việt Nam", "vague", None)


def test_unclassifiable_figure_is_kept_as_unclassified(extract):
    records = extract("Hệ thống được triển khai tới 4 cấp chính quyền.")
    assert [r["indicator_id"] for r in records] == ["unclassified"]


def test_dates_years_and_document_numbers_are_not_indicators(extract):
    body = "Ngày 1/3/2017, theo Nghị quyết số 36a/NQ-CP ngày 14/10/2015, giai đoạn 2016 – 2018, dịch vụ mức độ 3,4 trong quý III/2017."
    assert extract(body) == []


def test_comparison_year_is_not_the_period(extract):
    r = _one(extract("Năm 2016 các trang đăng 10.024 tin, bài; tăng 1.746 tin, bài so với năm 2015."), 1746)
    assert (r["indicator_id"], r["period_start"]) == ("portal_posts_increase_count", "2016-01-01")


def test_anaphor_reads_the_previous_sentence(extract):
    body = "Văn bản được trao đổi qua phần mềm quản lý văn bản. Hệ thống này đã được áp dụng tại 100% cơ quan."
    assert _one(extract(body), 100)["indicator_id"] == "doc_system_coverage_pct"


def test_quote_is_the_exact_sentence_and_value_text_lies_inside_it(extract):
    body = "Mở đầu. Tỉnh đã triển khai 594 chữ ký số cho cấp tỉnh và cấp huyện."
    r = _one(extract(body), 594)
    assert body[r["quote_start"] : r["quote_end"]] == r["quote"] == "Tỉnh đã triển khai 594 chữ ký số cho cấp tỉnh và cấp huyện."
    assert body[r["value_start"] : r["value_end"]] == r["value_text"] == "594"


def test_record_ids_are_stable_and_unique_for_repeated_figures(extract):
    body = "Có 193 dịch vụ công trực tuyến. Cụ thể có 193 dịch vụ công trực tuyến."
    ids = [r["record_id"] for r in extract(body)]
    assert len(set(ids)) == 2 and ids == [r["record_id"] for r in extract(body)]


def _period(r) -> tuple:
    return (r["period_start"], r["period_end"])


# ---- periods ---------------------------------------------------------------------------------


def test_as_of_day_dates_a_level_on_that_day(extract):
    r = _one(extract("Tính đến ngày 30/6/2018, Cổng dịch vụ công trực tuyến thành phố cung cấp 1.246 dịch vụ công trực tuyến."), 1246)
    assert _period(r) == ("2018-06-30", "2018-06-30")


def test_as_of_end_of_month_is_the_last_day_not_the_month(extract):
    r = _one(extract("Tính đến hết tháng 6/2019, các bộ, ngành, địa phương đã cung cấp khoảng 11.500 dịch vụ công trực tuyến mức độ 3."), 11500)
    assert _period(r) == ("2019-06-30", "2019-06-30")


def test_flow_to_an_as_of_date_is_cumulative_and_a_launch_year_is_not_its_period(extract):
    body = "Tính đến ngày 30/6/2020, hệ thống đã luân chuyển hơn 5,2 triệu văn bản điện tử kể từ khi đưa vào vận hành năm 2015."
    r = _one(extract(body), 5.2e6)
    assert (r["indicator_id"], *_period(r)) == ("edocs_count", None, "2020-06-30")


def test_ranking_takes_the_year_of_the_index_it_names(extract):
    records = extract("Theo Báo cáo Vietnam ICT Index 2016 do Bộ TT&TT công bố, Quảng Ninh đứng thứ 3/63 tỉnh, thành phố.")
    assert [r["value"] for r in records] == [3]  # the index's year is no figure
    assert _period(records[0]) == ("2016-01-01", "2016-12-31")


def test_rate_over_a_period_takes_the_period_its_paragraph_named(extract):
    body = ("6 tháng đầu năm 2020, các cơ quan đã gửi, nhận 748.215 văn bản điện tử. "
            "Tỷ lệ văn bản trao đổi dưới dạng điện tử giữa các cơ quan đạt 98,2%.")
    r = _one(extract(body, reference_date="2020-07-10"), 98.2)
    assert (r["indicator_id"], *_period(r)) == ("edoc_exchange_rate_pct", "2020-01-01", "2020-06-30")


def test_coverage_rate_stays_as_of_the_reference_date_in_a_paragraph_with_a_period(extract):
    body = ("6 tháng đầu năm 2020, các cơ quan đã gửi, nhận 748.215 văn bản điện tử. "
            "Hiện 100% cơ quan đã triển khai chữ ký số.")
    r = _one(extract(body, reference_date="2020-07-10"), 100)
    assert (r["indicator_id"], *_period(r)) == ("digital_certificate_coverage_pct", "2020-07-10", "2020-07-10")


def test_months_without_a_year_take_the_leads_year_in_a_later_paragraph(extract):
    body = ("ICTnews - Trong 6 tháng đầu năm 2018, các cơ quan đã gửi, nhận hơn 2,5 triệu văn bản.\n\n"
            "Trong 6 tháng, hệ thống một cửa điện tử đã tiếp nhận gần 198.000 hồ sơ.")
    r = _one(extract(body, reference_date="2018-08-15"), 198000)
    assert _period(r) == ("2018-01-01", "2018-06-30")


def test_quarter_without_a_year_takes_the_titles_year(extract):
    body = "Các cơ quan đẩy mạnh ứng dụng CNTT.\n\nTrong quý I, hệ thống đã tiếp nhận 121.506 hồ sơ."
    r = _one(extract(body, title="Thừa Thiên Huế: Đẩy mạnh ứng dụng CNTT trong quý I/2019", reference_date="2019-04-15"), 121506)
    assert _period(r) == ("2019-01-01", "2019-03-31")


def test_quarter_without_a_year_in_january_is_last_years(extract):
    r = _one(extract("Trong quý IV, hệ thống đã tiếp nhận 5.000 hồ sơ.", reference_date="2019-01-10"), 5000)
    assert _period(r) == ("2018-10-01", "2018-12-31")


def test_flow_without_a_period_takes_the_leads_period(extract):
    body = "Năm 2016, Quảng Ninh đi đầu về ứng dụng CNTT.\n\nCó 98.700 văn bản được ký số trước khi phát hành."
    r = _one(extract(body, reference_date="2017-01-12"), 98700)
    assert (r["indicator_id"], *_period(r)) == ("digitally_signed_documents_count", "2016-01-01", "2016-12-31")


def test_same_period_of_an_earlier_year_is_never_the_period(extract):
    body = "Năm 2018, tỉnh tiếp nhận 1.000 hồ sơ.\n\nTrong nửa đầu năm, có 186.420 văn bản được ký số, tăng 15% so với cùng kỳ năm 2017."
    r = _one(extract(body, reference_date="2018-08-15"), 186420)
    assert _period(r) == ("2018-01-01", "2018-06-30")


def test_a_period_after_the_next_figure_does_not_date_a_figure(extract):
    r = _one(extract("Tỉnh triển khai 120 điểm hội nghị truyền hình trực tuyến, tiết kiệm khoảng 3 tỷ đồng mỗi năm."), 120)
    assert _period(r) == ("2018-06-30", "2018-06-30")


def test_an_amount_per_year_is_a_full_year_not_the_paragraphs_months(extract):
    body = "9 tháng đầu năm 2019, tỉnh tiếp nhận 45.600 hồ sơ. Mỗi năm, văn bản điện tử giúp tiết kiệm khoảng 20 tỷ đồng."
    r = _one(extract(body, reference_date="2019-10-22"), 20e9)
    assert _period(r) == ("2019-01-01", "2019-12-31")


def test_from_the_start_of_the_year_until_now_is_year_to_date(extract):
    r = _one(extract("Từ đầu năm đến nay, hệ thống đã luân chuyển 520.000 văn bản điện tử.", reference_date="2019-10-12"), 520000)
    assert _period(r) == ("2019-01-01", "2019-10-12")


def test_an_amount_per_day_is_dated_like_a_level_not_by_the_leads_period(extract):
    body = "Năm 2017, tỉnh đẩy mạnh ứng dụng CNTT.\n\nMỗi ngày các cơ quan của tỉnh tiết kiệm khoảng 25 triệu đồng chi phí."
    r = _one(extract(body, reference_date="2017-12-20"), 25e6)
    assert (r["unit"], *_period(r)) == ("VND/day", "2017-12-20", "2017-12-20")


# ---- provinces -------------------------------------------------------------------------------


def test_a_sub_heading_province_carries_to_later_paragraphs(extract):
    body = ("Tại Đồng Tháp, các cơ quan đã trao đổi hơn 1,3 triệu văn bản.\n\nVĩnh Long: Nâng chất dịch vụ công trực tuyến\n\n"
            "Phần mềm quản lý văn bản đã được triển khai tại 100% sở, ngành.\n\nTỉnh đã cấp 1.476 chứng thư số.")
    r = _one(extract(body, title="Đồng Tháp, Vĩnh Long tăng tốc xây dựng chính quyền điện tử"), 1476)
    assert r["province"] == "Vĩnh Long"


def test_thanh_pho_alone_refers_to_the_province_named_earlier_in_the_paragraph(extract):
    body = "TP.HCM cho biết đã tiếp nhận hơn 1,14 triệu hồ sơ. Thành phố xếp thứ 2/63 trong Vietnam ICT Index 2018."
    r = _one(extract(body, title="Bức tranh chính quyền điện tử các địa phương"), 2)
    assert r["province"] == "Hồ Chí Minh"


def test_ministries_and_localities_together_are_national(extract):
    r = _one(extract("Các bộ, ngành, địa phương đã cung cấp khoảng 3.200 dịch vụ công trực tuyến mức độ 4.", title="Hà Nam"), 3200)
    assert r["province"] == "Việt Nam"


def test_leading_the_country_is_not_a_national_figure(extract):
    body = "Thừa Thiên Huế dẫn đầu cả nước với 1.500 dịch vụ công trực tuyến mức độ 4."
    assert _one(extract(body, title="Tin"), 1500)["province"] == "Huế"


def test_an_organisation_named_after_the_country_is_not_national(extract):
    r = _one(extract("Theo Hội Tin học Việt Nam, tỉnh xếp thứ 15/63.", title="Nghệ An cải thiện thứ hạng"), 15)
    assert r["province"] == "Nghệ An"


def test_a_passing_mention_does_not_leave_its_paragraph_when_the_title_names_the_province(extract):
    body = "Đoàn công tác tỉnh Quảng Nam đến học tập kinh nghiệm.\n\nHệ thống đã tiếp nhận 50.000 hồ sơ."
    assert _one(extract(body, title="Đà Nẵng: chính quyền điện tử"), 50000)["province"] == "Đà Nẵng"


# ---- indicators ------------------------------------------------------------------------------


@pytest.mark.parametrize("body,value,indicator", [
    ("Năm 2016, văn bản điện tử chiếm 87% tổng số văn bản đi, đến.", 87, "edoc_exchange_rate_pct"),
    ("Hệ thống hội nghị truyền hình trực tuyến với 201 điểm cầu đã kết nối từ tỉnh đến cấp xã.", 201, "video_conference_points_count"),
    ("Thư điện tử công vụ được 95% cán bộ, công chức sử dụng thường xuyên.", 95, "officials_using_email_pct"),
    ("Hệ thống cổng/trang thông tin điện tử của tỉnh hiện gồm 48 cổng/trang.", 48, "portals_count"),
    ("Cổng dịch vụ công trực tuyến thành phố cung cấp 1.246 dịch vụ, trong đó có 458 dịch vụ mức độ 3.", 1246, "online_services_total_count"),
    ("Trong nửa đầu năm, số văn bản được ký số và phát hành trên hệ thống là 186.420 văn bản.", 186420, "digitally_signed_documents_count"),
    ("Đã cấp 2.317 chứng thư số, gồm 1.020 chứng thư số của tổ chức và 1.297 chứng thư số của cá nhân, phục vụ ký số văn bản.", 1297,
     "digital_signature_certificates_count"),
    ("Gần 100% cán bộ, công chức cấp tỉnh, cấp huyện được trang bị máy tính.", 100, "officials_with_computer_pct"),
    ("Tỷ lệ cán bộ, công chức thường xuyên sử dụng thư điện tử công vụ trong công việc đạt 78,6%.", 78.6, "officials_using_email_pct"),
    ("Hiện nay, 100% cơ quan cấp tỉnh, cấp huyện đã kết nối mạng truyền số liệu chuyên dùng.", 100, "data_network_coverage_pct"),
    ("Tỷ lệ văn bản đi được ký số và gửi dưới dạng điện tử đạt 94,6%.", 94.6, "edoc_exchange_rate_pct"),
    ("Tỷ lệ văn bản đi dưới dạng điện tử (kèm chữ ký số) ở cấp tỉnh đạt 96,4%, cấp huyện đạt 92,1%, còn cấp xã mới đạt 70,8%.", 70.8,
     "edoc_exchange_rate_pct"),
    ("Năm 2019, việc tổ chức họp trực tuyến giúp tỉnh tiết kiệm gần 300 triệu đồng chi phí đi lại, lưu trú.", 3e8, "budget_savings_vnd"),
    ("Năm 2019, dịch vụ công trực tuyến giúp người dân tiết kiệm gần 300 triệu đồng chi phí đi lại.", 3e8, "compliance_cost_savings_vnd"),
    ("Hơn 95% cán bộ, công chức đã có hộp thư công vụ, nhưng số thường xuyên dùng chỉ gần 60%.", 95, "officials_with_email_pct"),
    ("Hơn 95% cán bộ, công chức đã có hộp thư công vụ, nhưng số thường xuyên dùng chỉ gần 60%.", 60, "officials_using_email_pct"),
    ("Phần mềm hiện có 624 cơ quan, đơn vị sử dụng; 12 đơn vị cấp huyện đã triển khai mở rộng phần mềm đến UBND các xã.", 12,
     "doc_system_extended_units_count"),
], ids=["chiem-tong-so", "diem-cau", "email-used-by", "cong-trang", "services-named-before", "signed-named-before",
        "certificates-by-noun", "computers", "email-rate-named-before", "network-named-after",
        "signed-and-sent", "signed-in-brackets-per-level", "meetings-save-the-budget", "citizens-save", "having-a-mailbox",
        "regular-users", "extending-the-software"])
def test_common_phrasings_find_their_indicator(extract, body, value, indicator):
    assert _one(extract(body), value)["indicator_id"] == indicator


def test_mailboxes_given_and_the_share_using_them_are_two_indicators(extract):
    records = extract("Hệ thống thư điện tử công vụ đã cấp hộp thư cho 100% cán bộ, công chức, viên chức, trong đó 92,5% thường xuyên sử dụng trong công việc.")
    assert (_one(records, 100)["indicator_id"], _one(records, 92.5)["indicator_id"]) == ("officials_with_email_pct", "officials_using_email_pct")


def test_bare_he_thong_refers_back_to_the_system_of_the_previous_sentence(extract):
    body = ("Hệ thống quản lý văn bản và điều hành đã luân chuyển 642.318 văn bản điện tử. "
            "Đến nay, hệ thống đã được triển khai tại 100% cơ quan cấp tỉnh, cấp huyện và 145/145 xã, phường, thị trấn.")
    records = extract(body)
    assert {_one(records, v)["indicator_id"] for v in (100, 145)} == {"doc_system_coverage_pct"}


def test_a_share_listed_after_a_classified_share_of_levels_shares_its_indicator(extract):
    records = extract("Mạng truyền số liệu chuyên dùng đã kết nối tới 100% tỉnh, thành phố và khoảng 92% đơn vị cấp huyện.")
    assert _one(records, 92)["indicator_id"] == "data_network_coverage_pct"


def test_a_count_listed_after_a_classified_count_keeps_its_own_noun(extract):
    records = extract("Hệ thống đã tiếp nhận 1.000 hồ sơ và 200 phản ánh của người dân.")
    assert _one(records, 200)["indicator_id"] == "unclassified"


def test_dossiers_submitted_through_online_services_are_not_services(extract):
    r = _one(extract("Năm 2019, tỉnh đã tiếp nhận 50.000 hồ sơ qua dịch vụ công trực tuyến mức độ 3, 4."), 50000)
    assert r["indicator_id"] == "one_stop_shop_dossiers_count"


def test_a_count_after_a_rank_word_is_not_a_rank(extract):
    r = _one(extract("Quảng Ninh đứng thứ hai với 1.200 dịch vụ mức độ 4."), 1200)
    assert r["indicator_id"] == "online_services_level4_count"


def test_a_rank_in_another_index_is_not_the_it_ranking(extract):
    r = _one(extract("Năm 2018, tỉnh xếp thứ 25/63 về chỉ số PAR Index."), 25)
    assert r["indicator_id"] == "unclassified"


# ---- figures that are no indicator value ---------------------------------------------------


@pytest.mark.parametrize("body,value", [
    ("Có 186.420 văn bản được ký số, tăng 15% so với cùng kỳ năm 2017.", 15),
    ("Năm 2016, Vĩnh Long tăng 9 bậc, đứng thứ 18/63.", 9),
    ("Đề án có tổng mức đầu tư dự kiến khoảng 150 tỷ đồng cho giai đoạn 2018 - 2020.", 150e9),
    ("Phấn đấu năm 2017 có 30% hồ sơ được nộp trực tuyến.", 30),
    ("Tổng đài dịch vụ công 1022 cũng tiếp nhận khoảng 30.000 lượt cuộc gọi.", 1022),
    ("Hệ thống quản lý văn bản đã liên thông 4 cấp chính quyền, từ tỉnh đến thôn.", 4),
    ("Tỷ lệ hồ sơ trực tuyến đạt 30,8%, gấp 3 lần so với năm 2019.", 3),
], ids=["change", "rank-move", "investment", "target", "hotline", "tiers", "multiple"])
def test_figures_that_are_no_indicator_value_are_kept_as_rejected(extract, body, value):
    r = _one(extract(body), value)
    assert (r["indicator_id"], r["status"]) == ("unclassified", "rejected") and r["note"].startswith("not an indicator")


def test_a_figure_listed_after_a_target_is_a_target_too(extract):
    records = extract("Năm 2020, tỉnh phấn đấu 100% văn bản được ký số và 50% hồ sơ được nộp trực tuyến.", reference_date="2020-01-14")
    assert [r["status"] for r in records] == ["rejected", "rejected"]


def test_a_figure_dated_after_the_article_is_a_plan(extract):
    r = _one(extract("Đến cuối năm 2020 có 30% dịch vụ công được cung cấp ở mức độ 4.", reference_date="2020-07-10"), 30)
    assert r["status"] == "rejected" and "after the article's date" in r["note"]


def test_the_calls_a_hotline_took_stay_a_figure(extract):
    r = _one(extract("Tổng đài dịch vụ công 1022 cũng tiếp nhận khoảng 30.000 lượt cuộc gọi."), 30000)
    assert r["status"] == "extracted"


def test_catalogue_says_what_each_indicator_is_measured_over():
    measured = dict(zip(*load_catalogue()[["indicator_id", "measured_over"]].T.values))
    assert (measured["edoc_exchange_rate_pct"], measured["one_stop_shop_ontime_rate_pct"], measured["edocs_count"]) == ("period",) * 3
    assert (measured["doc_system_coverage_pct"], measured["online_services_total_count"]) == ("date", "date")


# ---- the five seeds end to end -------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds_extracted(tmp_path_factory):
    import shutil

    from egov_analysis import config

    root = tmp_path_factory.mktemp("proj")
    for sub in ("data/raw", "data/external", "data/curation"):
        shutil.copytree(REPO / sub, root / sub)
    p = config.paths(root)
    run_clean(p)
    run_extract(p, jobs=1)
    return p


def test_seed_extraction_scores_at_its_level(seeds_extracted):
    records = pd.read_parquet(seeds_extracted.indicators_parquet)
    s = score(records, read_gold(GOLD))
    # Measured 2026-11-24 with the shipped curation: value and full F1 1.000 (53 gold, 53 kept);
    # without curation 0.991 (one unclassified "4 cấp chính quyền"). Since the rules reject a
    # count of government tiers themselves, 1.000 without curation as well.
    assert s["value"].recall == 1.0 and s["value"].f1 >= 0.98
    assert s["full"].f1 >= 0.98


def test_every_seed_quote_is_an_exact_substring_of_the_cleaned_text(seeds_extracted):
    records = pd.read_parquet(seeds_extracted.indicators_parquet)
    bodies = dict(pd.read_parquet(seeds_extracted.articles_parquet, columns=["article_id", "body"]).values)
    for r in records.itertuples():
        assert bodies[r.article_id][r.quote_start : r.quote_end] == r.quote
        assert bodies[r.article_id][r.value_start : r.value_end] == r.value_text


def test_extraction_is_deterministic_and_parallel_equals_serial(seeds_extracted):
    first = seeds_extracted.indicators_csv.read_bytes()
    run_extract(seeds_extracted, jobs=2)
    assert seeds_extracted.indicators_csv.read_bytes() == first


def test_evaluate_command_prints_scores(seeds_extracted):
    result = CliRunner().invoke(cli, ["--root", str(seeds_extracted.root), "evaluate", "--gold", str(GOLD)])
    assert result.exit_code == 0, result.output
    assert "precision" in result.output and "F1" in result.output and "value+indicator+province+period" in result.output


def test_evaluate_rejects_a_gold_file_without_the_columns(seeds_extracted, tmp_path):
    bad = tmp_path / "gold.csv"
    bad.write_text("article,value\nx,1\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--root", str(seeds_extracted.root), "evaluate", "--gold", str(bad)])
    assert result.exit_code == 2 and "lacks column(s)" in result.output


def test_a_look_alike_roman_numeral_does_not_crash_the_period_reader():
    from egov_analysis.periods import find_periods

    found = find_periods("trong quý İ/2018 và đến hết quý İ/2018, quý II/2018")
    assert [p.start_date for p in found if p.text == "quý II/2018"] == ["2018-04-01"]


def test_every_national_phrase_holds_a_clue_the_engine_checks_first():
    """The engine skips the national-words scan in an article without any of its clues: every
    alternative of the pattern must contain one."""
    from egov_analysis.extract import engine

    body = engine._NATIONAL_WORDS.pattern
    assert body.startswith("(?:") and body.endswith(")(?!\\w)")
    alternatives = body[3:-len(")(?!\\w)")].split("|")
    assert len(alternatives) >= 3
    for alt in alternatives:
        assert any(clue in alt for clue in engine._NATIONAL_CLUES), alt


# Phrasings met in the second held-out set (tests/extract/heldout2, now tuned on: heldout3 is blind).

def test_a_now_word_nearer_the_figure_than_a_dated_phrase_dates_it(extract):
    recs = extract("Đến cuối năm 2018, tỉnh mới có 97 dịch vụ công trực tuyến mức độ 3, thì đến nay đã nâng lên 312 dịch vụ mức độ 3.")
    assert (_one(recs, 97)["period_end"], _one(recs, 312)["period_end"]) == ("2018-12-31", "2018-06-30")
    r = _one(extract("Tại hội nghị tổng kết năm 2017, Sở cho biết hệ thống quản lý văn bản hiện đã được triển khai tới 15/15 quận, huyện."), 15)
    assert (r["indicator_id"], r["period_start"], r["period_end"]) == ("doc_system_coverage_pct", "2018-06-30", "2018-06-30")


def test_hien_inside_thuc_hien_is_no_date():
    from egov_analysis.periods import find_periods

    assert [p.text for p in find_periods("hệ thống hiện đã chạy; Sở đã thực hiện đã lâu; lỗi xuất hiện có hệ thống")] == ["hiện"]


def test_since_a_day_until_now_spans_a_flow_and_its_rate(extract):
    recs = extract("Trung tâm Phục vụ hành chính công đi vào hoạt động từ ngày 1/7/2017, đến nay đã tiếp nhận hơn 18.600 hồ sơ, tỷ lệ giải quyết đúng hạn đạt 99,3%.")
    for value, indicator in ((18600, "one_stop_shop_dossiers_count"), (99.3, "one_stop_shop_ontime_rate_pct")):
        r = _one(recs, value)
        assert (r["indicator_id"], r["period_start"], r["period_end"]) == (indicator, "2017-07-01", "2018-06-30")


def test_posts_listed_with_documents_are_posts(extract):
    r = _one(extract("Cổng Thông tin điện tử tỉnh đã đăng tải hơn 3.000 tin, bài, văn bản chỉ đạo điều hành."), 3000)
    assert r["indicator_id"] == "portal_posts_count"
    r = _one(extract("Năm 2016, số tin bài trên cổng tăng 1.746 tin, bài so với năm 2015."), 1746)
    assert r["indicator_id"] == "portal_posts_increase_count"


def test_a_share_named_once_for_several_levels(extract):
    recs = extract("Tỷ lệ văn bản đi dưới dạng điện tử của cấp tỉnh đạt 93,8%, cấp huyện đạt 90,2% và cấp xã đạt 72,5%.")
    assert {_one(recs, v)["indicator_id"] for v in (93.8, 90.2, 72.5)} == {"edoc_exchange_rate_pct"}
    r = _one(extract("Tỷ lệ văn bản điện tử đạt 90%, tỷ lệ hồ sơ nộp trực tuyến đạt 35%."), 35)
    assert r["indicator_id"] != "edoc_exchange_rate_pct"


def test_given_a_mailbox_is_not_using_it(extract):
    r = _one(extract("Hiện 92% cán bộ, công chức được cấp hộp thư điện tử công vụ, nhưng số người sử dụng thường xuyên chưa nhiều."), 92)
    assert r["indicator_id"] == "officials_with_email_pct"
    r = _one(extract("Tỉnh đã cấp hộp thư cho 100% cán bộ, trong đó 92,5% thường xuyên sử dụng."), 92.5)
    assert r["indicator_id"] == "officials_using_email_pct"


def test_only_the_figure_said_to_link_to_communes_is_a_link_figure(extract):
    recs = extract("Phần mềm một cửa điện tử hiện đã được triển khai tại 100% sở, ngành và 15/15 quận, huyện, trong đó 9/15 quận, huyện đã liên thông đến cấp xã.")
    assert [_one(recs, v)["indicator_id"] for v in (100, 15, 9)] == [
        "one_stop_shop_coverage_pct", "one_stop_shop_coverage_pct", "one_stop_shop_commune_link_coverage_pct"]


# Phrasings met in the third held-out set (tests/extract/heldout3, tuned on in session 2 after its
# blind score was recorded; heldout4 is the blind one since).

def test_a_count_listed_after_a_level_is_a_count_when_its_own_level_follows(extract):
    recs = extract("Tỉnh cung cấp 1.532 dịch vụ mức độ 2, 106 dịch vụ mức độ 3 và 9 dịch vụ mức độ 4.")
    assert [_one(recs, v)["indicator_id"] for v in (1532, 106, 9)] == [
        "online_services_level2_count", "online_services_level3_count", "online_services_level4_count"]
    from egov_analysis.quantities import find_quantities

    assert [q.kind for q in find_quantities("dịch vụ mức độ 3 và 4 đã được tích hợp")] == ["level", "level"]


def test_ranks_listed_with_province_names_and_positions(extract):
    recs = extract("Theo Vietnam ICT Index 2017, Huế đứng thứ 2/63, Quảng Ninh thứ 3/63, TP.HCM thứ 4/63. Bình Dương vươn lên vị trí 5/63.")
    got = {r["value"]: (r["indicator_id"], r["province"], r["period_start"]) for r in recs}
    assert got[3] == ("ict_index_rank", "Quảng Ninh", "2017-01-01") and got[4][:2] == ("ict_index_rank", "Hồ Chí Minh")
    assert got[5][:2] == ("ict_index_rank", "Bình Dương")


def test_a_rank_takes_the_year_of_its_index_from_the_lead(extract):
    recs = extract("Bộ TT&TT công bố Vietnam ICT Index 2017.\n\nĐà Nẵng tiếp tục xếp thứ 1/63.", reference_date="2018-06-22")
    assert (_one(recs, 1)["period_start"], _one(recs, 1)["period_end"]) == ("2017-01-01", "2017-12-31")


def test_services_in_the_2022_wording_toan_trinh_and_mot_phan(extract):
    recs = extract("Tỉnh cung cấp 1.642 dịch vụ công trực tuyến, trong đó 1.030 dịch vụ công trực tuyến toàn trình và 612 dịch vụ một phần.")
    assert [_one(recs, v)["indicator_id"] for v in (1642, 1030, 612)] == [
        "online_services_total_count", "online_services_level4_count", "online_services_level3_count"]


def test_on_time_share_said_after_the_figure_and_service_centres_as_one_stop_shops(extract):
    r = _one(extract("Năm 2017, 99,2% hồ sơ được giải quyết trước và đúng hạn."), 99.2)
    assert r["indicator_id"] == "one_stop_shop_ontime_rate_pct"
    r = _one(extract("Hiện 64/64 xã, phường đã vận hành Trung tâm phục vụ hành chính công cấp xã."), 64)
    assert r["indicator_id"] == "one_stop_shop_coverage_pct"


def test_a_year_compared_with_through_a_few_words_is_no_period_of_the_figure(extract):
    r = _one(extract("9 tháng đầu năm 2016, tỷ lệ văn bản điện tử đạt 62,5%, cao hơn nhiều so với mức bình quân của năm 2015."), 62.5)
    assert (r["period_start"], r["period_end"]) == ("2016-01-01", "2016-09-30")


# Phrasings met in the fourth held-out set (tests/extract/heldout4, tuned on in session 2 after its
# blind score was recorded; heldout5 is the blind one since).

def test_months_written_in_words_and_since_an_event_day(extract):
    r = _one(extract("Chín tháng qua, tỷ lệ văn bản đi dưới dạng điện tử đạt 92,3%.", reference_date="2019-10-08"), 92.3)
    assert (r["period_start"], r["period_end"]) == ("2019-01-01", "2019-09-30")
    r = _one(extract("Từ khi khai trương ngày 9/12/2019 đến nay, Cổng đã giúp người dân, doanh nghiệp tiết kiệm chi phí xã hội hơn 8.000 tỷ đồng.",
                     reference_date="2022-10-14"), 8e12)
    assert (r["indicator_id"], r["period_start"], r["period_end"]) == ("compliance_cost_savings_vnd", "2019-12-09", "2022-10-14")


def test_shares_listed_after_the_first_in_a_data_network_clause(extract):
    recs = extract("Mạng truyền số liệu chuyên dùng đã kết nối tới 100% sở, ngành, 9/9 huyện, thành phố và 139/180 xã, phường, thị trấn.")
    assert {_one(recs, v)["indicator_id"] for v in (100, 9, 139)} == {"data_network_coverage_pct"}


def test_agencies_signing_digitally_and_certificates_named_before_the_figure(extract):
    recs = extract("Đến nay, 100% sở, ban, ngành và 18/18 UBND huyện đã thực hiện ký số trên văn bản điện tử.")
    assert {_one(recs, v)["indicator_id"] for v in (100, 18)} == {"digital_certificate_coverage_pct"}
    r = _one(extract("Tỷ lệ văn bản được ký số đạt 80%."), 80)
    assert r["indicator_id"] != "digital_certificate_coverage_pct"
    r = _one(extract("Tính đến nay, số chứng thư số chuyên dùng do Ban Cơ yếu Chính phủ cấp đạt xấp xỉ 1,1 triệu."), 1.1e6)
    assert r["indicator_id"] == "digital_signature_certificates_count"


def test_regular_users_named_before_the_share_and_units_extending_the_software(extract):
    recs = extract("Có 98,5% cán bộ, công chức được cấp hộp thư điện tử công vụ, song số thường xuyên sử dụng chỉ chiếm khoảng 65%.")
    assert (_one(recs, 98.5)["indicator_id"], _one(recs, 65)["indicator_id"]) == ("officials_with_email_pct", "officials_using_email_pct")
    r = _one(extract("Có 6 huyện, thành phố đã mở rộng phần mềm quản lý văn bản xuống cấp xã."), 6)
    assert r["indicator_id"] == "doc_system_extended_units_count"


def test_a_target_verb_holds_for_the_later_figures_of_its_clause(extract):
    recs = extract("Năm 2020, tỉnh phấn đấu 100% văn bản đi được gửi dưới dạng điện tử và đưa tối thiểu 30% dịch vụ công lên mức độ 3, 4.",
                   reference_date="2020-01-15")
    assert [(r["value"], r["status"]) for r in recs] == [(100, "rejected"), (30, "rejected")]
    # ... up to a word saying what holds now
    recs = extract("Tỉnh phấn đấu đạt 100% văn bản điện tử, trong khi hiện tỷ lệ văn bản điện tử mới đạt 60%.")
    assert [(r["value"], r["status"]) for r in recs] == [(100, "rejected"), (60, "extracted")]


def test_this_rate_points_back_to_the_last_rate_of_the_paragraph(extract):
    recs = extract("Trong năm 2019, tỷ lệ văn bản đi được gửi dưới dạng điện tử ở cấp tỉnh đạt 91,5%, cấp huyện đạt 78,4%. "
                   "Riêng cấp xã, tỷ lệ này mới đạt khoảng 45% do hạ tầng còn hạn chế.", reference_date="2020-01-15")
    r = _one(recs, 45)
    assert (r["indicator_id"], r["scope"], r["period_start"], r["period_end"]) == ("edoc_exchange_rate_pct", "cấp xã", "2019-01-01", "2019-12-31")
    assert "points back" in r["note"]


def test_a_change_in_percentage_points_is_no_indicator(extract):
    r = _one(extract("Tỷ lệ hồ sơ giải quyết đúng hạn đạt 97,8%, cao hơn 1,2 điểm phần trăm so với năm trước."), 1.2)
    assert r["status"] == "rejected"




def test_this_year_said_before_the_year_is_out_is_the_year_so_far(extract):
    body = ("PV: Kết quả nổi bật năm nay?\n\nTừ đầu năm đến nay, hệ thống với khoảng 4.300 người dùng đã luân chuyển khoảng 680.000 "
            "văn bản điện tử. Tỷ lệ văn bản đi dưới dạng điện tử ở các sở, ngành đạt gần 90%.\n\n"
            "Trung tâm Phục vụ hành chính công tỉnh năm nay đã tiếp nhận hơn 30.000 hồ sơ.")
    recs = extract(body, reference_date="2019-12-20")
    # a level in a year-to-date sentence holds at its end; the span carries to the next sentence
    assert _period(_one(recs, 4300)) == ("2019-12-20", "2019-12-20")
    assert _period(_one(recs, 680000)) == ("2019-01-01", "2019-12-20")
    assert _period(_one(recs, 90)) == ("2019-01-01", "2019-12-20")
    assert _period(_one(recs, 30000)) == ("2019-01-01", "2019-12-20")


def test_a_period_of_months_compared_with_is_no_period_of_the_figure(extract):
    recs = extract("6 tháng đầu năm 2022, Cổng Thông tin điện tử tỉnh đã đăng tải 2.846 tin, bài, tăng 312 tin, bài so với 6 tháng đầu năm 2021.",
                   reference_date="2022-07-14")
    assert _period(_one(recs, 312)) == ("2022-01-01", "2022-06-30")


def test_a_sentence_about_a_national_system_is_national(extract):
    body = ("Theo Bộ Thông tin và Truyền thông, Trục liên thông văn bản quốc gia 7 tháng đầu năm 2020 đã gửi, nhận hơn 1,8 triệu văn bản điện tử. "
            "Cổng Dịch vụ công quốc gia, kể từ khi khai trương ngày 9/12/2019 đến nay, đã giúp người dân, doanh nghiệp tiết kiệm chi phí "
            "ước tính hơn 3.300 tỷ đồng.\n\nVĩnh Phúc hiện cung cấp 1.713 dịch vụ công trực tuyến. Tỉnh đã tích hợp 500 dịch vụ lên Cổng Dịch vụ công quốc gia.")
    recs = extract(body, title="Vĩnh Phúc, Bắc Ninh: chính quyền điện tử", reference_date="2020-08-21")
    assert _one(recs, 1.8e6)["province"] == "Việt Nam"
    r = _one(recs, 3.3e12)
    assert (r["province"], r["indicator_id"]) == ("Việt Nam", "compliance_cost_savings_vnd")
    assert _one(recs, 500)["province"] == "Vĩnh Phúc"


def test_ranks_of_one_article_share_the_index_edition(extract):
    body = ("Vĩnh Phúc\n\nTheo Báo cáo Vietnam ICT Index 2019, Vĩnh Phúc xếp thứ 11/63 tỉnh, thành phố.\n\n"
            "Bắc Ninh\n\nBắc Ninh xếp thứ 7/63 trong bảng xếp hạng này, tăng 3 bậc so với năm trước.")
    recs = extract(body, reference_date="2020-08-21")
    assert _period(_one(recs, 7)) == ("2019-01-01", "2019-12-31")


def test_figures_listed_before_the_one_that_says_what_they_measure(extract):
    recs = extract("Hải Dương có 100% sở, ngành, UBND cấp huyện và 198/235 xã, phường, thị trấn có trang thông tin điện tử.")
    assert [r["indicator_id"] for r in recs] == ["website_coverage_pct", "website_coverage_pct"]
    # a share takes nothing from a count after it
    recs = extract("Tỉnh có 100% cấp huyện và 30 phản ánh qua cổng thông tin điện tử.")
    assert (_one(recs, 100)["indicator_id"], _one(recs, 30)["indicator_id"]) == ("unclassified", "portals_count")


def test_population_area_administrative_units_and_meetings_are_no_indicators(extract):
    recs = extract("Tỉnh mới có diện tích gần 13.800 km2, dân số hơn 1,86 triệu người, với 124 đơn vị hành chính cấp xã, gồm 117 xã và 7 phường. "
                   "Trong năm, tỉnh đã tổ chức 126 cuộc họp trực tuyến.")
    assert {r["value"]: r["status"] for r in recs} == {13800: "rejected", 1.86e6: "rejected", 124: "rejected", 117: "rejected",
                                                       7: "rejected", 126: "rejected"}


def test_targets_named_by_a_noun_and_a_target_list_across_clauses(extract):
    recs = extract("Tỷ lệ hồ sơ nộp trực tuyến mới đạt 18,2%, chưa đạt mục tiêu 30% đề ra. Mỗi xã phải có tối thiểu 1 công chức phụ trách CNTT. "
                   "Năm 2022, tỉnh phấn đấu 100% hồ sơ công việc tại cấp tỉnh, 80% tại cấp huyện và 60% tại cấp xã được xử lý trên môi trường mạng; "
                   "100% dịch vụ công đủ điều kiện được cung cấp trực tuyến mức độ 4.", reference_date="2022-01-07")
    assert [(r["value"], r["status"]) for r in recs] == [(18.2, "extracted"), (30, "rejected"), (1, "rejected"), (100, "rejected"),
                                                         (80, "rejected"), (60, "rejected"), (100, "rejected")]


def test_a_figure_in_brackets_after_a_comparison_year_is_of_that_year(extract):
    recs = extract("Theo Vietnam ICT Index năm 2019, tỉnh Quảng Bình xếp thứ 19/63 tỉnh, thành phố, tăng 5 bậc so với năm 2018 (xếp thứ 24/63).",
                   reference_date="2020-08-28")
    assert _period(_one(recs, 19)) == ("2019-01-01", "2019-12-31")
    r = _one(recs, 24)
    assert (r["indicator_id"], _period(r)) == ("ict_index_rank", ("2018-01-01", "2018-12-31"))


def test_distances_and_commended_collectives_are_no_indicators(extract):
    recs = extract("Có xã cách trung tâm huyện gần 100 km. UBND tỉnh tặng Bằng khen cho 5 tập thể có thành tích xuất sắc.")
    assert {r["value"]: r["status"] for r in recs} == {100: "rejected", 5: "rejected"}


def test_an_unclassified_share_of_dossiers_is_over_the_paragraphs_period(extract):
    recs = extract("9 tháng đầu năm 2021, Trung tâm tiếp nhận 25.000 hồ sơ. Tỷ lệ hồ sơ nộp trực tuyến ở cấp tỉnh đạt 48,5%.",
                   reference_date="2021-10-08")
    r = _one(recs, 48.5)
    assert (r["indicator_id"], _period(r)) == ("unclassified", ("2021-01-01", "2021-09-30"))


def test_label_lines_tables_and_their_intro_line(extract):
    body = ("Sở tổng hợp kết quả 6 tháng đầu năm 2021 như sau:\n\n- Số cơ quan, đơn vị sử dụng hệ thống quản lý văn bản và điều hành: 486\n\n"
            "- Tổng số văn bản điện tử gửi, nhận 6 tháng: khoảng 742.000\n\n- Tỷ lệ văn bản điện tử (trừ văn bản mật), chia theo cấp:\n\n"
            "Cấp tỉnh | 98,5%\n\nCấp xã | 88,6%\n\nChi tiết tiếp nhận, giải quyết hồ sơ theo cấp (6 tháng đầu năm 2021):\n\n"
            "Cấp | Hồ sơ tiếp nhận | Tỷ lệ đúng hạn\n\nCấp tỉnh | 48.230 | 99,2%\n\nCấp xã | 55.460 | 99,3%")
    recs = extract(body, reference_date="2021-07-16")
    got = {r["value"]: (r["indicator_id"], r["scope"]) for r in recs}
    assert got[486][0] == "doc_system_units_count" and got[742000][0] == "edocs_count"
    assert got[98.5] == ("edoc_exchange_rate_pct", "cấp tỉnh") and got[88.6] == ("edoc_exchange_rate_pct", "cấp xã")
    assert got[48230] == ("one_stop_shop_dossiers_count", "cấp tỉnh") and got[99.3] == ("one_stop_shop_ontime_rate_pct", "cấp xã")
    assert _period(_one(recs, 55460)) == ("2021-01-01", "2021-06-30")


def test_a_clause_naming_nothing_continues_the_one_before(extract):
    recs = extract("Tỷ lệ văn bản đi được gửi dưới dạng điện tử ở cấp tỉnh đạt 97,2%, cấp xã đạt 80,6%; bình quân toàn tỉnh đạt 91,8%.")
    assert _one(recs, 91.8)["indicator_id"] == "edoc_exchange_rate_pct"


def test_the_year_a_review_looks_back_on(extract):
    r = _one(extract("Năm qua, các cơ quan trong tỉnh đã trao đổi hơn 1,1 triệu văn bản điện tử.", reference_date="2019-01-17"), 1.1e6)
    assert _period(r) == ("2018-01-01", "2018-12-31")
    r = _one(extract("Trong 5 năm qua, các cơ quan đã trao đổi 5 triệu văn bản điện tử."), 5e6)
    assert _period(r) != ("2017-01-01", "2017-12-31")


def test_a_countrys_rank_is_not_the_provinces_it_index_and_plans_are_no_results(extract):
    r = _one(extract("Theo Liên hợp quốc, năm 2018 Việt Nam xếp thứ 88/193 về chính phủ điện tử."), 88)
    assert (r["indicator_id"], r["unit"], r["province"]) == ("unclassified", "rank", "Việt Nam")
    recs = extract("Trong quý II, Sở sẽ mở 6 lớp tập huấn cho 320 cán bộ. Bình quân mỗi văn bản giấy tốn khoảng 12.000 đồng.")
    assert {r["value"]: r["status"] for r in recs} == {6: "rejected", 320: "rejected", 12000: "rejected"}


def test_the_lead_is_the_first_sentence_of_prose_past_a_masthead_and_menu(extract):
    body = ("Báo Gia Lai điện tử\n\nThời sự\n\nChính trị\n\n(GLO)- Trong 9 tháng đầu năm 2019, tỉnh đã đẩy mạnh ứng dụng công nghệ thông tin.\n\n"
            "Hệ thống một cửa điện tử tiếp nhận 128.715 hồ sơ.")
    assert _period(_one(extract(body, reference_date="2019-10-08"), 128715)) == ("2019-01-01", "2019-09-30")


def test_a_paragraph_going_into_detail_reports_on_the_span_of_the_one_before(extract):
    body = ("Trong 9 tháng đầu năm 2019, các cơ quan đã tiếp nhận 412.368 hồ sơ.\n\n"
            "Cụ thể, ở cấp tỉnh, các sở, ngành tiếp nhận 128.715 hồ sơ, tỷ lệ đúng hạn 99,24%.\n\nHệ thống tiếp nhận 5.000 hồ sơ.")
    recs = extract(body, title="Tin tức", reference_date="2019-10-08")
    assert _period(_one(recs, 128715)) == ("2019-01-01", "2019-09-30")
    assert _period(_one(recs, 99.24)) == ("2019-01-01", "2019-09-30")


def test_the_country_named_right_before_a_figure_owns_it(extract):
    recs = extract("Năm 2018, tỷ lệ văn bản trao đổi dưới dạng điện tử của tỉnh Gia Lai đạt 78,6%, cao hơn mức trung bình cả nước là 65%.")
    assert (_one(recs, 78.6)["province"], _one(recs, 65)["province"]) == ("Gia Lai", "Việt Nam")


def test_other_indexes_population_economy_and_staff_are_no_indicators(extract):
    r = _one(extract("Năm 2022, Chỉ số chuyển đổi số cấp tỉnh (DTI) của Đồng Nai xếp thứ 25/63."), 25)
    assert r["indicator_id"] == "unclassified"
    recs = extract("Với hơn 1,4 triệu dân, trong đó gần 46% là đồng bào dân tộc thiểu số; kinh tế số chiếm khoảng 12% GRDP. "
                   "Toàn tỉnh chỉ có 96 cán bộ chuyên trách CNTT. Hội nghị có khoảng 120 đại biểu tham dự.")
    assert {r["value"]: r["status"] for r in recs} == {1.4e6: "rejected", 46: "rejected", 12: "rejected", 96: "rejected", 120: "rejected"}


def test_numbered_districts_are_names_and_the_country_in_brackets_owns_its_figure(extract):
    recs = extract("Một số quận như Quận 1, Quận 3, Quận 12 đã thí điểm tiếp nhận hồ sơ qua ứng dụng. Năm 2017, tỷ lệ văn bản đi được gửi dưới "
                   "dạng điện tử đạt 86,5%, tăng hơn 11% so với năm 2016 và cao hơn mức bình quân cả nước (khoảng 67%).")
    assert not any(r["value"] in (1, 3, 12) for r in recs)
    r = _one(recs, 67)
    assert (r["province"], r["indicator_id"], r["status"]) == ("Việt Nam", "edoc_exchange_rate_pct", "extracted")


def test_last_year_its_end_and_a_comparison_with_it(extract):
    recs = extract("Năm ngoái, tỉnh tiết kiệm cho ngân sách khoảng 8 tỷ đồng. Cuối năm ngoái tỉnh mới có 15 dịch vụ mức độ 4. "
                   "Năm 2019, tỷ lệ văn bản điện tử đạt 90%, tăng 5% so với năm trước.", reference_date="2019-11-20")
    assert _period(_one(recs, 8e9)) == ("2018-01-01", "2018-12-31")
    assert _period(_one(recs, 15)) == ("2018-12-31", "2018-12-31")
    assert _period(_one(recs, 90)) == ("2019-01-01", "2019-12-31")


def test_a_list_items_label_names_every_figure_on_its_line(extract):
    body = ("Một số kết quả 9 tháng đầu năm 2019 như sau:\n\n- Tỷ lệ văn bản trao đổi dưới dạng điện tử: cấp tỉnh 95%; cấp huyện 88,7 %; "
            "cấp xã khoảng 70%\n\n- Hội nghị truyền hình trực tuyến: 9 điểm cầu, kết nối 8/8 huyện, thị xã")
    recs = extract(body, reference_date="2019-10-08")
    assert [(_one(recs, v)["indicator_id"], _one(recs, v)["scope"]) for v in (95, 88.7, 70)] == [("edoc_exchange_rate_pct", "cấp tỉnh"),
                                                                                         ("edoc_exchange_rate_pct", "cấp huyện"),
                                                                                         ("edoc_exchange_rate_pct", "cấp xã")]
    assert _one(recs, 9)["indicator_id"] == "video_conference_points_count"


def test_a_table_with_row_numbers_a_result_column_and_a_dated_caption(extract):
    body = ("Kết quả năm 2020 như sau:\n\n(số liệu tính đến ngày 31/12/2020)\n\nSTT | Chỉ tiêu | Kết quả\n\n"
            "1 | Tỷ lệ văn bản đi được gửi dưới dạng điện tử - cấp xã | 87,5%\n\n"
            "2 | Tổng số văn bản điện tử gửi, nhận trên iDesk trong năm | 1.346.215\n\n4 | Số chứng thư số đã cấp | 3.962\n\n"
            "13 | Cổng/trang thông tin điện tử đang hoạt động | 69")
    recs = extract(body, reference_date="2021-01-19")
    assert {r["value"]: r["status"] for r in recs if r["value"] in (1, 2, 4, 13)} == {1: "rejected", 2: "rejected", 4: "rejected", 13: "rejected"}
    assert [_one(recs, v)["indicator_id"] for v in (87.5, 1346215, 3962, 69)] == [
        "edoc_exchange_rate_pct", "edocs_count", "digital_signature_certificates_count", "portals_count"]
    assert _period(_one(recs, 3962)) == ("2020-12-31", "2020-12-31")  # a level, dated by the caption
    assert _period(_one(recs, 1346215)) == ("2020-01-01", "2020-12-31")  # a flow keeps its year


def test_people_trained_are_no_indicator(extract):
    recs = extract("b) Tổ chức 05 lớp tập huấn kỹ năng số cho khoảng 500 cán bộ, công chức cấp xã.")
    assert {r["value"]: r["status"] for r in recs} == {5: "rejected", 500: "rejected"}


def test_a_bracketed_breakdown_split_by_semicolons_and_a_higher_than_year(extract):
    recs = extract("Năm 2021, tỷ lệ hồ sơ giải quyết đúng hạn chung toàn tỉnh đạt 98,62% (cấp tỉnh 99,4%; cấp huyện 97,85 %; cấp xã 98,7%), "
                   "cao hơn năm 2020 là 1,4 điểm phần trăm.", reference_date="2022-01-14")
    for v, scope in ((99.4, "cấp tỉnh"), (97.85, "cấp huyện"), (98.7, "cấp xã")):
        r = _one(recs, v)
        assert (r["indicator_id"], r["scope"], _period(r)) == ("one_stop_shop_ontime_rate_pct", scope, ("2021-01-01", "2021-12-31"))


def test_the_country_in_another_clause_and_a_value_compared_with(extract):
    recs = extract("Năm 2019, hệ thống một cửa điện tử của tỉnh Quảng Ninh đã tiếp nhận 1.046.720 hồ sơ, tỷ lệ giải quyết đúng hạn đạt 99,87%; "
                   "bình quân cả nước con số này là 95,1%. Năm 2017, tỷ lệ giải quyết đúng hạn đạt 98.7%, cải thiện so với mức 96,9% của năm 2016.")
    assert (_one(recs, 1046720)["province"], _one(recs, 99.87)["province"]) == ("Quảng Ninh", "Quảng Ninh")
    r = _one(recs, 96.9)
    assert (r["indicator_id"], _period(r)) == ("one_stop_shop_ontime_rate_pct", ("2016-01-01", "2016-12-31"))


def test_dossiers_submitted_online_are_not_the_one_stop_count_and_levels_named_before(extract):
    recs = extract("Năm 2021, số hồ sơ nộp trực tuyến đạt 186.204 hồ sơ. Quảng Ninh cung cấp 1.769 dịch vụ công trực tuyến, trong đó 1.216 "
                   "dịch vụ đạt mức độ 3, 4; riêng mức độ 4 có 604 dịch vụ. Tỉnh tiếp nhận gần 51 triệu hồ sơ, trong đó số hồ sơ nộp trực "
                   "tuyến chiếm chưa đến một phần năm.", reference_date="2022-01-14")
    r = _one(recs, 186204)
    assert (r["indicator_id"], _period(r)) == ("unclassified", ("2021-01-01", "2021-12-31"))
    assert (_one(recs, 604)["indicator_id"], _one(recs, 51e6)["indicator_id"]) == ("online_services_level4_count", "one_stop_shop_dossiers_count")


def test_toan_tinh_is_the_articles_province_after_a_city_and_a_month_compared_with(extract):
    body = ("Năm 2019, tỷ lệ văn bản điện tử của Quảng Ninh đạt 96,8%, trong khi Hà Nội là 91,2%. Toàn tỉnh đã gửi, nhận trên 2,1 triệu văn bản điện tử.\n\n"
            "Trong tháng 3/2019, Trung tâm đã tiếp nhận 3.412 hồ sơ, tăng 71,9% so với tháng 2/2019. Trung tâm đã giải quyết 3.287 hồ sơ.")
    recs = extract(body, title="Quảng Ninh dẫn đầu về văn bản điện tử", reference_date="2020-03-18")
    assert _one(recs, 2.1e6)["province"] == "Quảng Ninh"
    assert _period(_one(recs, 3287)) == ("2019-03-01", "2019-03-31")


def test_levels_named_before_lan_luot_go_to_the_figures_in_order(extract):
    recs = extract("Năm 2019, tỷ lệ văn bản đi được gửi dưới dạng điện tử của cấp tỉnh, huyện, xã lần lượt là 99%, 95% và 80%.")
    assert [(r["value"], r["indicator_id"], r["scope"]) for r in recs] == [
        (99, "edoc_exchange_rate_pct", "cấp tỉnh"), (95, "edoc_exchange_rate_pct", "cấp huyện"), (80, "edoc_exchange_rate_pct", "cấp xã")]


@pytest.mark.parametrize("edit,message", [
    (lambda lines: lines + [lines[-1]], "priority"),  # two rules with one priority: their order is undefined
    (lambda lines: lines + ["999,edocs_count,count,,văn bản,,,a, b,"], "more cells than the header"),  # an unquoted comma
])
def test_a_broken_rules_table_is_refused_naming_the_fix(tmp_path, monkeypatch, edit, message):
    import shutil

    from egov_analysis import config
    from egov_analysis.errors import InputError
    from egov_analysis.extract import rules

    shutil.copytree(config.RULES_DIR, tmp_path / "rules")
    path = tmp_path / "rules" / "indicator_rules.csv"
    path.write_text("\n".join(edit(path.read_text(encoding="utf-8").splitlines())) + "\n", encoding="utf-8")
    monkeypatch.setattr(config, "RULES_DIR", tmp_path / "rules")
    rules.tables.cache_clear()
    try:
        with pytest.raises(InputError, match=message):
            rules.tables()
    finally:
        rules.tables.cache_clear()


def test_a_list_of_short_paragraphs_under_a_dated_intro(extract):
    body = ("Một số kết quả nổi bật (số liệu tính đến ngày 30/9/2021):\n\n"
            "- Phần mềm quản lý văn bản và điều hành được triển khai tại 100% cơ quan nhà nước, với 11.274 tài khoản người dùng.\n\n"
            "- Đã cấp 8.960 chứng thư số cho các cơ quan, tổ chức, cá nhân. Trong 9 tháng, có 743.512 văn bản được ký số.\n\n"
            "Từ đầu năm đến nay, tỉnh đã tiếp nhận 5.000 hồ sơ trực tuyến và nhiều kết quả khác được ghi nhận trên toàn tỉnh, "
            "đóng góp vào việc nâng cao hiệu quả hoạt động của các cơ quan nhà nước; hệ thống hiện có 12.000 người dùng thường xuyên.")
    recs = extract(body, reference_date="2021-10-20")
    assert _period(_one(recs, 11274)) == ("2021-09-30", "2021-09-30") and _period(_one(recs, 8960)) == ("2021-09-30", "2021-09-30")
    assert _period(_one(recs, 12000)) == ("2021-10-20", "2021-10-20")  # a long paragraph ends the list


def test_review_cases_leading_province_words_and_first_cell_figures(extract):
    # the leading province's own figure, not the country's
    assert _one(extract("Năm 2020, Đồng Nai đứng đầu cả nước (98,5%) về tỷ lệ hồ sơ giải quyết đúng hạn."), 98.5)["province"] == "Đồng Nai"
    # a figure that opens a table row without a label is no row number
    body = "Cấp | Hồ sơ tiếp nhận | Tỷ lệ đúng hạn\n\n48.230 | 99,2% | cấp tỉnh"
    assert _one(extract(body), 48230)["status"] == "extracted"
    # levels before "lần lượt" in the order the text names them
    recs = extract("Tỷ lệ văn bản điện tử của cấp xã, cấp huyện và cấp tỉnh lần lượt là 80%, 95% và 99%.")
    assert [(r["value"], r["scope"]) for r in recs] == [(80, "cấp xã"), (95, "cấp huyện"), (99, "cấp tỉnh")]
    # "những năm qua" is no year
    r = _one(extract("Những năm qua, tỉnh đã trao đổi 5 triệu văn bản điện tử.", reference_date="2019-01-17"), 5e6)
    assert _period(r) != ("2018-01-01", "2018-12-31")


def test_a_target_does_not_reach_a_result_of_a_past_year_later_in_the_sentence(extract):
    recs = extract("Tỉnh phấn đấu đến năm 2025 đạt 80% hồ sơ trực tuyến, trong năm 2019 tỷ lệ hồ sơ trực tuyến là 45%.", reference_date="2020-01-10")
    assert [(r["value"], r["status"]) for r in recs] == [(80, "rejected"), (45, "extracted")]
