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
    # without curation 0.991 (one unclassified "4 cấp chính quyền").
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
