"""Cleaning rules, one behaviour per test, on tiny fixtures and on the five seeds."""

from __future__ import annotations

import unicodedata

import pytest

from egov_analysis.clean import clean_text, detect_metadata, latest_stated_date, parse_vn_date, split_sentences
from egov_analysis.language import is_foreign_line, is_syllable

from tests.conftest import FIXTURES, SEEDS


def _clean(name: str):
    return clean_text((FIXTURES / "clean" / name).read_text(encoding="utf-8"))


def _seed(prefix: str) -> str:
    return next(p for p in SEEDS if p.name.startswith(prefix)).read_text(encoding="utf-8")


def test_ui_prompts_and_comment_headers_are_dropped_with_reason():
    c = _clean("furniture.txt")
    assert "Reset" not in c.body and "Trả lời" not in c.body
    assert {e["rule"] for e in c.log} == {"ui_reset", "comment_reply"}


def test_first_surviving_line_is_the_title_not_body():
    c = _clean("furniture.txt")
    assert c.title == "Tiêu đề bài viết về Cà Mau"
    assert c.body == "Cà Mau có 431 đơn vị sử dụng phần mềm."


def test_foreign_language_line_is_dropped_by_syllable_test():
    c = _clean("foreign_line.txt")
    assert "veröffentlicht" not in c.body
    entry = next(e for e in c.log if e["rule"] == "not_vietnamese")
    assert "Vietnamese syllables" in entry["detail"]


def test_vietnamese_line_with_acronyms_and_english_brand_is_kept():
    foreign, share = is_foreign_line("Sở TT&TT triển khai ứng dụng Zalo và phần mềm VIC cho CNTT")
    assert not foreign and share > 0.8


def test_syllable_shape_accepts_vietnamese_and_rejects_german():
    assert all(is_syllable(w) for w in ["nghiệp", "quản", "gì", "Đường", "khuyến", "trưởng"])
    assert not any(is_syllable(w) for w in ["zeitungen", "press", "wird", "breite"])


def test_image_placeholders_and_captions_are_dropped():
    c = _clean("images.txt")
    assert c.body == "Nội dung chính của bài báo ở đây."
    assert {e["rule"] for e in c.log} == {"image_placeholder", "photo_caption_end", "image_filename"}


def test_nbsp_and_odd_spaces_become_single_spaces():
    c = clean_text("Tiêu đề\n\n100%\u00a0 các\u2009cơ quan\u200b đã có.\n")
    assert c.body == "100% các cơ quan đã có."


def test_decomposed_text_is_composed_to_nfc_with_offsets_to_raw():
    raw = unicodedata.normalize("NFD", "Tiêu đề\n\nCà Mau tiết kiệm.")
    c = clean_text(raw)
    assert c.body == "Cà Mau tiết kiệm."
    # "à" came from two raw code points; its span covers both.
    i = c.body.index("à")
    assert c.offsets_end[i] - c.offsets[i] == 2
    assert unicodedata.normalize("NFC", raw[c.offsets[i] : c.offsets_end[i]]) == "à"


def test_repeated_title_and_lead_lines_are_dropped_once():
    c = clean_text("Tiêu đề\n\nTiêu đề\n\nĐoạn một có nội dung.\n\nĐoạn một có nội dung.\n")
    assert c.body == "Đoạn một có nội dung."
    assert [e["rule"] for e in c.log] == ["duplicate_line", "duplicate_line"]


def test_source_and_author_lines_become_metadata():
    c = clean_text("Tiêu đề\n\nNội dung bài báo.\n\nPV: Diễm Tươi\n\nNguồn: ictnews.vn\n")
    assert c.metadata == {"author": "Diễm Tươi", "outlet": "ictnews.vn"}
    assert "ictnews" not in c.body


def test_typos_stay_as_written():
    c = clean_text("Tiêu đề\n\nCó 5.058 văn bảnđược ký số.\n")
    assert "văn bảnđược" in c.body


def test_sentences_do_not_split_on_abbreviation_or_thousands_dot():
    text = "Năm 2016 tốt. TP. Cà Mau đạt 7.075 người. Hết."
    assert [text[s:e] for s, e in split_sentences(text)] == ["Năm 2016 tốt.", "TP. Cà Mau đạt 7.075 người.", "Hết."]


@pytest.mark.parametrize("text,iso", [("12 Th3, 2019 lúc 18:41", "2019-03-12"), ("06:16, 27/06/2017", "2017-06-27"), ("ngày 4 tháng 11 năm 2015", "2015-11-04")])
def test_vietnamese_dates_parse(text, iso):
    assert parse_vn_date(text).isoformat() == iso


def test_latest_stated_date_ignores_day_month_without_year():
    assert latest_stated_date("Sáng 12/3, họp; ngày 4/11/2015 và 1/3/2017.").isoformat() == "2017-03-01"


def test_share_bar_with_a_comment_counter_is_dropped():
    c = clean_text("Tiêu đề\n\nChia sẻ | Bình luận (0)\n\nNội dung bài báo.\n")
    assert c.body == "Nội dung bài báo."
    assert [e["rule"] for e in c.log] == ["ui_bar"]


def test_a_comment_button_with_its_count_is_dropped():
    c = clean_text("Tiêu đề\n\nNội dung bài báo.\n\nBình luận (2)\n")
    assert c.body == "Nội dung bài báo."
    assert [e["rule"] for e in c.log] == ["comment_reply"]


def test_related_links_header_and_the_bulleted_headlines_after_it_are_dropped():
    raw = "Tiêu đề\n\nNội dung bài báo.\n\nTin liên quan:\n- Đà Nẵng ra mắt ứng dụng tra cứu hồ sơ\n- Chính quyền điện tử: Bài học từ Đà Nẵng\n"
    c = clean_text(raw)
    assert c.body == "Nội dung bài báo."
    assert [e["rule"] for e in c.log] == ["related_links", "related_links_item", "related_links_item"]


def test_unbulleted_related_headlines_are_dropped_until_a_sentence():
    raw = "Tiêu đề\n\nTin liên quan\n\nCông bố Vietnam ICT Index 2018\n\nĐoạn tiếp theo có dấu chấm.\n"
    assert clean_text(raw).body == "Đoạn tiếp theo có dấu chấm."


def test_related_headline_on_the_headers_line_is_dropped():
    c = clean_text("Tiêu đề\n\nNội dung bài báo.\n\nTin liên quan: Lào Cai khai trương Trung tâm điều hành thông minh\n")
    assert c.body == "Nội dung bài báo."
    assert [e["rule"] for e in c.log] == ["related_link"]


def test_all_caps_byline_of_two_authors_becomes_the_author():
    c = clean_text("Tiêu đề\n\nĐoạn một.\n\nĐoạn hai.\n\nKHÁNH HÀ - QUANG MINH\n\nBình luận\n")
    assert c.metadata["author"] == "KHÁNH HÀ - QUANG MINH" and "KHÁNH" not in c.body


def test_byline_naming_the_authors_office_becomes_the_author():
    c = clean_text("Tiêu đề\n\nĐoạn một.\n\nĐoạn hai.\n\nThanh Hương - Sở TT&TT\n")
    assert c.metadata["author"] == "Thanh Hương - Sở TT&TT"


def test_outlet_prefix_without_parentheses_is_recorded_and_kept_in_the_text():
    c = clean_text("Tiêu đề\n\nICTnews - Trong 6 tháng đầu năm 2018, Đà Nẵng gửi 2,5 triệu văn bản.\n")
    assert c.metadata["outlet"] == "ICTnews"
    assert c.body.startswith("ICTnews - Trong 6 tháng")


def test_outlet_prefix_naming_a_newspaper_is_recorded():
    assert clean_text("Tiêu đề\n\nBáo Hà Giang - Năm 2019, tỉnh tiết kiệm 12 tỷ đồng.\n").metadata["outlet"] == "Báo Hà Giang"


def test_a_capitalised_lead_word_before_a_dash_is_no_outlet():
    assert "outlet" not in clean_text("Tiêu đề\n\nHà Nội - Sáng nay, thành phố khai trương cổng dịch vụ.\n").metadata


def test_dateline_opening_with_the_weekday_is_the_publication_date():
    c = clean_text("Tiêu đề\n\nThứ Tư, 20/12/2017 - 09:45\n\nNội dung bài báo.\n")
    assert c.metadata["published"] == "2017-12-20" and c.body == "Nội dung bài báo."


def test_dateline_opening_with_ngay_and_a_bar_before_the_time_is_the_publication_date():
    c = clean_text("Tiêu đề\n\nNgày 05/12/2019 | 14:10\n\nNội dung bài báo.\n")
    assert c.metadata["published"] == "2019-12-05" and c.body == "Nội dung bài báo."
    c = clean_text("Tiêu đề\n\nNgày 05/12/2019, tỉnh đã tiếp nhận 12 hồ sơ.\n")  # a sentence, not a dateline
    assert "published" not in c.metadata and c.body.startswith("Ngày 05/12/2019")


# ---- the five seeds end to end ------------------------------------------------------------


def test_seed_junk_first_lines_are_gone():
    c = clean_text(_seed("001"))
    assert c.title == "Công nghệ thông tin hỗ trợ, thúc đẩy cải cách hành chính"
    assert "Tùy chọn này" not in c.body and "Reset" not in c.body
    assert c.metadata["published"] == "2019-03-12"


def test_seed_german_line_is_gone_and_placeholder_too():
    c = clean_text(_seed("002"))
    assert "Popular" not in c.body and "01jpg" not in c.body
    assert "tỷ lệ văn bản điện tử đi bình quân trong toàn tỉnh đạt 79,1%" in c.body


def test_seed_ca_mau_text_intact():
    c = clean_text(_seed("000"))
    assert "Cà Mau" in c.body
    assert "đến nay có 431 đơn vị, với 7.075 người sử dụng" in c.body
    assert c.body.count("Tiết kiệm trên 7 tỷ đồng nhờ ứng dụng CNTT") == 0  # title kept apart
    assert "Thư điện tử của bạn" not in c.body


def test_seed_byline_dateline_and_outlet_become_metadata():
    meta = detect_metadata(_seed("004"))
    assert meta["published"] == "2017-06-27" and meta["author"] == "Tiến Vinh" and meta["outlet"] == "VnMedia"


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem[:3])
def test_seed_offsets_map_every_character_back_to_raw(seed):
    raw = seed.read_text(encoding="utf-8")
    c = clean_text(raw)
    assert len(c.offsets) == len(c.offsets_end) == len(c.body)
    for p_no, s, e in c.sentences:
        sentence = c.body[s:e]
        span = raw[c.offsets[s] : c.offsets_end[e - 1]]
        assert " ".join(unicodedata.normalize("NFC", span).replace("\u00a0", " ").split()) == sentence
    for i, ch in enumerate(c.body):
        if ch not in "\n":
            assert unicodedata.normalize("NFC", raw[c.offsets[i] : c.offsets_end[i]]).replace("\u00a0", " ") in (ch, " " + ch) or ch == " "


def test_thousands_grouped_with_a_no_break_or_thin_space_read_the_vietnamese_way():
    body = clean_text("Tiêu đề\n\nCó khoảng 7\u00a0075 người dùng, 1\u202f250\u202f000 văn bản; mức độ 4\u00a0100% dịch vụ.\n").body
    assert body == "Có khoảng 7.075 người dùng, 1.250.000 văn bản; mức độ 4 100% dịch vụ."


def test_site_menus_breadcrumbs_counters_tags_forms_and_footers_are_dropped():
    raw = ("Tiêu đề\n\nGiới thiệu | Tin tức - Sự kiện | Chính quyền | Công dân | Doanh nghiệp\n\nTrang chủ > Tin tức > Thời sự\n\n"
           "Nội dung bài báo có 100 % xã.\n\nCấp | Hồ sơ tiếp nhận | Tỷ lệ đúng hạn\n\nLượt xem: 1.487\n\nTừ khóa: chính quyền số, chuyển đổi số\n\n"
           "Tên của bạn: ______ Email: ______\n\n[Gửi] [Nhập lại]\n\nBản quyền thuộc Bộ Thông tin và Truyền thông. Địa chỉ: 18 Nguyễn Du, Hà Nội.\n")
    assert clean_text(raw).body == "Nội dung bài báo có 100 % xã.\n\nCấp | Hồ sơ tiếp nhận | Tỷ lệ đúng hạn"


def test_a_weekday_dateline_with_bracketed_time_zone_and_a_breadcrumb_path():
    c = clean_text("Tiêu đề\n\nThứ Năm, 11/04/2019, 07:25 [GMT+7]\n\nChính trị > Cải cách hành chính\n\nNội dung.\n\nTòa soạn: 02 Hoàng Văn Thụ, TP. Pleiku\n")
    assert c.body == "Nội dung." and c.metadata["published"] == "2019-04-11"


def test_buttons_separated_by_spaces_and_a_related_list_header_are_dropped():
    c = clean_text("Tiêu đề\n\nNội dung.\n\nChia sẻ Bình luận (0) In bài\n\nBài viết cùng chuyên mục\n- Nông dân thu lãi 200 triệu đồng/ha\n")
    assert c.body == "Nội dung."
